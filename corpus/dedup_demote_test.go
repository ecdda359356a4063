package corpus

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsds/newsds/schema"
)

// A cluster ingested newest first gets a new original with every copy. Every member
// was re-marked each time, k²/2 revisions written for k copies (7,260 for these 121),
// and 500 copies took 90 s. The re-marks wait for the batch's commit: one per member.
func TestNewestFirstClusterRemarkedOncePerBatch(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	const insertRev = `INSERT OR IGNORE INTO revs(id, rev_hash, content_hash, doc, doc_sum) VALUES (?, ?, ?, ?, ?)`
	readDoc := revisionSelect("s") + ` FROM staged s LEFT JOIN revs r USING(rev) WHERE s.id = ?`
	var mu sync.Mutex
	writes, reads := 0, 0
	st, err := openDBObserved(ctx, root, false, func(q string) {
		mu.Lock()
		defer mu.Unlock()
		switch q {
		case insertRev:
			writes++
		case readDoc:
			reads++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	text := readSharedText(t)
	const n = 121
	sum := ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, text, 0, n, true))
	if sum.Ingested != n || sum.Duplicates != n-1 {
		t.Fatalf("ingested %d, %d duplicates; want %d and %d", sum.Ingested, sum.Duplicates, n, n-1)
	}
	// Each copy's own revision and one re-mark per batch; the ingest's batches commit
	// every 2 s, so a slow machine may take a few.
	if writes > 4*n {
		t.Errorf("%d revisions written to store %d copies newest first, want at most %d", writes, n, 4*n)
	}
	// The members of the originals demoted in the batch are looked up with the one
	// that replaced them, not followed one by one.
	if reads > 8*n {
		t.Errorf("%d staged documents read to store %d copies newest first, want at most %d", reads, n, 8*n)
	}
	other := newTestStore(t, "")
	ingest(t, other, IngestOptions{Workers: 1}, clusterCopies(t, text, 0, n, false))
	if a, b := dupDecisions(t, st), dupDecisions(t, other); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("newest first %v\noldest first %v", a, b)
	}
	rep, err := st.Check(ctx, CheckOptions{})
	if err != nil || rep.Total != 0 {
		t.Fatalf("check: %v, problems %v", err, rep.Problems)
	}
}

// clusterDoc is a copy of clusterCopies's text, prepared for a docBatch.
type clusterDoc struct {
	doc schema.Document
	dd  *dedupInput
}

func clusterDocs(t *testing.T, st *Store, text string, n int) []clusterDoc {
	t.Helper()
	dedup := NewDeduper(st.cfg.Dedup)
	words := strings.Fields(text)
	out := make([]clusterDoc, n)
	for i := range n {
		body := clusterCopyText(words, i)
		out[i] = clusterDoc{
			doc: schema.Document{ID: fmt.Sprintf("copy-%03d", i), Title: fmt.Sprintf("Wire %d", i), Text: body,
				ContentHash: schema.ContentHash(body), Published: clusterCopyPublished(i), IngestedAt: "2025-07-01T00:00:00Z"},
			dd: dedup.input(body),
		}
	}
	return out
}

