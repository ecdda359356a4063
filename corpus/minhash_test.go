package corpus

import (
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

func TestNormalizeForDedup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Hello,   WORLD!\n\tIt's  “done”. ", "hello world its done"},
		{"don’t stop", "dont stop"},
		{"ﬁnancial ＡＢＣ", "financial abc"}, // NFKC ligature and full-width
		{"قالَ الرَّئِيسُ", "قال الرييس"},
		{"أحمد وإبراهيم وآمنة", "احمد وابراهيم وامنه"},
		{"مدرسةٌ على الطريق", "مدرسه علي الطريق"},
		{"جمـــيل", "جميل"},
		{"عام ٢٠٢٢، «الدوحة»؛ ۱۲", "عام 2022 الدوحه 12"},
		{"a\u200cb\u200fc", "abc"},
		{"", ""},
		{"!!! ...", ""},
	}
	for _, tt := range tests {
		if got := NormalizeForDedup(tt.in); got != tt.want {
			t.Errorf("NormalizeForDedup(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExactKey(t *testing.T) {
	same := [][2]string{
		{"The minister said: \"We will act.\"", "the  minister said we will act"},
		{"Breaking — the vote passed.\n\nMore later.", "BREAKING: The vote passed. More later!"},
		{"قالَ الوزيرُ إنّ الحكومة ستتحرك.", "قال الوزير ان الحكومــة ستتحرك"},
		{"السفير الكازاخي: نقدر دعم قطر", "السفير  الكازاخي  نقدر دعم قطر."},
	}
	for _, p := range same {
		if ExactKey(p[0]) != ExactKey(p[1]) {
			t.Errorf("ExactKey differs for %q and %q", p[0], p[1])
		}
	}
	different := [][2]string{
		{"The vote passed.", "The vote failed."},
		{"قال الوزير", "قال السفير"},
		{"it is 2022", "it is 2023"},
	}
	for _, p := range different {
		if ExactKey(p[0]) == ExactKey(p[1]) {
			t.Errorf("ExactKey equal for %q and %q", p[0], p[1])
		}
	}
	if k := ExactKey("x"); len(k) != 64 {
		t.Errorf("ExactKey length %d, want 64 hex digits", len(k))
	}
}

var (
	mhScriptRe = regexp.MustCompile(`(?is)<(script|style|noscript)\b.*?</(script|style|noscript)>`)
	mhTagRe    = regexp.MustCompile(`(?s)<[^>]*>`)
)

// mhPageText is a crude tag strip: enough to get a page's words for shingling.
func mhPageText(tb testing.TB, rel ...string) string {
	tb.Helper()
	b, err := os.ReadFile(testshared.Path(tb, rel...))
	if err != nil {
		tb.Fatal(err)
	}
	s := mhScriptRe.ReplaceAllString(string(b), " ")
	return mhTagRe.ReplaceAllString(s, " ")
}

func mhSharedText(tb testing.TB, rel ...string) string {
	tb.Helper()
	b, err := os.ReadFile(testshared.Path(tb, rel...))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// mhEdit replaces every n-th word, as a re-published copy with small edits would.
func mhEdit(text string, n int) string {
	w := strings.Fields(text)
	for i := n / 2; i < len(w); i += n {
		w[i] = "edited"
	}
	return strings.Join(w, " ")
}

func mhBandCollision(a, b []uint64, bands, rows int) bool {
	ka, kb := BandKeys(a, bands, rows), BandKeys(b, bands, rows)
	for i := range ka {
		if ka[i] == kb[i] {
			return true
		}
	}
	return false
}

func TestSignatureNearDuplicates(t *testing.T) {
	mh := NewMinHasher(DefaultNumHashes, DefaultShingleSize, DefaultMinHashSeed)
	bands, rows := LSHParams(DefaultDedupThreshold, DefaultNumHashes)
	texts := map[string]string{
		"cnn_001":   mhSharedText(t, "data", "newspaper4k", "txt", "cnn_001.txt"),
		"cnn_002":   mhSharedText(t, "data", "newspaper4k", "txt", "cnn_002.txt"),
		"time_001":  mhSharedText(t, "data", "newspaper4k", "txt", "time_001.txt"),
		"arabic":    mhSharedText(t, "data", "newspaper4k", "txt", "arabic_article.txt"),
		"arabic_pg": mhPageText(t, "data", "newspaper4k", "html", "arabic_article.html"),
		"drk":       mhPageText(t, "data", "trafilatura", "pages", "drk.de-Glasgow.html"),
		"infobae":   mhPageText(t, "data", "trafilatura", "pages", "infobae.com-ucrania.html"),
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range texts {
			if !yield(k) {
				return
			}
		}
	})
	sigs := map[string][]uint64{}
	for _, name := range names {
		sig := mh.Signature(texts[name])
		if len(sig) != DefaultNumHashes {
			t.Fatalf("%s: signature length %d", name, len(sig))
		}
		if j := EstimateJaccard(sig, mh.Signature(texts[name])); j != 1 {
			t.Errorf("%s: identical text estimate %v, want 1", name, j)
		}
		// One changed word in 100 changes 5% of the 5-word shingles: true Jaccard ≈ 0.9.
		edited := mh.Signature(mhEdit(texts[name], 100))
		if j := EstimateJaccard(sig, edited); j < 0.8 || j == 1 {
			t.Errorf("%s: lightly edited copy estimate %v, want in [0.8, 1)", name, j)
		}
		if !mhBandCollision(sig, edited, bands, rows) {
			t.Errorf("%s: lightly edited copy shares no LSH band", name)
		}
		// Reformatting alone (case, punctuation, spacing) changes nothing.
		if j := EstimateJaccard(sig, mh.Signature(strings.ToUpper(strings.ReplaceAll(texts[name], " ", " \n, ")))); j != 1 {
			t.Errorf("%s: reformatted copy estimate %v, want 1", name, j)
		}
		sigs[name] = sig
	}
	for i, a := range names {
		for _, b := range names[i+1:] {
			if a == "arabic" && b == "arabic_pg" {
				continue // the article and the page it was extracted from
			}
			if j := EstimateJaccard(sigs[a], sigs[b]); j > 0.1 {
				t.Errorf("%s vs %s: unrelated articles estimate %v, want ≤ 0.1", a, b, j)
			}
			if mhBandCollision(sigs[a], sigs[b], bands, rows) {
				t.Errorf("%s vs %s: unrelated articles share an LSH band", a, b)
			}
		}
	}
}

func TestSignatureDeterministicAndSeeded(t *testing.T) {
	text := "The council approved the budget on Tuesday after a long debate about schools and roads."
	a := NewMinHasher(64, 3, 1).Signature(text)
	if !slices.Equal(a, NewMinHasher(64, 3, 1).Signature(text)) {
		t.Error("same parameters gave different signatures")
	}
	if slices.Equal(a, NewMinHasher(64, 3, 2).Signature(text)) {
		t.Error("different seeds gave identical signatures")
	}
	if got := NewMinHasher(0, 0, 1); got.NumHashes() != DefaultNumHashes || got.ShingleSize() != DefaultShingleSize {
		t.Errorf("defaults: %d hashes, %d-word shingles", got.NumHashes(), got.ShingleSize())
	}
}

func TestSignatureShortTexts(t *testing.T) {
	mh := NewMinHasher(DefaultNumHashes, DefaultShingleSize, DefaultMinHashSeed)
	if sig := mh.Signature(" ... "); sig != nil {
		t.Errorf("text without words: signature %v, want nil", sig)
	}
	a := mh.Signature("Breaking news tonight")
	if len(a) != DefaultNumHashes {
		t.Fatalf("short text: signature length %d", len(a))
	}
	if j := EstimateJaccard(a, mh.Signature("BREAKING NEWS, tonight!")); j != 1 {
		t.Errorf("short text reformatted: estimate %v, want 1", j)
	}
	if j := EstimateJaccard(a, mh.Signature("Breaking news tonite")); j < 0.5 || j == 1 {
		t.Errorf("short text one letter changed: estimate %v, want in [0.5, 1)", j)
	}
	if j := EstimateJaccard(a, mh.Signature("Weather for the weekend")); j > 0.2 {
		t.Errorf("unrelated short texts: estimate %v", j)
	}
	if j := EstimateJaccard(mh.Signature("قطر"), mh.Signature("قطر")); j != 1 {
		t.Errorf("one-word text: estimate %v, want 1", j)
	}
}

func TestEstimateJaccardMismatch(t *testing.T) {
	if j := EstimateJaccard([]uint64{1, 2}, []uint64{1}); j != 0 {
		t.Errorf("different lengths: %v", j)
	}
	if j := EstimateJaccard(nil, nil); j != 0 {
		t.Errorf("empty: %v", j)
	}
	if j := EstimateJaccard([]uint64{1, 2, 3, 4}, []uint64{1, 2, 0, 4}); j != 0.75 {
		t.Errorf("3 of 4 equal: %v", j)
	}
}

// sCurve is the probability that a pair with similarity s shares at least one band.
func sCurve(s float64, bands, rows int) float64 {
	return 1 - math.Pow(1-math.Pow(s, float64(rows)), float64(bands))
}

func TestLSHParams(t *testing.T) {
	bands, rows := LSHParams(0.8, 128)
	if bands < 1 || rows < 1 || bands*rows > 128 {
		t.Fatalf("LSHParams(0.8, 128) = %d×%d", bands, rows)
	}
	if bands != 14 || rows != 9 {
		t.Errorf("LSHParams(0.8, 128) = %d×%d, want 14×9", bands, rows)
	}
	if p := sCurve(0.8, bands, rows); p < 0.8 {
		t.Errorf("%d×%d: P(candidate | s=0.8) = %.3f, want ≥ 0.8", bands, rows, p)
	}
	if p := sCurve(0.9, bands, rows); p < 0.99 {
		t.Errorf("%d×%d: P(candidate | s=0.9) = %.3f, want ≥ 0.99", bands, rows, p)
	}
	if p := sCurve(0.5, bands, rows); p > 0.05 {
		t.Errorf("%d×%d: P(candidate | s=0.5) = %.3f, want ≤ 0.05", bands, rows, p)
	}
	// A stricter threshold needs longer bands.
	_, rowsLow := LSHParams(0.5, 128)
	_, rowsHigh := LSHParams(0.95, 128)
	if rowsLow >= rows || rows >= rowsHigh {
		t.Errorf("rows for thresholds 0.5/0.8/0.95 = %d/%d/%d, want increasing", rowsLow, rows, rowsHigh)
	}
	if b, r := LSHParams(0.8, 0); b != 0 || r != 0 {
		t.Errorf("LSHParams(0.8, 0) = %d×%d, want 0×0", b, r)
	}
	if b, r := LSHParams(7, 16); b*r > 16 || b < 1 {
		t.Errorf("LSHParams(7, 16) = %d×%d", b, r)
	}
}

func TestBandKeys(t *testing.T) {
	sig := make([]uint64, 12)
	for i := range sig {
		sig[i] = 42
	}
	keys := BandKeys(sig, 4, 3)
	if len(keys) != 4 {
		t.Fatalf("got %d keys, want 4", len(keys))
	}
	// Identical band contents in different bands must give different keys.
	if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != 4 {
		t.Errorf("band index not mixed in: %v", keys)
	}
	other := slices.Clone(sig)
	other[4] = 7 // second band only
	ko := BandKeys(other, 4, 3)
	for i := range keys {
		if (keys[i] == ko[i]) != (i != 1) {
			t.Errorf("band %d: keys %x vs %x", i, keys[i], ko[i])
		}
	}
	if BandKeys(sig, 5, 3) != nil || BandKeys(sig, 0, 3) != nil {
		t.Error("want nil for a too-short signature or zero bands")
	}
}
