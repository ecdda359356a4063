package validate

import (
	"strings"
	"testing"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

// When both annotators used one label throughout, chance agreement is 1 and Cohen's
// kappa is undefined. validate once called that full agreement while `newsds stats`
// said undefined; the one behaviour left is undefined, and validate says it cannot
// judge the layer (a warning) instead of passing it (issue 9).
func TestKappaUndefinedWhenChanceAgreementIsOne(t *testing.T) {
	var recs []schema.Record
	for i := range 12 {
		rec := englishRecord(t)
		rec.ID = "doc-" + string(rune('a'+i))
		mk := func(name string) schema.Annotation {
			return schema.Annotation{DocID: rec.ID, Layer: schema.LayerSentiment, ContentHash: rec.ContentHash,
				Annotator: schema.Annotator{Name: name, Kind: schema.KindHuman}, Items: []schema.Item{{Label: "positive"}}}
		}
		rec.Annotations = []schema.Annotation{mk("amal"), mk("bilal")}
		recs = append(recs, rec)
	}
	seq := func(yield func(schema.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
	ag, err := annotate.Agreement(seq, schema.LayerSentiment)
	if err != nil {
		t.Fatal(err)
	}
	if ag.Kappa != nil || len(ag.Pairs) != 1 || ag.Pairs[0].Kappa != nil || ag.Pairs[0].Units != 12 {
		t.Fatalf("annotate.Agreement: %+v", ag)
	}
	rf, err := ParseRulesFile("rules.yaml", []byte("agreement: {layer: sentiment, min_kappa: 0.6}"))
	if err != nil {
		t.Fatal(err)
	}
	r := validateRecs(t, recs, Options{Rules: rf})
	if len(r.Findings) != 1 || r.Findings[0].Rule != RuleAgreement || r.Findings[0].Severity != SeverityWarning ||
		!strings.Contains(r.Findings[0].Message, "undefined over 12 common units") {
		t.Fatalf("want one warning that kappa is undefined, got:%s", describe(r))
	}
}
