package corpus

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cleanTree edits a parsed page before go-trafilatura reads it, for what its own cleaning
// gets wrong: content a reader never sees (hidden elements, ruby annotations), "see
// also" teaser blocks inside the article, and text split by <br> (which go-trafilatura
// emits twice: once inside the paragraph and again as paragraphs of their own).
func cleanTree(root *html.Node) {
	body := findElement(root, atom.Body)
	if body == nil {
		return
	}
	removeHidden(body)
	removeAside(body)
	removeAtoms(body, map[atom.Atom]bool{atom.Rt: true, atom.Rp: true})
	removeTeasers(body)
	splitBreaks(body)
}

// cloneTree deep-copies a node, so that cleaning for the text extractor leaves the tree
// the metadata is read from as the page wrote it.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: append([]html.Attribute(nil), n.Attr...)}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.AppendChild(cloneTree(k))
	}
	return c
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// letterCount counts the letters and digits a reader could see under n, and how many of
// them are link text.
func letterCount(n *html.Node) (all, inLinks int) {
	return letterCountUpTo(n, -1)
}

// letterCountUpTo is letterCount that stops counting once all exceeds bound (bound < 0:
// none); then only all > bound is meaningful. Tests of "at most so many letters" on every
// nested block of a page then cost the block's start, not its whole subtree.
func letterCountUpTo(n *html.Node, bound int) (all, inLinks int) {
	var walk func(n *html.Node, link bool)
	walk = func(n *html.Node, link bool) {
		if bound >= 0 && all > bound {
			return
		}
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					all++
					if link {
						inLinks++
					}
				}
			}
			return
		case html.ElementNode:
			if skipAtoms[n.DataAtom] {
				return
			}
			link = link || n.DataAtom == atom.A
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, link)
		}
	}
	walk(n, false)
	return all, inLinks
}

// hiddenClasses are the class names CSS frameworks define as display:none or as
// screen-reader-only text (Bootstrap, Foundation, Bulma, WordPress, Drupal).
var hiddenClasses = map[string]bool{
	"hidden": true, "hide": true, "d-none": true, "is-hidden": true, "visually-hidden": true,
	"sr-only": true, "screen-reader-text": true, "visuallyhidden": true, "u-hidden": true,
	"element-invisible": true,
}

// isHiddenElement reports an element the page does not show: the hidden attribute (except
// until-found, which the browser's find reveals), aria-hidden="true", an inline
// display:none or visibility:hidden, or a hiding class. "d-none d-md-block" is shown on
// wide screens, so a responsive display class cancels d-none.
func isHiddenElement(n *html.Node) bool {
	if v, ok := attr(n, "hidden"); ok && !strings.EqualFold(strings.TrimSpace(v), "until-found") {
		return true
	}
	if v, _ := attr(n, "aria-hidden"); strings.EqualFold(strings.TrimSpace(v), "true") {
		return true
	}
	if style, ok := attr(n, "style"); ok {
		for _, decl := range strings.Split(style, ";") {
			prop, val, ok := strings.Cut(decl, ":")
			if !ok {
				continue
			}
			prop = strings.ToLower(strings.TrimSpace(prop))
			val = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(val), "!important")))
			if (prop == "display" && val == "none") || (prop == "visibility" && val == "hidden") {
				return true
			}
		}
	}
	class, _ := attr(n, "class")
	dNone, hiding, responsive := false, false, false
	for _, c := range strings.Fields(strings.ToLower(class)) {
		switch {
		case c == "d-none":
			dNone = true
		case hiddenClasses[c]:
			hiding = true
		case strings.HasPrefix(c, "d-") && !strings.HasSuffix(c, "-none"):
			responsive = true
		}
	}
	return hiding || (dNone && !responsive)
}

// removeHidden drops hidden elements. One that holds most of the page's text is kept:
// pages that scripts reveal after loading hide their whole body at first.
func removeHidden(body *html.Node) {
	total, _ := letterCount(body)
	var found []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if isHiddenElement(c) {
				found = append(found, c)
				continue
			}
			walk(c)
		}
	}
	walk(body)
	for _, n := range found {
		if all, _ := letterCount(n); all*2 > total {
			continue
		}
		n.Parent.RemoveChild(n)
	}
}

