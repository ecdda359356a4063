package datasets

import (
	"iter"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

// StatsReport is what `newsds stats` shows of a corpus version: the release card's
// figures (Stats), so that the card and the command never disagree.
type StatsReport struct {
	Version   string             `json:"version"`
	Documents int                `json:"documents"`
	Layers    []StatsReportLayer `json:"layers"`
	// Coverage counts, per layer, the documents whose annotation has at least one item.
	Coverage map[string]int `json:"coverage"`
}

// StatsReportLayer is one layer's figures.
type StatsReportLayer struct {
	annotate.LayerAgreement
	// SkippedLanguages counts, per annotator (name@version) and language, documents the
	// annotator skipped because it does not support their language.
	SkippedLanguages map[string]map[string]int64 `json:"skipped_languages"`
	// MinConfidence is, per annotator, the confidence below which its items were dropped.
	MinConfidence map[string]float64 `json:"min_confidence"`
}

// BuildStatsReport reads the records of version once and reports their statistics.
func BuildStatsReport(version string, records iter.Seq2[schema.Record, error]) (*StatsReport, error) {
	stats := NewStats()
	for rec, err := range records {
		if err != nil {
			return nil, err
		}
		stats.Add(rec, "")
	}
	rep := &StatsReport{Version: version, Documents: int(stats.Docs()), Coverage: map[string]int{}, Layers: []StatsReportLayer{}}
	for _, l := range stats.Layers() {
		sl := StatsReportLayer{LayerAgreement: *l.Agreement, SkippedLanguages: map[string]map[string]int64{}, MinConfidence: map[string]float64{}}
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
	return rep, nil
}
