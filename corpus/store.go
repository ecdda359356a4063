package corpus

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/atomicfile"
	"github.com/newsds/newsds/schema"
)

// StoreDir is the folder under a corpus root that holds the store.
const StoreDir = ".newsds"

// storeFormatVersion is written into the store at creation and checked on open, so an
// older newsds refuses a store it does not understand instead of corrupting it. A store
// of an older format is migrated on open (see migrations).
//
//	1: the first format.
//	2: indexes on dedup_exact(id) and dedup_band(id), so that dropping a document's
//	   dedup entries is a lookup, not a scan; dedup_sig a rowid table (signatures
//	   stored in its pages, not one overflow page each); the inputs table (skip
//	   unchanged inputs).
//	3: dedup keys and signatures computed with internal/textfold's Arabic table, which
//	   also folds hamza on waw and yeh (ؤ ئ) like the annotators do; format 2 stores are
//	   re-indexed (their duplicate decisions are kept).
//	4: near-duplicate signatures by one-permutation hashing (one hash per shingle, not
//	   128); format 3 stores are re-indexed the same way.
//	5: dedup_sig.bands holds each document's LSH band keys, and the index
//	   dedup_band_id is gone: a document's band rows are deleted by their primary key
//	   (band key, id). The index was a second b-tree of every band row, 14 random
//	   inserts per stored document, which made ingest slow down as the corpus grew.
//	   revs.doc_sum and raw.data_sum: a CRC of the stored bytes, by which an unchanged
//	   re-ingest finds a revision and its raw copy intact without hashing the one and
//	   decompressing the other (NULL in rows of older stores: those are checked the
//	   long way).
//	6: dedup_band rows name their document by dedup_sig.doc, an integer key, not by
//	   its 32-character id: a band row took 52 bytes, a third of them the id, and the
//	   band table, 14 random inserts and look-ups per stored document, was half of
//	   the store's index pages, so a larger corpus read and wrote most of them from
//	   the file instead of the page cache. dedup_sig.doc is its INTEGER PRIMARY KEY,
//	   which VACUUM keeps (a table's implicit rowid it may change).
//	7: the index inputs_rev: re-marking a duplicate moves the inputs that made its
//	   revision to the new one, and drops the old revision unless a version holds
//	   it (see restage).
const storeFormatVersion = "7"

// migration turns a store of one format into the next, inside the transaction that also
// records the new format_version, so an interrupted migration leaves the older format
// intact.
type migration func(ctx context.Context, s *Store, tx *sql.Tx) error

// migrations[v] is the step from format v to v+1.
var migrations = map[string]migration{
	"1": execMigration(migrateTo2),
	"2": reindexDedup,
	"3": reindexDedup,
	"4": migrateTo5,
	"5": migrateTo6,
	"6": execMigration(inputsRevIndexSQL),
}

func execMigration(stmts string) migration {
	return func(ctx context.Context, _ *Store, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, stmts)
		return err
	}
}

