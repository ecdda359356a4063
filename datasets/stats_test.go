package datasets

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsds/newsds/schema"
)

func TestStatsCounts(t *testing.T) {
	st := NewStats()
	for _, rec := range fixtureRecords() {
		st.Add(rec.Record, rec.Split)
	}
	if got := st.Docs(); got != 6 {
		t.Fatalf("Docs = %d, want 6", got)
	}
	want := []Count{{"train", 3}, {"validation", 2}, {"test", 1}}
	if got := st.BySplit(); !reflect.DeepEqual(got, want) {
		t.Errorf("BySplit = %v, want %v", got, want)
	}
	want = []Count{{"ar", 3}, {"en", 2}, {Unknown, 1}}
	if got := st.ByLang(); !reflect.DeepEqual(got, want) {
		t.Errorf("ByLang = %v, want %v", got, want)
	}
	// The month is the publication's own: 23:30 at +03:00 on 31 January stays January.
	want = []Count{{"2023-11", 1}, {"2024-01", 2}, {"2024-02", 2}, {Unknown, 1}}
	if got := st.ByMonth(); !reflect.DeepEqual(got, want) {
		t.Errorf("ByMonth = %v, want %v", got, want)
	}
	want = []Count{{"aljazeera", 3}, {"bbc", 2}, {Unknown, 1}}
	if got := st.BySource(); !reflect.DeepEqual(got, want) {
		t.Errorf("BySource = %v, want %v", got, want)
	}
}

func TestStatsLengths(t *testing.T) {
	st := NewStats()
	for _, n := range []int{50, 120, 130, 140, 5000} {
		// Arabic letters are two bytes in UTF-8: lengths must be counted in code points.
		st.Add(schema.Record{Document: schema.Document{Text: strings.Repeat("ب", n)}}, "train")
	}
	ls := st.Lengths()
	if ls.Min != 50 || ls.Max != 5000 {
		t.Errorf("Min, Max = %d, %d; want 50, 5000", ls.Min, ls.Max)
	}
	if want := float64(50+120+130+140+5000) / 5; ls.Mean != want {
		t.Errorf("Mean = %v, want %v", ls.Mean, want)
	}
	// Three of five lengths fall in [100, 250); the median (2.5 documents in) is half a
	// bucket-share into it: 100 + 150*(2.5-1)/3 = 175.
	if math.Abs(ls.Median-175) > 1e-9 {
		t.Errorf("Median = %v, want 175", ls.Median)
	}
	got := map[string]int64{}
	var total int64
	for _, b := range ls.Buckets {
		got[b.Label()] = b.N
		total += b.N
	}
	if total != 5 || got["0–99"] != 1 || got["100–249"] != 3 || got["4000–7999"] != 1 {
		t.Errorf("buckets = %v", ls.Buckets)
	}
	if last := ls.Buckets[len(ls.Buckets)-1]; last.Label() != "≥32000" {
		t.Errorf("last bucket label = %q", last.Label())
	}
}

func TestStatsLayers(t *testing.T) {
	st := NewStats()
	for _, rec := range fixtureRecords() {
		st.Add(rec.Record, rec.Split)
	}
	layers := st.Layers()
	var names []string
	for _, l := range layers {
		names = append(names, l.Name)
	}
	if want := []string{schema.LayerQA, schema.LayerSentiment, schema.LayerStance}; !reflect.DeepEqual(names, want) {
		t.Fatalf("layers = %v, want %v", names, want)
	}
	sent := layers[1]
	if sent.Docs != 4 || math.Abs(sent.Coverage-4.0/6) > 1e-12 {
		t.Errorf("sentiment coverage = %d docs, %v", sent.Docs, sent.Coverage)
	}
	if len(sent.Annotators) != 2 || sent.Annotators[0].Name != "lexicon@1" || sent.Annotators[1].Name != "maha@1" {
		t.Fatalf("sentiment annotators = %+v", sent.Annotators)
	}
	if sent.Annotators[1].Kind != schema.KindHuman || sent.Annotators[1].Docs != 2 {
		t.Errorf("human annotator = %+v", sent.Annotators[1])
	}
	// Layer figures count the released annotation only: the human's on a1 and a2 (2+2),
	// the rule's on e1 and e3 (1+1); the stale one on e2 is never released.
	if sent.Items != 6 {
		t.Errorf("sentiment items = %d, want 6", sent.Items)
	}
	if want := []Count{{"negative", 3}, {"neutral", 1}, {"positive", 2}}; !reflect.DeepEqual(sent.Labels, want) {
		t.Errorf("sentiment labels = %v, want %v", sent.Labels, want)
	}
	if lex := sent.Annotators[0]; lex.Items != 6 || lex.Docs != 4 {
		t.Errorf("rule annotator = %+v, want 6 items on 4 documents", lex)
	}
	if len(sent.Scopes) != 2 || sent.Scopes[0].Scope != schema.ScopeDocument {
		t.Errorf("sentiment scopes = %+v", sent.Scopes)
	}
	ag := sent.Agreement
	if ag == nil {
		t.Fatal("no agreement on a layer two annotators filled")
	}
	// Units both labelled, on a1 and a2: a1 doc (pos/pos), a1 p0 (neg/neg), a2 doc
	// (neu/neg); a2 p0, a2 p1 and the rule's items on e1 and e3 were labelled by one
	// annotator only.
	if ag.Documents != 2 || ag.Units != 3 || ag.SingleUnits != 4 || len(ag.Pairs) != 1 {
		t.Fatalf("agreement = %+v", ag)
	}
	// po = 2/3; pe = (1*1 + 1*2)/9 = 1/3; kappa = (2/3 - 1/3)/(2/3) = 1/2.
	if p := ag.Pairs[0]; p.Kappa == nil || math.Abs(*p.Kappa-0.5) > 1e-12 || math.Abs(p.Observed-2.0/3) > 1e-12 {
		t.Errorf("pair = %+v, want kappa 1/2", p)
	}
	// Coincidences: pos-pos 2, neg-neg 2, neu-neg 1, neg-neu 1 (n = 6; n_pos 2, n_neg 3,
	// n_neu 1): alpha = 1 - 5*2/(2*(2*3 + 2*1 + 3*1)) = 12/22.
	if ag.Alpha == nil || math.Abs(*ag.Alpha-12.0/22) > 1e-12 {
		t.Errorf("alpha = %v, want 12/22", ag.Alpha)
	}
	stance := layers[2]
	if stance.Agreement.Units != 0 || stance.Labels[0] != (Count{"favor", 1}) {
		t.Errorf("stance = %+v", stance)
	}
}

