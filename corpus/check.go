package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/newsds/newsds/schema"
)

// CheckOptions tune Store.Check.
type CheckOptions struct {
	// MaxProblems is how many problems the report keeps (default 1000); the rest are
	// counted in Dropped. OnProblem still sees every one.
	MaxProblems int
	// OnProblem, when set, receives every problem as it is found.
	OnProblem func(*CorruptError)
}

// CheckReport is what Store.Check read and what it found.
type CheckReport struct {
	Checked CheckCounts `json:"checked"`
	// Problems are the damaged records, in the order found (SQLite's own check first).
	Problems []*CorruptError `json:"problems"`
	// Total counts every problem found, Dropped those not kept in Problems.
	Total   int `json:"total"`
	Dropped int `json:"dropped"`
}

// CheckCounts says what a check read: every row of every table that holds content,
// and every membership row of every committed version and of the staged set.
type CheckCounts struct {
	Pages              int64 `json:"sqlite_pages"`
	RawBlobs           int64 `json:"raw_blobs"`
	RawBytes           int64 `json:"raw_bytes"`
	Revisions          int64 `json:"revisions"`
	Annotations        int64 `json:"annotations"`
	Versions           int64 `json:"versions"`
	VersionDocuments   int64 `json:"version_documents"`
	VersionAnnotations int64 `json:"version_annotations"`
	StagedDocuments    int64 `json:"staged_documents"`
	StagedAnnotations  int64 `json:"staged_annotations"`
	// Signatures counts the near-duplicate signatures recomputed from the text.
	Signatures int64 `json:"dedup_signatures"`
	// Inputs counts the ingest's records of inputs already stored.
	Inputs int64 `json:"inputs"`
}

// OK reports whether the check found nothing.
func (r *CheckReport) OK() bool { return r.Total == 0 }

// checker accumulates one run of Store.Check.
type checker struct {
	s    *Store
	ctx  context.Context
	opts CheckOptions
	rep  *CheckReport
	// badRevs and badAnns remember damaged rows (up to maxRemembered) so that the
	// membership pass can say which versions the damage reaches.
	badRevs map[int64]bool
	badAnns map[int64]bool
	// versions are the committed versions by seq, as their rows say.
	versions map[int64]*versionRow
}

type versionRow struct {
	name        string
	documents   int64
	annotations int64
	seenDocs    int64
	seenAnns    int64
}

// maxRemembered bounds the damaged rows remembered for locating: memory stays bounded
// on a store damaged throughout, whose later problems are still reported, only with
// less context.
const maxRemembered = 100_000

// Check re-reads the whole store, like restic's check --read-data: SQLite's own
// integrity and foreign-key checks, every raw input copy (decompressed and hashed
// against its key), every revision (its JSON against rev_hash, its text against
// content_hash), every annotation (against ann_hash), and every membership row of every
// committed version and of the staged set (each points at a row that exists, is of the
// same document, and is intact; each version holds the counts it was committed with).
// Each problem is located (table, rowid, version, document). Reads stream: memory does
// not grow with the store, only with the number of problems kept.
//
// The error is for a check that could not run at all (a cancelled ctx); damage is in
// the report, even damage that stops a table from being read.
func (s *Store) Check(ctx context.Context, opts CheckOptions) (*CheckReport, error) {
	if opts.MaxProblems == 0 {
		opts.MaxProblems = 1000
	}
	c := &checker{s: s, ctx: ctx, opts: opts, rep: &CheckReport{Problems: []*CorruptError{}},
		badRevs: map[int64]bool{}, badAnns: map[int64]bool{}, versions: map[int64]*versionRow{}}
	for _, pass := range []struct {
		table string
		run   func() error
	}{
		{"sqlite", c.integrity},
		{"raw", c.raw},
		{"revs", c.revisions},
		{"anns", c.annotations},
		{"versions", c.versionRows},
		{"version_docs", func() error { return c.docMembers(false) }},
		{"staged", func() error { return c.docMembers(true) }},
		{"version_anns", func() error { return c.annMembers(false) }},
		{"staged_anns", func() error { return c.annMembers(true) }},
		{"anns", c.annDocuments},
		{"inputs", c.inputs},
		{"dedup_sig", c.dedupSignatures},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := pass.run(); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// A table SQLite cannot read any further is itself the problem to report;
			// the other tables are still checked.
			c.problem(&CorruptError{Table: pass.table, Reason: "cannot be read to the end: " + err.Error(), Fix: FixCorruptStore})
		}
	}
	c.versionCounts()
	return c.rep, nil
}

