package corpus

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// bandState is, per document, its dedup_band keys and the keys its dedup_sig row
// records, sorted.
func bandState(t *testing.T, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (rows, recorded map[string][]uint64) {
	t.Helper()
	ctx := context.Background()
	rows, recorded = map[string][]uint64{}, map[string][]uint64{}
	r, err := db.QueryContext(ctx, `SELECT id, band_key FROM dedup_band`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id string
		var k int64
		if err := r.Scan(&id, &k); err != nil {
			t.Fatal(err)
		}
		rows[id] = append(rows[id], uint64(k))
	}
	r.Close()
	r, err = db.QueryContext(ctx, `SELECT id, bands FROM dedup_sig`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id string
		var b []byte
		if err := r.Scan(&id, &b); err != nil {
			t.Fatal(err)
		}
		if b == nil {
			t.Fatalf("dedup_sig %s records no bands", id)
		}
		recorded[id] = decodeSig(b)
	}
	r.Close()
	for _, m := range []map[string][]uint64{rows, recorded} {
		for id := range m {
			slices.Sort(m[id])
		}
	}
	return rows, recorded
}

func sameBands(a, b map[string][]uint64) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d documents with band rows, %d with recorded bands", len(a), len(b))
	}
	for id, keys := range a {
		if !slices.Equal(keys, b[id]) {
			return fmt.Errorf("document %s: band rows %x, recorded %x", id, keys, b[id])
		}
	}
	return nil
}

// Issue 15: every band row was written twice, into dedup_band and into its index by
// id, which made each stored document cost 28 random b-tree inserts for its 14 bands.
// The band rows are now deleted by their primary key, from the keys dedup_sig records;
// a changed or removed document must leave none behind.
func TestBandRowsFollowTheirDocument(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var indexes int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dedup_band'`).Scan(&indexes); err != nil {
		t.Fatal(err)
	}
	if indexes != 0 {
		t.Fatalf("dedup_band has %d secondary indexes, want none", indexes)
	}
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 12, articleText))
	rows, recorded := bandState(t, st.db)
	if err := sameBands(rows, recorded); err != nil {
		t.Fatalf("after the first ingest: %v", err)
	}
	bands := NewDeduper(st.cfg.Dedup).bands
	for id, keys := range rows {
		if len(keys) != bands {
			t.Fatalf("document %s has %d band rows, want %d", id, len(keys), bands)
		}
	}
	// Every document's text changes: its old band rows must go.
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 12, func(i int) string { return articleText(i+100) + " Updated." }))
	after, recorded := bandState(t, st.db)
	if err := sameBands(after, recorded); err != nil {
		t.Fatalf("after changing every text: %v", err)
	}
	for id, keys := range after {
		if len(keys) != bands {
			t.Fatalf("after the change document %s has %d band rows, want %d", id, len(keys), bands)
		}
	}
	var ids []string
	for id := range after {
		ids = append(ids, id)
	}
	if _, err := st.Remove(ctx, ids[:5]); err != nil {
		t.Fatal(err)
	}
	left, recorded := bandState(t, st.db)
	if err := sameBands(left, recorded); err != nil {
		t.Fatalf("after removing 5: %v", err)
	}
	if len(left) != 7 {
		t.Fatalf("%d documents keep band rows after removing 5 of 12", len(left))
	}
}

// A format 4 store (band rows indexed by id, no recorded bands) is migrated: every
// signature row records its bands, the index is dropped, and a document changed
// afterwards leaves no band rows behind.
func TestMigrateFormat4RecordsBands(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 10, articleText))
	want, _ := bandState(t, st.db)
	st.Close()

	db, err := sql.Open("sqlite", filepath.Join(root, StoreDir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`ALTER TABLE dedup_sig DROP COLUMN bands`,
		`CREATE INDEX dedup_band_id ON dedup_band(id)`,
		`UPDATE meta SET value = '4' WHERE key = 'format_version'`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err = Open(ctx, root)
	if err != nil {
		t.Fatalf("open a format 4 store: %v", err)
	}
	defer st.Close()
	var fv string
	var indexes int
	if err := st.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'format_version'`).Scan(&fv); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'dedup_band_id'`).Scan(&indexes); err != nil {
		t.Fatal(err)
	}
	if fv != storeFormatVersion || indexes != 0 {
		t.Fatalf("after migration: format %s, dedup_band_id present %d", fv, indexes)
	}
	rows, recorded := bandState(t, st.db)
	if err := sameBands(rows, recorded); err != nil {
		t.Fatalf("after migration: %v", err)
	}
	if err := sameBands(rows, want); err != nil {
		t.Fatalf("migration changed the band rows: %v", err)
	}
	rep, err := st.Check(ctx, CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check after migration: %v, problems %v", err, rep.Problems)
	}
	sum := ingest(t, st, IngestOptions{}, jsonlDocs(t, 10, func(i int) string { return articleText(i+50) + " Revised." }))
	if sum.Modified != 10 {
		t.Fatalf("re-ingest after migration: %+v", sum)
	}
	rows, recorded = bandState(t, st.db)
	if err := sameBands(rows, recorded); err != nil {
		t.Fatalf("after changing the migrated documents: %v", err)
	}
	for id, keys := range rows {
		if slices.Equal(keys, want[id]) {
			t.Fatalf("document %s kept its old band rows", id)
		}
	}
}
