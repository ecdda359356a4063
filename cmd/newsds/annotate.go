package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/progress"
	"github.com/newsds/newsds/schema"
)

type annotateOptions struct {
	With              []string
	Targets           string
	Docs              []string
	All               bool
	Force             bool
	IncludeDuplicates bool
	Workers           int
	MinConfidence     map[string]string
	AsJSON            bool
}

func newAnnotateCmd(g *globalOptions) *cobra.Command {
	var o annotateOptions
	cmd := &cobra.Command{
		Use:   "annotate --with qa,sentiment,stance [--targets FILE] [--docs IDS|--all]",
		Short: "Run annotators over staged documents and stage their layers",
		Long: `Run annotators over the staged documents (or the given ones), concurrently, and stage
their annotations; commit them with "newsds commit". Built-in annotators: ` + strings.Join(annotate.BuiltinNames(), ", ") + `.
External annotators are the names declared under "annotators:" in newsds.yaml. Work that
is already staged for the same annotator, parameters and text is skipped.

` + exitCodesHelp,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(o.With) == 0 {
				return usageError("--with needs at least one annotator (e.g. --with qa,sentiment,stance)")
			}
			if o.All && len(o.Docs) > 0 {
				return usageError("--docs and --all exclude each other")
			}
			return runAnnotate(cmd.Context(), g, o)
		},
	}
	cmd.Flags().StringSliceVar(&o.With, "with", nil, "annotators to run, comma-separated")
	cmd.Flags().StringVar(&o.Targets, "targets", "", "stance targets file (default: targets in newsds.yaml)")
	cmd.Flags().StringSliceVar(&o.Docs, "docs", nil, "document ids (or unambiguous id prefixes) to annotate, comma-separated")
	cmd.Flags().BoolVar(&o.All, "all", false, "annotate every staged document (the default)")
	cmd.Flags().BoolVar(&o.Force, "force", false, "re-run even where identical work is staged, and call external annotators again instead of answering from their cache")
	cmd.Flags().BoolVar(&o.IncludeDuplicates, "include-duplicates", false, "annotate documents marked as duplicates too")
	cmd.Flags().IntVar(&o.Workers, "workers", 0, "concurrent annotate calls (default: one per core)")
	cmd.Flags().BoolVar(&o.AsJSON, "json", false, "print the run summary as JSON (failures included)")
	cmd.Flags().StringToStringVar(&o.MinConfidence, "min-confidence", nil, "per layer, drop items scored below this probability (e.g. sentiment=0.6,stance=0.5); the card states it")
	return cmd
}

