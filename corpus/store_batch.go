package corpus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/newsds/newsds/schema"
)

// Group commit: an ingest stages its documents in transactions of up to
// ingestBatchDocs documents, or of what ingestBatchAge of work produced, whichever
// comes first; an annotation group commits every batchDocs annotations or batchAge.
// One transaction per document cost more in SQLite's commit than the document itself.
// A killed ingest loses at most the open batch (work that a rerun redoes); committed
// versions are other rows, which an ingest never writes.
//
// An ingest's batch is the larger because what a commit writes is mostly index pages
// dirtied at random keys (document ids, hashes, band keys): once those b-trees outgrow
// the batch, each commit rewrites a page per key, and a batch four times larger shares
// each rewritten page among four times as many documents. At 100k documents it cut
// ingest CPU by a fifth and system time by half; an annotation run touches each
// document's pages once and gains nothing from it.
const (
	ingestBatchDocs = 4096
	ingestBatchAge  = 2 * time.Second
	batchDocs       = 1024
	batchAge        = time.Second
)

// docBatch is the open group transaction of an ingest's writer.
type docBatch struct {
	s *Store
	// ctx is the ingest's context without its cancellation: an interrupted ingest
	// still commits the documents it finished (database/sql would roll the
	// transaction back when its context ends).
	ctx context.Context
	// conn is the writer's own connection, taken from the pool for the whole ingest,
	// whose page cache grows for a bulk ingest (see bulkCacheKiB).
	conn   *sql.Conn
	tx     *sql.Tx
	n      int
	opened time.Time
	// maxDocs and maxAge bound the open batch.
	maxDocs int
	maxAge  time.Duration
	// cacheKiB is the page cache of conn while the batch holds it; bulkCacheKiB,
	// when larger, replaces it once the committed batches hold maxDocs documents.
	cacheKiB, bulkCacheKiB int
	// stored counts the documents of the batches committed on conn.
	stored int
	bulk   bool
	// enc encodes the bodies of the documents the batch stores.
	enc docEncoder
	// dem holds the duplicate re-marks of the open batch, made when it commits.
	dem *demotions
}

// bulkCacheKiB is the writer's page cache once an ingest has stored a full batch of
// documents. The documents' own pages (bodies, raw copies) pass through the cache once
// and crowd out the index pages that the next batch touches again; at 100k documents
// a 16 MiB cache missed most index lookups, each a read from the file. An ingest that
// stores less (the usual update of a corpus, or a re-ingest that finds its inputs
// unchanged and writes nothing) keeps SQLite's default: a batch's dirty pages outgrow
// any cache of a few MiB, and what is read again, the indexes' upper levels, fits in
// the default. Updating 4,000 of 100k documents took the same CPU with 2, 4 and 16 MiB
// (2.8–3.1 s, bench/scale -changed 4000, 2026-12-07), and 16 MiB held 40 MiB more
// memory at its peak.
const bulkCacheKiB = 64 << 10

// defaultCacheKiB is SQLite's default page cache: the writer's until it has stored a
// full batch, and restored before its connection goes back to the pool.
const defaultCacheKiB = 2000

// newDocBatch is the group writer of an ingest.
func (s *Store) newDocBatch(ctx context.Context) *docBatch {
	return &docBatch{s: s, ctx: context.WithoutCancel(ctx), maxDocs: ingestBatchDocs, maxAge: ingestBatchAge,
		cacheKiB: defaultCacheKiB, bulkCacheKiB: bulkCacheKiB, dem: newDemotions()}
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
		if _, err := conn.ExecContext(b.ctx, `PRAGMA cache_size = -`+strconv.Itoa(b.cacheKiB)); err != nil {
			conn.Close()
			return fmt.Errorf("begin: %w", err)
		}
		b.conn = conn
	}
	if !b.bulk && b.stored >= b.maxDocs && b.bulkCacheKiB > b.cacheKiB {
		if _, err := b.conn.ExecContext(b.ctx, `PRAGMA cache_size = -`+strconv.Itoa(b.bulkCacheKiB)); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		b.bulk = true
	}
	tx, err := b.conn.BeginTx(b.ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	b.tx, b.n, b.opened = tx, 0, time.Now()
	b.dem.reset()
	return nil
}

// due reports whether the open batch should be committed now.
func (b *docBatch) due(now time.Time) bool {
	return b.tx != nil && (b.n >= b.maxDocs || now.Sub(b.opened) >= b.maxAge)
}

