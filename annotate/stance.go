package annotate

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/newsds/newsds/schema"
)

// 1.1.0: entity stance reads the mention clause, a target that only undergoes events is
// not opposed, neutral when no sentence takes a side.
// 1.2.0: the claim–sentence model counts the content words a sentence shares with its
// claim (ANS held-out macro-F1 0.415 → 0.504, its "other" class found at all).
//
// 1.3.0: and that count beside whether each side negates, as one feature: a restated
// claim with a negation of its own contradicts it, a linear model cannot read that from
// the two apart (ANS held-out 0.504 → 0.510, dev 0.542 → 0.550).
//
// 1.4.0: whether the English lexicon reads claim and text as positive, negative or
// neither, alone and with each side's negation: on claims it never saw, the model had
// done no better than the text alone (Perspectrum dev macro-F1 0.666 → 0.693).
const stanceVersion = "1.4.0"

// negationCues are words that reverse a claim (English and Arabic, folded). A sentence
// that negates where its target does not is the main signal of "against" in the pair sets.
var negationCues = map[string]bool{
	"not": true, "no": true, "never": true, "none": true, "nothing": true, "nobody": true, "cannot": true,
	"without": true, "nor": true, "neither": true, "against": true, "false": true, "deny": true, "denies": true,
	"denied": true, "refuse": true, "refuses": true, "refused": true, "reject": true, "rejects": true, "rejected": true,
	"لا": true, "لم": true, "لن": true, "ليس": true, "ليست": true, "غير": true, "عدم": true, "بدون": true,
	"دون": true, "نفي": true, "ينفي": true, "تنفي": true, "نفت": true, "رفض": true, "يرفض": true, "ترفض": true,
	"رفضت": true, "كاذب": true, "كاذبه": true, "خاطيه": true, "خاطي": true, "مش": true, "ما": true,
}

func hasNegation(toks []string) bool {
	for _, w := range toks {
		if negationCues[w] || strings.HasSuffix(w, "n't") {
			return true
		}
	}
	return false
}

// stanceVector builds the pair features of (target, text) in four blocks: the text's
// own n-grams; the words it adds to the target and the target words it drops, how much
// of the target it repeats (tokens, and content words: sharedContentStems), whether each
// side negates, and that count and negation together; the polarity of each side by the
// English lexicon, alone and with each side's negation; and each dropped word paired with each added one (light stems),
// which learns substitutions such as "ارتفاع" → "انخفاض" (rise → fall) that turn a
// paraphrase into a contradiction.
//
// The n-grams and word pairs learn the claims of the training rows; on a claim never
// seen, a perspective that praises what the claim condemns ("Circumcision is child
// abuse" / "Parents know what is best for their child") undermines it, which the pair
// of polarities says for any claim. The lexicon reads English only: an Arabic pair gets
// no polarity feature, as a constant one would shift that file's decisions.
func stanceVector(f *featurizer, lex lexicon, target, text string) []feature {
	f.addText("s:", text)
	tt, st := tokens(target), tokens(text)
	inT, inS := map[string]bool{}, map[string]bool{}
	for _, w := range tt {
		inT[w] = true
	}
	for _, w := range st {
		inS[w] = true
	}
	tneg, sneg := hasNegation(tt), hasNegation(st)
	f.block()
	var novel, missing []string
	for _, w := range st {
		if !inT[w] {
			novel = append(novel, w)
			f.add("n:", w)
			if tneg {
				f.add("tn:", w)
			}
		}
	}
	shared := 0
	for _, w := range tt {
		if inS[w] {
			shared++
		} else {
			missing = append(missing, w)
			f.add("m:", w)
		}
	}
	if len(tt) > 0 {
		f.add("ov:", strconv.Itoa(shared*4/len(tt)))
	}
	cs := strconv.Itoa(min(sharedContentStems(tt, st), 3))
	f.add("cs:", cs)
	f.add("csneg:", cs+"/"+strconv.FormatBool(tneg)+"/"+strconv.FormatBool(sneg))
	f.add("neg:", fmt.Sprintf("%t/%t", tneg, sneg))
	f.block()
	if !isArabic(target) && !isArabic(text) {
		pol := strconv.Itoa(lex.polarity(target)) + "/" + strconv.Itoa(lex.polarity(text))
		f.add("pol:", pol)
		f.add("polneg:", pol+"/"+strconv.FormatBool(tneg)+"/"+strconv.FormatBool(sneg))
	}
	f.block()
	const maxCross = 12
	for _, m := range missing[:min(len(missing), maxCross)] {
		ms := lightStem(m)
		for _, n := range novel[:min(len(novel), maxCross)] {
			f.add("x:", ms+"|"+lightStem(n))
		}
	}
	return f.vector()
}

