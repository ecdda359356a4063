package corpus

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// metaCharsetRe finds a charset declaration anywhere in the head, not only in the first
// 1024 bytes the WHATWG prescan looks at: many news pages put it after long script blocks.
var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// DecodeHTML converts an HTML page to UTF-8. The charset comes, in this order, from a byte
// order mark, the bytes being valid non-ASCII UTF-8, the Content-Type header, a <meta>
// declaration in the page, and finally from sniffing the bytes: the legacy single-byte charsets
// windows-1256, ISO-8859-6 (Arabic) and windows-1252 are scored on how plausible the decoded
// text is, so an undeclared Arabic page still decodes to Arabic. A declared UTF-8 that the
// bytes contradict is ignored in favour of sniffing. charset is the canonical name used.
func DecodeHTML(data []byte, contentType string) (utf8Data []byte, charsetName string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		// The mark settles the charset, as in browsers. Bytes after it that are not UTF-8
		// are an error, not U+FFFD: the one place where decoding would otherwise change
		// the text silently (every legacy charset sniffed below maps every byte).
		if rest := data[3:]; !utf8.Valid(rest) {
			return nil, "", fmt.Errorf("invalid UTF-8 at byte %d after a UTF-8 byte order mark", 3+invalidUTF8Offset(rest))
		}
		return data[3:], "utf-8", nil
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		enc, name, _ := charset.DetermineEncoding(data, "")
		return decodeWith(enc, name, data)
	}
	// Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever the page says: legacy
	// text almost never forms valid multi-byte sequences by chance, while saved pages
	// often keep a stale declaration (a gb2312 <meta> on a page re-saved as UTF-8).
	valid := utf8.Valid(data)
	if valid && hasNonASCII(data) {
		return data, "utf-8", nil
	}
	if name := declaredCharset(data, contentType); name != "" {
		enc, canon := charset.Lookup(name)
		if enc != nil && !(canon == "utf-8" && !valid) {
			if canon == "utf-8" {
				return data, canon, nil
			}
			return decodeWith(enc, canon, data)
		}
	}
	if valid {
		return data, "utf-8", nil
	}
	enc, name := sniffLegacy(data)
	return decodeWith(enc, name, data)
}

func hasNonASCII(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// declaredCharset returns the charset label from the header, else from the page.
func declaredCharset(data []byte, contentType string) string {
	if contentType != "" {
		if i := bytes.Index(asciiLower([]byte(contentType)), []byte("charset=")); i >= 0 {
			v := contentType[i+len("charset="):]
			if j := strings.IndexAny(v, "; "); j >= 0 {
				v = v[:j]
			}
			if v = strings.Trim(v, `"' `); v != "" {
				return v
			}
		}
	}
	head := data
	if i := bytes.Index(asciiLower(head[:min(len(head), 64<<10)]), []byte("<body")); i >= 0 {
		head = head[:i]
	} else if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

// asciiLower returns a copy of s with ASCII letters lower-cased and every other byte
// kept, so offsets in the copy are offsets in s. strings.ToLower and bytes.ToLower
// rewrite each byte that is not UTF-8 (any legacy-encoded letter) as a three-byte
// U+FFFD: an index found in their result overflows the original.
func asciiLower(s []byte) []byte {
	b := make([]byte, len(s))
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return b
}

func decodeWith(enc encoding.Encoding, name string, data []byte) ([]byte, string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, "", fmt.Errorf("decode %s: %w", name, err)
	}
	return out, name, nil
}

// sniffLegacy picks the single-byte charset under which the non-ASCII bytes read most like
// real text. Arabic letters sit in the upper half of both Arabic code pages but at
// different positions, so the decisive signal is how often the decoded text forms the
// article "ال" and Arabic words, against how often it produces characters that do not
// occur in running text (undefined slots, accented Latin inside Arabic words).
func sniffLegacy(data []byte) (encoding.Encoding, string) {
	type cand struct {
		enc  encoding.Encoding
		name string
	}
	cands := []cand{
		{charmap.Windows1256, "windows-1256"},
		{charmap.ISO8859_6, "iso-8859-6"},
		{charmap.Windows1252, "windows-1252"},
	}
	best, bestScore := cands[len(cands)-1], 0
	for _, c := range cands {
		text, err := c.enc.NewDecoder().Bytes(data)
		if err != nil {
			continue
		}
		if s := plausibility(string(text)); s > bestScore {
			best, bestScore = c, s
		}
	}
	return best.enc, best.name
}

// plausibility scores decoded text: Arabic words and the definite article count for it,
// replacement characters, C1 controls and Latin letters glued to Arabic ones against it.
func plausibility(s string) int {
	score := 4 * strings.Count(s, "ال")
	prev := rune(0)
	for _, r := range s {
		switch {
		case r == utf8.RuneError || (r >= 0x80 && r < 0xA0):
			score -= 5
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			score++
			if isLatinLetter(prev) {
				score -= 3
			}
		case isLatinLetter(r) && unicode.Is(unicode.Arabic, prev):
			score -= 3
		}
		prev = r
	}
	return score
}

func isLatinLetter(r rune) bool { return r < 0x250 && unicode.IsLetter(r) }
