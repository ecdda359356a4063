package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// GoldFile is the name of a gold set's index inside its folder.
const GoldFile = "gold.json"

// TokenF1Pass is the token F1 at or above which a page counts as correctly extracted for
// the accuracy of text-gold sets (readability, newspaper4k).
const TokenF1Pass = 0.8

// EvalExtractOptions configure EvalExtract. The zero value uses one worker per CPU and
// extracts in UTC with no source rules.
type EvalExtractOptions struct {
	// Workers is the number of pages extracted at once (0 = runtime.NumCPU()).
	Workers int
	// Extract is passed to Extract for every page.
	Extract ExtractOptions
	// Extractor, when set, replaces Extract: the peer harness (python/bench) scores
	// other tools' output with this same scorer, so every row of its table is comparable.
	Extractor func(Raw) (PageOutput, error)
}

// PageOutput is what an extractor produced for one page, the part EvalExtract scores.
type PageOutput struct {
	Text, Title string
	Byline      []string
	// Published is RFC 3339 (see sameDay), "" when none was found.
	Published string
}

// ExtractReport is the score of the extractor on one gold set. Its JSON keys are the
// stable output of `newsds eval extract --json`; a figure is null when the gold set has
// nothing to score it on (htmldate has dates only). PerPage is not part of that JSON.
//
// Text scores: for sets with "with"/"without" snippets (trafilatura) the trafilatura
// method — each expected snippet found is a true positive, missing a false negative, each
// boilerplate snippet found a false positive, absent a true negative, summed over all pages,
// compared after whitespace normalisation; accuracy = (TP+TN)/all snippets. For sets with an
// expected text (readability, newspaper4k) word tokens of our text against the expected
// text, micro-averaged over all tokens of all pages (clipped multiset overlap; CJK and Thai
// characters are one token each); accuracy = share of pages whose own token F1 is at least
// TokenF1Pass. When a set has both kinds, the snippets decide.
//
// Metadata: title equal after case folding, NFKC and whitespace/edge-punctuation
// normalisation; byline equal as a set of names (case and spacing ignored); date equal on
// the calendar day (YYYY-MM-DD; when the gold carries an offset our time is first moved
// to it). Each is over the pages whose gold gives a value.
type ExtractReport struct {
	Pages          int      `json:"pages"`
	Precision      *float64 `json:"precision"`
	Recall         *float64 `json:"recall"`
	F1             *float64 `json:"f1"`
	Accuracy       *float64 `json:"accuracy"`
	TitleAccuracy  *float64 `json:"title_accuracy"`
	BylineAccuracy *float64 `json:"byline_accuracy"`
	DateAccuracy   *float64 `json:"date_accuracy"`
	// PerPage holds every page's scores in gold-key order, to inspect failures.
	PerPage []PageScore `json:"-"`
}

// PageScore is the evaluation of one page.
type PageScore struct {
	Page string `json:"page"`
	// Error is the extraction error; the page then scored as empty output.
	Error string `json:"error,omitempty"`
	// Snippet counts (trafilatura method).
	TP, FN, FP, TN int `json:"-"`
	// Token counts against the expected text.
	Overlap, OurTokens, GoldTokens int      `json:"-"`
	TokenF1                        *float64 `json:"token_f1,omitempty"`
	// Metadata checks: nil when the gold gives no value.
	TitleOK  *bool `json:"title_ok,omitempty"`
	BylineOK *bool `json:"byline_ok,omitempty"`
	DateOK   *bool `json:"date_ok,omitempty"`
	// What we extracted and what the gold says, for the failures.
	Title, GoldTitle         string   `json:"-"`
	Byline                   []string `json:"-"`
	GoldByline               string   `json:"-"`
	Published, GoldDate      string   `json:"-"`
	MissedWith, FoundWithout []string `json:"-"`
}

// goldEntry is one page of gold.json (see shared/data/README.md).
type goldEntry struct {
	Title            *goldText `json:"title"`
	Byline           *goldText `json:"byline"`
	Date             *goldText `json:"date"`
	URL              *goldText `json:"url"`
	With             []string  `json:"with"`
	Without          []string  `json:"without"`
	ExpectedHTML     string    `json:"expected_html"`
	ExpectedTextFile string    `json:"expected_text_file"`
}

// goldText is a gold value written as a string or a list of strings (bylines), the list
// joined with "; ".
type goldText string

func (g *goldText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*g = goldText(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("gold value %s: want a string or a list of strings", b)
	}
	*g = goldText(strings.Join(list, "; "))
	return nil
}

