package annotate

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/byline"
	"github.com/newsds/newsds/schema"
)

// qaVersion changes whenever the rules change what they find.
const qaVersion = "2.48.0"

// NewQA returns the rule-based interview-structure annotator (layer qa_turns). It finds
// question and answer turns from, in this order of evidence: Q/A labels ("س:"/"ج:",
// "Q:"/"A:"); inline speaker labels ("NAME:", "The Economist:"); leading dialogue markers
// ("*"/"-", "•"/"••", a marker on one side only); questions the HTML page set in bold
// (schema.MetaBoldParagraphs, or a bold question opening its answer's paragraph,
// schema.MetaBoldLeads; see readBoldLayout and planBold); question paragraphs ending in "?"/"؟"
// alternating with answers. It names the speakers from the labels, the byline, the title
// and the lede (see qanames.go). An article without such evidence gets no turns.
func NewQA() Annotator { return qaAnnotator{} }

type qaAnnotator struct{}

func (qaAnnotator) Info() schema.Annotator {
	return schema.Annotator{Name: "qa", Version: qaVersion, Kind: schema.KindRule}
}

func (qaAnnotator) Layer() string { return schema.LayerQA }

func (qaAnnotator) Annotate(ctx context.Context, doc *schema.Document) ([]schema.Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	turns := findTurns(doc)
	items := make([]schema.Item, 0, len(turns))
	idx := schema.NewTextIndex(doc.Text)
	for i, t := range turns {
		it, err := idx.Span(t.Start, t.End)
		if err != nil {
			return nil, err
		}
		it.Label = t.Label
		it.Attrs = map[string]string{
			schema.AttrTurn:        strconv.Itoa(i + 1),
			schema.AttrSpeakerRole: t.Role,
		}
		if t.Speaker != "" {
			it.Attrs[schema.AttrSpeaker] = t.Speaker
		}
		items = append(items, it)
	}
	return items, nil
}

// qaTurn is one turn found in a document: a run of paragraphs by one speaker.
type qaTurn struct {
	Start, End int    // code points over the document text
	Label      string // question | answer
	Role       string // interviewer | interviewee
	Speaker    string // "" when the article does not say
	key        string // the speaker label the turn opened with (cluster key), "" if none
}

// paraKind is what a paragraph's leading label says about it.
type paraKind int

const (
	kindNone paraKind = iota
	kindQ             // "س:", "Q:", "Question:"
	kindA             // "ج:", "A:", "Answer:"
	kindName          // "NAME:" speaker label
)

type qaPara struct {
	p         schema.Paragraph
	marker    string   // canonical leading dialogue marker ("*", "-", "•", "••", ">"), "" none
	kind      paraKind // label kind
	name      string   // the speaker label of a kindName paragraph, as written
	labelOnly bool     // the paragraph is nothing but a label ("Anne:")
	body      string   // the text after marker and label
	question  bool     // ends in "?"/"؟"
	prompt    bool     // a short request to the interviewee: "Tell us about …", "حدثينا عن …"
	reported  bool     // the question is quoted speech ("Alito asked: “Is that so?”")
	words     int      // words of body
	number    int      // the list number it opens with ("1.", "٢)", "b)"), 0 when none
	heading   bool     // looks like a subheading: short, unmarked, no final punctuation
}

var (
	// Leading dialogue and list markers seen in scraped interviews. The gold strips the
	// same set (plus "::" and square bullets, which only this annotator reads).
	reMarkerRun  = regexp.MustCompile(`^\s*([*•●▪■◆►>\-–—ـ]+|\.\.+|::+)\s*`)
	reLeadMarker = regexp.MustCompile(`^\s*(?:[*\-ـ•●>–—]+|\.\.+)\s*`)
	reQALabelAr  = regexp.MustCompile(`^(س|سؤال|السؤال|ج|جواب|الجواب)\s*[0-9٠-٩]*\s*[:：/]\s*`)
	reQALabelEn  = regexp.MustCompile(`^(?:(Q|A)\s*[:：.]|(?i:(question|answer))\s*[:：])\s*`)
	// A speaker label: one to five name words and a colon, then the turn text or nothing
	// (a label set as its own paragraph). Quotes may wrap an outlet ("«عكاظ»:").
	reNameLabelEn = regexp.MustCompile(`^([\p{Lu}][\p{L}\p{M}'’.\-]*(?:\s+(?:[\p{Lu}][\p{L}\p{M}'’.\-]*|of|the|de|del|da|di|du|al|el|bin|ibn|van|von|der|den|le|la|y)){0,4})\s*[:：](?:\s+|$)`)
	// A transcript's label in capitals with the speaker's role after a comma ("RACHEL
	// MARTIN, HOST:", "MARCUS OBI, CHIEF NEGOTIATOR, DOCKWORKERS UNION:",
	// "UNIDENTIFIED PERSON #1:"), as broadcast transcripts set them; the name is the part
	// before the comma.
	// A party and state ("SEN. RUTH CALDER (D-ME):") or a note ("(through translator)")
	// may follow the name in parentheses, no part of it.
	reNameRoleLabel = regexp.MustCompile(`^(\p{Lu}[\p{Lu}'’.\-]+(?:\s+\p{Lu}[\p{Lu}'’.\-]*){0,3}(?:\s+#\d+)?)(?:\s+\([^():\n]{1,30}\))?(?:,\s+[\p{Lu}\d][\p{Lu}\d'’.&/\-]*(?:,?\s+[\p{Lu}\d][\p{Lu}\d'’.&/\-]*){0,8})?\s*[:：](?:\s+|$)`)
	reNameLabelAr   = regexp.MustCompile(`^[«"“]?(\p{Arabic}+\.?(?:\s+\p{Arabic}+\.?){0,3})[»"”]?\s*[:：]`)
	// A timestamp with its clock words ("14:05 GMT", "9:30 a.m."), which are no label.
	reTimestamp = regexp.MustCompile(`^[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s*(?i:[ap]\.?m\.?))?(?:\s+(?:GMT|UTC|BST|CET|CEST|EET|EEST|MEZ|MESZ|WET|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|CT|MT|PT|IST|AST|JST|AEST|AEDT)\b)?[\])]?\s*(?:[-–—|]\s*)?`)
	reNumbered  = regexp.MustCompile(`^\s*([0-9٠-٩]{1,2}|[a-z])\s*[.)\-–:]\s+`)
)

// notSpeakerLabels are words that end in a colon in ordinary news text: reporting verbs,
// notes, datelines of wire copy and section headings, in folded form.
var notSpeakerLabels = foldSet(
	"note", "notes", "update", "updated", "source", "sources", "photo", "photos", "image", "credit", "caption",
	"read more", "related", "see also", "editor's note", "correction", "watch", "listen", "video", "breaking",
	"analysis", "opinion", "warning", "background", "disclaimer", "also read", "more", "tags", "share", "via",
	"edit", "ps", "bottom line", "example", "tip", "step", "answer", "question", "foto", "quelle", "hinweis",
	"anmerkung", "mehr", "lesen sie auch", "قال", "وقال", "قالت", "وقالت", "اضاف", "واضاف", "اضافت", "واضافت",
	"تابع", "وتابع", "اكد", "واكد", "اوضح", "واوضح", "مضيفا", "مؤكدا", "موضحا", "متابعا", "قائلا", "بقوله",
	"قايلا", "المصدر", "اقرا ايضا", "اقرا المزيد", "ملاحظه", "تحديث", "يقول", "ويقول", "تقول", "وتقول", "حوار",
	"كتب", "كتبت", "تصوير", "اشار", "واشار", "شدد", "وشدد", "بين", "وبين", "ختم", "وختم", "تنويه", "اولا",
	"ثانيا", "ثالثا", "رابعا", "خامسا", "حاوره", "حاورها", "حاورته", "اعداد", "ترجمه", "متابعه", "تقرير",
	"المكان", "الزمان", "الموعد", "التاريخ", "العنوان", "الموضوع", "الهدف",
)

// listNumber returns the list number s opens with ("3- ", "٢) ", "c. "), 0 when none.
func listNumber(s string) int {
	m := reNumbered.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n := 0
	for _, r := range m[1] {
		switch {
		case r >= '0' && r <= '9':
			n = 10*n + int(r-'0')
		case r >= '٠' && r <= '٩':
			n = 10*n + int(r-'٠')
		default:
			n = int(r-'a') + 1
		}
	}
	return n
}

// stripLeadMarkers removes the leading dialogue markers the gold strips ("-", "•", "ـ", "..").
func stripLeadMarkers(s string) string {
	for {
		t := reLeadMarker.ReplaceAllString(s, "")
		if t == s {
			return s
		}
		s = t
	}
}

// leadMarker splits the leading markers off s and returns them in canonical form: dashes
// of any width are "-", runs of "-", "ـ", "*" and ">" count once, while bullets keep their
// number ("•" and "••" mark different speakers).
func leadMarker(s string) (marker, rest string) {
	var b strings.Builder
	for {
		m := reMarkerRun.FindStringSubmatchIndex(s)
		if m == nil {
			break
		}
		b.WriteString(s[m[2]:m[3]])
		s = s[m[1]:]
	}
	var out []rune
	for _, r := range b.String() {
		switch r {
		case '–', '—':
			r = '-'
		}
		if n := len(out); n > 0 && out[n-1] == r && strings.ContainsRune("-ـ*>", r) {
			continue
		}
		out = append(out, r)
	}
	return string(out), s
}

// speakerLabel returns the speaker label opening body, if any, and the text after it.
func speakerLabel(body string) (name, rest string, ok bool) {
	if m := reNameLabelEn.FindStringSubmatchIndex(body); m != nil {
		name = body[m[2]:m[3]]
		rest = body[m[1]:]
	} else if m := reNameRoleLabel.FindStringSubmatchIndex(body); m != nil {
		name = body[m[2]:m[3]]
		rest = body[m[1]:]
	} else if m := reNameLabelAr.FindStringSubmatchIndex(body); m != nil {
		name = body[m[2]:m[3]]
		rest = body[m[1]:]
	} else {
		return "", body, false
	}
	if notSpeakerLabels[fold(strings.TrimSuffix(name, "."))] {
		return "", body, false
	}
	return name, strings.TrimSpace(rest), true
}

