package corpus

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/byline"
	"github.com/newsds/newsds/schema"
)

// Built-in markers for plain-text scrapes; Source.Boilerplate adds to them. They are
// compared after normMarker (case, hamza forms, ta marbuta, punctuation at the ends).
var (
	builtinDrop = []string{
		"مساحة إعلانية", "إعلان", "اعلان", "إعلانات", "advertisement", "advertising", "ad", "ads",
		"sponsored", "sponsored content", "اقرأ أيضا", "اقرأ أيضاً", "شاهد أيضا", "طباعة", "شارك",
		"مشاركة", "share", "share this", "share this article", "print", "email", "tweet",
		"facebook", "twitter", "whatsapp", "telegram", "linkedin", "subscribe", "sign in", "log in",
		"تابعنا", "follow us",
	}
	builtinEnd = []string{
		"اقرأ المزيد", "المزيد", "أخبار ذات صلة", "أخبار متعلقة", "مواضيع ذات صلة", "مقالات ذات صلة",
		"موضوعات ذات صلة", "الأكثر قراءة", "الأكثر مشاهدة", "قد يعجبك أيضا", "read more", "related",
		"related articles", "related stories", "related news", "related content", "more stories",
		"more from", "more news", "you may also like", "recommended", "most read", "most popular",
		"trending",
	}
)

var (
	// counterRe is a bare number line: a view counter, share count or page number.
	counterRe = regexp.MustCompile(`^[\d٠-٩۰-۹][\d٠-٩۰-۹.,٬٫\s]*[kKmM]?$`)
	// partSepRe splits a header line that packs several fields ("By X | March 3, 2021"):
	// at a separator, or at the gap a page makes of several (non-breaking) spaces
	// ("بقلم: خالد المنصوري &nbsp; الخميس، 2 نوفمبر 2023"; a cleaned scrape line has none).
	partSepRe = regexp.MustCompile(`\s*[|•·]\s*|[\s\x{00a0}]{2,}`)
)

// scrapeMarkers are the effective markers for one source, normalised.
type scrapeMarkers struct {
	drop, end map[string]bool
	byline    byline.Labels
	siteKeys  map[string]bool
}

func newScrapeMarkers(src config.Source, rawURL string) scrapeMarkers {
	m := scrapeMarkers{drop: map[string]bool{}, end: map[string]bool{}, siteKeys: map[string]bool{}}
	for _, s := range append(builtinDrop, src.Boilerplate.Drop...) {
		m.drop[normMarker(s)] = true
	}
	for _, s := range append(builtinEnd, src.Boilerplate.End...) {
		m.end[normMarker(s)] = true
	}
	m.byline = scrapeLabels.With(src.Boilerplate.BylinePrefixes...)
	m.addSite(src.SiteName)
	if u, err := url.Parse(rawURL); err == nil && u.Hostname() != "" {
		labels := strings.Split(strings.TrimPrefix(u.Hostname(), "www."), ".")
		m.addSite(labels[0])
	}
	return m
}

func (mk *scrapeMarkers) addSite(name string) {
	if k := siteKey(name); k != "" {
		mk.siteKeys[k] = true
	}
}

// siteKey folds a site name to letters only: "Al-sharq", "alsharq" and "AL SHARQ" agree.
func siteKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldMarker folds case and Arabic spelling variants (see normDateWord, plus ta marbuta).
func foldMarker(s string) string {
	// A map, not a strings.Replacer built per call: seeAlsoMarker folds the text of
	// every block cleanTree looks at.
	return strings.Map(func(r rune) rune {
		switch r {
		case 'ة':
			return 'ه'
		case 'ـ':
			return -1
		}
		return r
	}, normDateWord(s))
}

// normMarker folds a line for marker comparison.
func normMarker(s string) string {
	return strings.TrimFunc(foldMarker(cleanLine(s)), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '|' || r == '>' || r == '<'
	})
}

// line kinds, decided once per line.
type lineKind int

const (
	kindBlank lineKind = iota
	kindText
	kindDrop    // ad placeholder, share button, configured drop marker
	kindCounter // bare number
	kindSite    // the publication's name
	kindEnd     // starts the trailing related-articles block
)

