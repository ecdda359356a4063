package annotate

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/textfold"
)

// Helpers shared by the built-in annotators: one normalisation for matching names,
// targets and features, so that "أزمة" and "ازمة", "Qatar" and "qatar" compare equal.

// foldRune maps r to its matching form, or -1 to drop it. Arabic orthography varies
// between writers and between tweets and news (hamza seats, alif maqsura, ta marbuta,
// tashkeel, tatweel), and those variants carry no meaning for the annotators; the rule is
// textfold's, shared with dedup and byline labels.
func foldRune(r rune) rune { return textfold.Match(r) }

// fold returns s in matching form (see foldRune).
func fold(s string) string { return strings.Map(foldRune, s) }

var (
	reURL     = regexp.MustCompile(`(?i)\bhttps?://\S+|\bwww\.\S+`)
	reMention = regexp.MustCompile(`@\w+`)
)

// tokens splits s into folded word tokens. URLs and @mentions become one placeholder
// token each so that tweets and news text share a vocabulary.
func tokens(s string) []string {
	// the regexps are the main cost of tokenising; most text has neither
	if strings.Contains(s, "://") || strings.Contains(s, "ww.") || strings.Contains(s, "WW.") || strings.Contains(s, "wW.") || strings.Contains(s, "Ww.") {
		s = reURL.ReplaceAllString(s, " ⟨url⟩ ")
	}
	if strings.Contains(s, "@") {
		s = reMention.ReplaceAllString(s, " ⟨user⟩ ")
	}
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '⟨' || r == '⟩':
			if r == '⟩' {
				out = append(out, "<"+b.String()+">")
				b.Reset()
			} else {
				flush()
			}
		case r == '’':
			b.WriteByte('\'')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			if f := foldRune(r); f >= 0 {
				b.WriteRune(f)
			}
		case unicode.IsMark(r) || r == 0x0640:
			// inside a word: dropped by folding, must not split it
		default:
			flush()
		}
	}
	flush()
	return out
}

// collapseSpace trims s and replaces every run of white space with one space.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// hash64 is the feature hash of the linear models; FNV-1a is stable across Go versions
// and platforms, which keeps shipped model files valid.
func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// cpRange is a [Start, End) code-point range.
type cpRange struct{ Start, End int }

// sentenceRanges splits a paragraph (starting at code point base of the document) into
// sentences at . ! ? ؟ ؛ ; and line breaks, trimming white space, and returns their
// document code-point ranges. A sentence keeps its final punctuation.
func sentenceRanges(para string, base int) []cpRange {
	var out []cpRange
	runes := []rune(para)
	start := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && unicode.IsSpace(runes[s]) {
			s++
		}
		for e > s && unicode.IsSpace(runes[e-1]) {
			e--
		}
		if e > s {
			out = append(out, cpRange{base + s, base + e})
		}
		start = end
	}
	for i, r := range runes {
		switch r {
		case '\n':
			emit(i + 1)
		case '.', '!', '?', '؟', '؛', ';':
			// a full stop inside a number or an abbreviation ("2.5", "U.S.") is not a boundary
			if i+1 < len(runes) && !unicode.IsSpace(runes[i+1]) {
				continue
			}
			emit(i + 1)
		}
	}
	emit(len(runes))
	return out
}

// trimEndPunct strips closing quotes, brackets and white space from the end of s, so
// that `"Why?"` and «لماذا؟» end in their question mark.
func trimEndPunct(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'»”’)]*`, r)
	})
}

// firstRunes returns the first n runes of s.
func firstRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// isArabic reports whether most letters of s are Arabic script.
func isArabic(s string) bool {
	ar, other := 0, 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Arabic, r) {
			ar++
		} else {
			other++
		}
		if ar+other >= 200 {
			break
		}
	}
	return ar > other
}

// runeCount is utf8.RuneCountInString, named for readability at call sites.
func runeCount(s string) int { return utf8.RuneCountInString(s) }

// minClauseWords is the fewest words a comma-cut fragment needs to be read as a clause
// of its own. Shorter ones are discourse markers and adverbials ("لسوء الحظ،",
// "In this regard,", "كما نرى،") whose polarity, read alone, is the one the training
// tweets gave those words; they belong to the clause they introduce.
const minClauseWords = 4

// leadMarkers open a subordinate fragment (concession, regret, contrast) that says how
// to read the main clause after it rather than anything by itself: "رغم كل الحقائق
// المقدمة، تزعم..." is about what is claimed, not about the facts. Kept folded, as
// tokens gives them; the table is built once and never changed.
var leadMarkers = func() [][]string {
	var out [][]string
	for _, m := range []string{"رغم", "برغم", "بالرغم", "وبالرغم", "ورغم", "على الرغم", "وعلى الرغم", "لسوء الحظ",
		"ولسوء الحظ", "للأسف", "وللأسف", "مع الأسف", "لحسن الحظ", "ولحسن الحظ", "مع ذلك", "ومع ذلك",
		"although", "though", "despite", "unfortunately", "fortunately", "sadly", "however", "nevertheless",
		"even though", "in spite of"} {
		out = append(out, tokens(m))
	}
	return out
}()

// opensWithMarker reports whether toks start with one of leadMarkers.
func opensWithMarker(toks []string) bool {
	for _, m := range leadMarkers {
		if len(toks) >= len(m) && slices.Equal(toks[:len(m)], m) {
			return true
		}
	}
	return false
}

// clause is a clause range and its word count.
type clause struct {
	cpRange
	words int
}

// clauseRanges cuts the sentence runes[r.Start:r.End] (offsets into runes) at commas
// into clauses, each keeping its comma, and joins every fragment shorter than
// minClauseWords words, or opening with a lead marker, to the fragment after it (the
// last fragment of a sentence to the one before it). Fragments without a word are
// dropped. The ranges are offsets into runes, white space trimmed.
func clauseRanges(runes []rune, r cpRange) []clause {
	type frag struct {
		r    cpRange
		toks []string
	}
	var fs []frag
	cs := r.Start
	cut := func(e int) {
		if toks := tokens(string(runes[cs:e])); len(toks) > 0 {
			fs = append(fs, frag{cpRange{cs, e}, toks})
		}
		cs = e
	}
	for i := r.Start; i < r.End; i++ {
		if runes[i] == '،' || runes[i] == ',' {
			cut(i + 1)
		}
	}
	cut(r.End)
	var out []clause
	var pending *frag // fragments waiting for the clause they introduce
	for i := range fs {
		f := fs[i]
		if pending != nil {
			f = frag{cpRange{pending.r.Start, f.r.End}, append(slices.Clone(pending.toks), f.toks...)}
			pending = nil
		}
		if i+1 < len(fs) && (len(f.toks) < minClauseWords || opensWithMarker(f.toks)) {
			pending = &f
			continue
		}
		if len(f.toks) < minClauseWords && len(out) > 0 {
			out[len(out)-1].End = f.r.End
			out[len(out)-1].words += len(f.toks)
			continue
		}
		out = append(out, clause{f.r, len(f.toks)})
	}
	for i := range out {
		c := &out[i]
		for c.Start < c.End && unicode.IsSpace(runes[c.Start]) {
			c.Start++
		}
		for c.End > c.Start && unicode.IsSpace(runes[c.End-1]) {
			c.End--
		}
	}
	return out
}
