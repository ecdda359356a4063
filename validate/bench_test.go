package validate

import (
	"context"
	"fmt"
	"iter"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/internal/heappeak"
	"github.com/newsds/newsds/schema"
)

// benchItemsPerDoc is the number of annotation items of a generated document: 8 Q&A
// turns, 8 paragraph sentiments, 1 document sentiment, 3 stance items.
const benchItemsPerDoc = 20

// benchRecord generates document i: a lede and 8 alternating question and answer
// paragraphs in Arabic with an emoji, annotated like the built-in annotators do.
func benchRecord(i int) schema.Record {
	paras := []string{fmt.Sprintf("حوار رقم %d مع الوزير عن الأزمة 🙂 والمفاوضات الجارية في المنطقة.", i)}
	for k := range 8 {
		if k%2 == 0 {
			paras = append(paras, fmt.Sprintf("س: كيف تنظرون الى موقف دولة قطر في الجولة %d من المحادثات؟", k))
		} else {
			paras = append(paras, fmt.Sprintf("ج: نحن نقدر موقف قطر كثيرا ونرى أن الجولة %d كانت مثمرة للجميع.", k))
		}
	}
	text := strings.Join(paras, "\n\n")
	h := schema.ContentHash(text)
	id := fmt.Sprintf("doc-%07d", i)
	ann := func(layer, name string, items []schema.Item) schema.Annotation {
		return schema.Annotation{DocID: id, Layer: layer, ContentHash: h, Annotator: schema.Annotator{Name: name, Version: "1", Kind: schema.KindRule}, Items: items}
	}
	var turns, psent, stance []schema.Item
	for k, p := range schema.SplitParagraphs(text)[1:] {
		it, _ := schema.Span(text, p.Start, p.End)
		label, role := "question", "interviewer"
		if k%2 == 1 {
			label, role = "answer", "interviewee"
		}
		it.Label = label
		it.Attrs = map[string]string{schema.AttrTurn: strconv.Itoa(k + 1), schema.AttrSpeakerRole: role}
		turns = append(turns, it)
		ps := schema.Item{Start: it.Start, End: it.End, Text: it.Text, Label: schema.SentimentLabels[k%3], Score: schema.Float(0.5),
			Attrs: map[string]string{schema.AttrScope: schema.ScopeParagraph, schema.AttrParagraph: strconv.Itoa(k + 1)}}
		psent = append(psent, ps)
		if k%2 == 1 && len(stance) < 3 {
			st := schema.Item{Start: it.Start, End: it.End, Text: it.Text, Label: "favor", Score: schema.Float(0.7),
				Attrs: map[string]string{schema.AttrTarget: "قطر"}}
			stance = append(stance, st)
		}
	}
	return schema.Record{
		Document: schema.Document{ID: id, URL: "https://example.com/" + id, Source: "example", Title: "حوار",
			Published: "2024-03-01T10:00:00+03:00", Lang: "ar", Text: text, ContentHash: h},
		Annotations: []schema.Annotation{
			ann(schema.LayerQA, "qa", turns),
			ann(schema.LayerSentiment, "sentiment", append([]schema.Item{{Label: "neutral", Score: schema.Float(0.6),
				Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}}}, psent...)),
			ann(schema.LayerStance, "stance", stance),
		},
	}
}

func benchRecords(n int) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		for i := range n {
			if !yield(benchRecord(i), nil) {
				return
			}
		}
	}
}

// BenchmarkValidate measures validation of a release of 50,000 generated interviews
// with 1,000,000 annotation items (built once, outside the timer): items/s over every
// rule (files, card, checksums, Parquet rows, spans, labels) and the peak memory (live and total heap).
func BenchmarkValidate(b *testing.B) {
	const docs = 1_000_000 / benchItemsPerDoc
	dir := filepath.Join(b.TempDir(), "release")
	src := genSource{n: docs}
	if _, err := datasets.Release(context.Background(), src, datasets.ReleaseOptions{Out: dir, Version: "1.0.0", PreviousDir: datasets.PreviousNone}); err != nil {
		b.Fatal(err)
	}
	opts := Options{Targets: []string{"قطر"}}
	b.ResetTimer()
	var peak heappeak.Peak
	for b.Loop() {
		p := heappeak.Start()
		r, err := Validate(context.Background(), Target{Kind: KindRelease, Path: dir}, opts)
		peak = peak.Max(p.Stop())
		if err != nil {
			b.Fatal(err)
		}
		if r.Checked.Items != docs*benchItemsPerDoc || len(r.Findings) != 0 {
			b.Fatalf("checked %d items, %d findings:%s", r.Checked.Items, len(r.Findings), describe(r))
		}
	}
	b.ReportMetric(float64(docs*benchItemsPerDoc)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	peak.Report(b)
}

// BenchmarkValidateRecords measures the record rules alone over 1,000,000 generated
// items streamed as a corpus would stream them.
func BenchmarkValidateRecords(b *testing.B) {
	const docs = 1_000_000 / benchItemsPerDoc
	var peak heappeak.Peak
	for b.Loop() {
		p := heappeak.Start()
		r, err := ValidateRecords(context.Background(), "corpus", benchRecords(docs), Options{Targets: []string{"قطر"}})
		peak = peak.Max(p.Stop())
		if err != nil {
			b.Fatal(err)
		}
		if r.Checked.Items != docs*benchItemsPerDoc || len(r.Findings) != 0 {
			b.Fatalf("checked %d items, %d findings:%s", r.Checked.Items, len(r.Findings), describe(r))
		}
	}
	b.ReportMetric(float64(docs*benchItemsPerDoc)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	peak.Report(b)
}

// genSource is a committed corpus version of n generated records.
type genSource struct {
	memSource
	n int
}

func (g genSource) Records(context.Context, string) iter.Seq2[schema.Record, error] {
	return benchRecords(g.n)
}

// TestBenchRecordIsClean keeps the benchmark's generated data honest: a generated
// record passes every rule, so the benchmarks measure the clean path.
func TestBenchRecordIsClean(t *testing.T) {
	recs := []schema.Record{benchRecord(0), benchRecord(1)}
	if n := len(recs[0].Annotations[0].Items) + len(recs[0].Annotations[1].Items) + len(recs[0].Annotations[2].Items); n != benchItemsPerDoc {
		t.Fatalf("%d items per document, want %d", n, benchItemsPerDoc)
	}
	r := validateRecs(t, recs, Options{Targets: []string{"قطر"}})
	if len(r.Findings) != 0 {
		t.Fatalf("generated records:%s", describe(r))
	}
}
