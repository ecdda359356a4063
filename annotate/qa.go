package annotate

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/newsds/newsds/schema"
)

// qaVersion changes whenever the rules change what they find.
const qaVersion = "1.1.0"

// NewQA returns the rule-based interview-structure annotator (layer qa_turns). It finds
// question and answer turns from Q/A labels ("س:"/"ج:", "Q:"/"A:"), transcript speaker
// labels ("NAME:"), questions the HTML page set in bold (Meta["bold_paragraphs"], see
// turnsFromBold) or question paragraphs ending in "?"/"؟" alternating with answers, and
// names the speakers from the byline and the lede. An article without such evidence gets
// no turns.
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
	for i, t := range turns {
		it, err := schema.Span(doc.Text, t.Start, t.End)
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
}

// paraKind is what a paragraph's leading label says about it.
type paraKind int

const (
	kindNone paraKind = iota
	kindQ             // "س:", "Q:", "Question:"
	kindA             // "ج:", "A:", "Answer:"
	kindName          // "NAME:" transcript label
)

type qaPara struct {
	p        schema.Paragraph
	kind     paraKind
	name     string // the speaker label of a kindName paragraph
	question bool   // ends in a question mark
}

var (
	// Leading list and dialogue markers seen in scraped interviews.
	reLeadMarker = regexp.MustCompile(`^\s*(?:[*\-ـ•●>–—]+|\.\.+)\s*`)
	reQALabelAr  = regexp.MustCompile(`^(س|سؤال|السؤال|ج|جواب|الجواب)\s*[:：]\s*`)
	reQALabelEn  = regexp.MustCompile(`^(?:(Q|A)|(?i:(question|answer)))\s*[:：]\s*`)
	// A transcript label: one to four name words and a colon, then the turn text.
	reNameLabelEn = regexp.MustCompile(`^((?:[A-Z][\p{L}'’.\-]*|of|the|de|al|bin|van|von|da)(?:\s+(?:[A-Z][\p{L}'’.\-]*|of|the|de|al|bin|van|von|da)){0,3})\s*[:：]\s+\S`)
	reNameLabelAr = regexp.MustCompile(`^(\p{Arabic}+(?:\s+\p{Arabic}+){0,2})\s*[:：]\s+\S`)
)

// notSpeakerLabels are words that end in a colon in ordinary news text: reporting verbs,
// notes and section headings. Compared after fold.
var notSpeakerLabels = map[string]bool{
	"note": true, "update": true, "updated": true, "source": true, "sources": true, "photo": true,
	"read more": true, "related": true, "see also": true, "editor's note": true, "correction": true,
	"watch": true, "listen": true, "video": true, "breaking": true, "analysis": true, "opinion": true,
	"warning": true, "background": true, "disclaimer": true, "also read": true, "more": true,
	"قال": true, "وقال": true, "قالت": true, "وقالت": true, "اضاف": true, "واضاف": true, "اضافت": true,
	"واضافت": true, "تابع": true, "وتابع": true, "اكد": true, "واكد": true, "اوضح": true, "واوضح": true,
	"مضيفا": true, "مؤكدا": true, "موضحا": true, "متابعا": true, "قائلا": true, "بقوله": true,
	"المصدر": true, "اقرا ايضا": true, "اقرا المزيد": true, "ملاحظه": true, "تحديث": true, "يقول": true,
	"ويقول": true, "تقول": true, "وتقول": true, "حوار": true, "كتب": true, "كتبت": true, "تصوير": true,
}

// stripLeadMarkers removes leading dialogue markers ("-", "•", "ـ", "..") from s.
func stripLeadMarkers(s string) string {
	for {
		t := reLeadMarker.ReplaceAllString(s, "")
		if t == s {
			return s
		}
		s = t
	}
}

func classifyPara(p schema.Paragraph) qaPara {
	qp := qaPara{p: p}
	body := stripLeadMarkers(p.Text)
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
	} else if m := reNameLabelEn.FindStringSubmatch(body); m != nil && !notSpeakerLabels[fold(m[1])] {
		qp.kind, qp.name = kindName, m[1]
		body = body[len(m[1]):]
	} else if m := reNameLabelAr.FindStringSubmatch(body); m != nil && !notSpeakerLabels[fold(m[1])] {
		qp.kind, qp.name = kindName, m[1]
		body = body[len(m[1]):]
	}
	end := trimEndPunct(body)
	qp.question = strings.HasSuffix(end, "?") || strings.HasSuffix(end, "؟")
	return qp
}

