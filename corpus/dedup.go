package corpus

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// Duplicate detection keeps its indexes in the store, not in memory: an exact-key
// table, and for near-duplicates each document's MinHash signature plus one row per
// LSH band. Memory stays bounded by one document's candidates, whatever the corpus size.
//
// A duplicate cluster is a connected component of the graph whose edges join two
// documents with the same exact key, or sharing an LSH band with an estimated
// similarity at or above the threshold. Its original is the member that DedupRank
// puts first (earliest published, then smallest id); every other member points at it
// with dup_of. Every edge is seen when the later of its two ends is stored, so the
// components, and with them the originals, do not depend on the order documents
// arrive in: the Spark job, which computes the components of the same graph in bulk,
// gets the same answer.

// DedupRank orders the documents of a duplicate cluster: the smallest rank is the
// original. Documents with a publication date come first, earliest first (compared as
// instants, whatever their offsets); then those without; ties go to the smallest id.
// The rank is a string so that the Spark job compares it without knowing the rule.
func DedupRank(d schema.Document) string {
	if t, err := time.Parse(time.RFC3339, d.Published); err == nil && t.Year() >= 0 && t.Year() <= 9999 {
		return "0" + t.UTC().Format("2006-01-02T15:04:05.000000000Z") + "\x00" + d.ID
	}
	return "1\x00" + d.ID
}

// Deduper turns a text into the keys the store indexes. It is built once per ingest
// from the corpus's dedup settings.
type Deduper struct {
	folder *dedupFolder
	// bufs holds normalisation buffers (*[]byte): the normalised text is only hashed,
	// so each worker's buffer serves every document it handles.
	bufs      sync.Pool
	hasher    *MinHasher
	bands     int
	rows      int
	threshold float64
}

// dedupHashes is the MinHash signature length: 128 keeps the estimate's standard error
// near 0.035 at Jaccard 0.8.
const dedupHashes = 128

// NewDeduper returns nil when near-duplicate detection is off (threshold < 0); exact
// duplicates are still found.
func NewDeduper(cfg config.Dedup) *Deduper {
	d := &Deduper{threshold: cfg.Threshold, folder: newDedupFolder()}
	if cfg.Threshold >= 0 {
		d.hasher = NewMinHasher(dedupHashes, cfg.Shingle, DefaultMinHashSeed)
		d.bands, d.rows = LSHParams(cfg.Threshold, dedupHashes)
	}
	return d
}

func (d *Deduper) input(text string) *dedupInput {
	bp, _ := d.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer d.bufs.Put(bp)
	var norm string
	if b, ok := d.folder.normalizeInto(*bp, text); ok {
		*bp = b
		// norm lives only in this call: nothing below keeps it (keys and signature
		// are new values), so it may view the buffer the next document overwrites.
		norm = unsafe.String(unsafe.SliceData(b), len(b))
	} else {
		norm = d.folder.slow(text)
	}
	in := &dedupInput{exactKey: exactKeyOfNormalized(norm)}
	if d.hasher != nil {
		in.signature = d.hasher.signatureOfNormalized(norm)
		in.bandKeys = BandKeys(in.signature, d.bands, d.rows)
	}
	return in
}

// placeDuplicate decides doc's duplicate mark, sets it in doc.Meta and indexes doc's
// keys. A text stored before keeps its decision (see keptDuplicate); a new text joins
// the clusters it touches (see joinCluster).
func (s *Store) placeDuplicate(ctx context.Context, tx *sql.Tx, dem *demotions, doc *schema.Document, prev schema.Document, hasPrev bool, dd *dedupInput) (placement, error) {
	sameText := hasPrev && prev.ContentHash == doc.ContentHash
	// Its old edges go with its old text or rank: the cluster it leaves is decided
	// again without it, and it joins what its new text touches below.
	leaves, released := false, 0
	if hasPrev && prev.ID != "" && (!sameText || DedupRank(prev) != DedupRank(*doc)) {
		var err error
		if leaves, err = s.inCluster(ctx, tx, prev); err != nil {
			return placement{}, err
		}
	}
	if hasPrev && !sameText {
		if err := dropDedup(ctx, tx, doc.ID); err != nil {
			return placement{}, err
		}
	}
	if leaves {
		if sameText {
			// Only its rank moved, so its entries stay; but the exact-key index holds
			// one document per key, and while it is this one the copies decided again
			// without it could not find it again by key (nor it them).
			if _, err := tx.ExecContext(ctx, `DELETE FROM dedup_exact WHERE id = ?`, doc.ID); err != nil {
				return placement{}, fmt.Errorf("dedup drop %s: %w", doc.ID, err)
			}
		}
		var err error
		if released, err = s.reclusterWithout(ctx, tx, dem, prev); err != nil {
			return placement{}, err
		}
	}
	keep := false
	if sameText && DedupRank(prev) == DedupRank(*doc) {
		var err error
		if keep, err = s.keptDuplicate(ctx, tx, dem, prev); err != nil {
			return placement{}, err
		}
	}
	var dupOf string
	var sim float64
	demoted := 0
	if keep {
		dupOf = prev.DupOf()
		sim, _ = prev.Meta["dup_similarity"].(float64)
	} else {
		var err error
		if dupOf, sim, demoted, err = s.joinCluster(ctx, tx, dem, *doc, dd); err != nil {
			return placement{}, err
		}
	}
	if doc.Meta == nil {
		doc.Meta = map[string]any{}
	}
	setDupMark(doc, dupOf, sim)
	// A new id, or one whose entries were just dropped, has no signature row to
	// compare with.
	if err := indexDedupEntries(ctx, tx, doc.ID, dd, !sameText); err != nil {
		return placement{}, err
	}
	return placement{dupOf: dupOf, similarity: sim, demoted: demoted, released: released}, nil
}

