// Package textfold is the one table of Arabic-script orthographic variants and the one
// digit mapping that dedup, the annotators, date parsing and the evaluators share, so
// that two texts one of them calls equal the others call equal too.
package textfold

import "unicode"

// Drop is what Arabic returns for a rune that folding removes without leaving a word
// boundary.
const Drop rune = -1

// Digit maps the Arabic-Indic (٠–٩) and Extended Arabic-Indic, or Persian, (۰–۹) digits
// to ASCII and returns every other rune unchanged.
func Digit(r rune) rune {
	switch {
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠')
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰')
	}
	return r
}

// Arabic folds the variants that writers, keyboards and CMSs choose between without
// changing the word: harakat, the superscript alef, Quranic annotation marks and tatweel
// are dropped; hamza seats (أ إ آ ٱ ؤ ئ) go to their bare letter, alef maqsura and Farsi
// yeh to yeh, ta marbuta to heh, and Arabic digits to ASCII. ok is false for a rune the
// table does not cover, which the caller folds by its own rules (case, punctuation).
func Arabic(r rune) (folded rune, ok bool) {
	if r < 0x0600 || r > 0x06FF {
		return r, false
	}
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED, r == 0x0640:
		return Drop, true
	case r == 'أ', r == 'إ', r == 'آ', r == 'ٱ':
		return 'ا', true
	case r == 'ؤ':
		return 'و', true
	case r == 'ئ', r == 'ى', r == 'ی':
		return 'ي', true
	case r == 'ة':
		return 'ه', true
	case r >= '٠' && r <= '٩', r >= '۰' && r <= '۹':
		return Digit(r), true
	}
	return r, false
}

// Match is the form in which two spellings of a word compare equal when names, labels,
// targets and features are matched: Arabic folded as above, combining marks and the
// zero-width characters pages leave between letters dropped (Drop), other letters
// lower-cased. Dedup keys fold by their own rules (see Arabic).
func Match(r rune) rune {
	if f, ok := Arabic(r); ok {
		return f
	}
	switch {
	case unicode.IsMark(r), r == '\u200c', r == '\u200d', r == '\u200f', r == '\u200e', r == '\u200b', r == '\ufeff':
		return Drop
	}
	return unicode.ToLower(r)
}
