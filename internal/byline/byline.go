// Package byline is the one reading of byline labels ("By", "بقلم:", "حاوره -",
// "Interviewed by") that corpus, when it stores a byline, and the qa annotator, when it
// reads the interviewer from a stored byline or a lede, share: which words are labels,
// which of them also open ordinary phrases and so count only before a colon or a dash,
// and where the names after a label start.
package byline

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/textfold"
)

// Kind says what a label credits; kinds combine into a set with |.
type Kind uint8

const (
	// Writer labels credit the text: "By", "بقلم", "كتب", "Written by".
	Writer Kind = 1 << iota
	// Interviewer labels credit the interview: "حاوره", "أجرى الحوار", "Interviewed by".
	Interviewer
	// Field labels name a page's author field: "Author", "Autorin", "作者", "Posted by".
	Field
	// Weak labels are the word for "by" in German, French, Spanish and Portuguese, which
	// also opens ordinary phrases ("Von Berlin nach Hamburg", "Par ici") and names ("Von
	// der Leyen"); callers decide when one counts.
	Weak
)

type entry struct {
	word string // folded
	kind Kind
	// ambiguous labels also open ordinary phrases ("حوار مع الوزير", "تقرير عن"): they
	// introduce names only before a colon or a dash.
	ambiguous bool
}

// builtin holds every label of every kind; Labels folds and orders them.
var builtin = []entry{
	{word: "بقلم", kind: Writer},
	{word: "كتب", kind: Writer},
	{word: "كتبت", kind: Writer},
	{word: "تقرير", kind: Writer, ambiguous: true},
	{word: "إعداد", kind: Writer, ambiguous: true},
	{word: "ترجمة", kind: Writer, ambiguous: true},
	{word: "تحرير", kind: Writer, ambiguous: true},
	{word: "متابعة", kind: Writer, ambiguous: true},
	{word: "مراسل", kind: Writer, ambiguous: true},
	{word: "by", kind: Writer},
	{word: "written by", kind: Writer},
	{word: "reporting by", kind: Writer},
	{word: "words by", kind: Writer},
	{word: "story by", kind: Writer},
	{word: "text by", kind: Writer},
	// A genre before the credit ("Analysis by X", "Ein Kommentar von X") is part of the
	// label: the name follows it as after "By".
	{word: "analysis by", kind: Writer},
	{word: "commentary by", kind: Writer},
	{word: "opinion by", kind: Writer},
	{word: "a column by", kind: Writer},
	{word: "an essay by", kind: Writer},
	{word: "ein kommentar von", kind: Writer},
	{word: "eine kolumne von", kind: Writer},
	{word: "eine analyse von", kind: Writer},
	{word: "ein gastbeitrag von", kind: Writer},
	{word: "ein essay von", kind: Writer},
	{word: "ein bericht von", kind: Writer},
	{word: "حوار", kind: Interviewer, ambiguous: true},
	{word: "حاوره", kind: Interviewer},
	{word: "حاورته", kind: Interviewer},
	{word: "حاورها", kind: Interviewer},
	{word: "حاورهم", kind: Interviewer},
	{word: "حاورتها", kind: Interviewer},
	{word: "أجرى الحوار", kind: Interviewer},
	{word: "أجرت الحوار", kind: Interviewer},
	{word: "أجراه", kind: Interviewer},
	{word: "أجرته", kind: Interviewer},
	{word: "interview", kind: Interviewer, ambiguous: true},
	{word: "interview by", kind: Interviewer},
	{word: "interviewed by", kind: Interviewer},
	{word: "conducted by", kind: Interviewer},
	{word: "interview conducted by", kind: Interviewer},
	{word: "interviews conducted by", kind: Interviewer},
	{word: "author", kind: Field},
	{word: "authors", kind: Field},
	{word: "autor", kind: Field},
	{word: "autorin", kind: Field},
	{word: "autoren", kind: Field},
	{word: "作者", kind: Field},
	{word: "submitted by", kind: Field},
	{word: "posted by", kind: Field},
	{word: "von", kind: Weak},
	{word: "par", kind: Weak},
	{word: "por", kind: Weak},
}

// Labels is a set of byline labels. The zero value holds none.
type Labels struct {
	entries []entry // longest first, so "interviewed by" is tried before "interview"
}

// Builtin is the set of the built-in labels of the given kinds.
func Builtin(kinds Kind) Labels {
	var l Labels
	for _, e := range builtin {
		if e.kind&kinds != 0 {
			l.entries = append(l.entries, entry{word: fold(e.word), kind: e.kind, ambiguous: e.ambiguous})
		}
	}
	l.sort()
	return l
}

