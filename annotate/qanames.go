package annotate

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/byline"
	"github.com/newsds/newsds/schema"
)

// Speaker names of the Q&A annotator. The convention (shared data README): a speaker is
// the person's name as the article gives it; an interviewer the article does not name is
// the outlet. Evidence, strongest first: inline speaker labels, expanded to the fullest
// form the article uses ("Bartsch" → "Dietmar Bartsch"); the byline, without its dateline
// ("جدة:") or lead word ("حوار:", "Interview by"); the title ("X: …", "X لـ«Y»:",
// "an interview with X"); the lede (an honorific or rank and a name, a reporting verb and
// a name, "spoke to X").

// nameContext holds what the naming rules read from one document.
type nameContext struct {
	doc   *schema.Document
	qps   []qaPara
	title string
	// bylineName and bylineOutlet come from the byline ("حاوره: X - سبق"); coAuthors are
	// the names of the byline's other entries, who may ask questions too.
	bylineName, bylineOutlet string
	coAuthors                []string
	// titleName is the person the title quotes ("سمير جعجع: …"), titleDesc whether that is
	// a description rather than a name ("السفير الكازاخي لـ الشرق: …"), titleOutlet the
	// outlet the title names ("لـ«الشرق»").
	titleName, titleOutlet string
	titleDesc              bool
	// surnames are the family names the article uses on their own or that end the
	// title's person (see surnameIndex).
	surnames *surnameIndex
	// ledeOutlets (read by outlets) are the outlets the opening paragraphs quote beside a
	// verb of meeting ("التقت «عكاظ» …", "«اليوم» تحاور …") or as whom the person spoke to
	// or with ("قال … لـ«اليوم»", "في حوار مع «اليوم»"): the paper, which labels its
	// questions so.
	ledeOutlets []string
}

func newNameContext(doc *schema.Document, qps []qaPara) *nameContext {
	c := &nameContext{doc: doc, qps: qps, title: cleanMeta(doc.Title)}
	for _, b := range doc.Byline {
		n, o := bylineName(b)
		switch {
		case n == "" && o == "":
		case c.bylineName == "" && c.bylineOutlet == "":
			c.bylineName, c.bylineOutlet = n, o
		case n != "":
			c.coAuthors = append(c.coAuthors, n)
		}
	}
	c.titleName, c.titleDesc, c.titleOutlet = titleSpeaker(c.title)
	c.surnames = &surnameIndex{text: doc.Text, titleName: c.titleName}
	// One word with the article is the title's person only as a family name, by its
	// form or by the article's use of it alone ("القحطاني: …", "الربيعة: …"); otherwise
	// it describes the person ("الفنانة لـ«الوطن»: …"), whom the lede names.
	if f := fold(c.titleName); !c.titleDesc && isArabic(f) && !strings.Contains(f, " ") && strings.HasPrefix(f, "ال") && !isNisba(f) && !c.surnames.has(f) {
		c.titleDesc = true
	}
	// An occupation and one adjective ("الروائي السعودي: …", "الفنانة الكويتية: …") say
	// who the person is, where "الدكتور الغذامي: …" names him: the article writes a family
	// name after a given name or alone for the person, and an adjective of nationality or
	// trade it does not.
	if ws := strings.Fields(c.titleName); !c.titleDesc && len(ws) == 2 && isArHonorific(ws[0]) && !arRanks[fold(ws[0])] &&
		strings.HasPrefix(fold(ws[1]), "ال") && !writesAsFamilyName(doc.Text, fold(ws[1])) {
		c.titleDesc = true
	}
	return c
}

// outlets are the names the document gives its outlet: in the byline, the title, the
// site's name, the lede (see ledeOutlets); "" where it gives none.
func (c *nameContext) outlets() []string {
	// Read on first use: only labelled interviews ask, and the regexps cost a few percent
	// of the annotator's time on every document.
	if c.ledeOutlets == nil {
		c.ledeOutlets = []string{}
		for _, qp := range c.qps[:min(len(c.qps), maxLedeOutletParas)] {
			if !strings.ContainsAny(qp.p.Text, `«"“`) {
				continue
			}
			for _, m := range reMetOutlet.FindAllStringSubmatch(qp.p.Text, -1) {
				c.ledeOutlets = append(c.ledeOutlets, cleanName(m[1]+m[2]))
			}
			for _, m := range reLedeOutletAr.FindAllStringSubmatch(qp.p.Text, -1) {
				c.ledeOutlets = append(c.ledeOutlets, cleanName(m[1]))
			}
		}
	}
	return append([]string{c.bylineOutlet, c.titleOutlet, cleanMeta(c.doc.SiteName)}, c.ledeOutlets...)
}

// reMetOutlet is an outlet in guillemets beside a verb of meeting, before or after it;
// maxLedeOutletParas the opening paragraphs outlets are looked for in.
var reMetOutlet = regexp.MustCompile(`(?:(?:^|\s)(?:و|ف)?(?:التقت|التقى|حاورت|حاور|سألت|استضافت|زارت|التقتها|التقته|حاورته|حاورتها)\s*«([^«»]{2,30})»|«([^«»]{2,30})»\s*(?:تلتقي|تحاور|تستضيف|التقت|حاورت|استضافت))`)

const maxLedeOutletParas = 3

// writesAsFamilyName reports whether text uses the folded word f for a person: after a
// given name ("عبدالله الغذامي"), or alone after a reporting verb or honorific
// (arSurnames).
func writesAsFamilyName(text, f string) bool {
	if arSurnames(text)[f] {
		return true
	}
	ws := nameWords(text)
	for i := 1; i < len(ws); i++ {
		if ws[i].brk || fold(ws[i].w) != f {
			continue
		}
		// The word before must be able to open a name: "للقارئ الجزائري" (a preposition
		// with the article) is a reader who is Algerian.
		if prev := ws[i-1].w; arNameWord(prev, nil, nil) {
			return true
		}
	}
	return false
}

// surnameIndex answers whether a word with the article is a family name in one
// document: one the article uses on its own (arSurnames) or the last word of the title's
// person, which ends at its colon ("الخبير الاقتصادي فضل البوعينين: …"). The text is
// read the first time a name needs it: most names end in "ي" and never ask.
type surnameIndex struct {
	text, titleName string
	set             map[string]bool
}

func (x *surnameIndex) has(folded string) bool {
	if x == nil {
		return false
	}
	if x.set == nil {
		x.set = arSurnames(x.text)
		if ws := strings.Fields(x.titleName); len(ws) > 1 && strings.HasPrefix(fold(ws[len(ws)-1]), "ال") && !namedAfter(x.text, fold(ws[len(ws)-1])) {
			x.set[fold(ws[len(ws)-1])] = true
		}
	}
	return x.set[folded]
}

// reBylineSep splits a byline into its parts: names, a city, the outlet.
var reBylineSep = regexp.MustCompile(`\s+[-–—ـ|/]+\s*|\s*[-–—ـ|/]+\s+|\s*[|/،,;؛:：]\s*|\s+(?:and|und|et|&)\s+`)

// reBylinePlace is a byline part that only says where ("في الرياض", "من جدة");
// reBylinePlaceAfter the same after a name.
var (
	reBylinePlace      = regexp.MustCompile(`^(?:في|فى|من)\s+\p{Arabic}+$`)
	reBylinePlaceAfter = regexp.MustCompile(`\s+(?:في|فى|من)\s+\p{Arabic}+$`)
)

// reBylineCredit matches a byline entry that credits pictures, not the text.
var reBylineCredit = regexp.MustCompile(`(?i)^(?:تصوير|عدسة|صور|photos?(?:\s+by)?|pictures?\s+by|illustrations?(?:\s+by)?|fotos?)\s*[:：\-–]?\s`)

// bylineLabels are the labels a stored byline may still open with (one stored before
// ingest cleaned bylines, or written by another tool); ledeLabels those of a lede line
// naming the interviewer ("حوار: X", "Interview by X").
var (
	bylineLabels = byline.Builtin(byline.Writer | byline.Interviewer | byline.Field)
	ledeLabels   = byline.Builtin(byline.Interviewer)
)

// bylineName reads a byline: the interviewer's name and, when the byline gives one after
// a separator, the outlet ("حاوره : عبدالعزيز العصيمي - سبق :&nbsp;").
func bylineName(b string) (name, outlet string) {
	s := cleanMeta(b)
	if reBylineCredit.MatchString(s) {
		return "", ""
	}
	for range 4 {
		t := strings.TrimSpace(bylineLabels.Strip(s, byline.InLine))
		t = byline.DatelineFree(t)
		if t == s {
			break
		}
		s = t
	}
	if byline.IsDeskCredit(s) {
		return "", ""
	}
	var parts []string
	for _, p := range reBylineSep.Split(s, -1) {
		p = cleanName(p)
		// A place is no part of the name: "في الرياض" on its own, "من عدن" after it
		// ("محمد الجرادي من عدن").
		if reBylinePlace.MatchString(p) || byline.IsExclusiveMark(p) {
			continue
		}
		if loc := reBylinePlaceAfter.FindStringIndex(p); loc != nil && len(strings.Fields(p[:loc[0]])) >= 2 {
			p = p[:loc[0]]
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "", ""
	}
	// The name is the first part of two words or more that is no place: a one-word part
	// before it is the city of a dateline ("الرياض - فهد العتيبي"), as is a listed place of
	// two words ("مكة المكرمة - فيصل الدوسري"), and one after it the outlet ("- سبق").
	at := 0
	for i, p := range parts {
		if len(strings.Fields(p)) >= 2 && !byline.IsPlace(p) {
			at = i
			break
		}
	}
	switch {
	case len(strings.Fields(parts[at])) == 1 && len(parts) == 1:
		// A one-word byline is the outlet or an agency ("الشرق", "Reuters", "واس").
		return "", parts[0]
	case validPersonName(parts[at]) && len(strings.Fields(parts[at])) >= 2:
		name = parts[at]
	}
	if name == "" && len(parts) > 1 {
		// No one named: the parts are the outlet and the dateline's city, in either order
		// ("الرياض - واس", "سبق- الرياض"); the outlet is the last that is no place.
		for _, p := range slices.Backward(parts) {
			if len(strings.Fields(p)) <= 3 && isLetterWord(p) && !byline.IsPlace(p) {
				return "", p
			}
		}
	}
	if len(parts) > at+1 {
		// A city of two words after the name is the dateline, no paper's name; of one
		// word it may be either ("الرياض", a city and a paper).
		if last := parts[len(parts)-1]; len(strings.Fields(last)) <= 3 && isLetterWord(last) &&
			(len(strings.Fields(last)) == 1 || !byline.IsPlace(last)) {
			outlet = last
		}
	}
	return name, outlet
}

// validPersonName accepts one to five words of letters: no digits, addresses or URLs.
func validPersonName(s string) bool {
	ws := strings.Fields(s)
	if len(ws) == 0 || len(ws) > 5 || strings.ContainsAny(s, "@/\\<>") {
		return false
	}
	for _, r := range s {
		if unicode.IsDigit(r) {
			return false
		}
	}
	return isLetterWord(s)
}

// titleGeneric are folded title prefixes before a colon that name no person.
var titleGeneric = map[string]bool{
	"عاجل": true, "فيديو": true, "بالفيديو": true, "بالصور": true, "صور": true, "حوار": true, "خاص": true,
	"حصري": true, "تقرير": true, "شاهد": true, "رسميا": true, "مقابله": true, "لقاء": true, "تحليل": true,
	"اسيله واجوبه": true, "سوال وجواب": true, "اسيله واجابات": true, // folded: أسئلة وأجوبة, سؤال وجواب
	"exclusive": true, "interview": true, "watch": true, "video": true, "breaking": true, "live": true,
	"update": true, "q&a": true, "q & a": true, "opinion": true, "analysis": true, "review": true, "photos": true,
	"questions and answers": true, "faq": true, "explained": true, "fact check": true,
	"in conversation": true, "podcast": true, "listen": true, "explainer": true, "interview of the week": true,
	"transcript": true, "full transcript": true, "نص الحوار": true, "نص المقابله": true,
}

// roleNouns are folded words that describe a person by office or occupation: a title that
// starts with one ("Ambassador: …", "السفير الكازاخي لـ الشرق: …") describes the
// interviewee without naming them; in a lede they end a name ("سمير جعجع رئيس حزب").
var roleNouns = foldSet(
	"سفير", "السفير", "وزير", "الوزير", "وزيرة", "الوزيرة", "رئيس", "الرئيس", "رئيسة", "الرئيسة", "مدير", "المدير",
	"مديرة", "المديرة", "نائب", "النائب", "أمين", "الأمين", "عضو", "العضو", "مؤسس", "المؤسس", "مؤسسة", "قائد", "القائد",
	"مدرب", "المدرب", "لاعب", "اللاعب", "نجم", "النجم", "نجمة", "النجمة", "والد", "والدة", "شقيق", "شقيقة", "زوج",
	"زوجة", "أرملة", "مسؤول", "المسؤول", "خبير", "الخبير", "مستشار", "المستشار", "محافظ", "المحافظ", "متحدث", "المتحدث",
	"الناطق", "ناطق", "عميد", "أستاذ", "استاذ", "رئيسا", "سفيرة", "السفيرة", "مدربة", "لاعبة", "مؤلف", "مؤلفة",
	"كاتب", "كاتبة", "مخرج", "مخرجة", "ممثل", "ممثلة", "مطرب", "مطربة", "صاحب", "صاحبة", "مالك", "رجل", "سيدة",
	"وكيل", "وكيلة", "مساعد", "مساعدة", "محلل", "المحلل", "محللة",
	"حارس", "الحارس", "مهاجم", "المهاجم", "مدافع", "المدافع", "ملحن", "الملحن", "مصور", "المصور", "رسام", "الرسام",
	"باحث", "باحثة", "طبيب", "طبيبة", "استشاري", "الاستشاري", "استشارية", "محامي", "محامية", "قاضي", "شاعر",
	"شاعرة", "فنان", "فنانة", "إعلامي", "إعلامية", "ناشط", "ناشطة", "مفتي", "عمدة", "العمدة", "قنصل",
	"القنصل", "مندوب", "المندوب", "مندوبة", "منسق", "المنسق", "منسقة", "مشرف", "مشرفة", "روائي",
	"روائية", "ناقد", "ناقدة", "داعية", "مسؤولة", "المسؤولة", "متحدثة", "المتحدثة", "الناطقة", "ناطقة", "عضوة", "نائبة", "النائبة",
	"ambassador", "minister", "president", "director", "chairman", "chairwoman", "chief", "ceo", "founder",
	"governor", "senator", "mayor", "coach", "author", "novelist", "writer", "actor", "actress", "singer",
	"artist", "filmmaker", "professor", "expert", "economist", "scientist", "spokesman", "spokeswoman", "the",
	"deputy", "undersecretary", "analyst", "researcher", "doctor", "lawyer", "poet", "activist",
	"journalist", "chef", "designer", "architect", "historian", "photographer", "composer", "conductor",
	"musician", "editor", "entrepreneur", "investor", "official", "commissioner", "chancellor", "captain",
	"manager", "candidate", "survivor", "nurse", "teacher", "spokesperson", "envoy", "diplomat",
	"a", "an", "our", "this", "one",
)

func foldSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[fold(w)] = true
	}
	return m
}

