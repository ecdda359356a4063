package corpus

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// storyWords is a text of n words drawn from a vocabulary of pseudo-words, one per
// story: two stories share almost no 5-word shingles.
func storyWords(story, n int) []string {
	rng := rand.New(rand.NewPCG(uint64(story), 7))
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("w%04d", rng.IntN(5000))
	}
	return w
}

// edited is words with c positions (chosen by seed) replaced.
func edited(words []string, c int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 11))
	out := slices.Clone(words)
	for range c {
		out[rng.IntN(len(out))] = fmt.Sprintf("edit%d", rng.IntN(1e6))
	}
	return out
}

func storyDoc(dedup *Deduper, id, published string, words []string) clusterDoc {
	body := strings.Join(words, " ")
	return clusterDoc{
		doc: schema.Document{ID: id, Title: id, Text: body, ContentHash: schema.ContentHash(body),
			Published: published, IngestedAt: "2025-07-01T00:00:00Z"},
		dd: dedup.input(body),
	}
}

// edge is the duplicate graph's edge rule, as the store and the Spark job apply it.
func edge(a, b *dedupInput, threshold float64) bool {
	if a.exactKey == b.exactKey {
		return true
	}
	shared := false
	for _, k := range a.bandKeys {
		shared = shared || slices.Contains(b.bandKeys, k)
	}
	return shared && EstimateJaccard(a.signature, b.signature) >= threshold
}

// freshDecisions is the marks a new store gives docs, stored in a shuffled order.
func freshDecisions(t *testing.T, cfg string, docs []clusterDoc, seed uint64) map[string]string {
	t.Helper()
	st := newTestStore(t, cfg)
	order := slices.Clone(docs)
	rand.New(rand.NewPCG(seed, 3)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	putAll(t, st, order, 1000)
	return dupDecisions(t, st)
}

// An original rewritten into another story took its copies' marks with it: they stayed
// duplicates of a text they share nothing with, and releases left the story out. Its
// copies form their own cluster now, with the oldest of them as original.
func TestRewrittenOriginalReleasesItsCopies(t *testing.T) {
	st := newTestStore(t, "")
	dedup := NewDeduper(st.cfg.Dedup)
	words := storyWords(1, 400)
	docs := []clusterDoc{
		storyDoc(dedup, "a", "2025-06-01T08:00:00Z", words),
		storyDoc(dedup, "b", "2025-06-01T09:00:00Z", edited(words, 3, 1)),
		storyDoc(dedup, "c", "2025-06-01T10:00:00Z", edited(words, 3, 2)),
	}
	putAll(t, st, docs, 1000)
	if got := dupDecisions(t, st); !strings.HasPrefix(got["b"], "a ") || !strings.HasPrefix(got["c"], "a ") {
		t.Fatalf("before: %v, want b and c duplicates of a", got)
	}
	docs[0] = storyDoc(dedup, "a", "2025-06-01T08:00:00Z", storyWords(2, 400))
	putAll(t, st, docs[:1], 1000)
	got := dupDecisions(t, st)
	if !strings.HasPrefix(got["a"], " ") || !strings.HasPrefix(got["b"], " ") || !strings.HasPrefix(got["c"], "b ") {
		t.Errorf("after a was rewritten: %v, want a and b originals, c a duplicate of b", got)
	}
	if want := freshDecisions(t, "", docs, 1); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("marks %v\nfresh ingest of the same texts %v", got, want)
	}
	storeConsistent(t, st)
}

