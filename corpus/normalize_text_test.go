package corpus

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/newsds/newsds/internal/testshared"
)

// cleanParagraphRef and cleanLineRef are the plain definitions that cleanParagraph and
// cleanLine must equal byte for byte: a changed text would change content hashes, and
// every stored document would re-ingest as modified.
func cleanParagraphRef(p string) string {
	p = norm.NFC.String(p)
	lines := strings.Split(p, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = cleanLineRef(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func cleanLineRef(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case isInvisible(r):
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// cleanTextCases are the shared pages and texts, each whole and cut into paragraphs,
// and the sequences where a shortcut would go wrong: text needing NFC, invisible
// characters next to combining marks, every kind of white space at either end and in
// runs, empty lines, invalid UTF-8 and runes beyond the BMP.
func cleanTextCases(t *testing.T) []string {
	cases := []string{
		"", " ", "\n", "\n\n", "a", " a", "a ", "a  b", "a\tb", "a\r\nb", "a\n\nb", "a\n \nb", "\na\n", "a \nb",
		"e\u0301 cafe\u0301", "a\u0328\u0301 a\u0301\u0328", "\u1100\u1161\u11A8", "\u212b \u2126",
		"\u0627\u0653 \u0648\u0654 \u064a\u0654", "مُحَمَّد الإعلاميّة", "اَِّْٰۡ",
		"e\u200b\u0301", "\u200b\u0301x", "a\u00ad\u0301", "x\ufeff", "\u202ab\u202c", "\u2066x\u2069",
		"a\u00a0b", "a\u2003b\u3000c", "\u0085a\u0085", "\u200c\u200d", "ZWNJ\u200cstays",
		"bad \xff byte", "\xe2\x80", "cut \xd8", "\U0001F600 \U0001D400", "x\U0001D165\U0001D16D",
		"“quoted” — dash… ‘single’", "Ⅻ ﬁ ＡＢ x²", "\ufb01\u0301",
	}
	root := testshared.Path(t, "data")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".jsonl")) {
			if b, err := os.ReadFile(p); err == nil {
				cases = append(cases, string(b))
				cases = append(cases, strings.Split(string(b), "\n\n")...)
			}
		}
		return nil
	})
	if len(cases) < 200 {
		t.Fatalf("only %d texts", len(cases))
	}
	return cases
}

func TestCleanParagraphMatchesDefinition(t *testing.T) {
	for _, c := range cleanTextCases(t) {
		if got, want := cleanParagraph(c), cleanParagraphRef(c); got != want {
			t.Errorf("cleanParagraph(%.60q):\n got %.120q\nwant %.120q", c, got, want)
		}
		if got, want := cleanLine(c), cleanLineRef(c); got != want {
			t.Errorf("cleanLine(%.60q):\n got %.120q\nwant %.120q", c, got, want)
		}
	}
}

// Every text the NFC shortcut lets through must be one norm leaves alone: checked on
// each rune it accepts after a Latin and an Arabic letter and next to itself, and on
// random sequences of accepted runes, including combining marks in and out of order.
func TestNFCClassShortcut(t *testing.T) {
	tab := nfcClass()
	var accepted []rune
	for r := rune(0x80); r < 0x10000; r++ {
		if tab[r] == 0 {
			continue
		}
		accepted = append(accepted, r)
		for _, s := range []string{string(r), "a" + string(r), "\u0627" + string(r) + "\u0627", string(r) + string(r), string(r) + "\u0301"} {
			if got, want := toNFC(s), norm.NFC.String(s); got != want {
				t.Fatalf("toNFC(%+q) = %+q, want %+q", s, got, want)
			}
		}
	}
	if len(accepted) < 10000 {
		t.Fatalf("only %d runes accepted: the shortcut would rarely apply", len(accepted))
	}
	marks := []rune{0x64b, 0x64e, 0x650, 0x651, 0x652, 0x653, 0x654, 0x301, 0x316, 0x328, 0x5b0, 0x93c}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			if rng.IntN(2) == 0 {
				b.WriteRune(marks[rng.IntN(len(marks))])
			} else {
				b.WriteRune(accepted[rng.IntN(len(accepted))])
			}
		}
		s := b.String()
		if got, want := toNFC(s), norm.NFC.String(s); got != want {
			t.Fatalf("toNFC(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

func FuzzCleanParagraph(f *testing.F) {
	for _, s := range testshared.Seeds(f, "data/*/*.txt", 20, 2000) {
		f.Add(string(s))
	}
	f.Add("e\u200b\u0301 a  b\n\n\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cleanParagraph(s), cleanParagraphRef(s); got != want {
			t.Fatalf("cleanParagraph(%q) = %q, want %q", s, got, want)
		}
		if got, want := cleanLine(s), cleanLineRef(s); got != want {
			t.Fatalf("cleanLine(%q) = %q, want %q", s, got, want)
		}
	})
}