type scrapeLine struct {
	text string
	kind lineKind
}

// extractScrape parses a plain-text scrape: a masthead block, a section line, a view
// counter, the title, a date line, a site line, a byline, then body paragraphs and a
// trailing block of related-article teasers. None of these is required: the anchor is the
// first date line above the body (or the body itself), the title is the nearest real line
// above it, and the section the short line above the title. Everything above the title
// is masthead and dropped; between the anchor and the body only bylines and dates are
// kept; the body ends at the first end marker.
func extractScrape(raw Raw, opts ExtractOptions) (schema.Document, error) {
	if !utf8.Valid(raw.Data) {
		data, _, err := DecodeHTML(raw.Data, raw.ContentType)
		if err != nil {
			return schema.Document{}, err
		}
		raw.Data = data
	}
	text := norm.NFC.String(strings.TrimPrefix(string(raw.Data), "\ufeff"))
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	mk := newScrapeMarkers(opts.Source, raw.URL)
	upper := upperBound(raw, opts)

	var lines []scrapeLine
	for _, l := range strings.Split(text, "\n") {
		l = cleanLine(l)
		lines = append(lines, scrapeLine{text: l, kind: mk.classify(l)})
	}

	doc := schema.Document{URL: raw.URL, Meta: map[string]any{}}
	bodyStart := firstBodyLine(lines, 0, mk)
	if bodyStart < 0 {
		return schema.Document{}, ErrNoText
	}
	anchor := bodyStart
	var published time.Time
	for i := 0; i < bodyStart; i++ {
		if lines[i].kind != kindText {
			continue
		}
		if t, ok := dateLine(lines[i].text, opts.Location, upper); ok {
			anchor, published = i, t
			break
		}
		// A header line that packs its fields ("By Jane Doe | March 3, 2024 10:15 AM")
		// anchors the header as a date line of its own does; the loop below reads its
		// parts.
		if parts := partSepRe.Split(lines[i].text, -1); len(parts) > 1 && slices.ContainsFunc(parts, func(p string) bool {
			_, ok := dateLine(p, opts.Location, upper)
			return ok
		}) {
			anchor = i
			break
		}
	}

	titleIdx := -1
	for i := anchor - 1; i >= 0; i-- {
		if lines[i].kind == kindText && !mk.isHeaderByline(lines, i) && !isDatelineBelow(lines, i) {
			titleIdx = i
			break
		}
	}
	// A headline with a deck under it (lines of their own, no blank line between): the
	// title is the headline, the first of them, and the deck is not text.
	for titleIdx > 0 && isDeckAbove(lines, titleIdx, mk) {
		titleIdx--
	}
	if titleIdx >= 0 {
		doc.Title = lines[titleIdx].text
		for i := titleIdx + 1; i < anchor; i++ {
			if names, ok := mk.headerBylineNames(lines, i); ok {
				doc.Byline = append(doc.Byline, names...)
				if creditsInterview([]string{lines[i].text}, byline.InLine) {
					doc.Meta[schema.MetaInterviewCredit] = true
				}
			}
		}
		// Masthead brand lines name the site; remember them so the same name is
		// dropped where it recurs further down ("Al-sharq" above, "alsharq" below).
		secIdx := sectionAbove(lines, titleIdx, mk)
		mastEnd := titleIdx
		if secIdx >= 0 {
			doc.Section, mastEnd = lines[secIdx].text, secIdx
		}
		// Masthead brand lines name the site; remember them so the same name is
		// dropped where it recurs further down ("Al-sharq" above, "alsharq" below).
		for i := 0; i < mastEnd; i++ {
			if l := lines[i]; l.kind == kindText && len(strings.Fields(l.text)) <= 2 && !strings.Contains(l.text, ":") {
				mk.addSite(l.text)
			}
		}
		for i := titleIdx - 1; i >= 0 && i < len(lines) && i > titleIdx-4; i-- {
			if lines[i].kind == kindCounter {
				if v, ok := counterValue(lines[i].text); ok {
					doc.Meta["views"] = v
				}
				break
			}
		}
		if _, ok := doc.Meta["views"]; !ok {
			for i := titleIdx + 1; i < bodyStart; i++ {
				if lines[i].kind == kindCounter {
					if v, ok := counterValue(lines[i].text); ok {
						doc.Meta["views"] = v
					}
					break
				}
			}
		}
	}
	// The header between the anchor and the body: bylines, maybe a date, the site name.
	for i := anchor; i < bodyStart; i++ {
		l := lines[i]
		if l.kind != kindText {
			continue
		}
		for _, part := range partSepRe.Split(l.text, -1) {
			switch {
			case mk.isByline(part):
				doc.Byline = append(doc.Byline, mk.bylineNames(part)...)
				if creditsInterview([]string{part}, byline.InLine) {
					doc.Meta[schema.MetaInterviewCredit] = true
				}
			case sectionLabelRe.MatchString(part):
				if doc.Section == "" {
					doc.Section = strings.TrimSpace(sectionLabelRe.FindStringSubmatch(part)[1])
				}
			default:
				// A dateline byline under the title (see headerBylineNames).
				if name, ok := arDatelineName(part); ok && titleIdx >= 0 && titleIdx < i {
					doc.Byline = append(doc.Byline, name)
				} else if published.IsZero() {
					if t, ok := dateLine(part, opts.Location, upper); ok {
						published = t
					}
				}
			}
		}
	}
	doc.Published = formatPublished(published)

	var paras []string
	var block []string
	flush := func() {
		paras = append(paras, joinBlock(block)...)
		block = block[:0]
	}
	for i := bodyStart; i < len(lines); i++ {
		l := lines[i]
		if l.kind == kindEnd {
			break
		}
		switch l.kind {
		case kindBlank:
			flush()
		case kindText:
			if mk.siteKeys[siteKey(l.text)] {
				continue
			}
			block = append(block, l.text)
		}
	}
	flush()
	// A byline at the foot ("أجرى الحوار: عبدالله الغامدي", "Interview by Priya Nair"), as
	// Arabic papers credit an interview, is the byline when the header gave none.
	if n := len(paras); n > 1 && len(doc.Byline) == 0 && mk.isByline(paras[n-1]) {
		if names := mk.bylineNames(paras[n-1]); fullNames(names) {
			doc.Byline = names
			if creditsInterview([]string{paras[n-1]}, byline.InLine) {
				doc.Meta[schema.MetaInterviewCredit] = true
			}
			paras = paras[:n-1]
		}
	}
	doc.Text = strings.Join(paras, "\n\n")
	return doc, nil
}