// A document linking two groups that are not alike themselves (A ~ X ~ B) made one
// cluster of them; rewritten, it leaves two.
func TestBridgeRewrittenLeavesTwoClusters(t *testing.T) {
	st := newTestStore(t, "")
	dedup := NewDeduper(st.cfg.Dedup)
	threshold := st.cfg.Dedup.Threshold
	words := storyWords(3, 400)
	var docs []clusterDoc
	for seed := uint64(0); seed < 200 && docs == nil; seed++ {
		x := edited(words, 7, 2*seed)
		cand := []clusterDoc{
			storyDoc(dedup, "a", "2025-06-01T08:00:00Z", words),
			storyDoc(dedup, "x", "2025-06-01T09:00:00Z", x),
			storyDoc(dedup, "b", "2025-06-01T10:00:00Z", edited(x, 7, 2*seed+1)),
		}
		if edge(cand[0].dd, cand[1].dd, threshold) && edge(cand[1].dd, cand[2].dd, threshold) && !edge(cand[0].dd, cand[2].dd, threshold) {
			docs = cand
		}
	}
	if docs == nil {
		t.Fatal("no seed gives a chain a ~ x ~ b with a and b apart")
	}
	putAll(t, st, docs, 1000)
	if got := dupDecisions(t, st); !strings.HasPrefix(got["b"], "a ") {
		t.Fatalf("before: %v, want b in a's cluster through x", got)
	}
	docs[1] = storyDoc(dedup, "x", "2025-06-01T09:00:00Z", storyWords(4, 400))
	putAll(t, st, docs[1:2], 1000)
	got := dupDecisions(t, st)
	for _, id := range []string{"a", "x", "b"} {
		if !strings.HasPrefix(got[id], " ") {
			t.Errorf("after x was rewritten: %s is %q, want three originals", id, got[id])
		}
	}
	storeConsistent(t, st)
}

// `newsds rm` of an original left its copies marked as duplicates of a document not in
// the version (validate's doc-dup-of error, and releases without the story).
func TestRemovedOriginalReleasesItsCopies(t *testing.T) {
	st := newTestStore(t, "")
	dedup := NewDeduper(st.cfg.Dedup)
	words := storyWords(5, 400)
	docs := []clusterDoc{
		storyDoc(dedup, "a", "2025-06-01T08:00:00Z", words),
		storyDoc(dedup, "b", "2025-06-01T09:00:00Z", edited(words, 3, 5)),
		storyDoc(dedup, "c", "2025-06-01T10:00:00Z", words),
	}
	putAll(t, st, docs, 1000)
	if _, err := st.Remove(context.Background(), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	got := dupDecisions(t, st)
	if want := freshDecisions(t, "", docs[1:], 2); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after removing a: %v\nfresh ingest of b and c: %v", got, want)
	}
	if !strings.HasPrefix(got["b"], " ") || !strings.HasPrefix(got["c"], "b ") {
		t.Errorf("after removing a: %v, want b the original and c its duplicate", got)
	}
	storeConsistent(t, st)
}

// With near-duplicate detection off only exact keys link documents, and one document
// holds each key in the index: when it changed, its exact copies were found by nothing.
func TestExactKeyHolderChanged(t *testing.T) {
	st := newTestStore(t, "dedup:\n  threshold: -1\n")
	dedup := NewDeduper(st.cfg.Dedup)
	words := storyWords(6, 300)
	putAll(t, st, []clusterDoc{
		storyDoc(dedup, "a", "2025-06-01T08:00:00Z", words),
		storyDoc(dedup, "b", "2025-06-01T09:00:00Z", words),
		storyDoc(dedup, "a", "2025-06-01T08:00:00Z", storyWords(7, 300)),
		storyDoc(dedup, "c", "2025-06-01T10:00:00Z", words),
	}, 1000)
	got := dupDecisions(t, st)
	if !strings.HasPrefix(got["b"], " ") || got["c"] != "b 1" {
		t.Errorf("marks %v, want b the original and c its exact duplicate", got)
	}
}

// Whatever sequence of additions, rewrites, date changes and removals a corpus went
// through, its marks are those a fresh ingest of the texts it holds now gives.
func TestMarksFollowTheCurrentTexts(t *testing.T) {
	for _, cfg := range []string{"", "dedup:\n  threshold: -1\n"} {
		t.Run(strings.TrimSpace(strings.ReplaceAll(cfg, "\n", " ")), func(t *testing.T) { marksFollowTheCurrentTexts(t, cfg) })
	}
}