var (
	reTitleColon  = regexp.MustCompile(`^([^:：]{2,80}?)\s*[:：]\s*\S`)
	reTitleOutlet = regexp.MustCompile(`^(.*?)\s+(?:لـ\s*|ل(?:[«"“”]))[«"“”]?\s*([^«»"“”]+?)\s*[»"“”]?$`)
	enName        = `((?:[\p{Lu}][\p{L}'’\-]+)(?:\s+(?:[\p{Lu}][\p{L}'’\-]+|al|bin|van|von|de|da|der)){0,3}(?:\s+[\p{Lu}][\p{L}'’\-]+))`
	reTitleWith   = regexp.MustCompile(`(?i:interview with|conversation with|q\s*&\s*a with|talks? with|speaks? with|sits? down with|chats? with|questions? (?:for|with)|minutes with|meet)\s+` +
		// A role may stand before the name: "with chef Luis Romero", "with the former minister …".
		`(?:\p{Ll}[\p{L}\-]*\s+){0,2}` + enName)
	// A quotation that opens a title before its person ("‘We were not ready’: Marta Ruiz
	// on the storm") is what the person said.
	reTitleQuoteKicker = regexp.MustCompile(`^[‘'"“«][^’'"”»]{2,}[’'"”»]\s*[:：\-–—|]\s*`)
	reTitleLead        = regexp.MustCompile(`^(?i:(?:the\s+)?(?:interview|q\s*&\s*a|(?:full\s+|edited\s+)?transcript)|in conversation|exclusive)\s*[:\-–|]\s*` + enName)
	// A role may stand before the name here too: "conductor Hiro Tanaka on the new season".
	reTitleOn = regexp.MustCompile(`^(?:\p{Ll}[\p{L}\-]*\s+){0,2}` + enName + `\s+on\s+\p{Ll}`)
	// In a headline set in title case ("Maria Ressa on Truth, Power and the Press") the
	// topic after "on" is capitalised too.
	reTitleOnCased = regexp.MustCompile(`^` + enName + `\s+on\s+\p{Lu}`)
	// "X في حوار مع «Y»: …", "X يكشف لـ«Y»: …": the person is X without the rest.
	reTitleInterviewAr = regexp.MustCompile(`\s+(?:في|فى)\s+(?:حوار|لقاء|حديث)(?:\s.*)?$`)
	reTitleKicker      = regexp.MustCompile(`\s*(?:\.\.+|…|\s\|)\s*`)
)

// titleCased reports whether a Latin-script headline capitalises its words: all but
// at most one of those of four letters or more.
func titleCased(title string) bool {
	long, lower := 0, 0
	for _, w := range strings.Fields(title) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if runeCount(w) < 4 {
			continue
		}
		long++
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			lower++
		}
	}
	return long >= 3 && lower <= 1
}

// titleSpeaker reads the interviewee from a title: "X: …" (a name, or a description
// such as "Ambassador"), "X لـ«Y»: …" (with the outlet Y), "an interview with X".
func titleSpeaker(title string) (name string, desc bool, outlet string) {
	if loc := reTitleQuoteKicker.FindStringIndex(title); loc != nil {
		title = title[loc[1]:]
	}
	if m := reTitleWith.FindStringSubmatch(title); m != nil {
		return m[1], false, ""
	}
	if m := reTitleLead.FindStringSubmatch(title); m != nil {
		return m[1], false, ""
	}
	if m := reTitleOn.FindStringSubmatch(title); m != nil && !slices.ContainsFunc(strings.Fields(title[:strings.Index(title, m[1])]), func(w string) bool {
		return enFunctionWords[fold(w)]
	}) {
		return m[1], false, ""
	}
	if m := reTitleOnCased.FindStringSubmatch(title); m != nil && titleCased(title) {
		return m[1], false, ""
	}
	m := reTitleColon.FindStringSubmatch(title)
	if m == nil {
		return "", false, ""
	}
	// Quotes are trimmed only after the outlet has been read out of them.
	x := strings.TrimSpace(m[1])
	// A kicker before ".." or "|" ("في حوار مع «الوطن».. X: …") is not the person; it
	// may name the outlet.
	if loc := reTitleKicker.FindAllStringIndex(x, -1); loc != nil {
		last := loc[len(loc)-1]
		if o := reLedeOutletAr.FindStringSubmatch(x[:last[0]]); o != nil {
			outlet = cleanName(o[1])
		}
		x = strings.TrimSpace(x[last[1]:])
	}
	if loc := reTitleInterviewAr.FindStringIndex(x); loc != nil {
		if o := reLedeOutletAr.FindStringSubmatch(x[loc[0]:]); o != nil {
			outlet = cleanName(o[1])
		}
		x = cleanName(x[:loc[0]])
	}
	if o := reTitleOutlet.FindStringSubmatch(x); o != nil {
		x, outlet = o[1], cleanName(o[2])
	} else if ws := strings.Fields(x); len(ws) > 1 && strings.HasPrefix(ws[len(ws)-1], "لل") {
		// "وزير السياحة للصحيفة": "to the newspaper"
		x = strings.Join(ws[:len(ws)-1], " ")
	}
	x = cleanName(x)
	ws := strings.Fields(x)
	if isArabic(x) {
		// A reporting verb ends the name: "سمير جعجع يكشف".
		for i := 1; i < len(ws); i++ {
			if isArStop(ws[i]) && !roleNouns[fold(ws[i])] {
				ws = ws[:i]
				break
			}
		}
		x = strings.Join(ws, " ")
	}
	if len(ws) == 0 || len(ws) > 5 || titleGeneric[fold(x)] || strings.ContainsAny(x, `«»"“”0123456789?؟!`) || arNameStopRaw[ws[0]] {
		return "", false, outlet
	}
	if roleNouns[fold(ws[0])] {
		return x, true, outlet
	}
	if !isArabic(x) {
		// The name is the capitalised run that ends the phrase; before it, in lower
		// case, is who the person is ("Port chief Marta Ruiz").
		k := len(ws)
		for k > 0 {
			if r := []rune(ws[k-1])[0]; !unicode.IsUpper(r) && !enParticles[ws[k-1]] {
				break
			}
			k--
		}
		if k == len(ws) || (k > 0 && len(ws)-k < 2) {
			return "", false, outlet
		}
		x = strings.Join(ws[k:], " ")
	}
	return x, false, outlet
}

var enParticles = map[string]bool{"al": true, "bin": true, "van": true, "von": true, "de": true, "da": true, "der": true, "la": true, "le": true, "of": true}

// ledeInterviewer finds a "حوار: X" / "Interview by X" line opening a lede paragraph.
func ledeInterviewer(lede []qaPara) (name, outlet string) {
	for _, qp := range lede {
		t := cleanMeta(qp.p.Text)
		rest, found := ledeLabels.Cut(t, byline.InProse)
		if !found {
			continue
		}
		parts := reBylineSep.Split(rest, 3)
		n := cleanName(parts[0])
		if !validPersonName(n) || len(strings.Fields(n)) > 4 {
			continue
		}
		if len(parts) > 1 {
			if o := cleanName(parts[1]); len(strings.Fields(o)) <= 3 && isLetterWord(o) {
				outlet = o
			}
		}
		return n, outlet
	}
	// A byline the extractor left in the body ("Von Gregory Lipinski", "By Jane Roe",
	// "بقلم: سارة أحمد") credits the text; in an interview its writer asks the questions.
	// The line must be the label and a name alone: "Von der Leyen sagt …" is prose.
	for _, qp := range lede {
		if n := labelledName(bodyBylineLabels, qp); n != "" {
			return n, ""
		}
	}
	// A scrape that kept the dateline as its first line ("الرياض - عبدالله المالكي:") and
	// has no byline names the reporter there; in an interview he asks.
	for _, qp := range lede[:min(len(lede), 2)] {
		if n := datelineReporter(cleanMeta(qp.p.Text)); n != "" {
			return n, ""
		}
	}
	// "He spoke to Anna Clarke about …": the interviewee, already introduced, spoke to
	// the journalist (or to the outlet, "She talked to The Courier").
	for _, qp := range lede {
		m := rePronounSpokeTo.FindStringSubmatch(cleanMeta(qp.p.Text))
		if m == nil {
			continue
		}
		n := trimPossessive(m[1])
		if strings.HasPrefix(n, "The ") {
			return "", n
		}
		if validPersonName(n) {
			return n, ""
		}
	}
	return "", ""
}

// datelineReporter is the name of a line that is a dateline and a name and nothing else:
// a city and a reporter of two to four words, in either order ("الرياض - عبدالله المالكي:",
// "فهد العتيبي - جدة"), "" for any other line. The city is one the dateline list knows, or
// a single Arabic word before the name of a line that ends in the dateline's colon.
func datelineReporter(line string) string {
	t := strings.TrimSpace(strings.TrimRight(line, " :："))
	colon := t != strings.TrimSpace(line)
	if n := len(strings.Fields(t)); n < 3 || n > 7 {
		return ""
	}
	parts := reBylineSep.Split(t, -1)
	if len(parts) != 2 {
		return ""
	}
	place, name := cleanName(parts[0]), cleanName(parts[1])
	if byline.IsPlace(name) {
		name = place
	} else if !byline.IsPlace(place) && (!colon || !isArabic(place) || strings.Contains(place, " ")) {
		return ""
	}
	if ws := strings.Fields(name); len(ws) < 2 || len(ws) > 4 || !validPersonName(name) || byline.IsPlace(name) {
		return ""
	}
	return name
}

// closingInterviewer is the interviewer a credit line after the interview names
// ("أجرى الحوار: عبدالله الغامدي", "Interview by Claire Moreau"), as Arabic papers set it
// at the foot.
func closingInterviewer(qps []qaPara) string {
	for i := len(qps) - 1; i >= 0 && i >= len(qps)-2; i-- {
		if n := interviewCredit(qps[i]); n != "" {
			return n
		}
	}
	return ""
}

// interviewCredit is the name of a paragraph that is an interviewer's label and a name
// and nothing else, "" for any other paragraph.
func interviewCredit(qp qaPara) string { return labelledName(ledeLabels, qp) }

