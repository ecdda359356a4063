package corpus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsds/newsds/schema"
)

// jsonlDocs writes n small JSONL articles, "Article i" with a text of its own, and
// returns the file.
func jsonlDocs(t *testing.T, n int, text func(i int) string) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"url":"https://example.com/a/%d","title":"Article %d","published":"2024-05-0%dT10:00:00Z","text":%q}`+"\n",
			i, i, 1+i%9, text(i))
	}
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func articleText(i int) string {
	return fmt.Sprintf("Article number %d reports that the harbour of town %d reopened after the storm. "+
		"Fishermen of district %d returned to work on the %dth day, the port authority said.", i, i*7, i*13, i%28+1)
}

func stagedCount(t *testing.T, st *Store) int {
	t.Helper()
	v, err := st.ResolveVersion(context.Background(), "staged")
	if err != nil {
		t.Fatal(err)
	}
	return v.Documents
}

// countingPipeline is the real pipeline with prepare (the extraction step) counted.
func countingPipeline(st *Store, calls *atomic.Int64) pipeline {
	return pipeline{inputs: Inputs, prepare: func(in Input, opts IngestOptions, zone *time.Location) (schema.Document, error) {
		calls.Add(1)
		return st.prepare(in, opts, zone)
	}}
}

// Group commit: a document that fails to store is undone alone; the documents before
// it in its batch are committed, and the ingest reports the failure.
func TestIngestBatchKeepsDocumentsBeforeAFailure(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	// The store refuses the third document, as a full disk would refuse a write.
	if _, err := st.db.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE INSERT ON revs WHEN CAST(NEW.doc AS TEXT) LIKE '%"title":"Article 2"%'
		BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	path := jsonlDocs(t, 5, articleText)
	sum, err := st.Ingest(ctx, []string{path}, IngestOptions{Workers: 2})
	if err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Fatalf("ingest: %v, want the refusal", err)
	}
	if sum.Ingested != 2 {
		t.Errorf("summary %+v, want 2 ingested before the failure", sum)
	}
	var titles []string
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		titles = append(titles, d.Title)
	}
	if strings.Join(titles, ",") != "Article 0,Article 1" && strings.Join(titles, ",") != "Article 1,Article 0" {
		t.Errorf("staged %v, want articles 0 and 1", titles)
	}
}

// An interrupted ingest commits the documents it finished: its open batch is not lost
// to the cancellation (database/sql rolls back a transaction whose context ends).
func TestIngestInterruptedCommitsOpenBatch(t *testing.T) {
	st := newTestStore(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path := jsonlDocs(t, 20, articleText)
	_, err := st.Ingest(ctx, []string{path}, IngestOptions{Workers: 2, Progress: func(s IngestSummary) {
		if s.Records == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ingest: %v, want it interrupted", err)
	}
	if n := stagedCount(t, st); n != 3 {
		t.Fatalf("%d documents staged, want the 3 stored before the interruption", n)
	}
}

// Issue 15: re-ingesting unchanged input redid language id, MinHash, normalisation and
// compression before finding each document unchanged. An input already ingested with
// the same options is now skipped before extraction; other options, another
// configuration or an edited record are extracted again.
func TestReingestSkipsExtraction(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	path := jsonlDocs(t, 10, articleText)
	var calls atomic.Int64
	run := func(opts IngestOptions) *IngestSummary {
		t.Helper()
		sum, err := st.ingest(ctx, []string{path}, opts, countingPipeline(st, &calls))
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	run(IngestOptions{})
	if calls.Load() != 10 {
		t.Fatalf("first ingest extracted %d records, want 10", calls.Load())
	}
	calls.Store(0)
	if sum := run(IngestOptions{}); sum.Unchanged != 10 || calls.Load() != 0 {
		t.Fatalf("re-ingest: %+v with %d extractions, want 10 unchanged and none", sum, calls.Load())
	}
	// Another time zone could change dates: the inputs are extracted again.
	calls.Store(0)
	if run(IngestOptions{TimeZone: "Asia/Qatar"}); calls.Load() != 10 {
		t.Errorf("ingest with --tz extracted %d records, want 10", calls.Load())
	}
	// So could another configuration.
	st.cfg.DefaultSource = "elsewhere"
	calls.Store(0)
	if run(IngestOptions{TimeZone: "Asia/Qatar"}); calls.Load() != 10 {
		t.Errorf("ingest under another configuration extracted %d records, want 10", calls.Load())
	}
	// An edited record is a new input; the others are still skipped.
	if err := os.WriteFile(path, []byte(strings.Replace(mustRead(t, path), "town 0 ", "town zero ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	calls.Store(0)
	if sum := run(IngestOptions{TimeZone: "Asia/Qatar"}); calls.Load() != 1 || sum.Modified != 1 || sum.Unchanged != 9 {
		t.Errorf("ingest of one edited record: %+v with %d extractions, want 1 modified, 9 unchanged, 1 extraction", sum, calls.Load())
	}
}

// The skip is a hint read outside the writer's transaction; the writer confirms it.
// Here the same article comes twice in one file, edited and then as first ingested: the
// second is skippable by what is committed, but the first has just changed it, so it
// must be ingested in full and win, as without the skip.
func TestReingestSkipRecheckedByWriter(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	original := `{"url":"https://example.com/a","title":"Harbour","text":"The harbour reopened after the storm, the port authority said on Monday."}`
	edited := `{"url":"https://example.com/a","title":"Harbour","text":"The harbour reopened after the storm, the port authority said on Tuesday."}`
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.jsonl"), filepath.Join(dir, "second.jsonl")
	os.WriteFile(first, []byte(original+"\n"), 0o644)
	// Padding records keep the worker that looks up the last line ahead of the writer.
	var b strings.Builder
	b.WriteString(edited + "\n")
	for i := range 30 {
		fmt.Fprintf(&b, `{"url":"https://example.com/pad/%d","title":"Pad %d","text":%q}`+"\n", i, i, articleText(i))
	}
	b.WriteString(original + "\n")
	os.WriteFile(second, []byte(b.String()), 0o644)
	for _, p := range []string{first, second} {
		if _, err := st.Ingest(ctx, []string{p}, IngestOptions{Workers: 4}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := st.Document(ctx, "staged", DocumentID(schema.Document{URL: "https://example.com/a"}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "Monday") {
		t.Errorf("staged text %q, want the last input's (Monday)", d.Text)
	}
}

// A damaged staged revision or kept input is repaired by ingesting the input again
// (see FixCorruptDocument, FixCorruptRaw): the skip must not pass over them.
func TestReingestRepairsDamagedRevision(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	path := jsonlDocs(t, 3, articleText)
	ingest(t, st, IngestOptions{}, path)
	if _, err := st.db.ExecContext(ctx, `UPDATE revs SET doc = replace(doc, 'harbour', 'harbOur') WHERE rev = 1`); err != nil {
		t.Fatal(err)
	}
	var rawHash string
	// Another document's raw copy, so that each damage alone must undo the skip.
	if err := st.db.QueryRowContext(ctx, `SELECT json_extract(doc, '$.raw_hash') FROM revs WHERE rev = 2`).Scan(&rawHash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.ExecContext(ctx, `UPDATE raw SET data = x'28b52ffd00' WHERE hash = ?`, rawHash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Raw(ctx, rawHash); err == nil {
		t.Fatal("the damaged raw copy reads back")
	}
	// The third document's ingest time, which rev_hash does not cover.
	if _, err := st.db.ExecContext(ctx, `UPDATE revs SET doc = replace(doc, json_extract(doc, '$.ingested_at'), 'yesterday') WHERE rev = 3`); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rev := 1; rev <= 3; rev++ {
		var id string
		if err := st.db.QueryRowContext(ctx, `SELECT id FROM revs WHERE rev = ?`, rev).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for i, want := range []bool{true, false, true} {
		if _, err := st.Document(ctx, "staged", ids[i]); errors.Is(err, ErrCorrupt) != want {
			t.Fatalf("revision %d after the damage: %v, want damaged %v", i+1, err, want)
		}
	}
	ingest(t, st, IngestOptions{}, path)
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatalf("after re-ingest: %v", err)
		}
		if strings.Contains(d.Text, "harbOur") {
			t.Fatalf("document %s still damaged", d.ID)
		}
	}
	if _, err := st.Raw(ctx, rawHash); err != nil {
		t.Fatalf("raw copy after re-ingest: %v", err)
	}
	// A repaired row carries the sum of its new bytes, so that the next re-ingest
	// proves it by the fast path again.
	rows, err := st.db.QueryContext(ctx, `SELECT rev, doc, doc_sum FROM revs`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var rev, sum int64
		var doc []byte
		if err := rows.Scan(&rev, &doc, &sum); err != nil {
			t.Fatal(err)
		}
		if sum != storedSum(doc) {
			t.Errorf("revision %d: doc_sum does not match its bytes after the repair", rev)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A store of format 1 (no dedup id indexes, signatures in a WITHOUT ROWID table, no
// inputs table) is migrated on open: same documents, the new indexes and tables, and
// ingest works on it.
func TestMigrateFormat1(t *testing.T) {
	root := t.TempDir()
	ctx := context.Background()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	path := jsonlDocs(t, 8, articleText)
	ingest(t, st, IngestOptions{}, path)
	st.Close()

	// Format 1, as newsds before format 2 created it.
	db, err := sql.Open("sqlite", filepath.Join(root, StoreDir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(format5DedupSQL(),
		`DROP TABLE inputs`, `DROP INDEX dedup_exact_id`, `DROP INDEX IF EXISTS dedup_band_id`,
		`CREATE TABLE dedup_sig_1 (id TEXT PRIMARY KEY, sig BLOB NOT NULL) WITHOUT ROWID`,
		`INSERT INTO dedup_sig_1 SELECT id, sig FROM dedup_sig`, `DROP TABLE dedup_sig`,
		`ALTER TABLE dedup_sig_1 RENAME TO dedup_sig`,
		`UPDATE meta SET value = '1' WHERE key = 'format_version'`,
	) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err = Open(ctx, root)
	if err != nil {
		t.Fatalf("open a format 1 store: %v", err)
	}
	defer st.Close()
	var fv, sigSQL string
	var objects, sigs int
	if err := st.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'format_version'`).Scan(&fv); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('inputs', 'dedup_exact_id')`).Scan(&objects); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE name = 'dedup_sig'`).Scan(&sigSQL); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM dedup_sig`).Scan(&sigs); err != nil {
		t.Fatal(err)
	}
	if fv != storeFormatVersion || objects != 2 || strings.Contains(sigSQL, "WITHOUT ROWID") || sigs != 8 {
		t.Fatalf("after migration: format %s, %d of 2 new objects, dedup_sig %q with %d rows", fv, objects, sigSQL, sigs)
	}
	if n := stagedCount(t, st); n != 8 {
		t.Fatalf("%d documents after migration, want 8", n)
	}
	var calls atomic.Int64
	for range 2 {
		sum, err := st.ingest(ctx, []string{path}, IngestOptions{}, countingPipeline(st, &calls))
		if err != nil || sum.Unchanged != 8 {
			t.Fatalf("re-ingest after migration: %+v, %v", sum, err)
		}
	}
	// The first re-ingest has no inputs recorded yet and extracts; the second skips.
	if calls.Load() != 8 {
		t.Errorf("%d extractions over two re-ingests, want 8", calls.Load())
	}
}

// A JSONL record with html is extracted with the file's modification time as the bound
// for its dates, so touching the file makes it a new input; a record of text fields
// does not depend on the time, and stays skipped.
func TestReingestJSONLHTMLFollowsModTime(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mixed.jsonl")
	lines := `{"url":"https://example.com/h","html":"<html><head><title>Harbour</title></head><body><article><p>The harbour reopened after the storm, the port authority said on Monday, and fishermen returned.</p></article></body></html>"}
{"url":"https://example.com/t","title":"Storm","text":"The storm passed over the coast on Sunday night, the weather service said."}
`
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	run := func() {
		t.Helper()
		if _, err := st.ingest(ctx, []string{path}, IngestOptions{}, countingPipeline(st, &calls)); err != nil {
			t.Fatal(err)
		}
	}
	run()
	calls.Store(0)
	if run(); calls.Load() != 0 {
		t.Fatalf("re-ingest extracted %d records, want none", calls.Load())
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	calls.Store(0)
	if run(); calls.Load() != 1 {
		t.Errorf("re-ingest of the touched file extracted %d records, want the html one", calls.Load())
	}
}

// PutAnnotations stages many annotations in one transaction: each as PutAnnotation
// would (changed the first time, not the second), and none when one of them fails.
func TestPutAnnotationsBatch(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 3, articleText))
	var anns []schema.Annotation
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		anns = append(anns, schema.Annotation{DocID: d.ID, Layer: "sentiment", Annotator: schema.Annotator{Name: "batch", Version: "1"},
			Items: []schema.Item{{Label: "neutral"}}})
	}
	changed, err := st.PutAnnotations(ctx, anns)
	if err != nil || len(changed) != 3 || !changed[0] || !changed[1] || !changed[2] {
		t.Fatalf("first put: %v, %v", changed, err)
	}
	if changed, err = st.PutAnnotations(ctx, anns); err != nil || changed[0] || changed[1] || changed[2] {
		t.Fatalf("same work again: %v, %v", changed, err)
	}
	v2 := slices.Clone(anns)
	for i := range v2 {
		v2[i].Annotator.Version = "2"
	}
	v2 = append(v2, schema.Annotation{DocID: "not-staged", Layer: "sentiment", Annotator: schema.Annotator{Name: "batch", Version: "2"}})
	if _, err := st.PutAnnotations(ctx, v2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a batch with an unknown document: %v, want ErrNotFound", err)
	}
	for _, a := range anns {
		got, err := st.Annotations(ctx, "staged", a.DocID)
		if err != nil || len(got) != 1 || got[0].Annotator.Version != "1" {
			t.Fatalf("after the failed batch, %s has %+v (%v), want version 1 alone", a.DocID, got, err)
		}
	}
}

// Issue 15: MinHash signatures (1 KiB) were kept in a WITHOUT ROWID table, whose rows
// that size spill to an overflow page each: 4.5 KiB of file per document. In a rowid
// table they share pages.
func TestSignatureStorage(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 60, articleText))
	var bytes, rows int
	if err := st.db.QueryRowContext(ctx, `SELECT sum(pgsize) FROM dbstat WHERE name = 'dedup_sig'`).Scan(&bytes); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM dedup_sig`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 60 || bytes/rows > 1536 {
		t.Errorf("dedup_sig takes %d bytes for %d signatures (%d each), want at most 1.5 KiB each", bytes, rows, bytes/max(rows, 1))
	}
}

