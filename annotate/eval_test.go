package annotate

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// TestEvalSharedSets scores the shipped models on every shared gold set and requires
// each to beat its majority baseline on macro-F1. `go test -run EvalSharedSets -v`
// prints the table reported in the README.
func TestEvalSharedSets(t *testing.T) {
	sets := []struct {
		kind string
		rel  []string
	}{
		{"sentiment", []string{"data", "sentiment_ar", "arsarcasm_v2", "training_data.csv"}},
		{"sentiment", []string{"data", "sentiment_ar", "ajgt", "ajgt_shared.csv"}},
		{"stance", []string{"data", "stance_ar", "ans", "stance", "dev.csv"}},
		{"stance", []string{"data", "stance_en", "perspectrum", "perspective_stance_dev.tsv"}},
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-10s %-45s %5s %8s %8s %8s %8s\n", "kind", "file", "n", "acc", "macroF1", "base_acc", "base_F1")
	for _, s := range sets {
		path := testshared.Path(t, s.rel...)
		rep, err := EvalClassifier(context.Background(), s.kind, path, ClassifierOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&table, "%-10s %-45s %5d %8.3f %8.3f %8.3f %8.3f\n", s.kind, filepath.Join(s.rel[len(s.rel)-2:]...),
			rep.N, rep.Accuracy, rep.MacroF1, rep.BaselineAccuracy, rep.BaselineMacroF1)
		if rep.Note != "" {
			fmt.Fprintf(&table, "           note: %s\n", rep.Note)
		}
		if rep.MacroF1 <= rep.BaselineMacroF1 {
			t.Errorf("%s: macro-F1 %.3f does not beat the majority baseline %.3f", path, rep.MacroF1, rep.BaselineMacroF1)
		}
	}
	qa, err := EvalQA(context.Background(), QAEvalOptions{Gold: []string{testshared.Path(t, "seed", "gold")}, Load: seedLoader(t)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(qa)
	fmt.Fprintf(&table, "qa seed gold: %s\n", b)
	t.Log(table.String())
	if qa.F1 != 1 || qa.RoleAccuracy != 1 || qa.SpeakerAccuracy != 1 {
		t.Errorf("qa on the seed gold: %s, want all 1", b)
	}
}

func TestScoreLabelsByHand(t *testing.T) {
	gold := []string{"positive", "positive", "negative", "negative", "neutral"}
	pred := []string{"positive", "negative", "negative", "negative", "positive"}
	rep := scoreLabels(gold, pred)
	// accuracy 3/5; F1 positive 0.5, negative 0.8, neutral 0 → macro 1.3/3.
	// Majority: negative and positive tie at 2, the first in sorted order wins:
	// accuracy 2/5, F1 negative 2·0.4·1/1.4 = 4/7, macro 4/21.
	want := EvalReport{N: 5, Accuracy: 0.6, MacroF1: 1.3 / 3, BaselineAccuracy: 0.4, BaselineMacroF1: 4.0 / 21, Majority: "negative"}
	if !approx(rep.Accuracy, want.Accuracy) || !approx(rep.MacroF1, want.MacroF1) || !approx(rep.BaselineAccuracy, want.BaselineAccuracy) ||
		!approx(rep.BaselineMacroF1, want.BaselineMacroF1) || rep.Majority != want.Majority || rep.N != 5 {
		t.Errorf("got %+v\nwant %+v", rep, want)
	}
	b, _ := json.Marshal(rep)
	for _, k := range []string{`"n":`, `"accuracy":`, `"macro_f1":`, `"baseline_accuracy":`, `"baseline_macro_f1":`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMapLabel(t *testing.T) {
	for _, tt := range []struct{ kind, in, want string }{
		{"sentiment", "NEG", "negative"}, {"sentiment", "Negative", "negative"}, {"sentiment", "NEU", "neutral"},
		{"sentiment", "Neutral", "neutral"}, {"sentiment", "POS", "positive"}, {"sentiment", " Positive ", "positive"},
		{"stance", "agree", "favor"}, {"stance", "SUPPORT", "favor"}, {"stance", "disagree", "against"},
		{"stance", "UNDERMINE", "against"}, {"stance", "other", "neutral"},
	} {
		if got, err := MapLabel(tt.kind, tt.in); err != nil || got != tt.want {
			t.Errorf("MapLabel(%s, %q) = %q, %v; want %q", tt.kind, tt.in, got, err, tt.want)
		}
	}
	for _, bad := range [][2]string{{"sentiment", "agree"}, {"stance", "POS"}, {"emotion", "joy"}} {
		if _, err := MapLabel(bad[0], bad[1]); err == nil {
			t.Errorf("MapLabel(%s, %q): no error", bad[0], bad[1])
		}
	}
}

func TestReadLabelled(t *testing.T) {
	dir := t.TempDir()
	tsv := filepath.Join(dir, "pairs.tsv")
	body := "claim_id\tclaim\tperspective_id\tperspective\tstance_label_3\n" +
		"1\tTaxes should rise\t7\t\"He said \"\"no\"\" twice\"\tUNDERMINE\n" +
		"1\tTaxes should rise\t8\tSchools need money\tSUPPORT\n"
	if err := os.WriteFile(tsv, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, err := readLabelled(tsv, "stance", ClassifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []labelledRow{
		{Line: 2, Text: `He said "no" twice`, Target: "Taxes should rise", Label: "against"},
		{Line: 3, Text: "Schools need money", Target: "Taxes should rise", Label: "favor"},
	}
	if !reflect.DeepEqual(tab.Rows, want) {
		t.Errorf("rows %+v\nwant %+v", tab.Rows, want)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("tweet,sentiment\nfine,POS\nodd,MAYBE\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readLabelled(bad, "sentiment", ClassifierOptions{}); err == nil || !strings.Contains(err.Error(), "bad.csv:3") || !strings.Contains(err.Error(), "MAYBE") {
		t.Errorf("bad label: %v, want an error at bad.csv:3 naming MAYBE", err)
	}
	if _, err := readLabelled(bad, "sentiment", ClassifierOptions{TextColumn: "body"}); err == nil || !strings.Contains(err.Error(), `"body"`) {
		t.Errorf("missing column: %v", err)
	}
	if _, err := EvalClassifier(context.Background(), "emotion", bad, ClassifierOptions{}); err == nil {
		t.Error("unknown kind: no error")
	}
}

func TestEvalQAFixture(t *testing.T) {
	rep, err := EvalQA(context.Background(), QAEvalOptions{Gold: []string{filepath.Join("testdata", "builtin", "qa_eval", "gold")}})
	if err != nil {
		t.Fatal(err)
	}
	// 4 predicted turns all match gold turns 1-4; gold turn 5 is missed: P 1, R 4/5.
	// Turn 4's gold role and speaker differ from the prediction: role and speaker 3/4.
	if rep.Turns != 5 || rep.Predicted != 4 || rep.Matched != 4 || !approx(rep.Precision, 1) || !approx(rep.Recall, 0.8) ||
		!approx(rep.F1, 2*0.8/1.8) || !approx(rep.RoleAccuracy, 0.75) || !approx(rep.SpeakerAccuracy, 0.75) {
		b, _ := json.Marshal(rep)
		t.Errorf("got %s", b)
	}
	b, _ := json.Marshal(rep)
	for _, k := range []string{`"turns":`, `"precision":`, `"recall":`, `"f1":`, `"role_accuracy":`, `"speaker_accuracy":`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
	if _, err := EvalQA(context.Background(), QAEvalOptions{Gold: []string{t.TempDir()}}); err == nil {
		t.Error("empty gold folder: no error")
	}
}

func TestNormTurnText(t *testing.T) {
	for in, want := range map[string]string{
		"س: ما رأيك؟":               "ما رأيك؟",
		"•• Q:  Why   now?":         "Why now?",
		"The Economist: So, what?":  "So, what?",
		"ـ نعم\nبالتأكيد":           "نعم بالتأكيد",
		"Rick: What first drew you": "What first drew you",
		// A transcript's timestamp before the label goes with it.
		"[00:01:02] Maya Chen: Where were you?": "Where were you?",
		"14:05 GMT: the vote is delayed":        "14:05 GMT: the vote is delayed",
	} {
		if got := normTurnText(in); got != want {
			t.Errorf("normTurnText(%q) = %q, want %q", in, got, want)
		}
	}
}

// EvalQA follows the speaker convention of the shared data README: NFC on both sides,
// parenthesised parts set aside, the outlet in parentheses accepted; JSON files of the
// gold folder that are not gold objects are skipped with a warning naming them.
func TestEvalQAConvention(t *testing.T) {
	rep, err := EvalQA(context.Background(), QAEvalOptions{Gold: []string{filepath.Join("testdata", "qa_eval", "gold")}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep)
	// nfc.json: six turns whose text_start is in source order; one gold speaker is the
	// outlet alone. record.json: the byline comes from the upstream record.
	if rep.Files != 2 || rep.Turns != 12 || rep.Matched != 12 || !approx(rep.F1, 1) || !approx(rep.SpeakerAccuracy, 11.0/12) {
		t.Errorf("got %s", b)
	}
	if len(rep.PerFile) != 2 || rep.PerFile[0].Gold != "nfc.json" || !approx(rep.PerFile[0].SpeakerAccuracy, 5.0/6) ||
		!approx(rep.PerFile[0].F1, 1) || !approx(rep.PerFile[1].SpeakerAccuracy, 1) {
		t.Errorf("per file: %+v", rep.PerFile)
	}
	if len(rep.Warnings) != 4 {
		t.Errorf("warnings %q, want 4", rep.Warnings)
	}
	for _, name := range []string{"broken.json", "config.json", "notes.json", "wrong_type.json"} {
		found := false
		for _, w := range rep.Warnings {
			found = found || strings.Contains(w, name)
		}
		if !found {
			t.Errorf("no warning names %s: %q", name, rep.Warnings)
		}
	}
	// Named on its own, a file that is not a gold object is an error, not a warning.
	if _, err := EvalQA(context.Background(), QAEvalOptions{Gold: []string{filepath.Join("testdata", "qa_eval", "gold", "notes.json")}}); err == nil || !strings.Contains(err.Error(), "notes.json") {
		t.Errorf("single non-gold file: %v", err)
	}
	// Several folders are scored together.
	both, err := EvalQA(context.Background(), QAEvalOptions{Gold: []string{filepath.Join("testdata", "qa_eval", "gold"), filepath.Join("testdata", "builtin", "qa_eval", "gold")}})
	if err != nil || both.Files != 3 || both.Turns != 17 {
		t.Errorf("two folders: %d files, %d turns, %v", both.Files, both.Turns, err)
	}
}

func TestSpeakerMatches(t *testing.T) {
	const shaddaKasra, kasraShadda = "محمد الحر\u0651\u0650ي", "محمد الحر\u0650\u0651ي"
	for _, tt := range []struct {
		pred, gold string
		want       bool
	}{
		{"أسماء الغابري", "أسماء الغابري (الشرق الأوسط)", true},
		{"الشرق الأوسط", "أسماء الغابري (الشرق الأوسط)", true},
		{"«الشرق الأوسط»", "أسماء الغابري (الشرق الأوسط)", true},
		{"أسماء", "أسماء الغابري (الشرق الأوسط)", false},
		{"إدوارد نورتون", "إدوارد نورتون (Edward Norton)", true},
		{"The Economist", "The Economist", true},
		{" Rick   Evans ", "Rick Evans", true},
		{kasraShadda, shaddaKasra, true},
		{"", "Rick Evans", false},
		{"Rick", "Rick Evans", false},
	} {
		if got := speakerMatches(tt.pred, tt.gold); got != tt.want {
			t.Errorf("speakerMatches(%q, %q) = %v, want %v", tt.pred, tt.gold, got, tt.want)
		}
	}
}
