package main

import (
	"bufio"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
)

func newExportAnnotationsCmd(g *globalOptions) *cobra.Command {
	var format, layer, version string
	var annotators []string
	cmd := &cobra.Command{
		Use:   "export-annotations --format labelstudio|doccano|jsonl [--layer NAME] [--version V]",
		Short: "Write annotations in Label Studio, doccano or JSONL form for relabelling",
		Long: `Write a layer's annotations to stdout as Label Studio tasks, doccano JSONL (offsets in
UTF-16 units) or newsds JSONL, so a relabelling round can start from them; the files
import back unchanged with "newsds import-annotations".`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(annotate.AnnotationFormats, format) {
				return usageError("--format %q: want one of %s", format, strings.Join(annotate.AnnotationFormats, ", "))
			}
			if layer == "" && format != annotate.FormatJSONL {
				return usageError("--layer NAME is required for %s", format)
			}
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			w := bufio.NewWriter(g.IO.Out)
			if err := annotate.Export(w, format, st.Records(cmd.Context(), version), annotate.ExportOptions{Layer: layer, Annotators: annotators}); err != nil {
				return err
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "labelstudio, doccano or jsonl")
	cmd.Flags().StringVar(&layer, "layer", "", "layer to write")
	cmd.Flags().StringVar(&version, "version", "staged", "corpus version to read")
	cmd.Flags().StringSliceVar(&annotators, "annotators", nil, "only these annotator names")
	return cmd
}