// opensWithLabel reports whether s opens with a Q/A or speaker label.
func opensWithLabel(s string) bool {
	if reQALabelAr.MatchString(s) || reQALabelEn.MatchString(s) {
		return true
	}
	_, _, ok := speakerLabel(s)
	return ok
}

// cutTimestamp removes a transcript's timestamp before a speaker label ("[00:01:02] Maya
// Chen: …"), which is no part of the turn's words.
func cutTimestamp(body string) string {
	if loc := reTimestamp.FindStringIndex(body); loc != nil && opensWithLabel(body[loc[1]:]) {
		return body[loc[1]:]
	}
	return body
}

func classifyPara(p schema.Paragraph) qaPara {
	qp := qaPara{p: p}
	marker, body := leadMarker(p.Text)
	qp.marker = marker
	body = strings.TrimSpace(body)
	body = cutTimestamp(body)
	if m := reQALabelAr.FindStringSubmatch(body); m != nil {
		switch m[1] {
		case "س", "سؤال", "السؤال":
			qp.kind = kindQ
		default:
			qp.kind = kindA
		}
		body = body[len(m[0]):]
	} else if m := reQALabelEn.FindStringSubmatch(body); m != nil {
		if m[1] == "Q" || strings.EqualFold(m[2], "question") {
			qp.kind = kindQ
		} else {
			qp.kind = kindA
		}
		body = body[len(m[0]):]
	} else if name, rest, ok := speakerLabel(body); ok {
		qp.kind, qp.name, body = kindName, name, rest
		qp.labelOnly = rest == ""
	}
	// A marker after the label ("عكاظ: - ...") is still the paragraph's marker.
	if qp.marker == "" && qp.kind != kindNone {
		qp.marker, body = leadMarker(body)
	}
	body = strings.TrimSpace(body)
	qp.body = body
	qp.words = len(strings.Fields(body))
	qp.question, qp.reported = questionEnd(body)
	qp.prompt = !qp.question && qp.words <= maxRequestWords && reRequest.MatchString(fold(reNumbered.ReplaceAllString(body, "")))
	qp.number = listNumber(body)
	qp.heading = qp.marker == "" && qp.kind == kindNone && qp.words > 0 && qp.words <= maxHeadingWords && !endsSentence(body)
	return qp
}

// reRequest matches the opening of a request that an interviewer puts as a statement
// (after fold): an imperative of telling or describing, in English with "us"/"me" or a
// verb that asks alone ("Describe …"), in Arabic in any person, alone or with "لنا"; and
// the Arabic interview's closing request for a last word ("كلمة أخيرة توجهها
// للمواطنين", "رسالتك الأخيرة"), which takes no question mark.
var reRequest = regexp.MustCompile(`^(?:(?:please\s+)?(?:(?:tell|talk|walk|take|give|show|remind)\s+(?:us|me)|describe|explain|imagine)\b|[وف]?(?:حدث|صف|اشرح|اخبر|قل|كلم|عرف|احك|اعطنا|ضعنا)(?:ي|وا|نا|ينا|ونا)?(?:\s|$)|(?:كلمه|رساله|سؤال)\s+(?:اخيره|ختاميه|اخير)(?:\s|$)|(?:كلمتك|رسالتك)\s+الاخيره(?:\s|$))`)

// maxRequestWords bounds a request paragraph: "Tell us about your childhood." is a
// prompt, a long paragraph opening "Imagine …" is prose.
const maxRequestWords = 25

// maxHeadingWords bounds a subheading inside a Q&A ("العلاج الشعبي", "Early years").
const maxHeadingWords = 6

// endsSentence reports whether s ends in sentence-final or list punctuation.
func endsSentence(s string) bool {
	end := trimEndPunct(s)
	if end == "" {
		return false
	}
	r := []rune(end)
	return strings.ContainsRune(".!?؟:：…;؛,،", r[len(r)-1])
}

// reReportedQuestion matches a reporting verb next to a quotation: the question is
// someone's quoted words, not the interviewer's.
var reReportedQuestion = regexp.MustCompile(`(?i)(?:\b(?:asked|asks|wondered|said|says)\b|سأل|تساءل|يتساءل|متسائلا|متسائلة)\s*[:：,،]?\s*["“«]|["”»]\s*,?\s*(?:\b(?:he|she|they|it|the|a|an)\s+)?\b(?:asked|asks|wondered|said|says)\b`)

// questionEnd reports whether s ends in a question mark ("?", "؟", also "?!") and whether
// that question mark sits inside a quotation or is attributed by a reporting verb.
func questionEnd(s string) (question, reported bool) {
	end := strings.TrimRight(trimEndPunct(s), "!.")
	end = trimEndPunct(end)
	if !strings.HasSuffix(end, "?") && !strings.HasSuffix(end, "؟") {
		return false, false
	}
	return true, insideQuote(s, len(end)-1) || reReportedQuestion.MatchString(s)
}

// insideQuote reports whether byte offset at of s lies inside a quotation: after an
// opening mark whose closing mark comes later ("He asked: «Why?»"), or inside a pair of
// straight quotes.
func insideQuote(s string, at int) bool {
	depth, straight := 0, false
	for i, r := range s {
		if i >= at {
			break
		}
		switch r {
		case '«', '“', '„':
			depth++
		case '»', '”':
			if depth > 0 {
				depth--
			}
		case '"':
			straight = !straight
		}
	}
	if depth == 0 && !straight {
		return false
	}
	// The quotation must close after the question mark: an unbalanced opening mark
	// earlier in the paragraph says nothing about the end.
	rest := s[at:]
	return strings.ContainsAny(rest, `»”"`)
}

// side is what a paragraph is in the plan of an interview.
type side uint8

const (
	sideNone side = iota // before the Q&A (lede): in no turn
	sideQ                // opens or continues a question
	sideA                // opens or continues an answer
	sideCont             // continues the current turn
	sideSkip             // a subheading inside the Q&A: in no turn, ends the current one
)

// qaPlan assigns every paragraph from first on to a side.
type qaPlan struct {
	first int
	sides []side
	mode  string // which evidence segmented the interview
}

func newPlan(n int, mode string) qaPlan { return qaPlan{sides: make([]side, n), mode: mode} }

// findTurns returns the interview turns of doc, or nil when it is not an interview.
func findTurns(doc *schema.Document) []qaTurn {
	turns, _ := analyseTurns(doc)
	return turns
}

// analyseTurns is findTurns that also says which evidence segmented the interview.
func analyseTurns(doc *schema.Document) ([]qaTurn, string) {
	layout := splitInlineMarkers(splitInlineLabels(readBoldLayout(doc, doc.Paragraphs())))
	paras := layout.paras
	if len(paras) < 3 {
		return nil, ""
	}
	qps := make([]qaPara, len(paras))
	for i, p := range paras {
		qps[i] = classifyPara(p)
	}
	if i := datelineAt(qps); i >= 0 {
		qps[i] = unlabelled(qps[i])
	}
	clusters := clusterLabels(qps)
	ctx := newNameContext(doc, qps)
	var plan qaPlan
	var ok bool
	for _, try := range []func() (qaPlan, bool){
		func() (qaPlan, bool) { return planQALabels(doc, qps) },
		func() (qaPlan, bool) { return planNameLabels(qps, clusters, ctx) },
		func() (qaPlan, bool) { return planMarkers(doc, qps) },
		func() (qaPlan, bool) { return planOneLabel(doc, qps, clusters) },
		func() (qaPlan, bool) { return planBold(doc, qps, layout.bold, "bold") },
		func() (qaPlan, bool) { return planBold(doc, qps, layout.italic, "italic") },
		func() (qaPlan, bool) { return planQuestionMarks(doc, qps) },
	} {
		if plan, ok = try(); ok {
			break
		}
	}
	if !ok {
		return nil, ""
	}
	skipHeadings(qps, &plan)
	skipEditorsNote(qps, &plan)
	lede := qps[:plan.first]
	turns := buildTurns(qps, plan, clusters, func(label string) bool {
		return ctx.introduces(label, lede) && !ctx.isInterviewerName(label)
	})
	if len(turns) < 2 || !hasQuestionAndAnswer(turns) || askedByThirdParty(ctx, turns, clusters) {
		return nil, ""
	}
	nameSpeakers(ctx, lede, turns, clusters)
	endBeforeNote(qps, turns)
	if !anyoneAnswers(qps, plan, turns) {
		return nil, ""
	}
	return turns, plan.mode
}

// askedByThirdParty reports whether every turn is labelled by someone the article names
// by what they are (see isThirdParty), neither side by a name or an office: a judge
// questioning the accused in a court report ("القاضي:", "المتهم:") is an exchange the
// article reports, not its interview. A paper's name that is also a word ("المدينة:")
// asks a person named on the answers ("أبو راس:"), and an office ("الوزير:") is how
// an interview labels the one it interviews.
func askedByThirdParty(ctx *nameContext, turns []qaTurn, clusters labelClusters) bool {
	for _, t := range turns {
		if t.key == "" || ctx.quotedLabel(t.key, clusters) {
			return false
		}
		label := clusters.display[t.key]
		if !ctx.isThirdParty(label) || t.Role == "interviewee" && isOfficeLabel(label) {
			return false
		}
	}
	return len(turns) > 0
}

// datelineAt is the paragraph whose opening label is the text's dateline ("جدة: …",
// "RIYADH: …"), which has a speaker label's shape: the first labelled paragraph, within
// the first few (highlights may come before the lede), whose label is a place datelines
// name or capitals that label no other paragraph, in full or in part. It is -1 when there
// is none.
func datelineAt(qps []qaPara) int {
	i := slices.IndexFunc(qps, func(qp qaPara) bool { return qp.kind != kindNone })
	if i < 0 || i >= maxDatelinePara || qps[i].kind != kindName || qps[i].labelOnly {
		return -1
	}
	label := cleanName(qps[i].name)
	if byline.IsPlace(label) {
		return i
	}
	if isArabic(label) || strings.ToUpper(label) != label || !strings.ContainsFunc(label, unicode.IsLetter) {
		return -1
	}
	for _, qp := range qps[i+1:] {
		// The same person labelled again, in full or in part ("NOOR HADI, HOST:", then
		// "HADI:").
		if qp.kind == kindName && (fold(qp.name) == fold(label) || sharesWord(cleanName(qp.name), label)) {
			return -1
		}
	}
	return i
}

// maxDatelinePara bounds where the dateline may stand: after a few highlights at most.
const maxDatelinePara = 5

