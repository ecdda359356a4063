package annotate

import (
	"cmp"
	"slices"

	"github.com/newsds/newsds/schema"
)

// How the sentiment annotator reads a span longer than a sentence (a paragraph, an
// answer, the document) from the scores of its clauses.

// clauseScore is the probabilities of one clause, its weight (its word count) and the
// sentence it belongs to (the document code point where that sentence starts).
type clauseScore struct {
	r    cpRange
	p    []float64
	w    float64
	sent int
}

// clauseScores splits [start, end) of text into clauses — sentences, cut again at
// commas, short fragments joined to the clause they introduce (clauseRanges) — and
// scores each. The model learnt from tweets, a sentence or two each; a news paragraph
// runs many clauses together, and scored whole it drifts to the polarity of its
// strongest words.
func (s *sentimentScorer) clauseScores(idx *schema.TextIndex, start, end int) ([]clauseScore, error) {
	para, err := idx.Slice(start, end)
	if err != nil {
		return nil, err
	}
	// Work on the paragraph's runes: slicing the document by code points for every
	// clause would rescan it from the start each time.
	runes := []rune(para)
	var out []clauseScore
	for _, r := range sentenceRanges(para, 0) {
		for _, c := range clauseRanges(runes, r) {
			t := string(runes[c.Start:c.End])
			out = append(out, clauseScore{cpRange{start + c.Start, start + c.End}, s.newsProbs(t), float64(c.words), start + r.Start})
		}
	}
	return out, nil
}

// spanReading is what aggregate makes of a span: the label index and the mean
// probabilities of its clauses.
type spanReading struct {
	label int
	mean  []float64
}

// aggregate reads the clauses inside [start, end) as a reader does, or returns nil when
// there are none. Each sentence (the word-weighted mean of its clauses) votes negative,
// neutral or positive with its word count; the span takes a side when the sentences
// that take it outweigh those taking the other at least two to one, and is neutral
// otherwise — mixed, when both sides are argued, or plain report, when neither is.
//
// The word-weighted mean over all clauses is what it replaced: an answer that credits a
// government's quick response and then deplores violence averaged to the polarity of
// its longest clauses, and a mean decides by small differences of probability that a
// new model moves; votes decide by what most sentences say.
func (s *sentimentScorer) aggregate(cl []clauseScore, start, end int) *spanReading {
	var mean []float64
	var w float64
	var votes []float64
	// Clauses come in text order: the span's are a run from the first that starts in it,
	// found by search (a long transcript has thousands of spans and clauses).
	first, _ := slices.BinarySearchFunc(cl, start, func(c clauseScore, start int) int { return cmp.Compare(c.r.Start, start) })
	for i := first; i < len(cl) && cl[i].r.Start < end; {
		if cl[i].r.Start < start || cl[i].r.End > end {
			i++
			continue
		}
		if mean == nil {
			mean = make([]float64, len(cl[i].p))
			votes = make([]float64, len(cl[i].p))
		}
		sent := make([]float64, len(mean))
		var sw float64
		j := i
		for ; j < len(cl) && cl[j].sent == cl[i].sent && cl[j].r.End <= end; j++ {
			for k, v := range cl[j].p {
				sent[k] += cl[j].w * v
				mean[k] += cl[j].w * v
			}
			sw += cl[j].w
		}
		w += sw
		votes[argmax(sent)] += sw
		i = j
	}
	if mean == nil {
		return nil
	}
	for i := range mean {
		mean[i] /= w
	}
	return &spanReading{label: readVotes(votes), mean: mean}
}

// readVotes turns sentence votes (negative, neutral, positive) into the span's label:
// a side with at least twice the votes of the other side and at least one, else neutral.
func readVotes(votes []float64) int {
	neg, neu, pos := 0, 1, 2
	switch {
	case votes[pos] > 0 && votes[pos] >= 2*votes[neg]:
		return pos
	case votes[neg] > 0 && votes[neg] >= 2*votes[pos]:
		return neg
	}
	return neu
}

// pick returns the label of r and its score: the mean probability of that label over
// the span's clauses.
func (s *sentimentScorer) pick(r *spanReading) (string, float64) {
	return schema.SentimentLabels[r.label], round4(r.mean[r.label])
}

// readingOf is the reading of one text scored whole: its most probable label.
func readingOf(p []float64) *spanReading {
	return &spanReading{label: argmax(p), mean: slices.Clone(p)}
}
