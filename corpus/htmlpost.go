package corpus

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minRepeatLetters is the size from which a paragraph met twice in one text is an
// extraction artefact rather than a refrain: shorter ones ("Why?", "* * *", a speaker's
// name) repeat in real articles.
const minRepeatLetters = 30

// RepeatKey folds a paragraph for repetition checks (case, spacing, NFC), "" when it is
// too short to count (minRepeatLetters). The repeated-paragraphs validate rule uses it
// too, so that what extraction removes and what validate reports agree.
func RepeatKey(p string) string {
	p = strings.ToLower(cleanLine(p))
	if countLetters(p) < minRepeatLetters {
		return ""
	}
	return p
}

// dropRepeats removes the copies of a paragraph (see RepeatKey) that an extractor made:
// those beyond the number of times the page itself shows the text (source is the page's
// visible text folded like RepeatKey), and those in a run of different paragraphs that
// repeats an earlier run, which is a body copied whole (a page that prints its article
// twice, once cut short and once "continued"). A page that repeats one paragraph, as test
// pages of lorem ipsum do, keeps its copies.
func dropRepeats(paras []string, source string) []string {
	return dropRepeatsOf(paras, func() string { return source })
}

// dropRepeatsOf is dropRepeats with the page's text asked for only when a paragraph
// repeats: rendering the whole page for the count is wasted on most pages, which repeat
// nothing.
func dropRepeatsOf(paras []string, pageText func() string) []string {
	source, rendered := "", false
	keys := make([]string, len(paras))
	for i, p := range paras {
		keys[i] = RepeatKey(p)
	}
	// keyed lists the indexes of the paragraphs that have a key; runs are read on them,
	// so a short caption between two copied paragraphs does not break the run.
	var keyed []int
	for i, k := range keys {
		if k != "" {
			keyed = append(keyed, i)
		}
	}
	first := map[string]int{} // key → its first position in keyed
	count := map[string]int{}
	drop := make([]bool, len(paras))
	sameNeighbour := func(a, b, step int) bool {
		a, b = a+step, b+step
		if a < 0 || b < 0 || a >= len(keyed) || b >= len(keyed) {
			return false
		}
		ka, kb := keys[keyed[a]], keys[keyed[b]]
		return ka == kb && ka != keys[keyed[b-step]]
	}
	for pos, i := range keyed {
		k := keys[i]
		count[k]++
		f, seen := first[k]
		if !seen {
			first[k] = pos
			continue
		}
		if !rendered {
			source, rendered = pageText(), true
		}
		if count[k] > strings.Count(source, k) || sameNeighbour(f, pos, 1) || sameNeighbour(f, pos, -1) {
			drop[i] = true
		}
	}
	out := paras[:0:0]
	for i, p := range paras {
		if !drop[i] {
			out = append(out, p)
		}
	}
	return out
}

// visibleText is a page's text as RepeatKey folds it, all on one line.
func visibleText(n *html.Node) string {
	return strings.ToLower(cleanLine(nodeText(n)))
}

// appealRe matches what a page says to its reader rather than about its subject:
// subscription and paywall notices, donation appeals, newsletter and app prompts.
var appealRe = regexp.MustCompile(`(?i)(subscrib|donat|newsletter|sign up (for|to)|log ?in to (read|continue)|download (the|our) (\pL+ ){0,3}apps?\b|support (our|independent|local|quality) (journalism|reporting|newsroom)|become a (member|supporter|patron)|abonnieren sie|jetzt abonnieren|abonnent|abo abschließen|spenden sie|jetzt spenden|unterstützen sie (uns|unser)|suscr[ií]b|hazte socio|donar|assinante|assine|abonnez|faire un don|soutenez|اشترك|تبرع|ادعم)`)

// solicitRe matches a call for the reader's tips, letters or stories ("Do you have a
// story tip? Email: …", "Submit your letter to the editor via this form", "Send us your
// news tips", "Schicken Sie uns Ihre Hinweise"). It opens the text as well as ending it,
// and unlike appealRe no article sentence starts this way.
var solicitRe = regexp.MustCompile(`(?i)^(?:do you have|have you got|got) (?:a|any) (?:news |story )?(?:tips?|story|stories)\b|^(?:submit|send|email|share) (?:us )?(?:your|a|an) (?:\pL+ ){0,2}(?:letters?|tips?|stories|story|photos?|videos?|op-eds?)\b|^(?:haben sie|sie haben) (?:einen )?(?:hinweis|tipp|themenvorschlag)|^(?:schicken|senden) sie uns`)

