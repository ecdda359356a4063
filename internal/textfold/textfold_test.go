package textfold

import (
	"strings"
	"testing"
)

func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if f, ok := Arabic(r); ok {
			return f
		}
		return r
	}, s)
}

// The variants the dedup folder and the annotators used to disagree on (hamza on waw and
// yeh, Farsi yeh, Quranic marks) fold the same way for both now.
func TestArabicVariants(t *testing.T) {
	cases := []struct{ in, want string }{
		{"مسؤول", "مسوول"},
		{"رئيس", "رييس"},
		{"فارسی", "فارسي"},
		{"مُحَمَّد", "محمد"},
		{"أإآٱ", "اااا"},
		{"مدرسة", "مدرسه"},
		{"مستشفى", "مستشفي"},
		{"جمـــيل", "جميل"},
		{"ذَٰلِكَ", "ذلك"},
		{"الرَّحِيمِ ۝١", "الرحيم 1"},
		{"٢٠٢٢ ۱۴۰۱", "2022 1401"},
	}
	for _, c := range cases {
		if got := fold(c.in); got != c.want {
			t.Errorf("fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestArabicLeavesOtherRunesToTheCaller(t *testing.T) {
	for _, r := range []rune{'A', 'z', '5', '،', '؟', 'ب', 'é', '中'} {
		if f, ok := Arabic(r); ok {
			t.Errorf("Arabic(%q) = %q, true; want the rune left to the caller", r, f)
		}
	}
}

func TestDigit(t *testing.T) {
	for in, want := range map[rune]rune{'٠': '0', '٩': '9', '۰': '0', '۹': '9', '7': '7', 'x': 'x'} {
		if got := Digit(in); got != want {
			t.Errorf("Digit(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	match := func(s string) string {
		return strings.Map(func(r rune) rune { return Match(r) }, s)
	}
	for in, want := range map[string]string{
		"Qatar":        "qatar",
		"أزمة":         "ازمه",
		"بِقَلَمِ":     "بقلم",
		"Ame\u0301lie": "amelie",
		"By\u200bline": "byline",
		"Straße ١٢":    "straße 12",
	} {
		if got := match(in); got != want {
			t.Errorf("Match over %q = %q, want %q", in, got, want)
		}
	}
}
