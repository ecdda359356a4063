package byline

// exclusiveMarks are the words a byline sets beside the outlet to say the story is its
// own ("المواطن - خاص", "Exclusive"): no one's name.
var exclusiveMarks = foldedSet("خاص", "خاص بـ", "حصري", "حصريا", "حصرياً", "exclusive", "exklusiv", "exclusif", "exclusivo")

// IsExclusiveMark reports whether s is a word that marks a story as the outlet's own.
func IsExclusiveMark(s string) bool { return exclusiveMarks[fold(s)] }

// deskCredits are bylines that credit the newsroom, not a person ("Staff Reporter",
// "مراسلنا"): under an interview they name no one who asked.
var deskCredits = foldedSet(
	"staff", "staff reporter", "staff reporters", "staff writer", "staff writers", "staff report",
	"our correspondent", "our reporter", "our staff", "web desk", "news desk", "online desk", "digital desk",
	"editorial staff", "editorial team", "editorial board", "newsroom", "the newsroom",
	"مراسلنا", "محررنا", "فريق التحرير", "قسم التحرير", "هيئة التحرير", "أسرة التحرير", "المحرر",
)

// IsDeskCredit reports whether s credits the newsroom rather than a person.
func IsDeskCredit(s string) bool { return deskCredits[fold(s)] }

// foldedSet is a set of phrases as fold compares them (case, Arabic spelling variants and
// spacing folded).
func foldedSet(phrases ...string) map[string]bool {
	m := make(map[string]bool, len(phrases))
	for _, p := range phrases {
		m[fold(p)] = true
	}
	return m
}