// creditRe matches a picture credit set as a paragraph of its own: a copyright sign or a
// credit label, then the photographer or agency ("© Oli Scarff/Getty Images", "Foto:
// IBU/C. Manzoni", "Bildnachweis:", "Image credit: …", "تصوير: …").
var creditRe = regexp.MustCompile(`(?i)^(?:©|\(c\)\s|` + creditLabels + `(?:\s*/\s*\pL+)?\s*[:：]|(?:bildnachweis|bildquelle|bildcredit|bildrechte|fotonachweis|photo credits?|image credits?)\s*$)`)

// creditLabels are the labels of a picture credit, as a regexp group: creditRe finds them
// opening a paragraph, rePhotoCredit after a writer's name in a byline.
const creditLabels = `(?:fotos?|photos?|photography|bild(?:er|quelle|nachweis|credit|rechte)?|images?|image credit|photo credit|credits?|pictures?|illustrations?|fotograf[ií]as?|imagen(?: ilustrativa)?|cr[ée]dits? photo|صورة|الصورة|الصور|تصوير|عدسة)`

// maxCreditWords bounds the paragraph a credit may be: a name or two and an agency.
const maxCreditWords = 8

// dropCredits removes picture credits that the text extractor kept as paragraphs.
func dropCredits(paras []string) []string {
	return slices.DeleteFunc(paras, func(p string) bool {
		return len(strings.Fields(p)) <= maxCreditWords && creditRe.MatchString(p)
	})
}

// maxPostMetaPart bounds each part of a post's metadata line ("January 13, 2020 at
// 08:45 AM | categories: Python | View Comments"), in characters.
const maxPostMetaPart = 60

// dropPostMeta removes a blog post's metadata line from the head of the text: one of the
// first two paragraphs made of short parts set apart by "|", "•" or "·", one of them a
// date, or a date alone. The date and byline are metadata; the line is no sentence of
// the article. It returns the rest and the name the line leads with (postMetaNames).
func dropPostMeta(paras []string) (rest []string, names []string) {
	for i := 0; i < len(paras) && i < 2; i++ {
		parts := partSepRe.Split(strings.TrimSpace(paras[i]), -1)
		// A paragraph that is a date and nothing else ("الأحد 12 ربيع الأول 1446هـ
		// الموافق 15 سبتمبر 2024م"), or a date and a name ("11.12.2019 - Amelie
		// Loevenich"), is the dateline an extractor kept.
		if len(parts) == 1 && len(paras) > 1 && utf8.RuneCountInString(parts[0]) <= maxDateLine {
			dashed := dashPartRe.Split(parts[0], -1)
			if names := postMetaNames(dashed); isDateOnly(dashed[0]) && (len(dashed) == 1 || len(dashed) == 2 && len(names) == 1) {
				return slices.Delete(slices.Clone(paras), i, i+1), names
			}
		}
		if len(parts) < 2 {
			continue
		}
		dated := false
		short := true
		for _, part := range parts {
			if utf8.RuneCountInString(part) > maxPostMetaPart {
				short = false
				break
			}
			if _, ok := ParseDate(part, time.UTC, time.Time{}); ok {
				dated = true
			}
		}
		if dated && short {
			return slices.Delete(slices.Clone(paras), i, i+1), postMetaNames(parts)
		}
	}
	return paras, nil
}

// dashPartRe splits a dateline at a spaced dash ("11.12.2019 - Amelie Loevenich"), not at
// the hyphen of a numeric date.
var dashPartRe = regexp.MustCompile(`\s+[-–—]\s+`)

