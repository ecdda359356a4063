package byline

import "strings"

// exclusiveMarks are the words a byline sets beside the outlet to say the story is its
// own ("المواطن - خاص", "Exclusive"): no one's name.
var exclusiveMarks = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"خاص", "خاص بـ", "حصري", "حصريا", "حصرياً", "exclusive", "exklusiv", "exclusif", "exclusivo"} {
		m[fold(strings.ToLower(w))] = true
	}
	return m
}()

// IsExclusiveMark reports whether s is a word that marks a story as the outlet's own.
func IsExclusiveMark(s string) bool {
	return exclusiveMarks[fold(strings.ToLower(strings.TrimSpace(s)))]
}

// deskCredits are bylines that credit the newsroom, not a person ("Staff Reporter",
// "مراسلنا"): under an interview they name no one who asked.
var deskCredits = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"staff", "staff reporter", "staff reporters", "staff writer", "staff writers", "staff report",
		"our correspondent", "our reporter", "our staff", "web desk", "news desk", "online desk", "digital desk",
		"editorial staff", "editorial team", "editorial board", "newsroom", "the newsroom",
		"مراسلنا", "محررنا", "فريق التحرير", "قسم التحرير", "هيئة التحرير", "أسرة التحرير", "المحرر",
	} {
		m[fold(w)] = true
	}
	return m
}()

// IsDeskCredit reports whether s credits the newsroom rather than a person.
func IsDeskCredit(s string) bool {
	return deskCredits[fold(strings.ToLower(strings.TrimSpace(s)))]
}
