package validate

import (
	"context"
	"iter"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// The clean fixture: an Arabic interview with Q&A turns, sentiment and stance by a rule
// annotator, and an English article. Every rule test plants one error in a copy.

const interviewText = "حوار مع الوزير عن الأزمة 🙂.\n\n" +
	"س: كيف تنظرون الى موقف دولة قطر؟\n\n" +
	"ج: نحن نقدر موقف قطر كثيرا.\n\n" +
	"س: ما هي توقعاتك لمجرى الأحداث؟\n\n" +
	"ج: نتوقع أن تهدأ الأمور قريبا."

const englishText = "The minister spoke on Tuesday.\n\nHe said the talks would go on."

func cpIndex(t testing.TB, text, sub string) (int, int) {
	t.Helper()
	b := strings.Index(text, sub)
	if b < 0 {
		t.Fatalf("%q not in text", sub)
	}
	start := schema.LenCP(text[:b])
	return start, start + schema.LenCP(sub)
}

func span(t testing.TB, text, sub, label string, attrs map[string]string) schema.Item {
	t.Helper()
	s, e := cpIndex(t, text, sub)
	it, err := schema.Span(text, s, e)
	if err != nil {
		t.Fatal(err)
	}
	it.Label, it.Attrs = label, attrs
	return it
}

var ruleAnnotator = func(name string) schema.Annotator {
	return schema.Annotator{Name: name, Version: "1.0.0", Kind: schema.KindRule}
}

func interviewRecord(t testing.TB) schema.Record {
	text := interviewText
	h := schema.ContentHash(text)
	turn := func(sub, label, n, role, speaker string) schema.Item {
		return span(t, text, sub, label, map[string]string{schema.AttrTurn: n, schema.AttrSpeakerRole: role, schema.AttrSpeaker: speaker})
	}
	q1 := "س: كيف تنظرون الى موقف دولة قطر؟"
	a1 := "ج: نحن نقدر موقف قطر كثيرا."
	q2 := "س: ما هي توقعاتك لمجرى الأحداث؟"
	a2 := "ج: نتوقع أن تهدأ الأمور قريبا."
	stance := span(t, text, "نقدر موقف قطر", "favor", map[string]string{schema.AttrTarget: "قطر"})
	stance.Score = schema.Float(0.8)
	answerSent := span(t, text, a1, "positive", map[string]string{schema.AttrScope: schema.ScopeAnswer, schema.AttrTurn: "2"})
	answerSent.Score = schema.Float(0.7)
	return schema.Record{
		Document: schema.Document{
			ID: "ar-interview-1", URL: "https://example.com/ar/1", Source: "example", Title: "حوار",
			Published: "2024-03-01T10:00:00+03:00", Lang: "ar", Text: text, ContentHash: h,
		},
		Annotations: []schema.Annotation{
			{DocID: "ar-interview-1", Layer: schema.LayerQA, Annotator: ruleAnnotator("qa"), ContentHash: h, Items: []schema.Item{
				turn(q1, "question", "1", "interviewer", "عواطف بن علي"),
				turn(a1, "answer", "2", "interviewee", "إرمان إيساغالييف"),
				turn(q2, "question", "3", "interviewer", "عواطف بن علي"),
				turn(a2, "answer", "4", "interviewee", "إرمان إيساغالييف"),
			}},
			{DocID: "ar-interview-1", Layer: schema.LayerSentiment, Annotator: ruleAnnotator("sentiment"), ContentHash: h, Items: []schema.Item{
				{Label: "neutral", Score: schema.Float(0.6), Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}},
				answerSent,
			}},
			{DocID: "ar-interview-1", Layer: schema.LayerStance, Annotator: ruleAnnotator("stance"), ContentHash: h, Items: []schema.Item{stance}},
		},
	}
}

func englishRecord(t testing.TB) schema.Record {
	h := schema.ContentHash(englishText)
	return schema.Record{
		Document: schema.Document{
			ID: "en-1", URL: "https://example.com/en/1", Source: "example", Title: "Talks",
			Published: "2024-03-02T09:00:00Z", Lang: "en", Text: englishText, ContentHash: h,
		},
		Annotations: []schema.Annotation{
			{DocID: "en-1", Layer: schema.LayerSentiment, Annotator: ruleAnnotator("sentiment"), ContentHash: h, Items: []schema.Item{
				{Label: "neutral", Score: schema.Float(0.9)},
			}},
		},
	}
}

func cleanRecords(t testing.TB) []schema.Record {
	return []schema.Record{interviewRecord(t), englishRecord(t)}
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

func fixtureOptions() Options {
	return Options{Targets: []string{"قطر", "منظمة معاهدة الأمن الجماعي"}, TargetsFile: "targets.yaml"}
}

func validateRecs(t *testing.T, recs []schema.Record, opts Options) *Report {
	t.Helper()
	r, err := ValidateRecords(context.Background(), "corpus", seqOf(recs), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func describe(r *Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString("\n  " + f.Rule + " " + f.Severity.String() + " [" + f.Location.String() + "] " + f.Message)
	}
	return b.String()
}

// clone deep-copies records so that a test can plant an error without touching others.
func clone(recs []schema.Record) []schema.Record {
	out := slices.Clone(recs)
	for i := range out {
		out[i].Annotations = slices.Clone(out[i].Annotations)
		for j := range out[i].Annotations {
			items := slices.Clone(out[i].Annotations[j].Items)
			for k := range items {
				for _, p := range []**int{&items[k].Start, &items[k].End} {
					if *p != nil {
						*p = schema.Int(**p)
					}
				}
				if items[k].Score != nil {
					items[k].Score = schema.Float(*items[k].Score)
				}
				attrs := map[string]string{}
				for key, v := range items[k].Attrs {
					attrs[key] = v
				}
				items[k].Attrs = attrs
			}
			out[i].Annotations[j].Items = items
		}
	}
	return out
}
