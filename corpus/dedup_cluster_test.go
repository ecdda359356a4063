package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clusterCopies writes copies first..last-1 of one text as JSONL, in that order or in
// reverse: copy i changes one word in every 97 at its own offset, so that every two
// copies are near-duplicates and none is exact, and is published i minutes after copy 0.
func clusterCopies(t testing.TB, text string, first, last int, reverse bool) string {
	t.Helper()
	words := strings.Fields(text)
	lines := make([]string, 0, last-first)
	for i := first; i < last; i++ {
		lines = append(lines, fmt.Sprintf(`{"url":"https://example.com/wire/%d","title":"Wire %d","published":%q,"text":%s}`,
			i, i, clusterCopyPublished(i), jsonQuote(clusterCopyText(words, i))))
	}
	if reverse {
		for a, b := 0, len(lines)-1; a < b; a, b = a+1, b-1 {
			lines[a], lines[b] = lines[b], lines[a]
		}
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("copies-%d-%d.jsonl", first, last))
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// clusterCopyText is copy i of a text's words: one word in every 97 changed, at an
// offset of its own.
func clusterCopyText(words []string, i int) string {
	w := append([]string(nil), words...)
	for k := i % 97; k < len(w); k += 97 {
		w[k] = fmt.Sprintf("copy%d", i)
	}
	return strings.Join(w, " ")
}

// clusterCopyPublished is copy i's publication time, i minutes after copy 0's.
func clusterCopyPublished(i int) string {
	return time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
}

// Storing the k-th copy of a text repeated across pages (a wire story, a template)
// followed the duplicate link of every earlier copy, each a whole document read and
// verified: a cluster of k near-duplicates cost k²/2 document reads, and 2,000 copies
// took 128 CPU-seconds to ingest. Once a cluster's original is known, its other members
// come from one index range.
func TestClusterCandidatesReadOnce(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	readDoc := revisionSelect("s") + ` FROM staged s LEFT JOIN revs r USING(rev) WHERE s.id = ?`
	var mu sync.Mutex
	reads := 0
	st, err := openDBObserved(ctx, root, false, func(q string) {
		if q == readDoc {
			mu.Lock()
			reads++
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const n = 80
	sum := ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, readSharedText(t), 0, n, false))
	if sum.Ingested != n || sum.Duplicates != n-1 {
		t.Fatalf("ingested %d, %d duplicates; want %d and %d", sum.Ingested, sum.Duplicates, n, n-1)
	}
	for _, d := range staged(t, st) {
		if d.Title != "Wire 0" && d.DupOf() == "" {
			t.Errorf("%s (%s) is not marked as a duplicate", d.ID, d.Title)
		}
	}
	// Each copy reads its original a few times (its link, its rank, its own previous
	// revision); the defect read every earlier copy, 6,403 reads for these 80.
	if reads > 6*n {
		t.Errorf("%d staged documents read to store %d copies, want at most %d", reads, n, 6*n)
	}
}

// A cluster ingested newest first (a crawl that walks an archive backwards) gets a new
// original with every member, and every member is re-marked each time. Each re-mark
// kept the revision it replaced, so k copies left k²/2 revisions behind (500 copies:
// 123,000 revisions, 780 MB for 2.7 MB of input). A replaced revision that no version
// holds is deleted; a committed one stays, and the version still reads.
func TestRemarkedClusterKeepsNoStaleRevisions(t *testing.T) {
	ctx := context.Background()
	text := readSharedText(t)
	const n = 40
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, text, n/2, n, true))
	v1, err := st.Commit(ctx, "later half", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for d, err := range st.Documents(ctx, v1.Name) {
		if err != nil {
			t.Fatal(err)
		}
		want[d.ID] = d.DupOf()
	}
	ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, text, 0, n/2, true))

	var revs int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM revs`).Scan(&revs); err != nil {
		t.Fatal(err)
	}
	// n staged revisions, and the n/2 of v1, every one of which has been re-marked.
	if revs != n+n/2 {
		t.Errorf("%d revisions stored, want %d", revs, n+n/2)
	}
	got := map[string]string{}
	for d, err := range st.Documents(ctx, v1.Name) {
		if err != nil {
			t.Fatal(err)
		}
		got[d.ID] = d.DupOf()
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s reads %v after the ingest, want %v", v1.Name, got, want)
	}
	rep, err := st.Check(ctx, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total != 0 {
		t.Errorf("check found %d problems: %v", rep.Total, rep.Problems)
	}

	// The marks do not depend on the order: oldest first gives the same ones.
	other := newTestStore(t, "")
	ingest(t, other, IngestOptions{Workers: 1}, clusterCopies(t, text, 0, n, false))
	if a, b := dupDecisions(t, st), dupDecisions(t, other); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("newest first %v\noldest first %v", a, b)
	}
	for _, d := range staged(t, st) {
		if d.DupOf() == "" && d.Title != "Wire 0" {
			t.Errorf("original is %q, want Wire 0 (earliest published)", d.Title)
		}
	}
}

// Format 7 adds the index by which a re-marked duplicate's inputs are found; a format 6
// store gets it on open, and re-marks in it keep the inputs' records intact.
func TestMigrateFormat6IndexesInputsByRevision(t *testing.T) {
	ctx := context.Background()
	text := readSharedText(t)
	st := newTestStore(t, "")
	root := st.root
	ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, text, 10, 20, false))
	for _, q := range []string{`DROP INDEX inputs_rev`, `UPDATE meta SET value = '6' WHERE key = 'format_version'`} {
		if _, err := st.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	st.Close()

	st, fv := openMigrated(t, root, "6")
	var indexes int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'inputs_rev'`).Scan(&indexes); err != nil {
		t.Fatal(err)
	}
	if fv != storeFormatVersion || indexes != 1 {
		t.Fatalf("format %s with %d inputs_rev indexes after open, want %s and 1", fv, indexes, storeFormatVersion)
	}
	// Earlier copies make a new original: all ten stored ones are re-marked.
	ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, text, 0, 10, true))
	rep, err := st.Check(ctx, CheckOptions{})
	if err != nil || rep.Total != 0 {
		t.Fatalf("check: %v, problems %v", err, rep.Problems)
	}
	sum := ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, text, 10, 20, false))
	if sum.Unchanged != 10 {
		t.Errorf("re-ingesting the re-marked copies: %+v, want 10 unchanged", sum)
	}
}