func (c *checker) problem(p *CorruptError) {
	c.rep.Total++
	if c.opts.OnProblem != nil {
		c.opts.OnProblem(p)
	}
	if len(c.rep.Problems) < c.opts.MaxProblems {
		c.rep.Problems = append(c.rep.Problems, p)
	} else {
		c.rep.Dropped++
	}
}

// query streams the rows of q to fn, stopping at the first error.
func (c *checker) query(q string, fn func(*sql.Rows) error) error {
	rows, err := c.s.db.QueryContext(c.ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

var pageRef = regexp.MustCompile(`(?i)\b(?:tree|page) (\d+)\b`)

// integrity runs SQLite's integrity_check, which walks every b-tree page, freelist
// and index (an index that no longer matches its table is damage no read of the table
// would notice), and foreign_key_check. Messages that name a page are located to the
// table owning it where SQLite can still say.
func (c *checker) integrity() error {
	if err := c.s.db.QueryRowContext(c.ctx, `PRAGMA page_count`).Scan(&c.rep.Checked.Pages); err != nil {
		return err
	}
	// integrity_check stops after 100 messages by default, so they can be held to
	// be located together.
	var msgs []string
	err := c.query(`PRAGMA integrity_check`, func(rows *sql.Rows) error {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return err
		}
		if msg != "ok" {
			msgs = append(msgs, msg)
		}
		return nil
	})
	if err != nil {
		return err
	}
	wanted := map[int64]string{}
	for _, msg := range msgs {
		if m := pageRef.FindStringSubmatch(msg); m != nil {
			if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				wanted[n] = ""
			}
		}
	}
	if len(wanted) > 0 {
		c.pageOwners(wanted)
	}
	for _, msg := range msgs {
		p := &CorruptError{Table: "sqlite", Reason: "integrity_check: " + msg, Fix: FixCorruptStore}
		if m := pageRef.FindStringSubmatch(msg); m != nil {
			if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && wanted[n] != "" {
				p.Table, p.Key = wanted[n], "page "+m[1]
			}
		}
		c.problem(p)
	}
	return c.query(`PRAGMA foreign_key_check`, func(rows *sql.Rows) error {
		var table, parent string
		var rowid sql.NullInt64
		var fk int64
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		c.problem(&CorruptError{Table: table, RowID: rowid.Int64, Reason: "points to a row of " + parent + " that does not exist", Fix: FixCorruptStore})
		return nil
	})
}

// pageOwners fills in the table or index owning each wanted page, from the dbstat
// table where SQLite has it, else from the schema's root pages; best effort, since it
// only adds a name to messages.
func (c *checker) pageOwners(wanted map[int64]string) {
	fill := func(q string) error {
		return c.query(q, func(rows *sql.Rows) error {
			var n int64
			var name string
			if err := rows.Scan(&n, &name); err != nil {
				return err
			}
			if _, ok := wanted[n]; ok {
				wanted[n] = name
			}
			return nil
		})
	}
	if fill(`SELECT pageno, name FROM dbstat`) != nil {
		// Without dbstat only root pages get a name; if that fails too, problems are
		// still reported, without the table name.
		_ = fill(`SELECT rootpage, name FROM sqlite_schema WHERE rootpage > 0`)
	}
}

