package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/datasets"
)

func newStatsCmd(g *globalOptions) *cobra.Command {
	var version string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats [--version V] [--json]",
		Short: "Label distributions and inter-annotator agreement per layer",
		Long: `Report, per annotation layer, the label distribution of each annotator, how many
documents each layer covers, documents skipped for their language, and — when two or more
annotators filled a layer — Cohen's kappa (two annotators) and Krippendorff's alpha
(nominal, any number). The figures are those the release card shows.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := g.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			rep, err := datasets.BuildStatsReport(version, st.Records(ctx, version))
			if err != nil {
				return err
			}
			if asJSON {
				return g.printJSON(rep)
			}
			w := g.IO.Out
			fmt.Fprintf(w, "%s in %s\n", plural(rep.Documents, "document"), version)
			for _, ag := range rep.Layers {
				fmt.Fprintf(w, "\nlayer %s: %d of %d documents (%.1f%%), annotators %s\n", ag.Layer, rep.Coverage[ag.Layer], rep.Documents,
					100*float64(rep.Coverage[ag.Layer])/float64(max(rep.Documents, 1)), strings.Join(ag.Annotators, ", "))
				for _, a := range ag.Annotators {
					var parts []string
					for _, l := range ag.Labels {
						if n := ag.Distribution[a][l]; n > 0 {
							name := l
							if name == "" {
								name = "(no label)"
							}
							parts = append(parts, fmt.Sprintf("%s %d", name, n))
						}
					}
					fmt.Fprintf(w, "  %-16s %s\n", a, strings.Join(parts, ", "))
				}
				if ag.Kappa != nil {
					fmt.Fprintf(w, "  Cohen's kappa %.3f over %d units\n", *ag.Kappa, ag.Units)
				}
				if ag.Alpha != nil {
					fmt.Fprintf(w, "  Krippendorff's alpha %.3f over %d units\n", *ag.Alpha, ag.Units)
				}
				if len(ag.Annotators) >= 2 && ag.Kappa == nil && ag.Alpha == nil {
					fmt.Fprintf(w, "  agreement undefined (%d shared units)\n", ag.Units)
				}
				for _, a := range slices.Sorted(maps.Keys(ag.SkippedLanguages)) {
					var parts []string
					for _, lang := range slices.Sorted(maps.Keys(ag.SkippedLanguages[a])) {
						parts = append(parts, fmt.Sprintf("%s %d", lang, ag.SkippedLanguages[a][lang]))
					}
					fmt.Fprintf(w, "  %s skipped (language not supported): %s\n", a, strings.Join(parts, ", "))
				}
				for _, a := range slices.Sorted(maps.Keys(ag.MinConfidence)) {
					fmt.Fprintf(w, "  %s items below confidence %g dropped\n", a, ag.MinConfidence[a])
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&version, "version", "staged", "corpus version to read")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}