// commentWords and commentParts name comment sections in ids and class names, split at
// punctuation: "comments", "disqus_thread", "sf_comment_list", "comment-form-container".
// A comment word alone counts only as the whole name; with a part such as "list" or
// "form" it is the section, not a commentary article's "opinion-comment".
var (
	commentWords = map[string]bool{
		"comment": true, "comments": true, "kommentar": true, "kommentare": true, "comentario": true,
		"comentarios": true, "commentaire": true, "commentaires": true, "commenti": true, "komentarze": true,
	}
	commentParts = map[string]bool{
		"list": true, "form": true, "section": true, "area": true, "wrapper": true, "container": true,
		"thread": true, "respond": true, "box": true, "block": true, "widget": true, "holder": true,
	}
)

func isCommentName(name string) bool {
	parts := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	switch {
	case len(parts) == 0:
		return false
	case len(parts) == 1:
		return commentWords[parts[0]] || parts[0] == "respond"
	}
	word, part := false, false
	for _, p := range parts {
		word = word || commentWords[p] || p == "disqus"
		part = part || commentParts[p] || p == "disqus"
	}
	return word && part
}

// galleryWords in an id or class name mark an image gallery or a slider.
var galleryWords = []string{"gallery", "slideshow", "carousel", "slider"}

// removeAside drops comment sections, which go-trafilatura keeps when their markup is not
// the one it knows, and picture galleries embedded in the article's prose (isEmbeddedGallery).
// As for hidden elements, a comment section holding most of the page's text is kept: then
// it is the page.
func removeAside(body *html.Node) {
	total, _ := letterCount(body)
	var found, galleries []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case isEmbeddedGallery(c):
				// The prose around it is the article, however long its captions are.
				galleries = append(galleries, c)
			case isAside(c):
				found = append(found, c)
			default:
				walk(c)
			}
		}
	}
	walk(body)
	for _, n := range found {
		if all, _ := letterCount(n); all*2 > total {
			continue
		}
		n.Parent.RemoveChild(n)
	}
	for _, n := range galleries {
		n.Parent.RemoveChild(n)
	}
}

func isAside(n *html.Node) bool {
	id, _ := attr(n, "id")
	class, _ := attr(n, "class")
	for _, name := range append(strings.Fields(strings.ToLower(class)), strings.ToLower(strings.TrimSpace(id))) {
		if isCommentName(name) {
			return true
		}
	}
	return false
}

// isEmbeddedGallery reports a gallery (galleryWords) of at least minGalleryItems pictures
// or slides that stands among the paragraphs of an article: a "news in pictures" box whose
// captions are other stories. A gallery that is the page's main part (a slideshow page)
// has no prose around it and stays, as does a single picture with a lightbox.
func isEmbeddedGallery(n *html.Node) bool {
	id, _ := attr(n, "id")
	class, _ := attr(n, "class")
	if !containsAny(strings.ToLower(id+" "+class), galleryWords) || countItems(n) < minGalleryItems {
		return false
	}
	prose := 0
	for c := n.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c != n && c.Type == html.ElementNode && c.DataAtom == atom.P {
			if all, _ := letterCount(c); all >= 80 {
				prose++
			}
		}
	}
	return prose >= 2
}

// minGalleryItems is the number of pictures or slides from which a box is a gallery.
const minGalleryItems = 4

// countItems counts pictures and list items under n.
func countItems(n *html.Node) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || c.DataAtom == atom.Figure || c.DataAtom == atom.Li || c.DataAtom == atom.Picture) {
			k++
		}
		k += countItems(c)
	}
	return k
}

// removeAtoms drops every element of the given kinds (ruby annotations: <rt> is the
// reading printed above the text, <rp> the parentheses for browsers without ruby).
func removeAtoms(n *html.Node, kinds map[atom.Atom]bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && kinds[c.DataAtom] {
			n.RemoveChild(c)
		} else {
			removeAtoms(c, kinds)
		}
		c = next
	}
}

