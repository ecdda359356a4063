package validate

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
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
	if layer == schema.LayerQA {
		return true
	}
	spec, ok := v.layers[layer]
	return ok && !spec.Overlap
}

// LoadTargets reads a stance targets file (a YAML list of {name, aliases}) and returns
// the target names.
func LoadTargets(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read targets file: %w", err)
	}
	var list []struct {
		Name    string   `yaml:"name"`
		Aliases []string `yaml:"aliases"`
	}
	if err := yaml.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, true))
	}
	names := make([]string, 0, len(list))
	for i, t := range list {
		if strings.TrimSpace(t.Name) == "" {
			return nil, fmt.Errorf("%s: target %d has no name", path, i+1)
		}
		names = append(names, t.Name)
	}
	slices.Sort(names)
	return names, nil
}
