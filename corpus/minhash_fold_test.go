package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// The table-driven normalisation of an ingest's Deduper equals NormalizeForDedup: on
// every shared page and text, and on the sequences where skipping NFKC would be wrong
// (compatibility characters, marks that compose with the letter before them, marks out
// of canonical order, runes beyond the BMP).
func TestDedupFolderMatchesNormalizeForDedup(t *testing.T) {
	cases := []string{
		"",
		"plain ASCII text, with punctuation!",
		"\u0648\u0654 \u0627\u0653 \u064a\u0654", // waw/alef/yeh + hamza or madda: NFKC composes them
		"\uFEFB \uFDF2 \uFE8D",                   // Arabic presentation forms (compatibility)
		"\uFB01nance \uFF21\uFF22 x\u00B2 a\u00A0b \u2126", // ligature, fullwidth, superscript, NBSP, ohm
		"e\u0301 a\u0328\u0301 a\u0301\u0328",              // composing accents, in and out of canonical order
		"\u1100\u1161\u11A8",                               // Hangul jamo compose to a syllable
		"مُحَمَّد الإعلاميّة",                              // harakat and shadda
		"\U0001F600 \U0001D400 emoji and math bold",        // beyond the BMP
		"İstanbul ǅ ſ Ⅻ",
		"wait… and see ﹶَ ﻻّ", // expansions next to marks
		"أَ آً",             // a dropped mark between a letter and a composing one
		"لاً …́ ΅",           // an expansion followed by a composing mark
		"اَِّْٰۡ",             // marks of different classes, out of order
	}
	root := testshared.Path(t, "data")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".csv")) {
			if b, err := os.ReadFile(p); err == nil {
				cases = append(cases, string(b))
			}
		}
		return nil
	})
	if len(cases) < 100 {
		t.Fatalf("only %d texts", len(cases))
	}
	f := newDedupFolder()
	for _, c := range cases {
		if got, want := f.normalize(c), NormalizeForDedup(c); got != want {
			t.Errorf("normalize(%.60q):\n got %.120q\nwant %.120q", c, got, want)
		}
	}
}