// With is l and the given labels (a user's own, from configuration: "حوار:", "Text:"),
// which introduce names before a space as well as before a colon. Punctuation at their
// ends is no part of the label.
func (l Labels) With(words ...string) Labels {
	if len(words) == 0 {
		return l // Labels is never changed in place, so the set can be shared
	}
	out := Labels{entries: append([]entry(nil), l.entries...)}
	for _, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
		if w = fold(w); w != "" {
			out.entries = append(out.entries, entry{word: w})
		}
	}
	out.sort()
	return out
}

func (l *Labels) sort() {
	slices.SortStableFunc(l.entries, func(a, b entry) int { return len(b.word) - len(a.word) })
}

// Context is where the text being read stands, which decides when an ambiguous label
// counts.
type Context uint8

const (
	// InLine is a line that may be a byline (a scrape's header line, a page element):
	// an ambiguous label counts only before a colon or a dash.
	InLine Context = iota
	// InProse is a sentence that may open with a credit (a lede paragraph): every label
	// needs a colon or a dash but one ending in "by", which is a credit as it is.
	InProse
	// InField is a value already known to be a byline (a page's author field, a
	// candidate an extractor chose), whose punctuation that extractor may have dropped
	// ("حوار ريم العتيبي" from "حوار: ريم العتيبي"): every label counts.
	InField
)

// Cut is s after a leading label of l and found true when s opens with one; rest is
// empty when s is the label alone ("By", "بقلم:"). The label is matched folded (case,
// harakat, tatweel, hamza seats, ta marbuta; see textfold) and must end the word: "Byron"
// opens with no label. The colon, dash or bar after it is cut too.
func (l Labels) Cut(s string, ctx Context) (rest string, found bool) {
	head := strings.TrimLeftFunc(s, unicode.IsSpace)
	for _, e := range l.entries {
		end, ok := matchFolded(head, e.word)
		if !ok {
			continue
		}
		after := head[end:]
		if r, _ := utf8.DecodeRuneInString(after); after != "" && !endsLabel(r) {
			continue
		}
		after = strings.TrimLeftFunc(after, unicode.IsSpace)
		needsMark := ctx != InField && (e.ambiguous || ctx == InProse && !strings.HasSuffix(e.word, " by"))
		if needsMark && !separated(after) {
			continue
		}
		return strings.TrimLeft(after, " \t\u00a0:：-–—ـ|/"), true
	}
	return s, false
}

// Strip is s without a leading label, or s unchanged when it opens with none or nothing
// follows the label.
func (l Labels) Strip(s string, ctx Context) string {
	if rest, found := l.Cut(s, ctx); found && rest != "" {
		return rest
	}
	return s
}

// separated reports whether t opens with a colon or a dash. Arabic papers write the dash
// as a tatweel standing alone ("حوار ـ محمد"); a tatweel joined to the next word
// stretches that word.
func separated(t string) bool {
	for _, p := range []string{":", "：", "-", "–", "—", "|", "/"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(t, "ـ"); ok {
		r, _ := utf8.DecodeRuneInString(rest)
		return rest == "" || unicode.IsSpace(r)
	}
	return false
}

func endsLabel(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || r == 'ـ' || r == '|'
}

// matchFolded reports whether s opens with word (folded) and the byte length of s that
// matched it: runes folding drops (harakat) are skipped, a run of spaces in s matches one
// space of word, and marks right after the last letter belong to it.
func matchFolded(s, word string) (end int, ok bool) {
	i := 0
	for _, want := range word {
		for {
			if i >= len(s) {
				return 0, false
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if want == ' ' && unicode.IsSpace(r) {
				i += size
				for i < len(s) {
					r, size = utf8.DecodeRuneInString(s[i:])
					if !unicode.IsSpace(r) {
						break
					}
					i += size
				}
				break
			}
			f := textfold.Match(r)
			if f == textfold.Drop {
				i += size
				continue
			}
			if f != want {
				return 0, false
			}
			i += size
			break
		}
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.Is(unicode.Mn, r) {
			break
		}
		i += size
	}
	return i, true
}

// fold is a label as matchFolded compares it: folded runes, one space between words.
func fold(w string) string {
	var b strings.Builder
	for i, f := range strings.Fields(w) {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, r := range f {
			if r = textfold.Match(r); r != textfold.Drop {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// reColonHead is a byline's head of one or two words before a colon and what follows it.
var reColonHead = regexp.MustCompile(`^([\p{L}\p{M}.]+(?:\s+[\p{L}\p{M}.]+)?)\s*[:：]\s*(\S+(?:\s+\S+)+)$`)

// DatelineFree is s without the head of one or two words and colon that comes before the
// names of a byline: a dateline ("جدة: أسماء الغابري") or a label no table holds
// ("Autorin: Eva Roth", "حوار وتصوير: نوف السالم"). It cuts only before a part of two
// words or more with a letter in it, which a name needs; s is returned unchanged
// otherwise.
func DatelineFree(s string) string {
	m := reColonHead.FindStringSubmatch(s)
	if m == nil || !strings.ContainsFunc(m[2], unicode.IsLetter) {
		return s
	}
	return m[2]
}