// reindexDedup recomputes the exact key, signature and bands of every indexed document
// from its staged text, so that documents stored under an older fold are found by the
// current one. Which document is a duplicate of which is not decided again. The dedup
// tables are rebuilt empty in the current layout first (the documents not staged any
// more are dropped from them, as before).
func reindexDedup(ctx context.Context, s *Store, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM dedup_exact UNION SELECT id FROM dedup_sig ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("list indexed documents: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("list indexed documents: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list indexed documents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dedup_exact; DROP TABLE IF EXISTS dedup_band; DROP TABLE IF EXISTS dedup_sig;`+dedupSigSQL+dedupBandSQL); err != nil {
		return fmt.Errorf("empty the dedup tables: %w", err)
	}
	d := NewDeduper(s.cfg.Dedup)
	for _, id := range ids {
		doc, ok, err := stagedDoc(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("re-index %s: %w", id, err)
		}
		if !ok {
			continue
		}
		if err := indexDedupEntries(ctx, tx, id, d.input(doc.Text), true); err != nil {
			return fmt.Errorf("re-index %s: %w", id, err)
		}
	}
	return nil
}

// addBandsColumn adds dedup_sig.bands to a store of format 4 or older, if missing.
func addBandsColumn(ctx context.Context, tx *sql.Tx) error {
	return addColumn(ctx, tx, "dedup_sig", "bands", "BLOB")
}

// addColumn adds a nullable column to a table of an older store, if missing.
func addColumn(ctx context.Context, tx *sql.Tx, table, column, typ string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, column).Scan(&n); err != nil {
		return fmt.Errorf("%s columns: %w", table, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `ALTER TABLE `+table+` ADD COLUMN `+column+` `+typ); err != nil {
		return fmt.Errorf("add %s.%s: %w", table, column, err)
	}
	return nil
}

// migrateTo5 records every document's band keys in dedup_sig.bands, read through the
// index dedup_band_id, then drops that index. Documents are taken a page at a time,
// so memory does not grow with the corpus.
func migrateTo5(ctx context.Context, _ *Store, tx *sql.Tx) error {
	compact, err := compactBands(ctx, tx)
	if err != nil {
		return err
	}
	if compact {
		// reindexDedup (from format 3 or older) rebuilt the dedup tables in the
		// current layout, bands recorded; the raw and revs sums are still missing.
		if err := addColumn(ctx, tx, "revs", "doc_sum", "INTEGER"); err != nil {
			return err
		}
		return addColumn(ctx, tx, "raw", "data_sum", "INTEGER")
	}
	if err := addBandsColumn(ctx, tx); err != nil {
		return err
	}
	if err := addColumn(ctx, tx, "revs", "doc_sum", "INTEGER"); err != nil {
		return err
	}
	if err := addColumn(ctx, tx, "raw", "data_sum", "INTEGER"); err != nil {
		return err
	}
	for last := ""; ; {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM dedup_sig WHERE id > ? AND bands IS NULL ORDER BY id LIMIT ?`, last, pageSize)
		if err != nil {
			return fmt.Errorf("list signatures: %w", err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("list signatures: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list signatures: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		for _, id := range ids {
			keys, err := bandKeysOf(ctx, tx, id)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE dedup_sig SET bands = ? WHERE id = ?`, encodeBands(keys), id); err != nil {
				return fmt.Errorf("record the bands of %s: %w", id, err)
			}
		}
		last = ids[len(ids)-1]
	}
	if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS dedup_band_id`); err != nil {
		return fmt.Errorf("drop dedup_band_id: %w", err)
	}
	return nil
}

// compactBands reports whether dedup_band is in the layout of format 6 (rows by
// dedup_sig.doc).
func compactBands(ctx context.Context, tx *sql.Tx) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('dedup_band') WHERE name = 'doc'`).Scan(&n); err != nil {
		return false, fmt.Errorf("dedup_band columns: %w", err)
	}
	return n > 0, nil
}

// migrateTo6 numbers the signatures (dedup_sig.doc) and rewrites every band row with
// its document's number in place of its id, in key order (each table is written once,
// sequentially). Band rows of an id without a signature row were never a candidate
// (a candidate without a signature is no match), and are left out.
func migrateTo6(ctx context.Context, _ *Store, tx *sql.Tx) error {
	compact, err := compactBands(ctx, tx)
	if err != nil || compact {
		return err
	}
	const stmts = `
ALTER TABLE dedup_sig RENAME TO dedup_sig_5;
ALTER TABLE dedup_band RENAME TO dedup_band_5;
` + dedupSigSQL + dedupBandSQL + `
INSERT INTO dedup_sig(id, sig, bands) SELECT id, sig, bands FROM dedup_sig_5 ORDER BY id;
INSERT INTO dedup_band(band_key, doc) SELECT b.band_key, g.doc FROM dedup_band_5 b JOIN dedup_sig g ON g.id = b.id ORDER BY 1, 2;
DROP TABLE dedup_band_5;
DROP TABLE dedup_sig_5;
`
	if _, err := tx.ExecContext(ctx, stmts); err != nil {
		return fmt.Errorf("number the band rows: %w", err)
	}
	return nil
}

// bandKeysOf reads a document's band keys from dedup_band by id (through
// dedup_band_id, which a store being migrated still has).
func bandKeysOf(ctx context.Context, tx *sql.Tx, id string) ([]uint64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT band_key FROM dedup_band WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("bands of %s: %w", id, err)
	}
	defer rows.Close()
	var keys []uint64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("bands of %s: %w", id, err)
		}
		keys = append(keys, uint64(k))
	}
	return keys, rows.Err()
}

// migrateTo2 adds what format 2 has beyond 1; schemaSQL creates the same objects for a
// new store.
const migrateTo2 = `
CREATE INDEX IF NOT EXISTS dedup_exact_id ON dedup_exact(id);
CREATE INDEX IF NOT EXISTS dedup_band_id ON dedup_band(id);
CREATE TABLE dedup_sig_2 (id TEXT PRIMARY KEY, sig BLOB NOT NULL);
INSERT INTO dedup_sig_2(id, sig) SELECT id, sig FROM dedup_sig ORDER BY id;
DROP TABLE dedup_sig;
ALTER TABLE dedup_sig_2 RENAME TO dedup_sig;
` + inputsSQL

// inputsSQL is the table of inputs already ingested: the key of an input (its bytes, the
// fields its container gave, the ingest options and the newsds build; see inputKey) →
// the document and revision it produced. Re-ingesting an input whose key is there and
// whose revision is still the staged one is known to change nothing, so it is skipped
// before any extraction.
const inputsSQL = `
CREATE TABLE IF NOT EXISTS inputs (
	input_key TEXT PRIMARY KEY,
	id TEXT NOT NULL,
	rev INTEGER NOT NULL,
	raw_hash TEXT NOT NULL,
	dup_of TEXT NOT NULL
) WITHOUT ROWID;
` + inputsRevIndexSQL

// inputsRevIndexSQL indexes the inputs by the revision they made (format 7): a
// re-marked duplicate's inputs are found by it. New revisions take the largest number,
// so its inserts append at the index's end.
const inputsRevIndexSQL = `
CREATE INDEX IF NOT EXISTS inputs_rev ON inputs(rev);
`

// Errors a caller may act on.
var (
	ErrNotCorpus       = errors.New("not a newsds corpus (or any parent): run `newsds init`")
	ErrNothingToCommit = errors.New("nothing to commit: the staged documents and annotations equal the last version")
	ErrNotFound        = errors.New("not found")
	ErrAmbiguousID     = errors.New("more than one document starts with it")
)

// Store is an open corpus: its configuration and its SQLite store. It is safe for
// concurrent use.
type Store struct {
	root string
	cfg  *config.Config
	db   *sql.DB
	// now is the clock for ingested_at and commit times; tests replace it.
	now func() time.Time
	// zstd compresses kept raw inputs; one encoder serves every goroutine (EncodeAll is
	// safe for concurrent use), since building one per document costs more than the
	// compression itself.
	zstd *zstd.Encoder
}

const schemaSQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- raw input bytes, zstd-compressed, by sha256 of the uncompressed bytes; data_sum is
-- storedSum(data)
CREATE TABLE IF NOT EXISTS raw (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL, data_sum INTEGER);
-- every distinct revision of a document stored, but the replaced duplicate marks that no
-- version holds (see restage); doc is the export JSON, doc_sum
-- storedSum(doc)
CREATE TABLE IF NOT EXISTS revs (
	rev INTEGER PRIMARY KEY,
	id TEXT NOT NULL,
	rev_hash TEXT NOT NULL UNIQUE,
	content_hash TEXT NOT NULL,
	doc BLOB NOT NULL,
	doc_sum INTEGER
);
CREATE INDEX IF NOT EXISTS revs_id ON revs(id);
-- the working set: one revision per document id
CREATE TABLE IF NOT EXISTS staged (id TEXT PRIMARY KEY, rev INTEGER NOT NULL REFERENCES revs(rev)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS versions (
	seq INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	tag TEXT UNIQUE,
	message TEXT NOT NULL,
	created_at TEXT NOT NULL,
	documents INTEGER NOT NULL,
	annotations INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS version_docs (seq INTEGER NOT NULL, id TEXT NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY (seq, id)) WITHOUT ROWID;
-- every distinct annotation ever stored; body is the schema.Annotation JSON
CREATE TABLE IF NOT EXISTS anns (
	aid INTEGER PRIMARY KEY,
	ann_hash TEXT NOT NULL UNIQUE,
	doc_id TEXT NOT NULL,
	layer TEXT NOT NULL,
	annotator TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS staged_anns (
	doc_id TEXT NOT NULL, layer TEXT NOT NULL, annotator TEXT NOT NULL, aid INTEGER NOT NULL,
	PRIMARY KEY (doc_id, layer, annotator)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS version_anns (
	seq INTEGER NOT NULL, doc_id TEXT NOT NULL, layer TEXT NOT NULL, annotator TEXT NOT NULL, aid INTEGER NOT NULL,
	PRIMARY KEY (seq, doc_id, layer, annotator)
) WITHOUT ROWID;
-- dedup indexes: exact normalised-text key, and MinHash signatures with their LSH band keys
CREATE TABLE IF NOT EXISTS dedup_exact (key TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
` + dedupSigSQL + dedupBandSQL + `
-- a changed or removed document's exact key is dropped by id
CREATE INDEX IF NOT EXISTS dedup_exact_id ON dedup_exact(id);
-- external annotator results by (content hash, annotator, parameters)
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
` + inputsSQL

// dedupSigSQL is the table of near-duplicate signatures. A rowid table: a 1 KiB
// signature is too large for a WITHOUT ROWID row, which would spill each one to an
// overflow page of its own (4 KiB per document). doc numbers the document for its
// dedup_band rows; bands are its band keys (little-endian uint64s, sorted), by which
// those rows are deleted.
const dedupSigSQL = `
CREATE TABLE IF NOT EXISTS dedup_sig (doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, sig BLOB NOT NULL, bands BLOB);
`

// dedupBandSQL is the LSH band index: one row per band key of each signature, by
// dedup_sig.doc (see format 6).
const dedupBandSQL = `
CREATE TABLE IF NOT EXISTS dedup_band (band_key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (band_key, doc)) WITHOUT ROWID;
`

// FindRoot walks up from start to the nearest folder holding a corpus store.
func FindRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("find corpus: %w", err)
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, StoreDir, "store.db")); err == nil && !st.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s: %w", start, ErrNotCorpus)
		}
		dir = parent
	}
}

