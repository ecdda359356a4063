package corpus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/newsds/newsds/schema"
)

// Group commit: an ingest stages its documents in transactions of up to batchDocs
// documents, or of what batchAge of work produced, whichever comes first. One
// transaction per document cost more in SQLite's commit than the document itself. A
// killed ingest loses at most the open batch (work that a rerun redoes); committed
// versions are other rows, which an ingest never writes.
const (
	batchDocs = 1024
	batchAge  = time.Second
)

// docBatch is the open group transaction of an ingest's writer.
type docBatch struct {
	s *Store
	// ctx is the ingest's context without its cancellation: an interrupted ingest
	// still commits the documents it finished (database/sql would roll the
	// transaction back when its context ends).
	ctx context.Context
	// conn is the writer's own connection, taken from the pool for the whole ingest,
	// with a larger page cache than the pool's connections (see writerCacheKiB).
	conn   *sql.Conn
	tx     *sql.Tx
	n      int
	opened time.Time
}

// writerCacheKiB is the page cache of an ingest's writing connection: enough for the
// upper levels of every index an ingest inserts into and much of a batch's dirty pages
// (with SQLite's default, 2 MiB, the writer re-read index pages from the file for every
// document and spilled dirty pages mid-batch). The pool's connections keep the
// default, so that readers' memory does not grow with the corpus.
const writerCacheKiB = 16 << 10

// defaultCacheKiB is SQLite's default page cache, restored before the writer's
// connection goes back to the pool.
const defaultCacheKiB = 2000

func (s *Store) newDocBatch(ctx context.Context) *docBatch {
	return &docBatch{s: s, ctx: context.WithoutCancel(ctx)}
}