// buildAnnotators resolves --with names through the annotator registry.
// refresh makes external annotators call again for every document (see
// annotate.RefreshCache).
func buildAnnotators(st *corpus.Store, names []string, targetsFlag string, refresh bool) ([]annotate.Annotator, error) {
	reg := annotate.NewRegistry()
	var cache annotate.Cache = st
	if refresh {
		cache = annotate.RefreshCache{Cache: st}
	}
	spec := annotate.Spec{Config: st.Config(), Root: st.Root(), Targets: targetsFlag, Cache: cache}
	var out []annotate.Annotator
	for _, name := range names {
		a, err := reg.New(strings.TrimSpace(name), spec)
		var unknown *annotate.UnknownAnnotatorError
		if errors.As(err, &unknown) {
			return nil, usageError("--with %v", err)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// parseMinConfidence reads --min-confidence layer=p pairs; p is a probability.
func parseMinConfidence(pairs map[string]string) (map[string]float64, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := make(map[string]float64, len(pairs))
	for layer, v := range pairs {
		p, err := strconv.ParseFloat(v, 64)
		if err != nil || p < 0 || p > 1 {
			return nil, usageError("--min-confidence %s=%s: want a probability between 0 and 1", layer, v)
		}
		if layer == "qa" {
			layer = schema.LayerQA
		}
		out[layer] = p
	}
	return out, nil
}

func runAnnotate(ctx context.Context, g *globalOptions, o annotateOptions) error {
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	targets := o.Targets
	if targets != "" && !filepath.IsAbs(targets) {
		wd, _ := g.workDir()
		targets = filepath.Join(wd, targets)
	}
	anns, err := buildAnnotators(st, o.With, targets, o.Force)
	if err != nil {
		return err
	}
	minScore, err := parseMinConfidence(o.MinConfidence)
	if err != nil {
		return err
	}
	opts := annotate.RunOptions{Annotators: anns, Force: o.Force, IncludeDuplicates: o.IncludeDuplicates, Workers: o.Workers, MinScore: minScore}
	if len(o.Docs) > 0 {
		opts.DocIDs = make([]string, len(o.Docs))
		for i, ref := range o.Docs {
			if opts.DocIDs[i], err = st.ResolveDocID(ctx, "staged", ref); err != nil {
				return fmt.Errorf("--docs: %w", err)
			}
		}
	}
	var src annotate.Store = st
	bar := g.progress(progress.Options{Description: "annotating", Unit: "docs"})
	if bar != nil {
		total := int64(len(o.Docs))
		if total == 0 {
			if v, err := st.ResolveVersion(ctx, "staged"); err == nil {
				total = int64(v.Documents)
			}
		}
		bar.SetTotal(total)
		src = &countingStore{Store: st, bar: bar}
	}
	sum, runErr := annotate.Run(ctx, src, opts)
	bar.Finish()
	if sum == nil {
		return runErr
	}
	failed := 0
	for _, a := range sum.Annotators {
		failed += a.Failed
	}
	if o.AsJSON {
		if err := g.printJSON(sum); err != nil {
			return err
		}
	} else {
		printAnnotate(g, sum)
	}
	if runErr != nil {
		return runErr
	}
	if failed > 0 {
		return withCode(exitPartial, nil)
	}
	return nil
}

// countingStore moves the progress bar as the runner reads documents: the runner skips
// duplicates, so counting what it reads is what reaches the staged total.
type countingStore struct {
	*corpus.Store
	bar *progress.Bar
	n   int64
}

func (c *countingStore) Documents(ctx context.Context, version string) iter.Seq2[schema.Document, error] {
	return func(yield func(schema.Document, error) bool) {
		for d, err := range c.Store.Documents(ctx, version) {
			c.n++
			c.bar.Set(c.n)
			if !yield(d, err) {
				return
			}
		}
	}
}

func (c *countingStore) Document(ctx context.Context, version, id string) (schema.Document, error) {
	c.n++
	c.bar.Set(c.n)
	return c.Store.Document(ctx, version, id)
}

func printAnnotate(g *globalOptions, sum *annotate.RunSummary) {
	fmt.Fprint(g.IO.Out, plural(sum.Documents, "document"))
	if sum.Duplicates > 0 {
		fmt.Fprintf(g.IO.Out, " (%s passed over: --include-duplicates annotates them)", plural(sum.Duplicates, "duplicate"))
	}
	fmt.Fprintln(g.IO.Out)
	for _, a := range sum.Annotators {
		fmt.Fprintf(g.IO.Out, "  %-12s layer %-10s annotated %d, unchanged %d, failed %d, %s", a.Name, a.Layer, a.Annotated, a.Unchanged, a.Failed, plural(a.Items, "item"))
		if a.Empty > 0 {
			fmt.Fprintf(g.IO.Out, " (%d with no items)", a.Empty)
		}
		if len(a.SkippedLanguages) > 0 {
			var parts []string
			for _, lang := range slices.Sorted(maps.Keys(a.SkippedLanguages)) {
				parts = append(parts, fmt.Sprintf("%s %d", lang, a.SkippedLanguages[lang]))
			}
			fmt.Fprintf(g.IO.Out, ", skipped (language not supported): %s", strings.Join(parts, ", "))
		}
		fmt.Fprintln(g.IO.Out)
	}
	for _, e := range sum.Errors {
		fmt.Fprintf(g.IO.ErrOut, "failed: %v\n", e)
	}
}