// Init creates a corpus at root: a commented newsds.yaml (kept if one exists) and an
// empty store. Initialising an existing corpus is an error.
func Init(ctx context.Context, root string) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	dbPath := filepath.Join(root, StoreDir, "store.db")
	if _, err := os.Stat(dbPath); err == nil {
		return fmt.Errorf("init: %s already holds a corpus", root)
	}
	cfgPath := filepath.Join(root, config.FileName)
	if _, err := os.Stat(cfgPath); errors.Is(err, os.ErrNotExist) {
		if err := atomicfile.WriteBytes(cfgPath, []byte(config.DefaultYAML), 0o644); err != nil {
			return fmt.Errorf("init: %w", err)
		}
	}
	if _, err := config.Load(root); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(root, StoreDir), 0o755); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	s, err := openDB(ctx, root, true)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	return s.Close()
}

// Open opens the corpus at root.
func Open(ctx context.Context, root string) (*Store, error) {
	if _, err := os.Stat(filepath.Join(root, StoreDir, "store.db")); err != nil {
		return nil, fmt.Errorf("%s: %w", root, ErrNotCorpus)
	}
	return openDB(ctx, root, false)
}

func openDB(ctx context.Context, root string, create bool) (*Store, error) {
	return openDBObserved(ctx, root, create, nil)
}

