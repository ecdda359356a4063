package annotate

import (
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/newsds/newsds/schema"
)

// The Label Studio labelling config of a layer, and the control names export and import
// share. One config per layer: a task carries one layer, and Label Studio accepts a
// result only under a control of the project's config with the result's type.
//
// Controls that identify what an item labels are kept apart so that every result
// type fits exactly one control: sentiment has document Choices and paragraph and
// answer Labels under three names. Attributes a person decides (a turn's speaker, a
// stance's target) are per-region controls that share the region's id; attributes that
// follow from the text (turn numbers, speaker roles, paragraph indexes) are derived on
// import, so a person who moves a boundary cannot leave them inconsistent.
//
// Stance targets are a per-region Choices ("target", required, one Choice per target),
// not one Labels control per target: the three stance labels stay one control in
// class-id order however many targets the targets file has; target names are free text
// (Arabic, spaces) that a control name could not carry; a new target is one more
// Choice, so files exported before it still import; and a (region, target) pair is
// exactly the unit agreement is counted over. A stance region without a target is
// rejected on import, so none enters the corpus as "no target".
const (
	lsObjectName = "text"

	lsQATurn             = "qa_turn"
	lsSpeaker            = "speaker"
	lsDocSentiment       = "doc_sentiment"
	lsParagraphSentiment = "paragraph_sentiment"
	lsAnswerSentiment    = "answer_sentiment"
	lsStance             = "stance"
	lsTarget             = "target"
	lsSpanLabel          = "label"
	lsDocLabel           = "doc_label"
)

// lsControl is a Labels (span) or Choices (document) control and the attributes every
// item made with it has.
type lsControl struct {
	name  string
	tag   string // Labels | Choices
	title string
	attrs map[string]string
}

// lsRegionAttr is a per-region control: its name is the item attribute it sets.
type lsRegionAttr struct {
	name     string
	tag      string // TextArea | Choices
	title    string
	forTags  []string // the Labels controls whose regions carry it
	required bool
	values   []string // Choices values
}

// lsScheme is how one layer's items map onto Label Studio controls.
type lsScheme struct {
	layer  string
	labels []string
	spans  []lsControl
	doc    *lsControl
	region []lsRegionAttr
}

// lsSchemeFor returns the controls of layer. labels are the layer's labels (ignored for
// built-in layers, whose label sets are fixed); targets the stance targets.
func lsSchemeFor(layer string, labels, targets []string) lsScheme {
	s := lsScheme{layer: layer, labels: labels}
	switch layer {
	case schema.LayerQA:
		s.labels = schema.QARoles
		s.spans = []lsControl{{name: lsQATurn, tag: "Labels", title: "Turn: question or answer"}}
		s.region = []lsRegionAttr{{name: lsSpeaker, tag: "TextArea", title: "Speaker of the selected turn", forTags: []string{lsQATurn}}}
	case schema.LayerSentiment:
		s.labels = schema.SentimentLabels
		s.doc = &lsControl{name: lsDocSentiment, tag: "Choices", title: "Sentiment of the whole document", attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}}
		s.spans = []lsControl{
			{name: lsParagraphSentiment, tag: "Labels", title: "Sentiment of a paragraph", attrs: map[string]string{schema.AttrScope: schema.ScopeParagraph}},
			{name: lsAnswerSentiment, tag: "Labels", title: "Sentiment of an interview answer", attrs: map[string]string{schema.AttrScope: schema.ScopeAnswer}},
		}
	case schema.LayerStance:
		s.labels = schema.StanceLabels
		s.spans = []lsControl{{name: lsStance, tag: "Labels", title: "Stance of the selected sentence"}}
		s.region = []lsRegionAttr{{name: lsTarget, tag: "Choices", title: "Target of the selected stance", forTags: []string{lsStance}, required: true, values: targets}}
	default:
		s.spans = []lsControl{{name: lsSpanLabel, tag: "Labels", title: layer + ": spans"}}
		s.doc = &lsControl{name: lsDocLabel, tag: "Choices", title: layer + ": the whole document"}
	}
	return s
}

func (s *lsScheme) spanControl(name string) *lsControl {
	for i := range s.spans {
		if s.spans[i].name == name {
			return &s.spans[i]
		}
	}
	return nil
}

func (s *lsScheme) regionAttr(name string) *lsRegionAttr {
	for i := range s.region {
		if s.region[i].name == name {
			return &s.region[i]
		}
	}
	return nil
}

// controlFor picks the control an item is exported under: the span control whose
// attributes the item has (the first one when none match), or the document control.
func (s *lsScheme) controlFor(it schema.Item) *lsControl {
	if !it.IsSpan() {
		return s.doc
	}
	for i := range s.spans {
		match := len(s.spans[i].attrs) > 0
		for k, v := range s.spans[i].attrs {
			if it.Attrs[k] != v {
				match = false
			}
		}
		if match {
			return &s.spans[i]
		}
	}
	if len(s.spans) == 0 {
		return nil
	}
	return &s.spans[0]
}

