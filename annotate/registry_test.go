package annotate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// emotionAnnotator stands for a kind a program adds: its own file, one Register call.
type emotionAnnotator struct{}

func (emotionAnnotator) Info() schema.Annotator {
	return schema.Annotator{Name: "emotion", Version: "1", Kind: schema.KindRule}
}
func (emotionAnnotator) Layer() string { return "emotion" }
func (emotionAnnotator) Annotate(context.Context, *schema.Document) ([]schema.Item, error) {
	return nil, nil
}

func TestRegistryResolvesNames(t *testing.T) {
	reg := NewRegistry()
	if a, err := reg.New("qa", Spec{}); err != nil || a.Layer() != schema.LayerQA {
		t.Fatalf("qa: %v, %v", a, err)
	}
	var unknown *UnknownAnnotatorError
	if _, err := reg.New("emotion", Spec{}); !errors.As(err, &unknown) {
		t.Fatalf("an unregistered name: %v, want UnknownAnnotatorError", err)
	}
	// An external kind is not a name the user can give without declaring it.
	if _, err := reg.New("http", Spec{}); err == nil || !strings.Contains(err.Error(), "declared under annotators:") {
		t.Fatalf("bare http: %v", err)
	}
	reg.Register("emotion", func(Spec) (Annotator, error) { return emotionAnnotator{}, nil })
	if a, err := reg.New("emotion", Spec{}); err != nil || a.Layer() != "emotion" {
		t.Fatalf("registered kind: %v, %v", a, err)
	}

	cfg, err := config.Parse("newsds.yaml", []byte("annotators:\n  my-model:\n    type: http\n    url: http://127.0.0.1:1/\n    layer: sentiment\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := reg.New("my-model", Spec{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.(*External); !ok || a.Info().Name != "my-model" || a.Layer() != schema.LayerSentiment {
		t.Fatalf("configured annotator: %T %+v", a, a.Info())
	}
	if _, err := reg.New("stance", Spec{Config: cfg}); err == nil || !strings.Contains(err.Error(), "targets") {
		t.Fatalf("stance without targets: %v", err)
	}
}
