package validate

import (
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

// RuleRepeatedParagraphs flags a document whose text holds the same paragraph twice:
// what an extractor that merged two copies of a page's body leaves behind. It folds
// paragraphs with corpus.RepeatKey, so that short refrains ("Why?", "* * *") do not count
// and what it reports is what `newsds ingest` now removes from HTML pages. A warning: a
// page may really repeat a paragraph, and given texts (JSONL) are stored as given.
const RuleRepeatedParagraphs = "repeated-paragraphs"

// repeatedFix says how to repair a document with repeated paragraphs.
const repeatedFix = "ingest the page again with `newsds ingest` (HTML extraction drops copies the page does not show); for a given text (JSONL), remove the copies from the input"

// checkRepeated reports the first repeated paragraph of doc and how many repeats it has.
func (rc *recordChecker) checkRepeated(doc *schema.Document, loc Location) {
	if !rc.s.enabled(RuleRepeatedParagraphs) {
		return
	}
	first := map[string]int{}
	repeats, at, of := 0, 0, 0
	var sample string
	for i, p := range schema.SplitParagraphs(doc.Text) {
		k := corpus.RepeatKey(p.Text)
		if k == "" {
			continue
		}
		f, seen := first[k]
		if !seen {
			first[k] = i
			continue
		}
		if repeats == 0 {
			at, of, sample = i+1, f+1, p.Text
		}
		repeats++
	}
	if repeats == 0 {
		return
	}
	rc.emit(RuleRepeatedParagraphs, loc, repeatedFix,
		"paragraph %d repeats paragraph %d (%q); %d of the text's paragraphs are repeats", at, of, excerpt(sample, 40), repeats)
}
