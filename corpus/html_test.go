package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

func extractShared(t *testing.T, opts ExtractOptions, rel ...string) (docText string, title, published, lang string, byline []string) {
	t.Helper()
	path := testshared.Path(t, rel...)
	doc, err := Extract(Raw{Data: readFile(t, path), Format: "html", Path: path}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Text, doc.Title, doc.Published, doc.Lang, doc.Byline
}

func checkContains(t *testing.T, text string, must, mustNot []string) {
	t.Helper()
	flat := normSpace(text)
	for _, s := range must {
		if !strings.Contains(flat, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	for _, s := range mustNot {
		if strings.Contains(flat, s) {
			t.Errorf("text contains boilerplate %q", s)
		}
	}
}

// A page of the trafilatura evaluation set with its gold snippets and metadata.
func TestExtractHTMLTrafilaturaPage(t *testing.T) {
	text, title, published, lang, byline := extractShared(t, ExtractOptions{},
		"data", "trafilatura", "pages", "fivethirtyeight.com.endorsement.html")
	checkContains(t, text,
		[]string{"If you’ve been following endorsements", "fter all, Biden and Sanders lead in national polls", "Perhaps these endorsements are capturing"},
		[]string{"Perry Bacon Jr. is a senior writer for FiveThirtyEight.", "Filed under", "About Nielsen Measurement"})
	if title != "The 2020 Endorsement Race Is Getting Interesting" {
		t.Errorf("title = %q", title)
	}
	if !strings.HasPrefix(published, "2020-01-28T") {
		t.Errorf("published = %q", published)
	}
	if got := nameSet(byline); len(got) != 1 || got[0] != "perrybaconjr" {
		t.Errorf("byline = %q", byline)
	}
	if lang != "en" {
		t.Errorf("lang = %q", lang)
	}
	if strings.Contains(text, "\n\n\n") || strings.HasPrefix(text, " ") {
		t.Error("paragraphs are not cleanly separated")
	}
}

// A news page of the readability set: body kept, page furniture dropped, the published
// time kept with the page's own offset.
func TestExtractHTMLReadabilityBBC(t *testing.T) {
	text, title, published, _, _ := extractShared(t, ExtractOptions{}, "data", "readability", "pages", "bbc-1", "source.html")
	checkContains(t, text,
		[]string{"President Barack Obama has admitted that his failure to pass", "even in the face of repeated mass killings"},
		[]string{"Share this page", "Skip to content", "More on this story"})
	if title != "Obama admits US gun laws are his 'biggest frustration'" {
		t.Errorf("title = %q", title)
	}
	if !strings.HasPrefix(published, "2015-07-2") {
		t.Errorf("published = %q", published)
	}
}

// The CNN Arabic page in windows-1256 extracts to the same Arabic text as its UTF-8
// original.
func TestExtractHTMLArabicWindows1256(t *testing.T) {
	text, title, _, lang, _ := extractShared(t, ExtractOptions{Location: time.UTC},
		"data", "encodings", "cnn_arabic_article.windows-1256.html")
	utf, utfTitle, _, _, _ := extractShared(t, ExtractOptions{Location: time.UTC},
		"data", "newspaper4k", "html", "arabic_article.html")
	if text != utf || title != utfTitle {
		t.Errorf("windows-1256 and UTF-8 copies differ:\n%.200q\n%.200q", text, utf)
	}
	if lang != "ar" || !strings.Contains(title, "معارضون يسيطرون على مخازن للصواريخ") {
		t.Errorf("lang %q title %q", lang, title)
	}
	checkContains(t, text, []string{"دمشق"}, nil)
}

// Source selectors override the generic extractor; remove rules drop elements first.
func TestExtractHTMLSelectors(t *testing.T) {
	page := `<!doctype html><html lang="en"><head><title>Generic | Site</title>
<meta property="og:title" content="Generic"></head><body>
<div class="kicker">Economy</div>
<h2 class="hed">Selected headline for the article</h2>
<span class="who">By Ann Lee and Bo Chan</span>
<span class="when">3 April 2021 10:30 PM</span>
<div class="story"><p>First paragraph of the story body, long enough to be a paragraph.</p>
<div class="promo">Subscribe now for more</div>
<p>Second paragraph of the story body ends here.</p></div>
<div class="sidebar"><p>Unrelated sidebar text that should never appear in the body.</p></div>
</body></html>`
	src := config.Source{Selectors: config.Selectors{
		Body: ".story", Title: ".hed", Byline: ".who", Date: ".when", Section: ".kicker",
		Remove: []string{".promo"},
	}}
	doc, err := Extract(Raw{Data: []byte(page), Format: "html"}, ExtractOptions{Source: src, Location: time.FixedZone("", 3600)})
	if err != nil {
		t.Fatal(err)
	}
	want := "First paragraph of the story body, long enough to be a paragraph.\n\nSecond paragraph of the story body ends here."
	if doc.Text != want {
		t.Errorf("text = %q", doc.Text)
	}
	if doc.Title != "Selected headline for the article" || doc.Section != "Economy" ||
		doc.Published != "2021-04-03T22:30:00+01:00" || strings.Join(doc.Byline, "|") != "Ann Lee|Bo Chan" {
		t.Errorf("title %q section %q published %q byline %q", doc.Title, doc.Section, doc.Published, doc.Byline)
	}

	src.Selectors.Body = "div[unclosed"
	if _, err := Extract(Raw{Data: []byte(page), Format: "html", Path: "p.html"}, ExtractOptions{Source: src}); err == nil ||
		!strings.Contains(err.Error(), "selectors.body") || !strings.Contains(err.Error(), "p.html") {
		t.Errorf("bad selector error = %v", err)
	}
}

func TestExtractHTMLMetadataFallbacks(t *testing.T) {
	page := `<html><head><title>Ignored title</title>
<link rel="canonical" href="https://news.example/a/1">
<meta name="description" content="A short description.">
<meta property="article:tag" content="ports"><meta property="article:tag" content="storms">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",
"headline":"Harbour reopens after the storm","datePublished":"2023-03-03T21:15:00+02:00",
"articleSection":"Local","author":[{"@type":"Person","name":"Jane Smith"}]}]}</script></head>
<body><article><h1>Harbour reopens after the storm</h1>
<p>The town harbour reopened on Friday, three weeks after a winter storm tore away part of the northern breakwater and left two piers unsafe for the boats.</p>
<p>Engineers from the port authority spent the past fortnight rebuilding the breakwater with granite blocks brought in by barge from the quarry.</p>
</article></body></html>`
	doc, err := Extract(Raw{Data: []byte(page), Format: "html"}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.URL != "https://news.example/a/1" || doc.Title != "Harbour reopens after the storm" ||
		doc.Published != "2023-03-03T21:15:00+02:00" || doc.Section != "Local" ||
		strings.Join(doc.Byline, "|") != "Jane Smith" {
		t.Errorf("url %q title %q published %q section %q byline %q", doc.URL, doc.Title, doc.Published, doc.Section, doc.Byline)
	}
	if doc.Meta["description"] != "A short description." || doc.Meta["canonical_url"] != "https://news.example/a/1" {
		t.Errorf("meta = %v", doc.Meta)
	}
	if tags, _ := doc.Meta["tags"].([]string); strings.Join(tags, ",") != "ports,storms" {
		t.Errorf("tags = %v", doc.Meta["tags"])
	}
	if !strings.HasPrefix(doc.Text, "The town harbour reopened") || strings.Count(doc.Text, "\n\n") != 1 {
		t.Errorf("text = %q", doc.Text)
	}
}

func TestExtractUnknownFormat(t *testing.T) {
	if _, err := Extract(Raw{Data: []byte("x"), Format: "pdf", Path: "a.pdf"}, ExtractOptions{}); err == nil ||
		!strings.Contains(err.Error(), "a.pdf") {
		t.Errorf("err = %v", err)
	}
}

// Paragraphs set entirely in <b>/<strong>, or as a heading below the headline, are listed
// by index in Meta; a paragraph that
// only opens with a bold label is not, and the headline dropped from the body is not.
func TestExtractHTMLBoldParagraphs(t *testing.T) {
	for _, tt := range []struct {
		file string
		want []int
	}{
		{"en_interview_bold.html", []int{1, 4, 6, 10, 12}},
		{"ar_interview_bold.html", []int{1, 4, 6, 8}},
		{"en_news_bold_subheadings.html", []int{2, 5, 7, 10}},
		{"en_interview_headings.html", []int{1, 4, 6, 10, 12}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "extract", tt.file)
			doc, err := Extract(Raw{Data: readFile(t, path), Format: "html", Path: path}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := doc.Meta[schema.MetaBoldParagraphs].([]int)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("bold paragraphs = %v, want %v", doc.Meta[schema.MetaBoldParagraphs], tt.want)
			}
			paras := schema.SplitParagraphs(doc.Text)
			for _, i := range got {
				if n := len(strings.Fields(paras[i].Text)); n > 12 {
					t.Errorf("bold paragraph %d is %d words: %q", i, n, paras[i].Text)
				}
			}
		})
	}
}

func TestRenderTextBold(t *testing.T) {
	page := `<html><body><h1><b>Headline</b></h1>
<p><strong>Tell us about it</strong>?</p>
<p><b>Q:</b> a labelled question in plain text</p>
<div><a href="/x"><strong>Linked and bold</strong></a></div>
<p>plain with <b>bold</b> inside</p>
<p><b>first line</b><br>second line, plain</p>
<p><b> </b></p>
<p><strong>Bold <em>with italics</em> and <b>nested</b> 2024</strong></p>
<p><strong>How did you <em>start</em>?</strong> My grandmother.</p>
<p><b>Why now</b>? Because it was time.</p>
<p> <b>«Tabs</b> or spaces?» Spaces.</p>
<p><em>You never compose at a piano.</em></p>
<p><i>An <b>italic</b> prompt</i>, then plain</p>
<p><i>Tell us <em>more</em>.</i></p></body></html>`
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	text, bold := renderText(root)
	if text != nodeText(root) {
		t.Error("renderText and nodeText render different text")
	}
	var got []string
	for _, b := range bold.whole {
		got = append(got, normSpace(b))
	}
	want := []string{"Headline", "Tell us about it?", "Linked and bold", "first line", "Bold with italics and nested 2024"}
	if !slices.Equal(got, want) {
		t.Errorf("bold = %q, want %q", got, want)
	}
	got = got[:0]
	for _, l := range bold.leads {
		got = append(got, normSpace(l.lead)+" | "+normSpace(l.para))
	}
	want = []string{
		"Q: | Q: a labelled question in plain text",
		"How did you start? | How did you start? My grandmother.",
		"Why now | Why now? Because it was time.",
		"«Tabs | «Tabs or spaces?» Spaces.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("leads = %q, want %q", got, want)
	}
	// Indexes refer to the cleaned text; the headline, absent from it, matches nothing.
	final := strings.TrimPrefix(joinParagraphs(strings.Split(text, "\n\n")), "Headline\n\n")
	got = got[:0]
	for _, b := range bold.italic {
		got = append(got, normSpace(b))
	}
	if want := []string{"You never compose at a piano.", "Tell us more."}; !slices.Equal(got, want) {
		t.Errorf("italic = %q, want %q", got, want)
	}
	idx, leads, italic := boldMeta(final, bold)
	if !slices.Equal(italic, []int{10, 12}) {
		t.Errorf("italic indexes = %v in %q", italic, final)
	}
	if !slices.Equal(idx, []int{0, 2, 4, 6}) {
		t.Errorf("indexes = %v in %q", idx, final)
	}
	wantLeads := []schema.BoldLead{{Paragraph: 1, Length: 2}, {Paragraph: 7, Length: 18}, {Paragraph: 8, Length: 7}, {Paragraph: 9, Length: 5}}
	if !slices.Equal(leads, wantLeads) {
		t.Errorf("leads = %v, want %v in %q", leads, wantLeads, final)
	}
}

// Elements go-trafilatura creates carry only a tag name; they still break paragraphs.
func TestNodeTextCreatedElements(t *testing.T) {
	body := &html.Node{Type: html.ElementNode, Data: "body"}
	for _, s := range []string{"one", "two"} {
		p := &html.Node{Type: html.ElementNode, Data: "p"}
		p.AppendChild(&html.Node{Type: html.TextNode, Data: s})
		body.AppendChild(p)
	}
	if got := joinParagraphs(strings.Split(nodeText(body), "\n\n")); got != "one\n\ntwo" {
		t.Errorf("text = %q", got)
	}
}

func TestCleanByline(t *testing.T) {
	site := siteKeys("Jungle World", "https://www.cnn.com/2024/story")
	for _, tt := range []struct {
		in, want []string
	}{
		{[]string{"By Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"Author: Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"بقلم: محمد علي"}, []string{"محمد علي"}},
		{[]string{"كتب - سامي خليل"}, []string{"سامي خليل"}},
		// the outlet's mark of its own story is no name
		{[]string{"المواطن - خاص"}, []string{"المواطن"}},
		{[]string{"خاص"}, nil},
		// the newsroom's credit beside a writer is no name
		{[]string{"Staff Reporter", "Jane Roe"}, []string{"Jane Roe"}},
		{[]string{"المحرر"}, nil},
		// a dateline before the label
		{[]string{"الرياض - حوار: نايف العتيبي"}, []string{"نايف العتيبي"}},
		{[]string{"جدة - حاوره: نايف العتيبي"}, []string{"نايف العتيبي"}},
		// an interview's credit ("interviewed him: X")
		{[]string{"حاوره: خالد المنصوري"}, []string{"خالد المنصوري"}},
		{[]string{"حاورها خالد المنصوري"}, []string{"خالد المنصوري"}},
		// the photographer's credit after the writer's name is no writer
		{[]string{"حوار: سعد الغامدي تصوير: فهد العتيبي"}, []string{"سعد الغامدي"}},
		{[]string{"سعد الغامدي - تصوير: فهد العتيبي"}, []string{"سعد الغامدي"}},
		{[]string{"حوار وتصوير: نوف السالم"}, []string{"نوف السالم"}},
		{[]string{"Jane Roe, photos by Ann Lee"}, []string{"Jane Roe"}},
		{[]string{"Jane Roe | Photography: Ann Lee"}, []string{"Jane Roe"}},
		{[]string{"Interviewed by Jane Doe"}, []string{"Jane Doe"}},
		// job titles after the name
		{[]string{"Ben Silverman Games Editor"}, []string{"Ben Silverman"}},
		{[]string{"Dana A. Ford Staff Writer"}, []string{"Dana A. Ford"}},
		{[]string{"Lauren del Valle Senior Writer"}, []string{"Lauren del Valle"}},
		{[]string{"John Smith", "Staff Writer"}, []string{"John Smith"}},
		{[]string{"محمد علي - مراسل الجزيرة"}, []string{"محمد علي"}},
		{[]string{"Reuters Staff"}, []string{"Reuters Staff"}},
		// a wire byline's outlet after a name in capitals
		{[]string{"MARTA KOWALSKI Associated Press"}, []string{"MARTA KOWALSKI"}},
		{[]string{"JOSH BOAK", "FATIMA HUSSEIN Associated Press"}, []string{"JOSH BOAK", "FATIMA HUSSEIN"}},
		{[]string{"JOSH O'NEIL for The Times"}, []string{"JOSH O'NEIL"}},
		{[]string{"Marta Kowalski Associated Press"}, []string{"Marta Kowalski Associated Press"}},
		{[]string{"NASA Goddard Space Center"}, []string{"NASA Goddard Space Center"}},
		// what a stripped date leaves behind
		{[]string{"MORITZ GATHMANN am"}, []string{"MORITZ GATHMANN"}},
		{[]string{"Contributors to Wikimedia projects"}, []string{"Contributors to Wikimedia projects"}},
		{[]string{"Catch more fish"}, []string{"Catch more fish"}},
		// placeholders, dates and credentials are not names
		{[]string{"No Author"}, nil},
		{[]string{"Username"}, nil},
		{[]string{"作者"}, nil},
		{[]string{"Last Updated January"}, nil},
		{[]string{"Jane Doe", "March 3, 2021"}, []string{"Jane Doe"}},
		{[]string{"Brenda Goodman", "MA"}, []string{"Brenda Goodman"}},
		// widget labels, and a bio split at its commas
		{[]string{"Follow"}, nil},
		{[]string{"Archiv"}, nil},
		{[]string{"Submitted"}, nil},
		{[]string{"Submitted by Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"Posted by Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"Jane Smith has covered the harbour", "the port authority"}, nil},
		{[]string{"Les Membres du Choeur de Radio France"}, []string{"Les Membres du Choeur de Radio France"}},
		// the site itself is the publisher: dropped beside a person, kept alone
		{[]string{"Ernst Lohoff", "Jungle World"}, []string{"Ernst Lohoff"}},
		{[]string{"Tom Watkins", "CNN"}, []string{"Tom Watkins"}},
		{[]string{"CNN"}, []string{"CNN"}},
	} {
		if got := cleanByline(tt.in, site); !slices.Equal(got, tt.want) {
			t.Errorf("cleanByline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// articlePage wraps head elements and an <h1> around a body long enough for the
// main-text extractor.
func articlePage(head, h1 string) []byte {
	return []byte(`<!doctype html><html lang="en"><head>` + head + `</head><body>` + h1 + `<article>
<p>The town harbour reopened on Friday, three weeks after a winter storm tore away part of the northern breakwater and left two piers unsafe for the boats.</p>
<p>Engineers from the port authority spent the past fortnight rebuilding the breakwater with granite blocks brought in by barge from the quarry.</p>
<p>The harbour master asked fishermen to keep clear of the repaired section until the concrete has cured, which should take another week.</p>
</article></body></html>`)
}

func TestExtractHTMLBylineSources(t *testing.T) {
	for _, tt := range []struct {
		name, head string
		want       []string
	}{
		{"json-ld in CDATA", `<script type="application/ld+json">//<![CDATA[
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour reopens","author":[{"@type":"Person","name":"Jane Smith"},{"@type":"Person","name":"Omar Haddad"}]}
//]]></script>`, []string{"Jane Smith", "Omar Haddad"}},
		// go-trafilatura reads no JSON-LD in CDATA and takes the one meta author.
		{"every author the json-ld lists", `<meta name="author" content="Jane Smith"><script type="application/ld+json"><![CDATA[
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour reopens","author":[{"@type":"Person","name":"Jane Smith"},{"@type":"Person","name":"J\u00e9r\u00e9my Roux"}]}
]]></script>`, []string{"Jane Smith", "Jérémy Roux"}},
		{"meta author with role and site", `<meta property="og:site_name" content="Harbour Times"><meta name="author" content="By Jane Smith, Staff Writer | Harbour Times">`,
			[]string{"Jane Smith"}},
		{"meta author url is not a name", `<meta property="article:author" content="https://www.facebook.com/harbourtimes">`, nil},
		// What is left of "By X March 11, 2015 3:46 PM" once digits are stripped.
		{"a month after the name", `<meta name="author" content="GILLIAN MOHNEY March">`, []string{"GILLIAN MOHNEY"}},
		{"a month-named surname after one given name", `<meta name="author" content="Jane May">`, []string{"Jane May"}},
		// Arabic datelines beside the name, and "(City - Outlet)", which credits the paper.
		{"Arabic name - city", `<meta name="author" content="حسام أبو العلا - القاهرة">`, []string{"حسام أبو العلا"}},
		{"Arabic city - name", `<meta name="author" content="الرياض - فهد العتيبي">`, []string{"فهد العتيبي"}},
		{"Arabic (city - outlet)", `<meta name="author" content="(أبوظبي - وام)">`, []string{"وام"}},
		{"names on both sides of the dash lose neither", `<meta name="author" content="خالد المنصوري - سارة الكعبي">`, []string{"خالد المنصوري - سارة الكعبي"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(Raw{Data: articlePage(tt.head, ""), Format: "html"}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Byline, tt.want) && !(len(doc.Byline) == 0 && len(tt.want) == 0) {
				t.Errorf("byline = %q, want %q", doc.Byline, tt.want)
			}
		})
	}
}

// Where neither go-trafilatura nor the metadata names an author, the element the page
// marks as its byline does; comment bylines, bios and widget labels do not.
func TestExtractHTMLMarkedByline(t *testing.T) {
	bio := "Jane Smith has covered the harbour, the fishing fleet and the port authority for the paper since 2009."
	checkPageBylines(t, []bylineCase{
		// go-trafilatura reads "Follow" from the widget, which is no name.
		{"byline class beside a follow widget", `<span class="pb-byline">By <a href="/people/jane">Jane Smith</a></span> <span class="tweet-authors"><a class="twitter-follow-button" href="https://twitter.com/@JaneSmith">Follow @JaneSmith</a></span>`,
			[]string{"Jane Smith"}},
		{"hcard author in a meta line", `<p class="headline_meta">by <span class="author vcard fn">oz</span> on <abbr class="published" title="2006-12-04">December 4, 2006</abbr></p>`, []string{"oz"}},
		{"a page that allows comments", `</article></body><body class="single comments-open"><article><p class="headline_meta">by <span class="author vcard fn">oz</span></p>`, []string{"oz"}},
		{"a comment's byline", `<p class="headline_meta">on <abbr class="published" title="2006-12-04">December 4, 2006</abbr></p><div id="comments"><span class="author vcard fn">Troll</span></div>`, nil},
		{"a bio", `<p class="headline_meta">on <abbr class="published" title="2006-12-04">December 4, 2006</abbr></p><div class="author vcard">` + bio + `</div>`, nil},
		// Wikipedia's box of library identifiers, classed "authority-control".
		{"an authority control box", `<div role="navigation" class="navbox authority-control"><table><tr><th><a href="/wiki/Help:Authority_control">Authority control</a></th><td>GND: 4074335-4</td></tr></table></div>`, nil},
	})
}

// bylineCase is a byline element on the test article page and the names it should give.
type bylineCase struct {
	name, body string
	want       []string
}

func checkPageBylines(t *testing.T, cases []bylineCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(Raw{Data: articlePage("", tt.body), Format: "html"}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Byline, tt.want) && !(len(doc.Byline) == 0 && len(tt.want) == 0) {
				t.Errorf("byline = %q, want %q", doc.Byline, tt.want)
			}
		})
	}
}

// The site name a page declares or go-trafilatura assembles: an og:site_name that holds
// the whole <title> gives the part beside the headline, and of the organisations' names
// go-trafilatura joins with "; " the first is kept.
func TestExtractHTMLSiteName(t *testing.T) {
	org := func(names ...string) string {
		var graph []string
		for i, n := range names {
			graph = append(graph, fmt.Sprintf(`{"@type":"Organization","@id":"https://h.example/#o%d","name":%q}`, i, n))
		}
		return `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[` + strings.Join(graph, ",") +
			`,{"@type":"NewsArticle","headline":"Harbour reopens after the storm"}]}</script>`
	}
	for _, tt := range []struct{ name, head, want string }{
		{"declared name", `<title>Harbour reopens after the storm | Harbour Times</title><meta property="og:site_name" content="Harbour Times">`, "Harbour Times"},
		{"og:site_name holding the title", `<title>Harbour reopens after the storm | Harbour Times</title><meta property="og:site_name" content="Harbour reopens after the storm | Harbour Times">`, "Harbour Times"},
		{"two organisations", `<title>Harbour reopens after the storm</title><meta property="og:site_name" content="Harbour Times">` + org("Harbour Times", "Harbour Times Media Group"), "Harbour Times"},
		{"a name with a tagline stays", `<title>Harbour reopens after the storm</title><meta property="og:site_name" content="Harbour Times | News of the bay">`, "Harbour Times | News of the bay"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(Raw{Data: articlePage(tt.head, "<h1>Harbour reopens after the storm</h1>"), Format: "html"}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.SiteName != tt.want {
				t.Errorf("site name %q, want %q", doc.SiteName, tt.want)
			}
		})
	}
}

func TestGuessedSiteName(t *testing.T) {
	for _, tt := range []struct {
		guess, title, url, want string
	}{
		{"&amp;copy; 2016 aryanews.com", "", "https://www.aryanews.com/fa/news/1", "aryanews.com"},
		{"2020 Propellets Austria", "", "", "Propellets Austria"},
		{"© 2019–2024 Harbour Times", "", "", "Harbour Times"},
		{"Lavazza DE; Lavazza DE", "", "", "Lavazza DE"},
		{"20 Minuten", "", "", "20 Minuten"},
		{"1843 Magazine", "", "", "1843 Magazine"},
		{"Bradley M. Kuhn ( Brad ) ( bkuhn )", "", "", "Bradley M. Kuhn ( Brad ) ( bkuhn )"},
		// no names: a date, a URL, a handle, the headline; the host stands in
		{"02.11.2021", "", "https://www.amnesty.de/a", "amnesty.de"},
		{"Wochenbericht 14. - 20. Januar 2022", "", "https://www.slf.ch/w", "slf.ch"},
		{"https://twitter.com/onmeda_de", "", "https://www.onmeda.de/x", "onmeda.de"},
		{"Sputnik_ar", "", "https://arabic.sputniknews.com/x", "arabic.sputniknews.com"},
		{"Harbour reopens after the storm", "Harbour reopens after the storm | Harbour Times", "https://harbourtimes.example/x", "harbourtimes.example"},
		{"Harbour reopens after the storm - Harbour Times", "Harbour reopens after the storm - Harbour Times", "", ""},
		{"", "", "https://www.harbourtimes.example/x", ""},
	} {
		if got := guessedSiteName(tt.guess, tt.title, tt.url); got != tt.want {
			t.Errorf("guessedSiteName(%q, %q, %q) = %q, want %q", tt.guess, tt.title, tt.url, got, tt.want)
		}
	}
}

func TestExtractHTMLTitleRules(t *testing.T) {
	for _, tt := range []struct {
		name, head, h1, want string
	}{
		// Words of scripts without spaces are few and long: the longer headline wins the tie.
		{"logo h1 before the headline h1, no spaces", `<title>港口在风暴后重新开放 港湾时报</title>`,
			`<h1>港湾时报</h1><h1>港口在风暴后重新开放</h1>`, "港口在风暴后重新开放"},
		{"h1 logo equal to the site name", `<title>Harbour reopens after the storm | Harbour Times</title><meta property="og:site_name" content="Harbour Times">`,
			`<h1>Harbour Times</h1>`, "Harbour reopens after the storm"},
		{"logo h1 beside the headline h1", `<title>Harbour reopens after the storm | Harbour Times</title>`,
			`<h1><a href="/">Harbour Times</a></h1><h1>Harbour reopens after the storm</h1>`, "Harbour reopens after the storm"},
		{"disagreeing h1 is a section name", `<title>Harbour reopens after the storm</title>`,
			`<h1>Local news</h1>`, "Harbour reopens after the storm"},
		{"agreeing h1 wins over a longer title", `<title>Harbour reopens after the storm, engineers say | Harbour Times</title>`,
			`<h1>Harbour reopens after the storm</h1>`, "Harbour reopens after the storm"},
		// A kicker above the headline, inside its <h1>, is a topic line, not the headline.
		{"kicker by class", `<title>Storm damage: Harbour reopens after the storm</title>`,
			`<h1><span class="teaser__kicker">Storm damage</span> <span class="headline">Harbour reopens after the storm</span></h1>`, "Harbour reopens after the storm"},
		{"dachzeile by class, headline as bare text", `<title>Hafen wieder offen - Harbour Times</title>`,
			`<h1 class="entry-title"><span class="dachzeile">Nach dem Sturm </span>Hafen wieder offen</h1>`, "Hafen wieder offen"},
		{"kicker before a visually hidden separator", `<title>Harbour reopens after the storm</title>`,
			`<h1><span class="c1">Storm damage</span><span class="visually-hidden"> - </span><span class="c2">Harbour reopens after the storm</span></h1>`, "Harbour reopens after the storm"},
		{"kicker before an aria-hidden dash", `<title>Harbour reopens after the storm</title>`,
			`<h1><span class="a">Storm damage</span><span aria-hidden="true"> – </span><span class="b">Harbour reopens after the storm</span></h1>`, "Harbour reopens after the storm"},
		{"the logo link inside the headline's h1", `<title>Harbour reopens after the storm » Local » Harbour Times</title><meta property="og:site_name" content="Harbour Times">`,
			`<h1><span class="define">Harbour reopens after the storm</span><a href="/">Harbour Times</a></h1>`, "Harbour reopens after the storm"},
		// The "| Site" a page adds to its <h1> for screen readers, which its own <title>
		// may spell otherwise; a hidden separator with words after it but not last is no suffix.
		{"a hidden site suffix", `<title>Harbour reopens after the storm | HARBOURTIMES.COM</title>`,
			`<h1 class="title">Harbour reopens after the storm<span class="element-invisible"> | HAFENBLATT.DE</span></h1>`, "Harbour reopens after the storm"},
		{"a hidden suffix inside a span", `<title>Harbour reopens after the storm</title>`,
			`<h1><span>Harbour reopens after the storm<span class="sr-only"> - Harbour Times</span></span></h1>`, "Harbour reopens after the storm"},
		{"hidden words with a dash mid-headline", `<title>Harbour reopens after the storm</title>`,
			`<h1><span>Harbour reopens</span><span class="sr-only"> - today</span><span> after the storm</span></h1>`, "Harbour reopens - today after the storm"},
		// Not kickers: a hidden element with words, and spans that only style the headline.
		{"hidden words are no separator", `<title>Harbour reopens after the storm</title>`,
			`<h1><span>Harbour reopens</span><span class="visually-hidden"> today </span><span> after the storm</span></h1>`, "Harbour reopens today after the storm"},
		{"styled spans stay", `<title>Harbour reopens after the storm</title>`,
			`<h1><span class="big">Harbour reopens</span> <em>after the storm</em></h1>`, "Harbour reopens after the storm"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(Raw{Data: articlePage(tt.head, tt.h1), Format: "html"}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.want {
				t.Errorf("title = %q, want %q", doc.Title, tt.want)
			}
		})
	}
}

// What the page declares: JSON-LD authors given by reference, in a CDATA section or on
// a non-article main entity.
func TestReadPageMeta(t *testing.T) {
	for _, tt := range []struct {
		name, page, headline string
		authors              []string
	}{
		{"json-ld author by @id", `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
{"@type":"Article","headline":"Harbour reopens","author":{"@id":"https://example.org/#/person/1"}},
{"@type":"Person","@id":"https://example.org/#/person/1","name":"Nils Pickert"}]}</script>`, "Harbour reopens", []string{"Nils Pickert"}},
		{"json-ld recipe", `<script type="application/ld+json">{"@context":"https://schema.org","@type":"Recipe",
"name":"Lemon cake","author":{"@type":"Person","name":"Kathrin Runge"}}</script>`, "", []string{"Kathrin Runge"}},
		{"cdata", `<script type="application/ld+json"><![CDATA[{"@type":"NewsArticle","headline":"Harbour reopens","author":"Jane Smith"}]]></script>`,
			"Harbour reopens", []string{"Jane Smith"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gq, err := goquery.NewDocumentFromReader(strings.NewReader("<html><head></head><body>" + tt.page + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			pm := readPageMeta(gq)
			if pm.headline != tt.headline || !slices.Equal(pm.authors, tt.authors) {
				t.Errorf("headline %q authors %q, want %q %q", pm.headline, pm.authors, tt.headline, tt.authors)
			}
		})
	}
}

// Relative canonical and og:url links were stored as the document URL, which validate
// rejects (doc-url). They are resolved like a browser does, or dropped with a note.
func TestResolvePageURLs(t *testing.T) {
	for _, tt := range []struct {
		name                  string
		raw                   string
		pm                    pageMeta
		page, canonical, note string
	}{
		{"relative against the crawl URL", "https://example.com/a/b.html", pageMeta{canonical: "/news/1"},
			"https://example.com/a/b.html", "https://example.com/news/1", ""},
		{"protocol-relative against og:url", "", pageMeta{canonical: "//www.example.org/x", ogURL: "https://www.example.org/x?amp"},
			"https://www.example.org/x", "https://www.example.org/x", ""},
		{"relative against <base>", "", pageMeta{canonical: "news/2", base: "https://example.net/sec/"},
			"https://example.net/sec/news/2", "https://example.net/sec/news/2", ""},
		{"relative <base> against the crawl URL", "http://example.com/p/q", pageMeta{base: "/root/", canonical: "z"},
			"http://example.com/p/q", "http://example.com/root/z", ""},
		{"nothing to resolve against", "", pageMeta{canonical: "/duengebehoerde/news", ogURL: "/x"},
			"", "", `canonical URL "/duengebehoerde/news" dropped`},
		{"not http", "", pageMeta{canonical: "javascript:void(0)"}, "", "", "javascript:void(0)"},
		{"absolute kept", "", pageMeta{canonical: "https://example.com/c"}, "https://example.com/c", "https://example.com/c", ""},
	} {
		got := resolvePageURLs(tt.raw, tt.pm)
		note := strings.Join(got.notes, "; ")
		if got.page != tt.page || got.canonical != tt.canonical || (tt.note == "") != (note == "") || !strings.Contains(note, tt.note) {
			t.Errorf("%s: page %q canonical %q notes %q", tt.name, got.page, got.canonical, note)
		}
	}
	page := `<html><head><title>T</title><link rel="canonical" href="/news/7"></head><body><article><p>` +
		strings.Repeat("A paragraph long enough for the extractor to take it as the article body. ", 5) + `</p></article></body></html>`
	doc, err := Extract(Raw{Data: []byte(page), Format: "html"}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.URL != "" || doc.Meta["canonical_url"] != nil || !strings.Contains(fmt.Sprint(doc.Meta[MetaURLNote]), "/news/7") {
		t.Errorf("url %q meta %v", doc.URL, doc.Meta)
	}
	doc, err = Extract(Raw{Data: []byte(page), Format: "html", URL: "https://example.com/x"}, ExtractOptions{})
	if err != nil || doc.URL != "https://example.com/x" || doc.Meta["canonical_url"] != "https://example.com/news/7" {
		t.Errorf("url %q meta %v err %v", doc.URL, doc.Meta, err)
	}
}

// TestExtractHTMLLabelledByline: a page that writes its byline as a label and names in
// an element of its own ("بقلم: X", "By X | date"), and marks it neither in its metadata
// nor by class, gets the names, without the fields that follow them on the line; a body
// sentence that opens with "By" and a comment's "Posted by" name nobody.
func TestExtractHTMLLabelledByline(t *testing.T) {
	checkPageBylines(t, []bylineCase{
		{"label, names and a date", `<p>By <strong>Jane&nbsp;Smith</strong> and <a href="/o">Omar Haddad</a> | May 3, 2024</p>`, []string{"Jane Smith", "Omar Haddad"}},
		{"posted by, a full stop, a tag beside it", `<div class="meta"><span>Posted by Alon Zakai.</span> <a href="/t">Tutorials</a></div>`, []string{"Alon Zakai"}},
		{"the label in an element of its own", `<p class="meta"><span class="label">By</span> <a href="/j">Jane Smith</a></p>`, []string{"Jane Smith"}},
		{"a gap of spaces before the desk", `<p>By Jane Smith&nbsp;&nbsp;Harbour Desk</p>`, []string{"Jane Smith"}},
		{"a relative date", `<p>By Jane Smith 3 hours ago</p>`, []string{"Jane Smith"}},
		{"a notice in title case", `<p>By Order Of The Harbour Master All Vessels Must Keep Clear Of The Northern Breakwater Until Further Notice Is Given</p>`, nil},
		{"a body sentence", `<p>By the end of the week the harbour will be open to all boats again.</p>`, nil},
		{"a comment", `<div class="comment-list"><p>Posted by Sam Jones</p></div>`, nil},
		{"a bio after the name", `<p>By Jane Smith, who has covered the harbour, the fishing fleet and the port authority for the paper since 2009 and lives by the sea.</p>`, nil},
		{"a short clause after the name", `<p>By Jane Smith, who covers the port</p>`, nil},
		// The words for "by" that open ordinary phrases too take names only.
		{"German von", `<div class="details"><span class="teaser-cat"> von Andreas Kürten </span></div>`, []string{"Andreas Kürten"}},
		{"Spanish por with a particle", `<p class="autor">Por Camila Méndez de la Torre | 3 de mayo de 2024</p>`, []string{"Camila Méndez de la Torre"}},
		{"von before places", `<div class="teaser"><h3>Von Berlin nach Hamburg in zwei Stunden</h3></div>`, nil},
		{"von before nouns", `<div class="teaser"><h3>Von Krisen und Chancen</h3></div>`, nil},
	})
	raw, err := os.ReadFile(filepath.Join("testdata", "extract", "ar_labelled_byline.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Extract(Raw{Data: raw, Format: "html"}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"خالد المنصوري"}; !slices.Equal(doc.Byline, want) {
		t.Errorf("Arabic page: byline = %q, want %q (the weekday and date after it are no name)", doc.Byline, want)
	}
	dubai, err := time.LoadLocation("Asia/Dubai")
	if err != nil {
		t.Fatal(err)
	}
	withZone, err := Extract(Raw{Data: raw, Format: "html"}, ExtractOptions{Location: dubai})
	if err != nil {
		t.Fatal(err)
	}
	if want := "2023-11-02T10:15:00+04:00"; withZone.Published != want {
		t.Errorf("Arabic page: published %q, want %q (the URL's day, the time the page shows, the zone of --tz)", withZone.Published, want)
	}
	if want := "صحيفة الخليج اليوم"; doc.SiteName != want {
		t.Errorf("Arabic page: site name %q, want %q from its <title>", doc.SiteName, want)
	}
	// Without the byline line, a short paragraph of the body that opens with "كتب"
	// ("wrote") is what the article says, not its byline.
	meta := regexp.MustCompile(`<div class="meta">[^<]*</div>`)
	body := meta.ReplaceAll(raw, []byte(`<p>كتب الشاعر قصيدته الأولى وهو في العاشرة من عمره.</p>`))
	if doc, err = Extract(Raw{Data: body, Format: "html"}, ExtractOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Text, "كتب الشاعر") || len(doc.Byline) != 0 {
		t.Errorf("a body paragraph opening with كتب: byline = %q (body %q)", doc.Byline, doc.Text)
	}
}

func TestTitleSiteName(t *testing.T) {
	for _, tt := range []struct {
		title, headline, url, want string
	}{
		{"Harbour reopens after the storm | Harbour Times", "Harbour reopens after the storm", "", "Harbour Times"},
		{"Harbour Times - Harbour reopens after the storm", "Harbour reopens after the storm", "", "Harbour Times"},
		{"Mozilla - Wikipedia", "Mozilla", "https://en.wikipedia.org/wiki/Mozilla", "Wikipedia"},
		// a short "headline" may be the logo, and then the other part is the headline
		{"Feuerwehr Oldenburg - Ausbildung", "Feuerwehr Oldenburg", "https://www.feuerwehrtaucher-oldenburg.de/a", ""},
		{"Harbour reopens after the storm | 3 March 2024", "Harbour reopens after the storm", "", ""},
		{"Harbour reopens after the storm | Harbour Times | Local", "Harbour reopens after the storm", "", ""},
		{"Harbour reopens after the storm", "Harbour reopens after the storm", "", ""},
		{"Storm damage: the harbour a year on - Harbour Times", "Harbour reopens after the storm", "", ""},
	} {
		if got := titleSiteName(tt.title, tt.headline, tt.url); got != tt.want {
			t.Errorf("titleSiteName(%q, %q) = %q, want %q", tt.title, tt.headline, got, tt.want)
		}
	}
}

func TestVisibleTimeOn(t *testing.T) {
	day := time.Date(2024, 5, 14, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, body, want string
	}{
		{"posted line", `<p class="meta">Posted on May 14, 2024, at 11:29 a.m.</p>`, "2024-05-14T11:29:00Z"},
		{"date and time in elements of their own", `<div><span>14 May 2024</span> <span>18:20</span></div>`, "2024-05-14T18:20:00Z"},
		{"the date in bold inside the line", `<p>Posted on <b>May 14</b>, 2024 at 11:29</p>`, "2024-05-14T11:29:00Z"},
		{"Arabic clock", `<div>الثلاثاء، 14 مايو 2024 - 06:20 م</div>`, "2024-05-14T18:20:00Z"},
		{"a zone the page names", `<p>May 14, 2024 8:02 pm UTC</p>`, "2024-05-14T20:02:00Z"},
		{"another day is another article", `<ul><li>May 12, 2024 09:00 Harbour closes</li></ul>`, ""},
		{"an update time", `<p>Last updated May 14, 2024 6:20 PM</p>`, ""},
		{"a region's zone", `<p>Published 3:45 p.m. ET May 14, 2024</p>`, "2024-05-14T15:45:00-04:00"},
		{"a zone it cannot place", `<p>Last Published: May 14, 2024 05:08 PM IST</p>`, ""},
		{"a clock in a script", `<script>var t = "May 14, 2024 10:00";</script>`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root, err := html.Parse(strings.NewReader("<html><body>" + tt.body + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if v, ok := visibleTimeOn(root, day, time.UTC, time.Time{}); ok {
				got = v.Format(time.RFC3339)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// The published time keeps the clock and zone a page gives in a datetime attribute, and a
// page that shows only a year (in its text or its copyright line) has no date.
func TestExtractHTMLPublished(t *testing.T) {
	crawled := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, head, h1, want string
	}{
		{"time element with clock and zone", ``, `<h1>Harbour reopens</h1><time datetime="2024-03-05T10:00:00+01:00">March 5th 2024</time>`,
			"2024-03-05T10:00:00+01:00"},
		{"date-only metadata, the clock from a time element of that day", `<meta property="article:published_time" content="2024-03-05">`,
			`<h1>Harbour reopens</h1><time datetime="2024-03-05T07:30:00Z">5 March</time>`, "2024-03-05T07:30:00Z"},
		{"a time element of another day is another article", `<meta property="article:published_time" content="2024-03-05">`,
			`<h1>Harbour reopens</h1><aside><time datetime="2024-02-11T07:30:00Z">11 February</time></aside>`, "2024-03-05T00:00:00Z"},
		{"a year in the text is no date", ``, `<h1>Harbour reopens</h1><p>The money must be spent by 2026.</p>`, ""},
		{"a copyright year is no date", ``, `<h1>Harbour reopens</h1><footer>© 2023 Harbour Times</footer>`, ""},
		{"1 January written in full is a date", ``, `<h1>Harbour reopens</h1><p class="date">January 1, 2024</p>`, "2024-01-01T00:00:00Z"},
		// A date-only field stored as Berlin's midnight and printed in UTC.
		{"a local midnight in UTC, the page showing the next day", `<meta property="article:published_time" content="2021-11-04T23:00Z">`,
			`<h1>Kommunalwahlen</h1><p class="date">5. November 2021</p>`, "2021-11-05T00:00:00+01:00"},
		{"a local midnight east of UTC+1", `<meta property="article:published_time" content="2018-06-12T15:00:00.000Z">`,
			`<h1>Harbour reopens</h1><span>6/13/2018</span>`, "2018-06-13T00:00:00+09:00"},
		{"the page showing the UTC day", `<meta property="article:published_time" content="2021-11-04T23:00Z">`,
			`<h1>Kommunalwahlen</h1><p class="date">4. November 2021</p><aside>5. November 2021</aside>`, "2021-11-04T23:00:00Z"},
		{"no date on the page", `<meta property="article:published_time" content="2021-11-04T23:00Z">`,
			`<h1>Kommunalwahlen</h1>`, "2021-11-04T23:00:00Z"},
		{"not on the hour", `<meta property="article:published_time" content="2021-11-04T23:10Z">`,
			`<h1>Kommunalwahlen</h1><p class="date">5. November 2021</p>`, "2021-11-04T23:10:00Z"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(Raw{Data: articlePage(tt.head, tt.h1), Format: "html"}, ExtractOptions{Now: crawled})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Published != tt.want {
				t.Errorf("published = %q, want %q", doc.Published, tt.want)
			}
		})
	}
}

// A byline from a handle or folded metadata takes the accents and capitals the page
// writes the name with.
func TestExtractHTMLBylineAsWritten(t *testing.T) {
	for _, tt := range []struct {
		name, head, shown, want string
	}{
		{"a handle in the metadata", `<meta name="author" content="gabor_munier">`, `<p class="meta">Autor: Gàbor Muniér</p>`, "Gàbor Muniér"},
		{"accents lost in the metadata", `<meta name="author" content="Rene Lefevre">`, `<p class="meta">Par René Lefèvre</p>`, "René Lefèvre"},
		{"capitals are a style", `<meta name="author" content="Jane Doe">`, `<p class="meta">JANE DOE</p>`, "Jane Doe"},
		{"the page also writes it as given", `<meta name="author" content="Rene Lefevre">`, `<p class="meta">René Lefèvre</p><p>Photos: Rene Lefevre</p>`, "Rene Lefevre"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(Raw{Data: articlePage(tt.head, `<h1>Harbour reopens</h1>`+tt.shown), Format: "html"}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Byline) != 1 || doc.Byline[0] != tt.want {
				t.Errorf("byline = %q, want %q", doc.Byline, tt.want)
			}
		})
	}
}

// A page whose <title>, og:title and <h1> name only the site (a magazine's logo) has its
// headline in the body, in the nearest heading or title-classed element before the text.
func TestExtractHTMLHeadlineInBody(t *testing.T) {
	story := `<p>The town harbour reopened on Friday, three weeks after a winter storm tore away part of the northern breakwater and left two piers unsafe for the boats.</p>
<p>Engineers from the port authority spent the past fortnight rebuilding the breakwater with granite blocks brought in by barge from the quarry.</p>
<p>The harbour master asked fishermen to keep clear of the repaired section until the concrete has cured, which should take another week.</p>`
	head := `<title>Harbour Magazine</title><meta property="og:title" content="Harbour Magazine"><meta property="og:site_name" content="Harbour Magazine">`
	logo := `<section class="head"><h1 class="head-title"><a href="/">Harbour Magazine</a></h1></section>`
	for _, tt := range []struct {
		name, body, want string
	}{
		{"title-classed element", logo + `<main><h4 class="single-subtitle">Harbour Magazine</h4><div class="title-text"><p><em>Before and After</em></p></div><figure><img src="a.jpg"></figure>` + story + `</main>`, "Before and After"},
		{"a heading over the text", logo + `<div id="body"><h2>The breakwater is back</h2>` + story + `</div>`, "The breakwater is back"},
		{"nothing but the logo", logo + `<main>` + story + `</main>`, "Harbour Magazine"},
		{"a heading after the text's start is no headline", logo + `<main>` + story + `<h2>Related stories</h2></main>`, "Harbour Magazine"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := `<!doctype html><html lang="en"><head>` + head + `</head><body>` + tt.body + `</body></html>`
			doc, err := Extract(Raw{Data: []byte(page), Format: "html"}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.want {
				t.Errorf("title = %q, want %q", doc.Title, tt.want)
			}
		})
	}
}

// A byline that credits an interviewer ("حوار: X", "حاوره X", "Interview by X") leaves the
// name in Byline and the credit in Meta, wherever the byline was found: a page's author
// field or byline element, a scrape's header line, a record's byline field.
func TestInterviewCredit(t *testing.T) {
	extract := func(t *testing.T, name, format string) schema.Document {
		t.Helper()
		path := filepath.Join("testdata", "extract", name)
		doc, err := Extract(Raw{Data: readFile(t, path), Format: format, Path: path}, ExtractOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	for _, tt := range []struct {
		name, format string
		byline       string
		credit       bool
	}{
		{"ar_interview_vocative.html", "html", "ريم العتيبي", true},
		{"ar_interview_bold.html", "html", "سامي خليل", true},
		{"en_explainer_bold_leads.html", "html", "Tom Price", false},
		{"en_interview_bold.html", "html", "Daniel Reyes", false},
	} {
		doc := extract(t, tt.name, tt.format)
		if len(doc.Byline) != 1 || doc.Byline[0] != tt.byline {
			t.Errorf("%s: byline %q, want %q", tt.name, doc.Byline, tt.byline)
		}
		if doc.CreditsInterview() != tt.credit {
			t.Errorf("%s: interview credit %v, want %v", tt.name, doc.CreditsInterview(), tt.credit)
		}
	}
	scrape := "صحيفة الوادي\n\nالثقافة\n\nاللون ذاكرتي الأولى\n\n3 مارس 2024 , 10:15ص\nحاورها: سالم الدوسري\n\n" +
		"تفتتح التشكيلية منى العلي الأسبوع المقبل معرضها الشخصي الثالث في الرياض، وتقدم فيه أربعين لوحة رسمتها خلال عامين.\n"
	doc, err := Extract(Raw{Data: []byte(scrape), Format: "text", Path: "scrape.txt"}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !doc.CreditsInterview() || !slices.Equal(doc.Byline, []string{"سالم الدوسري"}) {
		t.Errorf("scrape: byline %q, credit %v; want سالم الدوسري, true", doc.Byline, doc.CreditsInterview())
	}
	for given, want := range map[string]bool{"حاوره : عبدالعزيز العصيمي - سبق": true, "By Jane Roe": false} {
		rec := schema.Document{}
		if err := applyGiven(&rec, &GivenFields{Byline: []string{given}}, time.UTC); err != nil {
			t.Fatal(err)
		}
		if rec.CreditsInterview() != want {
			t.Errorf("record byline %q: credit %v, want %v", given, rec.CreditsInterview(), want)
		}
	}
}

// A page whose only date is one go-htmldate cannot read (both calendars, in a
// windows-1256 page without a declared charset) takes it from its visible text, from the
// article rather than a sidebar before it, and the date line is no paragraph.
func TestExtractHTMLVisibleDualDate(t *testing.T) {
	const body = `<p>افتتح أمير المنطقة مساء أمس المعرض الدولي للكتاب بمشاركة أكثر من ألف دار نشر من ثلاثين دولة عربية وأجنبية، ويستمر المعرض عشرة أيام.</p>
<p>وقال مدير المعرض إن عدد الزوار المتوقع يتجاوز مليون زائر هذا العام، مع برنامج ثقافي يضم ندوات وأمسيات شعرية.</p>`
	for _, tt := range []struct{ name, page string }{
		{"no article element", `<html><head><title>افتتاح المعرض الدولي للكتاب</title></head><body><h1>افتتاح المعرض الدولي للكتاب</h1>
<p class="date">الأحد 12 ربيع الأول 1446هـ الموافق 15 سبتمبر 2024م</p>` + body + `</body></html>`},
		{"a sidebar dated before the article", `<html><head><title>افتتاح المعرض الدولي للكتاب</title></head><body>
<aside><ul><li>مهرجان الرياض</li><li>1 سبتمبر 2024</li></ul></aside><article><h1>افتتاح المعرض الدولي للكتاب</h1>
<p class="date">الأحد 12 ربيع الأول 1446هـ الموافق 15 سبتمبر 2024م</p>` + body + `</article></body></html>`},
	} {
		page, err := charmap.Windows1256.NewEncoder().String(tt.page)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Extract(Raw{Data: []byte(page), Format: "html"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Published != "2024-09-15T00:00:00Z" || !strings.HasPrefix(doc.Text, "افتتح أمير") {
			t.Errorf("%s: published %q, text %.30q", tt.name, doc.Published, doc.Text)
		}
	}
}

// A byline line the main text opens with ("Von Volkmar Kabisch, Jan Lukas Strozyk und
// Benedikt Strunz, NDR", "Posted by Andrew Hayden, Software Engineer on Google Play")
// names the writers where the metadata names no one or only the site; a job title after
// the name is no writer, a month name beside no date is a given name, and a byline
// element holding only its label is no name.
func TestExtractHTMLBylineInText(t *testing.T) {
	site := `<meta property="og:site_name" content="hafenblatt.de"><meta name="author" content="hafenblatt.de">`
	story := `<p>Der Hafen der Stadt ist am Freitag wieder geöffnet worden, drei Wochen nachdem ein Wintersturm einen Teil der nördlichen Mole weggerissen hatte.</p>
<p>Ingenieure der Hafenbehörde haben die Mole in den vergangenen zwei Wochen mit Granitblöcken wieder aufgebaut, die per Schiff aus dem Steinbruch kamen.</p>
<p>Der Hafenmeister bat die Fischer, den reparierten Abschnitt zu meiden, bis der Beton ausgehärtet ist, was noch eine Woche dauern soll.</p>`
	for _, tt := range []struct {
		name, head, body string
		want             []string
	}{
		{"several writers and an agency under the site's name", site, `<h1>Hafen wieder offen</h1><article><p>Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR</p>` + story + `</article>`,
			[]string{"Volkmar Kabisch", "Jan Lukas Strozyk", "Benedikt Strunz", "NDR"}},
		{"a job title after the name", "", `<h1>Hafen wieder offen</h1><article><p>Posted by Andrew Hayden, Software Engineer on Google Play</p>` + story + `</article>`,
			[]string{"Andrew Hayden"}},
		{"a month that is a given name", "", `<h1>Hafen wieder offen</h1><article><p>By April Jones</p>` + story + `</article>`,
			[]string{"April Jones"}},
		{"a sentence after a weak label", site, `<h1>Hafen wieder offen</h1><article><p>Von Berlin nach Hamburg fahren täglich vierzig Züge.</p>` + story + `</article>`,
			[]string{"Hafenblatt De"}}, // go-trafilatura's form of the site name
		{"a person in the metadata wins", `<meta name="author" content="Jana Petersen">`, `<h1>Hafen wieder offen</h1><article><p>Von Volkmar Kabisch, NDR</p>` + story + `</article>`,
			[]string{"Jana Petersen"}},
		{"a byline element with its label alone", site, `<h1>Hafen wieder offen</h1><div class="byline">von</div><article>` + story + `</article>`,
			[]string{"Hafenblatt De"}}, // go-trafilatura's form of the site name
		// A blog's display name in the metadata, the writer's full name in the column's
		// credit line; a credit line that names someone else leaves the display name.
		{"a display name written in full", `<meta name="author" content="Jana">`, `<h1>Hafen wieder offen</h1><article><p><strong>Eine Kolumne von Jana Petersen</strong></p>` + story + `</article>`,
			[]string{"Jana Petersen"}},
		{"a display name and another writer", `<meta name="author" content="Jana">`, `<h1>Hafen wieder offen</h1><article><p>Ein Kommentar von Volkmar Kabisch</p>` + story + `</article>`,
			[]string{"Jana"}},
		{"a display name and two writers", `<meta name="author" content="Jana">`, `<h1>Hafen wieder offen</h1><article><p>Von Jana Petersen und Volkmar Kabisch</p>` + story + `</article>`,
			[]string{"Jana"}},
		{"a genre before the credit", site, `<h1>Hafen wieder offen</h1><article><p>Ein Kommentar von Volkmar Kabisch, NDR</p>` + story + `</article>`,
			[]string{"Volkmar Kabisch", "NDR"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := `<!doctype html><html lang="de"><head>` + tt.head + `</head><body>` + tt.body + `</body></html>`
			doc, err := Extract(Raw{Data: []byte(page), Format: "html", URL: "https://www.hafenblatt.de/hafen.html"}, ExtractOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Byline, tt.want) {
				t.Errorf("byline = %q, want %q", doc.Byline, tt.want)
			}
		})
	}
}
