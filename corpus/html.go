package corpus

import (
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	nurl "net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-htmldate"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/byline"
	"github.com/newsds/newsds/schema"
)

// farDateBound replaces an unknown crawl time as htmldate's latest acceptable date: htmldate
// would otherwise use the clock, and results must not depend on the run day.
var farDateBound = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// trafilaturaOptions are the main-text extractor settings. On the shared trafilatura gold
// set, bare go-trafilatura scored F1 0.904 (Balanced), 0.912 (Balanced + fallback to
// readability/dom-distiller), 0.904 (FavorPrecision + fallback), 0.909 (FavorRecall +
// fallback): Balanced with fallback it is, the fallback run only where the main text is
// short (mainText). htmldate runs separately (see htmlDate) with the crawl time as bound,
// so it is off here.
func trafilaturaOptions(pageURL *nurl.URL) trafilatura.Options {
	return trafilatura.Options{
		OriginalURL:     pageURL,
		EnableFallback:  true,
		Focus:           trafilatura.Balanced,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled,
	}
}

// mainResult is what mainText found: go-trafilatura's result, its text and bold
// paragraphs (renderText), and whether the fallback extractors ran.
type mainResult struct {
	res      *trafilatura.ExtractResult
	text     string
	bold     boldRuns
	fellBack bool
}

// mainText runs go-trafilatura on the cleaned page, and again with its fallback
// extractors (readability, dom-distiller) only when the first result is short for the
// page (needsFallback). The fallback costs about as much as the main extraction and
// changes the text of few pages: on the others go-trafilatura keeps its own result, and
// the text rendered from it is the same with the fallback or without.
func mainText(clean *html.Node, pageURL *nurl.URL) (mainResult, error) {
	o := trafilaturaOptions(pageURL)
	o.EnableFallback = false
	var m mainResult
	res, err := trafilatura.ExtractDocument(clean, o)
	if err == nil {
		m.res = res
		m.text, m.bold = renderText(res.ContentNode)
	}
	all, links := letterCount(clean)
	if !needsFallback(countLetters(m.text), all-links) {
		return m, err
	}
	o.EnableFallback = true
	fres, ferr := trafilatura.ExtractDocument(clean, o)
	if ferr != nil {
		// A page the main extractor read is not lost to a failing fallback.
		return m, err
	}
	m.res, m.fellBack = fres, true
	m.text, m.bold = renderText(fres.ContentNode)
	return m, nil
}

// needsFallback reports whether a main text of textLetters letters and digits is short
// for a page showing pageLetters of them outside links: under half of them, or under
// minOwnText. go-trafilatura takes a fallback candidate mostly when it is over twice as
// long as its own text, which the page must hold; below minOwnText one more paragraph
// doubles a text. On the shared gold pages (development figures) the rule reruns 50 of
// 273 pages and finds 15 of the 19 whose text the fallback changes; the fallback changes
// the other 4 by under 20%, two of them shorter.
func needsFallback(textLetters, pageLetters int) bool {
	return textLetters < minOwnText || textLetters*2 < pageLetters
}

// minOwnText is the main-text size (letters and digits) below which the fallback always
// runs: twice go-trafilatura's MinExtractedSize (250 characters).
const minOwnText = 500

// extractHTML extracts one HTML page: main text by go-trafilatura (or the source's body
// selector), metadata by trafilatura with fallbacks from JSON-LD, Open Graph, <meta> and
// <time>, then the source's selectors override whatever they match. It also returns the
// body's bold type (see renderText).
func extractHTML(raw Raw, opts ExtractOptions) (schema.Document, boldRuns, error) {
	data, cs, err := DecodeHTML(raw.Data, raw.ContentType)
	if err != nil {
		return schema.Document{}, boldRuns{}, err
	}
	root, htmlNote, err := parseHTML(data)
	if err != nil {
		return schema.Document{}, boldRuns{}, fmt.Errorf("parse html: %w", err)
	}
	gq := goquery.NewDocumentFromNode(root)
	sel := opts.Source.Selectors
	for _, r := range sel.Remove {
		if err := checkSelector(r); err != nil {
			return schema.Document{}, boldRuns{}, fmt.Errorf("selectors.remove: %w", err)
		}
		gq.Find(r).Remove()
	}
	pm := readPageMeta(gq)

	doc := schema.Document{Meta: map[string]any{}}
	urls := resolvePageURLs(raw.URL, pm)
	doc.URL = urls.page
	setMeta(doc.Meta, MetaURLNote, strings.Join(urls.notes, "; "))
	pageURL, _ := nurl.Parse(doc.URL)
	if doc.URL == "" {
		pageURL = nil
	}

	clean := cloneTree(root)
	cleanTree(clean)
	mt, trafErr := mainText(clean, pageURL)
	var md trafilatura.Metadata
	bold := mt.bold
	if trafErr == nil {
		md = mt.res.Metadata
		doc.Text = mt.text
	}
	if sel.Body != "" {
		if err := checkSelector(sel.Body); err != nil {
			return schema.Document{}, boldRuns{}, fmt.Errorf("selectors.body: %w", err)
		}
		var paras []string
		var selBold boldRuns
		gq.Find(sel.Body).Each(func(_ int, s *goquery.Selection) {
			for _, n := range s.Nodes {
				text, b := renderText(n)
				paras = append(paras, text)
				selBold.add(b)
			}
		})
		if body := strings.Join(paras, "\n\n"); strings.TrimSpace(body) != "" {
			doc.Text, bold = body, selBold
		}
	}
	if strings.TrimSpace(doc.Text) == "" {
		if trafErr != nil {
			return schema.Document{}, boldRuns{}, fmt.Errorf("%w: %w", ErrNoText, trafErr)
		}
		return schema.Document{}, boldRuns{}, ErrNoText
	}

	trafSite := firstSiteName(md.Sitename)
	doc.SiteName = firstNonEmpty(trafSite, pm.ogSiteName, pm.publisher)
	if pm.ogSiteName == "" && pm.publisher == "" {
		doc.SiteName = guessedSiteName(trafSite, pm.title, doc.URL)
	}
	doc.Title = chooseTitle(gq, md.Title, pm, doc.SiteName, doc.URL)
	if site := siteKeys(doc.SiteName, doc.URL); doc.Title == "" || site[siteKey(doc.Title)] {
		if h := headingBefore(root, doc.Text, site); h != "" {
			doc.Title = h
		}
	}
	if pm.ogSiteName == "" && pm.publisher == "" && (doc.SiteName == "" || doc.SiteName == hostName(doc.URL)) {
		if n := titleSiteName(pm.title, doc.Title, doc.URL); n != "" {
			doc.SiteName = n
		}
	} else if n := titleSiteName(doc.SiteName, doc.Title, doc.URL); n != "" {
		// A site name that is the page's title (application-name, a theme's site name
		// field) holds the headline beside the name.
		doc.SiteName = n
	}
	keys := siteKeys(doc.SiteName, doc.URL)
	seen := slices.Concat(splitAuthors(md.Author), pm.authors) // the bylines as found, labels and all
	doc.Byline = cleanByline(splitAuthors(md.Author), keys)
	if meta := cleanByline(pm.authors, keys); len(doc.Byline) == 0 || namesWithin(doc.Byline, meta) {
		// go-trafilatura keeps the first of the authors that the page's metadata lists.
		doc.Byline = meta
	}
	// The page's byline element is read even when the metadata named the author: it is
	// where a page says "حوار: X" beside an author field of "X".
	marked := markedBylines(gq)
	seen = append(seen, marked...)
	if noPerson(doc.Byline, keys) {
		doc.Byline = firstNonEmptyList(cleanByline(marked, keys), doc.Byline)
	}
	if noPerson(doc.Byline, keys) {
		labelled := labelledBylines(gq, doc.Text)
		seen = append(seen, labelled...)
		doc.Byline = firstNonEmptyList(cleanByline(labelled, keys), doc.Byline)
	}
	if none := noPerson(doc.Byline, keys); none || displayName(doc.Byline) {
		inText := textBylines(doc.Text)
		seen = append(seen, inText...)
		if none {
			doc.Byline = firstNonEmptyList(cleanByline(inText, keys), doc.Byline)
		} else {
			doc.Byline = fullNameOf(doc.Byline[0], cleanByline(inText, keys))
		}
	}
	if creditsInterview(seen, byline.InField) {
		doc.Meta[schema.MetaInterviewCredit] = true
	}
	doc.Byline = asWrittenOnPage(doc.Byline, root)
	doc.Section = pm.section
	if doc.Section == "" && len(md.Categories) > 0 {
		doc.Section = md.Categories[0]
	}
	upper := upperBound(raw, opts)
	t, ok := pageDate(pm, opts.Location, upper)
	if ok {
		t = localMidnight(root, t, opts.Location, upper)
	} else if t, ok = htmlDate(root, doc.URL, opts.Location, upper); !ok {
		t, ok = visibleDate(root, opts.Location, upper)
	}
	if ok && t.Equal(midnight(t)) {
		if v, found := datetimeOn(root, t, opts.Location, upper); found {
			t = v
		} else if v, found := visibleTimeOn(root, t, opts.Location, upper); found {
			t = v
		}
	}
	if ok {
		doc.Published = formatPublished(t)
	}

	if err := applySelectors(gq, sel, &doc, opts.Location, upper); err != nil {
		return schema.Document{}, boldRuns{}, err
	}
	paras := cleanParagraphs(strings.Split(doc.Text, "\n\n"))
	paras = dropRepeatsOf(paras, func() string { return visibleText(clean) })
	if sel.Body == "" {
		paras = recoverLede(clean, paras, firstNonEmpty(pm.description, md.Description), doc.Title)
	}
	doc.Text = strings.Join(paras, "\n\n")

	setMeta(doc.Meta, "description", firstNonEmpty(md.Description, pm.description))
	setMeta(doc.Meta, "canonical_url", urls.canonical)
	setMeta(doc.Meta, "image", firstNonEmpty(md.Image, pm.image))
	setMeta(doc.Meta, "license", md.License)
	setMeta(doc.Meta, "page_type", md.PageType)
	setMeta(doc.Meta, "declared_lang", firstNonEmpty(pm.htmlLang, md.Language))
	setMeta(doc.Meta, "charset", cs)
	setMeta(doc.Meta, MetaHTMLNote, htmlNote)
	if tags := uniqueStrings(append(slices.Clone(md.Tags), pm.tags...)); len(tags) > 0 {
		doc.Meta["tags"] = tags
	}
	if cats := uniqueStrings(md.Categories); len(cats) > 0 {
		doc.Meta["categories"] = cats
	}
	return doc, bold, nil
}

