package validate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsds/newsds/corpus"
)

// Run names the option at fault, so that a CLI can name its own flag; and finds the
// corpus around WorkDir when no path is given.
func TestRunOptionErrors(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "corpus")
	if err := corpus.Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "notes")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, RunOptions{WorkDir: sub})
	if err != nil || rep.Kind != KindCorpus || rep.Target != root {
		t.Fatalf("Run from a sub-folder: %+v, %v", rep, err)
	}
	for _, tc := range []struct {
		o      RunOptions
		option string
	}{
		{RunOptions{WorkDir: root, Version: "v9"}, "Version"},
		{RunOptions{WorkDir: t.TempDir()}, "Path"},
		{RunOptions{WorkDir: root, Path: "missing.json"}, "Path"},
		{RunOptions{WorkDir: root, RulesFile: "missing.yaml"}, "RulesFile"},
	} {
		_, err := Run(ctx, tc.o)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != tc.option {
			t.Errorf("Run(%+v) = %v, want an OptionError on %s", tc.o, err, tc.option)
		}
	}
}