// postMetaNames is the writer a post's metadata line leads with, where the page names
// none elsewhere: its first part that is no date, when shaped as a person's name ("Lena
// Hart | Brennport | 05/03/2024", "11.12.2019 - Amelie Loevenich"). Later parts are places
// ("Palma de Mallorca"), and a link's words are no name ("05/03/2024 | View Comments").
// The caller rules out the site's name.
func postMetaNames(parts []string) []string {
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if _, isDate := ParseDate(p, time.UTC, time.Time{}); isDate {
			continue
		}
		if nameShaped(p) && !strings.ContainsFunc(p, unicode.IsDigit) && !slices.ContainsFunc(strings.Fields(p), func(w string) bool {
			return postMetaButtons[strings.ToLower(w)]
		}) {
			return []string{p}
		}
		return nil
	}
	return nil
}

// postMetaButtons are words of the links a post's metadata line ends with ("View
// Comments", "Leave a Reply"), which have a name's capitals.
var postMetaButtons = map[string]bool{
	"view": true, "comments": true, "comment": true, "reply": true, "share": true, "print": true,
	"email": true, "read": true, "more": true, "subscribe": true, "follow": true, "edit": true,
	"permalink": true, "login": true, "kommentare": true, "kommentar": true, "teilen": true,
	"drucken": true, "commentaires": true, "partager": true, "comentarios": true, "compartir": true,
}

// paywallRe matches a notice that the rest of the story is behind the paywall ("To view
// the full story, please subscribe"); with appealRe it marks where a paywalled page's
// text ends and its subscription pitch begins.
var paywallRe = regexp.MustCompile(`(?i)(full (story|article)|rest of (this|the) (story|article)|continue reading|keep reading|weiterlesen|vollständigen artikel|ganzen artikel|lire la suite|la suite de cet article|seguir leyendo|continuar lendo|لقراءة المزيد|لمتابعة القراءة|لقراءة المقال كاملا)`)

// subscriptionRe is the noun a paywall offers; alone in a short closing paragraph it is
// as often the story's subject ("subscriptions doubled"), so appealRe leaves it out.
var subscriptionRe = regexp.MustCompile(`(?i)subscription|digitalabo|abonnement|suscripción|assinatura|اشتراك`)

// maxPaywallTail bounds the paragraphs after a paywall notice: a subscription pitch and
// its list of perks, not an article that goes on.
const maxPaywallTail = 12

// maxAppealChars bounds a paragraph taken for an appeal: article paragraphs that mention
// a subscription are longer than the notice.
const maxAppealChars = 400

// endMarkers open the trailing block after the article: related-article lists and the
// comment section, folded by normMarker. Digits are removed first ("3 Kommentare").
var endMarkers = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range append(append([]string{
		"comments", "comment", "kommentare", "kommentar", "keine kommentare", "view comments", "show comments",
		"leave a comment", "leave a reply", "post a comment", "add a comment", "join the discussion",
		"neueste kommentare", "kommentar schreiben", "kommentare anzeigen", "comentarios", "comentários",
		"deja un comentario", "commentaires", "laisser un commentaire", "commenti", "komentarze", "التعليقات",
		"أضف تعليق", "share this", "share this article", "artikel teilen", "diesen artikel teilen",
		"mehr kolumnen", "weitere kolumnen", "more columns", "next article", "previous article",
		"nächster artikel", "vorheriger artikel", "vorschau auf den nächsten artikel", "tags", "schlagwörter",
		"themen", "topics",
	}, builtinEnd...), seeAlsoMarkerList...) {
		if !nameMarkers[foldMarker(s)] {
			m[normMarker(s)] = true
		}
	}
	return m
}()

// maxTailTeaserChars bounds the paragraphs after an end marker: teaser titles and
// comment stubs are short, an article section after a heading is not.
const maxTailTeaserChars = 200

