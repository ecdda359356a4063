package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// golang.org/x/net/html refuses a page whose open elements nest deeper than 512 (the
// whole page is an error). Such pages exist (generated markup, a broken CMS that never
// closes a <div>) and may carry a readable article, so instead of losing the page
// the elements below a depth are flattened into their ancestor: their start and end
// tags are left out and everything inside them (text, void elements) kept in order.
// The document says so in meta.html_note.

// MetaHTMLNote is the Meta key of a note on markup changed before extraction.
const MetaHTMLNote = "html_note"

// flattenDepth is the depth beyond which tags are dropped: below the parser's 512, with
// room for the elements the parser opens itself (html, head, body, tbody, formatting
// elements re-opened by the adoption agency).
const flattenDepth = 256

// parseHTML parses a page; a page nested too deep for the parser is flattened below
// flattenDepth (and again, lower, should the parser's own elements still overflow) and
// note says so.
func parseHTML(data []byte) (root *html.Node, note string, err error) {
	root, err = parseHTMLRecover(data)
	if err == nil || !strings.Contains(err.Error(), "exceeds 512") {
		return root, "", err
	}
	for depth := flattenDepth; depth >= 16; depth /= 2 {
		flat, dropped := flattenHTML(data, depth)
		root, err = parseHTMLRecover(flat)
		if err == nil {
			return root, fmt.Sprintf("markup nested deeper than the HTML parser's limit of 512 elements: %d elements below depth %d were flattened into their ancestors (their text kept)", dropped, depth), nil
		}
	}
	return nil, "", err
}

// parseHTMLRecover is html.Parse; the parser panics on a stack too deep in some
// versions and returns an error in others, and both are the same error here.
func parseHTMLRecover(data []byte) (root *html.Node, err error) {
	defer func() {
		if v := recover(); v != nil {
			root, err = nil, fmt.Errorf("%v", v)
		}
	}()
	return html.Parse(bytes.NewReader(data))
}

// voidElements never have an end tag, so they do not nest.
var voidElements = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true,
	atom.Track: true, atom.Wbr: true, atom.Param: true, atom.Keygen: true,
}

// flattenHTML rewrites data without the start and end tags of elements opened below
// depth, counting the tags it dropped. Depth is tracked on the tags as written (an end
// tag closes the nearest open element of its name and everything opened after it),
// which is close enough to the parser's stack for the margin flattenDepth leaves.
func flattenHTML(data []byte, depth int) ([]byte, int) {
	type open struct {
		name    string
		dropped bool
	}
	var (
		out     bytes.Buffer
		stack   []open
		kept    int
		dropped int
	)
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				out.Write(z.Raw())
			}
			return out.Bytes(), dropped
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[atom.Lookup(name)] {
				out.Write(raw)
				continue
			}
			drop := kept >= depth
			stack = append(stack, open{string(name), drop})
			if drop {
				dropped++
				continue
			}
			kept++
		case html.EndTagToken:
			name, _ := z.TagName()
			i := len(stack) - 1
			for i >= 0 && stack[i].name != string(name) {
				i--
			}
			if i < 0 {
				break // a stray end tag: the parser ignores it as it would here
			}
			drop := stack[i].dropped
			for _, o := range stack[i:] {
				if !o.dropped {
					kept--
				}
			}
			stack = stack[:i]
			if drop {
				continue
			}
		}
		out.Write(raw)
	}
}
