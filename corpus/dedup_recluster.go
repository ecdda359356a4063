package corpus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/newsds/newsds/schema"
)

// A duplicate cluster is a connected component of the duplicate graph, and joining
// clusters (joinCluster) only ever adds edges. A document that changes its text or its
// rank, or leaves the staged set, takes its edges with it: its copies may no longer be
// copies of anything (an original rewritten into another story left them marked as its
// duplicates, so releases dropped the story), and a document that bridged two groups
// leaves two clusters. reclusterWithout decides the marks of the cluster it was in again,
// from the members that remain, as a fresh ingest of the same texts would.

// clusterMember is what deciding a cluster's marks needs of one staged document.
type clusterMember struct {
	doc      schema.Document
	rank     string
	exactKey string
	sig      []uint64
	bands    []uint64
}

// reclusterWithout re-marks the staged members of the cluster gone (its previous
// staged revision) belonged to, gone left out: the connected components of the edges
// among them (the same exact key, or a shared LSH band with signatures at or above the
// threshold), each with its first member by DedupRank as the original. Only members
// whose mark or similarity changes get a new revision. Pending demotions are applied
// first, so that the members the store marks are the whole cluster.
func (s *Store) reclusterWithout(ctx context.Context, tx *sql.Tx, dem *demotions, gone schema.Document) (released int, err error) {
	if err := dem.apply(ctx, tx); err != nil {
		return 0, err
	}
	root := gone.DupOf()
	if root == gone.ID {
		root = "" // a damaged self-mark: gone is read as an original
	}
	var ids []string
	if root == "" {
		members, err := stagedDuplicates(ctx, tx, []string{gone.ID})
		if err != nil {
			return 0, err
		}
		ids = members
	} else {
		members, err := stagedDuplicates(ctx, tx, []string{root})
		if err != nil {
			return 0, err
		}
		ids = append(members, root)
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == gone.ID })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return 0, nil
	}
	members := make([]clusterMember, 0, len(ids))
	for _, id := range ids {
		m, ok, err := readClusterMember(ctx, tx, id)
		if err != nil {
			return 0, err
		}
		if ok {
			members = append(members, m)
		}
	}
	comp := clusterComponents(members, s.cfg.Dedup.Threshold)
	orig := map[int]int{} // component -> index of its original
	for i, m := range members {
		if o, ok := orig[comp[i]]; !ok || m.rank < members[o].rank {
			orig[comp[i]] = i
		}
	}
	var remarked []schema.Document
	keys := map[string]bool{}
	for i := range members {
		m := &members[i]
		// gone may have held the exact key of its copies: every remaining text keeps
		// one holder of its key, so later copies still find it.
		if !keys[m.exactKey] {
			keys[m.exactKey] = true
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dedup_exact(key, id) VALUES (?, ?)`, m.exactKey, m.doc.ID); err != nil {
				return 0, fmt.Errorf("dedup index: %w", err)
			}
		}
		o := orig[comp[i]]
		dupOf, sim := "", 0.0
		if o != i {
			dupOf, sim = members[o].doc.ID, sigSimilarity(m.sig, members[o].sig)
		}
		oldSim, _ := m.doc.Meta["dup_similarity"].(float64)
		if m.doc.DupOf() == dupOf && (dupOf == "" || oldSim == sim) {
			continue
		}
		if m.doc.Meta == nil {
			m.doc.Meta = map[string]any{}
		}
		if dupOf == "" {
			released++
		}
		setDupMark(&m.doc, dupOf, sim)
		remarked = append(remarked, m.doc)
	}
	for chunk := range slices.Chunk(remarked, restageChunk) {
		if err := restageAll(ctx, tx, chunk); err != nil {
			return 0, fmt.Errorf("dedup: re-mark the copies of %s: %w", gone.ID, err)
		}
	}
	return released, nil
}

// inCluster reports whether the staged document d has other documents in its cluster,
// asked before its dedup entries are dropped. A duplicate has; an original has exactly
// when it has an edge (every member of a cluster of two or more has one), which its
// LSH candidates tell with one indexed query, as for a new document. Without
// signatures (near-duplicate detection off) the index of dup_of marks tells: the exact
// key index holds one document per key, so d may be the holder its copies never see.
func (s *Store) inCluster(ctx context.Context, tx *sql.Tx, d schema.Document) (bool, error) {
	if d.DupOf() != "" {
		return true, nil
	}
	var sig, bands []byte
	err := tx.QueryRowContext(ctx, `SELECT sig, bands FROM dedup_sig WHERE id = ?`, d.ID).Scan(&sig, &bands)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("dedup: signature of %s: %w", d.ID, err)
	}
	if len(bands) == 0 {
		members, err := stagedDuplicates(ctx, tx, []string{d.ID})
		return len(members) > 0, err
	}
	near, err := s.nearCandidates(ctx, tx, d.ID, &dedupInput{signature: decodeSig(sig), bandKeys: decodeSig(bands)})
	return len(near) > 0, err
}

func readClusterMember(ctx context.Context, tx *sql.Tx, id string) (clusterMember, bool, error) {
	d, staged, err := stagedDoc(ctx, tx, id)
	if err != nil {
		return clusterMember{}, false, fmt.Errorf("dedup: %w", err)
	}
	if !staged {
		return clusterMember{}, false, nil
	}
	m := clusterMember{doc: d, rank: DedupRank(d), exactKey: ExactKey(d.Text)}
	var sig, bands []byte
	err = tx.QueryRowContext(ctx, `SELECT sig, bands FROM dedup_sig WHERE id = ?`, id).Scan(&sig, &bands)
	switch {
	case err == nil:
		m.sig, m.bands = decodeSig(sig), decodeSig(bands)
	case !errors.Is(err, sql.ErrNoRows):
		return clusterMember{}, false, fmt.Errorf("dedup: signature of %s: %w", id, err)
	}
	return m, true, nil
}

// clusterComponents numbers the connected components of the duplicate graph over
// members: the component of each member, by index.
func clusterComponents(members []clusterMember, threshold float64) []int {
	parent := make([]int, len(members))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	byKey := map[string]int{}
	byBand := map[uint64][]int{}
	for i, m := range members {
		if j, ok := byKey[m.exactKey]; ok {
			// One text, one signature: its edges are its first copy's, and a cluster of
			// identical pages (an error page crawled thousands of times) compares none.
			union(i, j)
			continue
		}
		byKey[m.exactKey] = i
		for _, b := range m.bands {
			byBand[b] = append(byBand[b], i)
		}
	}
	for _, group := range byBand {
		for x, i := range group {
			for _, j := range group[x+1:] {
				if find(i) == find(j) {
					continue
				}
				if EstimateJaccard(members[i].sig, members[j].sig) >= threshold {
					union(i, j)
				}
			}
		}
	}
	comp := make([]int, len(members))
	for i := range members {
		comp[i] = find(i)
	}
	return comp
}
