package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"runtime"
	"slices"
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

// TestChooseOffsetsMovesBoundaryForRareClass: validation logits that under-predict a
// rare class (its rows score 0.5 below the common class) get an offset that recovers
// it, and the model applies the offset in predict.
func TestChooseOffsetsMovesBoundaryForRareClass(t *testing.T) {
	m := &linearModel{modelHeader: modelHeader{Labels: []string{"common", "rare"}, Temperature: 1}}
	vs := &valScorer{k: 2, masks: [][]bool{nil}, nf: 1}
	for i := range 100 {
		y, z := 0, []float64{1, 0}
		if i%10 == 0 { // rare rows: still below the common class, but less so
			y, z = 1, []float64{1, 0.5}
		}
		vs.zs, vs.ys, vs.files = append(vs.zs, z), append(vs.ys, y), append(vs.files, 0)
	}
	off, f1 := vs.chooseOffsets()
	if before := vs.meanF1([]float64{0, 0}); !(f1 > before) || f1 < 0.99 {
		t.Fatalf("macro-F1 %v with offsets %v, %v without", f1, off, before)
	}
	if off[0] != 0 || !(off[1] > 0.5 && off[1] <= 1) {
		t.Errorf("offsets %v, want class 0 fixed and class 1 moved past 0.5 and no further than needed", off)
	}
	m.Offsets, m.Bias, m.W = off, []float32{1, 0.5}, make([]float32, 2)
	if p := m.predict([]feature{{0, 0}}); p[1] <= p[0] {
		t.Errorf("predict ignores the offsets: %v", p)
	}
}

// TestDecodeModelRejectsBadOffsets: offsets come from a file and must fit the labels.
func TestDecodeModelRejectsBadOffsets(t *testing.T) {
	m := &linearModel{modelHeader: modelHeader{Task: "sentiment", Labels: []string{"a", "b"}, Bits: 8, Temperature: 1, Offsets: []float64{0, 1, 2}},
		W: make([]float32, 2<<8), Bias: make([]float32, 2), IDF: make([]float32, 1<<8)}
	b, err := m.encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeModel(b); err == nil || !strings.Contains(err.Error(), "offsets") {
		t.Errorf("3 offsets for 2 labels: %v", err)
	}
}

// TestLossGradSameOnAnyCoreCount: the gradient is summed over a fixed split of the
// examples, so the shipped model files do not depend on the machine that trains them.
func TestLossGradSameOnAnyCoreCount(t *testing.T) {
	var ex []trainExample
	for i := range 103 {
		ex = append(ex, trainExample{x: []feature{{uint32(i % 7), 0.3}, {uint32(7 + i%5), 0.9}}, y: i % 3})
	}
	theta := make([]float64, 12*3+3)
	for i := range theta {
		theta[i] = math.Sin(float64(i))
	}
	run := func(procs int) ([]float64, float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		cs := compact(ex, 3, "balanced")
		g := make([]float64, len(theta))
		return g, cs.lossGrad(theta, g, 2)
	}
	g1, l1 := run(1)
	g4, l4 := run(4)
	if l1 != l4 || !slices.Equal(g1, g4) {
		t.Errorf("loss %v vs %v; gradients differ: %v", l1, l4, !slices.Equal(g1, g4))
	}
}
