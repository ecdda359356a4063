package corpus

import (
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/RadhiFadlillah/whatlanggo"
)

// langSample bounds the text whose script and English function words are counted: a
// few thousand letters decide the language as well as the whole article.
const langSample = 4000

// trigramSample bounds the text given to whatlanggo's trigram model, which costs about
// half a microsecond per letter. It runs only on what the cheaper checks leave
// undecided (Latin script but not English); on the shared pages 2000 letters give the
// 4000-letter answer for 99.3% of texts, the rest being pages of navigation.
const trigramSample = 2000

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
	// One pass cuts the sample (as sampleLetters does) and counts its letters by
	// script; ASCII letters, most of a Latin text, skip the script tables.
	sample := text
	letters, arabic, latin := 0, 0, 0
	for i, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				letters++
				latin++
			}
		case 0x621 <= r && r <= 0x64a && r != 0x640:
			// The Arabic letters hamza to yeh (tatweel, 0x640, is a letter of no script).
			letters++
			arabic++
		case unicode.IsLetter(r):
			letters++
			switch {
			case unicode.Is(unicode.Arabic, r):
				arabic++
			case unicode.Is(unicode.Latin, r):
				latin++
			}
		default:
			continue
		}
		if letters >= langSample {
			// The letter that reaches the bound is outside the sample.
			letters--
			if r < utf8.RuneSelf || unicode.Is(unicode.Latin, r) {
				latin--
			} else if unicode.Is(unicode.Arabic, r) {
				arabic--
			}
			sample = text[:i]
			break
		}
	}
	if letters < 8 {
		return ""
	}
	if arabic*2 > letters {
		return arabicScriptLang(sample)
	}
	// English is decided by its function words whatever the trigram model would say,
	// so the model runs only when they do not decide.
	if latin*2 > letters && englishShare(sample) >= 0.2 {
		return "en"
	}
	info := whatlanggo.Detect(sampleLetters(sample, trigramSample))
	code := whatlanggo.LangToStringShort(info.Lang)
	if code == "" || !info.IsReliable() {
		return ""
	}
	return code
}

// arabicScriptLang decides between Arabic, Persian and Urdu.
func arabicScriptLang(sample string) string {
	persian, arabicMarks := 0, 0
	for _, r := range sample {
		if r < 0x600 {
			continue // below the Arabic block: neither
		}
		// Distinctive letters separate the Arabic-script languages on short texts,
		// where trigram statistics are weak: Persian/Urdu use پ چ ژ گ ک ی, which
		// Arabic does not, and Arabic uses ة ي ك أ إ, which Persian spelling replaces.
		switch r {
		case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی':
			persian++
		case 'ة', 'ي', 'ك', 'أ', 'إ':
			arabicMarks++
		}
	}
	if arabicMarks > 0 && arabicMarks >= 2*persian {
		return "ar"
	}
	sample = sampleLetters(sample, trigramSample)
	if persian > 0 && persian >= 2*arabicMarks {
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

// englishShare is the share of words (runs of letters and apostrophes, compared in
// lower case) that are English function words. It scans s once without copying it:
// only short ASCII words can be function words, so only they are lowered and looked up.
func englishShare(s string) float64 {
	words, n := 0, 0
	var buf [maxFunctionWord]byte
	start := -1
	ascii := true
	end := func(i int) {
		if start < 0 {
			return
		}
		words++
		if w := s[start:i]; ascii && len(w) <= maxFunctionWord {
			for j := range len(w) {
				c := w[j]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf[j] = c
			}
			if englishFunctionWords[string(buf[:len(w)])] {
				n++
			}
		}
		start, ascii = -1, true
	}
	for i, r := range s {
		if unicode.IsLetter(r) || r == '\'' {
			if start < 0 {
				start = i
			}
			ascii = ascii && r < utf8.RuneSelf
			continue
		}
		end(i)
	}
	end(len(s))
	if words < 3 {
		return 0
	}
	return float64(n) / float64(words)
}

// maxFunctionWord is the length of the longest of englishFunctionWords.
const maxFunctionWord = 5

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

// detectLangTitled is DetectLang(title + "\n" + text). A text that fits a stack buffer
// is joined there rather than in a new string (a copy of every document's text on the
// heap): DetectLang keeps nothing of its argument and returns a code of its own.
func detectLangTitled(title, text string) string {
	var buf [16 << 10]byte
	if len(title)+1+len(text) > len(buf) {
		return DetectLang(title + "\n" + text)
	}
	b := append(append(append(buf[:0], title...), '\n'), text...)
	return DetectLang(unsafe.String(unsafe.SliceData(b), len(b)))
}