// MetaURLNote is the Meta key of a note on a URL the page declared but the document
// does not carry: a relative canonical URL with nothing absolute to resolve it against.
const MetaURLNote = "url_note"

// pageURLs are the URLs of a page once resolved: the document's URL and its canonical
// URL, each absolute http(s) or "", and notes on what was dropped.
type pageURLs struct {
	page, canonical string
	notes           []string
}

// resolvePageURLs decides a page's URLs. Pages declare relative canonical and og:url
// links ("/news/x", "//host/x"), which browsers resolve against the page's own address:
// the crawl's URL (WARC target URI, JSONL url), else the page's <base href> (itself
// resolved against the crawl's URL), else an absolute og:url or canonical link. A link
// that cannot be made an absolute http(s) URL is dropped with a note, since the
// document URL must be one (validate's doc-url rule). The document URL is the crawl's
// URL, else the canonical, else og:url.
func resolvePageURLs(rawURL string, pm pageMeta) pageURLs {
	var out pageURLs
	var base *nurl.URL
	crawl, crawlOK := httpURL(nil, rawURL)
	if crawlOK {
		base = crawl
	}
	if b, ok := httpURL(base, pm.base); ok {
		base = b
	}
	if base == nil {
		for _, v := range []string{pm.ogURL, pm.canonical} {
			if u, ok := httpURL(nil, v); ok {
				base = u
				break
			}
		}
	}
	resolve := func(what, v string) string {
		if v == "" {
			return ""
		}
		if u, ok := httpURL(base, v); ok {
			return u.String()
		}
		out.notes = append(out.notes, fmt.Sprintf("%s %q dropped: not an http(s) URL, and the page gives no absolute URL to resolve it against", what, v))
		return ""
	}
	out.canonical = resolve("canonical URL", pm.canonical)
	og := resolve("og:url", pm.ogURL)
	page := ""
	if crawlOK {
		page = crawl.String()
	} else {
		page = resolve("page URL", rawURL)
	}
	out.page = firstNonEmpty(page, out.canonical, og)
	return out
}

// httpURL parses v, resolved against base when base is not nil, and reports whether
// it is an absolute http(s) URL with a host.
func httpURL(base *nurl.URL, v string) (*nurl.URL, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, false
	}
	u, err := nurl.Parse(v)
	if err != nil {
		return nil, false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	return u, true
}

// titleSeps split a <title> into the headline and the site's name.
var titleSeps = []string{" | ", " – ", " — ", " - ", " :: ", " » ", " · ", " • ", " : "}

// chooseTitle picks the headline. The page's <h1> is the headline as readers see it, so
// it wins when it agrees with what the metadata says (most of its words occur in the
// <title>, og:title or declared headline): metadata titles often carry the site's name or
// an SEO variant. Otherwise the metadata title is used with a site-name affix removed.
// An <h1> that disagrees is a section name or a logo, and it is not taken back through
// trafilatura's title, which falls back to the <h1> when the page declares no headline.
func chooseTitle(gq *goquery.Document, trafTitle string, pm pageMeta, siteName, pageURL string) string {
	declared := wordSet(strings.Join([]string{pm.headline, pm.ogTitle, pm.title}, " "))
	site := siteKeys(siteName, pageURL)
	best, bestShare := "", 0.0
	rejected := map[string]bool{}
	gq.Find("h1").Each(func(_ int, s *goquery.Selection) {
		h := headlineText(s.Get(0), site)
		words := wordList(h)
		if len(words) == 0 || len(words) > 40 {
			return
		}
		// An <h1> holding the site's name is its logo, not the headline.
		if site[siteKey(h)] {
			rejected[h] = true
			return
		}
		in := 0
		for _, w := range words {
			if declared[w] {
				in++
			}
		}
		share := float64(in) / float64(len(words))
		if share < 0.5 {
			rejected[h] = true
		}
		// On a tie the longer <h1> wins: a logo or section name is shorter than a headline.
		// Longer in characters, as Chinese or Thai headlines are one or two "words".
		if share > bestShare || (share == bestShare && utf8.RuneCountInString(h) > utf8.RuneCountInString(best)) {
			best, bestShare = h, share
		}
	})
	if best != "" && bestShare >= 0.5 {
		return best
	}
	// go-trafilatura sometimes takes the site's part of "Headline - Site" for the title.
	if pm.title != "" && (rejected[cleanLine(trafTitle)] || site[siteKey(trafTitle)]) {
		trafTitle = ""
	}
	metaTitle := firstNonEmpty(pm.headline, pm.ogTitle, trafTitle, pm.title)
	if metaTitle == "" {
		return best
	}
	return stripSiteAffix(metaTitle, siteName, pageURL)
}

// titleWords name, in class names, an element that holds a headline ("title-text",
// "editorial-module--title"); "subtitle" and "pretitle" are other words.
var titleWords = map[string]bool{"title": true, "headline": true}

// minSentenceWords is the size from which a paragraph is a sentence of the article rather
// than a kicker, a label or a caption.
const minSentenceWords = 12

// headingBefore finds the headline of a page whose metadata and <h1> name only the site
// (a logo in the <h1>, "Site - Section" in the <title>): the nearest heading (<h1>–<h3>)
// or element classed as a title (titleWords) before the body's first sentence, of at
// most maxHeadlineWords and not the site's name. It returns "" when there is none.
func headingBefore(root *html.Node, body string, site map[string]bool) string {
	var first string
	for _, p := range cleanParagraphs(strings.Split(body, "\n\n")) {
		if len(strings.Fields(p)) >= minSentenceWords {
			first = p
			break
		}
	}
	if first == "" {
		return ""
	}
	probe := cleanLine(string([]rune(first)[:min(40, utf8.RuneCountInString(first))]))
	var candidates []*html.Node
	for n := range root.Descendants() {
		switch {
		case n.Type == html.ElementNode && !skipAtoms[n.DataAtom] &&
			(n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3 || classHas(n, titleWords)):
			candidates = append(candidates, n)
		case n.Type == html.TextNode && strings.Contains(cleanLine(strings.Join(strings.Fields(n.Data), " ")), probe):
			for i := len(candidates) - 1; i >= 0; i-- {
				c := candidates[i]
				if isAncestor(c, n) {
					continue
				}
				h := cleanLine(nodeText(c))
				if words := len(wordList(h)); words == 0 || words > maxHeadlineWords || namesSiteShort(h, site) || site[siteKey(h)] {
					continue
				}
				return h
			}
			return ""
		}
	}
	return ""
}

// maxHeadlineWords bounds a headline found by headingBefore.
const maxHeadlineWords = 20

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// kickerWords name, in class names, the kicker set above a headline inside its <h1>
// ("<span class=dachzeile>Interne Unterlagen</span> <span>Daten gehackt</span>"): a
// topic line that readers and the pages' own metadata keep apart from the headline.
var kickerWords = map[string]bool{
	"kicker": true, "dachzeile": true, "roofline": true, "overline": true, "topline": true,
	"eyebrow": true, "supertitle": true, "overtitle": true, "pretitle": true, "spitzmarke": true,
}

// headlineText is the text of an <h1> without a kicker or a logo: an element whose class
// names a kicker (kickerWords); everything before a hidden separator, a punctuation-only
// element that screen readers alone read or alone skip ("<span class=visually-hidden> -
// </span>", aria-hidden="true"), which exists only between two lines styled apart, the
// first the kicker; and an element of a few words that names the site (site, see
// siteKeys), the logo link some pages put in the headline's <h1>. An <h1> that would be
// left empty keeps all of its text.
func headlineText(h1 *html.Node, site map[string]bool) string {
	skip := map[*html.Node]bool{}
	var mark func(n *html.Node)
	mark = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case classHas(c, kickerWords):
				skip[c] = true
			case hiddenSeparator(c):
				for p := c; p != nil; p = p.PrevSibling {
					skip[p] = true
				}
			case hiddenSiteSuffix(c):
				skip[c] = true
			case namesSiteShort(nodeText(c), site):
				skip[c] = true
			default:
				mark(c)
			}
		}
	}
	mark(h1)
	full := cleanLine(nodeText(h1))
	if len(skip) == 0 {
		return full
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if skip[c] {
				continue
			}
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
				b.WriteByte(' ')
			}
			walk(c)
		}
	}
	walk(h1)
	if h := cleanLine(b.String()); len(wordList(h)) > 0 {
		return h
	}
	return full
}

