package corpus

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// Duplicate detection keeps its indexes in the store, not in memory: an exact-key
// table, and for near-duplicates each document's MinHash signature plus one row per
// LSH band. Memory stays bounded by one document's candidates, whatever the corpus size.
// The document stored first stays the original; later ones point at it with dup_of.

// Deduper turns a text into the keys the store indexes. It is built once per ingest
// from the corpus's dedup settings.
type Deduper struct {
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
func NewDeduper(cfg Dedup) *Deduper {
	d := &Deduper{threshold: cfg.Threshold}
	if cfg.Threshold >= 0 {
		d.hasher = NewMinHasher(dedupHashes, cfg.Shingle, DefaultMinHashSeed)
		d.bands, d.rows = LSHParams(cfg.Threshold, dedupHashes)
	}
	return d
}

func (d *Deduper) input(text string) *dedupInput {
	in := &dedupInput{exactKey: ExactKey(text)}
	if d.hasher != nil {
		in.signature = d.hasher.Signature(text)
		in.bandKeys = BandKeys(in.signature, d.bands, d.rows)
	}
	return in
}

// findDuplicate returns the original that id's text duplicates: an exact match of the
// normalised text first, else the most similar LSH candidate at or above the threshold
// (ties broken by id, so the answer does not depend on row order).
func (s *Store) findDuplicate(ctx context.Context, tx *sql.Tx, id string, in *dedupInput) (string, float64, error) {
	var orig string
	err := tx.QueryRowContext(ctx, `SELECT id FROM dedup_exact WHERE key = ? AND id != ?`, in.exactKey, id).Scan(&orig)
	switch {
	case err == nil:
		return s.rootOf(ctx, tx, orig), 1, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", 0, fmt.Errorf("dedup: %w", err)
	}
	if len(in.bandKeys) == 0 {
		return "", 0, nil
	}
	threshold := s.cfg.Dedup.Threshold
	cands := map[string]bool{}
	for _, k := range in.bandKeys {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM dedup_band WHERE band_key = ? AND id != ?`, int64(k), id)
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
		if sim >= threshold && sim > bestSim {
			best, bestSim = c, sim
		}
	}
	if best == "" {
		return "", 0, nil
	}
	return s.rootOf(ctx, tx, best), bestSim, nil
}

// rootOf follows dup_of links so that every duplicate points at the original itself.
func (s *Store) rootOf(ctx context.Context, tx *sql.Tx, id string) string {
	for range 16 {
		d, ok, err := stagedDoc(ctx, tx, id)
		if err != nil || !ok || d.DupOf() == "" {
			return id
		}
		id = d.DupOf()
	}
	return id
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
	for _, k := range in.bandKeys {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dedup_band(band_key, id) VALUES (?, ?)`, int64(k), id); err != nil {
			return fmt.Errorf("dedup index: %w", err)
		}
	}
	return nil
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
