package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/datasets"
)

type statsReport struct {
	Version   string       `json:"version"`
	Documents int          `json:"documents"`
	Layers    []statsLayer `json:"layers"`
	// Coverage counts, per layer, the documents whose annotation has at least one item.
	Coverage map[string]int `json:"coverage"`
}

// statsLayer is one layer's figures: those of the release card (datasets.Stats), so
// the card and this command never disagree.
type statsLayer struct {
	annotate.LayerAgreement
	// SkippedLanguages counts, per annotator (name@version) and language, documents the
	// annotator skipped because it does not support their language.
	SkippedLanguages map[string]map[string]int64 `json:"skipped_languages"`
	// MinConfidence is, per annotator, the confidence below which its items were dropped.
	MinConfidence map[string]float64 `json:"min_confidence"`
}

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
			stats := datasets.NewStats()
			for rec, err := range st.Records(ctx, version) {
				if err != nil {
					return err
				}
				stats.Add(rec, "")
			}
			rep := statsReport{Version: version, Documents: int(stats.Docs()), Coverage: map[string]int{}, Layers: []statsLayer{}}
			for _, l := range stats.Layers() {
				sl := statsLayer{LayerAgreement: *l.Agreement, SkippedLanguages: map[string]map[string]int64{}, MinConfidence: map[string]float64{}}
				for _, a := range l.Annotators {
					if len(a.SkippedLanguages) > 0 {
						sl.SkippedLanguages[a.Name] = map[string]int64{}
						for _, c := range a.SkippedLanguages {
							sl.SkippedLanguages[a.Name][c.Key] = c.N
						}
					}
					if a.MinScore != nil {
						sl.MinConfidence[a.Name] = *a.MinScore
					}
				}
				rep.Coverage[l.Name] = int(l.Docs)
				rep.Layers = append(rep.Layers, sl)
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