// unlabelled is qp read without its speaker label, which was none.
func unlabelled(qp qaPara) qaPara {
	qp.kind, qp.name = kindNone, ""
	qp.body = strings.TrimSpace(stripLeadMarkers(qp.p.Text))
	qp.words = len(strings.Fields(qp.body))
	return qp
}

// anyoneAnswers reports whether the answers are a person's: the article names who
// answers, a question addresses someone ("you", "Minister,"), or an answer speaks as "I"
// or "we". A newsroom's own explainer set as questions and answers ("Q&A: What the new
// visa rules mean", "Q: Who is affected? A: Anyone applying …") has none of the three:
// its answers are the article's, and no one is interviewed.
func anyoneAnswers(qps []qaPara, plan qaPlan, turns []qaTurn) bool {
	for _, t := range turns {
		if t.Role == "interviewee" && t.Speaker != "" {
			return true
		}
	}
	for i := plan.first; i < len(qps); i++ {
		switch plan.sides[i] {
		case sideQ:
			if addresses(qps[i].body) {
				return true
			}
		case sideA, sideCont:
			if firstPerson(qps[i].body) {
				return true
			}
		}
	}
	return false
}

func hasQuestionAndAnswer(turns []qaTurn) bool {
	q, a := false, false
	for _, t := range turns {
		q = q || t.Label == "question"
		a = a || t.Label == "answer"
	}
	return q && a
}

// skipHeadings marks subheadings inside the Q&A: a short unpunctuated paragraph after an
// answer and before the next question. One right after a question is a short answer
// ("بدون شك"), not a heading.
func skipHeadings(qps []qaPara, plan *qaPlan) {
	prev := sideNone
	for i := plan.first; i < len(qps); i++ {
		s := plan.sides[i]
		if qps[i].heading && (s == sideA || s == sideCont) && prev != sideQ && i+1 < len(qps) && nextOpens(plan, i+1) == sideQ {
			plan.sides[i] = sideSkip
			continue
		}
		if s == sideQ || s == sideA {
			prev = s
		}
	}
}

// reEditorsNote is a note the desk adds after an interview: how it was edited,
// translated or conducted ("This interview has been edited for length and clarity.",
// "تم تحرير الحوار واختصاره"). It is the article's voice, not the last answer's.
var reEditorsNote = regexp.MustCompile(`(?i)^[\s(\[*_—–-]*(?:` +
	`(?:this|the)\s+(?:interview|conversation|transcript|q\s*&\s*a|exchange)\s+(?:has\s+been|have\s+been|was|is)\s+(?:\w+\s+){0,2}(?:edited|condensed|shortened|translated|abridged|conducted)` +
	`|(?:interviews?|answers?|responses?|remarks?|quotes?)\s+(?:have|has)\s+been\s+(?:\w+\s+){0,2}(?:edited|condensed|translated)` +
	`|(?:lightly\s+)?edited\s+(?:and\s+condensed\s+)?for\s+(?:length|clarity|brevity|space)` +
	`|(?:تم|جرى)\s+(?:تحرير|اختصار|تعديل|ترجمة)\s+(?:هذه\s+|هذا\s+)?(?:ال)?(?:حوار|مقابلة|لقاء|أجوبة|إجابات)` +
	`|(?:حُرر|حرر|اختُصر|اختصر)\s+(?:هذا\s+|هذه\s+)?(?:ال)?(?:حوار|مقابلة|لقاء)` +
	// Production credits: "Produced by Sam Lee", "Additional reporting by …", "ترجمة: …".
	`|(?:additional\s+)?(?:reporting|produced|edited|translated|transcribed|compiled|photos?|photography|illustrations?|audio|video)\s+by\s+\S` +
	`|(?:ترجمة|تصوير|إعداد|اعداد|مونتاج)\s*[:：]` +
	`)`)

// skipEditorsNote takes an editor's note, or the interviewer's credit ("أجرى الحوار: X"),
// that closes the Q&A out of the last answer. A note set as the questions are (in
// italics) reads as the last question: it and what follows it, the article's closing
// lines, are no turn.
func skipEditorsNote(qps []qaPara, plan *qaPlan) {
	isNote := func(i int) bool {
		return qps[i].kind != kindName && qps[i].words <= maxNoteWords && reEditorsNote.MatchString(qps[i].p.Text) && !firstPerson(qps[i].body)
	}
	for i := len(qps) - 1; i > plan.first; i-- {
		if plan.sides[i] != sideQ {
			continue
		}
		if isNote(i) {
			for j := i; j < len(qps); j++ {
				plan.sides[j] = sideSkip
			}
			return
		}
		break
	}
	for i := len(qps) - 1; i > plan.first; i-- {
		s := plan.sides[i]
		if (s != sideCont && s != sideA) || !isNote(i) && interviewCredit(qps[i]) == "" {
			return
		}
		plan.sides[i] = sideSkip
	}
}

// endBeforeNote ends the last answer before the unlabelled paragraphs that close it and
// name its speaker in full: no one says their own full name in an answer, so such a
// paragraph is the article's note on who they are ("Hiro Tanaka was born in Osaka …").
func endBeforeNote(qps []qaPara, turns []qaTurn) {
	if len(turns) == 0 {
		return
	}
	last := &turns[len(turns)-1]
	name := wordsOfText(last.Speaker)
	if last.Label != "answer" || len(name) < 2 {
		return
	}
	for i := len(qps) - 1; i > 0 && qps[i].p.Start > last.Start; i-- {
		if qps[i].p.Start >= last.End {
			continue
		}
		if qps[i].kind != kindNone || qps[i].marker != "" || !containsRun(wordsOfText(qps[i].body), name) {
			return
		}
		last.End = qps[i-1].p.End
	}
}

// wordsOfText is the folded words of s, punctuation left out.
func wordsOfText(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
}

// containsRun reports whether run occurs in words, consecutively.
func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// maxNoteWords bounds an editor's note: a longer paragraph that opens like one, as one
// that speaks as "I" or "we", is an answer about editing.
const maxNoteWords = 40

// nextOpens returns the side of the first paragraph from i on that is not a skipped
// subheading.
func nextOpens(plan *qaPlan, i int) side {
	for ; i < len(plan.sides); i++ {
		if plan.sides[i] != sideSkip {
			return plan.sides[i]
		}
	}
	return sideNone
}

// buildTurns turns a plan into turns: a question or answer paragraph extends the open
// turn of the same label and speaker, a continuation extends the open turn, a skipped
// paragraph closes it.
func buildTurns(qps []qaPara, plan qaPlan, clusters labelClusters, introduced func(label string) bool) []qaTurn {
	speakers, guests := speakerKeys(qps, plan, clusters, introduced)
	var turns []qaTurn
	open := false
	for i := plan.first; i < len(qps); i++ {
		p := qps[i].p
		key := ""
		if qps[i].kind == kindName && speakers[clusters.key(qps[i].name)] {
			key = clusters.key(qps[i].name)
		}
		n := len(turns)
		s := plan.sides[i]
		// A guest's label opens an answer wherever the plan put the paragraph: with the
		// questions unmarked, the second guest's answer read as the question's next line.
		if guests[key] && (s == sideQ || s == sideCont) {
			s = sideA
		}
		switch s {
		case sideNone, sideSkip:
			open = false
		case sideCont:
			if n == 0 {
				continue
			}
			if open && (key == "" || key == turns[n-1].key) {
				turns[n-1].End = p.End
				continue
			}
			t := turns[n-1]
			if key != "" {
				t.key = key
			}
			turns = append(turns, qaTurn{Start: p.Start, End: p.End, Label: t.Label, Role: t.Role, key: t.key})
			open = true
		case sideQ, sideA:
			label, role := "answer", "interviewee"
			if s == sideQ {
				label, role = "question", "interviewer"
			}
			if open && turns[n-1].Label == label && (key == "" || key == turns[n-1].key) {
				turns[n-1].End = p.End
				continue
			}
			turns = append(turns, qaTurn{Start: p.Start, End: p.End, Label: label, Role: role, key: key})
			open = true
		}
	}
	return turns
}

// speakerKeys returns the label clusters that name speakers. In a labelled transcript
// every label does; otherwise a label must open a change of speaker at least twice
// ("Friederike:" after each question): a label inside answers is a caption or a note
// ("Kleid: Christopher Kane"). The guests of a round table take turns inside one
// answer ("ALVAREZ: …", "CHEN: …" after "Q: …"), and a guest may open an answer only
// once: when two or more labels that the lede introduces as people (introduced: "Maria
// Alvarez, who teaches third grade, and David Chen") each open two paragraphs of the
// answers, they all name speakers, and are the guests (nil when there are none) whose
// labels open answers.
func speakerKeys(qps []qaPara, plan qaPlan, clusters labelClusters, introduced func(label string) bool) (keys, guests map[string]bool) {
	keys = map[string]bool{}
	if plan.mode == "name-labels" {
		for _, k := range clusters.order {
			keys[k] = true
		}
		return keys, nil
	}
	opens := map[string]int{}
	prev := sideNone
	for i := plan.first; i < len(qps); i++ {
		s := plan.sides[i]
		if s != sideQ && s != sideA {
			continue
		}
		if qps[i].kind == kindName && s != prev {
			opens[clusters.key(qps[i].name)]++
		}
		prev = s
	}
	for k, n := range opens {
		if n >= 2 {
			keys[k] = true
		}
	}
	// Where labels already name who answers, a second guest the lede introduces may
	// answer once ("- العلي: …" twice, "- النجار: …" once, both ministers named in the
	// lede): that label names a speaker too.
	if len(keys) > 0 {
		for k, n := range opens {
			if n == 1 && introduced(clusters.display[k]) {
				keys[k] = true
			}
		}
	}
	answering := map[string]int{}
	for i := plan.first; i < len(qps); i++ {
		if s := plan.sides[i]; qps[i].kind == kindName && (s == sideA || s == sideCont) {
			answering[clusters.key(qps[i].name)]++
		}
	}
	var named []string
	for _, k := range clusters.order {
		if answering[k] >= 2 && introduced(clusters.display[k]) {
			named = append(named, k)
		}
	}
	if len(named) < 2 {
		return keys, nil
	}
	guests = map[string]bool{}
	for _, k := range named {
		keys[k], guests[k] = true, true
	}
	return keys, guests
}