// A store of format 2 holds dedup keys folded without hamza seats on waw and yeh, and a
// store of format 2 or 3 signatures of 128 permutations, not one-permutation hashing; on
// open they are recomputed with the shared fold, so a copy that differs only in those
// seats is found as a duplicate of the stored original, and `check` finds every stored
// signature equal to its recomputed one.
func TestMigrateFormat2Reindexes(t *testing.T) { testMigrateReindexes(t, "2") }

func TestMigrateFormat3Reindexes(t *testing.T) { testMigrateReindexes(t, "3") }

func testMigrateReindexes(t *testing.T, from string) {
	root := t.TempDir()
	ctx := context.Background()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	original := "قال المسؤول إن رئيس الهيئة سيزور المدينة الأسبوع المقبل لافتتاح المشروع الجديد في الحي الشمالي"
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 1, func(int) string { return original }))
	st.Close()

	// Stand in for the keys an older fold computed: none of them matches now.
	db, err := sql.Open("sqlite", filepath.Join(root, StoreDir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(format5DedupSQL(),
		`UPDATE dedup_exact SET key = 'format-2-key'`,
		`UPDATE dedup_sig SET sig = zeroblob(length(sig))`,
		`UPDATE dedup_band SET band_key = band_key + 1`,
		`UPDATE meta SET value = '`+from+`' WHERE key = 'format_version'`,
	) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err = Open(ctx, root)
	if err != nil {
		t.Fatalf("open a format %s store: %v", from, err)
	}
	defer st.Close()
	rep, err := st.Check(ctx, CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check after migration: %v, problems %v", err, rep.Problems)
	}
	copyText := strings.NewReplacer("ؤ", "و", "ئ", "ي").Replace(original)
	path := filepath.Join(t.TempDir(), "copy.jsonl")
	line := fmt.Sprintf(`{"url":"https://example.org/copy","title":"Copy","text":%q}`+"\n", copyText)
	if err := os.WriteFile(path, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	ingest(t, st, IngestOptions{}, path)
	var dupOf string
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		if d.URL == "https://example.org/copy" {
			dupOf = d.DupOf()
		}
	}
	if dupOf == "" {
		t.Fatal("the copy differing only in hamza seats is not marked a duplicate after migration")
	}
}

// An ingest's writer keeps SQLite's default page cache until it has committed a full
// batch of stored documents (batches that only confirm unchanged inputs store none),
// and takes the bulk cache from then on; the annotation group keeps SQLite's default.
func TestWriterCacheGrowsAfterFullBatch(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	cacheOf := func(b *docBatch) int {
		t.Helper()
		var kib int
		if err := b.tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
			t.Fatal(err)
		}
		return -kib
	}
	b := st.newDocBatch(ctx)
	b.maxDocs = 3
	defer b.close()
	// Documents stored by each batch, and the cache it must run with.
	for i, step := range []struct{ docs, want int }{
		{0, defaultCacheKiB}, {2, defaultCacheKiB}, {0, defaultCacheKiB}, {1, defaultCacheKiB}, {0, bulkCacheKiB}, {1, bulkCacheKiB},
	} {
		if err := b.begin(); err != nil {
			t.Fatal(err)
		}
		if got := cacheOf(b); got != step.want {
			t.Errorf("batch %d: page cache %d KiB, want %d", i+1, got, step.want)
		}
		for range step.docs {
			if err := b.inDoc("doc", func(*sql.Tx) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.flush(); err != nil {
			t.Fatal(err)
		}
	}
	g := st.AnnotationGroup(ctx).(*annGroup)
	defer g.Close()
	g.b.maxDocs = 1
	for i := range 3 {
		if err := g.b.begin(); err != nil {
			t.Fatal(err)
		}
		if got := cacheOf(g.b); got != defaultCacheKiB {
			t.Errorf("annotation group %d: page cache %d KiB, want %d", i+1, got, defaultCacheKiB)
		}
		if err := g.b.inDoc("doc", func(*sql.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if err := g.b.flush(); err != nil {
			t.Fatal(err)
		}
	}
}
