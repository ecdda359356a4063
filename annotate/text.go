package annotate

import (
	"hash/fnv"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/textfold"
)

// Helpers shared by the built-in annotators: one normalisation for matching names,
// targets and features, so that "أزمة" and "ازمة", "Qatar" and "qatar" compare equal.

// foldRune maps r to its matching form, or -1 to drop it. Arabic orthography varies
// between writers and between tweets and news (hamza seats, alif maqsura, ta marbuta,
// tashkeel, tatweel), and those variants carry no meaning for the annotators; the table
// is textfold's, shared with dedup.
func foldRune(r rune) rune {
	if f, ok := textfold.Arabic(r); ok {
		return f
	}
	switch {
	case unicode.IsMark(r), r == '\u200c', r == '\u200d', r == '\u200f', r == '\u200e', r == '\u200b', r == '\ufeff':
		return -1
	}
	return unicode.ToLower(r)
}

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
