package corpus

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// bandState is, per document, its dedup_band keys and the keys its dedup_sig row
// records, sorted.
func bandState(t *testing.T, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (rows, recorded map[string][]uint64) {
	t.Helper()
	ctx := context.Background()
	rows, recorded = map[string][]uint64{}, map[string][]uint64{}
	r, err := db.QueryContext(ctx, `SELECT g.id, b.band_key FROM dedup_band b JOIN dedup_sig g USING(doc)`)
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
	for _, q := range append(format5DedupSQL(),
		`ALTER TABLE dedup_sig DROP COLUMN bands`,
		`CREATE INDEX dedup_band_id ON dedup_band(id)`,
		`UPDATE meta SET value = '4' WHERE key = 'format_version'`,
	) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, fv := openMigrated(t, root, "4")
	var indexes int
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

// format5DedupSQL turns the dedup tables of a new store back into the layout of
// format 5 and older: band rows by document id, signatures keyed by id alone.
func format5DedupSQL() []string {
	return []string{
		`CREATE TABLE dedup_band_5 (band_key INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (band_key, id)) WITHOUT ROWID`,
		`INSERT INTO dedup_band_5 SELECT b.band_key, g.id FROM dedup_band b JOIN dedup_sig g USING(doc)`,
		`DROP TABLE dedup_band`,
		`ALTER TABLE dedup_band_5 RENAME TO dedup_band`,
		`CREATE TABLE dedup_sig_5 (id TEXT PRIMARY KEY, sig BLOB NOT NULL, bands BLOB)`,
		`INSERT INTO dedup_sig_5 SELECT id, sig, bands FROM dedup_sig`,
		`DROP TABLE dedup_sig`,
		`ALTER TABLE dedup_sig_5 RENAME TO dedup_sig`,
	}
}

// openMigrated opens the store at root, which was made a format from store, and
// returns it with the format it has after the migration on open.
func openMigrated(t *testing.T, root, from string) (*Store, string) {
	t.Helper()
	st, err := Open(context.Background(), root)
	if err != nil {
		t.Fatalf("open a format %s store: %v", from, err)
	}
	t.Cleanup(func() { st.Close() })
	var fv string
	if err := st.db.QueryRowContext(context.Background(), `SELECT value FROM meta WHERE key = 'format_version'`).Scan(&fv); err != nil {
		t.Fatal(err)
	}
	return st, fv
}

// longArticle is a text long enough that changing one of its sentences leaves a
// near-duplicate.
func longArticle(i int) string {
	var b strings.Builder
	for k := range 30 {
		b.WriteString(articleText(1000*i + k))
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String())
}

// Issue 15: a band row named its document by its 32-character id, a third of the row,
// in the table that took most of a growing store's page reads and writes. Format 6
// numbers the documents; the migration keeps every document's bands, and near-duplicates
// are still found, and changed documents leave no rows behind, after it.
func TestMigrateFormat5NumbersBands(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 6, longArticle))
	want, _ := bandState(t, st.db)
	st.Close()

	db, err := sql.Open("sqlite", filepath.Join(root, StoreDir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(format5DedupSQL(), `UPDATE meta SET value = '5' WHERE key = 'format_version'`) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, fv := openMigrated(t, root, "5")
	var idCols int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('dedup_band') WHERE name = 'id'`).Scan(&idCols); err != nil {
		t.Fatal(err)
	}
	if fv != storeFormatVersion || idCols != 0 {
		t.Fatalf("after migration: format %s, dedup_band has %d id columns", fv, idCols)
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

	// A near-duplicate of a migrated document is found through its numbered band rows.
	near := strings.Replace(longArticle(2), articleText(2000), "A different opening sentence.", 1)
	path := filepath.Join(t.TempDir(), "near.jsonl")
	line := fmt.Sprintf(`{"url":"https://example.org/near","title":"Near","published":"2024-06-01T10:00:00Z","text":%q}`+"\n", near)
	if err := os.WriteFile(path, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum := ingest(t, st, IngestOptions{}, path); sum.Duplicates != 1 {
		t.Fatalf("near-duplicate after migration: %+v", sum)
	}
	var orig string
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		if d.URL == "https://example.org/near" {
			orig = d.DupOf()
		}
	}
	if orig != DocumentID(schema.Document{URL: "https://example.com/a/2"}) {
		t.Fatalf("near-duplicate marked a duplicate of %q, want article 2", orig)
	}

	sum := ingest(t, st, IngestOptions{}, jsonlDocs(t, 6, func(i int) string { return longArticle(i+50) + " Revised." }))
	if sum.Modified != 6 {
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
