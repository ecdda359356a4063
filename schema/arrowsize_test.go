package schema

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ArrowBytes of a batch equals the sum over any cut of it into slices, so the writer's
// num_bytes and a reader's agree however the rows were batched.
func TestArrowBytesIndependentOfBatching(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewRecordBuilder(mem, ArticlesSchema())
	defer b.Release()
	for i, text := range []string{"قطر ترحب", "", "emoji 👍🏽 and e\u0301", "plain"} {
		rec := seedLikeRecord(t, text, i)
		if err := AppendArticle(b, rec); err != nil {
			t.Fatal(err)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	whole := ArrowBytes(rec)
	if whole <= 0 {
		t.Fatalf("ArrowBytes = %d", whole)
	}
	for cut := int64(0); cut <= rec.NumRows(); cut++ {
		a, c := rec.NewSlice(0, cut), rec.NewSlice(cut, rec.NumRows())
		if got := ArrowBytes(a) + ArrowBytes(c); got != whole {
			t.Errorf("cut at %d: %d + %d = %d, want %d", cut, ArrowBytes(a), ArrowBytes(c), got, whole)
		}
		a.Release()
		c.Release()
	}
}

// A string column counts its UTF-8 bytes plus a 4-byte offset per row.
func TestArrowBytesStrings(t *testing.T) {
	b := array.NewStringBuilder(memory.NewGoAllocator())
	b.AppendValues([]string{"ab", "قطر", ""}, nil)
	b.AppendNull()
	a := b.NewArray()
	defer a.Release()
	rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil), []arrow.Array{a}, 4)
	defer rec.Release()
	if got, want := ArrowBytes(rec), int64(2+6+0+0+4*4); got != want {
		t.Fatalf("ArrowBytes = %d, want %d", got, want)
	}
}

func seedLikeRecord(t *testing.T, text string, i int) Record {
	t.Helper()
	rec := Record{Document: Document{ID: string(rune('a' + i)), Text: text, Lang: "ar", Byline: []string{"x", "y"}, Published: "2022-01-12T07:00:00+03:00"}}
	rec.ContentHash = ContentHash(text)
	if n := LenCP(text); n >= 3 {
		it, err := Span(text, 0, 3)
		if err != nil {
			t.Fatal(err)
		}
		it.Label = "question"
		it.Attrs = map[string]string{AttrTurn: "1", AttrSpeaker: "s", AttrSpeakerRole: "interviewer"}
		rec.Annotations = []Annotation{{DocID: rec.ID, Layer: LayerQA, ContentHash: rec.ContentHash, Annotator: Annotator{Name: "qa", Version: "1", Kind: KindRule}, Items: []Item{it}}}
	}
	return rec
}
