package corpus

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/newsds/newsds/schema"
)

// Outcome is what storing one document did to the working set.
type Outcome int

// Outcomes of PutDocument.
const (
	Added     Outcome = iota // a new id
	Unchanged                // identical to the staged revision
	Modified                 // same id, new content hash
	Updated                  // same id and text, changed metadata
)

func (o Outcome) String() string {
	return [...]string{"added", "unchanged", "modified", "updated"}[o]
}

// PutResult reports what PutDocument did.
type PutResult struct {
	// ID is the id the document is stored under: its own, or for a second article
	// under one title and day the one textArticleID gives it.
	ID      string
	Outcome Outcome
	// DupOf is the id of the document this one duplicates, "" if none.
	DupOf string
	// Similarity is the estimated Jaccard similarity to DupOf (1 for exact duplicates).
	Similarity float64
	// StaleAnnotations counts staged annotations whose text changed under them.
	StaleAnnotations int
	// Demoted counts the originals that this document displaced: they, with their
	// duplicates, now point at this document's original (see joinCluster).
	Demoted int
	// Released counts the duplicates of the cluster this document's old text belonged
	// to that are originals again now that it left (see reclusterWithout).
	Released int
}

// dedupInput is what PutDocument needs to place a document in the dedup indexes.
type dedupInput struct {
	exactKey  string
	signature []uint64
	bandKeys  []uint64
}

// PutDocument stages doc (whose ID, ContentHash and RawHash are set) with the raw
// bytes it came from, in one transaction. Duplicate detection runs inside the same
// transaction so that concurrent ingests cannot both claim to be the original.
func (s *Store) PutDocument(ctx context.Context, doc schema.Document, raw []byte, dd *dedupInput) (PutResult, error) {
	return s.putPrepared(ctx, doc, s.blob(raw), dd)
}

// rawBlob is an input compressed for the raw table, ready before the write transaction
// so that compression runs on the ingest workers, not in the single writer.
type rawBlob struct {
	size int
	data []byte
}

// blob compresses raw input bytes; nil stays nil (nothing to keep).
func (s *Store) blob(raw []byte) *rawBlob {
	var scratch []byte
	return s.blobInto(raw, &scratch)
}

// blobInto is blob compressing into *scratch, which it keeps grown for the caller's
// next input: the encoder (in its low-memory mode) starts from an empty buffer and
// grows it several times per input, and that garbage cost more than the one copy out
// to a blob of the exact size.
func (s *Store) blobInto(raw []byte, scratch *[]byte) *rawBlob {
	if raw == nil {
		return nil
	}
	if need := s.zstd.MaxEncodedSize(len(raw)); cap(*scratch) < need {
		*scratch = make([]byte, 0, need)
	}
	*scratch = s.zstd.EncodeAll(raw, (*scratch)[:0])
	return &rawBlob{size: len(raw), data: bytes.Clone(*scratch)}
}

// docEncoder writes the bytes marshalDoc would into one buffer that it reuses: the
// writer encodes every document it stores, and a fresh buffer per document was a
// tenth of what an ingest allocates. A body it returns is valid until the next call.
type docEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// marshal encodes d as marshalDoc does; a nil encoder is marshalDoc.
func (e *docEncoder) marshal(d *schema.Document) ([]byte, error) {
	if e == nil {
		return marshalDoc(d)
	}
	if e.enc == nil {
		// json.Marshal escapes HTML too, which is json.Encoder's default.
		e.enc = json.NewEncoder(&e.buf)
	}
	fillDocDefaults(d)
	e.buf.Reset()
	if err := e.enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode document %s: %w", d.ID, err)
	}
	// Encode ends the value with a newline that Marshal does not write.
	return bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'}), nil
}

func (s *Store) putPrepared(ctx context.Context, doc schema.Document, raw *rawBlob, dd *dedupInput) (PutResult, error) {
	var res PutResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		dem := newDemotions()
		if res, err = s.putDocument(ctx, tx, dem, doc, raw, dd, nil); err != nil {
			return err
		}
		return dem.apply(ctx, tx)
	})
	if err != nil {
		return PutResult{}, fmt.Errorf("store document %s: %w", doc.ID, err)
	}
	return res, nil
}