// placement is where placeDuplicate put a document: its original ("" when it is one)
// and similarity to it, how many originals it demoted, and how many duplicates of the
// cluster it left are originals again.
type placement struct {
	dupOf             string
	similarity        float64
	demoted, released int
}

func setDupMark(doc *schema.Document, dupOf string, sim float64) {
	delete(doc.Meta, schema.MetaDupOf)
	delete(doc.Meta, "dup_similarity")
	if dupOf != "" {
		doc.Meta[schema.MetaDupOf] = dupOf
		doc.Meta["dup_similarity"] = sim
	}
}

// joinCluster merges doc with every cluster it has an edge to and returns doc's
// original ("" when doc is it) with doc's similarity to it, and how many originals
// became duplicates. The merged cluster's original is the first by DedupRank of doc and
// the clusters' originals; an original that loses its place is demoted in dem, and
// re-marked with its duplicates as a duplicate of the new one when the transaction
// commits (see demotions). dup_similarity is always the similarity to the original
// itself, which the Spark job computes the same way.
func (s *Store) joinCluster(ctx context.Context, tx *sql.Tx, dem *demotions, doc schema.Document, dd *dedupInput) (string, float64, int, error) {
	roots, err := s.neighbourRoots(ctx, tx, dem, doc.ID, dd)
	if err != nil {
		return "", 0, 0, err
	}
	orig, origRank := doc.ID, DedupRank(doc)
	for _, r := range roots {
		d, _, err := stagedDoc(ctx, tx, r)
		if err != nil {
			return "", 0, 0, fmt.Errorf("dedup: %w", err)
		}
		if rk := DedupRank(d); rk < origRank {
			orig, origRank = r, rk
		}
	}
	demoted := 0
	for _, r := range roots {
		if r != orig {
			dem.demote(r, orig)
			demoted++
		}
	}
	if orig == doc.ID {
		return "", 0, demoted, nil
	}
	origSig, err := signatureOf(ctx, tx, orig)
	if err != nil {
		return "", 0, 0, err
	}
	return orig, sigSimilarity(dd.signature, origSig), demoted, nil
}

// sigSimilarity is the estimated similarity of two signatures; 1 when near-duplicate
// detection is off, where the only edges are exact matches.
func sigSimilarity(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	return EstimateJaccard(a, b)
}

func signatureOf(ctx context.Context, tx *sql.Tx, id string) ([]uint64, error) {
	var blob []byte
	err := tx.QueryRowContext(ctx, `SELECT sig FROM dedup_sig WHERE id = ?`, id).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dedup: signature of %s: %w", id, err)
	}
	return decodeSig(blob), nil
}

// neighbourRoots returns, sorted, the originals of the clusters id's keys touch: the
// document with the same exact key, and the LSH candidates whose signatures are at or
// above the threshold. A candidate that leads back to id is one of id's own
// duplicates, already in its cluster, and is passed over.
func (s *Store) neighbourRoots(ctx context.Context, tx *sql.Tx, dem *demotions, id string, in *dedupInput) ([]string, error) {
	var near []string
	if len(in.bandKeys) > 0 {
		var err error
		if near, err = s.nearCandidates(ctx, tx, id, in); err != nil {
			return nil, err
		}
	}
	var exact string
	err := tx.QueryRowContext(ctx, `SELECT id FROM dedup_exact WHERE key = ? AND id != ?`, in.exactKey, id).Scan(&exact)
	switch {
	case err == nil:
		near = append([]string{exact}, near...)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("dedup: %w", err)
	}
	roots, err := s.clusterRoots(ctx, tx, dem, id, near)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(roots))
	for r := range roots {
		out = append(out, r)
	}
	sort.Strings(out)
	return out, nil
}

