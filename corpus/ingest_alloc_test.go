package corpus

import (
	"strings"
	"testing"
	"unicode"

	"github.com/newsds/newsds/config"
)

// The byte scan of hasStrippedControl must find exactly what the rune scan of
// isStrippedControl finds, invalid UTF-8 included.
func TestHasStrippedControlAgreesWithRuneScan(t *testing.T) {
	cases := []string{
		"", "plain", "tab\tkept", "line\nbreak", "nul\x00", "del\x7f", "esc\x1b[0m",
		"c1 \u0085 next line", "c1 \u009f", "latin1 \u00a0 \u00c2 \u00e9", "\xc2", "x\xc2",
		"\xc2\x7f", "\xe0\xc2\x85", "\xe2\x80\x8b zwsp", "\xff\xfe", "عربي\u0080",
		"\xc2\xa0", "\xc3\x85", "\xf0\x9f\x98\x80",
	}
	for _, s := range cases {
		for _, nl := range []bool{true, false} {
			want := strings.IndexFunc(s, func(r rune) bool { return isStrippedControl(r, nl) }) >= 0
			if got := hasStrippedControl(s, nl); got != want {
				t.Errorf("hasStrippedControl(%q, %v) = %v, the rune scan says %v", s, nl, got, want)
			}
		}
	}
}

func FuzzHasStrippedControl(f *testing.F) {
	for _, s := range []string{"a\x00", "\xc2\x85", "\xe0\xc2\x85", "x\ny", "\u0627\u0644"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, nl := range []bool{true, false} {
			want := strings.IndexFunc(s, func(r rune) bool { return isStrippedControl(r, nl) }) >= 0
			if got := hasStrippedControl(s, nl); got != want {
				t.Fatalf("hasStrippedControl(%q, %v) = %v, the rune scan says %v", s, nl, got, want)
			}
		}
	})
}

// breaksClean skips the white-space table for a range of runes: over every rune it
// must answer what the full rule answers.
func TestBreaksCleanEveryRune(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		want := isInvisible(r) || unicode.IsSpace(r) || r == '\u00a0'
		if got := breaksClean(r); got != want {
			t.Fatalf("breaksClean(%U) = %v, want %v", r, got, want)
		}
	}
}

// Deduper.input reuses one normalisation buffer across documents: keys computed after
// a longer and a shorter text, and through the slow (NFKC) path, must equal those of
// the stand-alone functions.
func TestDeduperInputReusesBufferSafely(t *testing.T) {
	d := NewDeduper(config.Dedup{Threshold: 0.8, Shingle: 5})
	long := strings.Repeat("The council met on Tuesday to discuss the budget. ", 40)
	texts := []string{
		long,
		"Short text, Arabic too: قال المتحدث إن الاجتماع سيعقد غدا في العاصمة",
		long + " ﬁnal ligature needs NFKC ①",
		"",
		"tiny",
		long,
	}
	h := NewMinHasher(dedupHashes, 5, DefaultMinHashSeed)
	for i, s := range texts {
		in := d.input(s)
		if want := ExactKey(s); in.exactKey != want {
			t.Errorf("text %d: exact key %s, want %s", i, in.exactKey, want)
		}
		want := h.Signature(s)
		if len(in.signature) != len(want) {
			t.Fatalf("text %d: signature of %d hashes, want %d", i, len(in.signature), len(want))
		}
		for j := range want {
			if in.signature[j] != want[j] {
				t.Fatalf("text %d: signature differs at %d", i, j)
			}
		}
	}
}

// A deferred line is parsed into the same Input as an immediate one, and keeps the
// line it was given as its raw copy instead of copying it again.
func TestParseDeferredKeepsItsLine(t *testing.T) {
	line := []byte(`{"url":"https://example.com/a","title":"T","text":"Body text here."}`)
	direct, err := parseJSONLRecord(line, nil)
	if err != nil {
		t.Fatal(err)
	}
	owned := append([]byte(nil), line...)
	got, err := parseDeferred(Input{Raw: Raw{Data: owned, Path: "p", Record: "line 1"}, Unparsed: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Raw.Data) != string(direct.Raw.Data) || got.Given.Text != direct.Given.Text || got.Given.URL != direct.Given.URL {
		t.Fatalf("deferred parse %+v differs from direct %+v", got, direct)
	}
	if &got.Raw.Data[0] != &owned[0] {
		t.Error("deferred parse copied its line again")
	}
	if &direct.Raw.Data[0] == &line[0] {
		t.Error("direct parse kept the caller's buffer, which readJSONL reuses")
	}
}

// detectLangTitled joins title and text in a stack buffer when they fit: it must give
// DetectLang's answer on the joined string, on both sides of the buffer's size.
func TestDetectLangTitledAgreesWithJoined(t *testing.T) {
	en := strings.Repeat("The minister said the council will meet again on Monday. ", 20)
	ar := strings.Repeat("قال الوزير إن المجلس سيجتمع مرة أخرى يوم الاثنين في العاصمة. ", 20)
	fa := strings.Repeat("وزیر گفت که شورا دوباره روز دوشنبه در پایتخت گرد هم می‌آید. ", 20)
	for _, c := range []struct{ title, text string }{
		{"Council meets", en}, {"المجلس", ar}, {"شورا", fa}, {"", "short"}, {"English title", ar},
		{"Long", strings.Repeat(en, 20)}, {"طويل", strings.Repeat(ar, 20)},
	} {
		want := DetectLang(c.title + "\n" + c.text)
		if got := detectLangTitled(c.title, c.text); got != want {
			t.Errorf("detectLangTitled(%q, %d bytes) = %q, DetectLang of the joined text = %q", c.title, len(c.text), got, want)
		}
	}
}