// flush commits the open batch, if any.
func (b *docBatch) flush() error {
	if b.tx == nil {
		return nil
	}
	tx := b.tx
	b.tx = nil
	if err := b.dem.apply(b.ctx, tx); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("commit %d documents: %w", b.n, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit %d documents: %w", b.n, err)
	}
	b.stored += b.n
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
	mark := b.dem.mark()
	if err := fn(b.tx); err != nil {
		b.dem.undo(mark)
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
	b.dem.release()
	b.n++
	return nil
}

// put stages one prepared document and records the input it came from (key, when not
// empty) as having produced the staged revision.
func (b *docBatch) put(doc schema.Document, raw *rawBlob, dd *dedupInput, key string) (PutResult, error) {
	var res PutResult
	err := b.inDoc(doc.ID, func(tx *sql.Tx) error {
		var err error
		if res, err = b.s.putDocument(b.ctx, tx, b.dem, doc, raw, dd, &b.enc); err != nil {
			return err
		}
		if key == "" {
			return nil
		}
		if _, err := tx.ExecContext(b.ctx, recordInputSQL, key, doc.RawHash, res.DupOf, res.ID); err != nil {
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

// stillUnchanged confirms lookupSeenInput's hint inside the open batch: the document is
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
	return b.s.keptDuplicate(b.ctx, b.tx, b.dem, prev)
}

// AnnotationGroup is what Store.AnnotationGroup returns: annotate.Run stages a run's
// annotations through it (annotate declares the same interface, so that the runner
// knows nothing of the store).
type AnnotationGroup = interface {
	PutAnnotations(ctx context.Context, anns []schema.Annotation) (changed []bool, err error)
	Close() error
}

// annGroup stages the annotations of a run in group transactions on a connection of
// its own, as an ingest stages documents: a transaction per batch of 16 documents cost
// more in commits than the annotations themselves. A killed run loses at most the open
// group (work a rerun redoes, since the runner skips what is staged); committed
// versions are other rows.
type annGroup struct {
	b *docBatch
	// hashes holds the staged content hash of the documents read in the open
	// transaction.
	hashes map[string]string
}

// AnnotationGroup opens a group writer for a run's annotations; Close commits what it
// holds and gives its connection back.
func (s *Store) AnnotationGroup(ctx context.Context) AnnotationGroup {
	// The ingest writer's larger cache bought annotations no CPU (qa over 10k and 40k
	// documents) for 15–20 MiB more RSS: a run touches each document's pages once.
	b := &docBatch{s: s, ctx: context.WithoutCancel(ctx), maxDocs: batchDocs, maxAge: batchAge, cacheKiB: defaultCacheKiB}
	return &annGroup{b: b, hashes: map[string]string{}}
}

// PutAnnotations is Store.PutAnnotations inside the open group transaction: all of
// anns or none of them (a savepoint), each replacing what the same annotator staged
// before. The group commits once it holds batchDocs annotations or batchAge of work;
// changed[i] is PutAnnotation's changed for anns[i].
func (g *annGroup) PutAnnotations(_ context.Context, anns []schema.Annotation) (changed []bool, err error) {
	if len(anns) == 0 {
		return nil, nil
	}
	b := g.b
	if b.tx == nil {
		clear(g.hashes)
	}
	changed = make([]bool, len(anns))
	err = b.inDoc(anns[0].DocID, func(tx *sql.Tx) error {
		for i, a := range anns {
			if err := g.stagedHash(tx, a.DocID); err != nil {
				return fmt.Errorf("store annotation %s/%s/%s: %w", a.DocID, a.Layer, a.Annotator.Name, err)
			}
			var err error
			if changed[i], err = b.s.putAnnotation(b.ctx, tx, a, g.hashes); err != nil {
				return fmt.Errorf("store annotation %s/%s/%s: %w", a.DocID, a.Layer, a.Annotator.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store %d annotations: %w", len(anns), err)
	}
	// inDoc counted the savepoint as one; the group's size is its annotations.
	b.n += len(anns) - 1
	if b.due(time.Now()) {
		if err := b.flush(); err != nil {
			return nil, fmt.Errorf("store annotations: %w", err)
		}
	}
	return changed, nil
}

// stagedHash puts the staged content hash of a document in g.hashes, from the
// revision's content_hash column: putAnnotation would read and verify the whole
// document (its JSON, its hash) for it, which cost more than the annotation's own
// writes, and the runner has just read the document verified.
func (g *annGroup) stagedHash(tx *sql.Tx, docID string) error {
	if _, ok := g.hashes[docID]; ok {
		return nil
	}
	var h string
	err := tx.QueryRowContext(g.b.ctx, `SELECT r.content_hash FROM staged s JOIN revs r USING(rev) WHERE s.id = ?`, docID).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("document %s is not staged: %w", docID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read staged %s: %w", docID, err)
	}
	g.hashes[docID] = h
	return nil
}

// Close commits the open group, if any, and returns the writer's connection to the
// pool.
func (g *annGroup) Close() error {
	defer g.b.close()
	if err := g.b.flush(); err != nil {
		return fmt.Errorf("store annotations: %w", err)
	}
	return nil
}
