package main

import (
	"bufio"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/atomicfile"
)

func newExportAnnotationsCmd(g *globalOptions) *cobra.Command {
	var format, layer, version, out, config, direction, targets string
	var annotators []string
	cmd := &cobra.Command{
		Use:   "export-annotations --format labelstudio|doccano|jsonl [--layer NAME] [--out DIR | --config FILE]",
		Short: "Write annotations in Label Studio, doccano or JSONL form for relabelling",
		Long: `Write a layer's annotations as Label Studio tasks, doccano JSONL (offsets in UTF-16
units) or newsds JSONL, so a relabelling round can start from them; the files import
back with "newsds import-annotations".

Label Studio: machine annotations are predictions (model_version NAME@VERSION, with
scores), human ones annotations. The labelling config the tasks need is written to
--config FILE, or to config.xml beside tasks.json with --out DIR; create the project
from it. It lays the text out right to left when most documents are (--direction).

doccano: one project per kind of label. With --out DIR each gets its own file
(sentiment.document.jsonl for document categories, sentiment.paragraph.jsonl and
sentiment.answer.jsonl for spans; stance.jsonl has one line per document and target).

Without --out the tasks or lines go to stdout. See docs/labelling.md for the round trip.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(annotate.AnnotationFormats, format) {
				return usageError("--format %q: want one of %s", format, strings.Join(annotate.AnnotationFormats, ", "))
			}
			if layer == "" && format != annotate.FormatJSONL {
				return usageError("--layer NAME is required for %s", format)
			}
			if config != "" && format != annotate.FormatLabelStudio {
				return usageError("--config is for --format labelstudio")
			}
			if direction != "" && direction != "rtl" && direction != "ltr" {
				return usageError("--direction %q: want rtl or ltr", direction)
			}
			ctx := cmd.Context()
			st, err := g.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			opts := annotate.ExportOptions{Layer: layer, Annotators: annotators, Direction: direction}
			if lc, ok := st.Config().Layers[layer]; ok {
				opts.Labels = lc.Labels
			}
			if layer == "stance" {
				if opts.Targets, err = exportTargets(g, st, targets); err != nil {
					return err
				}
			}
			wd, _ := g.workDir()
			abs := func(p string) string {
				if p == "" || filepath.IsAbs(p) {
					return p
				}
				return filepath.Join(wd, p)
			}
			var res annotate.ExportResult
			if out != "" {
				res, err = annotate.ExportDir(abs(out), format, st.Records(ctx, version), opts)
			} else {
				w := bufio.NewWriter(g.IO.Out)
				res, err = annotate.Export(w, format, st.Records(ctx, version), opts)
				if err == nil {
					err = w.Flush()
				}
			}
			if err != nil {
				return err
			}
			if config != "" {
				if err := atomicfile.WriteBytes(abs(config), []byte(res.Config), 0o644); err != nil {
					return fmt.Errorf("write config: %w", err)
				}
				res.Files = append(res.Files, abs(config))
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(g.IO.ErrOut, "warning: %s\n", w)
			}
			for _, d := range res.Dropped {
				fmt.Fprintf(g.IO.ErrOut, "not exported: %s\n", d)
			}
			if len(res.Files) > 0 {
				g.status("%s, %s, %s written to %s", plural(res.Documents, "document"),
					plural(res.Annotations, "annotation"), plural(res.Items, "item"), strings.Join(res.Files, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "labelstudio, doccano or jsonl")
	cmd.Flags().StringVar(&layer, "layer", "", "layer to write")
	cmd.Flags().StringVar(&version, "version", "staged", "corpus version to read")
	cmd.Flags().StringSliceVar(&annotators, "annotators", nil, "only these annotator names")
	cmd.Flags().StringVar(&out, "out", "", "write into this folder (tasks.json + config.xml; one doccano file per project)")
	cmd.Flags().StringVar(&config, "config", "", "write the Label Studio labelling config to this file")
	cmd.Flags().StringVar(&direction, "direction", "", "text direction of the Label Studio config: rtl or ltr (default: that of most documents)")
	cmd.Flags().StringVar(&targets, "targets", "", "stance targets file (default: targets in newsds.yaml)")
	return cmd
}

// exportTargets are the stance targets offered for labelling: the --targets file, else
// the one newsds.yaml names, else none (the targets the annotations use are offered
// anyway).
func exportTargets(g *globalOptions, st *corpus.Store, flag string) ([]string, error) {
	path := flag
	if path != "" && !filepath.IsAbs(path) {
		wd, _ := g.workDir()
		path = filepath.Join(wd, path)
	}
	if path == "" && st.Config().Targets != "" {
		path = st.Config().Targets
		if !filepath.IsAbs(path) {
			path = filepath.Join(st.Root(), path)
		}
	}
	if path == "" {
		return nil, nil
	}
	ts, err := annotate.LoadTargets(path)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	return names, nil
}
