package schema

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Offsets in newsds are Unicode code points into the stored text (what Python's str
// indexes). Other tools count differently — doccano and JavaScript count UTF-16 code
// units, Go and Rust count bytes — so every import and export converts at the boundary
// with these helpers.

// LenCP is the length of s in code points.
func LenCP(s string) int { return utf8.RuneCountInString(s) }

// ByteOffset converts a code-point offset into s to a byte offset.
func ByteOffset(s string, cp int) (int, error) {
	if cp < 0 {
		return 0, fmt.Errorf("offset %d is negative", cp)
	}
	n := 0
	for i := range s {
		if n == cp {
			return i, nil
		}
		n++
	}
	if n == cp {
		return len(s), nil
	}
	return 0, fmt.Errorf("offset %d is past the text (%d code points)", cp, n)
}

// CPOffset converts a byte offset into s to a code-point offset. The byte offset must
// fall on a rune boundary.
func CPOffset(s string, b int) (int, error) {
	if b < 0 || b > len(s) {
		return 0, fmt.Errorf("byte offset %d is outside the text (%d bytes)", b, len(s))
	}
	if b < len(s) && !utf8.RuneStart(s[b]) {
		return 0, fmt.Errorf("byte offset %d splits a character", b)
	}
	return utf8.RuneCountInString(s[:b]), nil
}

// SliceCP returns s[start:end] counted in code points.
func SliceCP(s string, start, end int) (string, error) {
	if err := CheckSpan(start, end, LenCP(s)); err != nil && start != end {
		return "", err
	}
	bs, err := ByteOffset(s, start)
	if err != nil {
		return "", err
	}
	be, err := ByteOffset(s, end)
	if err != nil {
		return "", err
	}
	return s[bs:be], nil
}

// UTF16ToCP converts a UTF-16 code-unit offset into s to a code-point offset. An offset
// that falls between the two halves of a surrogate pair is an error.
func UTF16ToCP(s string, u int) (int, error) {
	if u < 0 {
		return 0, fmt.Errorf("UTF-16 offset %d is negative", u)
	}
	units, cp := 0, 0
	for _, r := range s {
		if units == u {
			return cp, nil
		}
		if units > u {
			return 0, fmt.Errorf("UTF-16 offset %d splits a surrogate pair", u)
		}
		units += utf16.RuneLen(r)
		cp++
	}
	if units == u {
		return cp, nil
	}
	if units > u {
		return 0, fmt.Errorf("UTF-16 offset %d splits a surrogate pair", u)
	}
	return 0, fmt.Errorf("UTF-16 offset %d is past the text (%d units)", u, units)
}

// CPToUTF16 converts a code-point offset into s to a UTF-16 code-unit offset.
func CPToUTF16(s string, cp int) (int, error) {
	if cp < 0 {
		return 0, fmt.Errorf("offset %d is negative", cp)
	}
	units, n := 0, 0
	for _, r := range s {
		if n == cp {
			return units, nil
		}
		units += utf16.RuneLen(r)
		n++
	}
	if n == cp {
		return units, nil
	}
	return 0, fmt.Errorf("offset %d is past the text (%d code points)", cp, n)
}

// TextIndex slices one text by code points in constant time after a single pass, for
// code that checks or cuts many spans of the same document (a release row, a
// validation): SliceCP would walk the text again for every span.
type TextIndex struct {
	text string
	// offs[i] is the byte offset of code point i (offs[n] = len(text)); nil when the
	// text is ASCII and the two coincide.
	offs []int32
	n    int
}

// NewTextIndex indexes text.
func NewTextIndex(text string) *TextIndex {
	x := &TextIndex{text: text, n: len(text)}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			x.offs = make([]int32, 0, len(text)+1)
			for b := range text {
				x.offs = append(x.offs, int32(b))
			}
			x.n = len(x.offs)
			x.offs = append(x.offs, int32(len(text)))
			break
		}
	}
	return x
}

// Len is the text's length in code points.
func (x *TextIndex) Len() int { return x.n }

// Slice returns text[start:end] counted in code points, like SliceCP.
func (x *TextIndex) Slice(start, end int) (string, error) {
	if start != end {
		if err := CheckSpan(start, end, x.n); err != nil {
			return "", err
		}
	} else if start < 0 || start > x.n {
		return "", fmt.Errorf("offset %d is outside the text (%d code points)", start, x.n)
	}
	if x.offs == nil {
		return x.text[start:end], nil
	}
	return x.text[x.offs[start]:x.offs[end]], nil
}