// EvalExtract extracts every page of the gold set in goldDir (a folder holding
// gold.json) and scores the result; see ExtractReport for the method. Pages run on
// opts.Workers goroutines. A page that fails to extract counts as empty output; only an
// unreadable gold set is an error.
func EvalExtract(goldDir string, opts EvalExtractOptions) (ExtractReport, error) {
	b, err := os.ReadFile(filepath.Join(goldDir, GoldFile))
	if err != nil {
		return ExtractReport{}, fmt.Errorf("eval extract: %w", err)
	}
	var gold map[string]goldEntry
	if err := json.Unmarshal(b, &gold); err != nil {
		return ExtractReport{}, fmt.Errorf("eval extract: %s: %w", filepath.Join(goldDir, GoldFile), err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range gold {
			if !yield(k) {
				return
			}
		}
	})
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	scores := make([]PageScore, len(keys))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				scores[i] = scorePage(goldDir, keys[i], gold[keys[i]], opts.Extract, opts.Extractor)
			}
		})
	}
	for i := range keys {
		next <- i
	}
	close(next)
	wg.Wait()
	return summarise(scores), nil
}

// scorePage extracts and scores one page.
func scorePage(dir, key string, g goldEntry, opts ExtractOptions, extract func(Raw) (PageOutput, error)) PageScore {
	ps := PageScore{Page: key}
	path := filepath.Join(dir, filepath.FromSlash(key))
	raw := Raw{Format: rawHTML, Path: path}
	if g.URL != nil {
		raw.URL = string(*g.URL)
	}
	data, err := os.ReadFile(path)
	if err == nil {
		raw.Data = data
		if st, err := os.Stat(path); err == nil {
			raw.ModTime = st.ModTime()
		}
	}
	if extract == nil {
		extract = func(raw Raw) (PageOutput, error) {
			doc, err := Extract(raw, opts)
			return PageOutput{Text: doc.Text, Title: doc.Title, Byline: doc.Byline, Published: doc.Published}, err
		}
	}
	var text string
	if err != nil {
		ps.Error = err.Error()
	} else if out, err := extract(raw); err != nil {
		ps.Error = err.Error()
	} else {
		text = out.Text
		ps.Title, ps.Byline, ps.Published = out.Title, out.Byline, out.Published
	}

	flat := normSpace(text)
	for _, w := range g.With {
		if strings.Contains(flat, normSpace(w)) {
			ps.TP++
		} else {
			ps.FN++
			ps.MissedWith = append(ps.MissedWith, w)
		}
	}
	for _, w := range g.Without {
		if strings.Contains(flat, normSpace(w)) {
			ps.FP++
			ps.FoundWithout = append(ps.FoundWithout, w)
		} else {
			ps.TN++
		}
	}
	if expected, ok := expectedText(dir, g); ok {
		ps.Overlap, ps.OurTokens, ps.GoldTokens = tokenOverlap(text, expected)
		f := f1(ratio(ps.Overlap, ps.OurTokens), ratio(ps.Overlap, ps.GoldTokens))
		ps.TokenF1 = &f
	}
	if g.Title != nil {
		ps.GoldTitle = string(*g.Title)
		ok := normTitle(ps.Title) == normTitle(ps.GoldTitle)
		ps.TitleOK = &ok
	}
	if g.Byline != nil {
		ps.GoldByline = string(*g.Byline)
		ok := slices.Equal(nameSet(ps.Byline), nameSet(splitAuthors(ps.GoldByline)))
		ps.BylineOK = &ok
	}
	if g.Date != nil {
		ps.GoldDate = string(*g.Date)
		ok := sameDay(ps.Published, ps.GoldDate)
		ps.DateOK = &ok
	}
	return ps
}

// expectedText reads the expected main text of a page, if the gold names one.
func expectedText(dir string, g goldEntry) (string, bool) {
	switch {
	case g.ExpectedTextFile != "":
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(g.ExpectedTextFile)))
		return string(b), err == nil
	case g.ExpectedHTML != "":
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(g.ExpectedHTML)))
		if err != nil {
			return "", false
		}
		n, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			return "", false
		}
		return nodeText(n), true
	}
	return "", false
}

// HTMLText renders HTML as the scorer reads an expected_html file: block elements become
// paragraphs, scripts and styles are dropped. The peer harness renders tools that output
// HTML (readability-lxml) with it, so that their tokens are split the way the gold's are.
func HTMLText(r io.Reader) (string, error) {
	n, err := html.Parse(r)
	if err != nil {
		return "", fmt.Errorf("parse html: %w", err)
	}
	return nodeText(n), nil
}