// nearCandidates returns, sorted, the documents other than id that share an LSH band
// with in and whose signatures are at or above the threshold. Each candidate is read
// once however many bands it shares, and only its id is kept: a text repeated across
// thousands of pages (a wire story, a template) puts thousands of candidates in every
// band.
func (s *Store) nearCandidates(ctx context.Context, tx *sql.Tx, id string, in *dedupInput) ([]string, error) {
	// One query for all bands: a statement per band cost more in SQL parsing than the
	// lookups themselves.
	args := make([]any, 0, len(in.bandKeys)+1)
	for _, k := range in.bandKeys {
		args = append(args, int64(k))
	}
	args = append(args, id)
	rows, err := tx.QueryContext(ctx, bandCandidatesSQL(len(in.bandKeys)), args...)
	if err != nil {
		return nil, fmt.Errorf("dedup: %w", err)
	}
	defer rows.Close()
	threshold := s.cfg.Dedup.Threshold
	var near []string
	var sig []uint64
	for rows.Next() {
		var c string
		var blob []byte
		if err := rows.Scan(&c, &blob); err != nil {
			return nil, fmt.Errorf("dedup: %w", err)
		}
		sig = decodeSigInto(sig, blob)
		if EstimateJaccard(in.signature, sig) >= threshold {
			near = append(near, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dedup: %w", err)
	}
	sort.Strings(near)
	return near, nil
}

// clusterRoots returns the set of originals that the candidates lead to (see rootOf).
// Once a candidate's original is known, its other duplicates are looked up in one
// index range and resolved with it: following each candidate's link reads and
// verifies a whole document, so a cluster of k near-duplicates cost k documents read
// for every new member, and its ingest grew with the square of k. The originals
// demoted to it in the open transaction, whose duplicates the store still marks as
// theirs, are looked up with it.
func (s *Store) clusterRoots(ctx context.Context, tx *sql.Tx, dem *demotions, self string, cands []string) (map[string]bool, error) {
	roots := map[string]bool{}
	resolved := map[string]bool{} // candidates known to lead to a root already in roots
	for i, c := range cands {
		if resolved[c] {
			continue
		}
		root, staged, ok, err := s.rootOf(ctx, tx, dem, c, self)
		if err != nil {
			return nil, err
		}
		if !ok || roots[root] {
			continue
		}
		roots[root] = true
		// The duplicates of a staged original lead to it: their one link points at it,
		// and rootOf stopped there. An original that is not staged ends no chain but
		// its own.
		if !staged || i == len(cands)-1 {
			continue
		}
		group := dem.group(root)
		for _, g := range group {
			resolved[g] = true
		}
		members, err := stagedDuplicates(ctx, tx, group)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			resolved[m] = true
		}
	}
	return roots, nil
}

// stagedDuplicatesSQL lists the staged documents whose staged revision marks them as
// duplicates of one of n documents, by id: the revs_dup_of index finds the revisions,
// and the staged table, searched by each revision's id, tells which of them are
// staged. The n documents themselves are left out (one marked as its own duplicate is
// a damaged store).
func stagedDuplicatesSQL(n int) string {
	params := make([]string, n)
	for i := range params {
		params[i] = "?" + strconv.Itoa(i+1)
	}
	list := strings.Join(params, ", ")
	// The ids are left out by the id column: a second json_extract would parse the
	// body of every row the index finds.
	return `SELECT r.id FROM revs r
	WHERE json_extract(CAST(r.doc AS TEXT), '$.meta.dup_of') IN (` + list + `) AND r.id NOT IN (` + list + `)
	AND EXISTS (SELECT 1 FROM staged s WHERE s.id = r.id AND s.rev = r.rev)`
}

// maxDupOfArgs bounds the documents one stagedDuplicatesSQL statement asks for, well
// under SQLite's limit on bound parameters.
const maxDupOfArgs = 256

// stagedDuplicates returns, sorted, the staged documents marked as duplicates of one of
// origs.
func stagedDuplicates(ctx context.Context, tx *sql.Tx, origs []string) ([]string, error) {
	if _, err := tx.ExecContext(ctx, dupOfIndexSQL); err != nil {
		return nil, fmt.Errorf("dedup: %w", err)
	}
	var members []string
	for chunk := range slices.Chunk(origs, maxDupOfArgs) {
		args := make([]any, len(chunk))
		for i, o := range chunk {
			args[i] = o
		}
		if err := func() error {
			rows, err := tx.QueryContext(ctx, stagedDuplicatesSQL(len(chunk)), args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					return err
				}
				members = append(members, id)
			}
			return rows.Err()
		}(); err != nil {
			return nil, fmt.Errorf("dedup: duplicates of %s: %w", chunk[0], err)
		}
	}
	slices.Sort(members)
	return members, nil
}