// sharedContentStems counts the content words (light stems, function words left out)
// that target and text have in common. A text about something else ("other" in ANS:
// another story of the same day) shares at most a name with its target, while one that
// agrees or disagrees restates most of it; the raw token overlap counts "في", "the" and
// the inflections apart.
func sharedContentStems(target, text []string) int {
	stems := map[string]bool{}
	for _, w := range target {
		if isContentWord(w) {
			stems[lightStem(w)] = true
		}
	}
	n := 0
	for _, w := range text {
		if !isContentWord(w) {
			continue
		}
		if s := lightStem(w); stems[s] {
			n++
			delete(stems, s)
		}
	}
	return n
}

// functionWords are the prepositions, pronouns, auxiliaries and conjunctions of three
// letters or more, in Arabic and English, folded as tokens are; shorter words are never
// content words.
var functionWords = foldSet(
	"على", "إلى", "هذه", "هذا", "ذلك", "تلك", "التي", "الذي", "الذين", "حتى", "إذا", "بعد", "قبل", "عند",
	"حول", "بين", "منذ", "خلال", "كان", "كانت", "يكون", "تكون", "لكن", "أنه", "أنها", "ضمن", "عبر", "لدى",
	"فيه", "فيها", "منه", "منها", "عليه", "عليها",
	"the", "and", "for", "with", "that", "this", "from", "are", "was", "were", "has", "have", "had", "will",
	"would", "should", "can", "could", "its", "their", "they", "them", "not", "but", "all", "more", "than",
	"into", "about", "been", "which", "who", "what", "there", "these", "those",
)

func isContentWord(w string) bool {
	return runeCount(w) >= 3 && !functionWords[w]
}

// lightStem strips an Arabic article or proclitic and cuts a word to five letters, so
// that the pair features of different inflections meet.
func lightStem(w string) string {
	if isArabic(w) {
		for _, p := range []string{"وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف"} {
			if strings.HasPrefix(w, p) && runeCount(w)-runeCount(p) >= 3 {
				w = w[len(p):]
				break
			}
		}
	}
	return firstRunes(w, 5)
}

// stanceModel classifies (target, text) pairs; safe for concurrent use.
type stanceModel struct{ m *linearModel }

func (s *stanceModel) probs(target, text string) []float64 {
	return s.m.predict(stanceVector(newFeaturizer(s.m.Bits, s.m.IDF), s.m.Lexicon, target, text))
}

// StanceOptions configures NewStance.
type StanceOptions struct {
	// ModelFile replaces the shipped claim–sentence model (a file written by TrainStance).
	ModelFile string
	// SentimentModelFile replaces the shipped sentiment model used for entity targets.
	SentimentModelFile string
}