// labelledName is the name of a paragraph that is one of labels and a person's full name
// (two to four words) and nothing else: "Von der Leyen sagt …" is prose. "" otherwise.
func labelledName(labels byline.Labels, qp qaPara) string {
	rest, found := labels.Cut(cleanMeta(qp.p.Text), byline.InLine)
	if !found {
		return ""
	}
	n := cleanName(rest)
	// A credit line is a sentence ("Interview by Maya Lund."): its full stop is no part of
	// the name, an initial's or "Jr."'s is.
	if ws := strings.Fields(n); len(ws) > 0 {
		if last := strings.TrimSuffix(ws[len(ws)-1], "."); last != ws[len(ws)-1] && runeCount(last) > 2 && !abbreviations[fold(last)] {
			n = strings.TrimSuffix(n, ".")
		}
	}
	if ws := strings.Fields(n); len(ws) < 2 || len(ws) > 4 || !validPersonName(n) || !capitalisedName(ws) {
		return ""
	}
	return n
}

// rePronounSpokeTo is a lede sentence whose subject is a pronoun standing for the
// interviewee: who it spoke to is the interviewer.
var rePronounSpokeTo = regexp.MustCompile(`\b(?:[Hh]e|[Ss]he|[Tt]hey)\s+` + enSpokeTo + enName)

// enSpokeTo is the verb of "X spoke to Y" or "X meets Y", and the words of who Y is
// ("theatre founder"), which may stand before Y's name.
const enSpokeTo = `(?:(?:spoke|talked|speaks|talks|sat down|caught up)\s+(?:to|with)|meets|met(?:\s+with)?)\s+(?:\p{Ll}[\p{L}\-]*\s+){0,2}`

// bodyBylineLabels open a byline line left in the body: the writer's, including the
// word for "by" in German, French, Spanish and Portuguese, which ledeInterviewer accepts
// only before a line that is a name and nothing else.
var bodyBylineLabels = byline.Builtin(byline.Writer | byline.Weak)

// capitalisedName reports whether every word of a Latin-script name starts with a
// capital, particles ("von", "de", "al") aside; Arabic has no case and passes.
func capitalisedName(ws []string) bool {
	for _, w := range ws {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !isArabic(w) && !enParticles[fold(w)] {
			return false
		}
	}
	return true
}

var (
	// An outlet the lede names as the interviewer's: "حوار أجرته معه «الشرق الأوسط»",
	// "يتحدث ... لـ”الاقتصادية”", `مع "سبق"`, "told The Economist".
	reLedeOutletAr = regexp.MustCompile(`(?:لـ\s*|ل|مع\s+|معه\s+|معها\s+)[«"“”]\s*([^«»"“”]{2,30}?)\s*[»"“”]`)
	reLedeOutletEn = regexp.MustCompile(`(?:told|tells|to|with)\s+(The\s+[\p{Lu}][\p{L}]+(?:\s+[\p{Lu}][\p{L}]+)?)`)
	// The outlet as the subject that spoke to the interviewee, whom a pronoun stands for:
	// "Gulf News spoke to him between services", "The Courier sat down with her".
	reLedeOutletSubjectEn = regexp.MustCompile(`(?:^|[.!?]\s+)((?:The\s+)?[\p{Lu}][\p{L}]+(?:\s+[\p{Lu}][\p{L}]+){0,2})\s+(?:spoke|talked|sat\s+down|caught\s+up)\s+(?:to|with)\s+(?:him|her|them)\b`)
)

// outletOf returns the outlet the interviewer writes for: from the byline, the title, the
// lede, else the site name.
func (c *nameContext) outletOf(lede []qaPara, ledeOutlet string) string {
	for _, o := range []string{c.bylineOutlet, ledeOutlet, c.titleOutlet} {
		if o != "" {
			return o
		}
	}
	for _, qp := range lede {
		if !reInterviewCue.MatchString(qp.p.Text) && !strings.Contains(qp.p.Text, "يتحدث") && !strings.Contains(qp.p.Text, "told") {
			continue
		}
		if m := reLedeOutletAr.FindStringSubmatch(qp.p.Text); m != nil {
			return cleanName(m[1])
		}
		if m := reLedeOutletEn.FindStringSubmatch(qp.p.Text); m != nil {
			return cleanName(m[1])
		}
	}
	for _, qp := range lede {
		if m := reLedeOutletSubjectEn.FindStringSubmatch(qp.p.Text); m != nil {
			return cleanName(m[1])
		}
		// The outlet that met the interviewee asked: "«الحياة» التقت الناصر", "حاورت «اليوم» …".
		if m := reMetOutlet.FindStringSubmatch(qp.p.Text); m != nil {
			return cleanName(m[1] + m[2])
		}
	}
	if s := cleanMeta(c.doc.SiteName); s != "" && !strings.Contains(s, ".") {
		return s
	}
	return ""
}

// isThirdParty reports whether the label of the side that asks names someone by what
// they are, neither the paper nor its journalist nor a name: "القاضي:" and "المتهم:" in a
// court report, "The Judge:". Their exchange is one the article reports, not its
// interview. A family name with the article ("الغذامي:", "القاضي" where the text writes
// "محمد القاضي") is a name, and "المحاور:", "الصحيفة:" are the interviewer's roles.
func (c *nameContext) isThirdParty(label string) bool {
	ws := strings.Fields(cleanName(label))
	if len(ws) == 2 && strings.EqualFold(ws[0], "the") {
		r, _ := utf8.DecodeRuneInString(ws[1])
		return unicode.IsUpper(r) && !roleLabels[fold(ws[1])] && !c.isOutlet(label) && !strings.Contains(c.doc.Text, " "+ws[1]+" ")
	}
	if len(ws) != 1 || !isArabic(ws[0]) {
		return false
	}
	f := fold(ws[0])
	return strings.HasPrefix(f, "ال") && !roleLabels[f] && !c.isOutlet(label) && !c.surnames.has(f) && !writesAsFamilyName(c.doc.Text, f)
}

// isInterviewerName reports whether a speaker label names the interviewer: the outlet
// ("The Economist"), or the byline's person.
func (c *nameContext) isInterviewerName(label string) bool {
	fl := fold(cleanName(label))
	for _, o := range c.outlets() {
		if o != "" && fold(o) == fl {
			return true
		}
	}
	n := min(len(c.qps), 4)
	for _, qp := range c.qps[:n] {
		if m := reLedeOutletAr.FindStringSubmatch(qp.p.Text); m != nil && fold(cleanName(m[1])) == fl {
			return true
		}
		for _, host := range ledeHosts(qp.p.Text) {
			if sharesWord(label, host) {
				return true
			}
		}
	}
	return c.bylineName != "" && sharesWord(label, c.bylineName) || slices.ContainsFunc(c.coAuthors, func(n string) bool { return sharesWord(label, n) })
}

var (
	// A broadcast transcript's lede names its interviewer by the part they play: "joined
	// host Mark Feld", "Anna Berg, the programme's presenter, asked", "المذيع أحمد سالم".
	hostRoles        = `host|co-host|anchor|anchorwoman|anchorman|presenter|moderator(?:in)?|interviewer|animateur|animatrice|presentador|presentadora`
	reLedeHostBefore = regexp.MustCompile(`(?i:\b(?:` + hostRoles + `))\s+` + enName)
	reLedeHostAfter  = regexp.MustCompile(enName + `,\s+(?:(?i:the|our|this|who is)\s+)?(?:[\p{Ll}'’\-]+\s+){0,3}?(?i:` + hostRoles + `)\b`)
	reLedeHostAr     = regexp.MustCompile(`(?:المذيع|المذيعة|مقدم البرنامج|مقدمة البرنامج|المحاور|المحاورة|الإعلامي|الإعلامية|الاعلامي|الاعلامية)\s+(\p{Arabic}+(?:\s+\p{Arabic}+){0,2})`)
)

// ledeHosts returns the names a lede paragraph gives as the host or moderator.
func ledeHosts(text string) []string {
	var names []string
	for _, re := range []*regexp.Regexp{reLedeHostBefore, reLedeHostAfter, reLedeHostAr} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			names = append(names, m[1])
		}
	}
	return names
}

// nameWord is one word of a text with whether punctuation separates it from the word
// before ("، سفير" starts after a break).
type nameWord struct {
	w     string
	brk   bool
	index int
}

// abbreviations keep their full stop inside a name ("د. سامية", "م. ناصر" for المهندس,
// "أ. هند" for الأستاذة, "Dr. Amina Yusuf").
var abbreviations = map[string]bool{"د": true, "م": true, "ا": true, "dr": true, "mr": true, "mrs": true, "ms": true, "prof": true, "st": true, "jr": true, "sr": true, "m": true}

// nameWords splits s into words; any character that is not a letter, a mark, a hyphen,
// an apostrophe or white space is a break.
func nameWords(s string) []nameWord {
	var out []nameWord
	var b strings.Builder
	brk := false
	flush := func() {
		if b.Len() > 0 {
			out = append(out, nameWord{w: b.String(), brk: brk, index: len(out)})
			b.Reset()
			brk = false
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsMark(r) || r == 'ـ' || ((r == '-' || r == '\'' || r == '’') && b.Len() > 0):
			b.WriteRune(r)
		case unicode.IsSpace(r):
			flush()
		case r == '.' && abbreviations[fold(b.String())]:
			b.WriteRune(r)
			flush()
		default:
			flush()
			brk = true
		}
	}
	flush()
	return out
}

