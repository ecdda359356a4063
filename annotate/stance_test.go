package annotate

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsds/newsds/schema"
)

func exampleTargets(t *testing.T) []Target {
	t.Helper()
	targets, err := LoadTargets(filepath.Join("..", "examples", "targets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return targets
}

func TestStanceSeed(t *testing.T) {
	doc := seedDocument(t)
	a, err := NewStance(exampleTargets(t), StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items, err := a.Annotate(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		t.Logf("%s %s %.3f %q", it.Attrs[schema.AttrTarget], it.Label, *it.Score, it.Text)
	}
}
