package corpus

import (
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"

	"github.com/newsds/newsds/internal/testshared"
)

// kPermutationSignature is classic MinHash, k independent permutations
// (a·x + b) mod 2^61-1 of every shingle, the scheme one-permutation hashing replaced:
// the yardstick its accuracy is held to.
func kPermutationSignature(shingles []string, k int) []uint64 {
	const p = 1<<61 - 1
	state := uint64(7)
	sig := make([]uint64, k)
	for i := range sig {
		a := splitmix64(&state)%(p-1) + 1
		b := splitmix64(&state) % p
		best := uint64(math.MaxUint64)
		for _, s := range shingles {
			hi, lo := bits.Mul64(a, xxhash.Sum64String(s)%p)
			_, r := bits.Div64(hi, lo, p)
			best = min(best, (r+b)%p)
		}
		sig[i] = best
	}
	return sig
}

// wordShingles is the set of word shingles Signature hashes.
func wordShingles(s string, n int) []string {
	w := strings.Fields(NormalizeForDedup(s))
	seen := map[string]bool{}
	var out []string
	for i := 0; i+n <= len(w); i++ {
		sh := strings.Join(w[i:i+n], " ")
		if !seen[sh] {
			seen[sh] = true
			out = append(out, sh)
		}
	}
	return out
}

func trueJaccard(a, b []string) float64 {
	in := map[string]bool{}
	for _, s := range a {
		in[s] = true
	}
	common := 0
	for _, s := range b {
		if in[s] {
			common++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

// On the shared articles (English and Arabic) and copies edited at rates that span the
// 0.8 threshold, the signature estimates Jaccard similarity as accurately as 128
// independent permutations, and the 0.8 threshold's LSH bands find as many
// near-duplicate pairs and as few false candidates.
func TestSignatureAccuracyOnSharedTexts(t *testing.T) {
	var texts []string
	for _, dir := range []string{"newspaper4k/txt", "interviews/ar"} {
		paths, _ := filepath.Glob(filepath.Join(testshared.Path(t, "data", dir), "*.txt"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				texts = append(texts, string(b))
			}
		}
	}
	pages, _ := filepath.Glob(filepath.Join(testshared.Path(t, "data", "readability", "pages"), "*", "source.html"))
	for i, p := range pages {
		if i%6 == 0 {
			rel, _ := filepath.Rel(testshared.Root(), p)
			texts = append(texts, mhPageText(t, rel))
		}
	}
	mh := NewMinHasher(DefaultNumHashes, DefaultShingleSize, DefaultMinHashSeed)
	bands, rows := LSHParams(DefaultDedupThreshold, DefaultNumHashes)
	type tally struct{ errSum, pairs, hiFound, hi, loFound, lo float64 }
	var got, ref tally
	count := func(tl *tally, a, b []uint64, j float64) {
		tl.errSum += math.Abs(EstimateJaccard(a, b) - j)
		tl.pairs++
		cand := mhBandCollision(a, b, bands, rows)
		switch {
		case j >= 0.85:
			tl.hi++
			if cand {
				tl.hiFound++
			}
		case j <= 0.5:
			tl.lo++
			if cand {
				tl.loFound++
			}
		}
	}
	for _, text := range texts {
		base := wordShingles(text, DefaultShingleSize)
		if len(base) < 100 {
			continue
		}
		sig, refSig := mh.Signature(text), kPermutationSignature(base, DefaultNumHashes)
		for _, n := range []int{200, 100, 60, 40, 30, 20, 15, 10, 6} {
			edited := mhEdit(text, n)
			es := wordShingles(edited, DefaultShingleSize)
			j := trueJaccard(base, es)
			count(&got, sig, mh.Signature(edited), j)
			count(&ref, refSig, kPermutationSignature(es, DefaultNumHashes), j)
		}
	}
	if got.pairs < 200 || got.hi < 50 || got.lo < 30 {
		t.Fatalf("too few pairs: %+v", got)
	}
	mae, refMAE := got.errSum/got.pairs, ref.errSum/ref.pairs
	t.Logf("%v pairs: mean |error| %.4f (k permutations %.4f); recall at J≥0.85 %.3f (%.3f) of %v; false candidates at J≤0.5 %.3f (%.3f) of %v",
		got.pairs, mae, refMAE, got.hiFound/got.hi, ref.hiFound/ref.hi, got.hi, got.loFound/got.lo, ref.loFound/ref.lo, got.lo)
	if mae > 0.03 || mae > refMAE*1.15 {
		t.Errorf("mean |estimate − Jaccard| %.4f, k permutations %.4f", mae, refMAE)
	}
	if r, rr := got.hiFound/got.hi, ref.hiFound/ref.hi; r < 0.95 || r < rr-0.02 {
		t.Errorf("recall at Jaccard ≥ 0.85: %.3f, k permutations %.3f", r, rr)
	}
	if f, rf := got.loFound/got.lo, ref.loFound/ref.lo; f > rf+0.03 {
		t.Errorf("false candidates at Jaccard ≤ 0.5: %.3f, k permutations %.3f", f, rf)
	}
}