var (
	arHonorifics = foldSet(
		"سعادة", "معالي", "فخامة", "سمو", "سيادة", "صاحب", "السمو", "السيد", "السيدة", "الدكتور", "الدكتورة", "د.", "د",
		"الشيخ", "الشيخة", "الأستاذ", "الأستاذة", "المهندس", "المهندسة", "اللواء", "العميد", "العقيد", "الفريق",
		"المقدم", "الرائد", "النقيب", "الأمير", "الأميرة", "الملك", "المفكر", "الفنان", "الفنانة", "الكاتب",
		"الكاتبة", "الروائي", "الروائية", "الشاعر", "الشاعرة", "النجم", "النجمة", "المخرج", "المخرجة", "اللاعب",
		"اللاعبة", "المدرب", "الإعلامي", "الإعلامية", "الناقد", "الداعية", "الباحث", "الباحثة", "الخبير",
		"الخبيرة", "المستشار", "القاضي", "المطرب", "المطربة", "الممثل", "الممثلة", "الحاج", "الإمام", "المحامي",
		"المحامية", "الطبيب", "الطبيبة", "الناشط", "الناشطة", "رجل الأعمال", "سعادته",
		// Sport and the arts give their trade as a title too ("الحارس محمد العويس").
		"الحارس", "المهاجم", "المدافع", "الكابتن", "الحكم", "البطل", "البطلة", "العداء", "السباح", "الملاكم",
		"الملحن", "الموسيقار", "المغني", "المغنية", "المنشد", "الرسام", "الرسامة", "المصور", "المصورة",
	)
	// Ranks kept as part of a name when the article's own short form has them
	// ("العميد الصبيحي" in the title → "العميد عبدالله الصبيحي").
	arReportVerbs = foldSet(
		"أقر", "أكد", "كشف", "قال", "أوضح", "اعتبر", "شدد", "أشار", "رأى", "حذر", "دعا", "أعلن", "نفى", "طالب", "وصف",
		"يرى", "يقول", "يؤكد", "يكشف", "تحدث", "يتحدث", "أبدى", "عبر", "ثمن", "أعرب", "قالت", "أكدت", "كشفت",
		"أوضحت", "اعتبرت", "شددت", "أشارت", "رأت", "حذرت", "دعت", "أعلنت", "نفت", "طالبت", "وصفت", "ترى", "تقول",
		"تؤكد", "تكشف", "تحدثت", "تتحدث", "أبدت", "عبرت", "ثمنت", "أعربت", "يروي", "تروي", "روى", "روت",
		"استعرض", "استعرضت", "تناول", "تناولت", "أجاب", "أجابت", "يجيب", "تجيب", "أضاف", "أضافت", "يضيف",
		"تضيف", "ذكر", "ذكرت", "أفاد", "أفادت", "صرح", "صرحت", "لفت", "لفتت", "أردف", "أردفت", "استطرد",
	)
	// Words that end a name in Arabic: prepositions, particles, relative pronouns, verbs.
	// Looked up as written: folding turns "على" (on) into the name "علي".
	arNameStopRaw = map[string]bool{
		"في": true, "من": true, "عن": true, "إلى": true, "الى": true, "على": true, "مع": true, "أن": true, "إن": true,
		"ان": true, "بأن": true, "لأن": true, "الذي": true, "التي": true, "الذين": true, "خلال": true, "لدى": true,
		"عند": true, "حول": true, "منذ": true, "بعد": true, "قبل": true, "ضمن": true, "عبر": true, "هو": true,
		"هي": true, "وهو": true, "وهي": true, "كما": true, "حيث": true, "أو": true, "ثم": true, "قد": true, "لقد": true,
		"ما": true, "لا": true, "لم": true, "لن": true, "كان": true, "كانت": true, "يكون": true, "أمس": true,
		"اليوم": true, "الذى": true, "فى": true, "بين": true, "أمام": true, "بعض": true, "كل": true, "هذا": true,
		"هذه": true, "ذلك": true, "تلك": true,
	}
	// Verbs of an outlet meeting its interviewee: "«عكاظ» تحاور X", "التقت الصحيفة X".
	arMeetVerbs     = foldSet("تحاور", "يحاور", "حاورت", "حاورنا", "تلتقي", "يلتقي", "التقت", "التقى", "التقينا", "تستضيف", "استضافت")
	arCompoundHeads = foldSet("عبد", "أبو", "ابو", "أبي", "ذو", "ذي", "بن", "ابن", "بنت", "آل")
	arKinship       = foldSet("بن", "ابن", "بنت", "آل")
	// arLineage join a person to a parent ("فهد بن سعد"); "آل" joins the family instead.
	arLineage = foldSet("بن", "ابن", "بنت")
	// arMaleGivenNames and arFemaleGivenNames are common Arabic given names, men's and
	// women's (arGivenNames, both). After one, a word with the article is
	// a family name ("رئيس نادي الاتفاق خالد الدبل"), where after other words it is the
	// description going on ("نادي الاتفاق"). Names that are also everyday adjectives or
	// nouns ("سعيد", "كريم", "أمل", "وفاء") are left out: they would read "رئيس … سعيد
	// الحظ" as a person.
	arMaleGivenNames = foldSet(
		"محمد", "أحمد", "محمود", "مصطفى", "علي", "عمر", "عثمان", "خالد", "سعد", "سعود", "فهد", "فيصل", "سلطان",
		"سلمان", "عبدالله", "عبدالرحمن", "عبدالعزيز", "عبدالمحسن", "عبدالكريم", "عبدالرحيم", "عبداللطيف",
		"عبدالمجيد", "عبدالملك", "عبدالإله", "عبدالحميد", "عبدالسلام", "عبدالهادي", "عبدالوهاب", "عبدالقادر",
		"عبدالفتاح", "عبدالناصر", "إبراهيم", "إسماعيل", "يوسف", "يعقوب", "موسى", "عيسى", "هارون", "داود",
		"سليمان", "يحيى", "زكريا", "إلياس", "أيوب", "يونس", "حسين", "حسام", "حمد", "حمدي", "حامد", "حمود",
		"حمزة", "طارق", "طلال", "ماجد", "مازن", "منصور", "ناصر", "نايف", "نواف", "نادر", "نزار", "هاني",
		"هشام", "وليد", "وائل", "ياسر", "ياسين", "زياد", "زيد", "سامي", "سامر", "سمير", "صلاح", "عاطف",
		"عامر", "عمرو", "عماد", "عصام", "غازي", "فارس", "فؤاد", "فواز", "قاسم", "كمال", "لؤي", "ماهر",
		"مراد", "مروان", "مشعل", "مشاري", "معاذ", "مهند", "هيثم", "وسام", "رامي", "رائد", "راشد", "رضا",
		"رياض", "بدر", "بندر", "بسام", "بشار", "بشير", "تركي", "ثامر", "جابر", "جاسم", "جمال", "حازم",
		"حاتم", "خليل", "خليفة", "راكان", "سيف", "شادي", "ضياء", "عدنان", "علاء", "عمار", "غسان", "فراس",
		"قيس", "لطفي", "متعب", "محسن", "مساعد", "منذر", "نجيب", "نعيم", "همام", "وحيد", "يزيد", "أنس",
		"أسامة", "أشرف", "أكرم", "أمجد", "أنور", "إياد", "باسل", "باسم", "توفيق", "جلال", "رفيق", "رمزي",
		"شاكر", "صابر", "صقر", "ظافر", "عبيد", "عوض", "غانم", "فالح", "فايز", "فهمي", "فتحي", "مجدي",
		"مشهور", "مفلح", "مهدي", "ناجي",
	)
	arFemaleGivenNames = foldSet(
		"هيام", "فاطمة", "عائشة", "مريم", "خديجة", "زينب", "سارة", "نورة",
		"نوال", "هند", "ليلى", "سلمى", "منى", "مها", "ريم", "رنا", "رانيا", "رشا", "سمر", "سماح", "سميرة",
		"سهام", "سعاد", "عبير", "علياء", "غادة", "لمياء", "لينا", "مروة", "ميساء", "نادية", "نجلاء", "نهى",
		"هالة", "هبة", "ياسمين", "أسماء", "آمنة", "بشرى", "حنان", "حصة", "دانة", "رغد", "روان", "ريهام",
		"سوسن", "شيماء", "عفاف", "فدوى", "لبنى", "مشاعل", "منيرة", "نوف", "هيفاء", "وداد", "أروى", "جواهر",
		"خلود", "دلال", "سامية",
	)
	arGivenNames = union(arMaleGivenNames, arFemaleGivenNames)
)

func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		maps.Copy(out, s)
	}
	return out
}

// isMaleGivenName reports whether words are one man's given name, in one word or a
// compound of two ("عبد الله").
func isMaleGivenName(words []string) bool {
	switch len(words) {
	case 1:
		return arMaleGivenNames[fold(words[0])]
	case 2:
		return arCompoundHeads[fold(words[0])] && arMaleGivenNames[fold(words[0]+words[1])]
	}
	return false
}

// arCore strips the clitics a name word can carry in a sentence ("للدكتورة" is "ل" +
// "الدكتورة", "وسامية" is "و" + "سامية") for honorific look-up.
func arCore(w string) []string {
	f := fold(w)
	out := []string{f}
	if strings.HasPrefix(f, "لل") {
		out = append(out, "ال"+strings.TrimPrefix(f, "لل"))
	}
	for _, p := range []string{"و", "ف", "ب", "ل", "ك", "وب", "ول", "ولل", "فال"} {
		if strings.HasPrefix(f, p) && runeCount(f) > runeCount(p)+2 {
			rest := strings.TrimPrefix(f, p)
			out = append(out, rest)
			if strings.HasPrefix(rest, "ل") && p != "فال" {
				out = append(out, "ا"+rest)
			}
		}
	}
	return out
}

func isArHonorific(w string) bool {
	for _, c := range arCore(w) {
		if arHonorifics[c] {
			return true
		}
	}
	return false
}

func isArStop(w string) bool {
	if strings.HasSuffix(w, "ـ") {
		return true // "لـ", "بـ": a preposition cut off a quoted outlet
	}
	f := fold(w)
	// A verb of meeting may look like a word with the article ("التقينا", "التقت").
	return arNameStopRaw[w] || isArReportVerb(w) || arMeetVerbs[f] || arRoleNoun(f) || (strings.HasPrefix(f, "و") && arRoleNoun(f[len("و"):]))
}

// arPossessives are the folded pronoun suffixes a role noun takes in a lede: "مديرته"
// (its director), "رئيسها", "مدربهم".
var arPossessives = []string{"هم", "هن", "ها", "ه", "نا", "كم", "ك"}

// arRoleNoun reports whether the folded word f is a role noun (roleNouns), bare or with a
// possessive suffix; a feminine noun's ta marbuta is written "ت" before the suffix.
func arRoleNoun(f string) bool {
	if roleNouns[f] {
		return true
	}
	for _, suffix := range arPossessives {
		stem, ok := strings.CutSuffix(f, suffix)
		if !ok || utf8.RuneCountInString(stem) < 3 {
			continue
		}
		if roleNouns[stem] {
			return true
		}
		if t, ok := strings.CutSuffix(stem, "ت"); ok && roleNouns[t+"ه"] {
			return true
		}
	}
	return false
}

// arPresentReportVerbs are the present-tense reporting verbs, which headlines and
// subtitles write after their subject ("شقيق اللاعب يروي قصصا طريفة", "X يكشف
// تفاصيل"). Where the past tense opens a sentence and its subject follows ("كشف X"),
// after one of these the words are what is told.
var arPresentReportVerbs = foldSet("يرى", "يقول", "يؤكد", "يكشف", "يتحدث", "ترى", "تقول", "تؤكد", "تكشف", "تتحدث",
	"يروي", "تروي", "يجيب", "تجيب", "يضيف", "تضيف")

// arClauseOpeners are the particles after which a verb still opens its clause, its
// subject after it ("كما يقول X").
var arClauseOpeners = foldSet("كما", "وكما", "حيث", "قد", "وقد", "ثم", "فيما", "بينما", "إذ", "هنا", "وهنا", "لذلك", "ولذلك")

// arSubjectBefore reports a present-tense reporting verb at ws[i] that follows words
// of its own clause: its subject is before it, and no name follows. With the
// conjunction ("ويقول") or at the start of a clause, it opens the sentence as a past
// verb does.
func arSubjectBefore(ws []nameWord, i int) bool {
	if !arPresentReportVerbs[fold(ws[i].w)] || i == 0 || ws[i].brk {
		return false
	}
	return !arClauseOpeners[fold(ws[i-1].w)]
}

func isArReportVerb(w string) bool {
	f := fold(w)
	return arReportVerbs[f] || (strings.HasPrefix(f, "و") && arReportVerbs[strings.TrimPrefix(f, "و")])
}

// arSurnames returns, folded, the words with the article "ال" that text uses on their own
// for a person: right after a reporting verb or an honorific ("وأضاف الربيعة", "الدكتور
// الربيعة"). A family name with a feminine or plural ending ("الربيعة", "الحسين") reads
// like the adjectives that follow names, and this is how the article tells them apart.
func arSurnames(text string) map[string]bool {
	out := map[string]bool{}
	if !isArabic(text) {
		return out
	}
	ws := nameWords(text)
	for i := 1; i < len(ws); i++ {
		// The article is written with a bare alef: the test on the word as written
		// comes first.
		w := ws[i].w
		if ws[i].brk || !strings.HasPrefix(w, "ال") || runeCount(w) < 5 {
			continue
		}
		if prev := ws[i-1].w; (isArReportVerb(prev) || isArHonorific(prev)) && !isArStop(w) && !isArHonorific(w) && !namedNext(ws, i) {
			out[fold(w)] = true
		}
	}
	return out
}

// namedAfter reports whether text writes a name right after the folded word f, one that
// opens with a common given name or an honorific: the title's words then describe the
// person the text names ("رئيس الاتحاد السعودي لكرة القدم ياسر المسحل"), and f ends the
// description, not a name.
func namedAfter(text, f string) bool {
	ws := nameWords(text)
	for i := 0; i+1 < len(ws); i++ {
		if fold(ws[i].w) != f || ws[i+1].brk {
			continue
		}
		if n := strings.Fields(arNameAt(ws, i+1, nil)); isArHonorific(ws[i+1].w) || len(n) > 0 && opensWithGivenName(n) {
			return true
		}
	}
	return false
}

// endsInFamilyName reports whether an Arabic name of two or more words ends in a family
// name with the article ("سارة الحربي").
func endsInFamilyName(name string) bool {
	ws := strings.Fields(name)
	return len(ws) >= 2 && strings.HasPrefix(fold(ws[len(ws)-1]), "ال")
}

// isNisba reports whether a folded word with the article is a family name by its form:
// a relation adjective in "ي" ("الغذامي", "القحطاني").
func isNisba(f string) bool {
	return strings.HasSuffix(f, "ي") && f != "الذي"
}

// namedNext reports whether a name follows word i (an honorific, or two name words), so
// that ws[i] describes that person ("أكدت الفنانة الدكتورة هند", "قالت الفنانة هند
// الأحمد") instead of being a name used alone.
func namedNext(ws []nameWord, i int) bool {
	if i+1 >= len(ws) || ws[i+1].brk {
		return false
	}
	return isArHonorific(ws[i+1].w) || len(strings.Fields(arNameAt(ws, i+1, nil))) >= 2
}

// arNameWord reports whether w can be the next word of an Arabic name after the words
// before it: not a stop word or honorific, Arabic letters only; a word with the
// article "ال" only when it is a family name in "ي" ("الغذامي"), one the article uses on
// its own (surnames.has), or completes a compound ("عبد الله").
func arNameWord(w string, before []string, surnames *surnameIndex) bool {
	if w == "" || !isArabic(w) || isArStop(w) || isArHonorific(w) {
		return false
	}
	f := fold(w)
	if strings.HasPrefix(f, "لل") {
		return false // "للمباراة": a preposition with the article, no name
	}
	k := len(before)
	if strings.HasPrefix(f, "ال") && k > 0 {
		if arCompoundHeads[fold(before[k-1])] || isNisba(f) {
			return true
		}
		// A family name right after the given name ("ليلى الأحمد") or after the
		// father's name of a lineage ("أحمد بن سالم الخطيب"); feminine and plural
		// endings are the adjectives that follow names ("الناجية", "المتخصصون"), unless
		// the article uses the word alone for a person.
		afterGiven := k == 1 || (k >= 3 && arLineage[fold(before[k-2])])
		if afterGiven && !strings.HasSuffix(f, "ه") && !strings.HasSuffix(f, "ات") &&
			!strings.HasSuffix(f, "ون") && !strings.HasSuffix(f, "ين") {
			return true
		}
		// After a man's given name and nothing else, a feminine or plural ending is a
		// family name's ("الدكتور توفيق الربيعة", "محمد الحسين"): an adjective after it
		// would agree with him. After a woman's name it may be her description ("هند
		// الناجية").
		return isMaleGivenName(before) || surnames.has(f)
	}
	if strings.HasPrefix(f, "ال") && k == 0 {
		return false
	}
	return true
}