// sectionLabelRe is a header line that names the section outright ("Section: Local
// news", "القسم: اقتصاد").
var sectionLabelRe = regexp.MustCompile(`^(?i:section|category|rubrik|rubrique|secci[oó]n|القسم|قسم|التصنيف)\s*[:：]\s*(\S.*)$`)

func (mk scrapeMarkers) classify(l string) lineKind {
	if l == "" {
		return kindBlank
	}
	n := normMarker(l)
	switch {
	case n == "" && !counterRe.MatchString(l):
		return kindDrop
	case mk.end[n]:
		return kindEnd
	case mk.drop[n]:
		return kindDrop
	case counterRe.MatchString(l):
		return kindCounter
	case mk.siteKeys[siteKey(l)]:
		return kindSite
	}
	return kindText
}

// firstBodyLine is the first line that reads like running text: a sentence of several
// words, not a byline. Short lines (titles, sections, dates) never qualify.
func firstBodyLine(lines []scrapeLine, from int, mk scrapeMarkers) int {
	for i := from; i < len(lines); i++ {
		l := lines[i]
		if l.kind != kindText || mk.isByline(l.text) {
			continue
		}
		words := len(strings.Fields(l.text))
		// A long headline is still the title when a byline or a date follows it; a lede
		// longer than any headline is body whatever follows.
		if words > maxTitleWords || (words >= 5 && (words >= 12 || endsSentence(l.text)) && !isTitleAbove(lines, i, mk)) {
			return i
		}
	}
	return -1
}

