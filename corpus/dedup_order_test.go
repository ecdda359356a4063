package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// dupDecisions is every staged document's dup_of and dup_similarity, by id.
func dupDecisions(t *testing.T, st *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range staged(t, st) {
		sim, _ := d.Meta["dup_similarity"].(float64)
		out[d.ID] = d.DupOf() + " " + strconv.FormatFloat(sim, 'g', -1, 64)
	}
	return out
}

func docOf(id, published string) schema.Document {
	return schema.Document{ID: id, Published: published}
}

// Issue 16 item 2: which document of a cluster is the original depended on the order
// of the inputs (the first stored won), so the Spark job, which has no order, could not
// agree with a local ingest. Ingested in either order, a cluster has the same original
// and every member the same dup_of and similarity.
func TestDedupOriginalIndependentOfOrder(t *testing.T) {
	dir := t.TempDir()
	body := readSharedText(t)
	words := strings.Fields(body)
	for i := 7; i < len(words); i += 60 {
		words[i] = "changed"
	}
	near := strings.Join(words, " ")
	write := func(name, line string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// c is the earliest published, so it is the original whatever comes first; b has
	// no date; a and d are exact copies of one text, near c.
	files := []string{
		write("a.jsonl", `{"url":"https://example.com/a","title":"A","published":"2024-03-02T10:00:00Z","text":`+jsonQuote(body)+`}`),
		write("b.jsonl", `{"url":"https://example.com/b","title":"B","text":`+jsonQuote(body)+`}`),
		write("c.jsonl", `{"url":"https://example.com/c","title":"C","published":"2024-03-01T12:00:00+03:00","text":`+jsonQuote(near)+`}`),
		write("d.jsonl", `{"url":"https://example.com/d","title":"D","published":"2024-03-01T09:00:01Z","text":`+jsonQuote(body)+`}`),
	}
	var want map[string]string
	orders := [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}}
	for _, order := range orders {
		var paths []string
		for _, i := range order {
			paths = append(paths, files[i])
		}
		st := newTestStore(t, "")
		ingest(t, st, IngestOptions{Workers: 1}, paths...)
		got := dupDecisions(t, st)
		if want == nil {
			want = got
			origs := 0
			for _, d := range staged(t, st) {
				if d.DupOf() == "" {
					origs++
					if d.Title != "C" {
						t.Errorf("original is %q, want C (earliest published)", d.Title)
					}
				}
			}
			if origs != 1 || len(got) != 4 {
				t.Fatalf("%d documents, %d originals; want 4 and 1: %v", len(got), origs, got)
			}
			continue
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("order %v: %s: dup decision %q, want %q (order %v)", order, id, got[id], w, orders[0])
			}
		}
	}
}

// The rule itself: published instants compare across offsets, undated documents come
// after dated ones, ids break ties.
func TestDedupRank(t *testing.T) {
	docs := []struct{ id, published string }{
		{"z", "2024-03-01T12:00:00+03:00"}, // 09:00Z
		{"a", "2024-03-01T09:30:00Z"},
		{"b", ""},
		{"a2", "not a date"},
		{"y", "2024-03-01T09:00:00Z"},
	}
	var ranks []string
	byRank := map[string]string{}
	for _, d := range docs {
		r := DedupRank(docOf(d.id, d.published))
		ranks = append(ranks, r)
		byRank[r] = d.id
	}
	slices.Sort(ranks)
	var got []string
	for _, r := range ranks {
		got = append(got, byRank[r])
	}
	if want := []string{"y", "z", "a", "a2", "b"}; !slices.Equal(got, want) {
		t.Errorf("rank order %v, want %v", got, want)
	}
}