// wordsOf returns the words of ws.
func wordsOf(ws []nameWord) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.w
	}
	return out
}

// arNameAt collects an Arabic name starting at word i: up to four words, ending at a
// break, a stop word, a word that cannot be part of a name, or after a family name.
func arNameAt(ws []nameWord, i int, surnames *surnameIndex) string {
	var out []string
	for j := i; j < len(ws) && len(out) < 4; j++ {
		if j > i && ws[j].brk {
			break
		}
		if !arNameWord(ws[j].w, out, surnames) {
			break
		}
		prev := ""
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		out = append(out, ws[j].w)
		// A family name with the article ends the name; what follows it is the sentence
		// ("فضل البوعينين تعافي أسعار النفط").
		// "آل" folds to the article's letters but opens the family name ("جلوي آل كركمان").
		if len(out) > 1 && strings.HasPrefix(fold(ws[j].w), "ال") && !arCompoundHeads[fold(prev)] && !arCompoundHeads[fold(ws[j].w)] {
			break
		}
	}
	for len(out) > 0 && arCompoundHeads[fold(out[len(out)-1])] {
		out = out[:len(out)-1]
	}
	return strings.Join(out, " ")
}

// arCommonNounRanks are ranks that are also everyday nouns ("الفريق" is a lieutenant
// general and "the team"): after them one word is what the sentence says ("الفريق
// جاهز"), a name takes two.
var arCommonNounRanks = foldSet("الفريق", "العميد", "النقيب")

// nameAttested reports whether the document shows that n is a person's name: it opens
// with a given name or ends in a family name the text uses on its own.
func nameAttested(n string, surnames *surnameIndex) bool {
	ws := strings.Fields(n)
	return len(ws) > 0 && (opensWithGivenName(ws) || surnames.has(fold(ws[len(ws)-1])))
}

// arNameAfterAdjectives reads a name after the adjectives of an occupation ("الخبير
// الاقتصادي فضل البوعينين", "الكاتب السعودي عبده خال"): at most two words with the
// article, then a name of at least two words.
func arNameAfterAdjectives(ws []nameWord, j int, surnames *surnameIndex) string {
	for k := j; k < len(ws) && k < j+2; k++ {
		f := fold(ws[k].w)
		if ws[k].brk || !strings.HasPrefix(f, "ال") || isArStop(ws[k].w) {
			return ""
		}
		if k+1 < len(ws) && !ws[k+1].brk && !strings.HasPrefix(fold(ws[k+1].w), "ال") {
			if n := arNameAt(ws, k+1, surnames); len(strings.Fields(n)) >= 2 {
				return n
			}
			return ""
		}
	}
	return ""
}

// maxRoleWords bounds the description between a role noun and the name it closes.
const maxRoleWords = 10

// arInterviewNouns are the folded nouns of an interview, as a lede writes them before
// "مع" and the person, in any case ending ("حوار", "حوارا", "لقاء", "لقاءً").
var arInterviewNouns = foldSet("حوار", "حوارا", "لقاء", "لقاءا", "مقابلة", "حديث", "دردشة")

// arOurGuest ("our guest") introduces the interviewee, after arGuestFillers ("ضيفنا في
// هذا الحوار هو …").
var (
	arOurGuest     = foldSet("ضيفنا", "ضيفتنا", "وضيفنا", "وضيفتنا")
	arGuestFillers = foldSet("اليوم", "الليلة", "هو", "هي", "في", "هذا", "هذه", "الحوار", "اللقاء", "الحلقة", "العدد", "لهذا", "لهذه")
)

// arAfterOutlet skips the outlet a meeting verb may name before its object ("حاورت
// «الرياض» الأمين العام …", "التقت «الشرق الأوسط» …"): a span of at most three words set
// off by punctuation on both sides. It returns where the object starts (j without such a
// span) and whether punctuation, the span's closing mark, may stand before it.
func arAfterOutlet(ws []nameWord, j int) (next int, afterMark bool) {
	if j >= len(ws) || !ws[j].brk {
		return j, false
	}
	for k := j + 1; k < len(ws) && k <= j+3; k++ {
		if ws[k].brk {
			return k, true
		}
	}
	return j, false
}

// arNameAfterVerb is the person a lede names at ws[j], after a verb that introduces
// them (a reporting or meeting verb, "حوارا مع"): a name of two words or more, a name
// after an office ("وكيل وزارة الصناعة عبدالرحمن العتيبي"), or after a noun of the
// person's walk of life that no list holds ("الطالبة سارة الحربي"), where the family
// name with the article tells the name from the words of a sentence ("أكدت الدراسة
// نتائج مهمة"). An honorific at ws[j] is ledeNames' own case. Punctuation before ws[j]
// ends the clause unless afterMark says it closes what came between.
func arNameAfterVerb(ws []nameWord, j int, afterMark bool, surnames *surnameIndex) string {
	if j >= len(ws) || ws[j].brk && !afterMark || isArHonorific(ws[j].w) {
		return ""
	}
	if n := arNameAt(ws, j, surnames); len(strings.Fields(n)) >= 2 {
		return n
	}
	if arRoleNoun(fold(ws[j].w)) {
		return arNameAfterRole(ws, j, surnames)
	}
	if n := arNameAfterAdjectives(ws, j, surnames); endsInFamilyName(n) {
		return n
	}
	return ""
}

// arNameAfterRole reads the name that closes a description opened by a role noun at i,
// when no honorific marks it: "أكد مدرب فريق الهلال الأول لكرة القدم البرتغالي جورجي
// جيسوس أن …". The name is a run, before the clause goes on (a stop word or punctuation),
// of words without the article: one closed by a family name, by its form ("ي") or by the
// article's use (surnames), is the name, and what follows it is the sentence ("سيدة
// الأعمال هيفاء الدوسري شركة توظف …"); else the last run of at least two words. Runs that
// end in another word with the article are the description ("لكرة القدم"), as is "عادل
// الجبير" until the article says "وأضاف الجبير", and an institution noun opens the
// description of one ("نادي الأهلي", "شركة الراجحي"), never a name.
func arNameAfterRole(ws []nameWord, i int, surnames *surnameIndex) string {
	best := ""
	var run []string
	closeRun := func() {
		if len(run) >= 2 {
			best = strings.Join(run, " ")
		}
		run = run[:0]
	}
	for k := i + 1; k < len(ws) && k <= i+maxRoleWords; k++ {
		w, f := ws[k].w, fold(ws[k].w)
		if f == "في" && len(run) == 0 && k+1 < len(ws) && !ws[k+1].brk && isArabic(ws[k+1].w) {
			// Where the office is held ("رئيس الغرفة التجارية في المنطقة الشرقية
			// عبدالحكيم الخالدي", "مدير التعليم في جدة …"): a region is an institution
			// noun and its adjective, a plain place one word.
			if next := ws[k+1].w; !isArInstitution(next) && !strings.HasPrefix(fold(next), "ال") {
				k++
			}
			continue
		}
		if !ws[k].brk && len(run) == 0 && arRoleNoun(f) {
			continue // offices in a chain: "نائب رئيس مجلس الإدارة"
		}
		// A rank that is an everyday noun is part of the description ("لاعب وسط الفريق
		// الأول"); a rank's own name is read where the rank is.
		if ws[k].brk || isArStop(w) || isArHonorific(w) && !arCommonNounRanks[f] || !isArabic(w) {
			break
		}
		if isArInstitution(w) {
			// The body's own name follows ("شركة أرامكو", "جمهورية كازاخستان").
			run = run[:0]
			if k+1 < len(ws) && !ws[k+1].brk && !isArHonorific(ws[k+1].w) && !isArStop(ws[k+1].w) {
				k++
			}
			continue
		}
		if !strings.HasPrefix(f, "ال") {
			run = append(run, w)
			continue
		}
		if len(run) > 0 && arCompoundHeads[fold(run[len(run)-1])] {
			run = append(run, w) // "عبد الله", "أبو الفضل"
			continue
		}
		// Words of the description may open the run ("تعليم جدة عبدالله الثقفي", "بجدة
		// زياد البسام", where the office is held): the name starts at a given name.
		given := -1
		for s := range run {
			if opensWithGivenName(run[s:]) {
				given = s
				break
			}
		}
		if given >= 0 {
			return strings.Join(append(run[given:], w), " ")
		}
		if len(run) > 0 && (isNisba(f) || surnames.has(f)) {
			run = append(run, w)
			return strings.Join(run, " ")
		}
		run = run[:0]
	}
	closeRun()
	return best
}

// arInstitutions are folded nouns of the bodies and states a role belongs to: after a
// role noun they and the word after them name the body ("رئيس نادي الفتح", "مدير شركة
// أرامكو", "سفير جمهورية كازاخستان"), which no person's name opens.
var arInstitutions = foldSet("نادي", "شركة", "مجلس", "هيئة", "وزارة", "جامعة", "مستشفى", "جمعية", "غرفة", "لجنة",
	"إدارة", "مركز", "بنك", "مصرف", "صندوق", "مؤسسة", "فريق", "منتخب", "اتحاد", "مدرسة", "كلية", "معهد", "مجموعة",
	"حزب", "حركة", "منظمة", "مكتب", "قسم", "دار", "مجمع", "مصنع", "بلدية", "أمانة", "رابطة", "نقابة", "جمهورية",
	"مملكة", "دولة", "سلطنة", "إمارة", "ولاية", "محافظة", "منطقة", "مدينة", "مطار", "ميناء", "جسر", "جائزة", "برنامج",
	"قاعدة", "ملعب", "استاد")

// isArInstitution reports whether w is an institution noun, bare or with a clitic
// ("بنادي", "لشركة").
func isArInstitution(w string) bool {
	for _, c := range arCore(w) {
		if arInstitutions[c] {
			return true
		}
	}
	return false
}

// opensWithGivenName reports whether a run of name words starts with a common given
// name, written in one word or as a compound in two ("عبد الله").
func opensWithGivenName(run []string) bool {
	if arGivenNames[fold(run[0])] {
		return true
	}
	return len(run) > 1 && arCompoundHeads[fold(run[0])] && arGivenNames[fold(run[0]+run[1])]
}

// enNameWord reports whether w can be part of an English name: capitalised, not a title
// or a role.
func enNameWord(w string) bool {
	if w == "" {
		return false
	}
	r := []rune(w)[0]
	if !unicode.IsUpper(r) || isArabic(w) {
		return false
	}
	f := fold(strings.TrimSuffix(w, "."))
	return !personTitles[f] && !roleNouns[f] && !abbreviations[f]
}

// ledeCandidate is a person a lede introduces, at a word position.
type ledeCandidate struct {
	name string
	at   int
	// mention is set for a person the lede only mentions by office ("Prime Minister Rishi
	// Sunak opened the gallery"): one the lede has speak or be interviewed ("its director
	// Mona Ali talks about …") is the interviewee before any mention, wherever it stands.
	mention bool
}

// better reports whether a is the lede's interviewee before b.
func (a ledeCandidate) better(b ledeCandidate) bool {
	if a.mention != b.mention {
		return !a.mention
	}
	return a.at < b.at
}

// reEnNamed are the English patterns of a lede that introduce a person; those from
// enMentionPattern on only mention one.
var reEnNamed = []*regexp.Regexp{
	regexp.MustCompile(`(\S*)\s+` + enSpokeTo + enName),
	regexp.MustCompile(`(?i:interview(?:ed)?|conversation)\s+(?:with\s+)?` + enName),
	regexp.MustCompile(enName + `,?\s+(?:spoke|talked|speaks|talks|told|said|says)\b`),
	regexp.MustCompile(`(?i:ambassador|minister|president|director|chairman|chairwoman|chief executive|ceo|professor|prof\.|dr\.?|mr\.?|ms\.?|mrs\.?|author|novelist|writer|actor|actress|singer|coach|founder|governor|senator|mayor|artist|filmmaker|director-general|hydrologist|scientist|economist|owner)\s+` + enName),
}

// enSubjectPronouns stand for a person already named.
var enSubjectPronouns = map[string]bool{"he": true, "she": true, "they": true}

