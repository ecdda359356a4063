package main

import (
	"bufio"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/schema"
)

func newExportCmd(g *globalOptions) *cobra.Command {
	var version, format string
	var noAnnotations bool
	cmd := &cobra.Command{
		Use:   "export [--version V] [--format jsonl]",
		Short: "Write every document of a version as JSON lines to stdout",
		Long: `Write one JSON object per document, in id order, to stdout. The fields are the stable
export contract documented in docs/export.md: id, url, source, site_name, title, byline,
published, section, lang, text, content_hash, raw_hash, ingested_at, meta, and
annotations (per layer and annotator, spans in code points).`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "jsonl" {
				return usageError("--format %q: only jsonl is supported", format)
			}
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			w := bufio.NewWriterSize(g.IO.Out, 1<<16)
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			for rec, err := range st.Records(cmd.Context(), version) {
				if err != nil {
					return err
				}
				if err := enc.Encode(exportRecord(rec, noAnnotations)); err != nil {
					return fmt.Errorf("export %s: %w", rec.ID, err)
				}
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&version, "version", "staged", "version to export (v3, 3, a tag, latest, staged)")
	cmd.Flags().StringVar(&format, "format", "jsonl", "output format (jsonl)")
	cmd.Flags().BoolVar(&noAnnotations, "no-annotations", false, "leave out the annotations key")
	return cmd
}

// exportRecord shapes a record for the export contract: the document fields, then
// "annotations" (always a list) unless left out.
func exportRecord(rec schema.Record, noAnnotations bool) any {
	if noAnnotations {
		return rec.Document
	}
	if rec.Annotations == nil {
		rec.Annotations = []schema.Annotation{}
	}
	return rec
}
