package annotate

import (
	"strings"
)

// What role a named entity plays in a clause that mentions it. Entity stance reads the
// sentiment of the clause around the name; that is a judgement of the entity only when
// the entity is what the clause talks about. A clause that tells what befalls it
// ("Kazakhstan faced the worst crisis in its history", "تعرضت كازاخستان لعدوان") is
// negative about the events, and a reader does not count it as a stance against the
// entity.
//
// The entity as a place ("violence broke out in X") was tried as a third role and
// dropped: "في"/"in" also introduces what is judged ("the reports in the foreign media
// are superficial"), and on the demo sample it silenced the sentences that fault the
// media.

type targetRole int

const (
	roleJudged      targetRole = iota // the clause may be about the entity
	roleExperiencer                   // the entity undergoes what the clause reports
)

// foldedSet is a set of words in the form tokens gives them.
type foldedSet map[string]bool

func newFoldedSet(words ...string) foldedSet {
	s := foldedSet{}
	for _, w := range words {
		for _, t := range tokens(w) {
			s[t] = true
		}
	}
	return s
}

// The word lists are built once and never changed.
var (
	// verbs whose subject undergoes an event (faced, suffered, was subjected to), in the
	// past and present forms news uses.
	experiencerVerbs = newFoldedSet("شهد", "شهدت", "يشهد", "تشهد", "واجه", "واجهت", "يواجه", "تواجه",
		"تعرض", "تعرضت", "يتعرض", "تتعرض", "عانى", "عانت", "يعاني", "تعاني", "هوجم", "هوجمت", "أصيب", "أصيبت",
		"منيت", "مني", "faced", "faces", "facing", "suffered", "suffers", "suffering", "witnessed", "experienced",
		"endured", "underwent", "undergoes")
	// passive participles that, after "was"/"were"/"has been", make the subject a patient.
	patientParticiples = newFoldedSet("attacked", "hit", "struck", "targeted", "invaded", "hurt", "shaken", "rocked", "subjected")
	beWords            = newFoldedSet("was", "were", "is", "are", "been", "be")
)

// roleOf returns the role of the target in the clause toks given its mention spans:
// judged when any mention is (a clause that says what befell the entity and judges it,
// judges it).
func roleOf(toks []string, spans [][2]int) targetRole {
	for _, sp := range spans {
		if mentionRole(toks, sp) == roleJudged {
			return roleJudged
		}
	}
	return roleExperiencer
}

func mentionRole(toks []string, sp [2]int) targetRole {
	// an experiencer verb just before (VSO: "تعرضت كازاخستان") or just after (SVO:
	// "كازاخستان شهدت", "Kazakhstan faced")
	for j := max(0, sp[0]-2); j < sp[0]; j++ {
		if experiencerVerbs[toks[j]] && isArabic(toks[j]) {
			return roleExperiencer
		}
	}
	for j := sp[1]; j < min(len(toks), sp[1]+3); j++ {
		if experiencerVerbs[toks[j]] {
			return roleExperiencer
		}
		if patientParticiples[toks[j]] && j > sp[1] && beWords[toks[j-1]] {
			return roleExperiencer
		}
	}
	return roleJudged
}

// entityMention scores a sentence that names an entity target: the clauses that
// mention it, the name removed, read by the sentiment model (negative, neutral,
// positive are against, neutral, favor). Only clauses in which the entity is judged
// vote; a sentence where it only undergoes events votes neutral.
func (a *stanceAnnotator) entityMention(t compiledTarget, sentence string) mention {
	runes := []rune(sentence)
	var judged, other [][]float64
	for _, c := range clauseRanges(runes, cpRange{0, len(runes)}) {
		toks := tokens(string(runes[c.Start:c.End]))
		spans := t.mentionSpans(toks)
		if len(spans) == 0 {
			continue
		}
		p := a.sent.newsProbs(strings.Join(withoutSpans(toks, spans), " "))
		if roleOf(toks, spans) == roleJudged {
			judged = append(judged, p)
		} else {
			other = append(other, p)
		}
	}
	neutral := 1 // stance labels: against, neutral, favor
	switch {
	case len(judged) > 0:
		p := meanOf(judged)
		return mention{p: p, side: argmax(p)}
	case len(other) > 0:
		return mention{p: meanOf(other), side: neutral}
	}
	// the mention spans a comma (a name written "Kazakhstan, Republic of"): the sentence whole
	toks := tokens(sentence)
	p := a.sent.newsProbs(strings.Join(withoutSpans(toks, t.mentionSpans(toks)), " "))
	return mention{p: p, side: argmax(p)}
}

func meanOf(ps [][]float64) []float64 {
	out := make([]float64, len(ps[0]))
	for _, p := range ps {
		for i, v := range p {
			out[i] += v / float64(len(ps))
		}
	}
	return out
}
