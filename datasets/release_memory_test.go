package datasets

import (
	"context"
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/heappeak"
	"github.com/newsds/newsds/schema"
)

// longSource makes n records of about 5 KB of text, the size of a news article, as it
// streams them: a corpus held in memory would weigh on the heap being measured.
type longSource struct {
	fakeSource
	t testing.TB
	n int
}

func (g *longSource) Records(context.Context, string) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		for i := range g.n {
			rec := makeRecord(g.t, i)
			rec.Meta = nil
			// Records arrive in id order, which "doc-%03d" leaves after doc-999.
			rec.ID = fmt.Sprintf("doc-%05d", i)
			var b strings.Builder
			b.WriteString(rec.Text)
			// Paragraphs after the text leave every span where it was.
			for k := 0; b.Len() < 5000; k++ {
				fmt.Fprintf(&b, "\n\nفقرة %d من المقال %d: وقال المتحدث إن المفاوضات ستستمر خلال الأسابيع المقبلة، وإن الوفود ستعود %d مرة.", k, i, k+i)
			}
			rec.Text = b.String()
			rec.ContentHash = schema.ContentHash(rec.Text)
			for a := range rec.Annotations {
				rec.Annotations[a].ContentHash, rec.Annotations[a].DocID = rec.ContentHash, rec.ID
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// Issue 15: a release after the first reads the previous one, every split at once in
// id order, to say what changed. Read 1,024 rows at a time, which straddle the shards'
// row groups of 1,000, the second release of the scale benchmark's corpora peaked at
// 538 MiB RSS at 20k documents and 680 at 50k, against 282 and 304 for the first.
// With 12,000 articles the second release's peak live heap was 1.56 times the first's;
// with 128-row batches 1.19.
func TestReleaseReadingPreviousMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes releases of thousands of articles")
	}
	ctx := context.Background()
	src := &longSource{t: t, n: 12000}
	dir := t.TempDir()
	first, second := filepath.Join(dir, "v1"), filepath.Join(dir, "v2")
	peakOf := func(out, version, previous string) uint64 {
		p := heappeak.Start()
		_, err := Release(ctx, src, ReleaseOptions{Out: out, Version: version, PreviousDir: previous, Config: testConfig()})
		live := p.Stop().Live
		if err != nil {
			t.Fatal(err)
		}
		return live
	}
	// The lower of two runs: a collection that happens to start late inflates one.
	alone := min(peakOf(first, "1.0.0", PreviousNone), peakOf(filepath.Join(dir, "v1b"), "1.0.0", PreviousNone))
	withPrevious := min(peakOf(second, "1.0.1", first), peakOf(filepath.Join(dir, "v2b"), "1.0.1", first))
	t.Logf("peak live heap: %.1f MiB alone, %.1f MiB reading the previous release", float64(alone)/(1<<20), float64(withPrevious)/(1<<20))
	if float64(withPrevious) > 1.35*float64(alone) {
		t.Errorf("a release reading its previous one took %.2f times the memory of one alone (%.1f vs %.1f MiB live); want at most 1.35",
			float64(withPrevious)/float64(alone), float64(withPrevious)/(1<<20), float64(alone)/(1<<20))
	}
}