// NewStance returns the stance annotator (layer stance): for each target the document
// mentions, one item with favor / against / neutral, a score, the target name in attr
// target, and as span the mention sentence that decided the label. Targets the document
// does not mention get no item.
//
// A target that is an entity (a country, an organisation) takes the stance of the
// sentiment expressed in the clauses that mention it (entityMention): no labelled entity-stance set
// exists for Arabic or English news in the shared data, and the pair sets (ANS,
// Perspectrum) pair a claim with a sentence. A target with a Claim is scored with the
// claim–sentence model trained on those sets, the setting EvalClassifier measures.
func NewStance(targets []Target, opts StanceOptions) (Annotator, error) {
	if len(targets) == 0 {
		return nil, errors.New("stance: no targets (give a targets file)")
	}
	if err := checkTargets(targets); err != nil {
		return nil, fmt.Errorf("stance: %w", err)
	}
	m, err := loadModel("stance", opts.ModelFile)
	if err != nil {
		return nil, err
	}
	sm, err := loadModel("sentiment", opts.SentimentModelFile)
	if err != nil {
		return nil, err
	}
	b, err := modelBytes("stance", opts.ModelFile)
	if err != nil {
		return nil, err
	}
	sb, err := modelBytes("sentiment", opts.SentimentModelFile)
	if err != nil {
		return nil, err
	}
	a := &stanceAnnotator{model: &stanceModel{m: m}, sent: newSentimentScorer(sm)}
	canon := make([]Target, len(targets))
	for i, t := range targets {
		al := slices.Clone(t.Aliases)
		slices.Sort(al)
		canon[i] = Target{Name: t.Name, Aliases: al, Claim: t.Claim}
		a.targets = append(a.targets, compileTarget(t))
	}
	slices.SortFunc(canon, func(x, y Target) int { return strings.Compare(x.Name, y.Name) })
	tj, err := json.Marshal(canon)
	if err != nil {
		return nil, fmt.Errorf("stance: %w", err)
	}
	a.hash = sha256Hex([]byte(sha256Hex(b) + "\n" + sha256Hex(sb) + "\n" + string(tj)))
	return a, nil
}

type stanceAnnotator struct {
	model   *stanceModel
	sent    *sentimentScorer
	targets []compiledTarget
	hash    string
}

// compiledTarget holds the folded token sequences of a target's name and aliases.
type compiledTarget struct {
	name, claim string
	forms       [][]string
}

func compileTarget(t Target) compiledTarget {
	ct := compiledTarget{name: t.Name, claim: strings.TrimSpace(t.Claim)}
	for _, s := range append([]string{t.Name}, t.Aliases...) {
		if toks := tokens(s); len(toks) > 0 {
			ct.forms = append(ct.forms, toks)
		}
	}
	return ct
}

// arProclitics are the prefixes a name takes in Arabic running text: "لقطر", "بالدوحة",
// "وللإعلام". Only matched on Arabic forms.
var arProclitics = []string{"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "ال", "وال", "بال", "لل", "فال", "كال", "ولل"}

// mentions reports whether toks contain one of the target's forms, and returns toks
// with every mention removed: the sentiment toward a target must come from what the
// sentence says about it, not from the polarity its name had in the training tweets.
func (ct compiledTarget) mentions(toks []string) (bool, []string) {
	spans := ct.mentionSpans(toks)
	if len(spans) == 0 {
		return false, nil
	}
	return true, withoutSpans(toks, spans)
}

// mentionSpans returns the token ranges [start, end) of every mention of the target.
func (ct compiledTarget) mentionSpans(toks []string) [][2]int {
	var out [][2]int
	for _, form := range ct.forms {
		ar := isArabic(form[0])
		for i := 0; i+len(form) <= len(toks); i++ {
			if matchFirst(toks[i], form[0], ar) && slices.Equal(toks[i+1:i+len(form)], form[1:]) {
				out = append(out, [2]int{i, i + len(form)})
			}
		}
	}
	// An alias inside a longer form ("معاهدة الأمن الجماعي" in "منظمة معاهدة الأمن
	// الجماعي") is the same mention: keep the longest, so that its context is the
	// context of the whole name.
	slices.SortFunc(out, func(x, y [2]int) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(y[1], x[1])) })
	kept := out[:0]
	for _, sp := range out {
		if n := len(kept); n > 0 && sp[0] >= kept[n-1][0] && sp[1] <= kept[n-1][1] {
			continue
		}
		kept = append(kept, sp)
	}
	return kept
}

// withoutSpans returns toks less the tokens inside spans.
func withoutSpans(toks []string, spans [][2]int) []string {
	drop := make([]bool, len(toks))
	for _, sp := range spans {
		for j := sp[0]; j < sp[1]; j++ {
			drop[j] = true
		}
	}
	rest := make([]string, 0, len(toks))
	for i, w := range toks {
		if !drop[i] {
			rest = append(rest, w)
		}
	}
	return rest
}

