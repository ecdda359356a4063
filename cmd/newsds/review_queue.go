package main

import (
	"fmt"
	"iter"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

func newReviewQueueCmd(g *globalOptions) *cobra.Command {
	var layer, version, format, out, targets string
	var minConf float64
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "review-queue --layer NAME [--min-confidence 0.6] [--limit N] [--json] [--format labelstudio|doccano --out DIR]",
		Short: "List the documents people should relabel first, most urgent first",
		Long: `Rank the documents of a layer for human review: units the annotators labelled
differently (or only some of them labelled), stale annotations (made on an older text),
and machine items scored below --min-confidence. With --format and --out the queued
documents are exported for labelling in queue order, like export-annotations does.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if layer == "" {
				return usageError("--layer NAME is required")
			}
			if (format == "") != (out == "") {
				return usageError("--format and --out go together")
			}
			if format != "" && format != annotate.FormatLabelStudio && format != annotate.FormatDoccano {
				return usageError("--format %q: want labelstudio or doccano", format)
			}
			if !(minConf > 0 && minConf <= 1) {
				return usageError("--min-confidence %v: want a number in (0,1]", minConf)
			}
			ctx := cmd.Context()
			st, err := g.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			queue, err := annotate.ReviewQueue(st.Records(ctx, version), annotate.ReviewOptions{Layer: layer, MinConfidence: minConf, Limit: limit})
			if err != nil {
				return err
			}
			if format != "" {
				rank := map[string]int{}
				for i, q := range queue {
					rank[q.DocID] = i
				}
				// The queued records are held to write them in queue order; --limit
				// bounds them.
				picked := make([]schema.Record, len(queue))
				for rec, err := range st.Records(ctx, version) {
					if err != nil {
						return err
					}
					if i, ok := rank[rec.ID]; ok {
						picked[i] = rec
					}
				}
				opts := annotate.ExportOptions{Layer: layer}
				if lc, ok := st.Config().Layers[layer]; ok {
					opts.Labels = lc.Labels
				}
				if layer == "stance" {
					if opts.Targets, err = exportTargets(g, st, targets); err != nil {
						return err
					}
				}
				dir := out
				if !filepath.IsAbs(dir) {
					wd, _ := g.workDir()
					dir = filepath.Join(wd, dir)
				}
				res, err := annotate.ExportDir(dir, format, seqOf(picked), opts)
				if err != nil {
					return err
				}
				for _, w := range res.Warnings {
					fmt.Fprintf(g.IO.ErrOut, "warning: %s\n", w)
				}
				g.status("%s queued, written to %s", plural(len(queue), "document"), strings.Join(res.Files, ", "))
			}
			if asJSON {
				if queue == nil {
					queue = []annotate.ReviewItem{}
				}
				return g.printJSON(queue)
			}
			w := g.IO.Out
			if len(queue) == 0 {
				fmt.Fprintf(w, "nothing to review on layer %s\n", layer)
				return nil
			}
			for i, q := range queue {
				fmt.Fprintf(w, "%3d. %s  priority %.2f  %s\n", i+1, q.DocID, q.Priority, excerptTitle(q.Title))
				fmt.Fprintf(w, "     %s\n", strings.Join(q.Reasons, "; "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&layer, "layer", "", "layer to review")
	cmd.Flags().StringVar(&version, "version", "staged", "corpus version to read")
	cmd.Flags().Float64Var(&minConf, "min-confidence", 0.6, "flag machine items scored below this")
	cmd.Flags().IntVar(&limit, "limit", 200, "keep the first N documents (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the queue as JSON")
	cmd.Flags().StringVar(&format, "format", "", "also export the queued documents: labelstudio or doccano")
	cmd.Flags().StringVar(&out, "out", "", "folder for --format")
	cmd.Flags().StringVar(&targets, "targets", "", "stance targets file (default: targets in newsds.yaml)")
	return cmd
}

func seqOf(recs []schema.Record) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func excerptTitle(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
