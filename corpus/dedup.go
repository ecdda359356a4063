package corpus

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// Duplicate detection keeps its indexes in the store, not in memory: an exact-key
// table, and for near-duplicates each document's MinHash signature plus one row per
// LSH band. Memory stays bounded by one document's candidates, whatever the corpus size.
// The document stored first stays the original; later ones point at it with dup_of.

// Deduper turns a text into the keys the store indexes. It is built once per ingest
// from the corpus's dedup settings.
type Deduper struct {
	folder    *dedupFolder
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
	norm := d.folder.normalize(text)
	in := &dedupInput{exactKey: exactKeyOfNormalized(norm)}
	if d.hasher != nil {
		in.signature = d.hasher.signatureOfNormalized(norm)
		in.bandKeys = BandKeys(in.signature, d.bands, d.rows)
	}
	return in
}

// findDuplicate returns the original that id's text duplicates: an exact match of the
// normalised text first, else the most similar LSH candidate at or above the threshold
// (ties broken by id, so the answer does not depend on row order). A candidate that is
// itself a duplicate stands for its original. Documents that lead back to id are id's
// own duplicates, stored after it: taking one as id's original would make id a
// duplicate of itself, so they are passed over.
func (s *Store) findDuplicate(ctx context.Context, tx *sql.Tx, id string, in *dedupInput) (string, float64, error) {
	var exact string
	err := tx.QueryRowContext(ctx, `SELECT id FROM dedup_exact WHERE key = ? AND id != ?`, in.exactKey, id).Scan(&exact)
	switch {
	case err == nil:
		root, ok, err := s.rootOf(ctx, tx, exact, id)
		if err != nil {
			return "", 0, err
		}
		if ok {
			return root, 1, nil
		}
	case !errors.Is(err, sql.ErrNoRows):
		return "", 0, fmt.Errorf("dedup: %w", err)
	}
	if len(in.bandKeys) == 0 {
		return "", 0, nil
	}
	threshold := s.cfg.Dedup.Threshold
	cands := map[string]bool{}
	// One query for all bands: a statement per band cost more in SQL parsing than the
	// lookups themselves.
	args := make([]any, 0, len(in.bandKeys)+1)
	for _, k := range in.bandKeys {
		args = append(args, int64(k))
	}
	args = append(args, id)
	rows, err := tx.QueryContext(ctx, bandCandidatesSQL(len(in.bandKeys)), args...)
	if err != nil {
		return "", 0, fmt.Errorf("dedup: %w", err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return "", 0, fmt.Errorf("dedup: %w", err)
		}
		cands[c] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", 0, fmt.Errorf("dedup: %w", err)
	}
	ids := make([]string, 0, len(cands))
	for c := range cands {
		ids = append(ids, c)
	}
	sort.Strings(ids)
	best, bestSim := "", 0.0
	for _, c := range ids {
		var blob []byte
		if err := tx.QueryRowContext(ctx, `SELECT sig FROM dedup_sig WHERE id = ?`, c).Scan(&blob); err != nil {
			return "", 0, fmt.Errorf("dedup: signature of %s: %w", c, err)
		}
		sim := EstimateJaccard(in.signature, decodeSig(blob))
		if sim < threshold || sim <= bestSim {
			continue
		}
		root, ok, err := s.rootOf(ctx, tx, c, id)
		if err != nil {
			return "", 0, err
		}
		if ok {
			best, bestSim = root, sim
		}
	}
	return best, bestSim, nil
}

// maxDupChain bounds how far rootOf follows dup_of links: chains are one link long
// when every duplicate points at the original, so a longer one is a loop in a damaged
// store and must not hang the ingest.
const maxDupChain = 16

// rootOf follows dup_of links from a staged document c to the original it stands for,
// so that every duplicate points at the original itself. ok is false when the chain
// leads to self (c is one of self's duplicates) or loops. A link to a document that is
// no longer staged ends the chain at the last staged one.
func (s *Store) rootOf(ctx context.Context, tx *sql.Tx, c, self string) (root string, ok bool, err error) {
	for range maxDupChain {
		if c == self {
			return "", false, nil
		}
		d, staged, err := stagedDoc(ctx, tx, c)
		if err != nil {
			return "", false, fmt.Errorf("dedup: %w", err)
		}
		next := d.DupOf()
		if !staged || next == "" || next == c {
			return c, true, nil
		}
		if _, nextStaged, err := stagedDoc(ctx, tx, next); err != nil {
			return "", false, fmt.Errorf("dedup: %w", err)
		} else if !nextStaged {
			return c, true, nil
		}
		c = next
	}
	return "", false, nil
}

// keptDuplicate reports whether prev's duplicate decision still holds for the same
// text stored again. A decision is made when a text is first stored, against what was
// stored before it; storing the same text again keeps it (re-ingesting identical input
// changes nothing), unless it has become impossible: an original that is no longer
// staged, or one that leads back to the document itself.
func (s *Store) keptDuplicate(ctx context.Context, tx *sql.Tx, prev schema.Document) (bool, error) {
	orig := prev.DupOf()
	if orig == "" {
		// An original stays one: everything that resembles it was stored after it.
		return true, nil
	}
	if orig == prev.ID {
		return false, nil
	}
	if _, staged, err := stagedDoc(ctx, tx, orig); err != nil || !staged {
		return false, err
	}
	_, ok, err := s.rootOf(ctx, tx, orig, prev.ID)
	return ok, err
}

func indexDedup(ctx context.Context, tx *sql.Tx, id string, in *dedupInput) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dedup_exact(key, id) VALUES (?, ?)`, in.exactKey, id); err != nil {
		return fmt.Errorf("dedup index: %w", err)
	}
	if len(in.signature) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO dedup_sig(id, sig) VALUES (?, ?)`, id, encodeSig(in.signature)); err != nil {
		return fmt.Errorf("dedup index: %w", err)
	}
	if len(in.bandKeys) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(in.bandKeys))
	for _, k := range in.bandKeys {
		args = append(args, int64(k), id)
	}
	if _, err := tx.ExecContext(ctx, bandInsertSQL(len(in.bandKeys)), args...); err != nil {
		return fmt.Errorf("dedup index: %w", err)
	}
	return nil
}

// bandCandidatesSQL selects the documents other than the last argument that share one
// of n band keys: n primary-key lookups in one statement.
func bandCandidatesSQL(n int) string {
	return `SELECT id FROM dedup_band WHERE band_key IN (` + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + `) AND id != ?`
}

// bandInsertSQL inserts n (band_key, id) rows.
func bandInsertSQL(n int) string {
	return `INSERT OR IGNORE INTO dedup_band(band_key, id) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ")
}

// dropDedup removes a document's index entries when its text changes or it leaves.
func dropDedup(ctx context.Context, tx *sql.Tx, id string) error {
	for _, q := range []string{
		`DELETE FROM dedup_exact WHERE id = ?`,
		`DELETE FROM dedup_band WHERE id = ?`,
		`DELETE FROM dedup_sig WHERE id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("dedup drop %s: %w", id, err)
		}
	}
	return nil
}

func encodeSig(sig []uint64) []byte {
	b := make([]byte, 8*len(sig))
	for i, v := range sig {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

func decodeSig(b []byte) []uint64 {
	sig := make([]uint64, len(b)/8)
	for i := range sig {
		sig[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return sig
}