// putDocument stages one prepared document in tx, recording in dem the originals it
// demotes (which tx's owner applies before it commits); enc (nil for a fresh buffer)
// encodes its body.
func (s *Store) putDocument(ctx context.Context, tx *sql.Tx, dem *demotions, doc schema.Document, raw *rawBlob, dd *dedupInput, enc *docEncoder) (PutResult, error) {
	var res PutResult
	if raw != nil {
		if err := putRaw(ctx, tx, doc.RawHash, raw); err != nil {
			return res, err
		}
	}
	prev, hasPrev, err := stagedPrevious(ctx, tx, dem, doc.ID)
	if err != nil {
		return res, err
	}
	if hasPrev && dd != nil {
		other, err := otherArticle(ctx, tx, doc, prev, dd)
		if err != nil {
			return res, err
		}
		if other {
			doc.ID = textArticleID(doc.ID, dd.exactKey)
			if prev, hasPrev, err = stagedPrevious(ctx, tx, dem, doc.ID); err != nil {
				return res, err
			}
		}
	}
	res.ID = doc.ID
	if hasPrev && prev.ContentHash == doc.ContentHash {
		// Same text: the first ingest time stands, so re-ingesting changes nothing.
		doc.IngestedAt = prev.IngestedAt
	}
	if dd != nil {
		pl, err := s.placeDuplicate(ctx, tx, dem, &doc, prev, hasPrev, dd)
		if err != nil {
			return res, err
		}
		res.DupOf, res.Similarity, res.Demoted, res.Released = pl.dupOf, pl.similarity, pl.demoted, pl.released
	}
	body, err := enc.marshal(&doc)
	if err != nil {
		return res, err
	}
	// The revision hash is the body's with ingested_at emptied, as verify recomputes
	// it: hashing the bytes at hand saves encoding the document a second time.
	revHash, ok := hashWithout(body, `"ingested_at":`)
	if !ok {
		if revHash, err = revisionHash(doc); err != nil {
			return res, err
		}
	}
	switch {
	case !hasPrev:
		res.Outcome = Added
	case prev.ContentHash != doc.ContentHash:
		res.Outcome = Modified
	default:
		prevHash, err := revisionHash(prev)
		if err != nil {
			return res, err
		}
		same, err := sameRevision(prevHash, doc, prev.Provenance)
		if err != nil {
			return res, err
		}
		if same {
			res.Outcome = Unchanged
			return res, nil
		}
		res.Outcome = Updated
	}
	ins, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO revs(id, rev_hash, content_hash, doc, doc_sum) VALUES (?, ?, ?, ?, ?)`,
		doc.ID, revHash, doc.ContentHash, body, storedSum(body))
	if err != nil {
		return res, fmt.Errorf("insert revision: %w", err)
	}
	if n, err := ins.RowsAffected(); err == nil && n == 0 {
		if err := repairRevision(ctx, tx, revHash, doc, body); err != nil {
			return res, err
		}
	}
	if _, err := stageRevision(ctx, tx, doc.ID, revHash); err != nil {
		return res, err
	}
	if res.Outcome == Modified {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staged_anns sa JOIN anns a USING(aid)
			WHERE sa.doc_id = ? AND a.content_hash != ?`, doc.ID, doc.ContentHash).Scan(&res.StaleAnnotations); err != nil {
			return res, fmt.Errorf("count stale annotations: %w", err)
		}
	}
	return res, nil
}

// stagedPrevious is the staged revision of id that a document stored under id
// replaces.
func stagedPrevious(ctx context.Context, tx *sql.Tx, dem *demotions, id string) (schema.Document, bool, error) {
	if dem.pending(id) {
		// An original demoted earlier in this transaction is stored again: its staged
		// revision still reads as an original, and its duplicates as its own. Placing
		// it against that would undo the demotion; the re-marks are made first.
		// Rare (the same document twice in one batch), so all of them are.
		if err := dem.apply(ctx, tx); err != nil {
			return schema.Document{}, false, err
		}
	}
	prev, hasPrev, err := stagedDoc(ctx, tx, id)
	if errors.Is(err, ErrCorrupt) {
		// A damaged staged revision is replaced like a modified one: storing the input
		// again is the repair.
		return schema.Document{}, true, nil
	}
	return prev, hasPrev, err
}