func (b *docBatch) begin() error {
	if b.tx != nil {
		return nil
	}
	if b.conn == nil {
		conn, err := b.s.db.Conn(b.ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		if _, err := conn.ExecContext(b.ctx, `PRAGMA cache_size = -`+strconv.Itoa(writerCacheKiB)); err != nil {
			conn.Close()
			return fmt.Errorf("begin: %w", err)
		}
		b.conn = conn
	}
	tx, err := b.conn.BeginTx(b.ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	b.tx, b.n, b.opened = tx, 0, time.Now()
	return nil
}

// due reports whether the open batch should be committed now.
func (b *docBatch) due(now time.Time) bool {
	return b.tx != nil && (b.n >= batchDocs || now.Sub(b.opened) >= batchAge)
}

// flush commits the open batch, if any.
func (b *docBatch) flush() error {
	if b.tx == nil {
		return nil
	}
	tx := b.tx
	b.tx = nil
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit %d documents: %w", b.n, err)
	}
	return nil
}

// close abandons the open batch, if any, and returns the writer's connection to the
// pool with the default page cache (which frees the rest).
func (b *docBatch) close() {
	if b.tx != nil {
		b.tx.Rollback()
		b.tx = nil
	}
	if b.conn != nil {
		// A connection that keeps the batch's larger cache only costs memory until it
		// closes; nothing stored depends on it.
		_, _ = b.conn.ExecContext(b.ctx, `PRAGMA cache_size = -`+strconv.Itoa(defaultCacheKiB))
		b.conn.Close()
		b.conn = nil
	}
}

// inDoc runs fn for one document inside the open batch, under a savepoint: a document
// that fails is undone alone and the batch's other documents stay.
func (b *docBatch) inDoc(id string, fn func(tx *sql.Tx) error) error {
	if err := b.begin(); err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(b.ctx, `SAVEPOINT doc`); err != nil {
		return fmt.Errorf("document %s: savepoint: %w", id, err)
	}
	if err := fn(b.tx); err != nil {
		if _, rerr := b.tx.ExecContext(b.ctx, `ROLLBACK TO doc`); rerr != nil {
			return errors.Join(err, fmt.Errorf("document %s: roll back: %w", id, rerr))
		}
		// The savepoint is already rolled back; releasing it only pops it, and a
		// failure here leaves it for the batch's commit or rollback to end.
		_, _ = b.tx.ExecContext(b.ctx, `RELEASE doc`)
		return err
	}
	if _, err := b.tx.ExecContext(b.ctx, `RELEASE doc`); err != nil {
		return fmt.Errorf("document %s: release savepoint: %w", id, err)
	}
	b.n++
	return nil
}

// put stages one prepared document and records the input it came from (key, when not
// empty) as having produced the staged revision.
func (b *docBatch) put(doc schema.Document, raw *rawBlob, dd *dedupInput, key string) (PutResult, error) {
	var res PutResult
	err := b.inDoc(doc.ID, func(tx *sql.Tx) error {
		var err error
		if res, err = b.s.putDocument(b.ctx, tx, doc, raw, dd); err != nil {
			return err
		}
		if key == "" {
			return nil
		}
		if _, err := tx.ExecContext(b.ctx, recordInputSQL, key, doc.RawHash, res.DupOf, doc.ID); err != nil {
			return fmt.Errorf("record input: %w", err)
		}
		return nil
	})
	if err != nil {
		return PutResult{}, fmt.Errorf("store document %s: %w", doc.ID, err)
	}
	return res, nil
}

// recordInputSQL remembers which staged revision an input produced.
const recordInputSQL = `INSERT OR REPLACE INTO inputs(input_key, id, rev, raw_hash, dup_of)
	SELECT ?1, id, rev, ?2, ?3 FROM staged WHERE id = ?4`

// seenInput is what the inputs table says an input produced.
type seenInput struct {
	id    string
	rev   int64
	dupOf string
}

// lookupInputSQL finds an input's document when it is still the staged revision, with
// what proves that revision and its raw copy intact.
const lookupInputSQL = `SELECT i.id, i.rev, i.dup_of, i.raw_hash, r.rev_hash, r.doc, w.data
	FROM inputs i JOIN staged s ON s.id = i.id AND s.rev = i.rev JOIN revs r ON r.rev = i.rev
	LEFT JOIN raw w ON w.hash = i.raw_hash
	WHERE i.input_key = ?`

// lookupInput reports whether an input's key names the staged revision of its
// document, with that revision and its raw copy intact, so that storing the input again
// would change nothing. It reads the committed store outside the writer's transaction,
// so its yes is only a hint that the writer confirms (stillUnchanged); a damaged row
// gives no, so that the full ingest path replaces it.
func (s *Store) lookupInput(ctx context.Context, key string, dec *zstd.Decoder) (*seenInput, error) {
	var in seenInput
	var rawHash, revHash string
	var doc, raw []byte
	err := s.db.QueryRowContext(ctx, lookupInputSQL, key).Scan(&in.id, &in.rev, &in.dupOf, &rawHash, &revHash, &doc, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up input: %w", err)
	}
	if sum, ok := hashWithout(doc, `"ingested_at":`); !ok || sum != revHash {
		return nil, nil
	}
	if rawHash != "" {
		data, err := dec.DecodeAll(raw, nil)
		if err != nil || schema.SHA256Hex(data) != rawHash {
			return nil, nil //nolint:nilerr // a damaged copy is not a skip: the input is extracted again
		}
	}
	return &in, nil
}

// stillUnchanged confirms lookupInput's hint inside the open batch: the document is
// still staged at that revision (an earlier input of this ingest may have changed it),
// and a duplicate mark it carries still holds (see keptDuplicate). On false the caller
// ingests the input in full.
func (b *docBatch) stillUnchanged(in *seenInput) (bool, error) {
	if err := b.begin(); err != nil {
		return false, err
	}
	var rev int64
	err := b.tx.QueryRowContext(b.ctx, `SELECT rev FROM staged WHERE id = ?`, in.id).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("document %s: %w", in.id, err)
	}
	if rev != in.rev {
		return false, nil
	}
	if in.dupOf == "" {
		return true, nil
	}
	prev, ok, err := stagedDoc(b.ctx, b.tx, in.id)
	if err != nil || !ok {
		return false, err
	}
	return b.s.keptDuplicate(b.ctx, b.tx, prev)
}
