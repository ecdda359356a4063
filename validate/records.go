package validate

import (
	"crypto/sha256"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

// recordContext is what a record's source adds to the checks.
type recordContext struct {
	// release rows must not be duplicates excluded by policy.
	release bool
	// keepDuplicates: the release was built with --keep-duplicates.
	keepDuplicates bool
	// excluded holds ids the release manifest says were excluded.
	excluded map[string]bool
	// split is the release split, used for the document-in-two-splits rule.
	split string
	// fix is the command that regenerates the checked data, for fix hints.
	fix string
	// annotationsOnly: the record's document is only the carrier of its annotations
	// (an import file), so document rules and coverage do not apply.
	annotationsOnly bool
	// textUnknown: spans cannot be checked against any text.
	textUnknown bool
}

// recordChecker runs the document, span and label rules over one record at a time and
// accumulates what the threshold rules need.
type recordChecker struct {
	s      *sink
	vocab  *vocabulary
	custom *customRules
	ids    idSet
	splits map[idKey]string

	docs       int
	covered    map[string]int            // layer -> documents with an annotation on it
	labelCount map[string]map[string]int // layer -> label -> items
	agreement  map[string]*agreementAcc  // layer -> pairwise confusion counts
	rules      *RulesFile
	// dupRefs are duplicates whose original had not been seen when they were checked;
	// the original may come later in the stream, so they are settled in finishRecords.
	dupRefs []dupRef
}

// dupRef is a document marked a duplicate of an id not yet seen.
type dupRef struct {
	loc          Location
	id, original string
}

func newRecordChecker(s *sink, vocab *vocabulary, custom *customRules, rf *RulesFile) *recordChecker {
	rc := &recordChecker{
		s: s, vocab: vocab, custom: custom, ids: idSet{}, splits: map[idKey]string{},
		covered: map[string]int{}, labelCount: map[string]map[string]int{},
		agreement: map[string]*agreementAcc{}, rules: rf,
	}
	if rf != nil {
		for _, a := range rf.Agreement {
			rc.agreement[a.Layer] = newAgreementAcc()
		}
	}
	return rc
}

// idKey is a 16-byte digest of an id: sets of them stay small however long ids are.
type idKey [16]byte

type idSet map[idKey]struct{}

func keyOf(id string) idKey {
	sum := sha256.Sum256([]byte(id))
	return idKey(sum[:16])
}

// add reports whether id was new.
func (s idSet) add(id string) bool {
	k := keyOf(id)
	if _, ok := s[k]; ok {
		return false
	}
	s[k] = struct{}{}
	return true
}

func (rc *recordChecker) check(rec *schema.Record, loc Location, ctx recordContext) {
	doc := &rec.Document
	textHash := schema.ContentHash(doc.Text)
	if !ctx.annotationsOnly {
		rc.docs++
		rc.s.report.Checked.Documents++
		rc.checkDocument(doc, textHash, loc, ctx)
	}
	if rc.custom != nil {
		rc.custom.begin(doc)
	}
	ti := schema.NewTextIndex(doc.Text)
	layers := map[string]bool{}
	for ai := range rec.Annotations {
		a := &rec.Annotations[ai]
		rc.s.report.Checked.Annotations++
		rc.s.report.Checked.Items += len(a.Items)
		layers[a.Layer] = true
		rc.checkAnnotation(doc, textHash, ti, a, loc, ctx)
	}
	if !ctx.annotationsOnly {
		for l := range layers {
			rc.covered[l]++
		}
	}
	for layer, acc := range rc.agreement {
		acc.add(layer, rec.Annotations)
	}
	if rc.custom != nil && !ctx.annotationsOnly {
		rc.custom.checkDocument(rc.s, loc)
	}
}

func (rc *recordChecker) emit(rule string, loc Location, fix, format string, a ...any) {
	rc.s.emit(Finding{Rule: rule, Location: loc, Message: fmt.Sprintf(format, a...), Fix: fix})
}

func (rc *recordChecker) checkDocument(doc *schema.Document, textHash string, loc Location, ctx recordContext) {
	// The rules on ids, languages and URLs are ingest's too: one definition, in corpus.
	if msg := corpus.CheckID(doc.ID); msg != "" {
		rc.emit(RuleDocID, loc, "", "%s", msg)
	}
	if doc.ID != "" {
		if ctx.split != "" {
			k := keyOf(doc.ID)
			if prev, ok := rc.splits[k]; ok && prev != ctx.split {
				rc.emit(RuleSplitLeak, loc, ctx.fix, "document %s is in split %s and in split %s", doc.ID, prev, ctx.split)
			} else if ok {
				rc.emit(RuleDocDuplicateID, loc, ctx.fix, "document %s appears twice in split %s", doc.ID, ctx.split)
			} else {
				rc.splits[k] = ctx.split
			}
		} else if !rc.ids.add(doc.ID) {
			rc.emit(RuleDocDuplicateID, loc, ctx.fix, "document id %s is used by more than one document", doc.ID)
		}
	}
	if dup := doc.DupOf(); dup != "" && doc.ID != "" && !ctx.annotationsOnly {
		if dup == doc.ID {
			rc.emit(RuleDocDupOf, loc, reingestFix,
				"document %s is marked a duplicate of itself (meta.dup_of); releases leave duplicates out, so it is in none of them", doc.ID)
		} else if !rc.seen(dup) {
			rc.dupRefs = append(rc.dupRefs, dupRef{loc: loc, id: doc.ID, original: dup})
		}
	}
	if strings.TrimSpace(doc.Text) == "" {
		rc.emit(RuleDocText, loc, "", "document has an empty body")
	}
	if doc.Published != "" {
		if _, err := time.Parse(time.RFC3339, doc.Published); err != nil {
			rc.emit(RuleDocPublished, loc, "", "published %q is not an RFC 3339 date-time with an offset (e.g. 2024-03-01T10:00:00+03:00)", doc.Published)
		}
	}
	if doc.Lang != "" {
		if msg := corpus.CheckLang(doc.Lang); msg != "" {
			rc.emit(RuleDocLang, loc, "", "%s", msg)
		}
	}
	if doc.URL != "" {
		if msg := corpus.CheckURL(doc.URL); msg != "" {
			rc.emit(RuleDocURL, loc, "", "%s", msg)
		}
	}
	utf8OK := true
	for _, f := range []struct{ name, v string }{
		{"text", doc.Text}, {"title", doc.Title}, {"url", doc.URL}, {"source", doc.Source},
		{"site_name", doc.SiteName}, {"section", doc.Section},
	} {
		if !utf8.ValidString(f.v) {
			if f.name == "text" {
				utf8OK = false
			}
			rc.emit(RuleDocUTF8, loc, "", "%s has invalid UTF-8 at byte %d", f.name, invalidUTF8At(f.v))
		}
	}
	if utf8OK && rc.s.enabled(RuleDocNFC) && !norm.NFC.IsNormalString(doc.Text) {
		b := norm.NFC.QuickSpanString(doc.Text)
		cp := utf8.RuneCountInString(doc.Text[:b])
		rc.emit(RuleDocNFC, loc, "re-ingest the document: `newsds ingest` stores NFC text",
			"text is not in NFC from code point %d (%q)", cp, excerpt(doc.Text[b:], 12))
	}
	switch {
	case doc.ContentHash == "":
		rc.emit(RuleDocContentHash, loc, ctx.fix, "document has no content_hash")
	case doc.ContentHash != textHash:
		rc.emit(RuleDocContentHash, loc, corruptTextFix(ctx),
			"content_hash %s is not the sha256 of the text (%s): the text was damaged after it was hashed", short(doc.ContentHash), short(textHash))
	}
	if ctx.release && doc.ID != "" {
		if ctx.excluded[doc.ID] {
			rc.emit(RuleExcludedDup, loc, ctx.fix, "document %s is listed as excluded in the release manifest but is in the release", doc.ID)
		} else if dup := doc.DupOf(); dup != "" && !ctx.keepDuplicates {
			rc.emit(RuleExcludedDup, loc, ctx.fix, "document %s duplicates %s and duplicates are excluded from this release", doc.ID, dup)
		}
	}
	rc.checkRepeated(doc, loc)
}

// reingestFix repairs a duplicate mark: storing the same text again remakes the
// decision when its original is itself or gone.
const reingestFix = "ingest the document's input again with `newsds ingest`, which matches it against the staged documents anew, then commit"

// seen reports whether a document with this id has been checked, in a split or not.
func (rc *recordChecker) seen(id string) bool {
	k := keyOf(id)
	if _, ok := rc.ids[k]; ok {
		return true
	}
	_, ok := rc.splits[k]
	return ok
}

// finishRecords reports the duplicates whose original never appeared: the version
// holds a duplicate of a document it does not hold.
func (rc *recordChecker) finishRecords() {
	for _, r := range rc.dupRefs {
		if !rc.seen(r.original) {
			rc.emit(RuleDocDupOf, r.loc, reingestFix,
				"document %s is marked a duplicate of %s, which is not in this version; releases leave it out although its original is missing",
				r.id, r.original)
		}
	}
	rc.dupRefs = nil
}

func invalidUTF8At(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(s)
}

func excerpt(s string, n int) string {
	i := 0
	for b := range s {
		if i == n {
			return s[:b] + "…"
		}
		i++
	}
	return s
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

// itemName is how messages name an item: Q&A turns by their turn number, which is what
// a person sees, others by index.
func itemName(layer string, i int, it *schema.Item) string {
	if layer == schema.LayerQA {
		if t := it.Attrs[schema.AttrTurn]; t != "" {
			return "turn " + t
		}
	}
	return "item " + strconv.Itoa(i)
}

// RuleStoreCorrupt reports a record the corpus store found damaged: bytes that no
// longer match their stored hash, or a reference that leads nowhere.
const RuleStoreCorrupt = "store-corrupt"

// storeCorrupt reports a record the store refused to read because it is damaged:
// corruption, with the store's fix, never staleness.
func (rc *recordChecker) storeCorrupt(ce *corpus.CorruptError) {
	rc.emit(RuleStoreCorrupt, Location{DocID: ce.DocID}, ce.Fix, "%s", ce.Describe())
}

// textDamaged reports whether a document's text no longer matches the content_hash it
// records: corruption (of the text, or of the hash), never a reason to re-annotate.
func textDamaged(doc *schema.Document, textHash string, ctx recordContext) bool {
	return !ctx.textUnknown && !ctx.annotationsOnly && doc.ContentHash != "" && doc.ContentHash != textHash
}

// corruptTextFix is the fix for a text that does not match its content_hash: rebuild
// what was checked where it is derived (a release), else get the text back.
func corruptTextFix(ctx recordContext) string {
	if ctx.fix != "" {
		return ctx.fix
	}
	return corpus.FixCorruptDocument
}

// annotateFix is the command that recomputes an annotation, where there is one.
func annotateFix(a *schema.Annotation, docID string) string {
	if a.Annotator.Kind == schema.KindHuman {
		return "relabel the document on its current text and import the annotations again with `newsds import-annotations`"
	}
	name := a.Annotator.Name
	if name == "" {
		name = a.Layer
	}
	return fmt.Sprintf("run `newsds annotate --with %s --docs %s` to recompute them", name, docID)
}

func (rc *recordChecker) checkAnnotation(doc *schema.Document, textHash string, ti *schema.TextIndex, a *schema.Annotation, base Location, ctx recordContext) {
	loc := base
	loc.Layer = a.Layer
	loc.Annotator = a.Annotator.Name
	if a.DocID != "" && doc.ID != "" && a.DocID != doc.ID {
		rc.emit(RuleAnnotationDocMiss, loc, "", "annotation names document %s but is stored with document %s", a.DocID, doc.ID)
	}
	fix := annotateFix(a, doc.ID)
	stale := a.Stale || (!ctx.textUnknown && a.ContentHash != "" && a.ContentHash != textHash)
	// unchecked: spans are not checked against the text, which is damaged.
	unchecked := textDamaged(doc, textHash, ctx) && a.ContentHash == doc.ContentHash
	if unchecked {
		// The annotation was made on the text the document records; that text no longer
		// matches its own hash, which checkDocument reports as corruption. Calling the
		// annotation stale would ask for a re-annotation that blesses the damage.
		stale = false
	}
	if stale {
		// Stale spans point into text that no longer exists: reporting each as out of
		// bounds or mismatched would bury the one thing to do, which is re-annotate.
		rc.emit(RuleStale, loc, strings.Replace(fix, "recompute them", "refresh stale spans", 1),
			"annotation by %s was made on text %s, the document's text is now %s; its %d items are not checked against the text",
			a.Annotator.Name, short(a.ContentHash), short(textHash), len(a.Items))
	}
	labels := rc.vocab.labels(a.Layer)
	counts := rc.labelCount[a.Layer]
	if counts == nil && !stale {
		counts = map[string]int{}
		rc.labelCount[a.Layer] = counts
	}
	docSentiments := 0
	var sentimentLabels []string
	n := ti.Len()
	for i := range a.Items {
		it := &a.Items[i]
		iloc := loc
		iloc.Item = intPtr(i)
		name := itemName(a.Layer, i, it)
		if labels != nil && it.Label != "" && !slices.Contains(labels, it.Label) {
			rc.emit(RuleLabelUnknown, iloc, "", "%s label %q is not one of the %s labels (%s)", name, it.Label, a.Layer, strings.Join(labels, ", "))
		} else if labels != nil && it.Label == "" {
			rc.emit(RuleLabelUnknown, iloc, "", "%s has no label; %s labels are %s", name, a.Layer, strings.Join(labels, ", "))
		}
		if it.Score != nil && (math.IsNaN(*it.Score) || *it.Score < 0 || *it.Score > 1) {
			rc.emit(RuleScoreRange, iloc, "", "%s score %v is outside [0,1]", name, *it.Score)
		}
		if !stale && it.Label != "" {
			counts[it.Label]++
		}
		if rc.custom != nil {
			rc.custom.checkItem(rc.s, a, i, iloc)
		}
		switch a.Layer {
		case schema.LayerSentiment:
			scope := it.Attrs[schema.AttrScope]
			if scope == schema.ScopeDocument || (scope == "" && !it.IsSpan()) {
				docSentiments++
				sentimentLabels = append(sentimentLabels, it.Label)
			}
		case schema.LayerStance:
			target := it.Attrs[schema.AttrTarget]
			switch {
			case target == "":
				rc.emit(RuleStanceTarget, iloc, "", "%s has no target attribute", name)
			case rc.vocab.targets != nil && !rc.vocab.targets[target]:
				where := "the targets file"
				if rc.vocab.targetsFile != "" {
					where = rc.vocab.targetsFile
				}
				rc.emit(RuleStanceTarget, iloc, "", "%s target %q is not declared in %s", name, target, where)
			}
		}
		if a.Layer == schema.LayerQA && it.Start == nil && it.End == nil && !ctx.textUnknown {
			rc.emit(RuleSpanBounds, iloc, fix, "%s has no span; a Q&A turn is a span of the text", name)
			continue
		}
		if (it.Start == nil) != (it.End == nil) {
			rc.emit(RuleSpanBounds, iloc, fix, "%s has a start or an end but not both", name)
			continue
		}
		if !it.IsSpan() || stale || unchecked || ctx.textUnknown {
			continue
		}
		if err := schema.CheckSpan(*it.Start, *it.End, n); err != nil {
			rc.emit(RuleSpanBounds, iloc, fix, "%s %v", name, err)
			continue
		}
		if it.Text != "" && rc.s.enabled(RuleSpanText) {
			if got, _ := ti.Slice(*it.Start, *it.End); got != it.Text {
				rc.emit(RuleSpanText, iloc, fix, "%s span [%d,%d) stores %q but the text there is %q",
					name, *it.Start, *it.End, excerpt(it.Text, 40), excerpt(got, 40))
			}
		}
	}
	if docSentiments > 1 {
		rc.emit(RuleSentimentPerDoc, loc, fix, "annotator %s gave %d document-level sentiments (%s); a document has one",
			a.Annotator.Name, docSentiments, strings.Join(sentimentLabels, ", "))
	}
	if stale || unchecked || ctx.textUnknown {
		return
	}
	if rc.vocab.noOverlap(a.Layer) {
		rc.checkOverlap(a, n, loc, fix)
	}
	if a.Layer == schema.LayerQA && spansInBounds(a, n) {
		// With a turn out of bounds (reported above) the order of the others says
		// nothing about the interview's structure.
		rc.checkTurns(a, n, loc, fix)
	}
}

// spanItem is a valid span with its item index, for order-dependent checks.
type spanItem struct {
	i          int
	start, end int
	it         *schema.Item
}

func validSpans(a *schema.Annotation, n int) []spanItem {
	var out []spanItem
	for i := range a.Items {
		it := &a.Items[i]
		if it.IsSpan() && schema.CheckSpan(*it.Start, *it.End, n) == nil {
			out = append(out, spanItem{i, *it.Start, *it.End, it})
		}
	}
	slices.SortStableFunc(out, func(x, y spanItem) int {
		if x.start != y.start {
			return x.start - y.start
		}
		return x.end - y.end
	})
	return out
}

func spansInBounds(a *schema.Annotation, n int) bool {
	for i := range a.Items {
		it := &a.Items[i]
		if !it.IsSpan() || schema.CheckSpan(*it.Start, *it.End, n) != nil {
			return false
		}
	}
	return true
}

func (rc *recordChecker) checkOverlap(a *schema.Annotation, n int, loc Location, fix string) {
	if !rc.s.enabled(RuleSpanOverlap) {
		return
	}
	// One definition of overlap, shared with the importers.
	for _, o := range schema.SpanOverlaps(a.Items, n) {
		cur, prev := &a.Items[o.Item], &a.Items[o.Prev]
		iloc := loc
		iloc.Item = intPtr(o.Item)
		rc.emit(RuleSpanOverlap, iloc, fix, "%s span [%d,%d) overlaps %s span [%d,%d); %s spans must not overlap",
			itemName(a.Layer, o.Item, cur), *cur.Start, *cur.End, itemName(a.Layer, o.Prev, prev), *prev.Start, *prev.End, a.Layer)
	}
}

// checkTurns checks the interview structure: turns numbered 1..n in text order, roles
// matching labels, and no answer without a question before it.
func (rc *recordChecker) checkTurns(a *schema.Annotation, n int, loc Location, fix string) {
	spans := validSpans(a, n)
	var prev *spanItem
	for k := range spans {
		cur := &spans[k]
		it := cur.it
		iloc := loc
		iloc.Item = intPtr(cur.i)
		name := itemName(a.Layer, cur.i, it)
		if t := it.Attrs[schema.AttrTurn]; t == "" {
			rc.emit(RuleQAAlternation, iloc, fix, "%s has no turn number (attribute %q)", name, schema.AttrTurn)
		} else if v, err := strconv.Atoi(t); err != nil || v != k+1 {
			rc.emit(RuleQAAlternation, iloc, fix, "turn %s is the %s turn in the text; turns are numbered 1, 2, ... in text order", t, ordinal(k+1))
		}
		role := it.Attrs[schema.AttrSpeakerRole]
		want := map[string]string{"question": "interviewer", "answer": "interviewee"}[it.Label]
		switch {
		case it.Label == "":
			rc.emit(RuleQARoles, iloc, fix, "%s has no label; a turn is a question or an answer", name)
		case role == "":
			rc.emit(RuleQARoles, iloc, fix, "%s (%s) has no speaker_role", name, it.Label)
		case want != "" && role != want:
			rc.emit(RuleQARoles, iloc, fix, "%s is a %s but its speaker_role is %q (want %q)", name, it.Label, role, want)
		}
		if it.Label == "answer" {
			switch {
			case prev == nil:
				rc.emit(RuleQAAlternation, iloc, fix, "%s is an answer but no question comes before it", name)
			case prev.it.Label == "answer" && prev.it.Attrs[schema.AttrSpeaker] == it.Attrs[schema.AttrSpeaker]:
				rc.emit(RuleQAAlternation, iloc, fix, "%s is an answer by the same speaker right after %s; consecutive paragraphs of one speaker are one turn",
					name, itemName(a.Layer, prev.i, prev.it))
			}
		}
		if it.Label == "question" && prev != nil && prev.it.Label == "question" && prev.it.Attrs[schema.AttrSpeaker] == it.Attrs[schema.AttrSpeaker] {
			rc.emit(RuleQAAlternation, iloc, fix, "%s is a question by the same speaker right after %s with no answer between",
				name, itemName(a.Layer, prev.i, prev.it))
		}
		prev = cur
	}
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

func intPtr(i int) *int { return &i }