// namesSiteShort reports whether text is a site's name: it names the site (namesSite)
// in no more words than a site name takes beside a headline.
func namesSiteShort(text string, site map[string]bool) bool {
	n := len(wordList(text))
	return n > 0 && n <= maxSiteNameWords/2 && namesSite(text, site)
}

// classHas reports whether a segment of one of el's class names ("teaser__kicker",
// "ContentHead-roofline") is one of words, compared in lower case.
func classHas(el *html.Node, words map[string]bool) bool {
	classes, _ := attr(el, "class")
	for _, class := range strings.Fields(classes) {
		for _, seg := range strings.FieldsFunc(class, func(r rune) bool { return r == '-' || r == '_' }) {
			if words[strings.ToLower(seg)] {
				return true
			}
		}
	}
	return false
}

// hiddenSeparator reports whether el holds only punctuation and is hidden from sight or
// from screen readers: isHiddenElement, or a class name with "hidden" in it, which is how
// CSS modules name theirs ("ContentHead_hiddendash__2INVx").
func hiddenSeparator(el *html.Node) bool {
	text := strings.TrimSpace(nodeText(el))
	if text == "" || strings.ContainsFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return false
	}
	if isHiddenElement(el) {
		return true
	}
	classes, _ := attr(el, "class")
	return strings.Contains(strings.ToLower(classes), "hidden")
}

// hiddenSiteSuffix reports whether el is the "| Site" that a page puts at the end of its
// <h1> for screen readers alone (Drupal's "<span class=element-invisible> | FASSETTE.NET
// </span>"): hidden, the last thing in the headline, and opening with a title separator.
// Hidden words inside the headline read as part of it.
func hiddenSiteSuffix(el *html.Node) bool {
	for n := el; n != nil; n = n.Parent {
		for s := n.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode || strings.TrimSpace(s.Data) != "" {
				return false
			}
		}
		if n.Parent != nil && n.Parent.DataAtom == atom.H1 {
			break
		}
	}
	text := " " + strings.TrimLeftFunc(nodeText(el), unicode.IsSpace)
	return isHiddenElement(el) && slices.ContainsFunc(titleSeps, func(sep string) bool {
		return strings.HasPrefix(text, sep) && strings.TrimSpace(text[len(sep):]) != ""
	})
}

// stripSiteAffix removes the site's name from either end of a title ("Headline | Site",
// "Site - Headline"). A trailing part after " | " is dropped even when it does not match
// the site name, since pipes in titles separate site or section names, not the headline.
func stripSiteAffix(title, siteName, pageURL string) string {
	keys := siteKeys(siteName, pageURL)
	matches := func(part string) bool { return namesSite(part, keys) }
	for _, sep := range titleSeps {
		parts := strings.Split(title, sep)
		if len(parts) < 2 {
			continue
		}
		switch {
		case matches(parts[len(parts)-1]):
			return strings.Join(parts[:len(parts)-1], sep)
		case matches(parts[0]):
			return strings.Join(parts[1:], sep)
		case sep == " | ":
			return parts[0]
		}
	}
	return title
}

var (
	// Years of this web, not any number: "1843 Magazine" keeps its name.
	reSiteCopyright = regexp.MustCompile(`(?i)^\s*(?:©|\(c\)|copyright)?\s*(?:(?:19[89]\d|20\d\d)(?:\s*[-–]\s*(?:19[89]\d|20\d\d))?)?\s*(?:©|\(c\))?\s*`)
	reSiteDate      = regexp.MustCompile(`\b(?:19[89]\d|20\d\d)\b|\d{1,2}\.\s*\d{1,2}\.`)
)

// maxSiteNameWords bounds a guessed site name: longer is a headline.
const maxSiteNameWords = 8

// guessedSiteName checks the site name go-trafilatura guesses when the page declares
// none (no og:site_name, no publisher): it takes it from the footer's copyright line, a
// Twitter handle or the title's parts, and is then often a year with the name ("© 2016
// aryanews.com"), a date, a URL, a handle ("Sputnik_ar"), a name repeated ("Lavazza DE;
// Lavazza DE") or the headline itself. The copyright and repetition are cut; what is
// still no name gives way to the page's host name, which go-trafilatura itself falls back
// to.
func guessedSiteName(guess, pageTitle, pageURL string) string {
	if strings.TrimSpace(guess) == "" {
		return ""
	}
	s := strings.TrimSpace(reSiteCopyright.ReplaceAllString(firstSiteName(guess), ""))
	s = strings.Trim(s, " ,;:|-–—·")
	var words []string
	for _, w := range strings.Fields(s) {
		if strings.ContainsFunc(w, unicode.IsLetter) {
			words = append(words, w)
		}
	}
	title := cleanLine(pageTitle)
	headline := title
	for _, sep := range titleSeps {
		if first, _, ok := strings.Cut(title, sep); ok {
			headline = first
			break
		}
	}
	switch {
	case s == "", len(words) > maxSiteNameWords, !strings.ContainsFunc(s, unicode.IsLetter),
		strings.Contains(s, "://"), reSiteDate.MatchString(s),
		len(words) == 1 && strings.Contains(s, "_"),
		len(words) > 2 && (strings.EqualFold(s, title) || strings.EqualFold(s, strings.TrimSpace(headline))):
		return hostName(pageURL)
	}
	return s
}

// firstSiteName is the first of the site names go-trafilatura joins with "; " ("Die
// Tagespresse; Die Tagespresse"), the one it trusts most, its entities decoded (some pages
// escape them twice: "&amp;copy; 2016").
func firstSiteName(s string) string {
	s = html.UnescapeString(html.UnescapeString(s))
	first, _, _ := strings.Cut(s, "; ")
	return first
}

// namesSite reports whether part of a title names the site: its key is one of keys
// (see siteKeys), or one holds the other.
func namesSite(part string, keys map[string]bool) bool {
	k := siteKey(part)
	if k == "" {
		return false
	}
	for s := range keys {
		if k == s || (len(k) >= 4 && strings.Contains(s, k)) || (len(s) >= 4 && strings.Contains(k, s)) {
			return true
		}
	}
	return false
}

// titleSiteName is the site's name a page's <title> puts beside its headline
// ("ارتفاع أسعار الذهب - صحيفة الخليج اليوم", "Harbour Times | Harbour reopens"), when
// the page declares none and the guess was no name or the host: the part that is not
// the headline, if it is short enough for a name and no date, and either names the host
// or stands beside a headline of three words or more (of "Feuerwehr Oldenburg -
// Ausbildung", the page's <h1> may be the logo). "" when the title is not the headline
// and one other part.
func titleSiteName(pageTitle, headline, pageURL string) string {
	title, headline := cleanLine(pageTitle), cleanLine(headline)
	if headline == "" {
		return ""
	}
	for _, sep := range titleSeps {
		parts := strings.Split(title, sep)
		if len(parts) != 2 {
			continue
		}
		var rest string
		switch {
		case strings.EqualFold(strings.TrimSpace(parts[0]), headline):
			rest = parts[1]
		case strings.EqualFold(strings.TrimSpace(parts[1]), headline):
			rest = parts[0]
		default:
			continue
		}
		rest = strings.TrimSpace(rest)
		if n := len(strings.Fields(rest)); n == 0 || n > maxSiteNameWords/2 || reSiteDate.MatchString(rest) || !strings.ContainsFunc(rest, unicode.IsLetter) {
			return ""
		}
		if len(strings.Fields(headline)) < 3 && !namesSite(rest, siteKeys("", pageURL)) {
			return ""
		}
		return rest
	}
	return ""
}

