package annotate

import (
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
)

// Target is a stance target: a name and the other ways articles write it, in any
// language ("قطر": Qatar, الدوحة, دولة قطر).
type Target struct {
	Name    string   `yaml:"name" json:"name"`
	Aliases []string `yaml:"aliases" json:"aliases,omitempty"`
	// Claim, when set, is a proposition about the target ("Qatar's mediation helps end
	// the crisis"); mention sentences are then scored for or against it by the
	// claim–sentence model instead of by their sentiment.
	Claim string `yaml:"claim" json:"claim,omitempty"`
}

// LoadTargets reads a targets file: a YAML list of {name, aliases}, or a mapping with
// that list under "targets". Syntax errors carry the line; an empty or duplicate name
// is reported with the target's position.
func LoadTargets(path string) ([]Target, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	var targets []Target
	if err := yaml.UnmarshalWithOptions(raw, &targets, yaml.DisallowUnknownField()); err != nil {
		var wrapped struct {
			Targets []Target `yaml:"targets"`
		}
		if err2 := yaml.UnmarshalWithOptions(raw, &wrapped, yaml.DisallowUnknownField()); err2 != nil {
			return nil, fmt.Errorf("targets %s: %s", path, yaml.FormatError(err, false, false))
		}
		targets = wrapped.Targets
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("targets %s: no targets", path)
	}
	if err := checkTargets(targets); err != nil {
		return nil, fmt.Errorf("targets %s: %w", path, err)
	}
	return targets, nil
}

// checkTargets rejects empty or duplicate names and aliases with no word in them.
func checkTargets(targets []Target) error {
	seen := map[string]int{}
	for i, t := range targets {
		name := strings.TrimSpace(t.Name)
		if name == "" {
			return fmt.Errorf("target %d: empty name", i+1)
		}
		if j, ok := seen[fold(name)]; ok {
			return fmt.Errorf("target %d (%q): same name as target %d", i+1, name, j+1)
		}
		seen[fold(name)] = i
		for _, a := range t.Aliases {
			if len(tokens(a)) == 0 {
				return fmt.Errorf("target %d (%q): alias %q has no word in it", i+1, name, a)
			}
		}
	}
	return nil
}

// BuiltinOptions configures Builtin.
type BuiltinOptions struct {
	// Targets are the stance targets (required for stance).
	Targets []Target
	// SentimentModel and StanceModel replace the shipped model files.
	SentimentModel string
	StanceModel    string
}
