package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

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
