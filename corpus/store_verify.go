package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/newsds/newsds/schema"
)

// ErrCorrupt is matched (errors.Is) by every error that reports stored bytes which no
// longer match their hash, or a reference between tables that leads nowhere. It is
// never staleness: a stale annotation was made on another, intact text.
var ErrCorrupt = errors.New("store corrupt")

// Fixes for corruption. Re-annotating is never one of them for a text: it would stamp
// the damaged text as the one the work was done on.
const (
	// FixCorruptDocument repairs a revision: ingesting the same input again stores the
	// same revision, which replaces the damaged bytes (see repairRevision).
	FixCorruptDocument = "restore from a release or re-ingest: `newsds ingest` of the document's input replaces the damaged revision (committed versions keep pointing at it, so they are repaired too)"
	// FixCorruptAnnotation repairs an annotation the same way.
	FixCorruptAnnotation = "restore from a release, or store the same annotation again (`newsds import-annotations`, or `newsds annotate --force` on the intact text), which replaces the damaged bytes"
	// FixCorruptRaw repairs a kept input copy.
	FixCorruptRaw = "re-ingest the input file: `newsds ingest` rewrites a damaged copy"
	// FixCorruptDedup repairs a near-duplicate signature, which is derived from the
	// text: removing the document drops its dedup entries and storing it again remakes
	// them (unchanged inputs are otherwise skipped before the index is touched). A
	// damaged hash moves the similarity estimates of the document by at most 1/128.
	FixCorruptDedup = "`newsds rm ID`, then `newsds ingest` of the document's input, rebuilds its dedup entries (its staged annotations go with the removal: re-run or re-import them)"
	// FixCorruptStore is for damage to SQLite's own structure or to version membership,
	// which no command rewrites.
	FixCorruptStore = "restore .newsds/store.db from a backup, or rebuild the corpus from a release or by re-ingesting its inputs"
)

// CorruptError locates one damaged record of the store.
type CorruptError struct {
	// Table is the SQLite table holding the damaged row ("sqlite" for the file itself).
	Table string `json:"table"`
	// RowID is the row's rowid (rev, aid, the raw blob's rowid, a version's seq), 0 for
	// tables without one.
	RowID int64 `json:"rowid,omitempty"`
	// Version is the version read ("staged" for the working set), "" when the row
	// belongs to no particular version.
	Version string `json:"version,omitempty"`
	// DocID is the document the row belongs to, when known.
	DocID string `json:"doc_id,omitempty"`
	// Key names the row when it has no document: a raw blob's hash, an annotation's
	// layer and annotator.
	Key    string `json:"key,omitempty"`
	Reason string `json:"reason"`
	Fix    string `json:"fix"`
}

func (e *CorruptError) Error() string {
	return e.Describe() + "; fix: " + e.Fix
}

