package corpus

import (
	"context"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// Issue 15: proving a skipped input's revision and raw copy intact hashed the one and
// decompressed and hashed the other, half of what an unchanged re-ingest cost. With
// their stored sums the proof reads the bytes once and decompresses nothing; without
// them (a row of an older store, a body a repair rewrote) it is made the long way, and
// the input is still skipped.
func TestSeenInputProvedBySums(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	path := jsonlDocs(t, 4, articleText)
	ingest(t, st, IngestOptions{}, path)
	var keys []string
	rows, err := st.db.QueryContext(ctx, `SELECT input_key FROM inputs ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if len(keys) != 4 {
		t.Fatalf("%d inputs recorded, want 4", len(keys))
	}
	// A closed decoder fails every call: a lookup that decompresses gives no.
	closed, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	open, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	seen := func(dec *zstd.Decoder) int {
		n := 0
		for _, k := range keys {
			in, err := st.lookupSeenInput(ctx, k, dec)
			if err != nil {
				t.Fatal(err)
			}
			if in != nil {
				n++
			}
		}
		return n
	}
	if n := seen(closed); n != 4 {
		t.Fatalf("%d of 4 inputs proved without decompressing, want all", n)
	}
	for _, q := range []string{`UPDATE raw SET data_sum = NULL`, `UPDATE revs SET doc_sum = doc_sum + 1`} {
		if _, err := st.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if n := seen(closed); n != 0 {
		t.Fatalf("%d inputs proved by sums that are gone", n)
	}
	if n := seen(open); n != 4 {
		t.Fatalf("%d of 4 inputs proved the long way, want all", n)
	}
	sum := ingest(t, st, IngestOptions{}, path)
	if sum.Unchanged != 4 {
		t.Fatalf("re-ingest without sums: %+v", sum)
	}
}