// raw decompresses every kept input copy, bounded by its recorded size, and checks its
// sha256 against the key it is stored under.
func (c *checker) raw() error {
	// One decoder for every blob, with a bounded window, so a damaged frame header
	// cannot make it allocate without limit.
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(128<<20), zstd.WithDecoderMaxMemory(256<<20))
	if err != nil {
		return err
	}
	defer dec.Close()
	return c.query(`SELECT rowid, hash, size, data FROM raw`, func(rows *sql.Rows) error {
		var rowid, size int64
		var hash string
		var data []byte
		if err := rows.Scan(&rowid, &hash, &size, &data); err != nil {
			return err
		}
		c.rep.Checked.RawBlobs++
		bad := func(format string, a ...any) {
			c.problem(&CorruptError{Table: "raw", RowID: rowid, Key: "raw " + hash, Reason: fmt.Sprintf(format, a...), Fix: FixCorruptRaw})
		}
		if err := dec.Reset(bytes.NewReader(data)); err != nil {
			bad("the compressed copy does not decode: %v", err)
			return nil
		}
		h := sha256.New()
		n, err := io.Copy(h, io.LimitReader(dec, size+1))
		c.rep.Checked.RawBytes += n
		switch {
		case err != nil:
			bad("the compressed copy does not decode: %v", err)
		case n != size:
			bad("the copy decompresses to %d bytes, its row says %d", n, size)
		case hex.EncodeToString(h.Sum(nil)) != hash:
			bad("the copy no longer matches the sha256 it is stored under")
		}
		return nil
	})
}

// revisions verifies every stored revision, referenced or not, and that its text
// still matches its content_hash (which verify leaves to rev_hash).
func (c *checker) revisions() error {
	return c.query(`SELECT rev, id, rev_hash, content_hash, doc FROM revs`, func(rows *sql.Rows) error {
		var r storedRevision
		if err := rows.Scan(&r.rev, &r.id, &r.revHash, &r.contentHash, &r.doc); err != nil {
			return err
		}
		c.rep.Checked.Revisions++
		d, err := r.verify()
		if err == nil && schema.ContentHash(d.Text) != d.ContentHash {
			err = &CorruptError{Table: "revs", RowID: r.rev, DocID: r.id, Reason: "the text does not match its content_hash", Fix: FixCorruptDocument}
		}
		var ce *CorruptError
		if errors.As(err, &ce) {
			c.problem(ce)
			if len(c.badRevs) < maxRemembered {
				c.badRevs[r.rev] = true
			}
		}
		return nil
	})
}

// annotations verifies every stored annotation, referenced or not.
func (c *checker) annotations() error {
	return c.query(`SELECT aid, ann_hash, doc_id, layer, annotator, content_hash, body FROM anns`, func(rows *sql.Rows) error {
		var a storedAnnotation
		if err := rows.Scan(&a.aid, &a.annHash, &a.docID, &a.layer, &a.annotator, &a.contentHash, &a.body); err != nil {
			return err
		}
		c.rep.Checked.Annotations++
		if _, err := a.verify(); err != nil {
			var ce *CorruptError
			if errors.As(err, &ce) {
				c.problem(ce)
				if len(c.badAnns) < maxRemembered {
					c.badAnns[a.aid] = true
				}
			}
		}
		return nil
	})
}

// versionRows checks what can be checked of each versions row: its name follows from
// its seq, its time parses, its tag is one Commit accepts. Its counts are checked
// against its membership once that has been read.
func (c *checker) versionRows() error {
	return c.query(`SELECT seq, name, tag, created_at, documents, annotations FROM versions`, func(rows *sql.Rows) error {
		var seq, docs, anns int64
		var name, created string
		var tag sql.NullString
		if err := rows.Scan(&seq, &name, &tag, &created, &docs, &anns); err != nil {
			return err
		}
		c.rep.Checked.Versions++
		vname := "v" + strconv.FormatInt(seq, 10)
		bad := func(format string, a ...any) {
			c.problem(&CorruptError{Table: "versions", RowID: seq, Version: vname, Reason: fmt.Sprintf(format, a...), Fix: FixCorruptStore})
		}
		if name != vname {
			bad("the version is named %q", name)
		}
		if _, err := time.Parse(time.RFC3339Nano, created); err != nil {
			bad("created_at %q is not a timestamp", created)
		}
		if tag.Valid && !tagPattern.MatchString(tag.String) {
			bad("tag %q is not one commit accepts", tag.String)
		}
		if docs < 0 || anns < 0 {
			bad("negative counts (%d documents, %d annotations)", docs, anns)
		}
		c.versions[seq] = &versionRow{name: vname, documents: docs, annotations: anns}
		return nil
	})
}

