package schema

import (
	"strings"
	"testing"
	"unicode/utf16"
)

// Offsets in code points, UTF-16 units and bytes agree on text mixing Arabic with
// harakat, emoji outside the BMP (surrogate pairs in UTF-16), a skin-tone modifier, a
// flag made of two regional indicators, and a decomposed é (e + U+0301).
func TestOffsetConversions(t *testing.T) {
	text := "قَطَر 👍🏽 café 🇶🇦 end"
	runes := []rune(text)
	units := 0
	bytes := 0
	for cp := 0; cp <= len(runes); cp++ {
		if got, err := CPToUTF16(text, cp); err != nil || got != units {
			t.Fatalf("CPToUTF16(%d) = %d, %v; want %d", cp, got, err, units)
		}
		if got, err := UTF16ToCP(text, units); err != nil || got != cp {
			t.Fatalf("UTF16ToCP(%d) = %d, %v; want %d", units, got, err, cp)
		}
		if got, err := ByteOffset(text, cp); err != nil || got != bytes {
			t.Fatalf("ByteOffset(%d) = %d, %v; want %d", cp, got, err, bytes)
		}
		if got, err := CPOffset(text, bytes); err != nil || got != cp {
			t.Fatalf("CPOffset(%d) = %d, %v; want %d", bytes, got, err, cp)
		}
		if cp < len(runes) {
			units += len(utf16.Encode([]rune{runes[cp]}))
			bytes += len(string(runes[cp]))
		}
	}
	if LenCP(text) != len(runes) {
		t.Fatalf("LenCP = %d, want %d", LenCP(text), len(runes))
	}
}

func TestOffsetErrors(t *testing.T) {
	text := "a👍b" // 👍 is two UTF-16 units and four bytes
	if _, err := UTF16ToCP(text, 2); err == nil {
		t.Error("UTF-16 offset inside a surrogate pair accepted")
	}
	if _, err := CPOffset(text, 2); err == nil {
		t.Error("byte offset inside a character accepted")
	}
	for _, f := range []func() error{
		func() error { _, err := ByteOffset(text, 4); return err },
		func() error { _, err := ByteOffset(text, -1); return err },
		func() error { _, err := CPToUTF16(text, 4); return err },
		func() error { _, err := UTF16ToCP(text, 5); return err },
		func() error { _, err := CPOffset(text, 99); return err },
	} {
		if f() == nil {
			t.Error("out-of-range offset accepted")
		}
	}
}

// SliceCP is Python's text[start:end]; Span keeps that text with the offsets.
func TestSliceCPAndSpan(t *testing.T) {
	text := "مرحبا 👍🏽 e\u0301!"
	cases := []struct {
		start, end int
		want       string
	}{
		{0, 5, "مرحبا"},
		{6, 8, "👍🏽"},
		{9, 11, "e\u0301"},
		{11, 12, "!"},
	}
	for _, c := range cases {
		got, err := SliceCP(text, c.start, c.end)
		if err != nil || got != c.want {
			t.Errorf("SliceCP(%d, %d) = %q, %v; want %q", c.start, c.end, got, err, c.want)
		}
		if got, err := NewTextIndex(text).Slice(c.start, c.end); err != nil || got != c.want {
			t.Errorf("TextIndex.Slice(%d, %d) = %q, %v; want %q", c.start, c.end, got, err, c.want)
		}
		it, err := Span(text, c.start, c.end)
		if err != nil || it.Text != c.want || *it.Start != c.start || *it.End != c.end {
			t.Errorf("Span(%d, %d) = %+v, %v", c.start, c.end, it, err)
		}
	}
	for _, bad := range [][2]int{{5, 3}, {-1, 2}, {10, 13}} {
		if _, err := SliceCP(text, bad[0], bad[1]); err == nil {
			t.Errorf("SliceCP(%d, %d) accepted", bad[0], bad[1])
		}
		if _, err := NewTextIndex(text).Slice(bad[0], bad[1]); err == nil {
			t.Errorf("TextIndex.Slice(%d, %d) accepted", bad[0], bad[1])
		}
	}
}