// enMentionPattern is the first of reEnNamed that only mentions a person: an office or
// occupation before a name.
const enMentionPattern = 3

// ledeNames returns the people a paragraph introduces, earliest first: an Arabic
// honorific or rank and a name ("سعادة السيد إرمان إيساغالييف"), a reporting verb and a
// two-word name ("كشف توفيق عسيري"), "حوار مع X", and the English patterns.
func ledeNames(text, lang string, surnames *surnameIndex) []ledeCandidate {
	var out []ledeCandidate
	if isArabic(text) {
		ws := nameWords(text)
		// A lede that opens with the name and then, after a comma, who the person is
		// ("عبدالرحمن الراشد، الإعلامي المعروف، تحدث …"), or says it in a sentence without
		// a verb ("عبدالرحمن الشهري روائي من أبها").
		if n := arNameAt(ws, 0, surnames); len(ws) > 0 && !isArHonorific(ws[0].w) {
			if k := len(strings.Fields(n)); k >= 2 && k < len(ws) && (ws[k].brk && (isArHonorific(ws[k].w) || roleNouns[fold(ws[k].w)]) || arOccupation(ws[k].w)) {
				out = append(out, ledeCandidate{name: n, at: 0})
			}
		}
		for i := 0; i < len(ws); i++ {
			switch {
			case isArHonorific(ws[i].w):
				j := i
				for j < len(ws) && isArHonorific(ws[j].w) && (j == i || !ws[j].brk) {
					j++
				}
				// After an institution's noun the title and name are the institution's
				// ("جامعة الملك سعود", "مستشفى الملك فهد"), no person in the lede.
				inName := i > 0 && !ws[i].brk && isArInstitution(ws[i-1].w)
				if j < len(ws) && !ws[j].brk && !inName {
					if n := arNameAt(ws, j, surnames); n != "" && (len(strings.Fields(n)) >= 2 || !arCommonNounRanks[fold(ws[j-1].w)]) {
						out = append(out, ledeCandidate{name: n, at: i})
					} else if n := arNameAfterAdjectives(ws, j, surnames); n != "" && (!arCommonNounRanks[fold(ws[j-1].w)] || nameAttested(n, surnames)) {
						// "الفريق الأول لكرة القدم" is the first team, not a general: after a
						// rank that is an everyday noun, adjectives lead to a name only where
						// the document shows it is one.
						out = append(out, ledeCandidate{name: n, at: i})
					}
				}
				i = j - 1
			case isArReportVerb(ws[i].w) && !arSubjectBefore(ws, i):
				if n := arNameAfterVerb(ws, i+1, false, surnames); n != "" {
					out = append(out, ledeCandidate{name: n, at: i})
				}
			case arInterviewNouns[fold(ws[i].w)] && i+2 < len(ws) && fold(ws[i+1].w) == "مع":
				// "أجرت «الرياض» حوارا مع وكيل وزارة الصناعة عبدالرحمن العتيبي"
				if n := arNameAfterVerb(ws, i+2, false, surnames); n != "" {
					out = append(out, ledeCandidate{name: n, at: i})
				}
			case arOurGuest[fold(ws[i].w)]:
				// "ضيفنا اليوم هو رجل الأعمال عبدالله المبطي"
				j := i + 1
				for j < len(ws) && j <= i+4 && !ws[j].brk && arGuestFillers[fold(ws[j].w)] {
					j++
				}
				if n := arNameAfterVerb(ws, j, false, surnames); n != "" {
					out = append(out, ledeCandidate{name: n, at: i})
				}
			case arMeetVerbs[fold(ws[i].w)]:
				// The object may follow a quoted outlet's closing mark.
				j, afterMark := arAfterOutlet(ws, i+1)
				if n := arNameAfterVerb(ws, j, afterMark, surnames); n != "" {
					out = append(out, ledeCandidate{name: n, at: i})
				}
			}
		}
		return out
	}
	// Capitalised words are names in English only: German capitalises every noun.
	if lang != "" && lang != "en" {
		return nil
	}
	for k, re := range reEnNamed {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			if k == 0 {
				// "He spoke to Anna Clarke": a pronoun that spoke stands for the interviewee,
				// and whom it spoke to is the journalist (see rePronounSpokeTo).
				if enSubjectPronouns[strings.ToLower(text[m[2]:m[3]])] {
					continue
				}
				m = m[2:]
			}
			name := trimPossessive(text[m[2]:m[3]])
			if strings.HasPrefix(name, "The ") {
				continue
			}
			out = append(out, ledeCandidate{name: name, at: len(nameWords(text[:m[0]])), mention: k >= enMentionPattern})
		}
	}
	return out
}

// arOccupation reports whether w is an occupation or office without the article
// ("روائي", "طبيبة", "مدرب"): after a name it is what the person is.
func arOccupation(w string) bool {
	f := fold(w)
	return !strings.HasPrefix(f, "ال") && isArabic(w) && (roleNouns[f] || arHonorifics["ال"+f]) && !arAddressTitles[f]
}

// arRanks are the honorifics that stay part of an Arabic name when the article's own
// short form carries them: military ranks and royal titles ("العميد عبدالله الصبيحي").
// Occupations and courtesy titles ("الفنانة", "الدكتور", "السيد") describe the person.
var arRanks = foldSet("العميد", "اللواء", "الفريق", "العقيد", "المقدم", "الرائد", "النقيب", "المشير", "الأمير", "الأميرة", "الملك")

// stripDescriptors removes the leading occupations and courtesy titles of a name
// ("الفنانة ليلى حداد" → "ليلى حداد") and keeps ranks.
func stripDescriptors(name string) string {
	ws := strings.Fields(withoutTitles(name))
	if len(ws) >= 3 && arNisba(ws[0]) {
		ws = ws[1:]
	}
	return strings.Join(ws, " ")
}

// arNisba reports whether w is a definite relative adjective ("التشكيلية", "الإعلامي",
// "الكويتية"): before a name it says what the person is or where they come from, as
// "Painter" does in English. A name opens with a given name, and the given names that
// carry the article ("الوليد", "الحسن") are not of this form; family names that are
// ("العلي") come last, so only the first of three or more words is read so.
func arNisba(w string) bool {
	f := fold(w)
	if !strings.HasPrefix(f, "ال") || utf8.RuneCountInString(f) < 6 {
		return false
	}
	return strings.HasSuffix(f, "يه") || strings.HasSuffix(f, "ي")
}

// withoutLeadWord drops the first word of a Latin-script name of three words or more
// when the article also writes the rest on its own: capitals at the head of a title or a
// sentence hide whether "Chef Amara Osei" or "Astronomer Daniel Kwon" is a name or an
// occupation and a name, and the text's "Amara Osei opened …" settles it.
func (c *nameContext) withoutLeadWord(name string) string {
	ws := strings.Fields(name)
	if len(ws) < 3 || isArabic(name) {
		return name
	}
	rest := strings.Join(ws[1:], " ")
	for text := c.doc.Text; ; {
		k := strings.Index(text, rest)
		if k < 0 {
			return name
		}
		if !strings.HasSuffix(strings.TrimRightFunc(text[:k], unicode.IsSpace), ws[0]) {
			return rest
		}
		text = text[k+len(rest):]
	}
}

// reVocative matches a question opening by addressing the interviewee: "Mrs Stone,",
// "Herr Professor Borasio,", "Hallo Friederike,".
var reVocative = regexp.MustCompile(`^(?:(?:Hallo|Hello|Hi|Dear|Liebe|Lieber)\s+)?((?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Herr|Frau|Monsieur|Madame|Mme|Señor|Señora|Signor|Signora)\.?\s+)*[\p{Lu}][\p{L}'’\-]+(?:\s+[\p{Lu}][\p{L}'’\-]+)?)\s*,`)

// vocative returns the name the first question that addresses someone opens with, in a
// non-Arabic text; a bare capitalised word only counts after a greeting or a title.
func (c *nameContext) vocative() string {
	if isArabic(c.doc.Text) {
		return ""
	}
	for _, qp := range c.qps {
		if !qp.question {
			continue
		}
		if name := latinVocative(qp.body); name != "" {
			return name
		}
	}
	return ""
}

// latinVocative returns the name s opens by addressing ("Mrs Stone,", "Hallo Friederike,"),
// or "". A bare capitalised word before a comma counts only after a greeting or a title:
// alone it is as often an adverb ("Meanwhile, what …", "Still, …").
func latinVocative(s string) string {
	m := reVocative.FindStringSubmatchIndex(s)
	if m == nil {
		return ""
	}
	name := s[m[2]:m[3]]
	ws := strings.Fields(name)
	if titled := len(ws) > 1 && personTitles[fold(strings.TrimSuffix(ws[0], "."))]; titled || m[2] > 0 {
		return name
	}
	return ""
}

// interviewee names the person interviewed: the title's name expanded to its fullest
// form in the article, else the name the first question addresses ("Mrs Stone,"), else the
// first person the lede introduces (which also resolves a title's description such as
// "السفير الكازاخي").
func (c *nameContext) interviewee(lede []qaPara, interviewer string) string {
	return c.withoutLeadWord(c.intervieweeAsFound(lede, interviewer))
}

func (c *nameContext) intervieweeAsFound(lede []qaPara, interviewer string) string {
	// A candidate that is the interviewer (all of its words are the interviewer's) is not
	// the interviewee; sharing one word ("سعد") is a coincidence of names.
	ok := func(n string) bool {
		return n != "" && validPersonName(n) && (interviewer == "" || !subsetWords(labelWords(n), labelWords(interviewer)))
	}
	if c.titleName != "" && !c.titleDesc && ok(c.titleName) {
		c.titleName = c.withoutLeadWord(stripDescriptors(c.titleName))
		if e := c.expand(c.titleName, lede); ok(e) {
			return e
		}
		return c.titleName
	}
	if v := c.vocative(); v != "" {
		if e := c.expand(v, lede); ok(e) {
			return e
		}
	}
	texts := make([]string, 0, len(lede)+1)
	for _, qp := range lede {
		texts = append(texts, qp.p.Text)
	}
	texts = append(texts, c.title)
	for _, t := range texts {
		best := ledeCandidate{at: -1}
		for _, cand := range ledeNames(t, c.doc.Lang, c.surnames) {
			if ok(cand.name) && (best.at < 0 || cand.better(best)) {
				best = cand
			}
		}
		if best.at >= 0 {
			return best.name
		}
	}
	if c.titleDesc {
		for _, qp := range lede {
			if n := describedName(qp.p.Text, c.titleName, c.surnames); ok(n) {
				return n
			}
		}
		// The description may end in the name ("لاعب الهلال سالم الدوسري: …") where the
		// lede describes the person otherwise ("نجم الهلال").
		if n := describedName(c.titleName, c.titleName, c.surnames); ok(n) {
			return n
		}
	}
	if lang := c.doc.Lang; !isArabic(c.doc.Text) && (lang == "" || lang == "en") {
		for _, qp := range lede {
			if n := firstEnName(qp.p.Text); ok(n) && !c.isOutlet(n) {
				return n
			}
		}
	}
	return ""
}

// describedName is the person an Arabic lede names after the noun a descriptive title
// opens with: the title "سيدة أعمال سعودية: …" and the lede "تدير سيدة الأعمال هيفاء
// الدوسري شركة …" describe the same person, whom the lede names where no reporting verb
// or honorific introduces her.
func describedName(text, desc string, surnames *surnameIndex) string {
	ws := strings.Fields(desc)
	if len(ws) == 0 || !isArabic(text) {
		return ""
	}
	head := strings.TrimPrefix(fold(ws[0]), "ال")
	words := nameWords(text)
	for i, w := range words {
		for _, c := range arCore(w.w) {
			if c == head || c == "ال"+head {
				if n := arNameAfterRole(words, i, surnames); n != "" {
					return n
				}
				break
			}
		}
	}
	return ""
}

// withoutTitles is a name without the courtesy and academic titles that open it ("د.",
// "الدكتورة", "Dr.", "Prof."), as the lede's names come out: the gold writes "سامية
// العمودي" for "الدكتورة سامية العمودي". Ranks stay ("العميد عبدالله الصبيحي"), and so
// does a knighthood ("Sir", "Dame"), which British papers give as part of the name.
func withoutTitles(name string) string {
	ws := strings.Fields(name)
	for len(ws) > 1 {
		f := fold(strings.TrimSuffix(ws[0], "."))
		if !(isArHonorific(ws[0]) && !arRanks[fold(ws[0])]) && !(personTitles[f] && !isArabic(ws[0]) && f != "sir" && f != "dame") {
			break
		}
		ws = ws[1:]
	}
	return strings.Join(ws, " ")
}

// isPossessive reports whether an English word is a possessive ("Patel's"): a name ends
// with it ("Nina Patel's debut film").
func isPossessive(w string) bool {
	return strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s")
}

