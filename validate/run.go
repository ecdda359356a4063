package validate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/schema"
)

// RunOptions is one validation as a user asks for it: a path whose kind is detected,
// and the corpus around WorkDir, which supplies the default path and, for a release or
// an import file, the declared layers, targets and documents.
type RunOptions struct {
	// Path is the corpus, release folder or import file; empty is the corpus around
	// WorkDir. A relative path is taken from WorkDir.
	Path string
	// WorkDir is the folder relative paths and the surrounding corpus are found from.
	WorkDir string
	// RulesFile is a YAML rules file (LoadRulesFile); empty uses the defaults.
	RulesFile string
	// Version is the corpus version checked when Path is a corpus ("staged" when empty).
	Version string
	// ImportLayer, MaxErrors and Strict are those of Options.
	ImportLayer string
	MaxErrors   int
	Strict      bool
	// Progress, when set, is called after each corpus record with the number checked
	// and the version's document count (releases and import files do not report it).
	Progress func(done, total int64)
}

// OptionError is a RunOptions field that cannot be used; Option names the field
// ("Path", "RulesFile", "Version"), so that a caller can name its own flag.
type OptionError struct {
	Option string
	Value  string
	Err    error
}

func (e *OptionError) Error() string {
	if e.Value == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("%s: %v", e.Value, e.Err)
}

func (e *OptionError) Unwrap() error { return e.Err }

// Run detects what o.Path holds, gathers what checking it needs from the surrounding
// corpus (config, the store, the version a release was built from) and validates it.
// The report's Target is relative to WorkDir when it lies inside it. Every error means
// the run could not be made (exit 2 in the CLI); findings are in the report.
func Run(ctx context.Context, o RunOptions) (*Report, error) {
	if o.Version == "" {
		o.Version = "staged"
	}
	wd := o.WorkDir
	root, rootErr := corpus.FindRoot(wd)
	path := o.Path
	switch {
	case path == "" && rootErr != nil:
		return nil, &OptionError{Option: "Path", Err: fmt.Errorf("no PATH given and %w", rootErr)}
	case path == "":
		path = root
	case !filepath.IsAbs(path):
		path = filepath.Join(wd, path)
	}
	kind, err := Detect(path)
	if err != nil {
		return nil, &OptionError{Option: "Path", Err: err}
	}
	opts := Options{MaxErrors: o.MaxErrors, Strict: o.Strict, ImportLayer: o.ImportLayer}
	if o.RulesFile != "" {
		rp := o.RulesFile
		if !filepath.IsAbs(rp) {
			rp = filepath.Join(wd, rp)
		}
		if opts.Rules, err = LoadRulesFile(rp); err != nil {
			return nil, &OptionError{Option: "RulesFile", Err: err}
		}
	}
	target := Target{Kind: kind, Path: path}
	if kind == KindCorpus {
		root, rootErr = path, nil
	}
	var st *corpus.Store
	if rootErr == nil && (kind == KindCorpus || kind == KindImport) {
		if st, err = corpus.Open(ctx, root); err != nil {
			return nil, fmt.Errorf("open corpus %s: %w", root, err)
		}
		defer st.Close()
		if err := useConfig(&opts, root, st.Config()); err != nil {
			return nil, err
		}
	} else if rootErr == nil {
		cfg, err := config.Load(root)
		if err != nil {
			return nil, err
		}
		if err := useConfig(&opts, root, cfg); err != nil {
			return nil, err
		}
	}
	switch kind {
	case KindCorpus:
		v, err := st.ResolveVersion(ctx, o.Version)
		if err != nil {
			return nil, &OptionError{Option: "Version", Value: o.Version, Err: err}
		}
		target.Records = counted(st.Records(ctx, o.Version), int64(v.Documents), o.Progress)
	case KindImport:
		if st == nil {
			return nil, &OptionError{Option: "Path", Err: fmt.Errorf("%s: an annotation file is checked against the corpus it annotates: run inside the corpus or give -C", o.Path)}
		}
		opts.ParseImport = AnnotateImporter(stagedDocs{st})
		target.Lookup = versionLookup(st, "staged")
	case KindRelease:
		// Inside the corpus a release was built from, its rows are checked against that
		// version too (documents the corpus marks as duplicates).
		m, err := datasets.ReadManifest(path)
		if rootErr != nil || err != nil {
			break
		}
		if st, err = corpus.Open(ctx, root); err != nil {
			return nil, fmt.Errorf("open corpus %s: %w", root, err)
		}
		defer st.Close()
		if v, err := st.ResolveVersion(ctx, m.Corpus.Version); err == nil && v.CreatedAt.Equal(m.Corpus.CreatedAt) {
			target.Lookup = versionLookup(st, m.Corpus.Version)
		}
	}
	report, err := Validate(ctx, target, opts)
	if err != nil {
		return nil, err
	}
	// Findings are relative to the working folder where that is shorter, so that GitHub
	// attaches them to the files in the repository.
	if rel, err := filepath.Rel(wd, report.Target); err == nil && !strings.HasPrefix(rel, "..") {
		report.Target = rel
	}
	return report, nil
}

// counted reports the progress of a record stream.
func counted(recs iter.Seq2[schema.Record, error], total int64, progress func(done, total int64)) iter.Seq2[schema.Record, error] {
	if progress == nil {
		return recs
	}
	return func(yield func(schema.Record, error) bool) {
		var done int64
		for rec, err := range recs {
			done++
			progress(done, total)
			if !yield(rec, err) {
				return
			}
		}
	}
}

// useConfig takes the declared layers and stance targets from newsds.yaml.
func useConfig(opts *Options, root string, cfg *config.Config) error {
	opts.Layers = map[string]LayerSpec{}
	for _, name := range slices.Sorted(maps.Keys(cfg.Layers)) {
		l := cfg.Layers[name]
		opts.Layers[name] = LayerSpec{Labels: l.Labels, Overlap: l.Overlap}
	}
	if cfg.Targets == "" {
		return nil
	}
	path := cfg.Targets
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	names, err := LoadTargets(path)
	if err != nil {
		return fmt.Errorf("newsds.yaml targets: %w", err)
	}
	opts.Targets, opts.TargetsFile = names, cfg.Targets
	return nil
}

// stagedDocs gives the importer the staged text of a document.
type stagedDocs struct{ st *corpus.Store }

func (l stagedDocs) Document(ctx context.Context, id string) (schema.Document, error) {
	return l.st.Document(ctx, "staged", id)
}

// versionLookup finds documents of one corpus version for the validator.
func versionLookup(st *corpus.Store, version string) func(context.Context, string) (schema.Document, bool, error) {
	return func(ctx context.Context, id string) (schema.Document, bool, error) {
		doc, err := st.Document(ctx, version, id)
		if errors.Is(err, corpus.ErrNotFound) {
			return schema.Document{}, false, nil
		}
		return doc, err == nil, err
	}
}