// putAll stores docs in order through an ingest's writer whose batches hold batchDocs
// documents.
func putAll(t *testing.T, st *Store, docs []clusterDoc, batchDocs int) {
	t.Helper()
	b := st.newDocBatch(context.Background())
	b.maxDocs = batchDocs
	defer b.close()
	for _, d := range docs {
		if _, err := b.put(d.doc, nil, d.dd, ""); err != nil {
			t.Fatal(err)
		}
		if b.due(time.Now()) {
			if err := b.flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := b.flush(); err != nil {
		t.Fatal(err)
	}
}

// The marks do not depend on the order documents come in nor on where the batches
// end, including a document stored twice in one batch after it was demoted.
func TestClusterMarksIndependentOfBatching(t *testing.T) {
	text := readSharedText(t)
	const n = 30
	ref := newTestStore(t, "")
	putAll(t, ref, clusterDocs(t, ref, text, n), 1000)
	want := dupDecisions(t, ref)
	for _, d := range staged(t, ref) {
		if (d.DupOf() == "") != (d.Title == "Wire 0") {
			t.Fatalf("oldest first: %s has dup_of %q", d.Title, d.DupOf())
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round, batchDocs := range []int{1, 4, 7, 1000, 1000} {
		st := newTestStore(t, "")
		docs := clusterDocs(t, st, text, n)
		order := docs
		if round < 4 {
			order = append([]clusterDoc(nil), docs...)
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		} else {
			order = nil
			for i := n - 1; i >= 0; i-- {
				order = append(order, docs[i])
			}
		}
		// Three copies come twice, the second time after others have demoted them.
		order = append(order, order[2], order[n/2], order[n-3])
		putAll(t, st, order, batchDocs)
		if got := dupDecisions(t, st); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("round %d, batches of %d: marks %v\nwant %v", round, batchDocs, got, want)
		}
	}
}

// A document that fails after demoting an original is undone alone: its demotion goes
// with its savepoint, and the batch's commit re-marks nothing in its name.
func TestFailedDocumentLeavesNoDemotion(t *testing.T) {
	ctx := context.Background()
	text := readSharedText(t)
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{Workers: 1}, clusterCopies(t, text, 5, 10, false))
	// Copy 3, ranked before copy 5, demotes it, then fails to write its revision.
	if _, err := st.db.ExecContext(ctx, `CREATE TRIGGER fail_copy3 BEFORE INSERT ON revs
		WHEN json_extract(CAST(NEW.doc AS TEXT), '$.title') = 'Wire 3' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "in.jsonl")
	later := clusterCopies(t, text, 12, 13, false)
	earlier := clusterCopies(t, text, 3, 4, false)
	var data []byte
	for _, p := range []string{later, earlier} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, b...)
	}
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Ingest(ctx, []string{in}, IngestOptions{Workers: 1}); err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("ingest: %v, want the injected failure", err)
	}
	var orig string
	docs := staged(t, st)
	for _, d := range docs {
		if d.Title == "Wire 5" {
			orig = d.ID
		}
	}
	if len(docs) != 6 {
		t.Fatalf("%d documents staged, want copies 5-9 and 12", len(docs))
	}
	for _, d := range docs {
		if want := orig; d.ID != orig && d.DupOf() != want {
			t.Errorf("%s is marked a duplicate of %q, want %q (Wire 5)", d.Title, d.DupOf(), want)
		}
		if d.ID == orig && d.DupOf() != "" {
			t.Errorf("Wire 5 is marked a duplicate of %q", d.DupOf())
		}
	}
	rep, err := st.Check(ctx, CheckOptions{})
	if err != nil || rep.Total != 0 {
		t.Fatalf("check: %v, problems %v", err, rep.Problems)
	}
}

// An original demoted in a batch and stored again in it with another text gets the
// marks it would get in a batch of its own: its re-mark is made before it is placed,
// not applied over its new placement at the commit.
func TestDemotedOriginalChangedInSameBatch(t *testing.T) {
	text := readSharedText(t)
	other := strings.Repeat("An unrelated report about the weather and the harvest in the north. ", 40)
	run := func(batchDocs int) map[string]string {
		st := newTestStore(t, "")
		docs := clusterDocs(t, st, text, 8)
		putAll(t, st, docs[5:], 1000)
		changed := docs[5]
		changed.doc.Text = other
		changed.doc.ContentHash = schema.ContentHash(other)
		changed.dd = NewDeduper(st.cfg.Dedup).input(other)
		putAll(t, st, []clusterDoc{docs[3], changed}, batchDocs)
		return dupDecisions(t, st)
	}
	one, apart := run(1000), run(1)
	if fmt.Sprint(one) != fmt.Sprint(apart) {
		t.Errorf("in one batch %v\nin two %v", one, apart)
	}
	if !strings.HasPrefix(one["copy-005"], " ") {
		t.Errorf("copy 5 with another text is marked %q, want an original", one["copy-005"])
	}
	if !strings.HasPrefix(one["copy-006"], "copy-003 ") {
		t.Errorf("copy 6 is marked %q, want a duplicate of copy 3", one["copy-006"])
	}
}

// Finding a cluster's members by their mark is an index range per original asked for,
// one or many: the query runs for every near-duplicate stored.
func TestStagedDuplicatesPlanUsesIndex(t *testing.T) {
	ctx := context.Background()
	st := newTestStore(t, "")
	if _, err := st.db.ExecContext(ctx, dupOfIndexSQL); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 5} {
		plan := planDetails(queryPlan(t, st, stagedDuplicatesSQL(n), make([]any, n)...))
		joined := strings.Join(plan, "; ")
		if !strings.Contains(joined, "revs_dup_of") {
			t.Errorf("%d originals: plan does not use revs_dup_of: %s", n, joined)
		}
		for _, step := range plan {
			if table, scans := scannedTable(step); scans {
				t.Errorf("%d originals: plan scans %s: %s", n, table, joined)
			}
		}
	}
}
