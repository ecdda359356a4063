package datasets

import (
	"context"
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

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

// peakAllocator counts the Arrow memory outstanding, and its peak. Unlike the Go heap,
// what the readers hold does not depend on when the collector runs.
type peakAllocator struct {
	mem       memory.Allocator
	mu        sync.Mutex
	cur, peak int64
}

func (a *peakAllocator) add(n int) {
	a.mu.Lock()
	a.cur += int64(n)
	a.peak = max(a.peak, a.cur)
	a.mu.Unlock()
}

func (a *peakAllocator) Allocate(n int) []byte {
	b := a.mem.Allocate(n)
	a.add(len(b))
	return b
}

func (a *peakAllocator) Reallocate(n int, b []byte) []byte {
	old := len(b)
	b = a.mem.Reallocate(n, b)
	a.add(len(b) - old)
	return b
}

func (a *peakAllocator) Free(b []byte) {
	a.add(-len(b))
	a.mem.Free(b)
}

// Issue 15: a release after the first reads the previous one, every split at once in
// id order, to say what changed. Read 1,024 rows at a time, the second release of the
// scale benchmark's corpora peaked at 538 MiB RSS at 20k documents and 680 at 50k,
// against 282 and 304 for the first, and the Arrow memory its readers held grew with
// the release: 21, 39 and 45 MiB for 3,000, 12,000 and 24,000 articles of 5 KB. With
// 128-row batches it is 14, 22 and 22 MiB: a batch and the column readers' pages per
// split, whatever the release's size.
func TestReleaseReadingPreviousMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a release of 12,000 articles")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "v1")
	if _, err := Release(ctx, &longSource{t: t, n: 12000}, ReleaseOptions{Out: dir, Version: "1.0.0", PreviousDir: PreviousNone, Config: testConfig()}); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mem := &peakAllocator{mem: memory.NewGoAllocator()}
	d.mem = mem
	next, stop := previousStates(ctx, d)
	defer stop()
	read := 0
	for {
		_, ok, err := next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		read++
	}
	if read != 12000 {
		t.Fatalf("read %d documents of the previous release, want 12000", read)
	}
	const limit = 30 << 20
	t.Logf("peak Arrow memory reading the previous release: %.1f MiB", float64(mem.peak)/(1<<20))
	if mem.peak > limit {
		t.Errorf("reading a previous release of 12,000 articles held %.1f MiB of Arrow memory at its peak; want at most %d MiB",
			float64(mem.peak)/(1<<20), limit>>20)
	}
	if mem.cur != 0 {
		t.Errorf("%d bytes of Arrow memory still held after reading", mem.cur)
	}
}