// hostName is a page's host without "www.", "" when the URL has none.
func hostName(pageURL string) string {
	u, err := nurl.Parse(pageURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// siteKeys are the forms of a site's name (see siteKey): its declared name and its host
// name, whole and without the domain suffix.
func siteKeys(siteName, pageURL string) map[string]bool {
	keys := map[string]bool{}
	if k := siteKey(siteName); k != "" {
		keys[k] = true
	}
	if host := hostName(pageURL); host != "" {
		keys[siteKey(host)] = true
		keys[siteKey(strings.Split(host, ".")[0])] = true
	}
	return keys
}

func wordList(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range wordList(s) {
		m[w] = true
	}
	return m
}

// applySelectors lets the source's CSS rules override the generic results.
func applySelectors(gq *goquery.Document, sel config.Selectors, doc *schema.Document, loc *time.Location, upper time.Time) error {
	text := func(field, css string) (string, error) {
		if css == "" {
			return "", nil
		}
		if err := checkSelector(css); err != nil {
			return "", fmt.Errorf("selectors.%s: %w", field, err)
		}
		return cleanLine(gq.Find(css).First().Text()), nil
	}
	if v, err := text("title", sel.Title); err != nil {
		return err
	} else if v != "" {
		doc.Title = v
	}
	if v, err := text("section", sel.Section); err != nil {
		return err
	} else if v != "" {
		doc.Section = v
	}
	if sel.Byline != "" {
		if err := checkSelector(sel.Byline); err != nil {
			return fmt.Errorf("selectors.byline: %w", err)
		}
		var names []string
		gq.Find(sel.Byline).Each(func(_ int, s *goquery.Selection) {
			names = append(names, splitAuthors(htmlLabels.Strip(cleanLine(s.Text()), byline.InLine))...)
		})
		if len(names) > 0 {
			doc.Byline = names
		}
	}
	if sel.Date != "" {
		if err := checkSelector(sel.Date); err != nil {
			return fmt.Errorf("selectors.date: %w", err)
		}
		s := gq.Find(sel.Date).First()
		for _, v := range []string{s.AttrOr("datetime", ""), s.AttrOr("content", ""), cleanLine(s.Text())} {
			if t, ok := ParseDate(v, loc, upper); ok && v != "" {
				doc.Published = formatPublished(t)
				break
			}
		}
	}
	return nil
}

// checkSelector reports a CSS selector that does not compile: goquery would silently
// match nothing, and a typo in newsds.yaml deserves an error naming it.
func checkSelector(css string) error {
	if _, err := cascadia.Compile(css); err != nil {
		return fmt.Errorf("css %q: %w", css, err)
	}
	return nil
}

// pageMeta is what the page declares about itself, read without heuristics.
type pageMeta struct {
	title, headline, ogTitle, ogSiteName, ogURL, canonical, base, publisher string
	description, image, section, htmlLang                                   string
	authors, tags                                                           []string
	// dates are candidate publication dates, most trustworthy first.
	dates []string
}

// articleTypes are the JSON-LD @type values whose fields describe the article itself.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "backgroundnewsarticle": true,
	"reviewnewsarticle": true, "scholarlyarticle": true, "techarticle": true, "liveblogposting": true,
	"socialmediaposting": true, "webpage": true, "report": true, "interviewarticle": true,
	// Pages whose main entity is not an article but is authored like one.
	"recipe": true, "howto": true, "review": true, "creativework": true,
}

func readPageMeta(gq *goquery.Document) pageMeta {
	var pm pageMeta
	pm.title = cleanLine(gq.Find("head title").First().Text())
	pm.htmlLang = gq.Find("html").AttrOr("lang", "")
	pm.canonical = strings.TrimSpace(gq.Find(`link[rel="canonical"]`).First().AttrOr("href", ""))
	pm.base = strings.TrimSpace(gq.Find("base[href]").First().AttrOr("href", ""))
	meta := map[string]string{}
	var metaTags []string
	gq.Find("meta").Each(func(_ int, s *goquery.Selection) {
		key := strings.ToLower(firstNonEmpty(s.AttrOr("property", ""), s.AttrOr("name", ""), s.AttrOr("itemprop", "")))
		val := strings.TrimSpace(s.AttrOr("content", ""))
		if key == "" || val == "" {
			return
		}
		if key == "article:tag" {
			metaTags = append(metaTags, val)
		}
		if _, ok := meta[key]; !ok {
			meta[key] = val
		}
	})
	pm.ogTitle = meta["og:title"]
	pm.ogSiteName = meta["og:site_name"]
	pm.ogURL = meta["og:url"]
	pm.description = firstNonEmpty(meta["og:description"], meta["description"])
	pm.image = meta["og:image"]
	pm.section = meta["article:section"]
	pm.tags = metaTags
	if kw := meta["keywords"]; kw != "" && len(pm.tags) == 0 {
		pm.tags = splitList(kw)
	}

	var lds []any
	gq.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v any
		if json.Unmarshal([]byte(unwrapCDATA(s.Text())), &v) == nil {
			lds = append(lds, v)
		}
	})
	ids := map[string]map[string]any{}
	for _, v := range lds {
		indexJSONLD(v, ids)
	}
	for _, v := range lds {
		walkJSONLD(v, &pm, ids)
	}

	for _, k := range []string{
		"article:published_time", "og:article:published_time", "datepublished", "article.published",
		"publishdate", "publish-date", "publish_date", "pubdate", "parsely-pub-date", "sailthru.date",
		"dc.date.issued", "dcterms.created", "dc.date", "date", "article:published", "originalpublicationdate",
	} {
		if v := meta[k]; v != "" {
			pm.dates = append(pm.dates, v)
		}
	}
	gq.Find(`[itemprop="datePublished"]`).Each(func(_ int, s *goquery.Selection) {
		if v := firstNonEmpty(s.AttrOr("datetime", ""), s.AttrOr("content", "")); v != "" {
			pm.dates = append(pm.dates, v)
		}
	})
	if len(pm.authors) == 0 {
		for _, k := range []string{"author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"} {
			if v := meta[k]; v != "" && !strings.Contains(v, "://") {
				pm.authors = splitAuthors(strings.TrimPrefix(strings.TrimPrefix(v, "By "), "by "))
				break
			}
		}
	}
	return pm
}

// unwrapCDATA removes the CDATA section some CMSs wrap JSON-LD in ("<![CDATA[ ... ]]>",
// possibly behind "//" so that old browsers skip it).
func unwrapCDATA(s string) string {
	s = strings.TrimSpace(s)
	if t, ok := strings.CutPrefix(strings.TrimPrefix(s, "//"), "<![CDATA["); ok {
		t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(t), "]]>"))
		return strings.TrimSpace(strings.TrimSuffix(t, "//"))
	}
	return s
}

// indexJSONLD maps the "@id" of every node in a JSON-LD value to the node: an @graph
// names the article's author as {"@id": ...} and describes the person elsewhere.
func indexJSONLD(v any, ids map[string]map[string]any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			indexJSONLD(e, ids)
		}
	case map[string]any:
		if id, ok := x["@id"].(string); ok && id != "" && len(x) > 1 {
			if _, seen := ids[id]; !seen {
				ids[id] = x
			}
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			indexJSONLD(x[k], ids)
		}
	}
}

// walkJSONLD collects article fields from a JSON-LD value (object, array or @graph); ids
// resolves {"@id": ...} references (see indexJSONLD).
func walkJSONLD(v any, pm *pageMeta, ids map[string]map[string]any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkJSONLD(e, pm, ids)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			walkJSONLD(g, pm, ids)
		}
		if !isArticleType(x["@type"]) {
			return
		}
		if pm.headline == "" {
			pm.headline, _ = x["headline"].(string)
		}
		if d, ok := x["datePublished"].(string); ok && d != "" {
			pm.dates = append([]string{d}, pm.dates...)
		}
		if pm.section == "" {
			pm.section = jsonLDString(x["articleSection"])
		}
		if len(pm.authors) == 0 {
			pm.authors = jsonLDNames(x["author"], ids)
		}
		if pm.publisher == "" {
			pm.publisher = firstNonEmpty(jsonLDNames(x["publisher"], ids)...)
		}
	}
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return articleTypes[strings.ToLower(x)]
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// jsonLDString reads a string or the first string of an array.
func jsonLDString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// jsonLDNames reads person/organisation names: "Name", {"name": ...}, a reference
// {"@id": ...} to a node that has a name, or arrays of them.
func jsonLDNames(v any, ids map[string]map[string]any) []string {
	switch x := v.(type) {
	case string:
		if strings.Contains(x, "://") {
			return nil
		}
		return splitAuthors(x)
	case map[string]any:
		if n, ok := x["name"].(string); ok {
			return []string{n}
		}
		if id, ok := x["@id"].(string); ok {
			if n, ok := ids[id]["name"].(string); ok {
				return []string{n}
			}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonLDNames(e, ids)...)
		}
		return out
	}
	return nil
}

// pageDate returns the first declared publication date that parses.
func pageDate(pm pageMeta, loc *time.Location, upper time.Time) (time.Time, bool) {
	for _, d := range pm.dates {
		if t, ok := ParseDate(d, loc, upper); ok && (upper.IsZero() || !t.After(upper.Add(48*time.Hour))) {
			return t, true
		}
	}
	return time.Time{}, false
}

// htmlDate runs go-htmldate over the whole page (URL, headers, visible dates) bounded by
// the crawl time; date-only results are placed at midnight in loc.
func htmlDate(root *html.Node, pageURL string, loc *time.Location, upper time.Time) (time.Time, bool) {
	o := htmldate.Options{UseOriginalDate: true, URL: pageURL, MaxDate: upper, SkipExtensiveSearch: true}
	if upper.IsZero() {
		o.MaxDate = farDateBound
	} else {
		o.SkipExtensiveSearch = false
		o.DateParserConfig = &dps.Configuration{CurrentTime: upper, DefaultTimezone: loc}
	}
	r, err := htmldate.FromDocument(root, o)
	if err != nil || r.IsZero() || yearOnly(r) {
		return time.Time{}, false
	}
	t := r.DateTime
	if !r.HasTime || !r.HasTimezone {
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	return t, true
}

// yearOnly reports a result that is a year and nothing more: go-htmldate's last
// resorts turn a copyright notice or any plausible year in the page ("must be spent by
// 2026") into 1 January of it. That is a guess, not the page's date, and a dataset is
// better off without it.
func yearOnly(r htmldate.Result) bool {
	t := r.DateTime
	if r.HasTime || t.Month() != time.January || t.Day() != 1 {
		return false
	}
	return len(reDigitRun.FindAllString(r.SrcString, 3)) <= 1
}

var reDigitRun = regexp.MustCompile(`\d+`)

// midnight is the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// localMidnight reads a declared timestamp that is a local midnight written in UTC
// ("2021-11-04T23:00Z" for 5 November in Berlin): a CMS stores a date-only field as the
// midnight of the newsroom's zone and prints it in UTC. When the page's visible text shows
// the next day as its date and never the UTC day, t is taken for that day at midnight, in
// the zone that makes it so (UTC+1 for 23:00Z); otherwise t is returned as it is.
func localMidnight(root *html.Node, t time.Time, loc *time.Location, upper time.Time) time.Time {
	if _, off := t.Zone(); off != 0 || t.Hour() < minMidnightHour || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		return t
	}
	local := t.In(time.FixedZone("", (24-t.Hour())*3600))
	shows := func(day time.Time) bool {
		y, m, d := day.Date()
		for line := range shortDigitLines(root) {
			if v, ok := ParseDate(line, loc, upper); ok {
				if vy, vm, vd := v.Date(); vy == y && vm == m && vd == d {
					return true
				}
			}
		}
		return false
	}
	if shows(local) && !shows(t) {
		return local
	}
	return t
}