// planQALabels segments by explicit question/answer labels. At least two labelled
// questions are needed, and fewer than minPairs only where the page says it is an
// interview: a court report quotes two "Q:"/"A:" exchanges of a cross-examination, a
// product review closes with two buyers' "س:"/"ج:". Unlabelled paragraphs continue the
// previous turn, except that when answers carry no label at all, an unlabelled paragraph
// after a question answers it.
func planQALabels(doc *schema.Document, qps []qaPara) (qaPlan, bool) {
	nq, na, first := 0, 0, -1
	for i, qp := range qps {
		switch qp.kind {
		case kindQ:
			nq++
		case kindA:
			na++
		default:
			continue
		}
		if first < 0 {
			first = i
		}
	}
	if nq < 2 || nq < minPairs && !hasInterviewCue(doc, qps[:first]) && !titleQuotesPerson(doc) {
		return qaPlan{}, false
	}
	plan := newPlan(len(qps), "qa-labels")
	plan.first = first
	prev := sideNone
	for i := first; i < len(qps); i++ {
		switch {
		case qps[i].kind == kindQ:
			plan.sides[i] = sideQ
		case qps[i].kind == kindA:
			plan.sides[i] = sideA
		case na == 0 && prev == sideQ:
			plan.sides[i] = sideA
		default:
			plan.sides[i] = sideCont
		}
		if plan.sides[i] != sideCont {
			prev = plan.sides[i]
		}
	}
	return plan, true
}

// titleQuotesPerson reports whether the title gives what a person the text names says
// ("Marta Ruiz: the port will be back next year"), as interviews are headed; a one-word
// head ("مراجعة: …", a review) names no one.
func titleQuotesPerson(doc *schema.Document) bool {
	name, desc, _ := titleSpeaker(doc.Title)
	return !desc && len(strings.Fields(name)) >= 2 && validPersonName(name) && strings.Contains(doc.Text, name)
}

// planNameLabels segments a transcript with speaker labels ("NAME:"). It needs two
// speakers who each speak at least twice and at least three changes of speaker, and one
// of them must be the interviewer: the outlet or the byline's name, else a speaker who
// asks at least two questions. A news story quoting someone after a colon, or a list
// ("California: ...", "Oregon: ..."), does not qualify.
func planNameLabels(qps []qaPara, clusters labelClusters, names *nameContext) (qaPlan, bool) {
	if clusters.recurring() < 2 {
		return qaPlan{}, false
	}
	first, changes, last := -1, 0, ""
	questions := map[string]int{}
	for i, qp := range qps {
		if qp.kind != kindName {
			continue
		}
		k := clusters.key(qp.name)
		if first < 0 {
			first = i
		}
		if last != "" && k != last {
			changes++
		}
		last = k
		if qp.question || (qp.labelOnly && i+1 < len(qps) && qps[i+1].question) {
			questions[k]++
		}
	}
	if changes < 3 {
		return qaPlan{}, false
	}
	interviewer := ""
	for _, k := range clusters.order {
		if clusters.count[k] >= 2 && names.isInterviewerName(clusters.display[k]) {
			interviewer = k
			break
		}
	}
	if interviewer == "" {
		// The speaker with the highest share of questions, the first one on a tie.
		best := -1.0
		for _, k := range clusters.order {
			if clusters.count[k] < 2 {
				continue
			}
			if share := float64(questions[k]) / float64(clusters.count[k]); share > best {
				interviewer, best = k, share
			}
		}
		if questions[interviewer] < 2 {
			return qaPlan{}, false
		}
	}
	// Several journalists may ask: whoever the byline, the outlet or the lede names as
	// one and asks a question, however often they speak.
	asks := map[string]bool{interviewer: true}
	for _, k := range clusters.order {
		if k != interviewer && questions[k] > 0 && names.isInterviewerName(clusters.display[k]) {
			asks[k] = true
		}
	}
	plan := newPlan(len(qps), "name-labels")
	// A question whose label was lost opens the Q&A when the first label is an answer.
	if k := clusters.key(qps[first].name); !asks[k] && first > 0 && qps[first-1].question && !qps[first-1].reported {
		first--
		plan.sides[first] = sideQ
	}
	plan.first = first
	for i := first; i < len(qps); i++ {
		qp := qps[i]
		switch {
		case plan.sides[i] != sideNone:
		case qp.kind == kindName && asks[clusters.key(qp.name)]:
			plan.sides[i] = sideQ
		case qp.kind == kindName:
			plan.sides[i] = sideA
		default:
			plan.sides[i] = sideCont
		}
	}
	return plan, true
}

// planOneLabel handles interviews where only one side is labelled (answers opened by
// "Friederike:", questions unlabelled): the label works like a one-sided marker.
func planOneLabel(doc *schema.Document, qps []qaPara, clusters labelClusters) (qaPlan, bool) {
	if len(clusters.order) == 0 {
		return qaPlan{}, false
	}
	k := clusters.order[0]
	for _, c := range clusters.order {
		if clusters.count[c] > clusters.count[k] {
			k = c
		}
	}
	keys := make([]string, len(qps))
	for i, qp := range qps {
		if qp.kind == kindName && clusters.key(qp.name) == k {
			keys[i] = k
		}
	}
	plan, ok := planOneKey(doc, qps, keys, k)
	plan.mode = "one-label"
	return plan, ok
}

// planMarkers segments an interview whose paragraphs carry leading dialogue markers:
// two markers taking turns ("*" questions, "-" answers; "•" and "••"), or one marker on
// one side only ("- answer" after unmarked questions).
func planMarkers(doc *schema.Document, qps []qaPara) (qaPlan, bool) {
	count := map[string]int{}
	var order []string
	for _, qp := range qps {
		if qp.marker == "" {
			continue
		}
		if count[qp.marker] == 0 {
			order = append(order, qp.marker)
		}
		count[qp.marker]++
	}
	if len(order) == 0 {
		return qaPlan{}, false
	}
	// The two most frequent markers, the earlier one first on a tie.
	k1, k2 := "", ""
	for _, m := range order {
		switch {
		case k1 == "" || count[m] > count[k1]:
			k1, k2 = m, k1
		case k2 == "" || count[m] > count[k2]:
			k2 = m
		}
	}
	keys := make([]string, len(qps))
	for i, qp := range qps {
		keys[i] = qp.marker
	}
	if k2 != "" && count[k2] >= 2 {
		if plan, ok := planTwoKeys(doc, qps, keys, k1, k2); ok {
			return plan, true
		}
	}
	for i := range keys {
		if keys[i] != k1 {
			keys[i] = ""
		}
	}
	return planOneKey(doc, qps, keys, k1)
}

// keyStats summarises the paragraphs carrying one key.
type keyStats struct {
	n, questions, prompts, words int
	firstAt                      int
}

func statsOf(qps []qaPara, keys []string, k string) keyStats {
	st := keyStats{firstAt: -1}
	for i, qp := range qps {
		if keys[i] != k {
			continue
		}
		if st.firstAt < 0 {
			st.firstAt = i
		}
		st.n++
		st.words += qp.words
		if qp.question && !qp.reported {
			st.questions++
		}
		if qp.prompt {
			st.prompts++
		}
	}
	return st
}

func (s keyStats) qShare() float64 { return ratio(s.questions, s.n) }
func (s keyStats) avgWords() float64 {
	if s.n == 0 {
		return 0
	}
	return float64(s.words) / float64(s.n)
}

// addressing counts the paragraphs with key k that speak to someone.
func addressing(qps []qaPara, keys []string, k string) int {
	n := 0
	for i, qp := range qps {
		if keys[i] == k && addresses(qp.body) {
			n++
		}
	}
	return n
}

// minPairs is the number of question–answer exchanges that makes an interview.
const minPairs = 3

// planTwoKeys segments by two keys (markers) that take turns. Which key asks: the one
// whose paragraphs end in a question mark clearly more often, else the one with the
// clearly shorter paragraphs, else the one that comes first. Evidence needed: five
// changes of key (three exchanges), and the asking side ending in "?" at least a third of
// the time, or speaking to someone half of the time ("حدثينا", "your"), or an interview
// cue in the title, byline or lede. A bulleted list of points and explanations
// ("* قلة الصيانة" / "- ...") has none of these.
func planTwoKeys(doc *schema.Document, qps []qaPara, keys []string, k1, k2 string) (qaPlan, bool) {
	changes, last := 0, ""
	for _, k := range keys {
		if k != k1 && k != k2 {
			continue
		}
		if last != "" && k != last {
			changes++
		}
		last = k
	}
	if changes < 2*minPairs-1 {
		return qaPlan{}, false
	}
	s1, s2 := statsOf(qps, keys, k1), statsOf(qps, keys, k2)
	kq, ka, sq := k1, k2, s1
	swap := false
	switch {
	case s1.qShare()-s2.qShare() >= 0.2:
	case s2.qShare()-s1.qShare() >= 0.2:
		swap = true
	case s1.avgWords() >= 1.5*s2.avgWords():
		swap = true
	case s2.avgWords() >= 1.5*s1.avgWords():
	case s2.firstAt < s1.firstAt:
		swap = true
	}
	if swap {
		kq, ka, sq = k2, k1, s2
	}
	// The Q&A opens with its first question: a marked one, or one that lost its marker
	// just before a marked answer. Answer-marked paragraphs before it are the article's
	// highlights ("- لا تهاون مع المخالفين"), set with the answers' dash as quotes from them.
	first := sq.firstAt
	for i := 0; i < sq.firstAt; i++ {
		if lostMarker(qps, keys, i, ka) {
			first = i
			break
		}
	}
	if !(sq.qShare() >= 1.0/3 || hasInterviewCue(doc, qps[:first]) || 2*addressing(qps, keys, kq) >= sq.n) {
		return qaPlan{}, false
	}
	plan := newPlan(len(qps), "two-markers")
	plan.first = first
	cur := sideNone
	for i := first; i < len(qps); i++ {
		switch {
		case keys[i] == kq:
			plan.sides[i] = sideQ
		case keys[i] == ka:
			plan.sides[i] = sideA
		case i == first || (cur == sideA && lostMarker(qps, keys, i, ka)):
			// A question that lost its marker, just before a marked answer.
			plan.sides[i] = sideQ
		default:
			plan.sides[i] = sideCont
		}
		if plan.sides[i] != sideCont {
			cur = plan.sides[i]
		}
	}
	return plan, true
}