// maxTitleWords is the most words a headline line takes; a line of more is a paragraph.
const maxTitleWords = 30

// isDatelineBelow reports a header line that is only the place the story was filed from
// ("الخبر", "جدة:", "LONDON —") below another line: a dateline, not the title, which is
// further up.
func isDatelineBelow(lines []scrapeLine, i int) bool {
	s := lines[i].text
	place := strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(":：-–—ـ", r)
	})
	if place == "" || strings.ContainsFunc(place, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) }) ||
		!slices.ContainsFunc(lines[:i], func(l scrapeLine) bool { return l.kind == kindText }) {
		return false
	}
	marked := place != s && len(strings.Fields(place)) <= 2 && !strings.ContainsFunc(place, unicode.IsLower)
	return byline.IsPlace(place) || marked
}

// isTitleAbove tells whether line i is followed by a byline or a date line, with at most
// bylines between: then it is the title, even when it is a full sentence or ends in a
// quotation (`Elena Marsh: "I still get nervous"` above "By Paul Grant"), and the body
// starts later. Blank lines between count up to a few, as scrapes write one after
// every header line.
func isTitleAbove(lines []scrapeLine, i int, mk scrapeMarkers) bool {
	bylineUnder := false
	for j := i + 1; j < len(lines) && j <= i+6; j++ {
		if lines[j].kind != kindText {
			continue
		}
		if mk.isHeaderByline(lines, j) {
			bylineUnder = true
			continue
		}
		_, ok := dateLine(lines[j].text, time.UTC, time.Time{})
		return ok || bylineUnder
	}
	return bylineUnder
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?؟…\"»”'", r)
}

// dateLine parses a short line that is a date, maybe with a label or separators around it.
func dateLine(s string, loc *time.Location, upper time.Time) (time.Time, bool) {
	if utf8.RuneCountInString(s) > 60 {
		return time.Time{}, false
	}
	s = strings.Trim(s, " |•·-–—")
	return ParseDate(s, loc, upper)
}

// isDeckAbove reports whether the line right above line i is a headline's line too: text
// of more than four words, no byline and no date, as a section name, a masthead or a
// counter is not.
func isDeckAbove(lines []scrapeLine, i int, mk scrapeMarkers) bool {
	l := lines[i-1]
	if l.kind != kindText || len(strings.Fields(l.text)) <= 4 || mk.isByline(l.text) {
		return false
	}
	_, isDate := dateLine(l.text, time.UTC, time.Time{})
	return !isDate
}

// sectionAbove returns the index of the short line just above the title (skipping
// counters and ads), or -1 when that line does not look like a section name.
func sectionAbove(lines []scrapeLine, titleIdx int, mk scrapeMarkers) int {
	for i := titleIdx - 1; i >= 0; i-- {
		l := lines[i]
		switch l.kind {
		case kindBlank, kindCounter, kindDrop:
			continue
		case kindText:
			if len(strings.Fields(l.text)) <= 4 && utf8.RuneCountInString(l.text) <= 40 &&
				!strings.ContainsAny(l.text, ":：") && !mk.isByline(l.text) {
				if _, isDate := dateLine(l.text, time.UTC, time.Time{}); !isDate {
					return i
				}
			}
		}
		return -1
	}
	return -1
}

// isByline reports a line that starts with a byline prefix followed by a name.
func (mk scrapeMarkers) isByline(s string) bool {
	_, ok := mk.bylineRest(s)
	return ok
}

// bylineRest strips the byline prefix and returns the names part.
// maxBylineWords bounds what follows a byline label: more words are a sentence or a
// notice that happens to open with "By" ("By order of the harbour master …").
const maxBylineWords = 8

func (mk scrapeMarkers) bylineRest(s string) (string, bool) {
	if utf8.RuneCountInString(s) > 80 {
		return "", false
	}
	rest := mk.byline.Strip(s, byline.InLine)
	// What follows the label must read as names, not as the rest of a headline
	// ("Interview: Lena Fischer on the future of night trains").
	if rest == s || rest == "" || len(strings.Fields(rest)) > maxBylineWords || readsLikeSentence(rest) {
		return "", false
	}
	return rest, true
}