func summarise(scores []PageScore) ExtractReport {
	r := ExtractReport{Pages: len(scores), PerPage: scores}
	var tp, fn, fp, tn, overlap, ours, golds, tokPages, tokPass int
	var titles, titleOK, bylines, bylineOK, dates, dateOK int
	for _, s := range scores {
		tp, fn, fp, tn = tp+s.TP, fn+s.FN, fp+s.FP, tn+s.TN
		if s.TokenF1 != nil {
			overlap, ours, golds = overlap+s.Overlap, ours+s.OurTokens, golds+s.GoldTokens
			tokPages++
			if *s.TokenF1 >= TokenF1Pass {
				tokPass++
			}
		}
		count(s.TitleOK, &titles, &titleOK)
		count(s.BylineOK, &bylines, &bylineOK)
		count(s.DateOK, &dates, &dateOK)
	}
	switch {
	case tp+fn+fp+tn > 0:
		p, rc := ratio(tp, tp+fp), ratio(tp, tp+fn)
		r.Precision, r.Recall, r.F1 = &p, &rc, ptr(f1(p, rc))
		r.Accuracy = ptr(ratio(tp+tn, tp+fn+fp+tn))
	case tokPages > 0:
		p, rc := ratio(overlap, ours), ratio(overlap, golds)
		r.Precision, r.Recall, r.F1 = &p, &rc, ptr(f1(p, rc))
		r.Accuracy = ptr(ratio(tokPass, tokPages))
	}
	if titles > 0 {
		r.TitleAccuracy = ptr(ratio(titleOK, titles))
	}
	if bylines > 0 {
		r.BylineAccuracy = ptr(ratio(bylineOK, bylines))
	}
	if dates > 0 {
		r.DateAccuracy = ptr(ratio(dateOK, dates))
	}
	return r
}

func count(ok *bool, n, good *int) {
	if ok == nil {
		return
	}
	*n++
	if *ok {
		*good++
	}
}

func ptr(f float64) *float64 { return &f }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// normSpace collapses every run of Unicode white space (no-break, em and ideographic
// spaces too, not only ASCII) to one space and drops the invisible formatting characters
// cleanLine removes (soft hyphen, zero-width space, bidi marks): the trafilatura method
// compares snippets after whitespace normalisation, and gold snippets copied from pages
// keep characters that a reader does not see and extraction normalises away.
func normSpace(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if isInvisible(r) {
			return -1
		}
		return r
	}, s)), " ")
}

// quoteFolder maps typographic quotes and dashes to their ASCII forms.
var quoteFolder = strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`, "–", "-", "—", "-")

// normTitle folds a title for comparison: NFKC, lower case, one space, ASCII quotes and
// dashes, no punctuation at the ends.
func normTitle(s string) string {
	s = quoteFolder.Replace(strings.ToLower(norm.NFKC.String(normSpace(s))))
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
}

// nameSet folds names for comparison: letters and digits only, lower case, sorted.
func nameSet(names []string) []string {
	var out []string
	for _, n := range names {
		var b strings.Builder
		for _, r := range strings.ToLower(norm.NFKC.String(n)) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
		if b.Len() > 0 {
			out = append(out, b.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

var offsetSuffixRe = regexp.MustCompile(`(?i)(z|[+-]\d{2}:?\d{2})$`)

// sameDay compares our RFC 3339 published time with a gold date on the calendar day.
func sameDay(published, gold string) bool {
	if published == "" {
		return false
	}
	ours, err := time.Parse(time.RFC3339, published)
	if err != nil {
		return false
	}
	g, ok := ParseDate(gold, time.UTC, time.Time{})
	if !ok {
		return false
	}
	if offsetSuffixRe.MatchString(strings.TrimSpace(gold)) {
		ours = ours.In(g.Location())
	}
	return ours.Format(time.DateOnly) == g.Format(time.DateOnly)
}

// tokenOverlap counts the clipped multiset overlap of word tokens and both token totals.
func tokenOverlap(ours, gold string) (overlap, nOurs, nGold int) {
	counts := map[string]int{}
	for _, t := range tokens(gold) {
		counts[t]++
		nGold++
	}
	for _, t := range tokens(ours) {
		nOurs++
		if counts[t] > 0 {
			counts[t]--
			overlap++
		}
	}
	return overlap, nOurs, nGold
}

// tokens splits text into lower-case words; each Han, kana, Hangul or Thai character is a
// token of its own, since those scripts do not separate words with spaces.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range strings.ToLower(norm.NFKC.String(s)) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}
