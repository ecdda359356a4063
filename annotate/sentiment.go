package annotate

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/newsds/newsds/schema"
)

// The shipped models, trained by TrainSentiment and TrainStance on the shared sets
// (see the model headers for the files, their hashes and the held-out rule).
var (
	//go:embed models/sentiment.lm
	sentimentModelFile []byte
	//go:embed models/stance.lm
	stanceModelFile []byte
)

// Feature-set identifiers, stored in model files: a model is only used with the
// feature code it was trained with.
const (
	sentimentFeatures = "words1-2+emoji,charwb2-5/tfidf-sublinear/v2"
	stanceFeatures    = "text,pair:novel+missing+overlap+content-overlap(xnegation)+negation,polarity(lexicon)(xnegation),cross/tfidf-sublinear/v5"
)

// 1.1.0: spans are read by sentence votes over clauses that keep their discourse markers.
const sentimentVersion = "1.1.0"

func sentimentLabels() []string { return slices.Clone(schema.SentimentLabels) }
func stanceLabels() []string    { return slices.Clone(schema.StanceLabels) }

// decoded shipped models, decoded once; they are never modified after decoding.
var shippedModels = sync.OnceValues(func() (map[string]*linearModel, error) {
	out := map[string]*linearModel{}
	for kind, b := range map[string][]byte{"sentiment": sentimentModelFile, "stance": stanceModelFile} {
		m, err := decodeModel(b)
		if err != nil {
			return nil, fmt.Errorf("shipped %s model: %w", kind, err)
		}
		out[kind] = m
	}
	return out, nil
})

// loadModel returns the shipped model of kind, or the model in file when given.
func loadModel(kind, file string) (*linearModel, error) {
	var m *linearModel
	if file == "" {
		ms, err := shippedModels()
		if err != nil {
			return nil, err
		}
		m = ms[kind]
	} else {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("%s model: %w", kind, err)
		}
		if m, err = decodeModel(b); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	want := map[string]string{"sentiment": sentimentFeatures, "stance": stanceFeatures}[kind]
	if m.Task != kind || m.Features != want {
		return nil, fmt.Errorf("%s model: file holds a %q model with features %q, want %q", kind, m.Task, m.Features, want)
	}
	return m, nil
}

func modelBytes(kind, file string) ([]byte, error) {
	if file != "" {
		return os.ReadFile(file)
	}
	if kind == "stance" {
		return stanceModelFile, nil
	}
	return sentimentModelFile, nil
}

// SentimentOptions configures NewSentiment.
type SentimentOptions struct {
	// ModelFile replaces the shipped model (a file written by TrainSentiment).
	ModelFile string
}

// NewSentiment returns the sentiment annotator (layer sentiment): negative / neutral /
// positive with a score for the document, each paragraph and each Q&A answer turn.
// Arabic text goes through the shipped linear model, other text through the English
// lexicon with negation, intensifier and "but" rules.
func NewSentiment(opts SentimentOptions) (Annotator, error) {
	m, err := loadModel("sentiment", opts.ModelFile)
	if err != nil {
		return nil, err
	}
	b, err := modelBytes("sentiment", opts.ModelFile)
	if err != nil {
		return nil, err
	}
	return &sentimentAnnotator{sc: newSentimentScorer(m), hash: sha256Hex(b)}, nil
}

type sentimentAnnotator struct {
	sc   *sentimentScorer
	hash string
}

func (a *sentimentAnnotator) Info() schema.Annotator {
	return schema.Annotator{Name: "sentiment", Version: sentimentVersion, Kind: schema.KindModel, ParamsHash: a.hash}
}

func (a *sentimentAnnotator) Layer() string { return schema.LayerSentiment }