// findTurns returns the interview turns of doc, or nil when it is not an interview.
func findTurns(doc *schema.Document) []qaTurn {
	paras := doc.Paragraphs()
	if len(paras) < 3 {
		return nil
	}
	qps := make([]qaPara, len(paras))
	for i, p := range paras {
		qps[i] = classifyPara(p)
	}
	var turns []qaTurn
	var first int // index of the first turn paragraph: everything before is the lede
	if t, f, ok := turnsFromQALabels(qps); ok {
		turns, first = t, f
	} else if t, f, ok := turnsFromNameLabels(qps); ok {
		turns, first = t, f
	} else if t, f, ok := turnsFromBold(doc, qps); ok {
		turns, first = t, f
	} else if t, f, ok := turnsFromQuestionMarks(doc, qps); ok {
		turns, first = t, f
	} else {
		return nil
	}
	nameSpeakers(doc, qps[:first], turns)
	return turns
}

// merge appends paragraph p to turns, extending the last turn when the speaker (role and
// label name) is unchanged: a turn is a maximal run of one speaker's paragraphs.
func merge(turns []qaTurn, p schema.Paragraph, label, speaker string) []qaTurn {
	role := "interviewee"
	if label == "question" {
		role = "interviewer"
	}
	if n := len(turns); n > 0 && turns[n-1].Label == label && turns[n-1].Speaker == speaker {
		turns[n-1].End = p.End
		return turns
	}
	return append(turns, qaTurn{Start: p.Start, End: p.End, Label: label, Role: role, Speaker: speaker})
}

// turnsFromQALabels segments by explicit question/answer labels. At least two labelled
// questions are needed. Unlabelled paragraphs continue the previous turn, except that
// when answers carry no label at all, an unlabelled paragraph after a question answers it.
func turnsFromQALabels(qps []qaPara) ([]qaTurn, int, bool) {
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
	if nq < 2 {
		return nil, 0, false
	}
	var turns []qaTurn
	prev := ""
	for _, qp := range qps[first:] {
		label := prev
		switch {
		case qp.kind == kindQ:
			label = "question"
		case qp.kind == kindA:
			label = "answer"
		case na == 0:
			label = "answer"
		}
		turns = merge(turns, qp.p, label, "")
		prev = label
	}
	return turns, first, true
}

// turnsFromNameLabels segments a transcript with "NAME:" labels. It needs two speakers
// who each speak at least twice and at least three changes of speaker; a news story
// quoting someone with a colon does not qualify.
func turnsFromNameLabels(qps []qaPara) ([]qaTurn, int, bool) {
	count := map[string]int{}
	questions := map[string]int{}
	var order []string
	first, changes, last := -1, 0, ""
	for i, qp := range qps {
		if qp.kind != kindName {
			continue
		}
		k := fold(qp.name)
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
		if qp.question {
			questions[k]++
		}
		if first < 0 {
			first = i
		}
		if last != "" && k != last {
			changes++
		}
		last = k
	}
	recurring := 0
	for _, k := range order {
		if count[k] >= 2 {
			recurring++
		}
	}
	if recurring < 2 || changes < 3 {
		return nil, 0, false
	}
	// The interviewer asks: the speaker with the highest share of questions, the first
	// speaker on a tie. Without two questions from that speaker the labels are a list
	// ("California: ...", "Oregon: ..."), not a conversation.
	interviewer, best := order[0], -1.0
	for _, k := range order {
		if share := float64(questions[k]) / float64(count[k]); share > best {
			interviewer, best = k, share
		}
	}
	if questions[interviewer] < 2 {
		return nil, 0, false
	}
	var turns []qaTurn
	speaker, label := "", ""
	for _, qp := range qps[first:] {
		if qp.kind == kindName {
			speaker, label = qp.name, "answer"
			if fold(qp.name) == interviewer {
				label = "question"
			}
		}
		turns = merge(turns, qp.p, label, speaker)
	}
	return turns, first, true
}

var (
	reInterviewCue = regexp.MustCompile(`(?i)حوار|حاور|interview|q\s*&\s*a|in conversation|spoke to|speaks to|talked to|talks to|told`)
	// Quotation marks in a paragraph ending in "?" mean reported speech (a judge's
	// question quoted in a court story), not an interviewer's question.
	reQuoted = regexp.MustCompile(`["“”«»]`)
)

// minQuestionShare is the share of question paragraphs, from the first question on,
// that makes a question-mark interview without a cue: an interview alternates, a news
// story with a few questions in it does not.
const minQuestionShare = 0.2

// maxQuestionWords bounds a question paragraph: a long paragraph ending in "?" is an
// argument closing on a rhetorical question, not an interviewer's question.
const maxQuestionWords = 80

