package annotate

import (
	"context"
	"testing"

	"github.com/newsds/newsds/schema"
)

// TestClauseRangesJoinShortFragments: a discourse marker cut off at its comma
// ("لسوء الحظ،", "In this regard,") was scored as a clause of its own and read with
// the polarity the training tweets gave its words — "unfortunately" came out positive.
// Short fragments and concessive leads belong to the clause they introduce.
func TestClauseRangesJoinShortFragments(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"لسوء الحظ، خسر الفريق المباراة الأخيرة بعد أداء ضعيف.", []string{"لسوء الحظ، خسر الفريق المباراة الأخيرة بعد أداء ضعيف."}},
		{"وفي هذا الصدد، أمر الوزير بفتح تحقيق في التأخير، وسيصدر التقرير في مايو.",
			[]string{"وفي هذا الصدد، أمر الوزير بفتح تحقيق في التأخير،", "وسيصدر التقرير في مايو."}},
		{"In this regard, the mayor ordered an inquiry into the delays, and the report is due in May.",
			[]string{"In this regard, the mayor ordered an inquiry into the delays,", "and the report is due in May."}},
		// a concessive lead of four words and more still belongs to its main clause
		{"Despite all the warnings given, the council approved the plan.", []string{"Despite all the warnings given, the council approved the plan."}},
		{"رغم كل التحذيرات المقدمة، وافق المجلس على الخطة.", []string{"رغم كل التحذيرات المقدمة، وافق المجلس على الخطة."}},
		// a short last fragment joins the clause before it
		{"The plan was approved by the council on Monday, sadly.", []string{"The plan was approved by the council on Monday, sadly."}},
		// long fragments stay apart
		{"The new bridge opened on Monday morning, the old one will close next year.",
			[]string{"The new bridge opened on Monday morning,", "the old one will close next year."}},
	} {
		runes := []rune(tt.text)
		var got []string
		for _, r := range sentenceRanges(tt.text, 0) {
			for _, c := range clauseRanges(runes, r) {
				got = append(got, string(runes[c.Start:c.End]))
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%q: clauses %q, want %q", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%q: clause %d %q, want %q", tt.text, i, got[i], tt.want[i])
			}
		}
	}
}

// TestSentimentMarkerIsNotScoredAlone: a sentence opened by "unfortunately" is scored
// as one clause, so every clause score covers at least minClauseWords words.
func TestSentimentMarkerIsNotScoredAlone(t *testing.T) {
	a := newTestSentiment(t).(*sentimentAnnotator)
	for _, text := range []string{"لسوء الحظ، هناك خسائر كبيرة بين السكان في المدينة.", "Unfortunately, there were heavy losses among the residents."} {
		cl, err := a.sc.clauseScores(schema.NewTextIndex(text), 0, runeCount(text))
		if err != nil {
			t.Fatal(err)
		}
		if len(cl) != 1 {
			t.Errorf("%q: %d clauses scored, want 1", text, len(cl))
		}
	}
}

// TestReadVotesByHand: a side needs at least twice the votes of the other side; two
// sides argued about equally, or no side at all, read neutral.
func TestReadVotesByHand(t *testing.T) {
	neg, neu, pos := 0, 1, 2
	for _, tt := range []struct {
		votes []float64
		want  int
	}{
		{[]float64{0, 10, 0}, neu},
		{[]float64{20, 5, 0}, neg},
		{[]float64{20, 0, 10}, neg}, // two to one
		{[]float64{20, 0, 11}, neu}, // mixed
		{[]float64{3, 40, 9}, pos},
		{[]float64{12, 0, 12}, neu},
		{[]float64{0, 0, 1}, pos},
	} {
		if got := readVotes(tt.votes); got != tt.want {
			t.Errorf("votes %v: %s, want %s", tt.votes, schema.SentimentLabels[got], schema.SentimentLabels[tt.want])
		}
	}
}

// TestSentimentMixedSpanIsNeutral: two sentences praise and two deplore; the mean of
// the probabilities followed the more confident negative ones, a reader says mixed —
// neutral in the label set. With one praising sentence against three deploring ones
// the span is negative.
func TestSentimentMixedSpanIsNeutral(t *testing.T) {
	a := newTestSentiment(t)
	for _, tt := range []struct {
		name, text, want string
	}{
		{"english mixed", "The new clinic is a good place. " +
			"The staff there are good and kind. " +
			"The waiting times were a terrible, awful disaster. " +
			"The parking was horrible and the fees were outrageous.", "neutral"},
		{"english negative", "The new clinic is a good place. " +
			"The waiting times were a terrible, awful disaster. " +
			"The parking was horrible and the fees were outrageous. " +
			"The food was disgusting and the rooms were filthy.", "negative"},
		{"arabic mixed", "نحن سعداء جدا بهذا الإنجاز الرائع. شكرا لكم على هذا العمل الجميل. " +
			"هذا أسوأ قرار، فشل ذريع ومحزن. هذه مأساة كبيرة لنا نحن أقارب الضحايا.", "neutral"},
	} {
		items, err := a.Annotate(context.Background(), &schema.Document{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		if items[0].Label != tt.want {
			t.Errorf("%s: %s (%.2f), want %s", tt.name, items[0].Label, *items[0].Score, tt.want)
		}
	}
}