// sqliteURIPath escapes a file path for a "file:" URI: SQLite reads "?" as the start
// of the parameters, "#" as a fragment and "%XX" as an escape, so a corpus in a folder
// named "C#", "what?" or "100%" opened another file or none.
func sqliteURIPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// openDBObserved is openDB with every statement's text passed to observe (when not
// nil) before it runs: how TestHotStatementPlans finds the statements a workload
// repeats per document.
func openDBObserved(ctx context.Context, root string, create bool, observe func(query string)) (*Store, error) {
	cfg, err := config.Load(root)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(root, StoreDir, "store.db")
	// WAL lets readers stream a version while a writer stages new work; busy_timeout
	// makes concurrent commands wait for each other instead of failing. temp_store in
	// memory keeps each document's savepoint journal off the disk: with files it spills
	// past 64 KiB, which a document touching its band-index pages passes, and a 10k
	// ingest spent 1.2 s more in system time (2.0 against 0.75 s, alternating runs).
	// Its cost: each write statement inside a savepoint walks that journal, so the
	// re-marks a document makes inside its own are written many rows per statement
	// (restageAll).
	dsn := "file:" + sqliteURIPath(path) + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	conn, err := newStmtCacheConnector(dsn, observe)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db := sql.OpenDB(conn)
	// An ingest's writer and its workers' look-ups hold a connection each; keeping them
	// open keeps their compiled statements and page caches (database/sql keeps 2).
	db.SetMaxIdleConns(runtime.NumCPU() + 2)
	// The fastest level compresses news inputs about as well as the default for half
	// the CPU, which an ingest spends per document.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithLowerEncoderMem(true))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{root: root, cfg: cfg, db: db, now: func() time.Time { return time.Now().UTC() }, zstd: enc}
	if create {
		if _, err := db.ExecContext(ctx, schemaSQL); err != nil {
			db.Close()
			return nil, fmt.Errorf("create store %s: %w", path, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO meta(key, value) VALUES ('format_version', ?)`, storeFormatVersion); err != nil {
			db.Close()
			return nil, fmt.Errorf("create store %s: %w", path, err)
		}
	}
	var fv string
	if err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'format_version'`).Scan(&fv); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if _, ok := migrations[fv]; ok {
		if err := s.migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open store %s: migrate from format version %s: %w", path, fv, err)
		}
		fv = storeFormatVersion
	}
	if fv != storeFormatVersion {
		db.Close()
		return nil, fmt.Errorf("open store %s: format version %s is not supported by this newsds (wants %s)", path, fv, storeFormatVersion)
	}
	return s, nil
}

// migrate brings an older store to storeFormatVersion, one format at a time, each in
// its own transaction. The version is read again inside it: another process may have
// migrated the store since it was opened.
func (s *Store) migrate(ctx context.Context) error {
	for {
		done := false
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			var fv string
			if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'format_version'`).Scan(&fv); err != nil {
				return err
			}
			step, ok := migrations[fv]
			if !ok {
				done = true
				return nil
			}
			if err := step(ctx, s, tx); err != nil {
				return fmt.Errorf("to format version %s: %w", nextFormat(fv), err)
			}
			_, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'format_version'`, nextFormat(fv))
			return err
		})
		if err != nil || done {
			return err
		}
	}
}