func trimPossessive(name string) string {
	for _, suf := range []string{"'s", "’s"} {
		if i := strings.Index(name, suf); i > 0 && (i+len(suf) == len(name) || name[i+len(suf)] == ' ') {
			return name[:i]
		}
	}
	return name
}

// enFunctionWords open English sentences and phrases with a capital without being names.
var enFunctionWords = map[string]bool{
	"in": true, "on": true, "at": true, "the": true, "a": true, "an": true, "this": true, "that": true,
	"when": true, "after": true, "before": true, "for": true, "from": true, "with": true, "by": true,
	"as": true, "but": true, "and": true, "our": true, "his": true, "her": true, "its": true, "their": true,
	"last": true, "next": true, "we": true, "i": true, "it": true, "he": true, "she": true, "they": true,
	"since": true, "during": true, "while": true, "if": true, "now": true, "today": true, "yesterday": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	// verbs that open a lede by presenting the person ("Meet Jonah Whitfield, …")
	"meet": true, "introducing": true, "presenting": true, "welcome": true, "imagine": true, "picture": true,
	"every": true, "some": true, "many": true, "most": true, "here": true, "there": true, "so": true,
}

// firstEnName is the last resort for an English lede: the first run of two or three
// capitalised words that is not a sentence opener or a "The ..." name ("the farmer Ruth
// Adebayo explained" → "Ruth Adebayo").
func firstEnName(text string) string {
	ws := nameWords(text)
	for i := 0; i < len(ws); i++ {
		if !enNameWord(ws[i].w) || enFunctionWords[fold(ws[i].w)] {
			continue
		}
		if i > 0 && fold(ws[i-1].w) == "the" && !ws[i].brk {
			// "the Old Mill Theatre" is a place or a body; a name after its comma is not.
			for i+1 < len(ws) && !ws[i+1].brk && enNameWord(ws[i+1].w) {
				i++
			}
			continue
		}
		j := i
		for j+1 < len(ws) && j-i < 2 && !ws[j+1].brk && enNameWord(ws[j+1].w) && !isPossessive(ws[j].w) {
			j++
		}
		if j > i {
			return trimPossessive(strings.Join(wordsOf(ws[i:j+1]), " "))
		}
	}
	return ""
}