// seeAlsoMarkers open a teaser that links to other articles, folded by foldMarker. They
// remove a block only when what follows them is mostly link text (or nothing: a box
// heading), so "Related to this, ..." in a sentence stays.
var seeAlsoMarkers = func() []string {
	var out []string
	for _, m := range seeAlsoMarkerList {
		out = append(out, foldMarker(m))
	}
	return out
}()

// seeAlsoMarkerList is seeAlsoMarkers as written.
var seeAlsoMarkerList = []string{
	"read more", "read also", "also read", "see also", "related", "related articles", "related stories",
	"related posts", "related content", "related news", "more on this", "more on this story",
	"more stories", "more from", "more news", "you may also like", "you might also like",
	"recommended", "recommended for you", "most read", "most popular", "trending",
	"lesen sie auch", "lesen sie mehr", "auch lesen", "mehr lesen", "weiterlesen", "mehr zum thema",
	"das könnte sie auch interessieren", "das könnte dich auch interessieren", "empfohlene beiträge",
	"ähnliche beiträge", "weitere artikel", "weitere beiträge", "passend dazu", "verwandte artikel",
	"lire aussi", "à lire aussi", "a lire aussi", "voir aussi", "lire la suite", "sur le même sujet",
	"lea también", "lea tambien", "lea más", "lea mas", "lea", "le puede interesar", "te puede interesar",
	"vea también", "vea tambien", "ver también", "mira", "mira también", "noticias relacionadas",
	"leia também", "leia mais", "veja também", "saiba mais", "leggi anche",
	"czytaj też", "czytaj także", "zobacz też", "zobacz także",
	"اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "اقرأ ايضا", "شاهد أيضا", "اقرأ المزيد", "ذات صلة",
	"أخبار ذات صلة", "مقالات ذات صلة", "قد يهمك", "قد يعجبك أيضا",
}

// seeAlsoMarker returns the text after a see-also marker that opens s, and whether one
// does. The marker must end at a word boundary.
func seeAlsoMarker(s string) (string, bool) {
	t := foldMarker(cleanLine(s))
	t = strings.TrimLeftFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	best := -1
	for _, m := range seeAlsoMarkers {
		if len(m) <= best || !strings.HasPrefix(t, m) {
			continue
		}
		rest := t[len(m):]
		if r := []rune(rest); len(r) > 0 && (unicode.IsLetter(r[0]) || unicode.IsDigit(r[0]) || unicode.Is(unicode.Mn, r[0])) {
			continue
		}
		best = len(m)
	}
	if best < 0 {
		return "", false
	}
	rest := strings.TrimFunc(t[best:], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if rest == "" && nameMarkers[t[:best]] {
		return "", false
	}
	return rest, true
}

// nameMarkers are see-also markers that are also first names ("Lea:", "Mira:"): alone,
// they are a speaker's label in an interview, so they mark a teaser only before a link.
var nameMarkers = map[string]bool{foldMarker("lea"): true, foldMarker("mira"): true}

// teaserAtoms are the elements a see-also teaser is made of.
var teaserAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Section: true, atom.Aside: true, atom.Strong: true, atom.B: true, atom.Span: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Header: true, atom.Blockquote: true,
}

// removeTeasers drops "see also" teasers: a block opening with a marker (seeAlsoMarkers)
// whose other text is mostly links ("Lesen Sie auch: <a>...</a>"), and a marker alone (the
// heading of a related-articles box) with the link lists that follow it.
func removeTeasers(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type != html.ElementNode {
			c = next
			continue
		}
		if teaserAtoms[c.DataAtom] && mayOpenWithMarker(c) {
			if text, ok := nodeTextBelow(c, 2000); ok {
				if rest, ok := seeAlsoMarker(text); ok {
					all, links := letterCount(c)
					restLetters := countLetters(rest)
					switch {
					case restLetters == 0:
						for next != nil && (next.Type != html.ElementNode || linkDense(next)) {
							after := next.NextSibling
							n.RemoveChild(next)
							next = after
						}
						n.RemoveChild(c)
						c = next
						continue
					case links*2 >= restLetters && links <= all:
						n.RemoveChild(c)
						c = next
						continue
					}
				}
			}
		}
		removeTeasers(c)
		c = next
	}
}

