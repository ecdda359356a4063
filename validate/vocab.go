package validate

import (
	"maps"
	"slices"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

// vocabulary is what the layers may say: label sets, overlap policy and stance targets.
type vocabulary struct {
	layers      map[string]LayerSpec
	targets     map[string]bool // nil: unknown, stance-target not checked
	targetsFile string
}

func newVocabulary(opts *Options) (*vocabulary, error) {
	v := &vocabulary{layers: map[string]LayerSpec{}}
	maps.Copy(v.layers, opts.Layers)
	if opts.Targets != nil {
		v.targets = map[string]bool{}
		for _, t := range opts.Targets {
			v.targets[t] = true
		}
		v.targetsFile = opts.TargetsFile
	}
	if rf := opts.Rules; rf != nil {
		maps.Copy(v.layers, rf.Layers)
		if rf.Targets != "" {
			names, err := LoadTargets(rf.Targets)
			if err != nil {
				return nil, err
			}
			if v.targets == nil {
				v.targets = map[string]bool{}
			}
			for _, t := range names {
				v.targets[t] = true
			}
			v.targetsFile = rf.Targets
		}
	}
	return v, nil
}

// labels returns the declared labels of layer, or nil when it declares none.
func (v *vocabulary) labels(layer string) []string {
	if l := schema.LabelSet(layer); l != nil {
		return l
	}
	return v.layers[layer].Labels
}

// noOverlap reports whether spans of layer must not overlap: Q&A turns never do, and a
// declared user layer only when it says overlap: true.
func (v *vocabulary) noOverlap(layer string) bool {
	spec, ok := v.layers[layer]
	return schema.SpansMustNotOverlap(layer, ok, spec.Overlap)
}

// LoadTargets reads a stance targets file with annotate's reader (the one definition
// of the format: a YAML list of {name, aliases, claim}, or that list under targets:)
// and returns the target names, sorted.
func LoadTargets(path string) ([]string, error) {
	targets, err := annotate.LoadTargets(path)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(targets))
	for _, t := range targets {
		names = append(names, t.Name)
	}
	slices.Sort(names)
	return names, nil
}