func marksFollowTheCurrentTexts(t *testing.T, cfg string) {
	st := newTestStore(t, cfg)
	dedup := NewDeduper(st.cfg.Dedup)
	rng := rand.New(rand.NewPCG(42, 1))
	stories := [][]string{storyWords(10, 300), storyWords(11, 300), storyWords(12, 300)}
	text := func() []string {
		s := stories[rng.IntN(len(stories))]
		switch rng.IntN(3) {
		case 0:
			return s
		case 1:
			return edited(s, 2, rng.Uint64())
		default:
			return edited(s, 6, rng.Uint64())
		}
	}
	published := func() string {
		return clusterCopyPublished(rng.IntN(600))
	}
	current := map[string]clusterDoc{}
	for i := range 24 {
		id := fmt.Sprintf("d%02d", i)
		current[id] = storyDoc(dedup, id, published(), text())
	}
	all := func() []clusterDoc {
		var out []clusterDoc
		for _, id := range slices.Sorted(mapKeys(current)) {
			out = append(out, current[id])
		}
		return out
	}
	putAll(t, st, all(), 5)
	for step := range 40 {
		id := fmt.Sprintf("d%02d", rng.IntN(24))
		d, ok := current[id]
		var what string
		switch op := rng.IntN(4); {
		case !ok:
			what = "added"
			current[id] = storyDoc(dedup, id, published(), text())
			putAll(t, st, []clusterDoc{current[id]}, 1000)
		case op == 0:
			what = "removed"
			if _, err := st.Remove(context.Background(), []string{id}); err != nil {
				t.Fatal(err)
			}
			delete(current, id)
		case op == 1:
			what = "redated"
			current[id] = storyDoc(dedup, id, published(), strings.Fields(d.doc.Text))
			putAll(t, st, []clusterDoc{current[id]}, 1000)
		default:
			what = "rewritten"
			current[id] = storyDoc(dedup, id, d.doc.Published, text())
			putAll(t, st, []clusterDoc{current[id]}, 1000)
		}
		got, want := dupDecisions(t, st), freshDecisions(t, cfg, all(), uint64(step))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("step %d (%s %s): marks %v\nfresh ingest of the same texts %v", step, id, what, got, want)
		}
	}
	storeConsistent(t, st)
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func storeConsistent(t *testing.T, st *Store) {
	t.Helper()
	rep, err := st.Check(context.Background(), CheckOptions{})
	if err != nil || rep.Total != 0 {
		t.Fatalf("check: %v, problems %v", err, rep.Problems)
	}
}

// The copies re-marked when their original is rewritten keep their inputs: the inputs
// table points at their new revisions (a re-ingest finds them unchanged without
// extracting again), and the revisions they replace are gone unless a version holds
// them.
func TestReclusterMovesInputs(t *testing.T) {
	ctx := context.Background()
	st := newTestStore(t, "")
	words := storyWords(8, 400)
	line := func(i int, w []string) string {
		return fmt.Sprintf(`{"url":"https://example.com/%d","title":"Story %d","published":%q,"text":%q}`+"\n",
			i, i, clusterCopyPublished(i), strings.Join(w, " "))
	}
	var copies []string
	for i := 1; i <= 70; i++ { // more than one restageAll chunk
		copies = append(copies, line(i, edited(words, 3, uint64(i))))
	}
	ingestLines(t, st, line(0, words))
	ingestLines(t, st, copies...)
	if _, err := st.Commit(ctx, "v1", ""); err != nil {
		t.Fatal(err)
	}
	sum := ingestLines(t, st, line(0, storyWords(9, 400)))
	if sum.Modified != 1 {
		t.Fatalf("rewrite: %+v", sum)
	}
	// The rewritten story's first input still names its old text, as for any document
	// modified by another input.
	rewritten := DocumentID(schema.Document{URL: "https://example.com/0"})
	var stale int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM inputs i JOIN staged s ON s.id = i.id WHERE s.rev != i.rev AND i.id != ?`,
		rewritten).Scan(&stale); err != nil {
		t.Fatal(err)
	}
	if stale != 0 {
		t.Errorf("%d inputs point at a revision that is no longer staged", stale)
	}
	originals := 0
	for _, d := range staged(t, st) {
		if d.DupOf() == "" {
			originals++
		}
	}
	if originals != 2 {
		t.Errorf("%d originals, want the rewritten story and the oldest copy", originals)
	}
	if again := ingestLines(t, st, copies...); again.Unchanged != len(copies) {
		t.Errorf("re-ingest of the copies: %+v, want all unchanged", again)
	}
	storeConsistent(t, st)
}
