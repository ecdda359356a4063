package schema

import (
	"fmt"
	"math/bits"
	"slices"
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

// UTF16Index converts between code-point and UTF-16 offsets of one text after one pass,
// for an export or import that converts every span of a document (CPToUTF16 and
// UTF16ToCP walk the text from its start each time). Text without code points outside
// the BMP, where both counts agree, needs no table.
type UTF16Index struct {
	n     int
	units []int32 // units[cp] is the UTF-16 offset of code point cp (n+1 entries); nil when it is cp
}

// NewUTF16Index indexes s.
func NewUTF16Index(s string) *UTF16Index {
	x := &UTF16Index{n: utf8.RuneCountInString(s)}
	for _, r := range s {
		if r > 0xFFFF {
			x.units = make([]int32, 0, x.n+1)
			u := 0
			for _, r := range s {
				x.units = append(x.units, int32(u))
				u += utf16.RuneLen(r)
			}
			x.units = append(x.units, int32(u))
			break
		}
	}
	return x
}

// FromCP is CPToUTF16(s, cp).
func (x *UTF16Index) FromCP(cp int) (int, error) {
	switch {
	case cp < 0:
		return 0, fmt.Errorf("offset %d is negative", cp)
	case cp > x.n:
		return 0, fmt.Errorf("offset %d is past the text (%d code points)", cp, x.n)
	case x.units == nil:
		return cp, nil
	}
	return int(x.units[cp]), nil
}

// ToCP is UTF16ToCP(s, u), in O(log n).
func (x *UTF16Index) ToCP(u int) (int, error) {
	total := x.n
	if x.units != nil {
		total = int(x.units[len(x.units)-1])
	}
	switch {
	case u < 0:
		return 0, fmt.Errorf("UTF-16 offset %d is negative", u)
	case u > total:
		return 0, fmt.Errorf("UTF-16 offset %d is past the text (%d units)", u, total)
	case x.units == nil:
		return u, nil
	}
	i, found := slices.BinarySearch(x.units, int32(u))
	if !found {
		return 0, fmt.Errorf("UTF-16 offset %d splits a surrogate pair", u)
	}
	return i, nil
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

// TextIndex slices one text by code points after a single pass, for code that checks
// or cuts many spans of the same document (a release row, a validation): SliceCP would
// walk the text again for every span.
//
// For valid UTF-8 the index is sparse, one count per indexBlock bytes, so that indexing
// costs one validation and one counting pass over the text and an allocation of 1/16
// of its size (a dense offset per code point cost four bytes per byte of text and a
// rune decode per code point, the largest cost of a release row); a slice walks at
// most one block from its checkpoint. Invalid UTF-8, where a code point is what
// ranging over the string yields, keeps a dense offset per code point.
type TextIndex struct {
	text string
	// blocks[k] is the number of code points that start before byte k*indexBlock;
	// nil when the text is ASCII or dense is used.
	blocks []int32
	// dense[i] is the byte offset of code point i (dense[n] = len(text)), for invalid
	// UTF-8 only.
	dense []int32
	n     int
}

// indexBlock is the stride in bytes of a sparse TextIndex.
const indexBlock = 64

// NewTextIndex indexes text.
func NewTextIndex(text string) *TextIndex {
	x := &TextIndex{text: text, n: len(text)}
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	switch {
	case ascii:
	case utf8.ValidString(text):
		x.blocks = make([]int32, len(text)/indexBlock+1)
		n := 0
		for k := range x.blocks {
			x.blocks[k] = int32(n)
			end := min((k+1)*indexBlock, len(text))
			n += runeStarts(text[k*indexBlock : end])
		}
		x.n = n
	default:
		x.dense = make([]int32, 0, len(text)+1)
		for b := range text {
			x.dense = append(x.dense, int32(b))
		}
		x.n = len(x.dense)
		x.dense = append(x.dense, int32(len(text)))
	}
	return x
}

// runeStarts counts the bytes of s that start a code point (all but the continuation
// bytes 10xxxxxx), eight at a time: the code points of valid UTF-8.
func runeStarts(s string) int {
	const hi = 0x8080808080808080
	n := len(s)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		n -= bits.OnesCount64(v & hi &^ (v << 1))
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// offset is the byte offset of code point cp, 0 <= cp <= x.n.
func (x *TextIndex) offset(cp int) int {
	switch {
	case x.dense != nil:
		return int(x.dense[cp])
	case x.blocks == nil || cp == x.n:
		if x.blocks == nil {
			return cp
		}
		return len(x.text)
	}
	// The last block whose first counted code point is at or before cp.
	lo, hi := 0, len(x.blocks)-1
	for lo < hi {
		mid := int(uint(lo+hi+1) >> 1)
		if int(x.blocks[mid]) <= cp {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	left := cp - int(x.blocks[lo])
	for b := lo * indexBlock; b < len(x.text); b++ {
		if x.text[b]&0xC0 != 0x80 {
			if left == 0 {
				return b
			}
			left--
		}
	}
	return len(x.text)
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
	return x.text[x.offset(start):x.offset(end)], nil
}
