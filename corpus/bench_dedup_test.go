package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsds/newsds/internal/testshared"
)

// benchDedupTexts returns tag-stripped texts of the trafilatura pages: real article
// lengths and a mix of German and English.
func benchDedupTexts(b *testing.B) ([]string, int64) {
	b.Helper()
	dir := testshared.Path(b, "data", "trafilatura", "pages")
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(names) == 0 {
		b.Fatalf("no pages in %s: %v", dir, err)
	}
	slices.Sort(names)
	var texts []string
	var size int64
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		s := mhTagRe.ReplaceAllString(mhScriptRe.ReplaceAllString(string(raw), " "), " ")
		texts = append(texts, s)
		size += int64(len(s))
	}
	return texts, size
}

// BenchmarkMinHashSignature reports signatures/s and MB/s of text for the default
// 128 hashes over 5-word shingles (normalisation included).
func BenchmarkMinHashSignature(b *testing.B) {
	texts, size := benchDedupTexts(b)
	mh := NewMinHasher(DefaultNumHashes, DefaultShingleSize, DefaultMinHashSeed)
	bands, rows := LSHParams(DefaultDedupThreshold, DefaultNumHashes)
	b.SetBytes(size / int64(len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		sig := mh.Signature(texts[n%len(texts)])
		_ = BandKeys(sig, bands, rows)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "signatures/s")
}

// BenchmarkExactKey reports the cost of normalising and hashing for exact dedup.
func BenchmarkExactKey(b *testing.B) {
	texts, size := benchDedupTexts(b)
	b.SetBytes(size / int64(len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		_ = ExactKey(texts[n%len(texts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkIngestCluster ingests copies of one story, every two of them
// near-duplicates (a wire story on many sites), oldest first and newest first. Newest
// first gives the cluster a new original with every copy, and every member is
// re-marked each time. It reports copies/s and the revisions stored per copy.
//
//	go test ./corpus -run '^$' -bench IngestCluster -benchtime 1x -count 3
func BenchmarkIngestCluster(b *testing.B) {
	texts, _ := benchDedupTexts(b)
	text := slices.MaxFunc(texts, func(x, y string) int { return len(x) - len(y) })
	ctx := context.Background()
	for _, copies := range []int{250, 500} {
		for _, order := range []string{"oldest-first", "newest-first"} {
			b.Run(fmt.Sprintf("copies=%d/%s", copies, order), func(b *testing.B) {
				input := clusterCopies(b, text, 0, copies, order == "newest-first")
				var revs int
				for b.Loop() {
					b.StopTimer()
					st := newTestStore(b, "")
					b.StartTimer()
					if _, err := st.Ingest(ctx, []string{input}, IngestOptions{Workers: 1}); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM revs`).Scan(&revs); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(copies*b.N)/b.Elapsed().Seconds(), "copies/s")
				b.ReportMetric(float64(revs)/float64(copies), "revisions/copy")
			})
		}
	}
}

// BenchmarkReclusterRewrittenOriginal measures what rewriting a cluster's original
// into another story costs once its cluster is decided again without it (every member
// read, compared within shared bands, and re-marked to the next original), against
// storing one new unrelated document in the same store.
//
//	go test ./corpus -run '^$' -bench ReclusterRewrittenOriginal -benchtime 3x
func BenchmarkReclusterRewrittenOriginal(b *testing.B) {
	texts, _ := benchDedupTexts(b)
	slices.SortFunc(texts, func(x, y string) int { return len(y) - len(x) })
	story, other := texts[0], texts[1]
	ctx := context.Background()
	for _, copies := range []int{500, 2000} {
		b.Run(fmt.Sprintf("copies=%d", copies), func(b *testing.B) {
			input := clusterCopies(b, story, 0, copies, false)
			dir := b.TempDir()
			line := func(name, url, text string) string {
				p := filepath.Join(dir, name)
				rec := fmt.Sprintf(`{"url":%q,"title":"Other","published":%q,"text":%s}`+"\n", url, clusterCopyPublished(0), jsonQuote(text))
				if err := os.WriteFile(p, []byte(rec), 0o644); err != nil {
					b.Fatal(err)
				}
				return p
			}
			rewrite := line("rewrite.jsonl", "https://example.com/wire/0", other)
			unrelated := line("new.jsonl", "https://example.com/other", other)
			var rewriteTime, newTime time.Duration
			for b.Loop() {
				b.StopTimer()
				st := newTestStore(b, "")
				if _, err := st.Ingest(ctx, []string{input}, IngestOptions{Workers: 1}); err != nil {
					b.Fatal(err)
				}
				t0 := time.Now()
				if _, err := st.Ingest(ctx, []string{unrelated}, IngestOptions{Workers: 1}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				sum, err := st.Ingest(ctx, []string{rewrite}, IngestOptions{Workers: 1})
				if err != nil || sum.Modified != 1 {
					b.Fatalf("rewrite: %+v, %v", sum, err)
				}
				newTime += t1.Sub(t0)
				rewriteTime += time.Since(t1)
				b.StartTimer()
			}
			b.ReportMetric(rewriteTime.Seconds()/float64(b.N), "rewrite-s")
			b.ReportMetric(newTime.Seconds()/float64(b.N), "new-doc-s")
		})
	}
}