// Label colours: the same label always has the same colour, so people learn them.
var lsColours = map[string]string{
	"negative": "#d9534f", "neutral": "#9e9e9e", "positive": "#2e9e4f",
	"against": "#d9534f", "favor": "#2e9e4f",
	"question": "#3f7fd9", "answer": "#e59400",
}

var lsPalette = []string{"#3f7fd9", "#e59400", "#2e9e4f", "#d9534f", "#8e5ac8", "#00a3a3", "#c2185b", "#6d7f00"}

// LabelConfigOptions configure LabelConfig.
type LabelConfigOptions struct {
	// Labels are a user layer's labels (built-in layers have fixed ones).
	Labels []string
	// Targets are the stance targets offered per region.
	Targets []string
	// RTL lays the text out right to left (Arabic, Persian, Hebrew, Urdu).
	RTL bool
}

// LabelConfig returns the Label Studio labelling config (XML) for layer, matching the
// tasks Export writes: the control names are the ones Import reads.
func LabelConfig(layer string, opts LabelConfigOptions) string {
	s := lsSchemeFor(layer, opts.Labels, opts.Targets)
	var b strings.Builder
	attr := func(v string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(v)) //nolint:errcheck // a strings.Builder does not fail
		return strings.ReplaceAll(e.String(), `"`, "&#34;")
	}
	colour := func(i int, l string) string {
		if c, ok := lsColours[l]; ok {
			return c
		}
		return lsPalette[i%len(lsPalette)]
	}
	fmt.Fprintf(&b, "<View>\n  <Header value=\"%s\"/>\n", attr("newsds layer "+layer))
	if s.doc != nil {
		fmt.Fprintf(&b, "  <Header value=\"%s\" size=\"5\"/>\n", attr(s.doc.title))
		fmt.Fprintf(&b, "  <Choices name=\"%s\" toName=\"%s\" choice=\"single\" showInLine=\"true\">\n", s.doc.name, lsObjectName)
		for _, l := range s.labels {
			fmt.Fprintf(&b, "    <Choice value=\"%s\"/>\n", attr(l))
		}
		b.WriteString("  </Choices>\n")
	}
	for _, c := range s.spans {
		fmt.Fprintf(&b, "  <Header value=\"%s\" size=\"5\"/>\n", attr(c.title))
		fmt.Fprintf(&b, "  <Labels name=\"%s\" toName=\"%s\">\n", c.name, lsObjectName)
		for i, l := range s.labels {
			fmt.Fprintf(&b, "    <Label value=\"%s\" background=\"%s\"/>\n", attr(l), colour(i, l))
		}
		b.WriteString("  </Labels>\n")
	}
	// Label Studio's Text tag has no direction attribute; the editor lays the text out
	// by the CSS direction of the View that holds it.
	if opts.RTL {
		fmt.Fprintf(&b, "  <View style=\"direction: rtl; text-align: right\">\n    <Text name=\"%s\" value=\"$text\"/>\n  </View>\n", lsObjectName)
	} else {
		fmt.Fprintf(&b, "  <View style=\"direction: ltr\">\n    <Text name=\"%s\" value=\"$text\"/>\n  </View>\n", lsObjectName)
	}
	for _, r := range s.region {
		when := strings.Join(r.forTags, ",")
		fmt.Fprintf(&b, "  <Header value=\"%s\" size=\"5\"/>\n", attr(r.title))
		switch r.tag {
		case "TextArea":
			fmt.Fprintf(&b, "  <TextArea name=\"%s\" toName=\"%s\" perRegion=\"true\" whenTagName=\"%s\" editable=\"true\" maxSubmissions=\"1\" rows=\"1\"/>\n", r.name, lsObjectName, when)
		case "Choices":
			req := ""
			if r.required {
				req = ` required="true"`
			}
			fmt.Fprintf(&b, "  <Choices name=\"%s\" toName=\"%s\" perRegion=\"true\" whenTagName=\"%s\" choice=\"single\"%s>\n", r.name, lsObjectName, when, req)
			for _, v := range r.values {
				fmt.Fprintf(&b, "    <Choice value=\"%s\"/>\n", attr(v))
			}
			b.WriteString("  </Choices>\n")
		}
	}
	b.WriteString("</View>\n")
	return b.String()
}

// isRTL reports whether most letters of text are in a right-to-left script.
func isRTL(text string) bool {
	rtl, ltr := 0, 0
	for _, r := range text {
		switch {
		case unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko):
			rtl++
		case unicode.IsLetter(r):
			ltr++
		}
	}
	return rtl > ltr
}

// mergeSorted returns the union of declared (in its order) and seen (sorted, after it).
func mergeSorted(declared []string, seen map[string]bool) []string {
	out := slices.Clone(declared)
	for _, v := range slices.Sorted(maps.Keys(seen)) {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
