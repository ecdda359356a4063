package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

func TestExpectedCalibrationErrorByHand(t *testing.T) {
	labels := []string{"a", "b"}
	// bin 9: confidences 0.9 and 0.95, one right → |0.5 − 0.925|·2/4;
	// bin 6: confidence 0.6, right → |1 − 0.6|·1/4; bin 5: 0.55, wrong → 0.55/4.
	probs := [][]float64{{0.9, 0.1}, {0.05, 0.95}, {0.6, 0.4}, {0.45, 0.55}}
	gold := []string{"a", "a", "a", "a"}
	want := (0.425*2 + 0.4 + 0.55) / 4
	if got := expectedCalibrationError(probs, gold, labels); math.Abs(got-want) > 1e-4 {
		t.Errorf("ECE %v, want %v", got, want)
	}
	if got := expectedCalibrationError(nil, nil, labels); got != 0 {
		t.Errorf("ECE of nothing %v", got)
	}
}

func TestFitTemperatureRecoversScale(t *testing.T) {
	// Logits twice too confident for their accuracy: T near 2 undoes it.
	var zs [][]float64
	var ys []int
	for i := range 1000 {
		// true probability of class 0 is sigmoid(1) ≈ 0.731; the logits say sigmoid(2)
		y := 0
		if float64(i%1000)/1000 >= 1/(1+math.Exp(-1)) {
			y = 1
		}
		zs = append(zs, []float64{2, 0})
		ys = append(ys, y)
	}
	if got := fitTemperature(zs, ys); math.Abs(got-2) > 0.05 {
		t.Errorf("temperature %v, want about 2", got)
	}
}

// TestEvalRowsSplit checks that --rows writes every row with the split EvalClassifier
// used, that exactly the scored rows carry a prediction, and that a gold set without
// neutral (AJGT) is scored over its own labels.
func TestEvalRowsSplit(t *testing.T) {
	path := testshared.Path(t, "data", "sentiment_ar", "ajgt", "ajgt_shared.csv")
	var buf bytes.Buffer
	rep, err := EvalClassifier(context.Background(), "sentiment", path, ClassifierOptions{Rows: &buf})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var r ScoredRow
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		counts[r.Split]++
		if (r.Split == "held_out") != (r.Label != "") {
			t.Errorf("line %d: split %s, label %q", r.Line, r.Split, r.Label)
		}
		if r.Label == "neutral" {
			t.Errorf("line %d: neutral predicted on a set without neutral", r.Line)
		}
		if r.Split == "held_out" && math.Abs(r.Probs["positive"]+r.Probs["negative"]-1) > 2e-4 {
			t.Errorf("line %d: probs %v not renormalised over the gold labels", r.Line, r.Probs)
		}
	}
	if counts["held_out"] != rep.N || counts["train"] == 0 || counts["held_out"]+counts["train"] != 1260 {
		t.Errorf("splits %v, report n %d", counts, rep.N)
	}
	if !strings.Contains(rep.Note, "no neutral rows") {
		t.Errorf("note %q does not say the labels were restricted", rep.Note)
	}
	if rep.ECE <= 0 || rep.ECE > 0.2 {
		t.Errorf("ECE %v on held-out AJGT rows", rep.ECE)
	}
}