// nextFormat is the format version after v (versions are decimal integers).
func nextFormat(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil {
		return v
	}
	return strconv.Itoa(n + 1)
}

// Root is the corpus folder.
func (s *Store) Root() string { return s.root }

// Config is the parsed newsds.yaml.
func (s *Store) Config() *config.Config { return s.cfg }

// Close closes the store.
func (s *Store) Close() error {
	s.zstd.Close()
	return s.db.Close()
}

// SetClock replaces the clock used for ingested_at and commit times (tests, replays).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// withTx runs fn in one transaction: every store write is all or nothing.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ResolveVersion accepts "v3", "3", a tag, "latest"/"HEAD" (the last commit), or
// "staged"/"" (the working set, Seq 0).
func (s *Store) ResolveVersion(ctx context.Context, ref string) (Version, error) {
	switch strings.ToLower(ref) {
	case "", "staged":
		var docs, anns int
		if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM staged), (SELECT count(*) FROM staged_anns)`).Scan(&docs, &anns); err != nil {
			return Version{}, fmt.Errorf("resolve staged: %w", err)
		}
		return Version{Name: "staged", Documents: docs, Annotations: anns}, nil
	case "latest", "head":
		v, err := s.scanVersion(s.db.QueryRowContext(ctx, versionCols+` ORDER BY seq DESC LIMIT 1`))
		if errors.Is(err, sql.ErrNoRows) {
			return Version{}, fmt.Errorf("resolve %q: no version committed yet", ref)
		}
		return v, err
	}
	row := s.db.QueryRowContext(ctx, versionCols+` WHERE name = ?1 OR tag = ?1 OR CAST(seq AS TEXT) = ?1`, ref)
	v, err := s.scanVersion(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Version{}, fmt.Errorf("version %q: %w", ref, ErrNotFound)
	}
	return v, err
}

const versionCols = `SELECT seq, name, COALESCE(tag, ''), message, created_at, documents, annotations FROM versions`

func (s *Store) scanVersion(row interface{ Scan(...any) error }) (Version, error) {
	var v Version
	var created string
	if err := row.Scan(&v.Seq, &v.Name, &v.Tag, &v.Message, &created, &v.Documents, &v.Annotations); err != nil {
		return Version{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return Version{}, fmt.Errorf("version %s: created_at %q: %w", v.Name, created, err)
	}
	v.CreatedAt = t
	return v, nil
}

// Versions lists the committed versions, oldest first.
func (s *Store) Versions(ctx context.Context) ([]Version, error) {
	rows, err := s.db.QueryContext(ctx, versionCols+` ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := s.scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("log: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func marshalDoc(d *schema.Document) ([]byte, error) {
	fillDocDefaults(d)
	return json.Marshal(d)
}

// fillDocDefaults gives a document's list and map fields their empty values, so that
// a stored body has [] and {} where a missing value would have written null.
func fillDocDefaults(d *schema.Document) {
	if d.Byline == nil {
		d.Byline = []string{}
	}
	if d.Meta == nil {
		d.Meta = map[string]any{}
	}
}
