package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The articles config carries provenance as a struct column: a WARC offset of 0 (the
// first record of a file) survives, absent numbers are null, and a document without
// provenance is a null struct rather than a struct of nulls.
func TestProvenanceRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	zero := int64(0)
	provs := []*Provenance{
		{Path: "crawl/a.warc.gz", Format: "warc", WARCRecordID: "<urn:uuid:1>", WARCOffset: &zero},
		{Path: "batch.jsonl", Format: "jsonl", Line: 7},
		{Path: "list.json", Format: "json", Item: 2},
		nil,
	}
	b := array.NewRecordBuilder(mem, ArticlesSchema())
	defer b.Release()
	for i, p := range provs {
		text := strings.Repeat("x", i+1)
		rec := Record{Document: Document{ID: "d", Text: text, ContentHash: ContentHash(text), Provenance: p}}
		if err := AppendArticle(b, rec); err != nil {
			t.Fatal(err)
		}
	}
	batch := b.NewRecordBatch()
	defer batch.Release()
	col := batch.Column(16)
	if !col.IsNull(3) || col.IsNull(0) {
		t.Errorf("provenance nulls: row 0 null %v, row 3 null %v; want only the document without one null", col.IsNull(0), col.IsNull(3))
	}
	rows, err := ArticleRows(batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range provs {
		if !reflect.DeepEqual(rows[i].Provenance, p) {
			t.Errorf("row %d: provenance %+v, want %+v", i, rows[i].Provenance, p)
		}
	}
}

// In JSON, empty fields are left out, but a WARC offset of 0 is kept.
func TestProvenanceJSON(t *testing.T) {
	zero := int64(0)
	b, err := json.Marshal(Provenance{Path: "a.warc", Format: "warc", WARCRecordID: "urn:uuid:1", WARCOffset: &zero})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"path":"a.warc","format":"warc","warc_record_id":"urn:uuid:1","warc_offset":0}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	d, err := json.Marshal(Document{ID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(d), "provenance") {
		t.Errorf("a document without provenance marshals it: %s", d)
	}
}
