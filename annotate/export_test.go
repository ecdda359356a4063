package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

const expPlain = "No annotations here."

var expCorpus = impDocs{"ar1": impAr1, "em1": impEm1, "plain": expPlain}

func expSpan(t *testing.T, text string, s, e int, label string) schema.Item {
	t.Helper()
	it, err := schema.Span(text, s, e)
	if err != nil {
		t.Fatal(err)
	}
	it.Label = label
	return it
}

// expRecords is a small corpus: humans and a model on "entities", a stale annotation
// and another layer that must not be exported, and a document nobody annotated.
func expRecords(t *testing.T) []schema.Record {
	alice := schema.Annotator{Name: "alice", Version: "1", Kind: schema.KindHuman}
	ner := schema.Annotator{Name: "ner", Version: "3", Kind: schema.KindModel, ParamsHash: "abc"}
	doc := func(id string) schema.Document {
		return schema.Document{ID: id, Title: "title " + id, Text: expCorpus[id], ContentHash: schema.ContentHash(expCorpus[id])}
	}
	ann := func(d schema.Document, layer string, who schema.Annotator, items ...schema.Item) schema.Annotation {
		return schema.Annotation{DocID: d.ID, Layer: layer, Annotator: who, ContentHash: d.ContentHash, CreatedAt: "2025-01-01T00:00:00Z", Items: items}
	}
	ar1, em1 := doc("ar1"), doc("em1")
	doha := expSpan(t, impEm1, 31, 35, "LOC")
	doha.Score = schema.Float(0.7)
	stale := ann(em1, "entities", schema.Annotator{Name: "old", Version: "1", Kind: schema.KindHuman}, expSpan(t, impEm1, 0, 4, "X"))
	stale.ContentHash, stale.Stale = schema.ContentHash("an older text"), true
	return []schema.Record{
		{Document: ar1, Annotations: []schema.Annotation{
			ann(ar1, "entities", alice, expSpan(t, impAr1, 12, 16, "LOC"), expSpan(t, impAr1, 29, 31, "FLAG")),
		}},
		{Document: em1, Annotations: []schema.Annotation{
			ann(em1, "entities", alice, schema.Item{Label: "positive"}, expSpan(t, impEm1, 16, 21, "PER"), expSpan(t, impEm1, 31, 35, "LOC")),
			ann(em1, "entities", ner, doha),
			stale,
			ann(em1, "sentiment", alice, schema.Item{Label: "neutral"}),
		}},
		{Document: doc("plain")},
	}
}

func expSeq(recs []schema.Record, err error) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(schema.Record{}, err)
		}
	}
}

// expItems renders the items of annotations as "doc name: items" lines, ignoring the
// annotator version and kind, which Label Studio annotations do not carry.
func expItems(anns []schema.Annotation) []string {
	lines := impSummary(anns)
	for i, l := range lines {
		head, rest, _ := strings.Cut(l, ": ")
		f := strings.Fields(head)
		name, _, _ := strings.Cut(f[2], "@")
		lines[i] = f[0] + " " + f[1] + " " + name + ": " + rest
	}
	return lines
}

func exportString(t *testing.T, format string, opts ExportOptions, recs []schema.Record) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(&buf, format, expSeq(recs, nil), opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func roundTrip(t *testing.T, format, out string, opts ImportOptions) ImportResult {
	t.Helper()
	opts.Format, opts.Docs = format, expCorpus
	if opts.Layer == "" {
		opts.Layer = "entities"
	}
	res, err := Import(context.Background(), strings.NewReader(out), "export."+format, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("re-import errors: %v", impErrors(res))
	}
	return res
}

var expWant = []string{
	"ar1 entities alice: [12,16) LOC قطرٌ; [29,31) FLAG 🇶🇦",
	"em1 entities alice: doc positive; [16,21) PER Jose\u0301; [31,35) LOC Doha",
	"em1 entities ner: [31,35) LOC Doha",
}

func TestExportLabelStudioRoundTrip(t *testing.T) {
	recs := expRecords(t)
	out := exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities"}, recs)
	if again := exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities"}, recs); again != out {
		t.Error("two exports differ")
	}
	var tasks []lsExportTask
	if err := json.Unmarshal([]byte(out), &tasks); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(tasks) != 3 || tasks[2].Data["doc_id"] != "plain" || len(tasks[2].Annotations) != 0 {
		t.Fatalf("tasks: %+v", tasks)
	}
	em := tasks[1]
	if len(em.Annotations) != 1 || em.Annotations[0].CreatedUsername != "alice" || len(em.Predictions) != 1 || em.Predictions[0].ModelVersion != "ner@3" {
		t.Errorf("em1 task: %+v", em)
	}
	if v := em.Annotations[0].Result[1].Value; string(v.Start) != "16" || string(v.End) != "21" || *v.Text != "Jose\u0301" {
		t.Errorf("José exported as %s..%s %q, want code points 16..21", v.Start, v.End, *v.Text)
	}
	if !strings.Contains(out, `"text":"قال الوزير`) {
		t.Error("text escaped instead of written as UTF-8")
	}
	res := roundTrip(t, FormatLabelStudio, out, ImportOptions{Predictions: true})
	checkLines(t, "round trip", expItems(res.Annotations), expWant)
	if s := res.Annotations[2].Items[0].Score; s == nil || *s != 0.7 {
		t.Errorf("prediction score %v", s)
	}
	if a := res.Annotations[2].Annotator; a.Version != "3" || a.Kind != schema.KindModel {
		t.Errorf("prediction annotator %+v", a)
	}
	// Only alice, by name.
	out = exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities", Annotators: []string{"alice"}}, recs)
	if strings.Contains(out, "ner@3") {
		t.Error("annotator filter ignored")
	}
	if got := exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities"}, nil); got != "[]\n" {
		t.Errorf("empty export = %q", got)
	}
}

