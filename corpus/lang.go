package corpus

import (
	"strings"
	"unicode"

	"github.com/RadhiFadlillah/whatlanggo"
)

// langSample bounds the text given to the trigram model: a few thousand letters decide
// the language as well as the whole article and keep detection cheap on long pages.
const langSample = 4000

// persianLetters and arabicOnly separate the Arabic-script languages on short texts, where
// trigram statistics are weak: Persian/Urdu use پ چ ژ گ ک ی, which Arabic does not, and
// Arabic uses ة ي ك, which Persian spelling replaces.
const (
	persianLetters = "پچژگکی"
	arabicOnly     = "ةيكأإ"
)

// englishFunctionWords are frequent enough that a short English text contains several.
var englishFunctionWords = map[string]bool{
	"the": true, "and": true, "of": true, "to": true, "in": true, "is": true, "was": true,
	"for": true, "that": true, "with": true, "on": true, "as": true, "by": true, "at": true,
	"it": true, "from": true, "he": true, "she": true, "they": true, "are": true, "were": true,
	"has": true, "have": true, "had": true, "be": true, "this": true, "an": true, "a": true,
	"his": true, "her": true, "their": true, "will": true, "said": true, "not": true,
}

// DetectLang identifies the language of text as an ISO 639-1 code, or "" when it cannot
// tell reliably. The script decides first (Arabic letters → Arabic vs Persian/Urdu by
// their distinctive letters); Latin-script text goes to whatlanggo's trigram model, whose
// answer is kept only when it says it is reliable, with an English function-word check that
// makes short English texts (a headline, a lede) come out right.
func DetectLang(text string) string {
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
	info := whatlanggo.Detect(sample)
	code := whatlanggo.LangToStringShort(info.Lang)
	if latin*2 > letters && englishShare(sample) >= 0.2 {
		return "en"
	}
	if code == "" || !info.IsReliable() {
		return ""
	}
	return code
}

// arabicScriptLang decides between Arabic, Persian and Urdu.
func arabicScriptLang(sample string) string {
	persian, arabicMarks := 0, 0
	for _, r := range sample {
		switch {
		case strings.ContainsRune(persianLetters, r):
			persian++
		case strings.ContainsRune(arabicOnly, r):
			arabicMarks++
		}
	}
	switch {
	case arabicMarks > 0 && arabicMarks >= 2*persian:
		return "ar"
	case persian > 0 && persian >= 2*arabicMarks:
		info := whatlanggo.DetectWithOptions(sample, whatlanggo.Options{
			Whitelist: map[whatlanggo.Lang]bool{whatlanggo.Pes: true, whatlanggo.Urd: true},
		})
		return whatlanggo.LangToStringShort(info.Lang)
	}
	info := whatlanggo.Detect(sample)
	if !info.IsReliable() {
		return ""
	}
	return whatlanggo.LangToStringShort(info.Lang)
}

// englishShare is the share of words that are English function words.
func englishShare(s string) float64 {
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

// sampleLetters returns a prefix of text holding about max letters, cut on a rune boundary.
func sampleLetters(text string, max int) string {
	n := 0
	for i, r := range text {
		if unicode.IsLetter(r) {
			n++
			if n >= max {
				return text[:i]
			}
		}
	}
	return text
}