// initialsOf returns the capital initials of a name ("Jane Smith" → "JS").
func initialsOf(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		if r := []rune(w)[0]; unicode.IsUpper(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ledeTitleText is where the short label short's full name is looked for, in the order
// it is trusted: the lede's paragraphs, the title, then the rest of the text. A speaker
// label no longer than short is left out of its paragraph, so that the label's own repeats
// ("م. الشهري:" on every answer) do not outvote the lede's one writing ("المهندس ناصر
// الشهري"); a longer label ("HIRO TANAKA:") is a writing of the name and stays.
func (c *nameContext) ledeTitleText(lede []qaPara, short string) []string {
	n := len(labelWords(short))
	text := func(qp qaPara) string {
		if qp.kind == kindName && len(labelWords(qp.name)) <= n {
			return qp.body
		}
		return qp.p.Text
	}
	texts := make([]string, 0, len(c.qps)+1)
	for _, qp := range lede {
		texts = append(texts, text(qp))
	}
	texts = append(texts, c.title)
	for _, qp := range c.qps[len(lede):] {
		texts = append(texts, text(qp))
	}
	return texts
}

// reCapitalisedRun is a run of capitalised words, where a Latin name is looked for.
var reCapitalisedRun = regexp.MustCompile(`\p{Lu}[\p{L}'’\-]+(?:\s+\p{Lu}[\p{L}'’\-]+)+`)

// initialsName returns the name an initials label stands for ("HT" of "Hiro Tanaka")
// as the lede, the title or the text writes it, first found in that order: consecutive
// capitalised words, one per initial, that are a name and not the start of a sentence
// ("The Orchestra"). "" when none is written.
func (c *nameContext) initialsName(label string, lede []qaPara) string {
	if !isInitials(label) {
		return ""
	}
	want := strings.ReplaceAll(label, ".", "")
	n := runeCount(want)
	texts := c.ledeTitleText(lede, label)
	for _, t := range texts {
		for _, run := range reCapitalisedRun.FindAllString(t, -1) {
			ws := strings.Fields(run)
			for i := 0; i+n <= len(ws); i++ {
				cand := strings.Join(ws[i:i+n], " ")
				if initialsOf(cand) == want && !slices.ContainsFunc(ws[i:i+n], func(w string) bool {
					return !enNameWord(w) || enFunctionWords[fold(w)]
				}) {
					return trimPossessive(cand)
				}
			}
		}
	}
	return ""
}

// isInitials reports whether a label is a speaker's initials ("JS", "K.S.").
func isInitials(label string) bool {
	l := strings.ReplaceAll(label, ".", "")
	if n := runeCount(l); n < 2 || n > 4 {
		return false
	}
	for _, r := range l {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// arFamilyHeads open an Arabic family name of two words, which a label may use alone:
// "أبو راس" (with arKinship: "بن لادن", "آل الشيخ").
var arFamilyHeads = foldSet("أبو", "ابو")

// nameParticles open a family name in Latin script that a label may use alone: "von der
// Leyen", "De Niro", "Le Pen" (folded).
var nameParticles = foldSet("von", "van", "de", "del", "della", "da", "di", "du", "der", "den", "le", "la", "bin",
	"ibn", "ben", "dos", "das")

// isFamilyLabel reports whether the words of a label are a family name of more than one
// word, which is a short form, not the full name.
func isFamilyLabel(words []string) bool {
	if len(words) < 2 {
		return false
	}
	f := fold(words[0])
	if isArabic(words[0]) {
		return len(words) == 2 && (arKinship[f] || arFamilyHeads[f])
	}
	return nameParticles[f]
}

// givenBeforeFamily completes a family name of several words from the texts: the given
// name written right before it ("المهندس هاني أبو راس", "President Ursula von der
// Leyen"), an Arabic compound one included ("عبد الرحمن آل الشيخ"). The words are as the
// text writes them.
func (c *nameContext) givenBeforeFamily(family []string, texts []string) string {
	n := len(family)
	arabic := isArabic(family[0])
	for _, t := range texts {
		ws := nameWords(t)
	next:
		for s := 1; s+n <= len(ws); s++ {
			for i := range n {
				if fold(ws[s+i].w) != fold(family[i]) || ws[s+i].brk {
					continue next
				}
			}
			k := s - 1
			switch {
			case !arabic:
				if !enNameWord(ws[k].w) {
					continue
				}
			case strings.HasPrefix(fold(ws[k].w), "ال") && k > 0 && !ws[k].brk && arCompoundHeads[fold(ws[k-1].w)]:
				k--
			case !arNameWord(ws[k].w, nil, c.surnames):
				continue
			}
			return strings.Join(wordsOf(ws[k:s+n]), " ")
		}
	}
	return ""
}

// expand returns the fullest form of a short name in the lede, the title or the text:
// a form that starts with the short name's first word and ends with its last ("العميد
// الصبيحي" → "العميد عبدالله الصبيحي"); for a one-word name, the form the article uses
// most often with name words before it ("الغذامي" → "عبد الله الغذامي", "Borasio" →
// "Gian Domenico Borasio") or after it ("Anne" → "Anne Lück"), the longer on a tie.
// Counting occurrences keeps a capitalised sentence opener or a German noun ("Aber
// Anne", "Palliativmediziner Gian Domenico Borasio") out of the name. "" when the article
// has no fuller form.
func (c *nameContext) expand(short string, lede []qaPara) string {
	sw := strings.Fields(cleanName(short))
	for len(sw) > 1 && personTitles[fold(strings.TrimSuffix(sw[0], "."))] && !isArHonorific(sw[0]) {
		sw = sw[1:]
	}
	if len(sw) == 0 {
		return ""
	}
	arabic := isArabic(short)
	nameOK := func(w string, before []string) bool {
		if arabic {
			return arNameWord(w, before, c.surnames)
		}
		return enNameWord(w)
	}
	texts := c.ledeTitleText(lede, short)
	last, firstW := fold(sw[len(sw)-1]), fold(sw[0])
	join := func(ws []nameWord) string { return strings.Join(wordsOf(ws), " ") }
	if len(sw) >= 2 {
		best := ""
		for _, t := range texts {
			ws := nameWords(t)
			for j, w := range ws {
				if fold(w.w) != last {
					continue
				}
				for k := j - 1; k >= 0 && k >= j-4; k-- {
					if ws[k+1].brk {
						break
					}
					if fold(ws[k].w) == firstW {
						if j-k+1 > len(sw) && j-k+1 > len(strings.Fields(best)) {
							best = join(ws[k : j+1])
						}
						break
					}
					if !nameOK(ws[k].w, []string{""}) {
						break
					}
				}
			}
		}
		if best == "" && isFamilyLabel(sw) {
			best = c.givenBeforeFamily(sw, texts)
		}
		return best
	}
	type form struct {
		n, at int
	}
	left, right := map[string]*form{}, map[string]*form{}
	var order []string
	add := func(m map[string]*form, f string) {
		if m[f] == nil {
			m[f] = &form{at: len(order)}
			order = append(order, f)
		}
		m[f].n++
	}
	for _, t := range texts {
		ws := nameWords(t)
		for j, w := range ws {
			if fold(w.w) != last {
				continue
			}
			// Name words before the anchor, one form per length. An Arabic name has one
			// given name before the family name unless a kinship word joins more ("فهد
			// بن سعد الزهراني"): a second plain word is what the sentence says before the
			// name ("مدير تعليم جدة عبدالله الثقفي").
			plain := 0
			for k := j; k > 0 && j-k < 3 && !ws[k].brk; {
				cand := ws[k-1].w
				switch {
				case arabic && arCompoundHeads[fold(cand)]:
					k--
				case arabic && strings.HasPrefix(fold(cand), "ال") && k >= 2 && !ws[k-1].brk && arCompoundHeads[fold(ws[k-2].w)]:
					k -= 2
				case arabic && plain > 0 && !arKinship[fold(ws[k].w)]:
					k = 0
					continue
				case nameOK(cand, []string{"x"}):
					plain++
					k--
				default:
					k = 0
					continue
				}
				if k >= 0 && k < j {
					add(left, join(ws[k:j+1]))
				}
			}
			// Name words after it.
			for e := j + 1; e < len(ws) && e-j <= 2 && !ws[e].brk && nameOK(ws[e].w, wordsOf(ws[j:e])); e++ {
				add(right, join(ws[j:e+1]))
			}
		}
	}
	pick := func(m map[string]*form) string {
		best := ""
		for _, f := range order {
			x := m[f]
			if x == nil {
				continue
			}
			if b := m[best]; best == "" || x.n > b.n || (x.n == b.n && len(strings.Fields(f)) > len(strings.Fields(best))) {
				best = f
			}
		}
		return best
	}
	if arabic {
		// An Arabic short name is a family name ("الغذامي"); only a first name alone
		// ("سامية") is completed by the words after it.
		if b := pick(left); b != "" {
			return b
		}
		return pick(right)
	}
	both := map[string]*form{}
	for f, x := range left {
		both[f] = x
	}
	for f, x := range right {
		both[f] = x
	}
	return pick(both)
}

// introduces reports whether the lede or the title writes a label as part of a fuller
// name ("ALVAREZ" of "Maria Alvarez, who teaches third grade"), a label of several words
// as it stands, or an office label's office: whether the article introduces the label as
// a person.
func (c *nameContext) introduces(label string, lede []qaPara) bool {
	label = cleanName(label)
	if isOfficeLabel(label) {
		// An office introduces whoever holds it: "المدير:" after "ومدير المطار".
		ws := labelWords(label)
		office := strings.TrimPrefix(fold(ws[len(ws)-1]), "ال")
		for _, t := range c.ledeTitleText(lede, label) {
			if mentionsOffice(t, office) {
				return true
			}
		}
		return false
	}
	if len(labelWords(label)) < 2 {
		return c.expand(label, lede) != ""
	}
	want := fold(label)
	for _, t := range c.ledeTitleText(lede, label) {
		if containsWords(fold(t), want) {
			return true
		}
	}
	return false
}

// containsWords reports whether s holds words as whole words: "ann lee" is not in
// "joann leeds".
func containsWords(s, words string) bool {
	for from := 0; from <= len(s); {
		i := strings.Index(s[from:], words)
		if i < 0 {
			return false
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(words):])
		if !unicode.IsLetter(before) && !unicode.IsLetter(after) {
			return true
		}
		from = i + 1
	}
	return false
}

// fullName resolves a speaker label: the known full name it is part of ("Smith" of "John
// Smith"), else its fullest form in the article, else the label as written.
func (c *nameContext) fullName(label string, lede []qaPara, known ...string) string {
	label = cleanName(label)
	// A label that gives the full name is how the article names the speaker at the
	// turn; a known name with more words adds a role ("Mayor Lena Hart" from the title).
	// A family name of several words ("أبو راس:", "Von der Leyen:") is a short form of
	// the name the lede or title gives.
	family := isFamilyLabel(labelWords(label))
	if len(labelWords(label)) >= 2 && !c.isOutlet(label) && !family {
		if f := c.writtenCase(label); f != "" {
			return withoutTitles(f)
		}
		// The article may write the name without the label's office ("SEN. RUTH CALDER:",
		// then "Senator Ruth Calder").
		if bare := withoutOffice(withoutTitles(label)); bare != label {
			if f := c.writtenCase(bare); f != "" {
				return f
			}
		}
		return withoutTitles(label)
	}
	if family {
		if e := c.expand(label, lede); e != "" {
			return e
		}
	}
	for _, k := range known {
		if k != "" && sharesWord(label, k) && len(strings.Fields(k)) >= len(labelWords(label)) {
			return k
		}
		if k != "" && isInitials(label) && strings.ReplaceAll(label, ".", "") == initialsOf(k) {
			return k
		}
	}
	if c.isOutlet(label) {
		return label
	}
	if n := c.initialsName(label, lede); n != "" {
		return n
	}
	if !family { // a family label was expanded above
		if e := c.expand(label, lede); e != "" {
			return e
		}
	}
	if f := c.writtenCase(label); f != "" {
		return f
	}
	return label
}

// writtenCase returns an upper-case label ("TOM REED:", as transcripts set speakers) as
// the article writes the name elsewhere ("host Tom Reed", in the text or the title), ""
// when it does not.
func (c *nameContext) writtenCase(label string) string {
	if strings.ToUpper(label) != label || strings.ToLower(label) == label {
		return ""
	}
	want := strings.Fields(fold(label))
	// The title and the byline count too: a scrape's headline is no paragraph of the
	// text, and a host is often named only in the byline. A labelled paragraph counts
	// after its label ("MARCUS OBI, …: Thank you, Dana." names no one; "Joining me now is
	// Marcus Obi" does).
	texts := append([]string{c.title}, c.bylineName)
	texts = append(texts, c.coAuthors...)
	for _, qp := range c.qps {
		if qp.kind == kindName {
			texts = append(texts, qp.body)
		} else {
			texts = append(texts, qp.p.Text)
		}
	}
	for _, text := range texts {
		ws := nameWords(text)
		for i := 0; i+len(want) <= len(ws); i++ {
			match := true
			for k, w := range want {
				if fold(ws[i+k].w) != w || (k > 0 && ws[i+k].brk) {
					match = false
					break
				}
			}
			if !match {
				continue
			}
			parts := make([]string, len(want))
			for k := range want {
				parts[k] = ws[i+k].w
			}
			if f := strings.Join(parts, " "); f != label {
				return f
			}
		}
	}
	return ""
}

// isOutlet reports whether a label is the outlet's name, or its last words ("Herald:"
// for the Lakeside Herald, "Times:" for The New York Times), as a paper shortens its
// own name on the questions.
func (c *nameContext) isOutlet(label string) bool {
	fl := fold(label)
	lw := strings.Fields(fl)
	initials := isInitials(label)
	for _, o := range c.outlets() {
		if o == "" {
			continue
		}
		fo := fold(o)
		if fo == fl {
			return true
		}
		ow := strings.Fields(fo)
		if len(lw) > 0 && len(lw) < len(ow) && slices.Equal(ow[len(ow)-len(lw):], lw) {
			return true
		}
		// The brand before a generic word of the site's name ("BBC" of "BBC News",
		// "الجزيرة" of "الجزيرة نت").
		if k := len(ow); k > 1 && outletSuffixes[ow[k-1]] && slices.Equal(ow[:k-1], lw) {
			return true
		}
		// The outlet's initials ("NR:" for the Northbank Review), as a transcript labels
		// its speakers.
		if initials && len(ow) >= 2 && initialsOf(strings.TrimPrefix(o, "The ")) == strings.ReplaceAll(label, ".", "") {
			return true
		}
	}
	return false
}

// quotedLabel reports whether the label of cluster key is written in quotation marks
// («الجزيرة»:, "The Economist":), as papers set their own name.
func (c *nameContext) quotedLabel(key string, clusters labelClusters) bool {
	return slices.ContainsFunc(c.qps, func(qp qaPara) bool {
		if qp.kind != kindName || clusters.key(qp.name) != key {
			return false
		}
		_, body := leadMarker(qp.p.Text)
		r, _ := utf8.DecodeRuneInString(strings.TrimSpace(body))
		return strings.ContainsRune(`«"“`, r)
	})
}

// nameSpeakers names every turn. Labelled turns take their label's person; the others
// take their role's name: the interviewer's from the labels, the byline, a lede line or
// else the outlet; the interviewee's from the labels, the title or the lede.
func nameSpeakers(c *nameContext, lede []qaPara, turns []qaTurn, clusters labelClusters) {
	interviewer := c.bylineName
	if c.isOutlet(interviewer) {
		// A publisher's byline ("Harbor Daily" for "Harbor Daily Staff") names no one who
		// asked; a credit line ("Interview by Maya Lund.") may.
		interviewer = ""
	}
	ledeName, ledeOutlet := ledeInterviewer(lede)
	if interviewer == "" {
		interviewer = ledeName
	}
	if interviewer == "" {
		interviewer = closingInterviewer(c.qps)
	}
	outlet := c.outletOf(lede, ledeOutlet)
	interviewee := c.interviewee(lede, interviewer)

	roleKeys := map[string][]string{}
	for _, t := range turns {
		if t.key != "" && !containsString(roleKeys[t.Role], t.key) {
			roleKeys[t.Role] = append(roleKeys[t.Role], t.key)
		}
	}
	// A label that names a role ("Interviewer:", "المحاور:") is no one's name: its turns
	// take the name of the person in that role.
	// Resolved once per label: resolving reads the whole text, and a long transcript has
	// thousands of turns but a handful of labels.
	resolved := map[string]string{}
	resolve := func(key string) string {
		if name, ok := resolved[key]; ok {
			return name
		}
		label := clusters.display[key]
		name := ""
		switch {
		case roleLabels[fold(cleanName(label))]:
		case interviewee != "" && isOfficeLabel(label) && len(roleKeys["interviewee"]) == 1 && containsString(roleKeys["interviewee"], key):
			// An office on every answer ("الوزير:", "The Ambassador:") is how the page
			// labels the one person it interviews, whom the title or the lede names.
			name = interviewee
		case interviewer != "" && containsString(roleKeys["interviewer"], key) && (c.isOutlet(cleanName(label)) || c.quotedLabel(key, clusters)):
			// The paper's name on the questions («الجزيرة»:) stands for its journalist, whom
			// the byline or the lede names: the person is the speaker. Where the byline
			// names several ("Interview Conducted By Jonas Keller und Petra Lindner" over
			// "DER SPIEGEL:"), the name stands for them all, and no one of them is it.
			name = interviewer
			if len(c.coAuthors) > 0 && interviewer == c.bylineName {
				name = cleanName(label)
			}
		default:
			name = c.fullName(label, lede, interviewer, interviewee)
		}
		resolved[key] = name
		return name
	}
	ivName := interviewer
	if ks := roleKeys["interviewer"]; len(ks) == 1 {
		if n := resolve(ks[0]); n != "" {
			ivName = n
		}
	}
	if ivName == "" {
		ivName = outlet
	}
	ieName := interviewee
	if ks := roleKeys["interviewee"]; len(ks) == 1 {
		if n := resolve(ks[0]); n != "" {
			ieName = n
		}
	}
	for i := range turns {
		t := &turns[i]
		if t.key != "" {
			t.Speaker = resolve(t.key)
		}
		if t.Speaker == "" {
			t.Speaker = ieName
			if t.Role == "interviewer" {
				t.Speaker = ivName
			}
		}
		t.Speaker = joinArCompounds(withoutOffice(t.Speaker))
	}
}

// withoutOffice is a Latin-script name without the office the article writes before it
// ("Mayor Tom Reyes", "Finance Minister Ana Silva", "Vice President Kamala Harris"):
// the office is who the person is, not the name. The words up to the last office word
// go when all are capitalised and at least two words stay; "Senator Callahan" stays.
func withoutOffice(name string) string {
	if isArabic(name) {
		return name
	}
	ws := strings.Fields(name)
	cut := -1
	for i := 0; i < len(ws)-2; i++ {
		r, _ := utf8.DecodeRuneInString(ws[i])
		if !unicode.IsUpper(r) {
			break
		}
		if officeWords[fold(strings.TrimSuffix(ws[i], "."))] {
			cut = i
		}
	}
	if cut < 0 {
		return name
	}
	for _, w := range ws[cut+1:] {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) && !enParticles[fold(w)] {
			return name // what follows the office is no name ("General Motors spokesman …")
		}
	}
	return strings.Join(ws[cut+1:], " ")
}

// officeWords are folded offices and ranks English writes before a name. They overlap
// roleNouns, which is a different list: roleNouns are never a word of a name (a title
// opening with one describes the person), while some offices are also names ("King",
// "Justice") and are cut only from the front of a longer name.
var officeWords = foldSet(
	"mayor", "governor", "gov", "senator", "sen", "representative", "rep", "congressman", "congresswoman",
	"president", "minister", "chancellor", "secretary", "premier", "judge", "justice", "sheriff", "chief",
	"commissioner", "ambassador", "general", "gen", "colonel", "col", "captain", "capt", "lieutenant", "lt",
	"sergeant", "sgt", "admiral", "commander", "coach", "reverend", "rev", "bishop", "archbishop",
	"cardinal", "rabbi", "imam", "pastor", "chairman", "chairwoman", "chair", "director", "executive",
	"ceo", "councillor", "councilman", "councilwoman", "alderman", "mp", "spokesman", "spokeswoman",
	"spokesperson", "superintendent", "detective", "inspector", "sheikh", "emir", "king", "queen",
)

// outletSuffixes are the folded words a site's name adds to the outlet's brand.
var outletSuffixes = foldSet("news", "online", "net", "english", "international", "digital", "نت", "اونلاين", "الإلكترونية", "الالكترونية")

// isOfficeLabel reports whether a label is an office alone ("الوزير", "Minister", "The
// Ambassador"), which describes a person without naming them.
func isOfficeLabel(label string) bool {
	ws := labelWords(cleanName(label))
	if len(ws) == 2 && fold(ws[0]) == "the" {
		ws = ws[1:]
	}
	return len(ws) == 1 && roleNouns[fold(ws[0])] && !enDeterminers[fold(ws[0])]
}

// enDeterminers are the words roleNouns holds because they open an English role ("a
// writer", "the minister"); alone they are no office ("A:" is the answer marker).
var enDeterminers = foldSet("the", "a", "an", "our", "this", "one")

// mentionsOffice reports whether text writes an office (folded, without its article) as
// a word of its own, bare or with the article or a proclitic: "ومدير المطار" writes
// "مدير", "مديرية التعليم" does not.
func mentionsOffice(text, office string) bool {
	for _, tok := range tokens(text) {
		// tokens keeps the apostrophe of "minister's" inside the word.
		for _, w := range strings.Split(tok, "'") {
			for _, c := range arCore(w) {
				if strings.TrimPrefix(c, "ال") == office {
					return true
				}
			}
		}
	}
	return false
}

// roleLabels are speaker labels that name a part in the conversation, not a person.
var roleLabels = foldSet(
	"interviewer", "interviewee", "reporter", "journalist", "host", "moderator", "presenter", "guest",
	"المحاور", "المحاورة", "المحرر", "المحررة", "الصحفي", "الصحفية", "المذيع", "المذيعة", "الضيف", "الضيفة",
	"المراسل", "المراسلة", "السائل",
	// The paper by its kind ("الصحيفة:", "المجلة:"), as some set their questions.
	"الصحيفة", "الجريدة", "المجلة", "الموقع", "القناة", "البرنامج", "الإذاعة",
)

// reArCompound matches the theophoric compound written in two words ("عبد الله",
// "عبد العزيز").
var reArCompound = regexp.MustCompile(`(^|\s)(عبد)\s+(ال\p{Arabic}+)`)

// joinArCompounds writes "عبد الله" as "عبدالله": the same name is spelled both ways,
// often by the same paper, and one spelling per person keeps a speaker one person across
// turns and articles. The joined form is the one the Gulf press and the shared gold use.
func joinArCompounds(name string) string {
	return reArCompound.ReplaceAllString(name, "$1$2$3")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sharesWord reports whether a short label ("Smith") names the same person as a full
// name ("John Smith").
func sharesWord(label, name string) bool {
	words := map[string]bool{}
	for _, w := range tokens(name) {
		if runeCount(w) > 2 && !personTitles[w] && !arHonorifics[w] {
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
