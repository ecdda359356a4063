package datasets

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/newsds/newsds/schema"
)

// The articles config carries each document's provenance through Parquet and Arrow IPC
// shards: read back, every row has the provenance of its record (nil stays nil).
func TestReleaseProvenance(t *testing.T) {
	src := corpusOf(t, 12)
	want := map[string]*schema.Provenance{}
	for i := range src.recs {
		var p *schema.Provenance
		switch i % 4 {
		case 0:
			off := int64(0)
			if i > 0 {
				off = int64(1000 * i)
			}
			p = &schema.Provenance{Path: "crawls/a.warc.gz", Format: "warc", WARCRecordID: fmt.Sprintf("<urn:uuid:%d>", i), WARCOffset: &off}
		case 1:
			p = &schema.Provenance{Path: "batch.jsonl", Format: "jsonl", Line: int64(i)}
		case 2:
			p = &schema.Provenance{Path: fmt.Sprintf("pages/%d.html", i), Format: "html"}
		}
		src.recs[i].Provenance = p
		want[src.recs[i].ID] = p
	}
	for _, format := range []string{"parquet", "arrow"} {
		out := filepath.Join(t.TempDir(), "rel")
		release(t, src, ReleaseOptions{Out: out, Formats: []string{format}})
		d, err := Open(out)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, split := range d.Splits("articles") {
			for a, err := range d.Articles(context.Background(), split) {
				if err != nil {
					t.Fatal(err)
				}
				seen++
				if !reflect.DeepEqual(a.Provenance, want[a.ID]) {
					t.Errorf("%s: article %s provenance %+v, want %+v", format, a.ID, a.Provenance, want[a.ID])
				}
			}
		}
		if seen < 10 {
			t.Errorf("%s: read %d articles, want the corpus's", format, seen)
		}
	}
}