// lostMarker reports whether paragraph i is a question that lost its marker: unkeyed,
// ending in a question mark of its own, just before an answer keyed ka.
func lostMarker(qps []qaPara, keys []string, i int, ka string) bool {
	return keys[i] == "" && qps[i].question && !qps[i].reported && i+1 < len(qps) && keys[i+1] == ka
}

// planOneKey segments by a key (a marker or a label) on one side only. When the key
// marks answers, the unkeyed paragraphs before each answer are the questions; when it
// marks questions, the unkeyed ones after each are the answers. The side whose
// paragraphs end in "?" most asks, and it must do so at least half of the time, over at
// least three exchanges; or, with an interview cue, the key marks answers each preceded
// by an unkeyed paragraph less than half as long (prompts without question marks).
func planOneKey(doc *schema.Document, qps []qaPara, keys []string, k string) (qaPlan, bool) {
	sk := statsOf(qps, keys, k)
	if sk.n < minPairs {
		return qaPlan{}, false
	}
	// Unkeyed paragraphs right before and right after a keyed one.
	var before, after keyStats
	for i := range qps {
		if keys[i] != k {
			continue
		}
		if i > 0 && keys[i-1] == "" {
			before.n++
			before.words += qps[i-1].words
			if qps[i-1].question && !qps[i-1].reported {
				before.questions++
			}
		}
		if i+1 < len(qps) && keys[i+1] == "" {
			after.n++
		}
	}
	const need = 0.5
	keyAnswers := before.n >= minPairs && before.avgWords() <= maxQuestionWords &&
		((before.qShare() >= need && before.qShare() > sk.qShare()) ||
			// Questions without question marks ("حدثنا عن بدايتك"): every answer has its
			// short unmarked prompt before it, and the article says it is an interview.
			(5*before.n >= 4*sk.n && 2*before.avgWords() <= sk.avgWords() && sk.qShare() < 0.2 &&
				hasInterviewCue(doc, qps[:max(0, sk.firstAt-1)])))
	// Where the article says it is an interview, the key's prompts ("حدثنا عن بداياتك",
	// "كلمة أخيرة") count with its questions: between them a sports interview's marked
	// statements put to the player ("البعض يرى أنك تفضل اللعب الفردي") are questions too.
	asks := sk.qShare() >= need ||
		ratio(sk.questions+sk.prompts, sk.n) >= need && hasInterviewCue(doc, qps[:sk.firstAt])
	keyAsks := after.n >= minPairs && asks && sk.qShare() > before.qShare()
	if !keyAnswers && !keyAsks {
		return qaPlan{}, false
	}
	plan := newPlan(len(qps), "one-marker")
	if keyAsks {
		plan.first = sk.firstAt
		for i := plan.first; i < len(qps); i++ {
			if keys[i] == k {
				plan.sides[i] = sideQ
			} else if plan.sides[i-1] == sideQ {
				plan.sides[i] = sideA
			} else {
				plan.sides[i] = sideCont
			}
		}
		return plan, true
	}
	// Keyed answers: in each run of unkeyed paragraphs between two answers, the question
	// starts at the last group of paragraphs ending in "?" (or at the run's last
	// paragraph); the ones before it still belong to the answer, which may ask a question
	// of its own ("فهل يعقل أن يتحمل لاعب واحد خسارة فريق كامل؟", then "نحن نفوز معا …").
	asked := func(i int) bool {
		return i > 0 && keys[i-1] == "" && (qps[i-1].question && !qps[i-1].reported || qps[i-1].prompt)
	}
	first := sk.firstAt
	if first > 0 && keys[first-1] == "" {
		first--
	}
	// Keyed paragraphs that open the text, or come two in a row before any question, are
	// highlights quoted from the answers (as in planTwoKeys): the first answer is the
	// first keyed paragraph after an unkeyed question or prompt.
	if !asked(sk.firstAt) && (sk.firstAt == 0 || sk.firstAt+1 < len(qps) && keys[sk.firstAt+1] == k) {
		for i := sk.firstAt + 1; i < len(qps); i++ {
			if keys[i] == k && asked(i) {
				first = i - 1
				break
			}
		}
	}
	plan.first = first
	for i := first; i < len(qps); {
		if keys[i] == k {
			plan.sides[i] = sideA
			i++
			continue
		}
		j := i
		for j < len(qps) && keys[j] != k {
			j++
		}
		if j == len(qps) { // after the last answer: its continuation
			for ; i < j; i++ {
				plan.sides[i] = sideCont
			}
			break
		}
		q := j - 1
		isQ := func(r int) bool { return qps[r].question && !qps[r].reported }
		for r := j - 1; r >= i; r-- {
			if isQ(r) {
				for q = r; q > i && isQ(q-1); q-- {
				}
				break
			}
		}
		for r := i; r < j; r++ {
			switch {
			case r < q:
				plan.sides[r] = sideCont
			case r == q:
				plan.sides[r] = sideQ
			default:
				plan.sides[r] = sideCont
			}
		}
		i = j
	}
	return plan, true
}

var (
	reInterviewCue = regexp.MustCompile(`(?i)حوار|حاور|مقابلة|interview|q\s*&\s*a|in conversation|(?:spoke|speaks|talked|talks|chatted|chats) (?:to|with)|s[ai]ts? down with|minutes with|questions for|\b(?:we|i) asked|caught up with|put (?:\S+ )?questions to|سألنا|طرحنا|طرحت\s+[«"“]|entretien|entrevista|intervista|gespräch`)
	// reTitleToOutlet is a title that gives what someone told the outlet ("مدير تعليم
	// الطائف لـ«عكاظ»: …"), as the Saudi press heads its interviews; reAnsweredQuestions a
	// lede that says someone answered its questions ("وأجاب عن أسئلة «عكاظ»", "answered
	// our questions", "responded to questions by email").
	reTitleToOutlet     = regexp.MustCompile(`(?:^|\s)لـ?\s*[«"“][^»"”]{1,40}[»"”]\s*[:：]`)
	reAnsweredQuestions = regexp.MustCompile(`(?i)(?:أجاب|أجابت|يجيب|تجيب|رد|ردت)\s+(?:\S+\s+)?(?:عن|على)\s+(?:\S+\s+)?أسئلة|(?:answer(?:s|ed)?|respond(?:s|ed)?\s+to)\s+(?:(?:our|the|these|some|a few|readers'?|written)\s+)?questions`)
)

// minQuestionShare is the share of question paragraphs, from the first question on,
// that makes a question-mark interview without a cue: an interview alternates, a news
// story with a few questions in it does not.
const minQuestionShare = 0.2

// maxQuestionWords bounds a question paragraph: a long paragraph ending in "?" is an
// argument closing on a rhetorical question, not an interviewer's question.
const maxQuestionWords = 80

// planQuestionMarks segments an interview whose questions are plain paragraphs ending
// in "?"/"؟" (bold markup lost by the scraper). A question whose question mark sits inside
// a quotation is reported speech; quotation marks elsewhere in a question ("You called it
// «a project»... is that still so?") are the interviewer quoting. Evidence needed: three
// questions each followed by an answer paragraph making up a fifth of the paragraphs from
// the first question on, or else two with an interview cue in the byline, title or lede;
// and answers that read like an interviewee's (see readsLikeInterview).
func planQuestionMarks(doc *schema.Document, qps []qaPara) (qaPlan, bool) {
	isQ := make([]bool, len(qps))
	for i, qp := range qps {
		isQ[i] = qp.question && !qp.reported && qp.words <= maxQuestionWords
	}
	first, pairs := -1, 0
	for i := 0; i < len(qps)-1; i++ {
		if isQ[i] && !isQ[i+1] {
			pairs++
			if first < 0 {
				first = i
				for first > 0 && isQ[first-1] {
					first--
				}
			}
		}
	}
	if pairs < 2 {
		return qaPlan{}, false
	}
	// Once question marks show an interview, a request between two answers ("Describe a
	// day in the studio.") is a question too; so is one right before the first question,
	// set apart from the lede by the answer that follows it. Requests are no evidence of
	// an interview by themselves: "Tell us what you think" ends many articles.
	// An answer may end on a rhetorical question ("فهل كان المطلوب أن نبني فوق أنابيب
	// مكسورة؟"): before the next question, a question paragraph that speaks as "I" or "we"
	// and addresses no one is the interviewee's, not a question in two parts.
	for i := first + 1; i < len(qps)-1; i++ {
		if isQ[i] && isQ[i+1] && firstPerson(qps[i].body) && !addresses(qps[i].body) {
			isQ[i] = false
		}
	}
	request := func(i int) bool {
		return qps[i].prompt && !isQ[i-1] && !isQ[i+1] && !qps[i+1].prompt
	}
	for i := first + 1; i < len(qps)-1; i++ {
		if request(i) {
			isQ[i] = true
		}
	}
	for first >= 3 && request(first-2) {
		isQ[first-2] = true
		first -= 2
	}
	nq := 0
	for _, q := range isQ[first:] {
		if q {
			nq++
		}
	}
	cue, told := interviewCues(doc, qps[:first])
	if (pairs < minPairs || float64(nq) < minQuestionShare*float64(len(qps)-first)) && !cue {
		return qaPlan{}, false
	}
	plan := newPlan(len(qps), "question-marks")
	plan.first = first
	for i := first; i < len(qps); i++ {
		if isQ[i] {
			plan.sides[i] = sideQ
		} else {
			plan.sides[i] = sideA
		}
	}
	if !readsLikeInterview(qps, plan, cue, told) {
		return plan, false
	}
	continueNumbering(qps, &plan)
	return plan, true
}

// continueNumbering marks as questions the paragraphs that carry the next number of
// numbered questions ("1- …؟", "2- …؟", then "3- هل هناك نية لخصخصة المستشفيات"):
// the numbers count the interviewer's turns, and a question may lack its question mark.
// Two numbered questions in sequence set the count; another list's item (an answer's
// "1.", "2.") or an unnumbered question ends it. It only segments an interview that the
// question marks have shown to be one.
func continueNumbering(qps []qaPara, plan *qaPlan) {
	last, run := 0, 0
	for i := plan.first; i < len(qps); i++ {
		n, isQ := qps[i].number, plan.sides[i] == sideQ
		switch {
		case isQ && n > 0 && (run == 0 || n == last+1):
			last, run = n, run+1
		case isQ:
			last, run = n, min(1, n)
		case n == 0:
		case run >= 2 && n == last+1 && plan.sides[i-1] != sideQ && qps[i].words <= maxQuestionWords && !qps[i].reported:
			plan.sides[i] = sideQ
			last, run = n, run+1
		default:
			last, run = 0, 0
		}
	}
}

