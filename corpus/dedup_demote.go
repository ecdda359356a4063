package corpus

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/newsds/newsds/schema"
)

// demotions are the originals that lost their place in the open write transaction,
// each to the original that replaced it, whose members are re-marked only when the
// transaction commits (apply). Re-marking them at once rewrote every member of a
// cluster each time its original changed: a cluster ingested newest first (a crawl that
// walks an archive backwards) gets a new original with every copy, so k copies cost
// k²/2 re-marks, and 500 copies of one story took 90 s. Deferred, each member is
// re-marked once per batch.
//
// Until then the store still marks a demoted original's members as its duplicates;
// rootOf and clusterRoots read through the pending demotions, so every decision taken
// inside the transaction sees the clusters as if the re-marks were done.
type demotions struct {
	next map[string]string   // a demoted original → the original that replaced it
	into map[string][]string // an original → the demoted originals that next sends to it
	// journal records what the open document changed, so that a document that fails
	// (its savepoint rolled back) leaves no demotion behind.
	journal []demotionStep
}

// demotionStep is one change to the demotions: root demoted to orig, or, with cleared
// set, the maps that apply emptied.
type demotionStep struct {
	root, orig string
	cleared    bool
	next       map[string]string
	into       map[string][]string
}

func newDemotions() *demotions {
	return &demotions{next: map[string]string{}, into: map[string][]string{}}
}

// A nil *demotions has none and takes none: a writer that never demotes (annotation
// groups) carries none.

// reset forgets everything, for a new transaction.
func (d *demotions) reset() {
	if d == nil {
		return
	}
	clear(d.next)
	clear(d.into)
	d.journal = d.journal[:0]
}

// pending reports whether id is an original demoted in the open transaction.
func (d *demotions) pending(id string) bool {
	if d == nil {
		return false
	}
	_, ok := d.next[id]
	return ok
}

// final returns the original that id's cluster now has, and whether id was demoted.
func (d *demotions) final(id string) (string, bool) {
	if d == nil {
		return id, false
	}
	orig, ok := d.next[id]
	if !ok {
		return id, false
	}
	// demote only ever sends an original to one that is not demoted, so the chain
	// ends; the bound keeps a defect from hanging the ingest.
	for range len(d.next) {
		n, ok := d.next[orig]
		if !ok {
			break
		}
		orig = n
	}
	return orig, true
}

// demote records that root, an original, lost its place to orig, another one.
func (d *demotions) demote(root, orig string) {
	d.next[root] = orig
	d.into[orig] = append(d.into[orig], root)
	d.journal = append(d.journal, demotionStep{root: root, orig: orig})
}

// group returns orig and every demoted original whose cluster orig now leads, sorted.
func (d *demotions) group(orig string) []string {
	out := []string{orig}
	if d == nil {
		return out
	}
	for i := 0; i < len(out); i++ {
		out = append(out, d.into[out[i]]...)
	}
	slices.Sort(out)
	return out
}

// mark is the point a document's savepoint starts at.
func (d *demotions) mark() int {
	if d == nil {
		return 0
	}
	return len(d.journal)
}

// undo takes back what happened since mark, as the document's savepoint rolls back.
func (d *demotions) undo(mark int) {
	if d == nil {
		return
	}
	for i := len(d.journal) - 1; i >= mark; i-- {
		st := d.journal[i]
		if st.cleared {
			d.next, d.into = st.next, st.into
			continue
		}
		delete(d.next, st.root)
		if l := d.into[st.orig]; len(l) > 1 {
			d.into[st.orig] = l[:len(l)-1]
		} else {
			delete(d.into, st.orig)
		}
	}
	d.journal = d.journal[:mark]
}

// release forgets the journal once a document's savepoint is released: nothing can
// roll it back alone any more.
func (d *demotions) release() {
	if d != nil {
		d.journal = d.journal[:0]
	}
}

// apply re-marks every demoted original, with its staged duplicates, as a duplicate of
// the original its cluster now has, in tx, and forgets them.
func (d *demotions) apply(ctx context.Context, tx *sql.Tx) error {
	if d == nil || len(d.next) == 0 {
		return nil
	}
	roots := make([]string, 0, len(d.next))
	for r := range d.next {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	sigs := map[string][]uint64{}
	for _, r := range roots {
		orig, _ := d.final(r)
		sig, ok := sigs[orig]
		if !ok {
			var err error
			if sig, err = signatureOf(ctx, tx, orig); err != nil {
				return err
			}
			sigs[orig] = sig
		}
		if err := repoint(ctx, tx, r, orig, sig); err != nil {
			return err
		}
	}
	d.journal = append(d.journal, demotionStep{cleared: true, next: d.next, into: d.into})
	d.next, d.into = map[string]string{}, map[string][]string{}
	return nil
}

// repoint re-marks root (an original that lost its place) and every staged duplicate
// of it as duplicates of orig, whose signature is origSig.
func repoint(ctx context.Context, tx *sql.Tx, root, orig string, origSig []uint64) error {
	dups, err := stagedDuplicates(ctx, tx, []string{root})
	if err != nil {
		return err
	}
	var remarked []schema.Document
	for _, m := range append([]string{root}, dups...) {
		if m == orig {
			continue
		}
		d, staged, err := stagedDoc(ctx, tx, m)
		if err != nil {
			return fmt.Errorf("dedup: %w", err)
		}
		if !staged {
			continue
		}
		sig, err := signatureOf(ctx, tx, m)
		if err != nil {
			return err
		}
		if d.Meta == nil {
			d.Meta = map[string]any{}
		}
		setDupMark(&d, orig, sigSimilarity(sig, origSig))
		remarked = append(remarked, d)
	}
	for chunk := range slices.Chunk(remarked, restageChunk) {
		if err := restageAll(ctx, tx, chunk); err != nil {
			return fmt.Errorf("dedup: re-mark the cluster of %s as duplicates of %s: %w", root, orig, err)
		}
	}
	return nil
}
