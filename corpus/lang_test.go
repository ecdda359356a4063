package corpus

import "testing"

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"ثمن سعادة السيد إرمان إيساغالييف، سفير جمهورية كازاخستان لدى الدوحة، موقف دولة قطر من الأحداث الراهنة في بلاده", "ar"},
		{"السفير الكازاخي لـ الشرق: نقدر دعم قطر", "ar"},
		{"عاجل: زلزال يضرب تركيا", "ar"},
		{"President Barack Obama has admitted that his failure to pass gun safety laws is the greatest frustration of his presidency.", "en"},
		{"The harbour reopens after the storm", "en"},
		{"Obama says gun laws are his biggest frustration", "en"},
		{"Der Nervenkrieg um den Brexit geht in die nächste Runde, und die Regierung in London sucht weiter nach einer Lösung.", "de"},
		{"این یک متن فارسی است که برای آزمایش تشخیص زبان نوشته شده است و کلمه‌های گوناگونی دارد", "fa"},
		{"", ""},
		{"12345 !!!", ""},
		{"OK", ""},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.text); got != tt.want {
			t.Errorf("DetectLang(%.40q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