// trimTail removes what follows the article at the end of an HTML page's text: reader
// appeals (appealRe, solicitRe; a call for tips or letters may open the text too) and a related-articles or comments block that opens with an end
// marker in the second half of the text and holds only short lines.
func trimTail(paras []string) []string {
	paras = cutPaywall(paras)
	for len(paras) > 1 {
		last := paras[len(paras)-1]
		if len([]rune(last)) > maxAppealChars || !(appealRe.MatchString(last) || solicitRe.MatchString(last)) {
			break
		}
		paras = paras[:len(paras)-1]
	}
	for len(paras) > 1 && len([]rune(paras[0])) <= maxAppealChars && solicitRe.MatchString(paras[0]) {
		paras = paras[1:]
	}
	total := 0
	for _, p := range paras {
		total += len(p)
	}
	seen := 0
	for i, p := range paras {
		if i > 0 && seen*2 >= total && endMarkers[normMarker(stripDigits(p))] && shortAfter(paras[i+1:]) {
			return paras[:i]
		}
		seen += len(p)
	}
	return paras
}

// cutPaywall ends the text at a paywall notice that only a short pitch follows.
func cutPaywall(paras []string) []string {
	for i := max(1, len(paras)-1-maxPaywallTail); i < len(paras); i++ {
		p := paras[i]
		if len([]rune(p)) > maxAppealChars || !paywallRe.MatchString(p) || !(appealRe.MatchString(p) || subscriptionRe.MatchString(p)) {
			continue
		}
		if slices.IndexFunc(paras[i+1:], func(q string) bool { return len([]rune(q)) > maxAppealChars }) < 0 {
			return paras[:i]
		}
	}
	return paras
}

func shortAfter(paras []string) bool {
	for _, p := range paras {
		if len([]rune(p)) > maxTailTeaserChars {
			return false
		}
	}
	return true
}

func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, s)
}

// ledeTokens in a class or id mark the standfirst, the lead paragraph set apart from the
// body under the headline ("teaser-text", "article__intro", "chapo", "entradilla").
var ledeTokens = []string{
	"intro", "lead", "lede", "teaser", "standfirst", "excerpt", "chapo", "summary", "subheadline",
	"sub-headline", "subtitle", "deck", "abstract", "sapo", "entradilla", "bajada", "vorspann", "description",
}

// ledeExclude in a class or id mark teaser boxes and leaderboards, not a lede.
var ledeExclude = []string{"leader", "related", "list", "card", "item", "nav", "menu", "widget", "promo", "slider", "carousel", "teasers"}

// recoverLede puts back the standfirst that the text extractor dropped: a block of the
// page that repeats the page's own description or carries a lede class (ledeTokens),
// shown before the first paragraph of the extracted text and not already in it, becomes
// the first paragraph. Extractors drop it because it sits in the article header, apart
// from the body.
func recoverLede(tree *html.Node, paras []string, description, title string) []string {
	start := -1
	for i, p := range paras {
		if cleanLine(p) != "" && cleanLine(p) != title {
			start = i
			break
		}
	}
	if start < 0 {
		return paras
	}
	have := strings.ToLower(normSpace(strings.Join(paras, " ")))
	anchorKey := strings.ToLower(firstRunes(cleanLine(paras[start]), 40))
	desc := strings.ToLower(strings.TrimRight(cleanLine(description), ".… "))

	var lede *html.Node
	var ledeText string
	pos, anchorPos, ledePos, headPos := 0, -1, -1, -1
	var walk func(n *html.Node, banned bool)
	walk = func(n *html.Node, banned bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Nav, atom.Footer, atom.Aside, atom.Form, atom.A, atom.Figure, atom.Figcaption, atom.Button, atom.Select:
				banned = true
			case atom.H1:
				if headPos < 0 {
					headPos = pos
				}
			}
			if skipAtoms[n.DataAtom] {
				return
			}
		}
		pos++
		if n.Type == html.TextNode && anchorPos < 0 && anchorKey != "" && strings.Contains(strings.ToLower(cleanLine(n.Data)), anchorKey) {
			anchorPos = pos
		}
		if lede == nil && !banned && n.Type == html.ElementNode && ledeBlocks[n.DataAtom] && ledeSized(n) {
			if t := cleanLine(nodeText(n)); isLede(n, t, desc) {
				lede, ledeText, ledePos = n, t, pos
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, banned)
		}
	}
	walk(tree, false)
	switch {
	case lede == nil, anchorPos >= 0 && ledePos > anchorPos, headPos >= 0 && ledePos < headPos:
		return paras
	case strings.Contains(have, strings.ToLower(firstRunes(ledeText, 60))):
		return paras
	}
	out := append([]string{}, paras[:start]...)
	out = append(out, ledeText)
	return append(out, paras[start:]...)
}