// dupOfIndexSQL indexes staged revisions by their dup_of, for repoint: without it,
// finding a demoted original's duplicates scans every revision.
const dupOfIndexSQL = `CREATE INDEX IF NOT EXISTS revs_dup_of ON revs(json_extract(CAST(doc AS TEXT), '$.meta.dup_of'))`

// restageChunk is how many documents one restageAll call re-marks.
const restageChunk = 64

// restageAll stages a new revision of staged documents whose texts are unchanged (only
// their duplicate marks moved); their ingest times and provenance stay. The revisions
// they replace are deleted when no version holds them. Kept, such revisions were the
// store's largest waste: a cluster's members are re-marked whenever its original
// changes, which a cluster ingested newest first did with every new member, so k
// near-duplicates left k²/2 revisions behind (500 copies of one story: 123,000
// revisions, 780 MB). The documents go a few statements per chunk, not several each:
// every write statement inside a document's savepoint truncates SQLite's in-memory
// sub-journal back to where it started, walking it from its first chunk, and one
// statement per copy made re-marking a 2,000-copy cluster take 19 s (14 of them in
// memjrnlTruncate; 2.6 s now).
func restageAll(ctx context.Context, tx *sql.Tx, docs []schema.Document) error {
	if len(docs) == 0 {
		return nil
	}
	ids := make([]any, len(docs))
	revArgs := make([]any, 0, 5*len(docs))
	stageArgs := make([]any, 0, 2*len(docs))
	for i := range docs {
		d := &docs[i]
		body, err := marshalDoc(d)
		if err != nil {
			return err
		}
		revHash, err := revisionHash(*d)
		if err != nil {
			return err
		}
		ids[i] = d.ID
		revArgs = append(revArgs, d.ID, revHash, d.ContentHash, body, storedSum(body))
		stageArgs = append(stageArgs, d.ID, revHash)
	}
	old, err := stagedRevs(ctx, tx, ids)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO revs(id, rev_hash, content_hash, doc, doc_sum) VALUES `+
		rowsList(len(docs), 5), revArgs...); err != nil {
		return fmt.Errorf("insert revisions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO staged(id, rev) SELECT v.column1, r.rev FROM (VALUES `+rowsList(len(docs), 2)+
		`) v JOIN revs r ON r.rev_hash = v.column2 WHERE true ON CONFLICT(id) DO UPDATE SET rev = excluded.rev`, stageArgs...); err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	cur, err := stagedRevs(ctx, tx, ids)
	if err != nil {
		return err
	}
	// The inputs that made the replaced revisions made these: only the marks moved, and
	// storing one of them again keeps the mark it finds (see keptDuplicate).
	var moveArgs, dropArgs []any
	for i := range docs {
		id := docs[i].ID
		if o, n := old[id], cur[id]; o != n {
			moveArgs = append(moveArgs, o, n, docs[i].DupOf())
			dropArgs = append(dropArgs, o)
		}
	}
	if len(dropArgs) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE inputs SET rev = v.column2, dup_of = v.column3 FROM (VALUES `+
		rowsList(len(dropArgs), 3)+`) v WHERE inputs.rev = v.column1`, moveArgs...); err != nil {
		return fmt.Errorf("re-mark inputs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM revs WHERE rev IN (`+paramList(len(dropArgs))+`)
		AND NOT EXISTS (SELECT 1 FROM versions x JOIN version_docs v ON v.seq = x.seq AND v.id = revs.id WHERE v.rev = revs.rev)`,
		dropArgs...); err != nil {
		return fmt.Errorf("drop replaced revisions: %w", err)
	}
	return nil
}