func matchFirst(tok, form string, arabic bool) bool {
	if tok == form {
		return true
	}
	if !arabic {
		// English possessive: "Qatar's", "the Ministers'"
		return tok == form+"'s" || tok == form+"'"
	}
	for _, p := range arProclitics[1:] {
		if strings.HasPrefix(tok, p) && tok[len(p):] == form {
			return true
		}
		// "ال" + "الدوحه" is written "الدوحه", and "ل" + "ال..." as "لل...".
		if p == "ل" && strings.HasPrefix(form, "ال") && tok == "لل"+form[len("ال"):] {
			return true
		}
	}
	return false
}

func (a *stanceAnnotator) Info() schema.Annotator {
	return schema.Annotator{Name: "stance", Version: stanceVersion, Kind: schema.KindModel, ParamsHash: a.hash}
}

func (a *stanceAnnotator) Layer() string { return schema.LayerStance }

// mention is one sentence that names the target: its probabilities and the label it
// votes for (the most probable one, unless the target's role in it rules a side out).
type mention struct {
	r    cpRange
	p    []float64
	side int
}

func (a *stanceAnnotator) Annotate(ctx context.Context, doc *schema.Document) ([]schema.Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type sentence struct {
		r    cpRange
		text string
		toks []string
	}
	var sents []sentence
	idx := schema.NewTextIndex(doc.Text)
	for _, p := range doc.Paragraphs() {
		for _, r := range sentenceRanges(p.Text, p.Start) {
			s, err := idx.Slice(r.Start, r.End)
			if err != nil {
				return nil, fmt.Errorf("stance: sentence [%d,%d): %w", r.Start, r.End, err)
			}
			sents = append(sents, sentence{r, s, tokens(s)})
		}
	}
	var items []schema.Item
	for _, t := range a.targets {
		var ms []mention
		for _, s := range sents {
			// A question (an interviewer's, or a rhetorical one) asks; it takes no side.
			if q := trimEndPunct(s.text); strings.HasSuffix(q, "?") || strings.HasSuffix(q, "؟") {
				continue
			}
			spans := t.mentionSpans(s.toks)
			if len(spans) == 0 {
				continue
			}
			var m mention
			if t.claim != "" {
				m.p = a.model.probs(t.claim, s.text)
				m.side = argmax(m.p)
			} else {
				m = a.entityMention(t, s.text)
			}
			m.r = s.r
			ms = append(ms, m)
		}
		if len(ms) == 0 {
			continue
		}
		c, score, best := documentStance(ms, a.model.m.Labels)
		it, err := idx.Span(best.r.Start, best.r.End)
		if err != nil {
			return nil, err
		}
		it.Label = a.model.m.Labels[c]
		it.Score = schema.Float(round4(score))
		it.Attrs = map[string]string{schema.AttrTarget: t.name}
		items = append(items, it)
	}
	sortItems(items, schema.AttrTarget)
	return items, nil
}

// documentStance decides the stance of a document toward a target from its mention
// sentences: each sentence votes for its side (its most probable label, unless the
// target's role rules the side out: entityMention), and the document takes the side
// (favor or against) with more votes, neutral when no sentence takes one. A tie goes to
// the side with the larger summed probability.
//
// The mean of the probabilities is what it replaced: most sentences that name a target
// only report (who asked whom, where troops went), and their mass — spread thin over
// all three labels by a model that learnt from tweets — outweighed the few sentences
// that say what the speaker thinks of it. A reader counts what is said for and against.
//
// It returns the label index, its score (the mean probability of the label over the
// sentences that voted for it) and the evidence: the voter that gives the label the
// highest probability.
func documentStance(ms []mention, labels []string) (int, float64, mention) {
	neutral := slices.Index(labels, "neutral")
	votes := make([]int, len(labels))
	sum := make([]float64, len(labels))
	for _, m := range ms {
		votes[m.side]++
		for c, v := range m.p {
			sum[c] += v
		}
	}
	c := neutral
	for i := range labels {
		if i == neutral || votes[i] == 0 {
			continue
		}
		if c == neutral || votes[i] > votes[c] || votes[i] == votes[c] && sum[i] > sum[c] {
			c = i
		}
	}
	var score float64
	n := 0
	best := -1
	for i, m := range ms {
		if m.side != c {
			continue
		}
		score += m.p[c]
		n++
		if best < 0 || m.p[c] > ms[best].p[c] {
			best = i
		}
	}
	return c, score / float64(n), ms[best]
}