func (a *sentimentAnnotator) Annotate(ctx context.Context, doc *schema.Document) ([]schema.Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(doc.Text) == "" {
		return nil, nil
	}
	// Every clause is scored once; documents, paragraphs and answers are read from the
	// clauses inside them (see aggregate).
	var cl []clauseScore
	idx := schema.NewTextIndex(doc.Text)
	for _, p := range doc.Paragraphs() {
		c, err := a.sc.clauseScores(idx, p.Start, p.End)
		if err != nil {
			return nil, fmt.Errorf("sentiment: paragraph at %d: %w", p.Start, err)
		}
		cl = append(cl, c...)
	}
	whole := a.sc.aggregate(cl, 0, runeCount(doc.Text))
	if whole == nil {
		whole = readingOf(a.sc.probs3(doc.Text))
	}
	label, score := a.sc.pick(whole)
	items := []schema.Item{{Label: label, Score: schema.Float(score), Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}}}
	span := func(start, end int, attrs map[string]string) error {
		it, err := idx.Span(start, end)
		if err != nil {
			return err
		}
		p := a.sc.aggregate(cl, start, end)
		if p == nil {
			p = readingOf(a.sc.probs3(it.Text))
		}
		l, s := a.sc.pick(p)
		it.Label, it.Score, it.Attrs = l, schema.Float(s), attrs
		items = append(items, it)
		return nil
	}
	for i, p := range doc.Paragraphs() {
		if err := span(p.Start, p.End, map[string]string{schema.AttrScope: schema.ScopeParagraph, schema.AttrParagraph: strconv.Itoa(i)}); err != nil {
			return nil, fmt.Errorf("sentiment: paragraph %d: %w", i, err)
		}
	}
	for i, t := range findTurns(doc) {
		if t.Label != "answer" {
			continue
		}
		if err := span(t.Start, t.End, map[string]string{schema.AttrScope: schema.ScopeAnswer, schema.AttrTurn: strconv.Itoa(i + 1)}); err != nil {
			return nil, fmt.Errorf("sentiment: turn %d: %w", i+1, err)
		}
	}
	sortItems(items, schema.AttrScope)
	return items, nil
}

// sortItems orders items by (start, end, label), document-level items first, then by
// the attribute tie, so output never depends on discovery order.
func sortItems(items []schema.Item, tie string) {
	pos := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	slices.SortStableFunc(items, func(a, b schema.Item) int {
		return cmp.Or(cmp.Compare(pos(a.Start), pos(b.Start)), cmp.Compare(pos(a.End), pos(b.End)),
			cmp.Compare(a.Label, b.Label), cmp.Compare(a.Attrs[tie], b.Attrs[tie]))
	})
}

// sentimentScorer classifies one text. It is safe for concurrent use: the model is
// read-only and each call takes a featurizer of its own from the pool.
type sentimentScorer struct {
	m *linearModel
	// featurizers are reused across calls (their buffers are the main allocation).
	featurizers sync.Pool
}

func newSentimentScorer(m *linearModel) *sentimentScorer {
	s := &sentimentScorer{m: m}
	s.featurizers.New = func() any { return newFeaturizer(m.Bits, m.IDF) }
	return s
}

// classify returns the label and its score in [0,1]: the model probability for Arabic
// text, a confidence derived from the lexicon compound for other text.
func (s *sentimentScorer) classify(text string) (string, float64) {
	if s.useModel(text) {
		p := s.probs(text)
		i := argmax(p)
		return s.m.Labels[i], round4(p[i])
	}
	c := s.m.Lexicon.compound(text)
	switch compoundSign(c) {
	case 1:
		return "positive", round4(0.5 + c/2)
	case -1:
		return "negative", round4(0.5 - c/2)
	}
	return "neutral", round4(1 - math.Abs(c)/(2*lexThreshold))
}

