package corpus

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// readabilityNearPair copies two readability test pages whose texts are near (not
// exact) duplicates into a temp folder, in the order they are to be ingested.
func readabilityNearPair(t *testing.T) (first, second string) {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for _, name := range []string{"normalize-spaces", "remove-extra-brs"} {
		b, err := os.ReadFile(testshared.Path(t, "data", "readability", "pages", name, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".html")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out[0], out[1]
}

// stagedJSON is the staged set as id -> document JSON, to compare states exactly.
func stagedJSON(t *testing.T, st *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range staged(t, st) {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		out[d.ID] = string(b)
	}
	return out
}

// pairRoles returns the original and the duplicate of a two-document corpus.
func pairRoles(t *testing.T, st *Store) (orig, dup schema.Document) {
	t.Helper()
	docs := staged(t, st)
	if len(docs) != 2 {
		t.Fatalf("%d documents staged, want 2", len(docs))
	}
	if docs[0].DupOf() != "" {
		docs[0], docs[1] = docs[1], docs[0]
	}
	return docs[0], docs[1]
}

// Issue 8 item 2: re-ingesting the same two near-duplicate pages made the original a
// duplicate of itself (its own copy was found as a candidate and led back to it), so
// both left releases. Identical input must be unchanged, whatever the worker count.
func TestReingestNearDuplicatePairUnchanged(t *testing.T) {
	a, b := readabilityNearPair(t)
	for _, workers := range []int{1, 3} {
		st := newTestStore(t, "")
		sum := ingest(t, st, IngestOptions{Workers: workers}, a, b)
		if sum.Ingested != 2 || sum.Duplicates != 1 {
			t.Fatalf("first ingest %+v, want 2 ingested, 1 duplicate", sum)
		}
		orig, dup := pairRoles(t, st)
		if dup.DupOf() != orig.ID {
			t.Fatalf("dup_of = %q, want the original %s", dup.DupOf(), orig.ID)
		}
		if sim, _ := dup.Meta["dup_similarity"].(float64); sim >= 1 {
			t.Fatalf("fixture pair is an exact duplicate (similarity %v); the test needs a near one", sim)
		}
		before := stagedJSON(t, st)
		for round := 2; round <= 3; round++ {
			sum = ingest(t, st, IngestOptions{Workers: workers}, a, b)
			if sum.Unchanged != 2 || sum.Ingested+sum.Modified+sum.Updated+sum.Duplicates != 0 {
				t.Fatalf("workers %d, ingest %d: %+v, want 2 unchanged and nothing else", workers, round, sum)
			}
			after := stagedJSON(t, st)
			for id, doc := range before {
				if after[id] != doc {
					t.Errorf("workers %d, ingest %d: document %s changed:\n%s\n%s", workers, round, id, doc, after[id])
				}
			}
		}
	}
}

// A corpus already damaged by the defect (an original marked as a duplicate of itself)
// is repaired by ingesting its input again: the decision is remade, and a document's
// own duplicates are never its original.
func TestReingestRepairsSelfDuplicate(t *testing.T) {
	ctx := context.Background()
	a, b := readabilityNearPair(t)
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{}, a, b)
	orig, dup := pairRoles(t, st)
	broken := orig
	broken.Meta = maps.Clone(orig.Meta)
	broken.Meta[schema.MetaDupOf], broken.Meta["dup_similarity"] = orig.ID, 1.0
	if _, err := st.PutDocument(ctx, broken, nil, nil); err != nil {
		t.Fatal(err)
	}
	ingest(t, st, IngestOptions{}, a, b)
	got := map[string]schema.Document{}
	for _, d := range staged(t, st) {
		got[d.ID] = d
	}
	if d := got[orig.ID].DupOf(); d != "" {
		t.Errorf("original after re-ingest: dup_of = %q, want none", d)
	}
	if d := got[dup.ID].DupOf(); d != orig.ID {
		t.Errorf("duplicate after re-ingest: dup_of = %q, want %s", d, orig.ID)
	}
}

// An original whose text is edited stays the original: its new text still resembles
// its duplicates, which point at it, and taking one of them as its original made it a
// duplicate of itself.
func TestModifiedOriginalNotDuplicateOfItsCopy(t *testing.T) {
	st := newTestStore(t, "")
	in := t.TempDir()
	body := readSharedText(t)
	write := func(name, content string) string {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.jsonl", `{"url":"https://example.com/a","title":"Original","text":`+jsonQuote(body)+"}\n")
	b := write("b.jsonl", `{"url":"https://example.com/b","title":"Copy","text":`+jsonQuote(body)+"}\n")
	ingest(t, st, IngestOptions{}, a, b)
	words := strings.Fields(body)
	for i := 11; i < len(words); i += 80 {
		words[i] = "edited"
	}
	write("a.jsonl", `{"url":"https://example.com/a","title":"Original","text":`+jsonQuote(strings.Join(words, " "))+"}\n")
	sum := ingest(t, st, IngestOptions{}, a)
	if sum.Modified != 1 {
		t.Fatalf("summary %+v, want 1 modified", sum)
	}
	byURL := map[string]schema.Document{}
	for _, d := range staged(t, st) {
		byURL[d.URL] = d
	}
	origID := byURL["https://example.com/a"].ID
	if d := byURL["https://example.com/a"].DupOf(); d != "" {
		t.Errorf("edited original: dup_of = %q (itself is %s), want none", d, origID)
	}
	if d := byURL["https://example.com/b"].DupOf(); d != origID {
		t.Errorf("copy: dup_of = %q, want %s", d, origID)
	}
}

// The shared readability pages, ingested twice: the second ingest leaves every
// document as it was, and no document is a duplicate of itself or of one that is not
// staged. (The suite has pages that share an id, such as two pages titled "Test
// document title" without a URL; they replace each other within one ingest, so the
// summary's counts are not asserted here: the state is.)
func TestReingestReadabilityPagesStable(t *testing.T) {
	all, err := filepath.Glob(filepath.Join(testshared.Path(t, "data", "readability", "pages"), "*", "source.html"))
	if err != nil || len(all) == 0 {
		t.Fatalf("no readability pages: %v", err)
	}
	// The small pages hold the suite's clusters of near-duplicates (its hand-made test
	// pages share most of their text) and keep the test quick.
	var paths []string
	for _, p := range all {
		if fi, err := os.Stat(p); err == nil && fi.Size() < 16<<10 {
			paths = append(paths, p)
		}
	}
	if len(paths) < 10 {
		t.Fatalf("only %d small readability pages", len(paths))
	}
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{}, paths...)
	before := stagedJSON(t, st)
	ingest(t, st, IngestOptions{}, paths...)
	after := stagedJSON(t, st)
	if len(after) != len(before) {
		t.Fatalf("%d documents after re-ingest, %d before", len(after), len(before))
	}
	for id, doc := range before {
		if after[id] != doc {
			t.Errorf("document %s changed on identical re-ingest:\n%s\n%s", id, doc, after[id])
		}
	}
	for _, d := range staged(t, st) {
		switch o := d.DupOf(); {
		case o == d.ID:
			t.Errorf("document %s is marked a duplicate of itself", d.ID)
		case o != "" && before[o] == "":
			t.Errorf("document %s is marked a duplicate of %s, which is not staged", d.ID, o)
		}
	}
}