func TestCheckSpanMessages(t *testing.T) {
	for _, c := range []struct {
		start, end, n int
		want          string
	}{
		{120, 90, 200, "span [120,90) ends before it starts"},
		{-1, 3, 10, "span [-1,3) starts before the text"},
		{3, 3, 10, "span [3,3) is empty"},
		{5, 11, 10, "span [5,11) ends past the text (10 code points)"},
	} {
		err := CheckSpan(c.start, c.end, c.n)
		if err == nil || err.Error() != c.want {
			t.Errorf("CheckSpan(%d, %d, %d) = %v, want %q", c.start, c.end, c.n, err, c.want)
		}
	}
	if err := CheckSpan(0, 10, 10); err != nil {
		t.Errorf("whole text rejected: %v", err)
	}
}

func TestSplitParagraphs(t *testing.T) {
	text := "أول فقرة\n\nsecond 👍\nline\n\n\n\nthird"
	ps := SplitParagraphs(text)
	want := []string{"أول فقرة", "second 👍\nline", "third"}
	if len(ps) != len(want) {
		t.Fatalf("%d paragraphs, want %d: %+v", len(ps), len(want), ps)
	}
	for i, p := range ps {
		got, _ := SliceCP(text, p.Start, p.End)
		if p.Text != want[i] || got != want[i] {
			t.Errorf("paragraph %d = %q (slice %q), want %q", i, p.Text, got, want[i])
		}
	}
}

// TextIndex agrees with SliceCP on every span of ASCII and non-ASCII text.
func TestTextIndexMatchesSliceCP(t *testing.T) {
	// Texts over several index blocks, runes straddling block edges, and invalid UTF-8
	// (stray continuation bytes, a cut sequence), where a code point is what ranging
	// over the string yields.
	long := strings.Repeat("ab قطر 👍🏽 e\u0301\n", 13)
	for _, text := range []string{"", "plain ascii text", "قطر 👍🏽 e\u0301 ok", long, "x" + long, "xy" + long + "z",
		strings.Repeat("é", 100), long + "\x80\xbf" + long, "\xe0\x80" + long, long + "\xf0\x9f"} {
		x := NewTextIndex(text)
		if x.Len() != LenCP(text) {
			t.Fatalf("%q: Len = %d, want %d", text, x.Len(), LenCP(text))
		}
		for i := 0; i <= x.Len(); i++ {
			for j := i; j <= x.Len(); j++ {
				want, werr := SliceCP(text, i, j)
				got, err := x.Slice(i, j)
				if got != want || (err == nil) != (werr == nil) {
					t.Fatalf("%q [%d,%d): %q %v, SliceCP %q %v", text, i, j, got, err, want, werr)
				}
			}
		}
	}
}

// UTF16Index gives what CPToUTF16 and UTF16ToCP give at every offset, with and without code points
// outside the BMP.
func TestUTF16IndexAgreesWithTheWalks(t *testing.T) {
	for _, s := range []string{"", "abc", "سلام 😀 عليكم 🇶🇦 é", strings.Repeat("ش😀", 40)} {
		x := NewUTF16Index(s)
		for cp := -1; cp <= LenCP(s)+1; cp++ {
			want, werr := CPToUTF16(s, cp)
			got, gerr := x.FromCP(cp)
			if got != want || (werr == nil) != (gerr == nil) {
				t.Fatalf("%q: FromCP(%d) = %d, %v; want %d, %v", s, cp, got, gerr, want, werr)
			}
		}
		for u := -1; u <= len(utf16.Encode([]rune(s)))+1; u++ {
			want, werr := UTF16ToCP(s, u)
			got, gerr := x.ToCP(u)
			if got != want || (werr == nil) != (gerr == nil) {
				t.Fatalf("%q: ToCP(%d) = %d, %v; want %d, %v", s, u, got, gerr, want, werr)
			}
		}
	}
}
