package corpus

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/newsds/newsds/internal/textfold"
)

// Defaults for near-duplicate detection. 128 hashes keep the standard error of the
// Jaccard estimate near 0.04; 5-word shingles are long enough that unrelated news
// articles sharing stock phrases ("said in a statement") stay far apart.
const (
	DefaultNumHashes      = 128
	DefaultShingleSize    = 5
	DefaultDedupThreshold = 0.8
	// DefaultMinHashSeed fixes the shingle hashing so signatures stored in a corpus stay
	// comparable across runs and machines.
	DefaultMinHashSeed uint64 = 0x6e657773647321 // "newsds!"
)

// NormalizeForDedup maps text to the form compared by exact and near-duplicate
// detection: Unicode NFKC, lower case, Arabic diacritics and tatweel removed, alef /
// yeh / teh-marbuta variants unified, Arabic-Indic digits as ASCII, punctuation,
// symbols and invisible format characters dropped, and whitespace collapsed to single
// spaces. Two copies of an article that differ only in such details (a re-typed
// headline, a CMS that adds tashkeel, curly vs straight quotes) normalise equally.
func NormalizeForDedup(text string) string {
	text = norm.NFKC.String(text)
	var b strings.Builder
	b.Grow(len(text))
	space := false // a separator is pending; emitted only before the next kept rune
	for _, r := range text {
		r = foldDedupRune(r)
		switch {
		case r < 0:
			// dropped without separating: diacritics, tatweel, joiners
		case r == ' ':
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dedupFolder is NormalizeForDedup with its per-rune work looked up in a table of the
// Basic Multilingual Plane, built once per ingest, so that most texts need no NFKC pass
// (which cost as much as the rest of normalisation). It is read-only after construction
// and safe for concurrent use.
//
// A rune is safe when NFKC treats it the same in any context of safe runes, so that
// the text's NFKC form is the concatenation of the runes' own: a starter that is in
// NFKC and that nothing before it combines with; a starter that forms a normalisation
// segment of its own (BoundaryBefore and BoundaryAfter), whose NFKC expansion is
// stored (…, NBSP, presentation forms); or a combining mark that combines with nothing
// and that folding drops (harakat), whose reordering among other marks is then
// invisible. A text of safe runes is folded in one pass; any other takes NFKC first.
type dedupFolder struct {
	// t[r] is 0 for an unsafe rune; for a safe one foldSafe plus either
	// foldDedupRune(r)+1 (0: dropped) in the low 21 bits, or foldExpand and the index
	// of the rune's folded NFKC expansion in exp.
	t   []uint32
	exp [][]rune
}

const (
	foldSafe   = 1 << 31
	foldExpand = 1 << 30
	foldValue  = 1<<21 - 1
)

func newDedupFolder() *dedupFolder {
	f := &dedupFolder{t: make([]uint32, 0x10000)}
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < 0x10000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		b := buf[:utf8.EncodeRune(buf[:], r)]
		p := norm.NFKC.Properties(b)
		starter := p.CCC() == 0 && p.BoundaryBefore()
		fold := foldDedupRune(r)
		switch {
		case starter && norm.NFKC.IsNormal(b):
			f.t[r] = foldSafe | uint32(fold+1)
		case starter && p.BoundaryAfter():
			var e []rune
			for _, x := range norm.NFKC.String(string(r)) {
				e = append(e, foldDedupRune(x))
			}
			f.t[r] = foldSafe | foldExpand | uint32(len(f.exp))
			f.exp = append(f.exp, e)
		case p.CCC() != 0 && fold < 0 && norm.NFKC.QuickSpanString("a"+string(r)) == 1+len(b):
			// QuickSpan passing "a"+r means r has quick check Yes: it combines with
			// nothing before it and has no compatibility decomposition.
			f.t[r] = foldSafe
		}
	}
	return f
}

// normalize equals NormalizeForDedup(text).
func (f *dedupFolder) normalize(text string) string {
	b, ok := f.normalizeInto(make([]byte, 0, len(text)), text)
	if !ok {
		return f.slow(text)
	}
	return string(b)
}

// normalizeInto writes NormalizeForDedup(text) over buf's storage, so that a caller
// that only hashes the result can reuse one buffer; ok is false (and the bytes are not
// the result) when text holds a rune the table cannot fold, which needs the slow path.
func (f *dedupFolder) normalizeInto(buf []byte, text string) (_ []byte, ok bool) {
	b := buf[:0]
	space := false
	emit := func(r rune) {
		switch {
		case r < 0:
		case r == ' ':
			space = true
		default:
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = utf8.AppendRune(b, r)
		}
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		if r >= 0x10000 || f.t[r] == 0 {
			return b, false
		}
		switch v := f.t[r]; {
		case v&foldExpand != 0:
			for _, x := range f.exp[v&foldValue] {
				emit(x)
			}
		case v&foldValue == 0:
			// dropped
		default:
			r = rune(v&foldValue) - 1
			if r == ' ' {
				space = true
				continue
			}
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			if r < utf8.RuneSelf {
				b = append(b, byte(r))
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
	}
	return b, true
}

// slow is the path for a text with an unsafe rune: NFKC first, then the same fold.
func (f *dedupFolder) slow(text string) string { return NormalizeForDedup(text) }

// foldDedupRune returns the folded rune, ' ' for a separator, or -1 for a rune that
// disappears without leaving a word boundary.
func foldDedupRune(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return r
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r < 0x80:
		if r == '\'' {
			// "don't" and "dont" are the same word for dedup purposes.
			return -1
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsControl(r) {
			return ' '
		}
		return r
	}
	if f, ok := textfold.Arabic(r); ok {
		return f
	}
	switch {
	case r == '\u2019', r == '\u02BC':
		// typographic apostrophes, folded like the ASCII one
		return -1
	case unicode.Is(unicode.Cf, r):
		// ZWJ/ZWNJ, bidi marks, soft hyphen, BOM
		return -1
	case unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsControl(r):
		return ' '
	}
	return unicode.ToLower(r)
}

// ExactKey returns the hex SHA-256 of NormalizeForDedup(text): equal keys mean the
// texts are the same article up to formatting.
func ExactKey(text string) string {
	return exactKeyOfNormalized(NormalizeForDedup(text))
}

func exactKeyOfNormalized(s string) string {
	sum := sha256.Sum256(stringBytes(s))
	return hex.EncodeToString(sum[:])
}

// MinHasher computes MinHash signatures. It is immutable after construction and safe
// for concurrent use.
//
// It uses one-permutation hashing with optimal densification (Shrivastava, ICML 2017):
// each shingle is hashed once and lands in one of the signature's bins, keeping the
// smallest hash per bin; a bin no shingle reached borrows the value of a non-empty
// bin chosen by a fixed hash sequence of its index, the same for every text. The
// fraction of equal positions estimates Jaccard similarity as k independent
// permutations do (for texts of many more shingles than bins it is slightly more
// accurate: bins sample without replacement), at the cost of one hash per shingle
// instead of k: 128 multiply-mod permutations per shingle were 18% of JSONL ingest.
type MinHasher struct {
	shingle int
	k       int
	seed    uint64 // mixed into every shingle hash: the "permutation"
	dense   uint64 // seeds the densification sequence
}

// NewMinHasher returns a MinHasher with signatures of numHashes values over shingles of
// `shingle` words, derived deterministically from seed. Values below 1 select the
// defaults (DefaultNumHashes, DefaultShingleSize). Signatures are comparable only
// between MinHashers built with the same three arguments.
func NewMinHasher(numHashes, shingle int, seed uint64) *MinHasher {
	if numHashes < 1 {
		numHashes = DefaultNumHashes
	}
	if shingle < 1 {
		shingle = DefaultShingleSize
	}
	state := seed
	return &MinHasher{shingle: shingle, k: numHashes, seed: splitmix64(&state), dense: splitmix64(&state)}
}

// NumHashes is the signature length.
func (m *MinHasher) NumHashes() int { return m.k }

// ShingleSize is the number of words per shingle.
func (m *MinHasher) ShingleSize() int { return m.shingle }

// splitmix64 is the standard seed expander: consecutive outputs are well mixed even
// for small or similar seeds.
func splitmix64(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	return mix64(*state)
}

// mix64 is splitmix64's finaliser, a bijection of 64-bit values whose every output bit
// depends on every input bit.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// charShingle is the length in runes of the character shingles used for texts with
// fewer words than one word shingle.
const charShingle = 5

// Signature returns the MinHash signature of text (normalised with NormalizeForDedup)
// over its set of word shingles. A text with fewer words than the shingle size is
// shingled by runs of 5 characters instead, so short texts still get a meaningful
// signature. It returns nil for a text with no words at all: such texts have no
// near-duplicates.
func (m *MinHasher) Signature(text string) []uint64 {
	return m.signatureOfNormalized(NormalizeForDedup(text))
}

// signatureOfNormalized is Signature of a text already passed through
// NormalizeForDedup, so that the exact key and the signature share one normalisation.
func (m *MinHasher) signatureOfNormalized(s string) []uint64 {
	if s == "" {
		return nil
	}
	sig := make([]uint64, m.k)
	for i := range sig {
		sig[i] = math.MaxUint64
	}
	k := uint64(m.k)
	add := func(x uint64) {
		h := mix64(x ^ m.seed)
		// The high word of h·k is h's bin, uniform over [0, k); within a bin the order
		// of the h is still a uniformly random order of its shingles.
		bin, _ := bits.Mul64(h, k)
		sig[bin] = min(sig[bin], h)
	}
	if n := strings.Count(s, " ") + 1; n >= m.shingle {
		// Hash every word once (s has single spaces between words, see
		// NormalizeForDedup); a shingle's hash combines its words' hashes in order. The
		// last `shingle` word hashes are kept in a ring.
		var ring [16]uint64
		wh := ring[:0]
		if m.shingle > len(ring) {
			wh = make([]uint64, 0, m.shingle)
		}
		pos := 0
		word := func(w string) {
			x := xxhash.Sum64String(w)
			if len(wh) < m.shingle {
				wh = append(wh, x)
				if len(wh) < m.shingle {
					return
				}
			} else {
				wh[pos] = x
				pos++
				if pos == m.shingle {
					pos = 0
				}
			}
			var h uint64
			for j := range m.shingle {
				p := pos + j
				if p >= m.shingle {
					p -= m.shingle
				}
				h = bits.RotateLeft64(h, 23)*0x9e3779b97f4a7c15 ^ wh[p]
			}
			add(h)
		}
		for rest := s; ; {
			i := strings.IndexByte(rest, ' ')
			if i < 0 {
				word(rest)
				break
			}
			word(rest[:i])
			rest = rest[i+1:]
		}
	} else if utf8.RuneCountInString(s) <= charShingle {
		add(xxhash.Sum64String(s))
	} else {
		// Byte offsets of rune starts let each character shingle be hashed in place.
		var starts [charShingle + 1]int
		n := 0
		for i := range s {
			if n <= charShingle {
				starts[n] = i
				n++
				if n <= charShingle {
					continue
				}
			} else {
				copy(starts[:], starts[1:])
				starts[charShingle] = i
			}
			add(xxhash.Sum64String(s[starts[0]:starts[charShingle]]))
		}
		copy(starts[:], starts[1:])
		starts[charShingle] = len(s)
		add(xxhash.Sum64String(s[starts[0]:starts[charShingle]]))
	}
	m.densify(sig)
	return sig
}

// densify fills the bins no shingle reached (still math.MaxUint64): bin i tries bins
// j = hash(i, attempt) for attempt 1, 2, … and copies the first that a shingle
// reached. Two texts then agree in bin i with the probability they agree in a
// non-empty bin, which keeps the estimate unbiased; the sequence is a function of i
// alone, so equal texts densify equally.
func (m *MinHasher) densify(sig []uint64) {
	var filled []bool
	for i, v := range sig {
		if v != math.MaxUint64 {
			continue
		}
		if filled == nil {
			filled = make([]bool, len(sig))
			some := false
			for j, v := range sig {
				filled[j] = v != math.MaxUint64
				some = some || filled[j]
			}
			if !some {
				return
			}
		}
		k := uint64(len(sig))
		for attempt := uint64(1); ; attempt++ {
			j, _ := bits.Mul64(mix64(m.dense^uint64(i)<<32^attempt), k)
			if filled[j] {
				sig[i] = sig[j]
				break
			}
		}
	}
}

// EstimateJaccard estimates the Jaccard similarity of the shingle sets behind two
// signatures: the fraction of positions where they agree. Signatures of different
// lengths (different MinHashers) or empty ones give 0.
func EstimateJaccard(a, b []uint64) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

// LSHParams chooses the banding for locality-sensitive hashing of numHashes-long
// signatures so that pairs with Jaccard similarity at or above threshold become
// candidates. Like the datasketch library it minimises, over all bands×rows ≤
// numHashes, the false-negative area (similar pairs never sharing a band) plus the
// false-positive area (dissimilar pairs sharing one) under the S-curve
// 1-(1-s^rows)^bands. Unlike datasketch's default equal weights, false negatives weigh
// 0.9 and false positives 0.1: a false candidate costs one signature comparison, which
// rejects it, while a missed pair leaves a duplicate in the release. Equal weights give
// 9×13 at threshold 0.8, which finds only 40% of the pairs at similarity 0.8 and 93% at
// 0.9; these weights give 14×9, finding 87% at 0.8 and 99.9% at 0.9 while pairs at 0.5
// still become candidates only 2.7% of the time. Only the first bands×rows values of a
// signature are used (see BandKeys). threshold is clamped to [0.01, 0.99]; numHashes < 1
// gives (0, 0).
func LSHParams(threshold float64, numHashes int) (bands, rows int) {
	const fnWeight, fpWeight = 0.9, 0.1
	if numHashes < 1 {
		return 0, 0
	}
	threshold = min(max(threshold, 0.01), 0.99)
	best := math.Inf(1)
	for b := 1; b <= numHashes; b++ {
		for r := 1; b*r <= numHashes; r++ {
			candidate := func(s float64) float64 { return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b)) }
			fp := integrate(candidate, 0, threshold)
			fn := integrate(func(s float64) float64 { return 1 - candidate(s) }, threshold, 1)
			if e := fpWeight*fp + fnWeight*fn; e < best {
				best, bands, rows = e, b, r
			}
		}
	}
	return bands, rows
}

// integrate is a fixed-step midpoint rule: deterministic and accurate enough to rank
// the smooth S-curves LSHParams compares.
func integrate(f func(float64) float64, lo, hi float64) float64 {
	const steps = 100
	h := (hi - lo) / steps
	sum := 0.0
	for i := range steps {
		sum += f(lo + (float64(i)+0.5)*h)
	}
	return sum * h
}

// BandKeys returns one 64-bit key per LSH band: a hash of the band's `rows` signature
// values together with the band index, so equal keys in the same position mean the
// band matched (up to 64-bit hash collisions) and equal values in different bands do
// not produce equal keys: callers may pool all bands in one index. It returns
// nil when sig is shorter than bands×rows or either is below 1.
func BandKeys(sig []uint64, bands, rows int) []uint64 {
	if bands < 1 || rows < 1 || len(sig) < bands*rows {
		return nil
	}
	keys := make([]uint64, bands)
	buf := make([]byte, 8*(rows+1))
	for i := range bands {
		binary.LittleEndian.PutUint64(buf, uint64(i))
		for j, v := range sig[i*rows : (i+1)*rows] {
			binary.LittleEndian.PutUint64(buf[8*(j+1):], v)
		}
		keys[i] = xxhash.Sum64(buf)
	}
	return keys
}

// stringBytes views s as bytes without copying it, for reading only (hashing): a
// copy of each document's text per hash was a tenth of what ingest allocated.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