// useModel reports whether text goes to the model rather than the English lexicon:
// Arabic text, and text with no letters at all (an emoji-only tweet), which the model
// has features for and the lexicon does not.
func (s *sentimentScorer) useModel(text string) bool {
	if len(s.m.Lexicon) == 0 || isArabic(text) {
		return true
	}
	// The letters of a link or an @handle say nothing about the language of the text:
	// "رائع جدا https://t.co/hrBeHbkBNu" has more Latin letters than Arabic ones.
	text = withoutLinks(text)
	if isArabic(text) {
		return true
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// withoutLinks returns text with URLs and @mentions blanked out.
func withoutLinks(text string) string {
	if strings.Contains(text, "://") || strings.Contains(strings.ToLower(text), "www.") {
		text = reURL.ReplaceAllString(text, " ")
	}
	if strings.Contains(text, "@") {
		text = reMention.ReplaceAllString(text, " ")
	}
	return text
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// probs3 returns (negative, neutral, positive) probabilities: the model's for Arabic
// text; for other text, the lexicon confidence on its label and the rest shared evenly.
func (s *sentimentScorer) probs3(text string) []float64 {
	if s.useModel(text) {
		return s.probs(text)
	}
	label, score := s.classify(text)
	p := []float64{(1 - score) / 2, (1 - score) / 2, (1 - score) / 2}
	p[slices.Index(schema.SentimentLabels, label)] = score
	return p
}

// newsProbs is probs3 for news text: for Arabic, the model probabilities divided by
// the square root of the model's news-domain prior and renormalised. The full division
// (the prior-shift correction) overshoots: ANS headlines are more often about crises
// than news at large, and it turns "this is a great tragedy for us" positive.
func (s *sentimentScorer) newsProbs(text string) []float64 {
	p := s.probs3(text)
	if len(s.m.NewsPrior) != len(p) || !(s.useModel(text)) {
		return p
	}
	var sum float64
	for i := range p {
		if s.m.NewsPrior[i] > 0 {
			p[i] /= math.Sqrt(s.m.NewsPrior[i])
		}
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// probs runs the linear model.
func (s *sentimentScorer) probs(text string) []float64 {
	f := s.featurizers.Get().(*featurizer)
	defer s.featurizers.Put(f)
	return s.m.predict(sentimentVector(f, labelledRow{Text: text}))
}

// lexThreshold is the compound magnitude below which English text is neutral.
const lexThreshold = 0.05

var (
	enNegators = map[string]bool{"not": true, "no": true, "never": true, "none": true, "nobody": true, "nothing": true,
		"neither": true, "nor": true, "without": true, "hardly": true, "cannot": true, "nowhere": true}
	enBoosters = map[string]float64{"very": 0.3, "extremely": 0.3, "really": 0.3, "so": 0.2, "too": 0.2, "incredibly": 0.3,
		"absolutely": 0.3, "highly": 0.3, "deeply": 0.3, "most": 0.2, "totally": 0.3, "truly": 0.3, "utterly": 0.3,
		"especially": 0.2, "remarkably": 0.3, "hugely": 0.3, "exceptionally": 0.3, "particularly": 0.2, "quite": 0.1,
		"slightly": -0.3, "somewhat": -0.3, "barely": -0.3, "marginally": -0.3, "partly": -0.2, "little": -0.2}
)

func isNegator(w string) bool {
	return enNegators[w] || strings.HasSuffix(w, "n't")
}

// lexicon is an English valence lexicon, values on -1..1 (loadLexicons).
type lexicon map[string]float64

// polarity is the sign of text's compound (compoundSign).
func (l lexicon) polarity(text string) int { return compoundSign(l.compound(text)) }

// compoundSign is -1, 0 (within lexThreshold of zero) or 1: how English sentiment labels
// a compound, and the polarity stance reads.
func compoundSign(c float64) int {
	switch {
	case c >= lexThreshold:
		return 1
	case c <= -lexThreshold:
		return -1
	}
	return 0
}

// compound scores English text: the mean, over its sentences, of a normalised sum of
// lexicon valences, each flipped and damped after a negator in the three words before
// it, raised or lowered by a booster just before it, and weighted toward the clause
// after "but".
func (l lexicon) compound(text string) float64 {
	var sum float64
	n := 0
	for _, r := range sentenceRanges(text, 0) {
		sent, err := schema.SliceCP(text, r.Start, r.End)
		if err != nil {
			continue
		}
		sum += l.sentenceCompound(sent)
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func (l lexicon) sentenceCompound(sent string) float64 {
	toks := tokens(sent)
	but := slices.Index(toks, "but")
	var sum float64
	for i, w := range toks {
		v, ok := l[w]
		first := i // first token of the matched term
		if i > 0 {
			// a two-word term ("not good", "no fun") already carries its negation
			if bv, ok2 := l[toks[i-1]+" "+w]; ok2 {
				v, ok, first = bv, true, i-1
			}
		}
		if !ok || v == 0 {
			continue
		}
		v *= 4 // lexicon values are stored on -1..1; the rules work on VADER's -4..4
		for j := first - 1; j >= max(0, first-3); j-- {
			if b, ok := enBoosters[toks[j]]; ok && j == first-1 {
				v += math.Copysign(b, v)
			}
			if isNegator(toks[j]) {
				v *= -0.74
				break
			}
		}
		switch {
		case but >= 0 && i < but:
			v *= 0.5
		case but >= 0 && i > but:
			v *= 1.5
		}
		sum += v
	}
	if sum != 0 {
		sum += math.Copysign(0.29*float64(min(strings.Count(sent, "!"), 4)), sum)
	}
	return sum / math.Sqrt(sum*sum+15)
}
