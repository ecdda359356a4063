package schema

import (
	"fmt"
	"slices"
)

// Layer names of the built-in annotators. Any other name is a user layer.
const (
	LayerQA        = "qa_turns"
	LayerSentiment = "sentiment"
	LayerStance    = "stance"
)

// BuiltinAnnotators returns the names of the built-in annotators. They are reserved:
// newsds.yaml may not declare an external annotator under one of them, so a command a
// corpus's config declares never runs in place of a built-in the user asked for.
func BuiltinAnnotators() []string { return []string{"qa", "sentiment", "stance"} }

// BuiltinLayers returns the layer names of the built-in annotators, reserved the same way
// for user layers.
func BuiltinLayers() []string { return []string{LayerQA, LayerSentiment, LayerStance} }

// Annotator kinds.
const (
	KindRule  = "rule"
	KindModel = "model"
	KindHuman = "human"
)

// Attribute keys used by the built-in layers. Attribute values are strings so that the
// JSON form stays flat and deterministic; numbers are written in decimal.
const (
	AttrTurn        = "turn"         // qa_turns, sentiment(answer): 1-based turn index
	AttrSpeaker     = "speaker"      // qa_turns: speaker name
	AttrSpeakerRole = "speaker_role" // qa_turns: interviewer | interviewee
	AttrScope       = "scope"        // sentiment: document | paragraph | answer
	AttrParagraph   = "paragraph"    // sentiment(paragraph): 0-based paragraph index
	AttrTarget      = "target"       // stance: target name as declared in the targets file
)

// Values of AttrScope.
const (
	ScopeDocument  = "document"
	ScopeParagraph = "paragraph"
	ScopeAnswer    = "answer"
)

// Label sets of the built-in layers, in class-id order: the index of a label is the
// int64 class id written to release shards, so the order never changes.
var (
	QARoles         = []string{"question", "answer"}
	SpeakerRoles    = []string{"interviewer", "interviewee"}
	SentimentLabels = []string{"negative", "neutral", "positive"}
	StanceLabels    = []string{"against", "neutral", "favor"}
	AnnotatorKinds  = []string{KindRule, KindModel, KindHuman}
	SentimentScopes = []string{ScopeDocument, ScopeParagraph, ScopeAnswer}
)

// LabelSet returns the declared labels of a built-in layer, or nil for a user layer
// (whose labels are declared in newsds.yaml).
func LabelSet(layer string) []string {
	switch layer {
	case LayerQA:
		return QARoles
	case LayerSentiment:
		return SentimentLabels
	case LayerStance:
		return StanceLabels
	}
	return nil
}

// ClassID returns the class id of label in labels, or -1.
func ClassID(labels []string, label string) int64 {
	return int64(slices.Index(labels, label))
}

// Annotator identifies who made an annotation. Two annotations by the same Name and
// ParamsHash over the same content are the same work and are not redone.
type Annotator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Kind is rule, model or human.
	Kind string `json:"kind"`
	// ParamsHash is the hex sha256 of the annotator's canonical parameters (targets file,
	// thresholds, model file...), "" when it has none.
	ParamsHash string `json:"params_hash"`
}

// Key is the identity of an annotator within a layer.
func (a Annotator) Key() string { return a.Name + "@" + a.Version + "#" + a.ParamsHash }

// Item is one annotation: a document-level label (Start and End nil) or a span
// [Start, End) in Unicode code points over the document's stored text.
type Item struct {
	Start *int     `json:"start"`
	End   *int     `json:"end"`
	Label string   `json:"label,omitempty"`
	Score *float64 `json:"score,omitempty"`
	// Text is the span text, kept so that validation can prove the offsets still point
	// at what the annotator saw.
	Text  string            `json:"text,omitempty"`
	Attrs map[string]string `json:"attrs,omitempty"`
}

// IsSpan reports whether the item covers a span of the text.
func (it Item) IsSpan() bool { return it.Start != nil && it.End != nil }

// Annotation is the work of one annotator on one layer of one document.
type Annotation struct {
	DocID     string    `json:"doc_id"`
	Layer     string    `json:"layer"`
	Annotator Annotator `json:"annotator"`
	// ContentHash is the content_hash of the text the items were computed on. When the
	// document's text changes, the annotation is stale: its spans are never re-attached.
	ContentHash string `json:"content_hash"`
	// CreatedAt is RFC 3339 UTC.
	CreatedAt string `json:"created_at"`
	Stale     bool   `json:"stale"`
	Items     []Item `json:"items"`
	// Skipped says why the annotator made no items without looking at the text:
	// SkippedLanguage when the document's language is not one it supports. Stats and
	// the card count such documents per language instead of as empty results.
	Skipped string `json:"skipped,omitempty"`
	// MinScore is the confidence below which the run dropped items ("annotate
	// --min-confidence"), nil when it kept them all.
	MinScore *float64 `json:"min_score,omitempty"`
	// Meta is the provenance a labelling tool reported for the work, kept so that
	// labelling effort can be studied: Label Studio's task and annotation ids, the
	// user id and lead_time (seconds). Nil for work newsds did itself.
	Meta map[string]string `json:"meta,omitempty"`
}

// SkippedLanguage is the Annotation.Skipped reason of a document in a language the
// annotator does not support.
const SkippedLanguage = "language"

// Span builds a span item with the text sliced out of doc text.
func Span(text string, start, end int) (Item, error) {
	s, err := SliceCP(text, start, end)
	if err != nil {
		return Item{}, err
	}
	return Item{Start: &start, End: &end, Text: s}, nil
}

// Span is Span over the indexed text: the way to cut many spans of one document (an
// annotator's turns or sentences), which Span would walk the text again for each.
func (x *TextIndex) Span(start, end int) (Item, error) {
	s, err := x.Slice(start, end)
	if err != nil {
		return Item{}, err
	}
	return Item{Start: &start, End: &end, Text: s}, nil
}

// Float returns a pointer to f, for Item.Score.
func Float(f float64) *float64 { return &f }

// Int returns a pointer to i, for Item.Start and Item.End.
func Int(i int) *int { return &i }

// CheckSpan reports a located, human-readable problem with a span over text of n code
// points, or nil.
func CheckSpan(start, end, n int) error {
	switch {
	case start < 0:
		return fmt.Errorf("span [%d,%d) starts before the text", start, end)
	case end < start:
		return fmt.Errorf("span [%d,%d) ends before it starts", start, end)
	case end == start:
		return fmt.Errorf("span [%d,%d) is empty", start, end)
	case end > n:
		return fmt.Errorf("span [%d,%d) ends past the text (%d code points)", start, end, n)
	}
	return nil
}