func TestExportDoccanoRoundTrip(t *testing.T) {
	recs := expRecords(t)
	out := exportString(t, FormatDoccano, ExportOptions{Layer: "entities"}, recs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4 (ar1 alice, em1 alice, em1 ner, plain):\n%s", len(lines), out)
	}
	// em1 alice: José at UTF-16 [18,23) and Doha at [33,37), two units past the code
	// points for each of 👍 and 🏽.
	var em struct {
		DocID     string `json:"doc_id"`
		Annotator string `json:"annotator"`
		Label     []any  `json:"label"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &em); err != nil {
		t.Fatal(err)
	}
	want := `["positive",[18,23,"PER"],[33,37,"LOC"]]`
	if b, _ := json.Marshal(em.Label); string(b) != want || em.DocID != "em1" || em.Annotator != "alice" {
		t.Errorf("em1 line = %s, want labels %s", lines[1], want)
	}
	if !strings.Contains(lines[0], `[29,33,"FLAG"]`) || lines[3] != `{"doc_id":"plain","label":[],"text":"No annotations here."}` {
		t.Errorf("lines:\n%s", out)
	}
	res := roundTrip(t, FormatDoccano, out, ImportOptions{})
	checkLines(t, "round trip", expItems(res.Annotations), expWant)
	if res.Skipped != 1 {
		t.Errorf("skipped %d lines, want 1 (the unlabelled document)", res.Skipped)
	}
}

func TestExportJSONLRoundTrip(t *testing.T) {
	recs := expRecords(t)
	out := exportString(t, FormatJSONL, ExportOptions{}, recs)
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("%d annotations exported, want 4 (every layer, stale one left out):\n%s", n, out)
	}
	out = exportString(t, FormatJSONL, ExportOptions{Layer: "entities"}, recs)
	res := roundTrip(t, FormatJSONL, out, ImportOptions{})
	if len(res.Annotations) != 3 {
		t.Fatalf("%d annotations", len(res.Annotations))
	}
	// jsonl keeps everything: compare whole annotations.
	want := []schema.Annotation{recs[0].Annotations[0], recs[1].Annotations[0], recs[1].Annotations[1]}
	for i := range want {
		a, _ := json.Marshal(want[i])
		b, _ := json.Marshal(res.Annotations[i])
		if !bytes.Equal(a, b) {
			t.Errorf("annotation %d:\n got %s\nwant %s", i, b, a)
		}
	}
}

func TestExportErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := Export(&buf, FormatDoccano, expSeq(nil, nil), ExportOptions{}); err == nil || err.Error() != "export annotations: doccano needs a layer" {
		t.Errorf("no layer: %v", err)
	}
	if err := Export(&buf, "csv", expSeq(nil, nil), ExportOptions{Layer: "x"}); err == nil || !strings.Contains(err.Error(), `format "csv" is not one of`) {
		t.Errorf("bad format: %v", err)
	}
	boom := errors.New("store closed")
	if err := Export(&buf, FormatJSONL, expSeq(expRecords(t), boom), ExportOptions{}); !errors.Is(err, boom) {
		t.Errorf("stream error: %v", err)
	}
	// A span past the text cannot be converted to UTF-16 units.
	recs := expRecords(t)
	recs[0].Annotations[0].Items[0].End = schema.Int(99)
	if err := Export(&buf, FormatDoccano, expSeq(recs, nil), ExportOptions{Layer: "entities"}); err == nil || !strings.Contains(err.Error(), "doc ar1: annotator alice: item 0: offset 99 is past the text") {
		t.Errorf("bad span: %v", err)
	}
}