// setName names a membership's version for messages.
func (c *checker) setName(staged bool, seq int64) string {
	if staged {
		return "staged"
	}
	if v := c.versions[seq]; v != nil {
		return v.name
	}
	return "v" + strconv.FormatInt(seq, 10)
}

// docMembers checks every document membership row of the committed versions or of the
// staged set: the version exists, the revision exists, is of the same document and is
// intact, and ids come in order (what keyset pagination relies on).
func (c *checker) docMembers(staged bool) error {
	table, q := "version_docs", `SELECT m.seq, m.id, m.rev, r.id FROM version_docs m LEFT JOIN revs r ON r.rev = m.rev ORDER BY m.seq, m.id`
	if staged {
		table, q = "staged", `SELECT 0, m.id, m.rev, r.id FROM staged m LEFT JOIN revs r ON r.rev = m.rev ORDER BY m.id`
	}
	lastSeq, lastID := int64(-1), ""
	return c.query(q, func(rows *sql.Rows) error {
		var seq, rev int64
		var id string
		var revID sql.NullString
		if err := rows.Scan(&seq, &id, &rev, &revID); err != nil {
			return err
		}
		vname := c.setName(staged, seq)
		bad := func(format string, a ...any) {
			c.problem(&CorruptError{Table: table, Version: vname, DocID: id, Reason: fmt.Sprintf(format, a...), Fix: FixCorruptStore})
		}
		if staged {
			c.rep.Checked.StagedDocuments++
		} else {
			c.rep.Checked.VersionDocuments++
			if v := c.versions[seq]; v != nil {
				v.seenDocs++
			} else {
				bad("the row belongs to version seq %d, which has no versions row", seq)
			}
		}
		if seq == lastSeq && id <= lastID {
			bad("the document comes after %q: the table's b-tree is out of order", lastID)
		}
		lastSeq, lastID = seq, id
		switch {
		case !revID.Valid:
			bad("the document points to revision %d, which is not stored", rev)
		case revID.String != id:
			bad("the document points to revision %d, which is a revision of %s", rev, revID.String)
		case c.badRevs[rev]:
			p := &CorruptError{Table: "revs", RowID: rev, Version: vname, DocID: id, Reason: "the version's revision of the document is damaged (reported above)", Fix: FixCorruptDocument}
			c.problem(p)
		}
		return nil
	})
}

// annMembers checks every annotation membership row: the version exists, the
// annotation exists, is for the same document, layer and annotator and is intact, and
// its document is in the same version.
func (c *checker) annMembers(staged bool) error {
	table := "version_anns"
	q := `SELECT m.seq, m.doc_id, m.layer, m.annotator, m.aid, a.doc_id, a.layer, a.annotator,
		EXISTS (SELECT 1 FROM version_docs d WHERE d.seq = m.seq AND d.id = m.doc_id)
		FROM version_anns m LEFT JOIN anns a ON a.aid = m.aid ORDER BY m.seq, m.doc_id, m.layer, m.annotator`
	if staged {
		table = "staged_anns"
		q = `SELECT 0, m.doc_id, m.layer, m.annotator, m.aid, a.doc_id, a.layer, a.annotator,
			EXISTS (SELECT 1 FROM staged d WHERE d.id = m.doc_id)
			FROM staged_anns m LEFT JOIN anns a ON a.aid = m.aid ORDER BY m.doc_id, m.layer, m.annotator`
	}
	return c.query(q, func(rows *sql.Rows) error {
		var seq, aid int64
		var docID, layer, annotator string
		var aDoc, aLayer, aAnnotator sql.NullString
		var docThere bool
		if err := rows.Scan(&seq, &docID, &layer, &annotator, &aid, &aDoc, &aLayer, &aAnnotator, &docThere); err != nil {
			return err
		}
		vname := c.setName(staged, seq)
		key := layer + "/" + annotator
		bad := func(format string, a ...any) {
			c.problem(&CorruptError{Table: table, Version: vname, DocID: docID, Key: key, Reason: fmt.Sprintf(format, a...), Fix: FixCorruptStore})
		}
		if staged {
			c.rep.Checked.StagedAnnotations++
		} else {
			c.rep.Checked.VersionAnnotations++
			if v := c.versions[seq]; v != nil {
				v.seenAnns++
			} else {
				bad("the row belongs to version seq %d, which has no versions row", seq)
			}
		}
		switch {
		case !aDoc.Valid:
			bad("the annotation points to annotation %d, which is not stored", aid)
		case aDoc.String != docID || aLayer.String != layer || aAnnotator.String != annotator:
			bad("the annotation points to annotation %d, which is %s/%s/%s", aid, aDoc.String, aLayer.String, aAnnotator.String)
		case c.badAnns[aid]:
			c.problem(&CorruptError{Table: "anns", RowID: aid, Version: vname, DocID: docID, Key: key,
				Reason: "the version's annotation is damaged (reported above)", Fix: FixCorruptAnnotation})
		}
		if !docThere {
			bad("the annotation's document is not in %s", vname)
		}
		return nil
	})
}

