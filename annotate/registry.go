package annotate

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// Spec is everything a factory may need to build the annotator the user named.
type Spec struct {
	// Name is the name given to `annotate --with`.
	Name string
	// Config is the corpus's newsds.yaml; nil means the defaults.
	Config *config.Config
	// External is the annotators.NAME entry of newsds.yaml for a configured annotator,
	// nil for a built-in.
	External *config.ExternalAnnotator
	// Root is the corpus root: relative paths in newsds.yaml are resolved against it,
	// and command annotators run there.
	Root string
	// Targets is the stance targets file given on the command line ("" falls back to
	// targets: in newsds.yaml).
	Targets string
	// Cache keeps the results of external annotators; nil disables caching.
	Cache Cache
	// SentimentModel and StanceModel replace the shipped model files.
	SentimentModel, StanceModel string
}

// Factory builds an annotator of one kind.
type Factory func(Spec) (Annotator, error)

// Registry maps annotator kinds to their factories. Built-in kinds are named like the
// annotator (qa, sentiment, stance); external kinds are the values of
// annotators.NAME.type in newsds.yaml (command, http).
type Registry struct {
	kinds   map[string]Factory
	builtin []string
}

// NewRegistry returns a registry holding newsds's own kinds. Adding a kind is one file
// with its factory and one Register call where the registry is made.
func NewRegistry() *Registry {
	r := &Registry{kinds: map[string]Factory{}}
	r.Register("qa", func(Spec) (Annotator, error) { return NewQA(), nil })
	r.Register("sentiment", newSentimentFromSpec)
	r.Register("stance", newStanceFromSpec)
	r.Register("command", newExternalFromSpec)
	r.Register("http", newExternalFromSpec)
	r.builtin = BuiltinNames()
	return r
}

// Register adds or replaces the factory of kind.
func (r *Registry) Register(kind string, f Factory) { r.kinds[kind] = f }

// Kinds lists the registered kinds, sorted.
func (r *Registry) Kinds() []string { return slices.Sorted(maps.Keys(r.kinds)) }

// New builds the annotator called name: one declared under annotators: in newsds.yaml
// (by its type), else a built-in. A configured annotator can never take a built-in's
// name (config validation refuses it), so a name always means one thing.
func (r *Registry) New(name string, spec Spec) (Annotator, error) {
	spec.Name = name
	kind := name
	if spec.Config != nil {
		if ext, ok := spec.Config.Annotators[name]; ok {
			spec.External = &ext
			kind = ext.Type
		}
	}
	f, ok := r.kinds[kind]
	if !ok && spec.External == nil {
		return nil, &UnknownAnnotatorError{Name: name, Builtins: r.builtin}
	}
	if !ok {
		return nil, fmt.Errorf("annotator %s: kind %q is not registered (known: %s)", name, kind, strings.Join(r.Kinds(), ", "))
	}
	return f(spec)
}

// UnknownAnnotatorError is a name that is neither built in nor declared in newsds.yaml.
type UnknownAnnotatorError struct {
	Name     string
	Builtins []string
}

func (e *UnknownAnnotatorError) Error() string {
	return fmt.Sprintf("%s: not a built-in annotator (%s) nor one declared under annotators: in newsds.yaml", e.Name, strings.Join(e.Builtins, ", "))
}

// BuiltinNames returns the names of the built-in annotators, in order.
func BuiltinNames() []string { return schema.BuiltinAnnotators() }

// Builtin returns the built-in annotator called name with opts, without a corpus.
func Builtin(name string, opts BuiltinOptions) (Annotator, error) {
	if !slices.Contains(BuiltinNames(), name) {
		return nil, fmt.Errorf("unknown built-in annotator %q (known: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	spec := Spec{SentimentModel: opts.SentimentModel, StanceModel: opts.StanceModel}
	if name == "stance" {
		return newStance(opts.Targets, spec)
	}
	return NewRegistry().New(name, spec)
}

func newSentimentFromSpec(s Spec) (Annotator, error) {
	return NewSentiment(SentimentOptions{ModelFile: s.SentimentModel})
}

func newStanceFromSpec(s Spec) (Annotator, error) {
	path := s.Targets
	if path == "" && s.Config != nil && s.Config.Targets != "" {
		path = filepath.Join(s.Root, s.Config.Targets)
	}
	if path == "" {
		return nil, fmt.Errorf("stance needs targets: --targets FILE or targets: in newsds.yaml")
	}
	targets, err := LoadTargets(path)
	if err != nil {
		return nil, err
	}
	return newStance(targets, s)
}

func newStance(targets []Target, s Spec) (Annotator, error) {
	if len(targets) == 0 {
		return nil, fmt.Errorf("stance needs targets: give a targets file (--targets FILE)")
	}
	return NewStance(targets, StanceOptions{ModelFile: s.StanceModel, SentimentModelFile: s.SentimentModel})
}

func newExternalFromSpec(s Spec) (Annotator, error) {
	if s.External == nil {
		return nil, fmt.Errorf("annotator %s: an external annotator must be declared under annotators: in newsds.yaml", s.Name)
	}
	return NewExternalWithOptions(s.Name, *s.External, ExternalOptions{Cache: s.Cache, Dir: s.Root, Labels: Labels(s.Config, s.External.Layer)})
}
