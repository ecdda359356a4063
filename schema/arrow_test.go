package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// kv is one member of a JSON object, kept in document order.
type kv struct {
	key string
	val any
}

// decodeOrdered decodes JSON keeping object member order ([]kv for objects).
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		var obj []kv
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, kv{k.(string), v})
		}
		_, err := dec.Token()
		return obj, err
	case json.Delim('['):
		var arr []any
		for dec.More() {
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.Token()
		return arr, err
	}
	return tok, nil
}

func member(obj []kv, key string) any {
	for _, m := range obj {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// checkFeature compares a decoded HF feature with an Arrow type, independently of the
// derivation in features.go: it encodes what datasets does with each JSON form.
func checkFeature(path string, feat any, t arrow.DataType) error {
	switch f := feat.(type) {
	case []any: // list of structs
		lt, ok := t.(*arrow.ListType)
		if !ok || len(f) != 1 {
			return fmt.Errorf("%s: JSON list feature over %s", path, t)
		}
		if _, ok := lt.Elem().(*arrow.StructType); !ok {
			return fmt.Errorf("%s: JSON list must hold a struct, Arrow has %s", path, lt.Elem())
		}
		return checkFeature(path, f[0], lt.Elem())
	case []kv:
		switch member(f, "_type") {
		case "Value":
			want := map[string]string{"string": "utf8", "int64": "int64", "float64": "float64",
				"timestamp[us, tz=UTC]": "timestamp[us, tz=UTC]"}[member(f, "dtype").(string)]
			if want == "" || want != t.String() {
				return fmt.Errorf("%s: Value %v vs Arrow %s", path, member(f, "dtype"), t)
			}
		case "ClassLabel":
			if t.ID() != arrow.INT64 {
				return fmt.Errorf("%s: ClassLabel over %s, want int64", path, t)
			}
			names := member(f, "names").([]any)
			want := classLabels[strings.TrimPrefix(path, ".")]
			if len(names) != len(want) {
				return fmt.Errorf("%s: ClassLabel names %v, want %v", path, names, want)
			}
			for i, n := range names {
				if n != want[i] {
					return fmt.Errorf("%s: ClassLabel names %v, want %v", path, names, want)
				}
			}
		case "Sequence":
			lt, ok := t.(*arrow.ListType)
			if !ok {
				return fmt.Errorf("%s: Sequence over %s", path, t)
			}
			if _, ok := lt.Elem().(*arrow.StructType); ok {
				return fmt.Errorf("%s: Sequence over a struct means a struct of lists in datasets", path)
			}
			return checkFeature(path, member(f, "feature"), lt.Elem())
		case nil: // struct
			st, ok := t.(*arrow.StructType)
			if !ok {
				return fmt.Errorf("%s: struct feature over %s", path, t)
			}
			return checkFields(path+".", f, st.Fields())
		default:
			return fmt.Errorf("%s: unexpected _type %v", path, member(f, "_type"))
		}
		return nil
	}
	return fmt.Errorf("%s: feature is %T", path, feat)
}

func checkFields(prefix string, obj []kv, fields []arrow.Field) error {
	if len(obj) != len(fields) {
		return fmt.Errorf("%s: %d features for %d columns", prefix, len(obj), len(fields))
	}
	for i, f := range fields {
		if obj[i].key != f.Name {
			return fmt.Errorf("%s: feature %d is %q, column is %q", prefix, i, obj[i].key, f.Name)
		}
		if !f.Nullable {
			return fmt.Errorf("%s%s: not nullable", prefix, f.Name)
		}
		if err := checkFeature(strings.TrimPrefix(prefix+f.Name, "."), obj[i].val, f.Type); err != nil {
			return err
		}
	}
	return nil
}

func TestFeaturesMatchSchema(t *testing.T) {
	for _, config := range []string{"articles", "turns"} {
		b, err := HFFeatures(config)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b) {
			t.Fatalf("%s: invalid JSON %s", config, b)
		}
		v, err := decodeOrdered(json.NewDecoder(bytes.NewReader(b)))
		if err != nil {
			t.Fatal(err)
		}
		info, _ := member(v.([]kv), "info").([]kv)
		feats, _ := member(info, "features").([]kv)
		if feats == nil {
			t.Fatalf("%s: no info.features in %s", config, b)
		}
		s, _ := ConfigSchema(config)
		if err := checkFields("", feats, s.Fields()); err != nil {
			t.Errorf("%s: %v", config, err)
		}
		again, _ := HFFeatures(config)
		if !bytes.Equal(b, again) {
			t.Errorf("%s: features JSON not stable", config)
		}
	}
	if _, err := HFFeatures("nope"); err == nil {
		t.Error("unknown config accepted")
	}
	// Every declared class-label path must exist in some schema.
	for path := range classLabels {
		found := false
		for _, config := range []string{"articles", "turns"} {
			fs, _ := Features(config)
			if findPath(fs, strings.Split(path, ".")) {
				found = true
			}
		}
		if !found {
			t.Errorf("class label path %s names no column", path)
		}
	}
}

func findPath(fs []FeatureField, path []string) bool {
	for _, f := range fs {
		if f.Name != path[0] {
			continue
		}
		if len(path) == 1 {
			return f.Feature.Type == FeatureClassLabel
		}
		ft := f.Feature
		if ft.Type == FeatureList {
			ft = ft.Item
		}
		return findPath(ft.Fields, path[1:])
	}
	return false
}

// interview is an Arabic interview with emoji (code points beyond the BMP) and a
// document, paragraph and answer sentiment and stance items.
func interview(t *testing.T) Record {
	t.Helper()
	text := "حوار مع الوزير 🎙️\n\nس: ما رأيك في الاتفاق؟\n\nج: إنه اتفاق جيد جداً 👍 لقطر.\n\nس: والمستقبل؟\n\nج: مشرق."
	doc := Document{ID: "d1", URL: "https://example.com/a", Source: "sharq", Title: "حوار", Byline: []string{"عواطف بن علي"},
		Published: "2024-03-05T10:00:00+03:00", Lang: "ar", Text: text, ContentHash: ContentHash(text)}
	spanOf := func(sub string) (int, int) {
		i := strings.Index(text, sub)
		if i < 0 {
			t.Fatalf("%q not in text", sub)
		}
		s := LenCP(text[:i])
		return s, s + LenCP(sub)
	}
	item := func(sub, label string, attrs map[string]string) Item {
		s, e := spanOf(sub)
		it, err := Span(text, s, e)
		if err != nil {
			t.Fatal(err)
		}
		it.Label, it.Attrs = label, attrs
		return it
	}
	qa := []Item{
		item("س: ما رأيك في الاتفاق؟", "question", map[string]string{AttrTurn: "1", AttrSpeakerRole: "interviewer", AttrSpeaker: "عواطف بن علي"}),
		item("ج: إنه اتفاق جيد جداً 👍 لقطر.", "answer", map[string]string{AttrTurn: "2", AttrSpeakerRole: "interviewee"}),
		item("س: والمستقبل؟", "question", map[string]string{AttrTurn: "3", AttrSpeakerRole: "interviewer"}),
		item("ج: مشرق.", "answer", map[string]string{AttrTurn: "4", AttrSpeakerRole: "interviewee"}),
	}
	para := item("ج: إنه اتفاق جيد جداً 👍 لقطر.", "positive", map[string]string{AttrScope: ScopeParagraph, AttrParagraph: "2"})
	para.Score = Float(0.75)
	sent := []Item{
		{Label: "positive", Score: Float(0.9), Attrs: map[string]string{AttrScope: ScopeDocument}},
		para,
		{Label: "positive", Score: Float(0.8), Attrs: map[string]string{AttrScope: ScopeAnswer, AttrTurn: "2"}},
	}
	st := item("اتفاق جيد جداً", "favor", map[string]string{AttrTarget: "قطر"})
	st.Score = Float(0.6)
	rule := Annotator{Name: "qa", Version: "1.0.0", Kind: KindRule}
	return Record{Document: doc, Annotations: []Annotation{
		{DocID: "d1", Layer: LayerQA, Annotator: rule, ContentHash: doc.ContentHash, Items: qa},
		{DocID: "d1", Layer: LayerSentiment, Annotator: Annotator{Name: "lex", Version: "1", Kind: KindRule}, ContentHash: doc.ContentHash, Items: sent},
		{DocID: "d1", Layer: LayerSentiment, Annotator: Annotator{Name: "old", Version: "1", Kind: KindHuman}, Stale: true,
			Items: []Item{{Label: "negative"}}},
		{DocID: "d1", Layer: LayerStance, Annotator: Annotator{Name: "st", Version: "2", Kind: KindModel}, ContentHash: doc.ContentHash, Items: []Item{st}},
	}}
}

func TestFromRecord(t *testing.T) {
	rec := interview(t)
	row, turns, err := FromRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if row.Published == nil || row.Published.Format("2006-01-02T15:04Z07:00") != "2024-03-05T07:00Z" {
		t.Errorf("published = %v", row.Published)
	}
	if len(row.QATurns) != 4 || row.QATurns[1].Role != 1 || row.QATurns[0].SpeakerRole != 0 || row.QATurns[0].Annotator != "qa@1.0.0" {
		t.Errorf("qa turns = %+v", row.QATurns)
	}
	// The stale human annotation must lose to the fresh rule one.
	if row.Sentiment == nil || row.Sentiment.Label != 2 || row.Sentiment.Annotator != "lex@1" {
		t.Errorf("sentiment = %+v", row.Sentiment)
	}
	if len(row.ParagraphSentiment) != 1 || row.ParagraphSentiment[0].Paragraph != 2 {
		t.Errorf("paragraph sentiment = %+v", row.ParagraphSentiment)
	}
	if len(turns) != 2 {
		t.Fatalf("turns = %+v", turns)
	}
	if turns[0].Question != "س: ما رأيك في الاتفاق؟" || turns[0].Answer != "ج: إنه اتفاق جيد جداً 👍 لقطر." ||
		turns[0].Interviewer != "عواطف بن علي" {
		t.Errorf("turn 1 = %+v", turns[0])
	}
	if turns[0].AnswerSentiment == nil || turns[0].AnswerSentiment.Label != 2 || turns[1].AnswerSentiment != nil {
		t.Errorf("answer sentiment: %+v %+v", turns[0].AnswerSentiment, turns[1].AnswerSentiment)
	}
	if len(turns[0].AnswerStance) != 1 || turns[0].AnswerStance[0].Target != "قطر" || len(turns[1].AnswerStance) != 0 {
		t.Errorf("answer stance: %+v / %+v", turns[0].AnswerStance, turns[1].AnswerStance)
	}
	for _, s := range row.Stance {
		got, err := SliceCP(row.Text, int(s.Start), int(s.End))
		if err != nil || got != "اتفاق جيد جداً" {
			t.Errorf("stance span = %q, %v", got, err)
		}
	}
}

func TestFromRecordErrors(t *testing.T) {
	cases := map[string]func(r *Record){
		"moved span": func(r *Record) {
			it := &r.Annotations[0].Items[0]
			*it.Start, *it.End = *it.Start+1, *it.End+1
		},
		"past the text": func(r *Record) { *r.Annotations[3].Items[0].End = 10000 },
		"unknown label": func(r *Record) { r.Annotations[3].Items[0].Label = "maybe" },
		"bad turn":      func(r *Record) { r.Annotations[0].Items[0].Attrs[AttrTurn] = "one" },
		"bad date":      func(r *Record) { r.Published = "5 March" },
		"NaN score":     func(r *Record) { r.Annotations[1].Items[0].Score = Float(math.NaN()) },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			rec := interview(t)
			mutate(&rec)
			_, _, err := FromRecord(rec)
			if err == nil || !strings.Contains(err.Error(), "document d1") {
				t.Errorf("error = %v, want one naming document d1", err)
			}
		})
	}
}

func TestRowsRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rec := interview(t)
	row, turns, err := FromRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	bare := Record{Document: Document{ID: "d2", Text: "no annotations", ContentHash: ContentHash("no annotations")}}

	ab := array.NewRecordBuilder(mem, ArticlesSchema())
	defer ab.Release()
	AppendArticleRow(ab, row)
	if err := AppendArticle(ab, bare); err != nil {
		t.Fatal(err)
	}
	batch := ab.NewRecordBatch()
	defer batch.Release()
	got, err := ArticleRows(batch)
	if err != nil {
		t.Fatal(err)
	}
	bareRow, _, _ := FromRecord(bare)
	want := []ArticleRow{row, bareRow}
	for i := range want {
		if !reflect.DeepEqual(normalize(got[i]), normalize(want[i])) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}

	tb := array.NewRecordBuilder(mem, TurnsSchema())
	defer tb.Release()
	for _, tr := range turns {
		AppendTurnRow(tb, tr)
	}
	tbatch := tb.NewRecordBatch()
	defer tbatch.Release()
	gotTurns, err := TurnRows(tbatch)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotTurns, turns) {
		t.Errorf("turns:\n got %+v\nwant %+v", gotTurns, turns)
	}
	if _, err := TurnRows(batch); err == nil {
		t.Error("TurnRows accepted an articles batch")
	}
}

// normalize maps the empty slices a builder cannot tell from nil to nil.
func normalize(r ArticleRow) ArticleRow {
	r.Byline = slices.Clip(r.Byline)
	if len(r.Byline) == 0 {
		r.Byline = nil
	}
	if len(r.QATurns) == 0 {
		r.QATurns = nil
	}
	if len(r.ParagraphSentiment) == 0 {
		r.ParagraphSentiment = nil
	}
	if len(r.Stance) == 0 {
		r.Stance = nil
	}
	return r
}