// readsLikeInterview rejects the question-and-answer shapes that are not interviews:
// FAQs and listicles whose questions are numbered (unless a cue says interview and half
// the answers speak in the first person), and explainers whose "answers" never
// speak in the first person (an interviewee says "I", "we", "أنا", "نحن"). Without an
// interview cue, at least a quarter of the answers must be in the first person and a
// third of the questions must speak to someone ("you", "Sie", "تجربتك"): a self-help post
// asks "When will I use this?", a listicle's subheadings ask "Insecurities?". With a cue,
// a quarter of the questions must still address someone. When the title or the lede says
// the person answered the outlet (told), any answers will do.
func readsLikeInterview(qps []qaPara, plan qaPlan, cue, told bool) bool {
	var questions, numbered, answers, first, addressed int
	inAnswer := false
	personal := false
	flush := func() {
		if inAnswer {
			answers++
			if personal {
				first++
			}
		}
		inAnswer, personal = false, false
	}
	for i := plan.first; i < len(qps); i++ {
		switch plan.sides[i] {
		case sideQ:
			flush()
			questions++
			if qps[i].number > 0 {
				numbered++
			}
			if addresses(qps[i].body) {
				addressed++
			}
		case sideA, sideCont:
			if plan.sides[i] == sideA || inAnswer {
				inAnswer = true
				personal = personal || firstPerson(qps[i].body)
			}
		}
	}
	flush()
	if questions == 0 {
		return false
	}
	// A title that gives what the person told the outlet ("X لـ«عكاظ»: …"), or a lede
	// that says they answered its questions (told), heads an interview whatever the
	// questions' numbering and the answers' wording: no FAQ or explainer says so.
	if told {
		return answers > 0
	}
	// Numbered questions are how FAQs and listicles set theirs, and how "Ten questions
	// for …" sets an interview: the interview says it is one (a cue), and its answers
	// speak as "I" or "we", half of them at least, to questions put to someone. A
	// shop's FAQ ("Do you ship abroad?" "Yes, we …") has no cue.
	if 2*numbered >= questions && (!cue || 2*first < answers || 3*addressed < questions) {
		return false
	}
	// With a cue, questions that put nothing to anyone ("Do people get stung?", "ما
	// الجدول الزمني؟") are an interviewer's too when there are several and the answers
	// speak as "I" or "we", half of them at least.
	if cue {
		return 4*addressed >= questions || (questions >= minPairs && 2*first >= answers)
	}
	return answers > 0 && 4*first >= answers && 3*addressed >= questions
}

var (
	// reAddress matches a word addressing the interviewee (after fold); reAddressCased the
	// German polite forms, which only their capital tells from "sie" (she, they).
	reAddress      = regexp.MustCompile(`(?:^|[^\p{L}])(?:you|your|yours|yourself|du|dich|dir|dein|deine|deinen|deinem|deiner|euch|euer|vous|votre|vos|tu|toi|ton|ta|tes|usted|ustedes|su|sus|tú|te|ti|voi|lei|انت|انتم|انتي|لك|لكم|عندك|عندكم|لديك|لديكم|حدثنا|حدثينا)(?:[^\p{L}]|$)`)
	reAddressCased = regexp.MustCompile(`(?:^|[^\p{L}])(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)(?:[^\p{L}]|$)`)
	// Arabic addresses the interviewee by a suffix: "تجربتك", "رأيكم".
	reAddressAr = regexp.MustCompile(`\p{Arabic}{2,}(?:ك|كم|كن)(?:[^\p{L}]|$)`)
	// ... or by the verb after the question word (folded): "كيف ترى", "هل تعتقدون",
	// "متي ستعود". Alone, "ترى" may be "she sees"; opening a question, it is "you".
	reAddressArVerb = regexp.MustCompile(`(?:^|[^\p{L}])[وف]?(?:هل|كيف|ماذا|لماذا|متي|ما|اين|بماذا|بم|الا|لم)\s+س?ت\p{Arabic}{2,}`)
)

// arAddressTitles open an Arabic vocative (folded): "معالي الوزير،", "سعادة السفير،",
// "دكتور،". They are forms of address, not arHonorifics (the titles that precede a name
// in prose, "الكاتب", "اللاعب").
var arAddressTitles = foldSet("معالي", "سعادة", "فضيلة", "سمو", "سيادة", "دولة", "حضرة", "أستاذ", "الأستاذ", "أستاذة",
	"الأستاذة", "دكتور", "الدكتور", "دكتورة", "الدكتورة", "شيخ", "الشيخ", "كابتن", "الكابتن", "سيدي", "سيدتي", "مولانا")

// maxVocativeWords bounds the words before the comma of a vocative: the honorific and a
// title or name ("معالي وزير الصحة،"); more is a clause ("الشيخ الذي التقيناه أمس،").
const maxVocativeWords = 4

// arVocative reports whether a folded Arabic question opens by addressing someone: an
// honorific or "يا" and at most a few words before a comma.
func arVocative(f string) bool {
	head, _, ok := strings.Cut(f, "،")
	if !ok {
		if head, _, ok = strings.Cut(f, ","); !ok {
			return false
		}
	}
	ws := strings.Fields(head)
	if len(ws) == 0 || len(ws) > maxVocativeWords {
		return false
	}
	w := strings.TrimPrefix(ws[0], "و")
	return (w == "يا" && len(ws) > 1) || arAddressTitles[w] || arAddressTitles[ws[0]]
}

// arNotAddress are common words that end in "ك" without addressing anyone.
var arNotAddress = foldSet("ذلك", "كذلك", "لذلك", "هناك", "هنالك", "تلك", "المبارك", "مشترك", "المشترك", "بذلك", "وذلك", "وهناك", "فهناك", "ملك", "الملك", "البنك", "بنك", "تبارك", "مبارك", "شريك", "الشريك", "سمك", "ذاك", "كذاك")

// addresses reports whether a question speaks to someone: in the second person, or by
// opening with a vocative ("Mrs Stone,", "معالي الوزير،"), which is how an interviewer
// puts an impersonal question ("ما حقيقة ذلك؟") to the interviewee.
func addresses(s string) bool {
	if f := fold(s); reAddress.MatchString(f) || reAddressCased.MatchString(s) || reAddressArVerb.MatchString(f) ||
		latinVocative(s) != "" || arVocative(f) {
		return true
	}
	for _, m := range reAddressAr.FindAllString(s, -1) {
		if w := fold(strings.TrimFunc(m, func(r rune) bool { return !unicode.IsLetter(r) })); !arNotAddress[w] {
			return true
		}
	}
	return false
}

// reFirstPerson matches a first-person word (after fold): the interviewee speaking. The
// Arabic words may carry the conjunction ("ونحن", "فأنا").
var reFirstPerson = regexp.MustCompile(`(?:^|[^\p{L}])(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|our|ours|us|ich|mir|mich|mein|meine|meinen|meiner|wir|uns|unser|unsere|je|j|moi|nous|yo|nosotros|mi|mis|[وف]?(?:انا|نحن|لي|لنا|لدي|لدينا|عندي|عندنا|كنت|كنا|انني|اننا|بي|معي|معنا|نفسي|اعتقد|نعتقد|اري|نري|رايي|برايي|بلادي|بلادنا))(?:[^\p{L}]|$)`)

func firstPerson(s string) bool { return reFirstPerson.MatchString(fold(s)) }

// hasInterviewCue reports whether the title, byline or lede says the article is an
// interview.
// toldOutlet reports whether the title gives what someone told the outlet, or the lede
// says someone answered its questions: a person answers, whatever the answers' wording.
func toldOutlet(doc *schema.Document, lede []qaPara) bool {
	if reTitleToOutlet.MatchString(doc.Title) {
		return true
	}
	for _, qp := range lede {
		if reAnsweredQuestions.MatchString(qp.p.Text) {
			return true
		}
	}
	return false
}

func hasInterviewCue(doc *schema.Document, lede []qaPara) bool {
	cue, _ := interviewCues(doc, lede)
	return cue
}

// interviewCues reports whether the page says it is an interview (cue), and whether it
// says a person answered the outlet (told, which is a cue too).
func interviewCues(doc *schema.Document, lede []qaPara) (cue, told bool) {
	if told = toldOutlet(doc, lede); told {
		return true, true
	}
	if doc.CreditsInterview() {
		return true, false
	}
	text := doc.Title + "\n" + strings.Join(doc.Byline, "\n")
	for _, qp := range lede {
		text += "\n" + qp.p.Text
	}
	// The paper meeting the person ("وقد التقته «الضفة»", "التقيناه في مكتبه") says so
	// too, where the paper meeting no one is the subject ("التقى الوزير نظيره") does not.
	if reInterviewCue.MatchString(reDialogue.ReplaceAllString(text, " ")) {
		return true, false
	}
	// The cheap tests first: most texts hold neither guillemets nor "التقينا".
	return strings.Contains(text, "«") && reMetOutlet.MatchString(text) ||
		strings.Contains(text, "التقينا") && reWeMet.MatchString(text), false
}

// reDialogue is "حوار" in the sense of a dialogue between others, no interview: an
// exchange in court ("حوارا بين القاضي والمتهم"), a national or political dialogue,
// its sessions and table.
var reDialogue = regexp.MustCompile(`(?:ال)?حوار(?:ا|ات)?\s+(?:دار\s+|جرى\s+)?بين|(?:ال)?حوار\s+(?:ال)?(?:وطني|سياسي|استراتيجي|مجتمعي|الأديان)|(?:طاولة|جلسة|جلسات|مؤتمر)\s+(?:ال)?حوار`)

// reWeMet is the paper, in the first person plural, meeting the person it interviews.
var reWeMet = regexp.MustCompile(`(?:^|\s)(?:و|ف)?(?:التقيناه|التقيناها|التقيناهم|التقينا\s+(?:ب|مع))`)