// visibleDate is the last resort for a page's date, when neither its metadata nor
// go-htmldate gives one: the first short piece of visible text in the article (the page
// when it marks none) that is a date and nothing else, as the date parser reads it, which
// knows forms go-htmldate does not ("الأحد 12 ربيع الأول 1446هـ الموافق 15 سبتمبر 2024م").
// An update line is no publication date, and nor is a date after the crawl.
func visibleDate(root *html.Node, loc *time.Location, upper time.Time) (time.Time, bool) {
	scope := root
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Article || n.DataAtom == atom.Main) {
			scope = n
			break
		}
	}
	for line := range shortDigitLines(scope) {
		if isUpdateLine(line) {
			continue
		}
		if t, ok := ParseDate(line, loc, upper); ok && (upper.IsZero() || !t.After(upper.Add(48*time.Hour))) {
			return t, true
		}
	}
	return time.Time{}, false
}

// shortDigitLines yields the visible text nodes below n that could be a date line: with
// a digit, at most maxDateLine characters once their spacing is cleaned.
func shortDigitLines(n *html.Node) iter.Seq[string] {
	return func(yield func(string) bool) {
		for d := range n.Descendants() {
			if d.Type != html.TextNode || d.Parent == nil || skipAtoms[d.Parent.DataAtom] || !strings.ContainsFunc(d.Data, unicode.IsDigit) {
				continue
			}
			if line := cleanLine(strings.Join(strings.Fields(d.Data), " ")); utf8.RuneCountInString(line) <= maxDateLine && !yield(line) {
				return
			}
		}
	}
}

// minMidnightHour is the earliest UTC hour that is a local midnight of the next day: zones
// run to UTC+14.
const minMidnightHour = 10

// maxDateLine bounds a piece of visible text read as a date line, in characters.
const maxDateLine = 80