// Bounds of a standfirst's size in letters and digits (isLede).
const minLedeLetters, maxLedeLetters = 60, 1000

// ledeSized is isLede's size test alone, cheap enough to ask of every block of the page
// (the count stops past maxLedeLetters) before its text is rendered.
func ledeSized(n *html.Node) bool {
	letters, links := letterCountUpTo(n, maxLedeLetters)
	return letters >= minLedeLetters && letters <= maxLedeLetters && links*4 <= letters
}

// ledeBlocks are the elements a standfirst is written in.
var ledeBlocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H2: true, atom.H3: true, atom.Section: true, atom.Span: true, atom.Header: true,
}

// isLede reports whether a block with text t is the page's standfirst: its text is the
// description (or starts with it, for a truncated description), or it carries a lede
// class and reads like prose. Either way it is one paragraph of 60 to 1000 letters with
// little link text.
func isLede(n *html.Node, t, desc string) bool {
	letters, links := letterCount(n)
	if letters < minLedeLetters || letters > maxLedeLetters || links*4 > letters || strings.Contains(normParagraphs(nodeText(n)), "\n\n") {
		return false
	}
	lt := strings.ToLower(t)
	if len(desc) >= 50 && (lt == desc || strings.HasPrefix(lt, desc) && len(lt) <= len(desc)*3/2 ||
		strings.HasPrefix(desc, lt) && len(lt)*5 >= len(desc)*3) {
		return true
	}
	id, _ := attr(n, "id")
	class, _ := attr(n, "class")
	names := strings.ToLower(id + " " + class)
	if !containsAny(names, ledeTokens) || containsAny(names, ledeExclude) {
		return false
	}
	r := []rune(strings.TrimSpace(t))
	return len(r) > 0 && strings.ContainsRune(".!?…。؟»\"“”", r[len(r)-1])
}

// normParagraphs cleans a rendered text and joins its non-empty paragraphs.
func normParagraphs(s string) string { return joinParagraphs(strings.Split(s, "\n\n")) }

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// creditRoleRe matches the label of a contributor in a magazine's credits block
// ("Interview", "FOTOGRAF", "CREATIVE DIRECTOR & STYLING", "Haare & Make-up").
var creditRoleRe = regexp.MustCompile(`(?i)\b(?:interview|text|texte|words|fot[oó]\pL*|phot\pL*|styl\pL*|redakt\pL*|editor\pL*|illustr\pL*|produ\pL*|make-?up|hair|haare|direct\pL*|regie|kamera|camera|autor\pL*|author)\b`)

// writerRoleRe matches the labels whose name is the article's author.
var writerRoleRe = regexp.MustCompile(`(?i)^(?:interview|text|texte|words|autor(?:in)?|author|(?:interview|text) (?:und|and|&) (?:interview|text))$`)

// maxCreditLabelWords bounds a credits block's label, in words.
const maxCreditLabelWords = 8

// cutCreditsBlock removes the credits block a magazine ends its story with, set as
// label and name paragraphs in turn ("Interview" / "SVEN MICHAELSEN" / "FOTOGRAF" /
// "ERIC MICHAEL ROY"): at least two such pairs at the end of the text, one label a
// contributor's role. It returns the rest and the name under a writer's label
// ("Interview", "Text"), which is the byline a page without one lacks.
func cutCreditsBlock(paras []string) (rest []string, writer string) {
	start, roles := len(paras), 0
	for i := len(paras) - 1; i >= 1; i -= 2 {
		label, name := paras[i-1], paras[i]
		if !nameShaped(name) || len(strings.Fields(label)) > maxCreditLabelWords || strings.ContainsAny(label, ".?!:;,") || nameShaped(label) {
			break
		}
		if creditRoleRe.MatchString(label) {
			roles++
		}
		if writer == "" && writerRoleRe.MatchString(label) {
			writer = name
		}
		start = i - 1
	}
	if len(paras)-start < 4 || roles == 0 || start == 0 {
		return paras, ""
	}
	return paras[:start], writer
}