// otherArticle tells whether doc, under a title-and-day id (see DocumentID) that
// already names prev, is a different article rather than a revision of prev (see
// SameArticle). The stored signature is prev's as dedup indexed it.
func otherArticle(ctx context.Context, tx *sql.Tx, doc schema.Document, prev schema.Document, dd *dedupInput) (bool, error) {
	if prev.ContentHash == doc.ContentHash || prev.Text == "" {
		return false, nil
	}
	if titled, ok := documentID(doc); !ok || titled != doc.ID {
		return false, nil
	}
	sig, err := signatureOf(ctx, tx, prev.ID)
	if err != nil {
		return false, err
	}
	return !SameArticle(dd.exactKey, dd.signature, ExactKey(prev.Text), sig), nil
}

// stageRevision makes the stored revision revHash of document id its staged one, and
// returns its number.
func stageRevision(ctx context.Context, tx *sql.Tx, id, revHash string) (rev int64, err error) {
	if err := tx.QueryRowContext(ctx, `INSERT INTO staged(id, rev) SELECT ?, rev FROM revs WHERE rev_hash = ?
		ON CONFLICT(id) DO UPDATE SET rev = excluded.rev RETURNING rev`, id, revHash).Scan(&rev); err != nil {
		return 0, fmt.Errorf("stage: %w", err)
	}
	return rev, nil
}

// revisionHash identifies a revision by everything but its ingest time.
func revisionHash(d schema.Document) (string, error) {
	d.IngestedAt = ""
	b, err := marshalDoc(&d)
	if err != nil {
		return "", err
	}
	return schema.SHA256Hex(b), nil
}

