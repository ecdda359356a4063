package annotate

import (
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// The review queue puts disagreements first, stale human work next, then the least
// confident machine items, and leaves out documents with nothing to look at.
func TestReviewQueue(t *testing.T) {
	model := schema.Annotator{Name: "sentiment", Version: "1", Kind: schema.KindModel}
	amina := schema.Annotator{Name: "amina", Version: "0", Kind: schema.KindHuman}
	doc := func(id, text string) schema.Document {
		return schema.Document{ID: id, Title: "title " + id, Text: text, ContentHash: schema.ContentHash(text)}
	}
	ann := func(d schema.Document, who schema.Annotator, items ...schema.Item) schema.Annotation {
		return schema.Annotation{DocID: d.ID, Layer: schema.LayerSentiment, Annotator: who, ContentHash: d.ContentHash, Items: items}
	}
	docLabel := func(l string, score float64) schema.Item {
		it := schema.Item{Label: l, Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}}
		if score > 0 {
			it.Score = schema.Float(score)
		}
		return it
	}
	para := func(text string, s, e int, l string, score float64) schema.Item {
		it := expSpan(t, text, s, e, l)
		it.Attrs = map[string]string{schema.AttrScope: schema.ScopeParagraph, schema.AttrParagraph: "0"}
		if score > 0 {
			it.Score = schema.Float(score)
		}
		return it
	}
	a, b, c, d := doc("a", impAr1), doc("b", impEm1), doc("c", "short text"), doc("d", "all agree")
	stale := ann(c, amina, docLabel("neutral", 0))
	stale.ContentHash = schema.ContentHash("an older text")
	recs := []schema.Record{
		{Document: a, Annotations: []schema.Annotation{ann(a, model, docLabel("positive", 0.3))}},
		{Document: b, Annotations: []schema.Annotation{
			ann(b, model, docLabel("positive", 0.9), para(impEm1, 0, 4, "neutral", 0.8)),
			// disagrees on the document label and draws another boundary
			ann(b, amina, docLabel("negative", 0), para(impEm1, 0, 5, "neutral", 0)),
		}},
		{Document: c, Annotations: []schema.Annotation{stale, ann(c, model, docLabel("neutral", 0.7))}},
		{Document: d, Annotations: []schema.Annotation{ann(d, model, docLabel("neutral", 0.95)), ann(d, amina, docLabel("neutral", 0))}},
	}
	q, err := ReviewQueue(expSeq(recs, nil), ReviewOptions{Layer: schema.LayerSentiment})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range q {
		got = append(got, it.DocID+" "+strings.Join(it.Reasons, "; "))
	}
	checkLines(t, "queue", got, []string{
		"b 3 units labelled differently by amina, sentiment",
		"c 1 stale annotations (made on an older text)",
		"a 1 machine items below confidence 0.60 (lowest 0.30)",
	})
	if q[0].Priority != 6 || q[1].Priority != 2 || q[2].Priority != 0.5 {
		t.Errorf("priorities %v %v %v, want 6, 2, 0.5", q[0].Priority, q[1].Priority, q[2].Priority)
	}
	if q, _ := ReviewQueue(expSeq(recs, nil), ReviewOptions{Layer: schema.LayerSentiment, Limit: 1}); len(q) != 1 || q[0].DocID != "b" {
		t.Errorf("limit 1: %+v", q)
	}
	if _, err := ReviewQueue(expSeq(recs, nil), ReviewOptions{Layer: schema.LayerSentiment, MinConfidence: 2}); err == nil {
		t.Error("min confidence 2 accepted")
	}
}
