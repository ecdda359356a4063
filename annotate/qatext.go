package annotate

import (
	"html"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Text helpers of the Q&A annotator and its evaluation: the speaker-name convention of
// the interview gold (NFC, white space collapsed, parenthesised parts set aside) and the
// cleaning of raw metadata such as scraped bylines.

// nfc returns s in Unicode normalisation form C. Stored document text is NFC while gold
// files keep the source order of Arabic combining marks (shadda + kasra), so both sides of
// a comparison go through it.
func nfc(s string) string { return norm.NFC.String(s) }

// reParens matches one parenthesised part of a name: "(الشرق الأوسط)", "(Edward Norton)".
var reParens = regexp.MustCompile(`\s*[(（][^()（）]*[)）]`)

// nameQuotes are quotation marks that may wrap a name ("«عكاظ»") without being part of it.
const nameQuotes = `«»"“”„'‘’`

// speakerForms splits a speaker string by the gold convention: the name with every
// parenthesised part removed, and the parenthesised parts themselves (the outlet the
// interviewer writes for, a transliteration, a note). All forms are NFC, white space
// collapsed, surrounding quotes trimmed.
func speakerForms(s string) (name string, parts []string) {
	s = nfc(s)
	for _, m := range reParens.FindAllString(s, -1) {
		p := strings.TrimSpace(m)
		p = strings.TrimSuffix(strings.TrimPrefix(p, "("), ")")
		p = strings.TrimSuffix(strings.TrimPrefix(p, "（"), "）")
		if p = cleanName(p); p != "" {
			parts = append(parts, p)
		}
	}
	return cleanName(reParens.ReplaceAllString(s, " ")), parts
}

// cleanName collapses white space and trims quotes and punctuation around a name.
func cleanName(s string) string {
	s = collapseSpace(s)
	return strings.TrimFunc(s, func(r rune) bool {
		return strings.ContainsRune(nameQuotes, r) || r == ':' || r == '：' || r == ',' || r == '،' ||
			r == '-' || r == '–' || r == '—' || r == 'ـ' || unicode.IsSpace(r)
	})
}

// speakerMatches applies the gold convention: the predicted speaker is right when, after
// NFC, white space collapsing and removal of parenthesised parts on both sides, it equals
// the gold name or one of the gold's parenthesised parts (the outlet).
func speakerMatches(pred, gold string) bool {
	p, _ := speakerForms(pred)
	if p == "" {
		return false
	}
	g, parts := speakerForms(gold)
	if p == g {
		return true
	}
	for _, part := range parts {
		if p == part {
			return true
		}
	}
	return false
}

// cleanMeta turns a raw metadata string (a scraped byline, a title) into plain text:
// HTML entities decoded ("&nbsp;"), no-break and zero-width spaces made spaces, NFC,
// white space collapsed.
func cleanMeta(s string) string {
	s = html.UnescapeString(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u202f', '\u2007', '\u200b', '\ufeff':
			return ' '
		}
		return r
	}, s)
	return collapseSpace(nfc(s))
}
