package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/RadhiFadlillah/whatlanggo"

	"github.com/newsds/newsds/internal/testshared"
)

// englishShare scans its text once without lowering a copy of it; it must count as
// splitting the lowered text into words does, on the shared pages and on the cases
// where the shortcut could go wrong (capitals, apostrophes, long and non-ASCII words).
func TestEnglishShareMatchesWordSplit(t *testing.T) {
	reference := func(s string) float64 {
		words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
		if len(words) < 3 {
			return 0
		}
		n := 0
		for _, w := range words {
			if englishFunctionWords[w] {
				n++
			}
		}
		return float64(n) / float64(len(words))
	}
	cases := []string{
		"", "The", "THE AND OF", "The cat's toy, and THEIR dog's. Said: «Not» — theirs",
		"Ther theirs their' 'the the' then", //nolint:misspell // a misspelt word on purpose: not English by the share "Über die Straße and the café, naïve",
		"It IS what it WAS; he said it's HIS. She has her own.",
	}
	filepath.WalkDir(testshared.Path(t, "data", "trafilatura"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			if b, err := os.ReadFile(p); err == nil {
				cases = append(cases, sampleLetters(string(b), langSample))
			}
		}
		return nil
	})
	if len(cases) < 50 {
		t.Fatalf("only %d texts", len(cases))
	}
	for _, c := range cases {
		if got, want := englishShare(c), reference(c); got != want {
			t.Errorf("englishShare(%.60q) = %v, want %v", c, got, want)
		}
	}
}

// DetectLang cuts its sample and counts scripts in one pass; it must answer as cutting
// with sampleLetters and counting over the sample does, on every shared page and text
// (whole, and cut at the sample bound's neighbourhood).
func TestDetectLangOnePassMatchesSample(t *testing.T) {
	reference := func(text string) string {
		sample := sampleLetters(text, langSample)
		letters, arabic, latin := 0, 0, 0
		for _, r := range sample {
			if !unicode.IsLetter(r) {
				continue
			}
			letters++
			switch {
			case unicode.Is(unicode.Arabic, r):
				arabic++
			case unicode.Is(unicode.Latin, r):
				latin++
			}
		}
		if letters < 8 {
			return ""
		}
		if arabic*2 > letters {
			return arabicScriptLang(sample)
		}
		if latin*2 > letters && englishShare(sample) >= 0.2 {
			return "en"
		}
		info := whatlanggo.Detect(sampleLetters(sample, trigramSample))
		if code := whatlanggo.LangToStringShort(info.Lang); code != "" && info.IsReliable() {
			return code
		}
		return ""
	}
	var texts []string
	filepath.WalkDir(testshared.Path(t, "data"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".txt")) {
			if b, err := os.ReadFile(p); err == nil {
				texts = append(texts, string(b))
			}
		}
		return nil
	})
	if len(texts) < 100 {
		t.Fatalf("only %d texts", len(texts))
	}
	differ := 0
	for _, text := range texts {
		for _, s := range []string{text, sampleLetters(text, langSample+1), sampleLetters(text, langSample), sampleLetters(text, 60)} {
			if got, want := DetectLang(s), reference(s); got != want {
				differ++
				if differ < 10 {
					t.Errorf("DetectLang(%.50q) = %q, want %q", s, got, want)
				}
			}
		}
	}
}