// Describe is the error without its fix: where the damage is and what it is.
func (e *CorruptError) Describe() string {
	var loc []string
	if e.Version != "" {
		loc = append(loc, "version "+e.Version)
	}
	if e.DocID != "" {
		loc = append(loc, "document "+e.DocID)
	}
	if e.Key != "" {
		loc = append(loc, e.Key)
	}
	where := "table " + e.Table
	if e.RowID != 0 {
		where += " rowid " + strconv.FormatInt(e.RowID, 10)
	}
	loc = append(loc, where)
	return fmt.Sprintf("store corrupt (%s): %s", strings.Join(loc, ", "), e.Reason)
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// storedRevision is one revs row as read, before it is trusted.
type storedRevision struct {
	rev         int64
	id          string
	revHash     string
	contentHash string
	doc         []byte
}

// verify decodes the revision and proves it is the one stored: the rev_hash covers every
// byte of the JSON but the ingested_at value (see revisionHash), the columns agree with
// the JSON, and ingested_at is still a timestamp. Only the failure path hashes the text,
// to say whether the text itself was hit.
func (r *storedRevision) verify() (schema.Document, error) {
	bad := func(format string, a ...any) (schema.Document, error) {
		return schema.Document{}, &CorruptError{Table: "revs", RowID: r.rev, DocID: r.id, Reason: fmt.Sprintf(format, a...), Fix: FixCorruptDocument}
	}
	var d schema.Document
	start, end, ok := stringField(r.doc, `"ingested_at":`)
	sum := hashOutside(r.doc, start, end, ok)
	if !(ok && sum == r.revHash && decodeVerified(r.doc, start, end, &d)) {
		d = schema.Document{}
		if err := json.Unmarshal(r.doc, &d); err != nil {
			return bad("the stored revision does not decode: %v", err)
		}
	}
	switch {
	case !ok:
		return bad("the stored revision has no ingested_at field")
	case sum != r.revHash:
		if schema.ContentHash(d.Text) != d.ContentHash {
			return bad("the text no longer matches its content_hash %s (it was damaged after it was stored)", shortHash(d.ContentHash))
		}
		return bad("the stored revision no longer matches its rev_hash %s", shortHash(r.revHash))
	case d.ID != r.id:
		return bad("the revision names document %q but its row says %q", d.ID, r.id)
	case d.ContentHash != r.contentHash:
		return bad("the row's content_hash %s differs from the revision's %s", shortHash(r.contentHash), shortHash(d.ContentHash))
	}
	if _, err := time.Parse(time.RFC3339, d.IngestedAt); err != nil {
		return bad("ingested_at %q is not a timestamp", d.IngestedAt)
	}
	return d, nil
}

// storedAnnotation is one anns row as read, before it is trusted.
type storedAnnotation struct {
	aid         int64
	annHash     string
	docID       string
	layer       string
	annotator   string
	contentHash string
	body        []byte
}

// verify decodes the annotation and proves it is the one stored: ann_hash covers every
// byte of the body but the created_at value (see PutAnnotation), and the columns that
// lookups use agree with the body.
func (r *storedAnnotation) verify() (schema.Annotation, error) {
	bad := func(format string, a ...any) (schema.Annotation, error) {
		return schema.Annotation{}, &CorruptError{Table: "anns", RowID: r.aid, DocID: r.docID, Key: r.layer + "/" + r.annotator,
			Reason: fmt.Sprintf(format, a...), Fix: FixCorruptAnnotation}
	}
	var a schema.Annotation
	start, end, ok := stringField(r.body, `"created_at":`)
	sum := hashOutside(r.body, start, end, ok)
	if !(ok && sum == r.annHash && decodeVerified(r.body, start, end, &a)) {
		a = schema.Annotation{}
		if err := json.Unmarshal(r.body, &a); err != nil {
			return bad("the stored annotation does not decode: %v", err)
		}
	}
	switch {
	case !ok:
		return bad("the stored annotation has no created_at field")
	case sum != r.annHash:
		return bad("the stored annotation no longer matches its ann_hash %s", shortHash(r.annHash))
	case a.DocID != r.docID || a.Layer != r.layer || a.Annotator.Key() != r.annotator:
		return bad("the annotation is for %s/%s/%s but its row says %s/%s/%s", a.DocID, a.Layer, a.Annotator.Key(), r.docID, r.layer, r.annotator)
	case a.ContentHash != r.contentHash:
		return bad("the row's content_hash %s differs from the annotation's %s", shortHash(r.contentHash), shortHash(a.ContentHash))
	}
	return a, nil
}

// decodeVerified decodes body into v on the fast path: the compact decoder
// (store_read_decode.go) for encoding/json's own output of a Document or an Annotation,
// else goccy/go-json, which takes about half the CPU of encoding/json on stored records
// (profiled on export: decoding was ~70 % of the read); body[start:end] is the unhashed
// timestamp value (stringField). It is only used on bytes whose identity hash has just
// matched, so they are bytes encoding/json wrote (marshalDoc, PutAnnotation) except the
// excluded timestamp value; on that output the decoders agree (TestDecodeVerifiedAgrees,
// TestCompactDecoder*). Whatever could make them differ on other bytes — invalid UTF-8
// (encoding/json substitutes U+FFFD; the compact decoder checks every string, goccy's
// path the whole body), control characters or escapes in the unhashed timestamp, a
// decode error, a panic — returns false, and the caller decodes with encoding/json,
// which then gives exactly the error it always gave. The sha256 stays: it is the
// revision's identity, and with SHA-NI it is ~5 % of the read.
func decodeVerified(body []byte, start, end int, v any) (ok bool) {
	for _, c := range body[start:end] {
		if c < 0x20 || c > 0x7e || c == '\\' {
			return false
		}
	}
	switch v := v.(type) {
	case *schema.Document:
		if decodeCompactDocument(body, v) {
			return true
		}
	case *schema.Annotation:
		if decodeCompactAnnotation(body, v) {
			return true
		}
	}
	if !utf8.Valid(body) {
		return false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return gojson.Unmarshal(body, v) == nil
}

// hashWithout is the sha256 of a JSON object written by encoding/json with the string
// value of field (`"name":`) emptied: how an identity hash that leaves out a timestamp
// is recomputed from the stored bytes, without decoding and re-encoding them (which
// would not reproduce numbers kept as json.Number, and would break on every schema
// change). The first occurrence is the top-level field: the fields before it are strings
// (and a list of strings), whose quotes are escaped.
func hashWithout(body []byte, field string) (string, bool) {
	start, end, ok := stringField(body, field)
	return hashOutside(body, start, end, ok), ok
}

// hashOutside is hashWithout for a value already found: "" when it was not (ok false).
func hashOutside(body []byte, start, end int, ok bool) string {
	if !ok {
		return ""
	}
	h := sha256.New()
	h.Write(body[:start])
	h.Write(body[end:])
	return hex.EncodeToString(h.Sum(nil))
}

// stringField finds the first string value of field (`"name":`) in a JSON body: the
// raw bytes between its quotes are body[start:end].
func stringField(body []byte, field string) (start, end int, ok bool) {
	i := bytes.Index(body, []byte(field))
	if i < 0 {
		return 0, 0, false
	}
	start = i + len(field)
	if start >= len(body) || body[start] != '"' {
		return 0, 0, false
	}
	start++
	end = start
	for end < len(body) && body[end] != '"' {
		if body[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(body) {
		return 0, 0, false
	}
	return start, end, true
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

type scanner interface{ Scan(dest ...any) error }

// bodyDest is where a stored body is scanned: from *sql.Rows into the driver's own copy
// (sql.RawBytes, valid until the next row) rather than into another one, since verify is
// done with the bytes before then and both decoders copy what they keep; *sql.Row does
// not allow RawBytes.
func bodyDest(row scanner, body *[]byte) any {
	if _, ok := row.(*sql.Rows); ok {
		return (*sql.RawBytes)(body)
	}
	return body
}

// revisionSelect selects what readRevision scans from a membership table aliased m
// (staged or version_docs) LEFT JOINed to revs r: a membership row whose revision is
// gone is damage to report, not a row to drop.
func revisionSelect(m string) string {
	return `SELECT ` + m + `.id, ` + m + `.rev, r.rev, r.id, r.rev_hash, r.content_hash, r.doc`
}

// readRevision scans and verifies one row of revisionSelect. id is the membership's id,
// set whenever the row could be scanned, so that a damaged document is still named.
func readRevision(row scanner, version string) (id string, d schema.Document, err error) {
	var memberRev int64
	var rev sql.NullInt64
	var rid, revHash, contentHash sql.NullString
	var body []byte
	if err := row.Scan(&id, &memberRev, &rev, &rid, &revHash, &contentHash, bodyDest(row, &body)); err != nil {
		return "", schema.Document{}, err
	}
	table := "version_docs"
	if version == "staged" {
		table = "staged"
	}
	if !rev.Valid {
		return id, schema.Document{}, &CorruptError{Table: table, Version: version, DocID: id,
			Reason: fmt.Sprintf("the document points to revision %d, which is not stored", memberRev), Fix: FixCorruptStore}
	}
	sr := storedRevision{rev: rev.Int64, id: rid.String, revHash: revHash.String, contentHash: contentHash.String, doc: body}
	d, err = sr.verify()
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			ce.Version = version
			if ce.DocID == "" {
				ce.DocID = id
			}
		}
		return id, schema.Document{}, err
	}
	if d.ID != id {
		return id, schema.Document{}, &CorruptError{Table: table, Version: version, DocID: id,
			Reason: fmt.Sprintf("the document points to revision %d, which is a revision of %s", memberRev, d.ID), Fix: FixCorruptStore}
	}
	return id, d, nil
}

// annotationSelect selects what readAnnotation scans from a membership table aliased m
// (staged_anns or version_anns) LEFT JOINed to anns a.
func annotationSelect(m string) string {
	return `SELECT ` + m + `.doc_id, ` + m + `.layer, ` + m + `.annotator, ` + m + `.aid, a.aid, a.ann_hash, a.doc_id, a.layer, a.annotator, a.content_hash, a.body`
}

// readAnnotation scans and verifies one row of annotationSelect; docID is the
// membership's document, set whenever the row could be scanned.
func readAnnotation(row scanner, version string) (docID string, a schema.Annotation, err error) {
	var layer, annotator string
	var memberAid int64
	var aid sql.NullInt64
	var annHash, aDoc, aLayer, aAnnotator, contentHash sql.NullString
	var body []byte
	if err := row.Scan(&docID, &layer, &annotator, &memberAid, &aid, &annHash, &aDoc, &aLayer, &aAnnotator, &contentHash, bodyDest(row, &body)); err != nil {
		return "", schema.Annotation{}, err
	}
	table := "version_anns"
	if version == "staged" {
		table = "staged_anns"
	}
	if !aid.Valid {
		return docID, schema.Annotation{}, &CorruptError{Table: table, Version: version, DocID: docID, Key: layer + "/" + annotator,
			Reason: fmt.Sprintf("the annotation points to annotation %d, which is not stored", memberAid), Fix: FixCorruptStore}
	}
	sa := storedAnnotation{aid: aid.Int64, annHash: annHash.String, docID: aDoc.String, layer: aLayer.String, annotator: aAnnotator.String,
		contentHash: contentHash.String, body: body}
	a, err = sa.verify()
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			ce.Version = version
		}
		return docID, schema.Annotation{}, err
	}
	if a.DocID != docID || a.Layer != layer || a.Annotator.Key() != annotator {
		return docID, schema.Annotation{}, &CorruptError{Table: table, Version: version, DocID: docID, Key: layer + "/" + annotator,
			Reason: fmt.Sprintf("the membership points to annotation %d, which is %s/%s/%s", memberAid, a.DocID, a.Layer, a.Annotator.Key()), Fix: FixCorruptStore}
	}
	return docID, a, nil
}

// membershipTable names the table holding a version's documents or annotations.
func membershipTable(v Version, what string) string {
	if v.Seq == 0 {
		return map[string]string{"docs": "staged", "anns": "staged_anns"}[what]
	}
	return map[string]string{"docs": "version_docs", "anns": "version_anns"}[what]
}

// checkCounts compares what a full read of a committed version found with the counts
// its versions row recorded at commit: a membership row lost to damage is not silently
// a smaller version.
func (v Version) checkCounts(docs, anns int, withAnns bool) error {
	if v.Seq == 0 {
		return nil
	}
	bad := func(what string, got, want int) error {
		return &CorruptError{Table: "versions", RowID: int64(v.Seq), Version: v.Name,
			Reason: fmt.Sprintf("the version was committed with %d %s, its membership now holds %d", want, what, got), Fix: FixCorruptStore}
	}
	if docs != v.Documents {
		return bad("documents", docs, v.Documents)
	}
	if withAnns && anns != v.Annotations {
		return bad("annotations", anns, v.Annotations)
	}
	return nil
}

// repairRevision is called when a revision with this rev_hash is already stored: if
// those bytes no longer verify, they are replaced by body, which has the same identity.
// Every version pointing at the row is repaired with it.
func repairRevision(ctx context.Context, tx *sql.Tx, revHash string, doc schema.Document, body []byte) error {
	var sr storedRevision
	err := tx.QueryRowContext(ctx, `SELECT rev, id, rev_hash, content_hash, doc FROM revs WHERE rev_hash = ?`, revHash).
		Scan(&sr.rev, &sr.id, &sr.revHash, &sr.contentHash, &sr.doc)
	if err != nil {
		return fmt.Errorf("check stored revision %s: %w", doc.ID, err)
	}
	if _, err := sr.verify(); err == nil {
		return nil
	}
	// The first ingest time is kept where the damage left it a timestamp: it is not
	// covered by rev_hash, so nothing better is known, and the repair should not look
	// like a new ingest.
	if start, end, ok := stringField(sr.doc, `"ingested_at":`); ok {
		if at := string(sr.doc[start:end]); at != doc.IngestedAt {
			if _, err := time.Parse(time.RFC3339, at); err == nil {
				doc.IngestedAt = at
				b, err := marshalDoc(&doc)
				if err != nil {
					return err
				}
				body = b
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE revs SET id = ?, content_hash = ?, doc = ?, doc_sum = ? WHERE rev = ?`,
		doc.ID, doc.ContentHash, body, storedSum(body), sr.rev); err != nil {
		return fmt.Errorf("repair revision %s: %w", doc.ID, err)
	}
	return nil
}

// repairAnnotation is repairRevision for an annotation with this ann_hash; it reports
// whether it rewrote the row.
func repairAnnotation(ctx context.Context, tx *sql.Tx, annHash string, a schema.Annotation, key string, body []byte) (bool, error) {
	var sa storedAnnotation
	err := tx.QueryRowContext(ctx, `SELECT aid, ann_hash, doc_id, layer, annotator, content_hash, body FROM anns WHERE ann_hash = ?`, annHash).
		Scan(&sa.aid, &sa.annHash, &sa.docID, &sa.layer, &sa.annotator, &sa.contentHash, &sa.body)
	if err != nil {
		return false, fmt.Errorf("check stored annotation: %w", err)
	}
	if _, err := sa.verify(); err == nil {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE anns SET doc_id = ?, layer = ?, annotator = ?, content_hash = ?, body = ? WHERE aid = ?`,
		a.DocID, a.Layer, key, a.ContentHash, body, sa.aid); err != nil {
		return false, fmt.Errorf("repair annotation: %w", err)
	}
	return true, nil
}