// teaserPrefix is how much of a block's text (bytes) mayOpenWithMarker renders: over twice
// the longest see-also marker (35 bytes), with room for punctuation before it.
const teaserPrefix = 96

// mayOpenWithMarker reports whether n's text may open with a see-also marker, looking at
// its first teaserPrefix bytes only: false means seeAlsoMarker would find none. It
// costs a block's start, where rendering and folding the block (up to 2,000 bytes) for
// every nested block of the page did not. When the text was cut, the last runes of the
// folded start are dropped (normalisation may join them with what follows) and a start
// shorter than a marker that begins it counts as a match.
func mayOpenWithMarker(n *html.Node) bool {
	r := textRenderer{limit: teaserPrefix}
	r.walk(n)
	cut := r.b.Len() >= teaserPrefix
	t := strings.TrimLeftFunc(foldMarker(cleanLine(r.b.String())), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if cut {
		rs := []rune(t)
		t = string(rs[:max(0, len(rs)-4)])
	}
	for _, m := range seeAlsoMarkers {
		if strings.HasPrefix(t, m) || cut && strings.HasPrefix(m, t) {
			return true
		}
	}
	return false
}

// linkDense reports an element whose visible text is mostly link text; text nodes of
// whitespace only count as dense, so they are skipped with the links around them.
func linkDense(n *html.Node) bool {
	if n.Type == html.TextNode {
		return strings.TrimSpace(n.Data) == ""
	}
	all, links := letterCount(n)
	return all > 0 && links*10 >= all*6
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// splitAtoms are the containers whose <br>-separated runs become paragraphs.
var splitAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Td: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Blockquote: true, atom.Li: true, atom.Dd: true, atom.Font: true, atom.Center: true, atom.Body: true,
}

// splitBreaks turns text separated by <br> into paragraphs of their own: inside a <p> the
// runs become sibling <p>s, inside other containers each run is wrapped in a <p>.
// renderText already reads <br> as a paragraph break, so the text is the same; what
// changes is that go-trafilatura no longer emits the runs after the first <br> twice.
func splitBreaks(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && c.DataAtom != atom.Pre && !skipAtoms[c.DataAtom] {
			splitBreaks(c)
		}
		c = next
	}
	if n.Type != html.ElementNode || !splitAtoms[n.DataAtom] || !hasChildBreak(n) {
		return
	}
	var order []any // runs of inline nodes ([]*html.Node) and block children (*html.Node)
	var run []*html.Node
	flush := func() {
		if len(run) > 0 {
			order = append(order, run)
			run = nil
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && c.DataAtom == atom.Br:
			flush()
		case c.Type == html.ElementNode && blockAtoms[c.DataAtom]:
			flush()
			order = append(order, c)
		default:
			run = append(run, c)
		}
	}
	flush()
	if n.DataAtom == atom.P {
		if n.Parent == nil {
			return
		}
		for _, o := range order {
			var p *html.Node
			switch x := o.(type) {
			case []*html.Node:
				if !hasText(x) {
					continue
				}
				p = &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P, Attr: n.Attr}
				for _, c := range x {
					n.RemoveChild(c)
					p.AppendChild(c)
				}
			case *html.Node:
				n.RemoveChild(x)
				p = x
			}
			n.Parent.InsertBefore(p, n)
		}
		n.Parent.RemoveChild(n)
		return
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		c = next
	}
	for _, o := range order {
		switch x := o.(type) {
		case []*html.Node:
			if !hasText(x) {
				for _, c := range x {
					n.AppendChild(c)
				}
				continue
			}
			p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
			for _, c := range x {
				p.AppendChild(c)
			}
			n.AppendChild(p)
		case *html.Node:
			n.AppendChild(x)
		}
	}
}

func hasChildBreak(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Br {
			return true
		}
	}
	return false
}

// hasText reports whether the nodes hold visible text.
func hasText(nodes []*html.Node) bool {
	for _, n := range nodes {
		if all, _ := letterCount(n); all > 0 {
			return true
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Img || n.DataAtom == atom.Picture) {
			return true
		}
	}
	return false
}
