package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/schema"
	"github.com/newsds/newsds/validate"
)

// validateOptions are the flags of `newsds validate`.
type validateOptions struct {
	Path      string
	Rules     string
	Format    string
	MaxErrors int
	Strict    bool
	// Version is the corpus version validated ("staged": the working set).
	Version string
	// Layer is the layer an annotation import file is for.
	Layer     string
	ListRules bool
}

const validateHelp = `Check a corpus, a release folder or an annotation import file (Label Studio JSON,
doccano JSONL, newsds JSONL) against newsds's rules: documents (ids, dates, language
codes, URLs, UTF-8 and NFC text, content hashes), spans (bounds, text, overlap, Q&A turn
order and roles, stale spans), labels (label sets, scores, stance targets), thresholds
from the rules file (coverage, agreement, label share), release files (card configs and
counts, Parquet schema and features, sha256 in checksums.sha256 and croissant.json,
split names, documents in two splits, excluded duplicates) and CEL rules of your own.

PATH defaults to the corpus around the working folder; what it holds is detected. The
rules file, the JSON schema of --format json and a CI workflow are in docs/validate.md.

Exit codes: 0 clean, 1 error-level findings (or warnings with --strict), 2 usage
problems, a bad rules file, or a PATH that cannot be read at all. A corrupt file inside
a release or corpus is a finding (exit 1) naming the file.`

func newValidateCmd(g *globalOptions) *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate [PATH] [--rules FILE] [--format text|json|github|junit] [--max-errors N] [--strict]",
		Short: "Check a corpus, a release or an annotations file and report located findings",
		Long:  validateHelp,
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(validate.Formats, o.Format) {
				return usageError("--format %q: want one of %s", o.Format, strings.Join(validate.Formats, ", "))
			}
			if o.MaxErrors < 0 {
				return usageError("--max-errors %d: want 0 (no limit) or more", o.MaxErrors)
			}
			if len(args) == 1 {
				o.Path = args[0]
			}
			return runValidate(cmd.Context(), g, o)
		},
	}
	cmd.Flags().StringVar(&o.Rules, "rules", "", "YAML rules `FILE`: re-level or turn off rules, thresholds, CEL rules")
	cmd.Flags().StringVar(&o.Format, "format", validate.FormatText, "output: text, json, github (workflow commands) or junit (XML)")
	cmd.Flags().IntVar(&o.MaxErrors, "max-errors", 0, "stop after `N` error-level findings (0: no limit)")
	cmd.Flags().BoolVar(&o.Strict, "strict", false, "warnings fail the run too")
	cmd.Flags().StringVar(&o.Version, "version", "staged", "corpus version to check (v3, 3, a tag, latest, staged)")
	cmd.Flags().StringVar(&o.Layer, "layer", "", "layer of a Label Studio or doccano file's labels")
	cmd.Flags().BoolVar(&o.ListRules, "list-rules", false, "list the built-in rules and exit")
	return cmd
}

func runValidate(ctx context.Context, g *globalOptions, o validateOptions) error {
	if o.ListRules {
		for _, r := range validate.Rules() {
			fmt.Fprintf(g.IO.Out, "%-26s %-8s %s\n", r.ID, r.Default, r.Description)
		}
		return nil
	}
	wd, err := g.workDir()
	if err != nil {
		return usageError("working folder: %v", err)
	}
	// The corpus around the working folder supplies the default PATH and, for a release
	// or an import file, the declared layers, targets and documents.
	root, rootErr := corpus.FindRoot(wd)
	path := o.Path
	switch {
	case path == "" && rootErr != nil:
		return usageError("no PATH given and %v", rootErr)
	case path == "":
		path = root
	case !filepath.IsAbs(path):
		path = filepath.Join(wd, path)
	}
	kind, err := validate.Detect(path)
	if err != nil {
		return usageError("%v", err)
	}
	opts := validate.Options{MaxErrors: o.MaxErrors, Strict: o.Strict, ImportLayer: o.Layer}
	if o.Rules != "" {
		rp := o.Rules
		if !filepath.IsAbs(rp) {
			rp = filepath.Join(wd, rp)
		}
		if opts.Rules, err = validate.LoadRulesFile(rp); err != nil {
			return usageError("%v", err)
		}
	}
	target := validate.Target{Kind: kind, Path: path}
	if kind == validate.KindCorpus {
		root, rootErr = path, nil
	}
	var st *corpus.Store
	if rootErr == nil && (kind == validate.KindCorpus || kind == validate.KindImport) {
		if st, err = corpus.Open(ctx, root); err != nil {
			return usageError("open corpus %s: %v", root, err)
		}
		defer st.Close()
		if err := useConfig(&opts, root, st.Config()); err != nil {
			return usageError("%v", err)
		}
	} else if rootErr == nil {
		cfg, err := config.Load(root)
		if err != nil {
			return usageError("%v", err)
		}
		if err := useConfig(&opts, root, cfg); err != nil {
			return usageError("%v", err)
		}
	}
	switch kind {
	case validate.KindCorpus:
		if _, err := st.ResolveVersion(ctx, o.Version); err != nil {
			return usageError("--version %s: %v", o.Version, err)
		}
		target.Records = st.Records(ctx, o.Version)
	case validate.KindImport:
		if st == nil {
			return usageError("%s: an annotation file is checked against the corpus it annotates: run inside the corpus or give -C", o.Path)
		}
		opts.ParseImport = validate.AnnotateImporter(storeLookup{st})
		target.Lookup = versionLookup(st, "staged")
	case validate.KindRelease:
		// Inside the corpus a release was built from, its rows are checked against that
		// version too (documents the corpus marks as duplicates).
		m, err := datasets.ReadManifest(path)
		if rootErr != nil || err != nil {
			break
		}
		if st, err = corpus.Open(ctx, root); err != nil {
			return usageError("open corpus %s: %v", root, err)
		}
		defer st.Close()
		if v, err := st.ResolveVersion(ctx, m.Corpus.Version); err == nil && v.CreatedAt.Equal(m.Corpus.CreatedAt) {
			target.Lookup = versionLookup(st, m.Corpus.Version)
		}
	}
	report, err := validate.Validate(ctx, target, opts)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return usageError("%v", err)
	}
	// Findings are relative to the working folder where that is shorter, so that GitHub
	// attaches them to the files in the repository.
	if rel, err := filepath.Rel(wd, report.Target); err == nil && !strings.HasPrefix(rel, "..") {
		report.Target = rel
	}
	if err := validate.Write(g.IO.Out, report, o.Format, validate.WriteOptions{Color: g.IO.OutTTY}); err != nil {
		return err
	}
	if o.Format != validate.FormatText && g.IO.ErrTTY {
		fmt.Fprintln(g.IO.ErrOut, report.Summary())
	}
	if report.ExitCode != validate.ExitClean {
		return withCode(report.ExitCode, nil)
	}
	return nil
}

// useConfig takes the declared layers and stance targets from newsds.yaml.
func useConfig(opts *validate.Options, root string, cfg *config.Config) error {
	opts.Layers = map[string]validate.LayerSpec{}
	for _, name := range slices.Sorted(maps.Keys(cfg.Layers)) {
		l := cfg.Layers[name]
		opts.Layers[name] = validate.LayerSpec{Labels: l.Labels, Overlap: l.Overlap}
	}
	if cfg.Targets == "" {
		return nil
	}
	path := cfg.Targets
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	names, err := validate.LoadTargets(path)
	if err != nil {
		return fmt.Errorf("newsds.yaml targets: %w", err)
	}
	opts.Targets, opts.TargetsFile = names, cfg.Targets
	return nil
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