// stagedRevs is the staged revision of each of ids.
func stagedRevs(ctx context.Context, tx *sql.Tx, ids []any) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, rev FROM staged WHERE id IN (`+paramList(len(ids))+`)`, ids...)
	if err != nil {
		return nil, fmt.Errorf("staged revisions: %w", err)
	}
	defer rows.Close()
	revs := make(map[string]int64, len(ids))
	for rows.Next() {
		var id string
		var rev int64
		if err := rows.Scan(&id, &rev); err != nil {
			return nil, fmt.Errorf("staged revisions: %w", err)
		}
		revs[id] = rev
	}
	return revs, rows.Err()
}

// paramList is "?, ?, …" for n values; rowsList is n rows of width of them.
func paramList(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func rowsList(n, width int) string {
	row := "(" + paramList(width) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// maxDupChain bounds how far rootOf follows dup_of links: chains are one link long
// when every duplicate points at the original, so a longer one is a loop in a damaged
// store and must not hang the ingest.
const maxDupChain = 16

// rootOf follows dup_of links from a staged document c to the original it stands for,
// so that every duplicate points at the original itself, and from there through the
// demotions of the open transaction. ok is false when the chain leads to self (c is one
// of self's duplicates) or loops. A link to a document that is no longer staged ends
// the chain at the last staged one; staged is false only when c itself is not staged.
// Each document of the chain is read once.
func (s *Store) rootOf(ctx context.Context, tx *sql.Tx, dem *demotions, c, self string) (root string, staged, ok bool, err error) {
	last := "" // the chain's last staged document
	for range maxDupChain {
		d, isStaged, err := stagedDoc(ctx, tx, c)
		if err != nil {
			return "", false, false, fmt.Errorf("dedup: %w", err)
		}
		if !isStaged {
			if last == "" {
				return c, false, true, nil
			}
			return chainEnd(dem, last, self)
		}
		if c == self {
			return "", false, false, nil
		}
		if next := d.DupOf(); next != "" && next != c {
			last, c = c, next
			continue
		}
		return chainEnd(dem, c, self)
	}
	return "", false, false, nil
}

// chainEnd is rootOf's answer for a chain that ends in the store at the staged document
// c: the original that replaced c in the open transaction, if any. Only staged
// originals are demoted, to staged ones.
func chainEnd(dem *demotions, c, self string) (root string, staged, ok bool, err error) {
	if orig, moved := dem.final(c); moved {
		c = orig
	}
	if c == self {
		return "", false, false, nil
	}
	return c, true, true, nil
}

// keptDuplicate reports whether prev's duplicate decision still holds for the same
// text stored again. A decision is made when a text is first stored, against what was
// stored before it; storing the same text again keeps it (re-ingesting identical input
// changes nothing), unless it has become impossible: an original that is no longer
// staged, or one that leads back to the document itself.
func (s *Store) keptDuplicate(ctx context.Context, tx *sql.Tx, dem *demotions, prev schema.Document) (bool, error) {
	orig := prev.DupOf()
	if orig == "" {
		// An original stays one: a document ranked before it that joined its cluster
		// demoted it then (see joinCluster), and demoted is never reread unmarked:
		// putDocument applies the pending demotions first.
		return true, nil
	}
	if orig == prev.ID {
		return false, nil
	}
	if _, staged, err := stagedDoc(ctx, tx, orig); err != nil || !staged {
		return false, err
	}
	_, _, ok, err := s.rootOf(ctx, tx, dem, orig, prev.ID)
	return ok, err
}

// indexDedupEntries indexes id's keys; fresh tells that id has no dedup_sig row.
func indexDedupEntries(ctx context.Context, tx *sql.Tx, id string, in *dedupInput, fresh bool) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dedup_exact(key, id) VALUES (?, ?)`, in.exactKey, id); err != nil {
		return fmt.Errorf("dedup index: %w", err)
	}
	if len(in.signature) == 0 {
		return nil
	}
	sig, bands := encodeSig(in.signature), encodeBands(in.bandKeys)
	var doc int64
	var oldSig, oldBands []byte
	err := sql.ErrNoRows
	if !fresh {
		err = tx.QueryRowContext(ctx, `SELECT doc, sig, bands FROM dedup_sig WHERE id = ?`, id).Scan(&doc, &oldSig, &oldBands)
	}
	switch {
	case err == nil:
		if bytes.Equal(oldSig, sig) && oldBands != nil && bytes.Equal(oldBands, bands) {
			// The same text stored again: its entries are there already.
			return nil
		}
		if err := dropBands(ctx, tx, doc, oldBands); err != nil {
			return err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("dedup index: %w", err)
	}
	// An existing row keeps its number, which its new band rows carry.
	if err := tx.QueryRowContext(ctx, `INSERT INTO dedup_sig(id, sig, bands) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET sig = excluded.sig, bands = excluded.bands RETURNING doc`, id, sig, bands).Scan(&doc); err != nil {
		return fmt.Errorf("dedup index: %w", err)
	}
	if len(in.bandKeys) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(in.bandKeys))
	for _, k := range in.bandKeys {
		args = append(args, int64(k), doc)
	}
	if _, err := tx.ExecContext(ctx, bandInsertSQL(len(in.bandKeys)), args...); err != nil {
		return fmt.Errorf("dedup index: %w", err)
	}
	return nil
}