// boldLayout is the bold type of a document's paragraphs, as analyseTurns reads them:
// the paragraphs split where a bold question opens one, and which of those are bold.
type boldLayout struct {
	paras  []schema.Paragraph
	bold   map[int]bool
	italic map[int]bool // the paragraphs set entirely in italics
}

// minBoldLeadQuestions is how many paragraphs must open with a bold question before they
// are split into question and answer: one such paragraph is emphasis, a run of them is
// how the page sets an interview ("<b>How did you start?</b> My grandmother …").
const minBoldLeadQuestions = 2

// readBoldLayout reads schema.MetaBoldParagraphs and schema.MetaBoldLeads over paras. A
// paragraph whose bold lead reads as a question becomes two: the question (bold) and the
// rest of the paragraph, its answer.
func readBoldLayout(doc *schema.Document, paras []schema.Paragraph) boldLayout {
	whole, italic := map[int]bool{}, map[int]bool{}
	for _, i := range doc.BoldParagraphs() {
		if i >= 0 && i < len(paras) {
			whole[i] = true
		}
	}
	for _, i := range doc.ItalicParagraphs() {
		if i >= 0 && i < len(paras) {
			italic[i] = true
		}
	}
	splits := map[int]int{} // paragraph → code points of its question
	requests := map[int]int{}
	for _, l := range doc.BoldLeads() {
		if l.Paragraph < 0 || l.Paragraph >= len(paras) || whole[l.Paragraph] {
			continue
		}
		if n := questionLead(paras[l.Paragraph].Text, l.Length); n > 0 {
			splits[l.Paragraph] = n
		} else if n := requestLead(paras[l.Paragraph].Text, l.Length); n > 0 {
			requests[l.Paragraph] = n
		}
	}
	if len(splits) < minBoldLeadQuestions {
		splits = nil
	} else {
		// Among bold questions, a bold request ("<b>Describe a typical Monday.</b> I am
		// at the market …") is one too; alone, a bold sentence opening a paragraph is
		// emphasis.
		maps.Copy(splits, requests)
	}
	return boldLayout{paras: paras, bold: whole, italic: italic}.split(splits, true)
}

// split cuts each paragraph i of l after cuts[i] code points into two; the first half is
// bold when boldHead is set or the paragraph was.
func (l boldLayout) split(cuts map[int]int, boldHead bool) boldLayout {
	if len(cuts) == 0 {
		return l
	}
	out := boldLayout{bold: map[int]bool{}, italic: map[int]bool{}}
	for i, p := range l.paras {
		n, ok := cuts[i]
		if !ok {
			out.add(p, l.bold[i], l.italic[i])
			continue
		}
		head, rest := splitParagraph(p, n)
		out.add(head, boldHead || l.bold[i], l.italic[i])
		out.add(rest, l.bold[i], l.italic[i])
	}
	return out
}

// reInlineQALabel finds a Q/A label inside a paragraph, after the end of a sentence: a
// scrape that lost its line breaks writes "س: كيف بدأت؟ ج: بدأت …" as one paragraph.
// English labels count here only with a colon: "… in 2019. A. Smith said" is prose.
var reInlineQALabel = regexp.MustCompile(`[.!?؟…»"”]\s+((?:س|ج|سؤال|جواب|السؤال|الجواب)\s*[0-9٠-٩]*\s*[:：/]|(?:Q|A|Question|Answer)\s*[:：])`)

// splitInlineLabels cuts a paragraph that opens with a Q/A label before every further
// Q/A label inside it, so each turn is a paragraph of its own.
func splitInlineLabels(l boldLayout) boldLayout {
	for {
		cuts := map[int]int{}
		for i, p := range l.paras {
			if k := classifyPara(p).kind; k != kindQ && k != kindA {
				continue
			}
			if m := reInlineQALabel.FindStringSubmatchIndex(p.Text); m != nil {
				cuts[i] = utf8.RuneCountInString(p.Text[:m[2]])
			}
		}
		if len(cuts) == 0 {
			return l
		}
		l = l.split(cuts, false)
	}
}

// reInlineMarkedPair finds a question opened by a marker and answered after a dash
// inside a paragraph ("… الصيف. * كم زائرا تتوقعون؟ - نتوقع مليون زائر"), as a scrape
// that lost its line breaks writes a marked interview: the positions of the question's
// marker and of the answer's dash.
var reInlineMarkedPair = regexp.MustCompile(`(?:^|[.!?؟…»"”]\s+)([*•●>])\s*[^*•●>\n]{2,400}?[?؟]\s+([-–ـ])\s`)

// splitInlineMarkers cuts a scrape's paragraphs before every marked question and every
// dashed answer inside them, so each turn is a paragraph of its own, where the text holds
// at least minPairs such pairs: one "?" followed by a dash is prose.
func splitInlineMarkers(l boldLayout) boldLayout {
	found := make([][][]int, len(l.paras))
	pairs := 0
	for i, p := range l.paras {
		// The regexp only where a dash follows a question mark: marked interviews with a
		// turn to a line are common, and have none.
		if !hasMarker(p.Text) || !dashAfterQuestion(p.Text) {
			continue
		}
		found[i] = reInlineMarkedPair.FindAllStringSubmatchIndex(p.Text, -1)
		pairs += len(found[i])
	}
	if pairs < minPairs {
		return l
	}
	out := boldLayout{paras: make([]schema.Paragraph, 0, len(l.paras)+2*pairs), bold: map[int]bool{}, italic: map[int]bool{}}
	for i, p := range l.paras {
		var cuts []int
		for _, m := range found[i] {
			for _, at := range []int{m[2], m[4]} {
				if n := utf8.RuneCountInString(p.Text[:at]); n > 0 {
					cuts = append(cuts, n)
				}
			}
		}
		done := 0
		for _, n := range cuts {
			head, rest := splitParagraph(p, n-done)
			out.add(head, l.bold[i], l.italic[i])
			p, done = rest, n
		}
		out.add(p, l.bold[i], l.italic[i])
	}
	return out
}

// hasMarker reports whether s holds a question marker of reInlineMarkedPair, by byte
// search: strings.ContainsAny with non-ASCII runes decodes every rune of s.
func hasMarker(s string) bool {
	return strings.IndexByte(s, '*') >= 0 || strings.IndexByte(s, '>') >= 0 ||
		strings.Contains(s, "•") || strings.Contains(s, "●")
}

// dashAfterQuestion reports whether a question mark in s is followed, after spaces, by a
// dash that may open an answer.
func dashAfterQuestion(s string) bool {
	for _, mark := range []string{"؟", "?"} {
		for i := 0; ; {
			j := strings.Index(s[i:], mark)
			if j < 0 {
				break
			}
			i += j + len(mark)
			rest := strings.TrimLeft(s[i:], " \t\u00a0")
			if r, _ := utf8.DecodeRuneInString(rest); len(rest) < len(s[i:]) && (r == '-' || r == '–' || r == 'ـ') {
				return true
			}
		}
	}
	return false
}

// add appends a paragraph to l with its type.
func (l *boldLayout) add(p schema.Paragraph, bold, italic bool) {
	if bold {
		l.bold[len(l.paras)] = true
	}
	if italic {
		l.italic[len(l.paras)] = true
	}
	l.paras = append(l.paras, p)
}

// questionLead returns how many code points of text its bold lead of n code points
// takes as a question, stretched over the punctuation the page left outside the bold
// ("<b>Why now</b>? …") and the spaces after it; 0 when the lead is no question or
// nothing worded follows it.
func questionLead(text string, n int) int {
	return boldLead(text, n, "?؟!.:…", func(r []rune, n int) int {
		switch classifyBold(string(r[:n])) {
		case boldQuestion:
			return n
		case boldLabel:
			// The page set the answerer's label in bold with the question ("<b>Why now?
			// Anne Lück:</b> Because …"): the question ends at its question mark, and the
			// label stays with the answer, where it names the speaker.
			q := lastQuestionMark(r[:n])
			if q < 0 {
				return 0
			}
			if name, rest, ok := speakerLabel(strings.TrimSpace(string(r[q+1 : n]))); !ok || rest != "" || name == "" {
				return 0
			}
			if classifyBold(string(r[:q+1])) == boldQuestion {
				return q + 1
			}
		}
		return 0
	})
}

// requestLead is questionLead for a request to the interviewee (see reRequest).
func requestLead(text string, n int) int {
	return boldLead(text, n, ".!:…", func(r []rune, n int) int {
		lead := strings.TrimSpace(string(r[:n]))
		if len(strings.Fields(lead)) > maxRequestWords || !reRequest.MatchString(fold(lead)) || !endsSentence(lead) {
			return 0
		}
		return n
	})
}

// boldLead stretches a bold lead of n code points of text over the punctuation in punct
// that follows it, lets take decide how much of it is the turn (0: none), and stretches
// that over the spaces after it. It returns 0 when nothing worded is left for the answer.
func boldLead(text string, n int, punct string, take func(r []rune, n int) int) int {
	r := []rune(text)
	if n <= 0 || n >= len(r) {
		return 0
	}
	for n < len(r) && strings.ContainsRune(punct, r[n]) {
		n++
	}
	if n = take(r, n); n <= 0 {
		return 0
	}
	for n < len(r) && unicode.IsSpace(r[n]) {
		n++
	}
	if !strings.ContainsFunc(string(r[n:]), unicode.IsLetter) {
		return 0
	}
	return n
}

func lastQuestionMark(r []rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == '?' || r[i] == '؟' {
			return i
		}
	}
	return -1
}

// splitParagraph cuts p after n code points into two paragraphs with their own offsets,
// trailing spaces of the first left out.
func splitParagraph(p schema.Paragraph, n int) (schema.Paragraph, schema.Paragraph) {
	r := []rune(p.Text)
	head := strings.TrimRightFunc(string(r[:n]), unicode.IsSpace)
	first := schema.Paragraph{Start: p.Start, End: p.Start + utf8.RuneCountInString(head), Text: head}
	return first, schema.Paragraph{Start: p.Start + n, End: p.End, Text: string(r[n:])}
}

// reInterrogative matches a sentence that opens with a question word, in English or
// Arabic (after fold: hamza seats removed, so "أين" is "اين"), with an optional Arabic
// conjunction "و"/"ف" before it.
var reInterrogative = regexp.MustCompile(`^(?:(?:how|what|why|when|where|who|whom|whose|which|do|does|did|is|are|was|were|can|could|would|will|should|have|has|had)\b|[وف]?(?:هل|كيف|ماذا|لماذا|ما|متي|اين|من|كم|اي|لم)(?:\s|$))`)