// turnsFromQuestionMarks segments an interview whose questions are plain paragraphs
// ending in "?"/"؟" (bold markup lost by the scraper). Evidence needed: three questions
// each followed by an answer paragraph making up a fifth of the paragraphs from the
// first question on, or else two with an interview cue in the byline, title or lede.
func turnsFromQuestionMarks(doc *schema.Document, qps []qaPara) ([]qaTurn, int, bool) {
	isQ := make([]bool, len(qps))
	for i, qp := range qps {
		isQ[i] = qp.question && len(strings.Fields(qp.p.Text)) <= maxQuestionWords && !reQuoted.MatchString(qp.p.Text)
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
		return nil, 0, false
	}
	nq := 0
	for _, q := range isQ[first:] {
		if q {
			nq++
		}
	}
	if (pairs < 3 || float64(nq) < minQuestionShare*float64(len(qps)-first)) && !hasInterviewCue(doc, qps[:first]) {
		return nil, 0, false
	}
	var turns []qaTurn
	for i, qp := range qps[first:] {
		label := "answer"
		if isQ[first+i] {
			label = "question"
		}
		turns = merge(turns, qp.p, label, "")
	}
	return turns, first, true
}

// hasInterviewCue reports whether the title, byline or lede says the article is an
// interview.
func hasInterviewCue(doc *schema.Document, lede []qaPara) bool {
	cue := doc.Title + "\n" + strings.Join(doc.Byline, "\n")
	for _, qp := range lede {
		cue += "\n" + qp.p.Text
	}
	return reInterviewCue.MatchString(cue)
}

// metaBoldParagraphs is the Meta key where HTML extraction (corpus.MetaBoldParagraphs)
// lists the paragraphs the page set entirely in bold.
const metaBoldParagraphs = "bold_paragraphs"