// bandCandidatesSQL selects the documents other than the last argument that share one
// of n band keys, with their signatures, each once: n primary-key ranges in one
// statement, and one look-up by number in dedup_sig for each distinct candidate.
func bandCandidatesSQL(n int) string {
	return `SELECT g.id, g.sig FROM dedup_sig g WHERE g.doc IN (SELECT doc FROM dedup_band WHERE band_key IN (` +
		paramList(n) + `)) AND g.id != ?`
}

// bandInsertSQL inserts n (band_key, doc) rows.
func bandInsertSQL(n int) string {
	return `INSERT OR IGNORE INTO dedup_band(band_key, doc) VALUES ` + rowsList(n, 2)
}

// bandDeleteSQL deletes the rows of one document (the first argument, its number) under
// n band keys: n primary-key lookups. dedup_band has no index by document (format 5):
// a second b-tree of every band row doubled what each stored document wrote.
func bandDeleteSQL(n int) string {
	return `DELETE FROM dedup_band WHERE doc = ? AND band_key IN (` + paramList(n) + `)`
}

// bandCountSQL counts the rows of one document (the first argument, its number) under
// n band keys, as bandDeleteSQL finds them.
func bandCountSQL(n int) string {
	return `SELECT count(*) FROM dedup_band WHERE doc = ? AND band_key IN (` + paramList(n) + `)`
}

// bandRowArgs are the arguments of bandDeleteSQL and bandCountSQL.
func bandRowArgs(doc int64, keys []uint64) []any {
	args := make([]any, 0, 1+len(keys))
	args = append(args, doc)
	for _, k := range keys {
		args = append(args, int64(k))
	}
	return args
}

// dropBands deletes the band rows of document number doc, whose keys its dedup_sig row
// holds (bands; every row records them since format 5).
func dropBands(ctx context.Context, tx *sql.Tx, doc int64, bands []byte) error {
	keys := decodeSig(bands)
	if len(keys) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, bandDeleteSQL(len(keys)), bandRowArgs(doc, keys)...); err != nil {
		return fmt.Errorf("dedup drop document %d: %w", doc, err)
	}
	return nil
}

// dropDedup removes a document's index entries when its text changes or it leaves.
func dropDedup(ctx context.Context, tx *sql.Tx, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM dedup_exact WHERE id = ?`, id); err != nil {
		return fmt.Errorf("dedup drop %s: %w", id, err)
	}
	var doc int64
	var bands []byte
	err := tx.QueryRowContext(ctx, `SELECT doc, bands FROM dedup_sig WHERE id = ?`, id).Scan(&doc, &bands)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("dedup drop %s: %w", id, err)
	}
	if err := dropBands(ctx, tx, doc, bands); err != nil {
		return fmt.Errorf("dedup drop %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dedup_sig WHERE doc = ?`, doc); err != nil {
		return fmt.Errorf("dedup drop %s: %w", id, err)
	}
	return nil
}

// encodeBands is the dedup_sig.bands value of a document's band keys: a set (sorted),
// as deleting them needs, so that the migrated rows of older stores compare equal.
func encodeBands(keys []uint64) []byte {
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	b := encodeSig(sorted)
	if b == nil {
		b = []byte{}
	}
	return b
}

func encodeSig(sig []uint64) []byte {
	b := make([]byte, 8*len(sig))
	for i, v := range sig {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

func decodeSig(b []byte) []uint64 {
	return decodeSigInto(nil, b)
}

// decodeSigInto decodes b into sig's storage when it is large enough.
func decodeSigInto(sig []uint64, b []byte) []uint64 {
	sig = slices.Grow(sig[:0], len(b)/8)[:len(b)/8]
	for i := range sig {
		sig[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return sig
}