// reSecondPerson matches a word addressing the reader or interviewee (after fold).
var reSecondPerson = regexp.MustCompile(`(?:^|[^\p{L}])(?:you|your|yours|yourself|yourselves|انت|انتم|انتي|لك|لكم|عندك|عندكم|لديك|لديكم)(?:[^\p{L}]|$)`)

// minHeadlessQuestionWords is the length from which a bold paragraph that opens with a
// question word but has no question mark is a question even without "you": shorter
// ones are subheadings ("Why it matters", "What happens next", "ماذا بعد").
const minHeadlessQuestionWords = 6

// boldKind is what an all-bold paragraph looks like.
type boldKind int

const (
	boldHeading  boldKind = iota // a phrase: subheading, name, caption
	boldQuestion                 // ends in "?"/"؟" or opens with a question word
	boldPrompt                   // a short sentence: "Tell us about your childhood."
	boldLabel                    // a speaker label alone: "Anne:"
	boldPassage                  // a long sentence: a standfirst or an emphasised passage
)

// maxPromptWords bounds a bold prompt that is not a question: interviewers' prompts are
// short ("Tell us about your childhood."); a longer bold sentence is a standfirst or an
// emphasised passage.
const maxPromptWords = 30

func classifyBold(text string) boldKind {
	body := stripLeadMarkers(text)
	end := trimEndPunct(body)
	words := len(strings.Fields(body))
	switch {
	case strings.HasSuffix(end, ":") || strings.HasSuffix(end, "："):
		return boldLabel
	case words > maxQuestionWords:
		return boldPassage
	case strings.HasSuffix(end, "?") || strings.HasSuffix(end, "؟"):
		return boldQuestion
	case reInterrogative.MatchString(fold(body)) && (words >= minHeadlessQuestionWords || reSecondPerson.MatchString(fold(body))):
		return boldQuestion
	case strings.HasSuffix(end, ".") || strings.HasSuffix(end, "…") || strings.HasSuffix(end, "!"):
		if words <= maxPromptWords {
			return boldPrompt
		}
		return boldPassage
	}
	return boldHeading
}

// planBold segments an interview whose questions the page set in bold (or, given the
// italic paragraphs, in italics) and whose answers are plain. Bold is also how pages set
// subheadings, standfirsts and emphasised passages, so the bold paragraphs must read as
// an interviewer's: from the first one on,
// at least three bold questions or prompts each followed by a plain answer (two with an
// interview cue in the title, byline or lede); at least two thirds of the bold paragraphs
// questions or prompts, not headings (subheadings are rarely sentences, and rarely open
// with a question word); at least half of those actual questions unless a cue says
// interview (a run of bold sentences in a petition is emphasis, not prompts); and answers
// that read like an interviewee's (see readsLikeInterview).
func planBold(doc *schema.Document, qps []qaPara, bold map[int]bool, mode string) (qaPlan, bool) {
	if len(bold) < 2 {
		return qaPlan{}, false
	}
	kinds := make([]boldKind, len(qps))
	asks := func(i int) bool {
		return bold[i] && (kinds[i] == boldQuestion || kinds[i] == boldPrompt)
	}
	for i := range qps {
		if bold[i] {
			kinds[i] = classifyBold(qps[i].p.Text)
		}
	}
	for _, i := range pullQuotes(qps, bold) {
		kinds[i] = boldPassage
	}
	// A bold sentence opening the text is the standfirst, not a prompt.
	if kinds[0] == boldPrompt {
		kinds[0] = boldPassage
	}
	first, pairs := -1, 0
	for i := 0; i < len(qps)-1; i++ {
		if asks(i) && !bold[i+1] {
			pairs++
			if first < 0 {
				first = i
			}
		}
	}
	if pairs < 2 {
		return qaPlan{}, false
	}
	// Bold prompts right before the first question are part of it ("You have said …",
	// then "How did you …?"), as they are in the middle of the interview.
	for first > 0 && asks(first-1) {
		first--
	}
	cue, told := interviewCues(doc, qps[:first])
	if cue {
		for i := first + 1; i < len(qps)-1; i++ {
			if kinds[i] == boldHeading && !bold[i-1] && !bold[i+1] && readsAsStatement(qps[i].body) {
				kinds[i] = boldPrompt
			}
		}
	}
	var nBold, nAsk, nQuestion int
	for i := first; i < len(qps); i++ {
		if !bold[i] {
			continue
		}
		nBold++
		if asks(i) {
			nAsk++
		}
		if kinds[i] == boldQuestion {
			nQuestion++
		}
	}
	if (pairs < minPairs && !cue) || 3*nAsk < 2*nBold || (2*nQuestion < nAsk && !cue) {
		return qaPlan{}, false
	}
	plan := newPlan(len(qps), mode)
	plan.first = first
	for i := first; i < len(qps); i++ {
		switch {
		case asks(i):
			plan.sides[i] = sideQ
		case !bold[i]:
			plan.sides[i] = sideA
		default:
			plan.sides[i] = sideCont
		}
	}
	if !readsLikeInterview(qps, plan, cue, told) {
		return plan, false
	}
	return plan, true
}

// readsAsStatement says whether a bold paragraph without final punctuation that stands
// between an answer and a plain paragraph, in an interview whose questions are bold, is a
// statement put to the interviewee ("المزارعون يشكون من نقص مياه الري في الصيف", then "هذا
// صحيح، …"): a subheading there would be followed by the next question, not by an answer.
// Short phrases and title-cased English stay headings ("The Early Years", "On His Father").
func readsAsStatement(body string) bool {
	words := strings.Fields(body)
	if len(words) < minStatementWords {
		return false
	}
	capitalised, latin := 0, 0
	for _, w := range words[1:] {
		r, _ := utf8.DecodeRuneInString(w)
		if r < unicode.MaxLatin1 && unicode.IsLetter(r) {
			latin++
			if unicode.IsUpper(r) {
				capitalised++
			}
		}
	}
	return latin == 0 || 2*capitalised < latin
}

// minStatementWords is the length from which an unpunctuated bold line can be a
// statement put to the interviewee rather than a subheading.
const minStatementWords = 5

// minPullQuoteWords is the length from which a bold sentence that another paragraph
// holds word for word is a pull quote: shorter ones may be a prompt the answer repeats.
const minPullQuoteWords = 6

// pullQuotes are the bold paragraphs that another paragraph holds word for word: quotes
// the page sets large beside the answer they come from ("The roof was gone and there
// were pigeons everywhere"), no interviewer's.
func pullQuotes(qps []qaPara, bold map[int]bool) []int {
	var words []string
	var out []int
	for i := range qps {
		if !bold[i] {
			continue
		}
		toks := tokens(qps[i].body)
		if len(toks) < minPullQuoteWords {
			continue
		}
		if words == nil {
			words = make([]string, len(qps))
			for j, qp := range qps {
				words[j] = " " + strings.Join(tokens(qp.body), " ") + " "
			}
		}
		quote := " " + strings.Join(toks, " ") + " "
		for j := range qps {
			if j != i && strings.Contains(words[j], quote) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// labelClusters groups the speaker labels of a document by person: "Barenberg" is
// "Jasper Barenberg", "Rick" is "Rick Evans", "د. سامية" is "سامية العمودي".
type labelClusters struct {
	order   []string          // cluster keys in order of first appearance
	count   map[string]int    // paragraphs labelled per cluster
	display map[string]string // the fullest label of each cluster
	byLabel map[string]string // folded label → cluster key
}

// labelWords are the folded words of a label that identify the person: titles such as
// "Mr", "Dr", "د." set aside.
func labelWords(label string) []string {
	var out []string
	for _, w := range strings.Fields(label) {
		fw := fold(strings.Trim(w, ".:"))
		if fw == "" || personTitles[fw] {
			continue
		}
		out = append(out, fw)
	}
	return out
}

// personTitles are folded titles that precede a name in a label or a lede.
var personTitles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "professor": true, "sir": true,
	"dame": true, "herr": true, "frau": true, "m": true, "mme": true, "sr": true, "sra": true,
	"د": true, "م": true, "ا": true, "ا.د": true, "السيد": true, "السيده": true, "الدكتور": true, "الدكتوره": true, "الشيخ": true, "الشيخه": true,
	"الاستاذ": true, "الاستاذه": true, "المهندس": true, "المهندسه": true,
}

// initialsFor reports whether label is the initials of name ("SC" of "Sarah Cole"): an
// interview that names its speakers in full once and by initials after.
func initialsFor(label, name string) bool {
	return isInitials(label) && len(strings.Fields(name)) >= 2 && strings.ReplaceAll(label, ".", "") == initialsOf(name)
}

func clusterLabels(qps []qaPara) labelClusters {
	c := labelClusters{count: map[string]int{}, display: map[string]string{}, byLabel: map[string]string{}}
	words := map[string][]string{}
	for _, qp := range qps {
		if qp.kind != kindName {
			continue
		}
		fl := fold(qp.name)
		k, ok := c.byLabel[fl]
		if !ok {
			lw := labelWords(qp.name)
			for _, ck := range c.order {
				if subsetWords(lw, words[ck]) || subsetWords(words[ck], lw) || initialsFor(qp.name, c.display[ck]) || initialsFor(c.display[ck], qp.name) {
					k, ok = ck, true
					break
				}
			}
			if !ok {
				k = fl
				c.order = append(c.order, k)
				words[k] = lw
				c.display[k] = qp.name
			}
			c.byLabel[fl] = k
			if len(lw) > len(words[k]) {
				words[k] = lw
				c.display[k] = qp.name
			}
		}
		c.count[k]++
	}
	return c
}

// subsetWords reports whether every word of a (at least one) is in b.
func subsetWords(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, w := range a {
		found := false
		for _, x := range b {
			if w == x {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// key returns the cluster key of a label as written, "" if it is not a known label.
func (c labelClusters) key(label string) string { return c.byLabel[fold(label)] }

// recurring counts the clusters labelling at least two paragraphs.
func (c labelClusters) recurring() int {
	n := 0
	for _, k := range c.order {
		if c.count[k] >= 2 {
			n++
		}
	}
	return n
}

// isLetterWord reports whether s has a letter.
func isLetterWord(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