// boldParagraphs reads Meta["bold_paragraphs"] as a set of paragraph indexes below n. The
// value is an []int from extraction, or a JSON array once the document was stored.
func boldParagraphs(doc *schema.Document, n int) map[int]bool {
	var idx []int
	switch v := doc.Meta[metaBoldParagraphs].(type) {
	case []int:
		idx = v
	case []any:
		for _, e := range v {
			switch x := e.(type) {
			case float64:
				if x == float64(int(x)) {
					idx = append(idx, int(x))
				}
			case int:
				idx = append(idx, x)
			case json.Number:
				if i, err := x.Int64(); err == nil {
					idx = append(idx, int(i))
				}
			}
		}
	}
	set := map[int]bool{}
	for _, i := range idx {
		if i >= 0 && i < n {
			set[i] = true
		}
	}
	return set
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

// turnsFromBold segments an interview whose questions the page set in bold and whose
// answers are plain. Bold is also how pages set subheadings, standfirsts and emphasised
// passages, so the bold paragraphs must read as an interviewer's: from the first one on,
// at least three bold questions or prompts each followed by a plain answer (two with an
// interview cue in the title, byline or lede); at least two thirds of the bold paragraphs
// questions or prompts, not headings (subheadings are rarely sentences, and rarely open
// with a question word); and at least half of those actual questions unless a cue says
// interview (a run of bold sentences in a petition is emphasis, not prompts).
func turnsFromBold(doc *schema.Document, qps []qaPara) ([]qaTurn, int, bool) {
	bold := boldParagraphs(doc, len(qps))
	if len(bold) < 2 {
		return nil, 0, false
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
		return nil, 0, false
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
	cue := hasInterviewCue(doc, qps[:first])
	if (pairs < 3 && !cue) || 3*nAsk < 2*nBold || (2*nQuestion < nAsk && !cue) {
		return nil, 0, false
	}
	var turns []qaTurn
	label := "question"
	for i := first; i < len(qps); i++ {
		switch {
		case asks(i):
			label = "question"
		case !bold[i]:
			label = "answer"
		}
		turns = merge(turns, qps[i].p, label, "")
	}
	return turns, first, true
}

var (
	reBylinePrefix = regexp.MustCompile(`(?i)^\s*(?:حوار|حاوره|حاورته|حاورها|حاورهم|أجرى الحوار|أجرت الحوار|اجرى الحوار|اجرت الحوار|إعداد|اعداد|كتب|كتبت|بقلم|interview(?:ed)? by|by)\s*[:：\-–]?\s*`)
	reBylineLine   = regexp.MustCompile(`(?im)^\s*(?:حوار|حاوره|حاورته|حاورها|أجرى الحوار|أجرت الحوار|interview(?:ed)? by)\s*[:：\-–]?\s*(.+?)\s*$`)
	// Honorifics and titles that introduce the interviewee's name in an Arabic lede.
	reArTitledName = regexp.MustCompile(`(?:سعادة|معالي|فخامة|سمو|سيادة)?\s*(?:السيد|السيدة|الدكتور|الدكتورة|د\.|الشيخ|الشيخة|الأستاذ|الأستاذة|الاستاذ|المهندس|المهندسة|اللواء|العميد|الفنان|الفنانة|الكاتب|الكاتبة|الروائي|الروائية|النجم|النجمة|المخرج|المخرجة|اللاعب|المدرب)\s+(\p{Arabic}+(?:\s+\p{Arabic}+){0,3})`)
	enName         = `((?:[A-Z][\p{L}'’\-]+)(?:\s+[A-Z][\p{L}'’\-]+){1,3})`
	reEnNamed      = []*regexp.Regexp{
		regexp.MustCompile(`(?:spoke|talked|speaks|talks|sat down|caught up)\s+(?:to|with)\s+` + enName),
		regexp.MustCompile(`(?i:interview(?:ed)?|conversation)\s+(?:with\s+)?` + enName),
		regexp.MustCompile(enName + `,?\s+(?:spoke|talked|speaks|talks|told|said|says)\b`),
		regexp.MustCompile(`(?i:ambassador|minister|president|director|chairman|chairwoman|chief executive|ceo|professor|prof\.|dr\.?|mr\.?|ms\.?|mrs\.?|author|novelist|writer|actor|actress|singer|coach|founder|governor|senator|mayor|artist|filmmaker|director-general)\s+` + enName),
	}
	// Words that end a name in an Arabic lede: the apposition that follows it. A word is
	// looked up as written and folded: folding turns "على" (on) into the name "علي".
	arNameStop = map[string]bool{
		"سفير": true, "وزير": true, "وزيره": true, "رئيس": true, "رييس": true, "مدير": true, "مديره": true, "في": true, "من": true,
		"عن": true, "الى": true, "على": true, "ان": true, "الذي": true, "التي": true, "خلال": true, "لدي": true, "لدى": true,
		"نائب": true, "امين": true, "عضو": true, "مؤسس": true, "الرييس": true, "الوزير": true, "السفير": true, "قال": true,
		"وقال": true, "موقف": true, "مع": true, "بان": true, "قايلا": true, "مؤكدا": true,
	}
)

// interviewerName finds the interviewer in the byline, or in a "حوار:" / "Interview by"
// line of the lede when the byline is empty.
func interviewerName(doc *schema.Document, lede []qaPara) string {
	for _, b := range doc.Byline {
		if n := strings.TrimSpace(reBylinePrefix.ReplaceAllString(b, "")); n != "" {
			return n
		}
	}
	for _, qp := range lede {
		if m := reBylineLine.FindStringSubmatch(qp.p.Text); m != nil {
			return m[1]
		}
	}
	return ""
}

// intervieweeName finds the person the lede (or the title) introduces: an honorific and
// a name in Arabic ("سعادة السيد إرمان إيساغالييف، سفير ..."), a title or "spoke to" and a
// capitalised name in English. The earliest mention wins.
func intervieweeName(doc *schema.Document, lede []qaPara) string {
	var texts []string
	for _, qp := range lede {
		texts = append(texts, qp.p.Text)
	}
	texts = append(texts, doc.Title)
	for _, text := range texts {
		best, bestAt := "", -1
		consider := func(name string, at int) {
			if name != "" && (bestAt < 0 || at < bestAt) {
				best, bestAt = name, at
			}
		}
		for _, m := range reArTitledName.FindAllStringSubmatchIndex(text, -1) {
			var words []string
			for _, w := range strings.Fields(text[m[2]:m[3]]) {
				if arNameStop[fold(w)] || arNameStop[w] {
					break
				}
				words = append(words, w)
			}
			consider(strings.Join(words, " "), m[0])
		}
		for _, re := range reEnNamed {
			for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
				name := text[m[2]:m[3]]
				if strings.HasPrefix(name, "The ") {
					continue
				}
				consider(name, m[0])
			}
		}
		if best != "" {
			return strings.TrimRightFunc(best, func(r rune) bool { return unicode.IsPunct(r) })
		}
	}
	return ""
}

// nameSpeakers fills the speakers of turns that have none from the byline and the lede,
// and expands transcript labels that are a known person's short name ("Smith:").
func nameSpeakers(doc *schema.Document, lede []qaPara, turns []qaTurn) {
	interviewer := interviewerName(doc, lede)
	interviewee := intervieweeName(doc, lede)
	for i := range turns {
		t := &turns[i]
		known := interviewee
		if t.Role == "interviewer" {
			known = interviewer
		}
		switch {
		case t.Speaker == "":
			t.Speaker = known
		case known != "" && sharesWord(t.Speaker, known):
			t.Speaker = known
		}
	}
}

// sharesWord reports whether a short label ("Smith") names the same person as a full
// name ("John Smith").
func sharesWord(label, name string) bool {
	words := map[string]bool{}
	for _, w := range tokens(name) {
		if runeCount(w) > 2 {
			words[w] = true
		}
	}
	for _, w := range tokens(label) {
		if words[w] {
			return true
		}
	}
	return false
}
