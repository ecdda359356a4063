package corpus

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfcClass holds, for each rune of the Basic Multilingual Plane, 0 when the rune is
// not NFC quick-check Yes (it decomposes, or may compose with the rune before it), and
// otherwise its canonical combining class plus 1. By the quick-check rule of UAX #15 a
// text of quick-check-Yes runes whose combining marks are in canonical order is in NFC,
// which is what almost every article is: checking that with one table lookup per rune
// costs a fraction of norm's own quick check, which ran twice per paragraph (13% of
// JSONL ingest). The table is computed once from norm's data and read-only afterwards.
var nfcClass = sync.OnceValue(func() *[0x10000]uint8 {
	var t [0x10000]uint8
	for r := rune(0); r < 0x10000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		// QuickSpan stops before a rune that is not quick-check Yes whatever precedes
		// it; "a" gives it a starter it could compose with.
		if norm.NFC.QuickSpanString("a"+s) == 1+len(s) {
			t[r] = norm.NFC.PropertiesString(s).CCC() + 1
		}
	}
	return &t
})

// toNFC returns norm.NFC.String(s), skipping norm when nfcClass shows s is in NFC.
func toNFC(s string) string {
	t := nfcClass()
	last := uint8(1) // the class+1 of the previous rune; ASCII is class 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			last = 1
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 || (r == utf8.RuneError && size == 1) {
			return norm.NFC.String(s)
		}
		c := t[r]
		if c == 0 || (c > 1 && c < last) {
			return norm.NFC.String(s)
		}
		last = c
		i += size
	}
	return s
}

// cleanParagraph normalises one paragraph: NFC, invisible formatting characters removed
// (zero-width space, BOM, soft hyphen, bidi controls: they carry no text and break
// tokenisation; ZWNJ/ZWJ stay, Persian spelling needs them), runs of spaces collapsed,
// lines trimmed, and no blank line inside.
func cleanParagraph(p string) string {
	// The lines of an NFC text are NFC ("\n" composes with nothing), so each line is
	// cleaned without normalising it again.
	p = toNFC(p)
	if lineClean(p, true) {
		return p
	}
	var b []byte
	for rest := p; ; {
		line := rest
		i := strings.IndexByte(rest, '\n')
		if i >= 0 {
			line = rest[:i]
		}
		n := len(b)
		if n > 0 {
			b = append(b, '\n')
		}
		m := len(b)
		if b = appendCleanLine(b, line); len(b) == m {
			b = b[:n] // an empty line is dropped, with its separator
		}
		if i < 0 {
			break
		}
		rest = rest[i+1:]
	}
	return string(b)
}

// cleanLine is cleanParagraph for text that must be a single line.
func cleanLine(s string) string {
	s = toNFC(s)
	if lineClean(s, false) {
		return s
	}
	return string(appendCleanLine(nil, s))
}

// lineClean reports whether cleaning s changes nothing: valid UTF-8, no invisible
// formatting character, no space but single ASCII spaces between other runes, and,
// with newlines, "\n" only between two non-empty clean lines.
func lineClean(s string, newlines bool) bool {
	if s == "" {
		return true
	}
	prevSep := true // at the start of a line: a space or newline here is not clean
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if prevSep {
					return false
				}
				prevSep = true
			case '\n':
				if !newlines || prevSep {
					return false
				}
				prevSep = true
			case '\t', '\v', '\f', '\r':
				return false
			default:
				prevSep = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || breaksClean(r) {
			return false
		}
		prevSep = false
		i += size
	}
	return !prevSep
}

// breaksClean reports the non-ASCII runes a clean line never holds: invisible
// formatting characters and white space. Between U+0100 and U+167F (Latin extensions,
// Greek, Cyrillic, Hebrew, Arabic, Indic scripts: most letters of most articles)
// there is neither, so those runes skip the white-space table's search.
func breaksClean(r rune) bool {
	if r >= 0x100 && r < 0x1680 {
		return false
	}
	return isInvisible(r) || unicode.IsSpace(r) || r == '\u00a0'
}

// appendCleanLine appends the cleaned form of line (already NFC) to b: invisible
// formatting characters dropped, every run of white space one ASCII space, trimmed.
// Invalid UTF-8 becomes U+FFFD, as ranging over a string gives it.
func appendCleanLine(b []byte, line string) []byte {
	start := len(b)
	space := false
	for i := 0; i < len(line); {
		c := line[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(line[i:])
		}
		switch {
		case c >= utf8.RuneSelf && isInvisible(r):
			i += size
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r',
			c >= utf8.RuneSelf && (unicode.IsSpace(r) || r == '\u00a0'):
			space = true
			i += size
			continue
		}
		if space && len(b) > start {
			b = append(b, ' ')
		}
		space = false
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, line[i:i+size]...)
		}
		i += size
	}
	return b
}
