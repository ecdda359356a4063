package annotate

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
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
	qa, err := EvalQA(context.Background(), QAEvalOptions{Gold: testshared.Path(t, "seed", "gold"), Load: seedLoader(t)})
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
