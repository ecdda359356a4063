package corpus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

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
func (s *Store) reclusterWithout(ctx context.Context, tx *sql.Tx, dem *demotions, gone schema.Document) error {
	if err := dem.apply(ctx, tx); err != nil {
		return err
	}
	root := gone.DupOf()
	if root == gone.ID {
		root = "" // a damaged self-mark: gone is read as an original
	}
	var ids []string
	if root == "" {
		members, err := stagedDuplicates(ctx, tx, []string{gone.ID})
		if err != nil {
			return err
		}
		ids = members
	} else {
		members, err := stagedDuplicates(ctx, tx, []string{root})
		if err != nil {
			return err
		}
		ids = append(members, root)
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == gone.ID })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil
	}
	members := make([]clusterMember, 0, len(ids))
	for _, id := range ids {
		m, ok, err := readClusterMember(ctx, tx, id)
		if err != nil {
			return err
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
				return fmt.Errorf("dedup index: %w", err)
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
		setDupMark(&m.doc, dupOf, sim)
		remarked = append(remarked, m.doc)
	}
	for chunk := range slices.Chunk(remarked, restageChunk) {
		if err := restageAll(ctx, tx, chunk); err != nil {
			return fmt.Errorf("dedup: re-mark the copies of %s: %w", gone.ID, err)
		}
	}
	return nil
}

// restageChunk is how many documents one restageAll call re-marks.
const restageChunk = 64

// restageAll is restage for many documents in a few statements. Each write statement
// inside a document's savepoint truncates SQLite's in-memory sub-journal back to where
// it started, walking the journal from its first chunk: a restage per copy made the
// re-marks of a cluster cost the square of its size (2,000 copies: 19 s, 14 of them in
// memjrnlTruncate).
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
	// The inputs that made the replaced revisions made these: only the marks moved (see
	// restage), and the replaced revisions go unless a version holds them.
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