// annDocuments finds annotations of documents the store has no revision of: every
// annotation is stored for a staged document, and revisions are never deleted.
func (c *checker) annDocuments() error {
	return c.query(`SELECT a.aid, a.doc_id, a.layer, a.annotator FROM anns a WHERE NOT EXISTS (SELECT 1 FROM revs r WHERE r.id = a.doc_id)`,
		func(rows *sql.Rows) error {
			var aid int64
			var docID, layer, annotator string
			if err := rows.Scan(&aid, &docID, &layer, &annotator); err != nil {
				return err
			}
			c.problem(&CorruptError{Table: "anns", RowID: aid, DocID: docID, Key: layer + "/" + annotator,
				Reason: "the annotation is for a document the store has no revision of", Fix: FixCorruptAnnotation})
			return nil
		})
}

// inputs checks the ingest's record of inputs against the revisions it names: each
// row points at a stored, intact revision of its document, made from the raw copy it
// names, with the duplicate mark it names. Its key, a hash of the input, cannot be
// recomputed without the input; a damaged key matches no input, which is then
// ingested in full (the table exists from format version 2 on).
func (c *checker) inputs() error {
	var n int
	if err := c.s.db.QueryRowContext(c.ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'inputs'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	return c.query(`SELECT i.input_key, i.id, i.rev, i.raw_hash, i.dup_of, r.rev, r.id, r.rev_hash, r.content_hash, r.doc
		FROM inputs i LEFT JOIN revs r ON r.rev = i.rev`, func(rows *sql.Rows) error {
		var key, id, rawHash, dupOf string
		var irev int64
		var rev sql.NullInt64
		var rid, revHash, contentHash sql.NullString
		var sr storedRevision
		if err := rows.Scan(&key, &id, &irev, &rawHash, &dupOf, &rev, &rid, &revHash, &contentHash, &sr.doc); err != nil {
			return err
		}
		c.rep.Checked.Inputs++
		bad := func(format string, a ...any) {
			c.problem(&CorruptError{Table: "inputs", DocID: id, Key: "input " + shortHash(key), Reason: fmt.Sprintf(format, a...), Fix: FixCorruptRaw})
		}
		if !rev.Valid || rid.String != id {
			bad("the input points to revision %d, which is not a revision of the document", irev)
			return nil
		}
		sr.rev, sr.id, sr.revHash, sr.contentHash = rev.Int64, rid.String, revHash.String, contentHash.String
		doc, err := sr.verify()
		if err != nil {
			return nil //nolint:nilerr // the damaged revision is reported by the revisions pass
		}
		if doc.RawHash != rawHash {
			bad("the input names raw copy %s, its revision %s", shortHash(rawHash), shortHash(doc.RawHash))
		}
		if doc.DupOf() != dupOf {
			bad("the input names duplicate mark %q, its revision %q", dupOf, doc.DupOf())
		}
		return nil
	})
}

// dedupSignatures recomputes each staged document's MinHash signature and band keys
// from its text and compares them with the stored ones, and looks up each recorded
// band row. dedup_exact needs no such pass: it is also held by an index on id, which
// integrity_check compares row for row. dedup_band has no second index (a band row
// names its document by number only), so a flipped key or number would pass SQLite's
// check: every row a signature records is looked up (n primary-key lookups in one
// statement per document), and the table holds no other rows (its count).
func (c *checker) dedupSignatures() error {
	d := NewDeduper(c.s.cfg.Dedup)
	var recorded int64
	err := c.query((`SELECT g.doc, g.id, g.sig, g.bands, r.rev, r.id, r.rev_hash, r.content_hash, r.doc
		FROM dedup_sig g LEFT JOIN staged s ON s.id = g.id LEFT JOIN revs r ON r.rev = s.rev`), func(rows *sql.Rows) error {
		var num int64
		var id string
		var sig, bands []byte
		var rev sql.NullInt64
		var sr storedRevision
		var rid, revHash, contentHash sql.NullString
		if err := rows.Scan(&num, &id, &sig, &bands, &rev, &rid, &revHash, &contentHash, &sr.doc); err != nil {
			return err
		}
		c.rep.Checked.Signatures++
		bad := func(table, reason string) {
			c.problem(&CorruptError{Table: table, Version: "staged", DocID: id, Reason: reason, Fix: FixCorruptDedup})
		}
		keys := decodeSig(bands)
		recorded += int64(len(keys))
		if err := c.bandRows(num, keys, func(reason string) { bad("dedup_band", reason) }); err != nil {
			return err
		}
		if !rev.Valid {
			bad("dedup_sig", "a near-duplicate signature of a document that is not staged")
			return nil
		}
		sr.rev, sr.id, sr.revHash, sr.contentHash = rev.Int64, rid.String, revHash.String, contentHash.String
		doc, err := sr.verify()
		if err != nil || d.hasher == nil {
			// A damaged revision is reported by the revisions pass; with near-duplicate
			// detection turned off since, no signature can be recomputed.
			return nil //nolint:nilerr // see above
		}
		want := d.hasher.signatureOfNormalized(NormalizeForDedup(doc.Text))
		if !bytes.Equal(encodeSig(want), sig) {
			bad("dedup_sig", "the near-duplicate signature does not match the document's text (damaged, or newsds.yaml's dedup shingle size changed since it was stored)")
			return nil
		}
		if !bytes.Equal(encodeBands(BandKeys(want, d.bands, d.rows)), bands) {
			bad("dedup_sig", "the recorded band keys do not match the near-duplicate signature (damaged, or newsds.yaml's dedup threshold changed since it was stored)")
		}
		return nil
	})
	if err != nil {
		return err
	}
	var held int64
	if err := c.s.db.QueryRowContext(c.ctx, `SELECT count(*) FROM dedup_band`).Scan(&held); err != nil {
		return err
	}
	if held != recorded {
		c.problem(&CorruptError{Table: "dedup_band",
			Reason: fmt.Sprintf("the band index holds %d rows, the signatures record %d", held, recorded), Fix: FixCorruptDedup})
	}
	return nil
}

// bandRows reports (through bad) when a band row that document number num records is
// missing from dedup_band.
func (c *checker) bandRows(num int64, keys []uint64, bad func(reason string)) error {
	if len(keys) == 0 {
		return nil
	}
	var found int
	if err := c.s.db.QueryRowContext(c.ctx, bandCountSQL(len(keys)), bandRowArgs(num, keys)...).Scan(&found); err != nil {
		return err
	}
	if found != len(keys) {
		bad(fmt.Sprintf("%d of the document's %d band rows are missing from the band index", len(keys)-found, len(keys)))
	}
	return nil
}

// versionCounts compares each version's membership with the counts it was committed
// with.
func (c *checker) versionCounts() {
	for _, seq := range slices.Sorted(maps.Keys(c.versions)) {
		v := c.versions[seq]
		if v.seenDocs != v.documents || v.seenAnns != v.annotations {
			c.problem(&CorruptError{Table: "versions", RowID: seq, Version: v.name,
				Reason: fmt.Sprintf("the version was committed with %d documents and %d annotations, its membership now holds %d and %d",
					v.documents, v.annotations, v.seenDocs, v.seenAnns), Fix: FixCorruptStore})
		}
	}
}