// splitRecord is a fixture record with the split it is released in.
type splitRecord struct {
	schema.Record
	Split string
}

// fixtureRecords is a small corpus shaped like a real one: Arabic and English articles
// with QA turns, sentiment by a rule and (on two articles) by a person, a stance item,
// and a stale annotation.
func fixtureRecords() []splitRecord {
	lex := schema.Annotator{Name: "lexicon", Version: "1", Kind: schema.KindRule}
	maha := schema.Annotator{Name: "maha", Version: "1", Kind: schema.KindHuman}
	qa := schema.Annotator{Name: "qa", Version: "1", Kind: schema.KindRule}
	stance := schema.Annotator{Name: "stance", Version: "1", Kind: schema.KindRule}
	docItem := func(label string) schema.Item {
		return schema.Item{Label: label, Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}}
	}
	parItem := func(p, label string) schema.Item {
		return schema.Item{Label: label, Attrs: map[string]string{schema.AttrScope: schema.ScopeParagraph, schema.AttrParagraph: p}}
	}
	ann := func(layer string, a schema.Annotator, items ...schema.Item) schema.Annotation {
		return schema.Annotation{Layer: layer, Annotator: a, Items: items}
	}
	span := func(text string, s, e int, label string) schema.Item {
		it, err := schema.Span(text, s, e)
		if err != nil {
			panic(err)
		}
		it.Label = label
		return it
	}
	a1 := "س: ما رأيك؟\n\nج: الوضع جيد جدا."
	return []splitRecord{
		{schema.Record{
			Document: schema.Document{ID: "a1", Source: "aljazeera", Lang: "ar", Published: "2024-01-31T23:30:00+03:00", Text: a1},
			Annotations: []schema.Annotation{
				ann(schema.LayerQA, qa, span(a1, 0, 11, "question"), span(a1, 13, 29, "answer")),
				ann(schema.LayerSentiment, lex, docItem("positive"), parItem("0", "negative")),
				ann(schema.LayerSentiment, maha, docItem("positive"), parItem("0", "negative")),
			},
		}, "train"},
		{schema.Record{
			Document: schema.Document{ID: "a2", Source: "aljazeera", Lang: "ar", Published: "2024-02-02T10:00:00+03:00", Text: "نص\n\nنص آخر"},
			Annotations: []schema.Annotation{
				ann(schema.LayerSentiment, lex, docItem("neutral"), parItem("0", "positive")),
				ann(schema.LayerSentiment, maha, docItem("negative"), parItem("1", "positive")),
			},
		}, "train"},
		{schema.Record{
			Document:    schema.Document{ID: "a3", Source: "aljazeera", Lang: "ar", Published: "2024-02-20T08:00:00+02:00", Text: "خبر"},
			Annotations: []schema.Annotation{ann(schema.LayerStance, stance, schema.Item{Label: "favor", Attrs: map[string]string{schema.AttrTarget: "x"}})},
		}, "validation"},
		{schema.Record{
			Document:    schema.Document{ID: "e1", Source: "bbc", Lang: "en", Published: "2023-11-05T08:00:00Z", Text: "Hello there."},
			Annotations: []schema.Annotation{ann(schema.LayerSentiment, lex, docItem("neutral"))},
		}, "train"},
		{schema.Record{
			Document: schema.Document{ID: "e2", Source: "bbc", Lang: "en", Published: "2024-01-01T00:00:00Z", Text: "Second."},
			Annotations: []schema.Annotation{
				ann(schema.LayerSentiment, lex),
				{Layer: schema.LayerSentiment, Annotator: maha, Stale: true, Items: []schema.Item{docItem("positive")}},
			},
		}, "validation"},
		{schema.Record{
			Document:    schema.Document{ID: "e3", Text: "No metadata."},
			Annotations: []schema.Annotation{ann(schema.LayerSentiment, lex, docItem("negative"))},
		}, "test"},
	}
}