func (mk scrapeMarkers) bylineNames(s string) []string {
	rest, _ := mk.bylineRest(s)
	return splitAuthors(rest)
}

// headerBylineNames reads header line i as a byline: one with a label ("By Jane Doe",
// "حوار: خالد المطيري"), or an Arabic dateline and name with none ("جدة: نوف الحربي",
// "الدمام - ماجد العنزي"), as Arabic papers set the byline under the headline. The
// dateline form counts only below another line: alone at the top, "لبنان - أزمة الرئاسة"
// is as likely a headline.
func (mk scrapeMarkers) headerBylineNames(lines []scrapeLine, i int) ([]string, bool) {
	s := lines[i].text
	if mk.isByline(s) {
		return mk.bylineNames(s), true
	}
	name, ok := arDatelineName(s)
	if !ok || !slices.ContainsFunc(lines[:i], func(l scrapeLine) bool { return l.kind == kindText }) {
		return nil, false
	}
	return []string{name}, true
}

func (mk scrapeMarkers) isHeaderByline(lines []scrapeLine, i int) bool {
	_, ok := mk.headerBylineNames(lines, i)
	return ok
}

// arDatelineName is the name of an Arabic line that is a dateline and a name of two to
// four words and nothing else: no digits, no sentence end, no quotation.
func arDatelineName(s string) (string, bool) {
	if utf8.RuneCountInString(s) > 60 || !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) ||
		strings.ContainsFunc(s, unicode.IsDigit) || sectionLabelRe.MatchString(s) {
		return "", false
	}
	rest := byline.DatelineFree(s)
	if rest == s {
		rest = arDatelineFree(s)
	}
	if n := len(strings.Fields(rest)); rest == s || n < 2 || n > 4 || endsSentence(rest) || strings.ContainsAny(rest, ":：،,؛«»\"“”()") {
		return "", false
	}
	return rest, true
}

// fullNames reports whether every name has the shape of a person's full name: two to
// four words, no digits or sentence punctuation, Latin words capitalised. Where a label
// opens the last paragraph, "By Thursday, 40 homes had power" is no byline.
func fullNames(names []string) bool {
	if len(names) == 0 {
		return false
	}
	for _, n := range names {
		ws := strings.Fields(n)
		if len(ws) < 2 || len(ws) > 4 || strings.ContainsFunc(n, func(r rune) bool { return unicode.IsDigit(r) || strings.ContainsRune(".,!?؟،:;", r) }) {
			return false
		}
		for _, w := range ws {
			if r, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Latin, r) && !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return true
}

// scrapeLabels are the labels a scrape's byline line opens with; a source's
// configuration may add its own.
var scrapeLabels = byline.Builtin(byline.Writer | byline.Interviewer)

// joinBlock turns the lines of one blank-line-separated block into paragraphs. A block
// of long lines none of which ends a sentence is hard-wrapped text and becomes one
// paragraph; otherwise every line is its own paragraph (scrapers write one per line).
func joinBlock(block []string) []string {
	if len(block) <= 1 {
		return append([]string(nil), block...)
	}
	wrapped := true
	for _, l := range block[:len(block)-1] {
		if utf8.RuneCountInString(l) < 50 || endsSentence(l) {
			wrapped = false
			break
		}
	}
	if wrapped {
		return []string{strings.Join(block, " ")}
	}
	return append([]string(nil), block...)
}

// counterValue reads a view counter ("2263", "1,024", "1.2K").
func counterValue(s string) (int, bool) {
	s = normDigits(strings.TrimSpace(s))
	mult := 1.0
	switch {
	case strings.HasSuffix(strings.ToLower(s), "k"):
		mult, s = 1e3, s[:len(s)-1]
	case strings.HasSuffix(strings.ToLower(s), "m"):
		mult, s = 1e6, s[:len(s)-1]
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), ",", "")
	if mult == 1 {
		s = strings.ReplaceAll(s, ".", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return int(v * mult), true
}
