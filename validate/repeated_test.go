package validate

import (
	"strings"
	"testing"

	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/schema"
)

// repeatBody gives a record a text whose body is printed twice, as extraction left 10 of
// 259 articles of a release, and short refrains that are not repeats.
func repeatBody(rec *schema.Record) {
	body := "The harbour reopened on Friday, three weeks after a winter storm.\n\nWhy?\n\n" +
		"Engineers spent a fortnight rebuilding the northern breakwater with granite."
	rec.Text = body + "\n\nWhy?\n\n" + body
	rec.ContentHash = schema.ContentHash(rec.Text)
	for i := range rec.Annotations {
		rec.Annotations[i].ContentHash = rec.ContentHash
		rec.Annotations[i].Items = nil
	}
}

func repeatFindings(r *Report) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Rule == RuleRepeatedParagraphs {
			out = append(out, f)
		}
	}
	return out
}

func TestRepeatedParagraphsInCorpus(t *testing.T) {
	recs := clone(cleanRecords(t))
	repeatBody(&recs[1])
	got := repeatFindings(validateRecs(t, recs, fixtureOptions()))
	if len(got) != 1 || got[0].Severity != SeverityWarning || got[0].Location.DocID != recs[1].ID ||
		!strings.Contains(got[0].Message, "paragraph 5 repeats paragraph 1") || !strings.Contains(got[0].Message, "2 of the text's paragraphs") {
		t.Fatalf("findings: %+v", got)
	}
}

func TestRepeatedParagraphsInRelease(t *testing.T) {
	recs := releaseRecords(t, 40)
	repeatBody(&recs[3])
	dir := buildRelease(t, t.TempDir(), recs, datasets.ReleaseOptions{})
	got := repeatFindings(validateDir(t, dir, fixtureOptions()))
	if len(got) != 1 || got[0].Location.DocID != recs[3].ID {
		t.Fatalf("findings: %+v", got)
	}
}