// Documents an annotator skipped for their language are counted per language and are
// neither empty results nor units of agreement; a confidence floor is reported.
func TestStatsSkippedLanguages(t *testing.T) {
	st := NewStats()
	model := schema.Annotator{Name: "sentiment", Version: "3", Kind: schema.KindModel}
	floor := 0.6
	for i, lang := range []string{"ar", "de", "de", ""} {
		ann := schema.Annotation{DocID: "d" + strconv.Itoa(i), Layer: schema.LayerSentiment, Annotator: model, MinScore: &floor}
		if lang == "ar" {
			ann.Items = []schema.Item{{Label: "positive", Score: schema.Float(0.9)}}
		} else {
			ann.Skipped = schema.SkippedLanguage
		}
		st.Add(schema.Record{Document: schema.Document{ID: ann.DocID, Lang: lang}, Annotations: []schema.Annotation{ann}}, "train")
	}
	layer := st.Layers()[0]
	a := layer.Annotators[0]
	if want := []Count{{"de", 2}, {Unknown, 1}}; !reflect.DeepEqual(a.SkippedLanguages, want) {
		t.Errorf("skipped = %v, want %v", a.SkippedLanguages, want)
	}
	if a.Docs != 1 || layer.Docs != 1 || a.MinScore == nil || *a.MinScore != floor {
		t.Errorf("annotator %+v, layer docs %d", a, layer.Docs)
	}
	if got := layer.Agreement.Distribution["sentiment"]; len(got) != 1 || got["positive"] != 1 {
		t.Errorf("distribution %v counts skipped documents", got)
	}
}

// monthsStats holds one document per month for n consecutive months from January
// 2018, plus one without a date.
func monthsStats(n int) *Stats {
	st := NewStats()
	for i := range n {
		published := time.Date(2018, time.Month(1+i), 15, 12, 0, 0, 0, time.UTC).Format(time.RFC3339)
		st.Add(schema.Record{Document: schema.Document{ID: "m" + strconv.Itoa(i), Text: "x", Published: published}}, "train")
	}
	st.Add(schema.Record{Document: schema.Document{ID: "undated", Text: "x"}}, "train")
	return st
}

func TestByPublicationBinsByYearPastMaxMonths(t *testing.T) {
	// Up to MaxMonthRows known months, one bin per month.
	got, bin := monthsStats(MaxMonthRows).ByPublication()
	if bin != BinMonth || len(got) != MaxMonthRows+1 || got[0].Key != "2018-01" || got[len(got)-1].Key != Unknown {
		t.Errorf("%d months: bin %s, %d rows (%v...)", MaxMonthRows, bin, len(got), got[0])
	}
	// One more, and the bins are years; a run of 101 months (issue 13) is 9 years.
	got, bin = monthsStats(101).ByPublication()
	want := []Count{{"2018", 12}, {"2019", 12}, {"2020", 12}, {"2021", 12}, {"2022", 12}, {"2023", 12}, {"2024", 12}, {"2025", 12}, {"2026", 5}, {Unknown, 1}}
	if bin != BinYear || !reflect.DeepEqual(got, want) {
		t.Errorf("101 months: bin %s, %v; want year, %v", bin, got, want)
	}
	got, bin = monthsStats(MaxMonthRows + 1).ByPublication()
	if bin != BinYear || len(got) != 4 {
		t.Errorf("%d months: bin %s, %v", MaxMonthRows+1, bin, got)
	}
}

// cpLen must count code points as utf8.RuneCountInString does on every valid text,
// whatever the alignment of its multi-byte sequences to the eight-byte words it reads.
func TestCPLenCountsCodePoints(t *testing.T) {
	texts := []string{"", "a", "abcdefgh", "abcdefghi", "وقال المتحدث إن الحكومة", "€uro ✓ 𝄞 музыка", "日本語のテキスト", strings.Repeat("ab€𝄞ة", 37)}
	for _, text := range texts {
		for cut := range min(len(text), 9) {
			s := text[cut:]
			if !utf8.ValidString(s) {
				continue
			}
			if got, want := cpLen(s), utf8.RuneCountInString(s); got != want {
				t.Errorf("cpLen(%q) = %d, want %d", s, got, want)
			}
		}
	}
}