// visibleTimeOn finds the time of day a page shows beside its date ("الخميس، 2 نوفمبر 2023
// - 10:15 ص", "May 14, 2024, 6:20 PM") when the date found had none (a date in the URL,
// date-only metadata): the first short piece of visible text, or of the element around
// it, that has a clock time and parses to the same day. Other days on the page are
// related articles and comments; they do not move the date.
func visibleTimeOn(root *html.Node, day time.Time, loc *time.Location, upper time.Time) (time.Time, bool) {
	y, m, d := day.Date()
	try := func(text string) (time.Time, bool) {
		for _, part := range partSepRe.Split(strings.TrimSpace(text), -1) {
			part = cleanLine(strings.Join(strings.Fields(part), " "))
			if utf8.RuneCountInString(part) > maxDateLine || !clockRe.MatchString(part) || unknownZone(part) || isUpdateLine(part) {
				continue
			}
			if t, ok := ParseDate(part, loc, upper); ok {
				if ty, tm, td := t.Date(); ty == y && tm == m && td == d {
					return t, true
				}
			}
		}
		return time.Time{}, false
	}
	for n := range root.Descendants() {
		if n.Type != html.TextNode || n.Parent == nil || skipAtoms[n.Parent.DataAtom] || !strings.ContainsRune(n.Data, ':') || !strings.ContainsFunc(n.Data, unicode.IsDigit) {
			continue
		}
		if t, ok := try(n.Data); ok {
			return t, true
		}
		// The date and the time in elements of their own: the line they make together.
		for el, up := n.Parent, 0; el != nil && el.DataAtom != atom.Body && up < 3; el, up = el.Parent, up+1 {
			text, ok := nodeTextBelow(el, 4*maxDateLine)
			if !ok {
				break
			}
			if t, ok := try(text); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// datetimeOn finds the time of day in the first machine-readable timestamp on the page,
// a datetime attribute ("<time datetime=2024-03-05T10:00:00+01:00>"), that falls on the
// day found: go-htmldate reads such an element for its date and leaves out the time and
// zone the page gave. Timestamps of other days belong to related articles.
func datetimeOn(root *html.Node, day time.Time, loc *time.Location, upper time.Time) (time.Time, bool) {
	y, m, d := day.Date()
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if a.Key != "datetime" || !clockRe.MatchString(a.Val) {
				continue
			}
			t, ok := ParseDate(a.Val, loc, upper)
			if !ok {
				continue
			}
			if ty, tm, td := t.Date(); ty == y && tm == m && td == d {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// updateStems open the words of an update line ("Last updated", "aktualisiert",
// "atualizado em", "آخر تحديث"): its time is not the publication's.
var updateStems = []string{"updat", "aktualisiert", "atualizad", "actualizad", "mis à jour", "mise à jour", "تحديث", "محدث"}

func isUpdateLine(s string) bool {
	s = strings.ToLower(s)
	return slices.ContainsFunc(updateStems, func(stem string) bool { return strings.Contains(s, stem) })
}

// blockAtoms start a new paragraph in nodeText.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Tr: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Br: true, atom.Main: true,
	atom.Aside: true, atom.Nav: true, atom.Address: true, atom.Details: true, atom.Summary: true,
	atom.Caption: true, atom.Body: true, atom.Html: true,
}

// skipAtoms hold no readable text.
var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Head: true,
	atom.Svg: true, atom.Iframe: true, atom.Object: true,
}

// nodeText renders an element's text with block elements as paragraphs ("\n\n") and
// table cells separated by spaces; Extract then normalises the paragraphs.
func nodeText(n *html.Node) string {
	text, _ := renderText(n)
	return text
}

// boldRuns is the bold type renderText saw, as raw text: the paragraphs set entirely in
// bold (every letter and digit inside <b> or <strong>) and the paragraphs that open with a
// bold run and go on in plain type. Interviews on the web set their questions so, a
// question alone or before its answer; the formatting is lost in the plain text, and the
// Q&A annotator reads it back from Meta["bold_paragraphs"] and Meta["bold_leads"]. Some
// magazines set their questions in italics instead, so the paragraphs set entirely in
// <i> or <em> are kept too (Meta["italic_paragraphs"]); italics also mark introductions,
// captions and editor's notes, which the annotator tells apart from an interviewer's
// questions as it does bold subheadings.
type boldRuns struct {
	whole  []string
	leads  []boldLeadRun
	italic []string
}

// boldLeadRun is a paragraph's raw text and its opening bold run.
type boldLeadRun struct{ para, lead string }

func (b *boldRuns) add(o boldRuns) {
	b.whole = append(b.whole, o.whole...)
	b.leads = append(b.leads, o.leads...)
	b.italic = append(b.italic, o.italic...)
}

// renderText is nodeText that also returns the bold type it saw.
func renderText(n *html.Node) (string, boldRuns) {
	if n == nil {
		return "", boldRuns{}
	}
	r := textRenderer{leadEnd: -1}
	r.walk(n)
	r.endParagraph()
	return r.b.String(), r.bold
}

// nodeTextBelow is nodeText when it is shorter than limit bytes, and "", false when it is
// not: the walk stops at the limit, so a test on a short block costs the block's start
// rather than the whole subtree (cleaning asks it of every nested block of the page).
func nodeTextBelow(n *html.Node, limit int) (string, bool) {
	if n == nil {
		return "", true
	}
	r := textRenderer{limit: limit, leadEnd: -1}
	r.walk(n)
	if r.b.Len() >= limit {
		return "", false
	}
	return r.b.String(), true
}

// textRenderer accumulates renderText's output in one walk of the tree.
type textRenderer struct {
	b         strings.Builder
	boldDepth int // open <b>/<strong> elements around the current node
	paraStart int // byte offset in b where the current paragraph starts
	// Letters and digits of the current paragraph inside and outside bold elements.
	inBold, outBold int
	italicDepth     int // open <i>/<em> elements around the current node
	// Letters and digits of the current paragraph inside and outside italic elements.
	inItalic, outItalic int
	// leadEnd is the byte offset in b where the current paragraph's opening bold run
	// ends, -1 when it opens in plain type or has not left bold yet.
	leadEnd int
	bold    boldRuns
	// limit, when not 0, stops the walk once the text has that many bytes.
	limit int
}

func (r *textRenderer) walk(n *html.Node) {
	if r.limit > 0 && r.b.Len() >= r.limit {
		return
	}
	a := nodeAtom(n)
	switch n.Type {
	case html.TextNode:
		text := strings.ReplaceAll(n.Data, "\n", " ")
		if r.boldDepth == 0 && r.inBold > 0 && r.outBold == 0 && r.leadEnd < 0 && strings.ContainsFunc(text, isLetterOrDigit) {
			r.leadEnd = r.b.Len()
		}
		r.b.WriteString(text)
		for _, c := range text {
			if unicode.IsLetter(c) || unicode.IsDigit(c) {
				if r.boldDepth > 0 {
					r.inBold++
				} else {
					r.outBold++
				}
				if r.italicDepth > 0 {
					r.inItalic++
				} else {
					r.outItalic++
				}
			}
		}
		return
	case html.ElementNode:
		if skipAtoms[a] {
			return
		}
		if a == atom.Td || a == atom.Th {
			r.b.WriteByte(' ')
		}
	}
	block := n.Type == html.ElementNode && blockAtoms[a]
	// Headings inside the body count as bold, as browsers set them: pages that put their
	// interview questions in <h3> mean what others mean by <p><b>.
	bold := n.Type == html.ElementNode && (a == atom.B || a == atom.Strong || bodyHeadings[a])
	if block {
		r.breakParagraph()
	}
	italic := n.Type == html.ElementNode && (a == atom.I || a == atom.Em)
	if bold {
		r.boldDepth++
	}
	if italic {
		r.italicDepth++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
	if bold {
		r.boldDepth--
	}
	if italic {
		r.italicDepth--
	}
	if block {
		r.breakParagraph()
	}
}

// breakParagraph ends the current paragraph and starts the next.
func (r *textRenderer) breakParagraph() {
	r.endParagraph()
	r.b.WriteString("\n\n")
	r.paraStart = r.b.Len()
}

// endParagraph records the current paragraph if it is all bold or opens in bold, and if
// it is all italic.
func (r *textRenderer) endParagraph() {
	if r.inItalic > 0 && r.outItalic == 0 {
		r.bold.italic = append(r.bold.italic, r.b.String()[r.paraStart:])
	}
	switch {
	case r.inBold > 0 && r.outBold == 0:
		r.bold.whole = append(r.bold.whole, r.b.String()[r.paraStart:])
	case r.leadEnd >= r.paraStart && r.outBold > 0:
		text := r.b.String()
		r.bold.leads = append(r.bold.leads, boldLeadRun{para: text[r.paraStart:], lead: text[r.paraStart:r.leadEnd]})
	}
	r.inBold, r.outBold, r.leadEnd = 0, 0, -1
	r.inItalic, r.outItalic = 0, 0
}

// interviewCredits are the byline labels that credit an interviewer.
var interviewCredits = byline.Builtin(byline.Interviewer)

// creditsInterview reports whether one of the bylines, as found (labels and all), credits
// an interviewer and names someone: see schema.MetaInterviewCredit.
func creditsInterview(bylines []string, ctx byline.Context) bool {
	return slices.ContainsFunc(bylines, func(b string) bool {
		rest, found := interviewCredits.Cut(cleanLine(b), ctx)
		return found && strings.ContainsFunc(rest, unicode.IsLetter)
	})
}

// bodyHeadings are the heading elements a body may hold; <h1> is the page's headline.
var bodyHeadings = map[atom.Atom]bool{atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

func isLetterOrDigit(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

// nodeAtom is the element's tag as an atom. The parser sets DataAtom, but the elements
// go-trafilatura creates while rebuilding the content (<p>, <li>, <td>, <b>...) carry only
// their tag name.
func nodeAtom(n *html.Node) atom.Atom {
	if n.DataAtom != 0 || n.Type != html.ElementNode {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}

// boldMeta maps the bold type renderText saw to the paragraphs of text
// (schema.SplitParagraphs) it became, matching normalised text in order: the indexes of
// the all-bold paragraphs, the paragraphs that open with a bold run with the run's
// length in code points, and the all-italic paragraphs. A paragraph Extract dropped (the headline, an empty one) or
// changed matches nothing.
func boldMeta(text string, bold boldRuns) (whole []int, leads []schema.BoldLead, italic []int) {
	if len(bold.whole) == 0 && len(bold.leads) == 0 && len(bold.italic) == 0 {
		return nil, nil, nil
	}
	paras := schema.SplitParagraphs(text)
	norm := make([]string, len(paras))
	for i, p := range paras {
		norm[i] = normSpace(p.Text)
	}
	find := func(next int, raw string) int {
		want := normSpace(cleanParagraph(raw))
		if want == "" {
			return -1
		}
		for i := next; i < len(paras); i++ {
			if norm[i] == want {
				return i
			}
		}
		return -1
	}
	indexes := func(raws []string) []int {
		var out []int
		next := 0
		for _, raw := range raws {
			if i := find(next, raw); i >= 0 {
				out = append(out, i)
				next = i + 1
			}
		}
		return out
	}
	whole, italic = indexes(bold.whole), indexes(bold.italic)
	next := 0
	for _, l := range bold.leads {
		i := find(next, l.para)
		if i < 0 {
			continue
		}
		next = i + 1
		// The stored paragraph is the page's text cleaned; the run counts only when it
		// is still the paragraph's start there.
		lead := normSpace(cleanParagraph(l.lead))
		if lead != "" && paras[i].Text != lead && strings.HasPrefix(paras[i].Text, lead) {
			leads = append(leads, schema.BoldLead{Paragraph: i, Length: utf8.RuneCountInString(lead)})
		}
	}
	return whole, leads, italic
}

// splitAuthors splits a byline string into names ("A; B", "A, B and C", "A و B").
func splitAuthors(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, sep := range []string{" and ", " & ", " und ", " et ", " y ", " و ", "،", ";", "|"} {
		s = strings.ReplaceAll(s, sep, ",")
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// htmlLabels are the labels a page's byline or author field may open with: the text
// scrapes' ones and the labels of author fields.
var htmlLabels = byline.Builtin(byline.Writer | byline.Interviewer | byline.Field)

// weakLabels also open ordinary phrases ("Von Berlin nach Hamburg", "Par ici"): a line
// that opens with one is a byline only when every name after it is name-shaped; they are
// not cut from author fields, where "Von der Leyen" is a name.
var weakLabels = byline.Builtin(byline.Weak)

// nameShaped reports whether n reads as a person's name in Latin script: two to five
// words, each capitalised or a lower-case particle ("Andreas Kürten", "Ursula von der
// Leyen", "Camila Méndez"), at least two of them full words (see isFullNameWord).
func nameShaped(n string) bool {
	words := strings.Fields(n)
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	full := 0
	for _, w := range words {
		switch {
		case isFullNameWord(w):
			full++
		case nameParticles[w]:
		default:
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return full >= 2
}

// nameParticles are the lower-case words inside Latin-script names.
var nameParticles = map[string]bool{
	"von": true, "van": true, "der": true, "den": true, "de": true, "del": true, "della": true, "da": true,
	"dos": true, "das": true, "du": true, "des": true, "la": true, "le": true, "y": true, "zu": true, "ten": true, "ter": true,
}

// notNames are author-field values that name nobody: placeholders and labels, compared
// folded by siteKey.
var notNames = map[string]bool{
	"noauthor": true, "username": true, "author": true, "authors": true, "autor": true, "autoren": true,
	"admin": true, "administrator": true, "unknown": true, "none": true, "null": true, "作者": true,
	"الكاتب": true,
	// Widget and navigation labels next to the byline ("Follow @handle", "Archiv").
	"follow": true, "share": true, "subscribe": true, "email": true, "contact": true, "archive": true,
	"archiv": true, "menu": true, "home": true, "login": true, "folgen": true, "teilen": true, "suivre": true,
	"partager": true, "تابع": true, "تابعنا": true, "شارك": true,
	// What is left of "Submitted on Mon, 2019-01-21" (Drupal) once the date is cut.
	"submitted": true,
}

// namesWithin reports whether all is a longer list of names that holds every name of
// some (case aside).
func namesWithin(some, all []string) bool {
	if len(all) <= len(some) {
		return false
	}
	return !slices.ContainsFunc(some, func(n string) bool {
		return !slices.ContainsFunc(all, func(m string) bool { return strings.EqualFold(n, m) })
	})
}

// markedBylines returns the text of the elements a page marks as its byline: a class
// token "byline" (or one ending in "-byline", "_byline"), an hCard author ("author
// vcard"), a rel="author" link. Comment sections have bylines of their own and are
// passed over, as are elements too long to be a name line. Only used when neither
// go-trafilatura nor the page's metadata names an author.
func markedBylines(gq *goquery.Document) []string {
	var out []string
	gq.Find(`[class*=byline], [class*=vcard], a[rel~=author]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if !bylineMarked(s) || inComments(s.Nodes[0]) {
			return true
		}
		text := strings.Join(strings.Fields(s.Text()), " ")
		if text == "" || utf8.RuneCountInString(text) > maxBylineLine {
			return true
		}
		out = append(out, splitAuthors(text)...)
		return len(out) < 4
	})
	return out
}

// labelledBylines finds a byline the page writes as a label and names in an element of
// its own ("بقلم: خالد المنصوري", "By Jane Doe | May 3"): from a text that opens with a
// byline label, the nearest element around it that holds names after the label (for
// "<span>By</span> <a>Jane Doe</a>", the span's parent), when that element's text is
// short and no paragraph of the body. Its names end where the
// line goes on to other fields: a separator, a gap of spaces, a weekday, a month or a
// digit.
func labelledBylines(gq *goquery.Document, body string) []string {
	paras := map[string]bool{}
	for _, p := range strings.Split(body, "\n\n") {
		paras[p] = true
	}
	for n := range gq.Find("body").Nodes[0].Descendants() {
		if n.Type != html.TextNode || n.Parent == nil || skipAtoms[n.Parent.DataAtom] {
			continue
		}
		labels, weak, found := bylineLabels(cleanLine(strings.Join(strings.Fields(n.Data), " ")))
		if !found {
			continue
		}
		for el, up := n.Parent, 0; el != nil && el.DataAtom != atom.Body && up < 3; el, up = el.Parent, up+1 {
			text, ok := nodeTextBelow(el, labelledLineBytes)
			if !ok {
				break
			}
			line := cleanLine(strings.Join(strings.Fields(text), " "))
			rest, found := labels.Cut(line, byline.InLine)
			if !found {
				break
			}
			if rest == "" {
				continue // the label alone: its names are beside it, in the parent
			}
			if paras[line] || inComments(el) {
				break
			}
			textRest, _ := labels.Cut(strings.TrimSpace(text), byline.InLine)
			authors := bylineAuthors(textRest, weak)
			if authors == nil {
				break
			}
			return authors
		}
	}
	return nil
}

// bylineLabels returns the labels line opens with, strong or weak (see weakLabels).
func bylineLabels(line string) (labels byline.Labels, weak, found bool) {
	if _, found := htmlLabels.Cut(line, byline.InLine); found {
		return htmlLabels, false, true
	}
	if _, found := weakLabels.Cut(line, byline.InLine); found {
		return weakLabels, true, true
	}
	return byline.Labels{}, false, false
}

// bareLabel reports whether n is a byline label and nothing else ("von", "By"): the
// element a page marks as its byline may hold the label while the name is elsewhere.
func bareLabel(n string) bool {
	labels, _, found := bylineLabels(n)
	if !found {
		return false
	}
	rest, _ := labels.Cut(n, byline.InLine)
	return rest == ""
}

// bylineAuthors reads the names after a byline label, up to the line's other fields
// (bylineNamesOnly); nil when they do not read as names: none, a lower-case Latin word
// first, too many names or words in one, or after a weak label no name-shaped one.
func bylineAuthors(afterLabel string, weak bool) []string {
	names := bylineNamesOnly(afterLabel)
	if r, _ := utf8.DecodeRuneInString(names); names == "" || (unicode.Is(unicode.Latin, r) && !unicode.IsUpper(r)) {
		return nil
	}
	authors := splitAuthors(names)
	// After the first name, a part that holds a job title says who the writer is
	// ("Andrew Hayden, Software Engineer on Google Play"); in Latin script, several
	// words that are neither a name nor a title are a bio or a sentence ("By Jane
	// Smith, who has covered the harbour …"). An agency ("NDR") is one word.
	authors = slices.Concat(authors[:1], slices.DeleteFunc(authors[1:], func(a string) bool {
		return cutRole(a) != a || slices.ContainsFunc(strings.Fields(a), func(w string) bool { return roleWords[strings.ToLower(w)] })
	}))
	if slices.ContainsFunc(authors[1:], func(a string) bool {
		r, _ := utf8.DecodeRuneInString(a)
		return unicode.Is(unicode.Latin, r) && len(strings.Fields(a)) > 1 && !nameShaped(a)
	}) {
		return nil
	}
	if len(authors) > maxBylineAuthors || slices.ContainsFunc(authors, func(a string) bool { return len(strings.Fields(a)) > maxBylineWords }) {
		return nil
	}
	if weak && !slices.ContainsFunc(authors, nameShaped) {
		return nil
	}
	return authors
}

// maxBylineAuthors bounds the writers one byline line credits ("Von Volkmar Kabisch, Jan
// Lukas Strozyk und Benedikt Strunz, NDR"); more is a list of something else.
const maxBylineAuthors = 6

// textBylineParas and textBylineRunes bound where the main text may carry the byline
// line the extractor kept ("Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz,
// NDR", under the headline and the standfirst) and how long that line is.
const (
	textBylineParas = 4
	textBylineRunes = 160
)

// textBylines is the byline of a labelled line among the first paragraphs of the main
// text: where the page's metadata names no one, or only the site, the line the article
// opens with names its writers.
func textBylines(text string) []string {
	seen := 0
	for p := range strings.SplitSeq(text, "\n") {
		line := cleanLine(strings.Join(strings.Fields(p), " "))
		if line == "" {
			continue
		}
		if seen++; seen > textBylineParas {
			break
		}
		if utf8.RuneCountInString(line) > textBylineRunes {
			continue
		}
		labels, weak, found := bylineLabels(line)
		if !found || strings.ContainsAny(lastRune(line), ".!?؟") {
			continue // a sentence: "Von Berlin nach Hamburg fahren täglich 40 Züge."
		}
		rest, _ := labels.Cut(line, byline.InLine)
		if rest == "" || !namesEndLine(rest) {
			continue
		}
		if authors := bylineAuthors(rest, weak); authors != nil {
			return authors
		}
	}
	return nil
}

// displayName reports whether names is one name of one word: the display name a blog
// platform puts in the page's author fields ("Nils"), which the article's own byline
// line may write in full.
func displayName(names []string) bool {
	return len(names) == 1 && len(strings.Fields(names[0])) == 1
}

// fullNameOf is the one name of inText that opens with the display name ("Nils" →
// "Nils Pickert" from "Eine Kolumne von Nils Pickert"), or the display name itself when
// the byline line credits anyone else or more than one writer.
func fullNameOf(display string, inText []string) []string {
	if len(inText) == 1 {
		if first, _, _ := strings.Cut(inText[0], " "); strings.EqualFold(first, display) && nameShaped(inText[0]) {
			return inText
		}
	}
	return []string{display}
}

// reAffiliation opens what may follow the names on a byline line: the place of work
// ("on Google Play", "bei NDR").
var reAffiliation = regexp.MustCompile(`^(?:on|at|for|of|in|bei|für|pour|chez)\s+\p{Lu}`)

// namesEndLine reports whether the names of a byline line (bylineNamesOnly) end it, or
// what follows them is another field of the line: a separator, a date, a place of work.
// After names a line that goes on is a sentence ("كتب الشاعر قصيدته الأولى وهو في …").
func namesEndLine(rest string) bool {
	names := bylineNamesOnly(rest)
	i := strings.Index(rest, names)
	if names == "" || i < 0 {
		return false
	}
	tail := strings.TrimLeft(rest[i+len(names):], " ,،;:")
	return tail == "" || partSepRe.MatchString(tail[:1]) || strings.ContainsFunc(tail, unicode.IsDigit) || reAffiliation.MatchString(tail)
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}

// labelledLineBytes bounds the text read of an element around a byline label: a byline
// line with a date and a place is far shorter, and the rest of a large element is not
// read at all.
const labelledLineBytes = 1000

// bylineNamesOnly is the names at the start of a byline line, before its other fields.
func bylineNamesOnly(s string) string {
	s = partSepRe.Split(strings.TrimSpace(s), 2)[0]
	ws := strings.Fields(s)
	digitAt := func(i int) bool { return i >= 0 && i < len(ws) && strings.ContainsFunc(ws[i], unicode.IsDigit) }
	for i, w := range ws {
		norm := normDateWord(strings.Trim(w, ",،:;-–—"))
		// The words around a date (a weekday, "at", "في") end the names, but not "the"
		// and "of", which names carry ("Office of the Mayor"). A month is a date's only
		// beside its day or year: "Jan", "April" and "June" are also given names.
		_, month := monthNames[norm]
		if month && (digitAt(i-1) || digitAt(i+1)) || noiseWords[norm] && norm != "the" && norm != "of" || strings.ContainsFunc(w, unicode.IsDigit) {
			ws = ws[:i]
			break
		}
	}
	return strings.Trim(strings.Join(ws, " "), " ,،;:.-–—")
}

// maxBylineLine bounds a marked byline's text: longer is a bio or a teaser, not names.
const maxBylineLine = 80

func bylineMarked(s *goquery.Selection) bool {
	if rel, _ := s.Attr("rel"); slices.Contains(strings.Fields(rel), "author") {
		return true
	}
	class, _ := s.Attr("class")
	tokens := strings.Fields(strings.ToLower(class))
	for _, t := range tokens {
		if t == "byline" || strings.HasSuffix(t, "-byline") || strings.HasSuffix(t, "_byline") {
			return true
		}
	}
	return slices.Contains(tokens, "vcard") && slices.Contains(tokens, "author")
}

// inComments reports whether s is in a comment section or is a comment's own byline.
func inComments(el *html.Node) bool {
	// <body> and <html> classes describe the page ("comments-open"), not the element.
	for n := el; n != nil && n.DataAtom != atom.Body && n.DataAtom != atom.Html; n = n.Parent {
		for _, a := range n.Attr {
			if (a.Key == "class" || a.Key == "id") && strings.Contains(strings.ToLower(a.Val), "comment") {
				return true
			}
		}
	}
	return false
}

// dateWords mark a date or update line picked up as an author ("Last Updated January").
var dateWords = map[string]bool{
	"updated": true, "published": true, "posted": true, "aktualisiert": true, "veröffentlicht": true,
	"تحديث": true, "نشر": true,
}

// credentials follow a name after a comma ("Jane Roe, MD") and are not names.
var credentials = map[string]bool{
	"ma": true, "md": true, "phd": true, "mph": true, "mba": true, "rn": true, "ms": true, "msc": true,
	"bsc": true, "ba": true, "dds": true, "jr": true, "sr": true,
}

// roleWords are journalists' job titles that follow the name in bylines ("Ben Silverman,
// Games Editor", "Adam Aaronson PhillyVoice Staff", "محمد علي - مراسل الجزيرة").
var roleWords = map[string]bool{
	"editor": true, "editors": true, "editor-in-chief": true, "editor-at-large": true, "writer": true,
	"reporter": true, "correspondent": true, "contributor": true, "columnist": true, "journalist": true,
	"producer": true, "photographer": true, "staff": true, "critic": true, "engineer": true, "developer": true,
	"analyst": true, "manager": true, "scientist": true, "researcher": true, "designer": true, "consultant": true,
	"strategist": true, "economist": true,
	"مراسل": true, "مراسلة": true, "مراسلنا": true, "محرر": true, "محررة": true, "صحفي": true,
	"صحفية": true, "صحافي": true, "صحافية": true, "مندوب": true,
}

// cleanByline turns author candidates into person names: label prefixes ("By", "بقلم:",
// "Author:") removed, job titles after the name cut, a trailing lower-case word (what is
// left of "am 3. März" once digits are stripped) dropped, and placeholders, dates,
// credentials and bare job titles rejected. A name equal to the site's own name (see
// siteKeys) is the publisher, not an author, and is dropped when a person is named too.
func cleanByline(names []string, site map[string]bool) []string {
	var people, publishers []string
	for _, n := range names {
		n = cleanLine(n)
		if strings.HasPrefix(strings.ToLower(n), "authority control") {
			// The box of library identifiers at the foot of every Wikipedia article,
			// classed "authority-control", which go-trafilatura's search for "author" in
			// class names finds; what follows the heading is the box's first identifier.
			continue
		}
		n = htmlLabels.Strip(cutPhotoCredit(n), byline.InField)
		n = strings.Trim(cutCapsAffiliation(cutRole(n)), " ,;:|-–—·")
		n = trimLowerTail(arDatelineFree(byline.DatelineFree(n)))
		// A dateline may come before the label ("الرياض - حوار: نايف العتيبي").
		n = strings.TrimSpace(htmlLabels.Strip(n, byline.InField))
		key := siteKey(n)
		switch {
		case key == "" || notNames[key] || credentials[key] || byline.IsExclusiveMark(n) || byline.IsDeskCredit(n) || strings.ContainsFunc(n, unicode.IsDigit) || bareLabel(n):
			continue
		case slices.ContainsFunc(strings.Fields(strings.ToLower(n)), func(w string) bool { return dateWords[w] }):
			continue
		case readsLikeSentence(n):
			// One piece of a sentence means the source split a bio at its commas: the
			// other pieces ("the port authority") are no names either.
			return nil
		case site[key]:
			publishers = append(publishers, n)
		default:
			people = append(people, n)
		}
	}
	if len(people) == 0 {
		return publishers
	}
	return people
}

// reArDash splits an Arabic byline at a dash between spaces ("حسام أبو العلا - القاهرة").
var reArDash = regexp.MustCompile(`\s+[-–—ـ]+\s+`)

// arDatelineFree is an Arabic byline without the dateline Arabic papers write beside
// the name: of "Name - City" or "City - Name" the name (the part beside a listed place,
// else the part of two words or more beside a one-word part), of "(City - Outlet)" the
// outlet, which credits the text to the paper or an agency. Other bylines are returned
// unchanged.
func arDatelineFree(n string) string {
	if !strings.ContainsFunc(n, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) {
		return n
	}
	inner := n
	if strings.HasPrefix(inner, "(") && strings.HasSuffix(inner, ")") && strings.Count(inner, "(") == 1 {
		inner = strings.TrimSpace(inner[1 : len(inner)-1])
	}
	parts := reArDash.Split(inner, -1)
	if len(parts) != 2 {
		return inner
	}
	switch {
	case byline.IsExclusiveMark(parts[1]):
		return parts[0] // "المواطن - خاص": the outlet's own story
	case byline.IsExclusiveMark(parts[0]):
		return parts[1]
	case byline.IsPlace(parts[0]):
		return parts[1]
	case byline.IsPlace(parts[1]):
		return parts[0]
	case len(strings.Fields(parts[0])) == 1:
		return parts[1] // the name after the city, or the outlet after it
	case len(strings.Fields(parts[1])) == 1:
		return parts[0]
	}
	return inner
}

// readsLikeSentence reports whether a Latin-script candidate of five or more words has
// more lower-case words than capitalised ones: a bio sentence split at its commas ("Jane
// Smith has covered the harbour"), where a name with particles ("Les Membres du Choeur de
// Radio France") is mostly capitalised. A scrape's byline line is held to the same test
// (see bylineRest).
func readsLikeSentence(n string) bool {
	words := strings.Fields(n)
	if len(words) < 5 {
		return false
	}
	lower := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.Is(unicode.Latin, r) {
			return false
		}
		if unicode.IsLower(r) {
			lower++
		}
	}
	return 2*lower > len(words)
}

// cutCapsAffiliation removes the outlet a wire byline sets after a name in capitals
// ("MARTA KOWALSKI Associated Press", "JOSH BOAK for The Times"): the name is the
// capitals, the capitalised words after them in lower case the affiliation. A name
// written in ordinary case ("Marta Kowalski") is returned unchanged.
func cutCapsAffiliation(n string) string {
	words := strings.Fields(n)
	k := 0
	for k < len(words) && isCapsWord(words[k]) {
		k++
	}
	if k < 2 || k == len(words) {
		return n
	}
	for _, w := range words[k:] {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.Is(unicode.Latin, r) || isCapsWord(w) || !unicode.IsUpper(r) && w != "for" && w != "of" && w != "the" {
			return n
		}
	}
	return strings.Join(words[:k], " ")
}

// isCapsWord reports whether w is a Latin word in capitals ("KOWALSKI", "O'NEIL",
// "J."), two letters or more or an initial.
func isCapsWord(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLower(r) || unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			return false
		case unicode.IsUpper(r):
			letters++
		}
	}
	return letters >= 2 || letters == 1 && strings.HasSuffix(w, ".")
}

// rePhotoCredit is a second credit inside a byline, the photographer's ("سعد الغامدي -
// تصوير: فهد العتيبي", "حوار: X تصوير: Y", "Jane Roe, photos by Ann Lee"): it and what
// follows it are no writer. It needs a space or separator before it, so "حوار وتصوير: X"
// keeps its X.
var rePhotoCredit = regexp.MustCompile(`(?i)(?:\s+|\s*[-–—ـ|,،/]\s*)` + creditLabels + `\s*(?:[:：/-]|by\s)`)

// cutPhotoCredit is a byline without a photographer's credit after the writer's name.
func cutPhotoCredit(n string) string {
	if loc := rePhotoCredit.FindStringIndex(n); loc != nil && strings.ContainsFunc(n[:loc[0]], unicode.IsLetter) {
		return strings.TrimSpace(n[:loc[0]])
	}
	return n
}

// cutRole removes a job title and what follows it from a name ("Ben Silverman Games
// Editor" → "Ben Silverman"), and returns "" for a bare title ("Staff Writer"). In
// Latin script the words the title qualifies ("Games", "PhillyVoice") stand between the
// name and the title, so the name keeps its first two full words (initials and particles
// such as "A." or "del" do not count); in Arabic the title directly follows the name.
func cutRole(n string) string {
	words := strings.Fields(n)
	for k, w := range words {
		if !roleWords[strings.ToLower(strings.Trim(w, ",;:.|-–—()"))] {
			continue
		}
		switch {
		case k == 0:
			return ""
		case k == 1:
			return n
		}
		name := words[:k]
		if !strings.ContainsFunc(name[0], func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) {
			full := 0
			for i, w := range name {
				if isFullNameWord(w) {
					full++
				}
				if full == 2 {
					name = name[:i+1]
					break
				}
			}
		}
		return strings.Join(name, " ")
	}
	return n
}

// isFullNameWord reports whether w is a capitalised name word, not an initial ("A.",
// "S.A.") or a lower-case particle ("del", "van").
func isFullNameWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	letters := 0
	for _, c := range w {
		if unicode.IsLetter(c) {
			letters++
		}
	}
	return unicode.IsUpper(r) && letters >= 2 && !strings.HasSuffix(w, ".")
}

// trimLowerTail drops a trailing lower-case word from a name whose other words are all
// capitalised: names do not end in "am", "před" or "on"; those are what remains of a
// date. "Catch more fish" or "Contributors to Wikimedia projects" are left alone. A
// month's name after a full name of two words or more ("GILLIAN MOHNEY March", what is
// left of "March 11, 2015 3:46 PM" once digits are stripped) goes too.
func trimLowerTail(n string) string {
	words := strings.Fields(n)
	if len(words) < 2 {
		return n
	}
	last := words[len(words)-1]
	_, month := monthNames[normDateWord(last)]
	month = month && len(words) >= 3
	if (strings.ToLower(last) != last && !month) || !strings.ContainsFunc(last, unicode.IsLetter) {
		return n
	}
	for _, w := range words[:len(words)-1] {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return n
		}
	}
	return strings.Join(words[:len(words)-1], " ")
}

// splitList splits a comma or semicolon separated list.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '،' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func uniqueStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		s = cleanLine(s)
		if s == "" || seen[strings.ToLower(s)] {
			continue
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	return out
}

func setMeta(m map[string]any, key, val string) {
	if val = strings.TrimSpace(val); val != "" {
		m[key] = val
	}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// noPerson reports whether a byline names no one: it is empty or only the site itself
// ("tagesschau.de" in the author field), which the page's own byline line ("Von Volkmar
// Kabisch und Jan Strozyk, NDR") overrides.
func noPerson(names []string, site map[string]bool) bool {
	return !slices.ContainsFunc(names, func(n string) bool { return !site[siteKey(n)] })
}

func firstNonEmptyList(lists ...[]string) []string {
	for _, l := range lists {
		if len(l) > 0 {
			return l
		}
	}
	return nil
}
