package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

type importOptions struct {
	Format, Layer, Annotator, Version string
	Predictions                       bool
	DryRun                            bool
	AsJSON                            bool
	Files                             []string
}

// formatAuto is the --format that tells the import's format from its files.
const formatAuto = "auto"

func newImportAnnotationsCmd(g *globalOptions) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import-annotations [--format labelstudio|doccano|jsonl] --layer NAME FILE|DIR...",
		Short: "Import human labels (Label Studio, doccano, JSONL) into a layer",
		Long: `Import annotations into a layer of the staged corpus. Offsets are converted to code
points (doccano counts UTF-16 units), every span's text is checked against the stored
document, and mismatching records are rejected with their location while the good ones
are staged.

Label Studio: the JSON export (predictions as ids or objects), the JSON_MIN export, and
the per-task or per-annotation files of a target storage (give the folder). Annotators
are named by Label Studio user id ("labelstudio:3"), never by e-mail; the task and
annotation ids and the lead time are kept in the annotation's meta. Predictions are
skipped unless --predictions. doccano: the files export-annotations wrote or doccano
exported (one per user: import each user's files with --annotator NAME). Several files
or a folder are read as one import. Without --format, the format is told from the first
value of each file (of a folder's first file), and the files must agree. See
docs/labelling.md.

` + exitCodesHelp,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Format != formatAuto && !slices.Contains(annotate.AnnotationFormats, o.Format) {
				return usageError("--format %q: want auto or one of %s", o.Format, strings.Join(annotate.AnnotationFormats, ", "))
			}
			o.Files = args
			return runImport(cmd.Context(), g, o)
		},
	}
	cmd.Flags().StringVar(&o.Format, "format", formatAuto, "labelstudio, doccano or jsonl (auto: told from the first file)")
	cmd.Flags().StringVar(&o.Layer, "layer", "", "layer to import into")
	cmd.Flags().StringVar(&o.Annotator, "annotator", "", "name of the imported annotator (overrides names in the file)")
	cmd.Flags().StringVar(&o.Version, "annotator-version", "", "version of the imported annotators (default 0)")
	cmd.Flags().BoolVar(&o.Predictions, "predictions", false, "also import Label Studio predictions (as kind model)")
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "check the file and report, store nothing")
	cmd.Flags().BoolVar(&o.AsJSON, "json", false, "print the counts and rejections as JSON")
	return cmd
}

// storeLookup gives importers the staged text of a document.
type storeLookup struct{ st *corpus.Store }

func (l storeLookup) Document(ctx context.Context, id string) (schema.Document, error) {
	return l.st.Document(ctx, "staged", id)
}

func runImport(ctx context.Context, g *globalOptions, o importOptions) error {
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	wd, _ := g.workDir()
	paths := make([]string, len(o.Files))
	for i, p := range o.Files {
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		paths[i] = p
	}
	if o.Format == formatAuto {
		if o.Format, err = annotate.SniffFormats(paths); err != nil {
			return usageError("%v; give --format labelstudio, doccano or jsonl", err)
		}
		g.debug("reading %s as %s", strings.Join(o.Files, ", "), o.Format)
	}
	if o.Layer == "" && o.Format != annotate.FormatJSONL {
		return usageError("--layer NAME is required for %s", o.Format)
	}
	labels := annotate.Labels(st.Config(), o.Layer)
	noOverlap := func(layer string) bool {
		spec, declared := st.Config().Layers[layer]
		return schema.SpansMustNotOverlap(layer, declared, spec.Overlap)
	}
	// Annotations are staged in batches as the import completes them, one transaction
	// per batch: memory and time stay linear in the files (issue 14).
	stored, unchanged := 0, 0
	res, err := annotate.ImportEach(ctx, paths, annotate.ImportOptions{
		Format: o.Format, Layer: o.Layer, Annotator: o.Annotator, Version: o.Version,
		Labels: labels, Docs: storeLookup{st}, Predictions: o.Predictions, NoOverlap: noOverlap,
	}, func(batch []schema.Annotation) error {
		if o.Annotator != "" {
			// An exported file names the annotator that made the pre-annotations; the
			// people who corrected them are a new annotator, never a silent overwrite.
			for i := range batch {
				batch[i].Annotator.Name = o.Annotator
				batch[i].Annotator.Kind = schema.KindHuman
			}
		}
		if o.DryRun {
			return nil
		}
		changed, err := st.PutAnnotations(ctx, batch)
		if err != nil {
			return err
		}
		for _, c := range changed {
			if c {
				stored++
			} else {
				unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if o.AsJSON {
		rejected := make([]importRejection, len(res.Errors))
		for i, e := range res.Errors {
			rejected[i] = importRejection{File: e.File, Record: e.Record, DocID: e.DocID, Reason: e.Err.Error()}
		}
		if err := g.printJSON(importJSON{Records: res.Records, Staged: stored, Unchanged: unchanged, Skipped: res.Skipped,
			DryRun: o.DryRun, Rejected: rejected}); err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			return withCode(exitPartial, nil)
		}
		return nil
	}
	fmt.Fprintf(g.IO.Out, "%s read, %d annotations staged, %d unchanged, %d skipped, %d rejected\n",
		plural(res.Records, "record"), stored, unchanged, res.Skipped, len(res.Errors))
	for _, e := range res.Errors {
		fmt.Fprintf(g.IO.ErrOut, "rejected %v\n", &e)
	}
	if len(res.Errors) > 0 {
		return withCode(exitPartial, nil)
	}
	return nil
}

// importJSON is what import-annotations --json prints.
type importJSON struct {
	Records   int  `json:"records"`
	Staged    int  `json:"staged"`
	Unchanged int  `json:"unchanged"`
	Skipped   int  `json:"skipped"`
	DryRun    bool `json:"dry_run"`
	// Rejected are the records left out, located, in file order.
	Rejected []importRejection `json:"rejected"`
}

type importRejection struct {
	File   string `json:"file"`
	Record string `json:"record"`
	DocID  string `json:"doc_id,omitempty"`
	Reason string `json:"reason"`
}