func stagedDoc(ctx context.Context, q queryer, id string) (schema.Document, bool, error) {
	_, d, err := readRevision(q.QueryRowContext(ctx, revisionSelect("s")+` FROM staged s LEFT JOIN revs r USING(rev) WHERE s.id = ?`, id), "staged")
	if errors.Is(err, sql.ErrNoRows) {
		return schema.Document{}, false, nil
	}
	if err != nil {
		return schema.Document{}, true, fmt.Errorf("read staged %s: %w", id, err)
	}
	return d, true, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func putRaw(ctx context.Context, tx *sql.Tx, hash string, raw *rawBlob) error {
	// The same input compresses to the same bytes, so a stored copy that differs is
	// damaged (or made by another encoder, and as good as this one): storing the input
	// again repairs it at the cost of a comparison.
	if _, err := tx.ExecContext(ctx, `INSERT INTO raw(hash, size, data, data_sum) VALUES (?, ?, ?, ?)
		ON CONFLICT(hash) DO UPDATE SET size = excluded.size, data = excluded.data, data_sum = excluded.data_sum
		WHERE raw.size != excluded.size OR raw.data != excluded.data OR raw.data_sum IS NOT excluded.data_sum`,
		hash, raw.size, raw.data, storedSum(raw.data)); err != nil {
		return fmt.Errorf("raw %s: %w", hash, err)
	}
	return nil
}

// Raw returns the input bytes a document was extracted from, by raw_hash, so that a
// newer extractor can re-extract without the original files.
func (s *Store) Raw(ctx context.Context, hash string) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM raw WHERE hash = ?`, hash).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("raw %s: %w", hash, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("raw %s: %w", hash, err)
	}
	dec, err := zstd.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("raw %s: %w", hash, err)
	}
	defer dec.Close()
	out, err := io.ReadAll(dec)
	if err != nil {
		return nil, fmt.Errorf("raw %s: decompress: %w", hash, err)
	}
	if schema.SHA256Hex(out) != hash {
		return nil, fmt.Errorf("raw %s: stored bytes do not match their hash", hash)
	}
	return out, nil
}

// RemoveResult is what Remove did.
type RemoveResult struct {
	Removed int `json:"removed"`
	// Released counts the duplicates of the removed documents that are originals
	// again (their original was removed and nothing else links them).
	Released int `json:"released"`
}

// Remove unstages documents (and their annotations); committed versions keep them.
func (s *Store) Remove(ctx context.Context, ids []string) (RemoveResult, error) {
	var res RemoveResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res = RemoveResult{}
		for _, id := range ids {
			prev, _, err := stagedDoc(ctx, tx, id)
			if err != nil && !errors.Is(err, ErrCorrupt) {
				return fmt.Errorf("remove %s: %w", id, err)
			}
			r, err := tx.ExecContext(ctx, `DELETE FROM staged WHERE id = ?`, id)
			if err != nil {
				return fmt.Errorf("remove %s: %w", id, err)
			}
			k, _ := r.RowsAffected()
			if k == 0 {
				return fmt.Errorf("remove %s: %w", id, ErrNotFound)
			}
			res.Removed++
			if _, err := tx.ExecContext(ctx, `DELETE FROM staged_anns WHERE doc_id = ?`, id); err != nil {
				return fmt.Errorf("remove %s: %w", id, err)
			}
			// Its copies are copies of nothing now unless another member links them.
			leaves := false
			if prev.ID != "" {
				if leaves, err = s.inCluster(ctx, tx, prev); err != nil {
					return fmt.Errorf("remove %s: %w", id, err)
				}
			}
			if err := dropDedup(ctx, tx, id); err != nil {
				return err
			}
			if leaves {
				released, err := s.reclusterWithout(ctx, tx, nil, prev)
				if err != nil {
					return fmt.Errorf("remove %s: %w", id, err)
				}
				res.Released += released
			}
		}
		return nil
	})
	if err != nil {
		return RemoveResult{}, err
	}
	return res, nil
}

// pageSize bounds how many rows one query of a stream holds: iteration never keeps a
// read transaction open while the caller works, and memory stays flat.
const pageSize = 256

// Documents streams the documents of a version ("" or "staged" = the working set) in
// id order, duplicates included (see schema.Document.DupOf).
func (s *Store) Documents(ctx context.Context, version string) iter.Seq2[schema.Document, error] {
	return func(yield func(schema.Document, error) bool) {
		for rec, err := range s.records(ctx, version, false) {
			if !yield(rec.Document, err) || err != nil {
				return
			}
		}
	}
}

// Records streams the documents of a version with their annotations, in id order.
// Annotations are sorted by layer, then annotator; Stale is set on those computed over
// another text than the document's current one.
func (s *Store) Records(ctx context.Context, version string) iter.Seq2[schema.Record, error] {
	return s.records(ctx, version, true)
}

func (s *Store) records(ctx context.Context, version string, withAnns bool) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		v, err := s.ResolveVersion(ctx, version)
		if err != nil {
			yield(schema.Record{}, err)
			return
		}
		last := ""
		var docs, anns int
		for {
			if err := ctx.Err(); err != nil {
				yield(schema.Record{}, err)
				return
			}
			page, err := s.docPage(ctx, v, last)
			if err != nil {
				yield(schema.Record{}, err)
				return
			}
			if len(page) == 0 {
				break
			}
			var annsOf map[string]*annotationsOf
			if withAnns {
				annsOf, err = s.annPage(ctx, v, page[0].id, page[len(page)-1].id)
				if err != nil {
					yield(schema.Record{}, err)
					return
				}
			}
			for _, e := range page {
				docs++
				rec := schema.Record{Document: e.doc}
				err := e.err
				if ao := annsOf[e.id]; ao != nil {
					anns += ao.n
					rec.Annotations = ao.anns
					if err == nil {
						err = ao.err
					}
				}
				if err != nil {
					// A damaged record is an error in its place; the stream goes on, so a
					// reader that reports (validate) names every damaged record.
					if !yield(schema.Record{Document: schema.Document{ID: e.id}}, err) {
						return
					}
					continue
				}
				for i := range rec.Annotations {
					rec.Annotations[i].Stale = rec.Annotations[i].ContentHash != rec.ContentHash
				}
				if !yield(rec, nil) {
					return
				}
			}
			if next := page[len(page)-1].id; next > last {
				last = next
			} else {
				yield(schema.Record{}, &CorruptError{Table: membershipTable(v, "docs"), Version: v.Name, DocID: next,
					Reason: "the document ids are out of order: the table's b-tree is damaged", Fix: FixCorruptStore})
				return
			}
		}
		if err := v.checkCounts(docs, anns, withAnns); err != nil {
			yield(schema.Record{}, err)
		}
	}
}

// docEntry is one document of a version's membership: id is the membership's, doc is
// set when err is nil.
type docEntry struct {
	id  string
	doc schema.Document
	err error
}

func (s *Store) docPage(ctx context.Context, v Version, after string) ([]docEntry, error) {
	var rows *sql.Rows
	var err error
	if v.Seq == 0 {
		rows, err = s.db.QueryContext(ctx, revisionSelect("s")+` FROM staged s LEFT JOIN revs r USING(rev) WHERE s.id > ? ORDER BY s.id LIMIT ?`, after, pageSize)
	} else {
		rows, err = s.db.QueryContext(ctx, revisionSelect("v")+` FROM version_docs v LEFT JOIN revs r USING(rev) WHERE v.seq = ? AND v.id > ? ORDER BY v.id LIMIT ?`, v.Seq, after, pageSize)
	}
	if err != nil {
		return nil, fmt.Errorf("read documents of %s: %w", v.Name, err)
	}
	defer rows.Close()
	var out []docEntry
	for rows.Next() {
		id, d, err := readRevision(rows, v.Name)
		if err != nil && !errors.Is(err, ErrCorrupt) {
			return nil, fmt.Errorf("read documents of %s after %q: %w", v.Name, after, err)
		}
		out = append(out, docEntry{id: id, doc: d, err: err})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read documents of %s after %q: %w", v.Name, after, err)
	}
	return out, nil
}

// annotationsOf is what annPage found for one document: its verified annotations, the
// first damaged one, and how many rows the membership holds.
type annotationsOf struct {
	anns []schema.Annotation
	err  error
	n    int
}

func (s *Store) annPage(ctx context.Context, v Version, first, last string) (map[string]*annotationsOf, error) {
	var rows *sql.Rows
	var err error
	if v.Seq == 0 {
		rows, err = s.db.QueryContext(ctx, annotationSelect("sa")+` FROM staged_anns sa LEFT JOIN anns a USING(aid)
			WHERE sa.doc_id BETWEEN ? AND ? ORDER BY sa.doc_id, sa.layer, sa.annotator`, first, last)
	} else {
		rows, err = s.db.QueryContext(ctx, annotationSelect("va")+` FROM version_anns va LEFT JOIN anns a USING(aid)
			WHERE va.seq = ? AND va.doc_id BETWEEN ? AND ? ORDER BY va.doc_id, va.layer, va.annotator`, v.Seq, first, last)
	}
	if err != nil {
		return nil, fmt.Errorf("read annotations of %s: %w", v.Name, err)
	}
	defer rows.Close()
	out := map[string]*annotationsOf{}
	for rows.Next() {
		docID, a, err := readAnnotation(rows, v.Name)
		if err != nil && !errors.Is(err, ErrCorrupt) {
			return nil, fmt.Errorf("read annotations of %s: %w", v.Name, err)
		}
		ao := out[docID]
		if ao == nil {
			ao = &annotationsOf{}
			out[docID] = ao
		}
		ao.n++
		if err != nil {
			if ao.err == nil {
				ao.err = err
			}
			continue
		}
		ao.anns = append(ao.anns, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read annotations of %s: %w", v.Name, err)
	}
	return out, nil
}

// Document returns one document of a version.
func (s *Store) Document(ctx context.Context, version, id string) (schema.Document, error) {
	// Not Record without its annotations: a document may carry any number of them
	// (issue 14: an import of 200,000 annotators' work), and a lookup needs none; nor
	// the staged set's counts, which ResolveVersion counts row by row.
	// The staged set is resolved here, not by ResolveVersion, which counts its documents
	// and annotations: `annotate --docs` resolves every id it is given.
	v := Version{Name: "staged"}
	if l := strings.ToLower(version); l != "" && l != "staged" {
		var err error
		if v, err = s.ResolveVersion(ctx, version); err != nil {
			return schema.Document{}, err
		}
	}
	return s.docPageExact(ctx, v, id)
}

// minIDPrefix is the shortest id prefix ResolveDocID looks up: shorter ones name too
// many documents to be meant.
const minIDPrefix = 4

// ResolveDocID returns the id of the one document of version whose id starts with ref,
// as git resolves a short hash: ref itself when a document has it, else the single id it
// begins. An ambiguous prefix is an error naming two of the ids.
func (s *Store) ResolveDocID(ctx context.Context, version, ref string) (string, error) {
	// The staged set is resolved here, not by ResolveVersion, which counts its documents
	// and annotations: `annotate --docs` resolves every id it is given.
	v := Version{Name: "staged"}
	if l := strings.ToLower(version); l != "" && l != "staged" {
		var err error
		if v, err = s.ResolveVersion(ctx, version); err != nil {
			return "", err
		}
	}
	var rows *sql.Rows
	var err error
	if v.Seq == 0 {
		rows, err = s.db.QueryContext(ctx, `SELECT id FROM staged WHERE id >= ? ORDER BY id LIMIT 2`, ref)
	} else {
		rows, err = s.db.QueryContext(ctx, `SELECT id FROM version_docs WHERE seq = ? AND id >= ? ORDER BY id LIMIT 2`, v.Seq, ref)
	}
	if err != nil {
		return "", fmt.Errorf("document %s: %w", ref, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", fmt.Errorf("document %s: %w", ref, err)
		}
		if id == ref {
			return id, nil
		}
		if strings.HasPrefix(id, ref) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("document %s: %w", ref, err)
	}
	switch {
	case len(ids) == 0:
		return "", fmt.Errorf("document %s: %w in %s", ref, ErrNotFound, v.Name)
	case len(ref) < minIDPrefix:
		return "", fmt.Errorf("document %s: %w in %s (an id prefix needs %d characters at least)", ref, ErrNotFound, v.Name, minIDPrefix)
	case len(ids) == 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("document %s: %w: %s, %s, … (give more of the id)", ref, ErrAmbiguousID, ids[0], ids[1])
}

// Record returns one document of a version with its annotations.
func (s *Store) Record(ctx context.Context, version, id string) (schema.Record, error) {
	v, err := s.ResolveVersion(ctx, version)
	if err != nil {
		return schema.Record{}, err
	}
	d, err := s.docPageExact(ctx, v, id)
	if err != nil {
		return schema.Record{}, err
	}
	anns, err := s.annPage(ctx, v, id, id)
	if err != nil {
		return schema.Record{}, err
	}
	rec := schema.Record{Document: d}
	if ao := anns[id]; ao != nil {
		if ao.err != nil {
			return schema.Record{}, ao.err
		}
		rec.Annotations = ao.anns
	}
	for i := range rec.Annotations {
		rec.Annotations[i].Stale = rec.Annotations[i].ContentHash != d.ContentHash
	}
	return rec, nil
}

func (s *Store) docPageExact(ctx context.Context, v Version, id string) (schema.Document, error) {
	var row *sql.Row
	if v.Seq == 0 {
		row = s.db.QueryRowContext(ctx, revisionSelect("s")+` FROM staged s LEFT JOIN revs r USING(rev) WHERE s.id = ?`, id)
	} else {
		row = s.db.QueryRowContext(ctx, revisionSelect("v")+` FROM version_docs v LEFT JOIN revs r USING(rev) WHERE v.seq = ? AND v.id = ?`, v.Seq, id)
	}
	_, d, err := readRevision(row, v.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return schema.Document{}, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	if err != nil && !errors.Is(err, ErrCorrupt) {
		return schema.Document{}, fmt.Errorf("document %s: %w", id, err)
	}
	return d, err
}

// Annotations returns the annotations of one document in a version.
func (s *Store) Annotations(ctx context.Context, version, docID string) ([]schema.Annotation, error) {
	rec, err := s.Record(ctx, version, docID)
	return rec.Annotations, err
}

// PutAnnotation stages a, replacing what the same annotator (name, version and
// parameters) staged before on that document and layer. changed is false when the
// staged annotation already had these items over this text.
func (s *Store) PutAnnotation(ctx context.Context, a schema.Annotation) (changed bool, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		changed, err = s.putAnnotation(ctx, tx, a, nil)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store annotation %s/%s/%s: %w", a.DocID, a.Layer, a.Annotator.Name, err)
	}
	return changed, nil
}

// PutAnnotations is PutAnnotation for many annotations in one transaction (all or
// nothing): a run that stages a batch of documents' work at once saves a commit per
// document. changed[i] is PutAnnotation's changed for anns[i].
func (s *Store) PutAnnotations(ctx context.Context, anns []schema.Annotation) (changed []bool, err error) {
	changed = make([]bool, len(anns))
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		// Many annotations of a batch are on one document (an import of many people's
		// work); its staged content hash is read once.
		hashes := map[string]string{}
		for i, a := range anns {
			if changed[i], err = s.putAnnotation(ctx, tx, a, hashes); err != nil {
				return fmt.Errorf("store annotation %s/%s/%s: %w", a.DocID, a.Layer, a.Annotator.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store %d annotations: %w", len(anns), err)
	}
	return changed, nil
}

// putAnnotation is PutAnnotation inside the caller's transaction.
// hashes, when not nil, holds the staged content hash of the documents already read in
// this transaction.
func (s *Store) putAnnotation(ctx context.Context, tx *sql.Tx, a schema.Annotation, hashes map[string]string) (changed bool, err error) {
	sort.SliceStable(a.Items, func(i, j int) bool { return itemLess(a.Items[i], a.Items[j]) })
	a.Stale = false
	if a.Items == nil {
		a.Items = []schema.Item{}
	}
	key := a.Annotator.Key()
	err = func() error {
		docHash, ok := hashes[a.DocID]
		if !ok {
			doc, ok, err := stagedDoc(ctx, tx, a.DocID)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("document %s is not staged: %w", a.DocID, ErrNotFound)
			}
			docHash = doc.ContentHash
			if hashes != nil {
				hashes[a.DocID] = docHash
			}
		}
		if a.ContentHash == "" {
			a.ContentHash = docHash
		}
		// The creation time is not part of the identity: the same work redone later is
		// the same annotation.
		created := a.CreatedAt
		a.CreatedAt = ""
		ident, err := json.Marshal(a)
		if err != nil {
			return err
		}
		a.CreatedAt = created
		annHash := schema.SHA256Hex(ident)
		var cur string
		err = tx.QueryRowContext(ctx, `SELECT a.ann_hash FROM staged_anns sa JOIN anns a USING(aid)
			WHERE sa.doc_id = ? AND sa.layer = ? AND sa.annotator = ?`, a.DocID, a.Layer, key).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if a.CreatedAt == "" {
			a.CreatedAt = s.now().Format("2006-01-02T15:04:05Z07:00")
		}
		body, err := json.Marshal(a)
		if err != nil {
			return err
		}
		if cur == annHash {
			changed, err = repairAnnotation(ctx, tx, annHash, a, key, body)
			return err
		}
		changed = true
		ins, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO anns(ann_hash, doc_id, layer, annotator, content_hash, body)
			VALUES (?, ?, ?, ?, ?, ?)`, annHash, a.DocID, a.Layer, key, a.ContentHash, body)
		if err != nil {
			return err
		}
		if n, err := ins.RowsAffected(); err == nil && n == 0 {
			if _, err := repairAnnotation(ctx, tx, annHash, a, key, body); err != nil {
				return err
			}
		}
		// One annotator name fills a layer once per document: a new version or new
		// parameters replace the old work rather than sit beside it.
		if _, err := tx.ExecContext(ctx, replaceAnnotatorSQL, a.DocID, a.Layer, a.Annotator.Name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO staged_anns(doc_id, layer, annotator, aid)
			SELECT ?, ?, ?, aid FROM anns WHERE ann_hash = ?`, a.DocID, a.Layer, key, annHash)
		return err
	}()
	return changed, err
}

func itemLess(a, b schema.Item) bool {
	as, bs := -1, -1
	if a.Start != nil {
		as = *a.Start
	}
	if b.Start != nil {
		bs = *b.Start
	}
	if as != bs {
		return as < bs
	}
	ae, be := -1, -1
	if a.End != nil {
		ae = *a.End
	}
	if b.End != nil {
		be = *b.End
	}
	if ae != be {
		return ae < be
	}
	return a.Label < b.Label
}

// HasAnnotation reports whether the annotator (same Key) has staged work on docID's
// layer over the text with contentHash: re-running it would be a no-op.
func (s *Store) HasAnnotation(ctx context.Context, docID, layer string, a schema.Annotator, contentHash string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM staged_anns sa JOIN anns a USING(aid)
		WHERE sa.doc_id = ? AND sa.layer = ? AND sa.annotator = ? AND a.content_hash = ?`,
		docID, layer, a.Key(), contentHash).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("lookup annotation %s/%s: %w", docID, layer, err)
	}
	return n > 0, nil
}

// CacheGet returns a cached external-annotator result.
func (s *Store) CacheGet(ctx context.Context, key string) ([]byte, bool, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM cache WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("cache get: %w", err)
	}
	return v, true, nil
}

// CachePut stores an external-annotator result.
func (s *Store) CachePut(ctx context.Context, key string, value []byte) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO cache(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("cache put: %w", err)
	}
	return nil
}
