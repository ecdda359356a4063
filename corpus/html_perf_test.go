package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/markusmobius/go-trafilatura"

	"github.com/newsds/newsds/internal/testshared"
)

func TestNeedsFallback(t *testing.T) {
	for _, tt := range []struct {
		text, page int
		want       bool
	}{
		{0, 0, true},                // nothing extracted: the fallback may find something
		{minOwnText - 1, 600, true}, // under the floor whatever the page holds
		{minOwnText, 2 * minOwnText, false},
		{minOwnText, 2*minOwnText + 1, true}, // under half the page's text
		{3000, 5000, false},
		{3000, 6001, true},
	} {
		if got := needsFallback(tt.text, tt.page); got != tt.want {
			t.Errorf("needsFallback(%d, %d) = %v, want %v", tt.text, tt.page, got, tt.want)
		}
	}
}

// TestMainTextFallbackOnlyWhenShort checks mainText on shared gold pages: a page whose
// main text is most of the page gets go-trafilatura's text without the fallback, the
// same text the fallback run gives; a page whose main text is a fraction of the page
// gets the fallback's longer text.
func TestMainTextFallbackOnlyWhenShort(t *testing.T) {
	for _, tt := range []struct {
		set, page string
		fallback  bool
	}{
		{"trafilatura", "pages/tagesschau.de.rheinmetall.html", false},
		{"readability", "pages/wikipedia/source.html", false},
		{"trafilatura", "pages/iconmagazine.de.sharonstone.html", true},
		{"trafilatura", "pages/spiegel.de.albtraum.html", true},
	} {
		path := testshared.Path(t, "data", tt.set, tt.page)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		root, _, err := parseHTML(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		clean := cloneTree(root)
		cleanTree(clean)
		m, err := mainText(clean, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if m.fellBack != tt.fallback {
			t.Errorf("%s: fallback ran = %v, want %v", tt.page, m.fellBack, tt.fallback)
		}
		full, err := trafilatura.ExtractDocument(clean, trafilaturaOptions(nil))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		fullText, _ := renderText(full.ContentNode)
		if m.text != fullText {
			t.Errorf("%s: text differs from the run with the fallback (%d vs %d bytes)", tt.page, len(m.text), len(fullText))
		}
		if tt.fallback {
			o := trafilaturaOptions(nil)
			o.EnableFallback = false
			own, err := trafilatura.ExtractDocument(clean, o)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if ownText, _ := renderText(own.ContentNode); len(m.text) < 2*len(ownText) {
				t.Errorf("%s: fallback text %d bytes, want over twice the main text's %d", tt.page, len(m.text), len(ownText))
			}
		}
	}
}

// TestMayOpenWithMarker holds the prefix test of removeTeasers to the full one on every
// block of the shared gold pages: wherever seeAlsoMarker finds a marker in a block's
// text, mayOpenWithMarker must not have ruled it out. Blocks it rules in are checked in
// full, so only this direction matters.
func TestMayOpenWithMarker(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every block of the shared gold pages")
	}
	blocks, markers := 0, 0
	for _, set := range []string{"trafilatura", "readability", "newspaper4k", "htmldate"} {
		dir := testshared.Path(t, "data", set)
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || filepath.Ext(p) != ".html" || filepath.Base(p) == "expected.html" {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			root, _, err := parseHTML(data)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode && teaserAtoms[n.DataAtom] {
					blocks++
					// removeTeasers asks seeAlsoMarker of blocks under 2,000 bytes only.
					if text, ok := nodeTextBelow(n, 2000); ok {
						if _, ok := seeAlsoMarker(text); ok {
							markers++
							if !mayOpenWithMarker(n) {
								t.Errorf("%s: <%s> opens with a see-also marker that mayOpenWithMarker misses: %.80q", p, n.Data, text)
							}
						}
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(root)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if markers == 0 {
		t.Fatalf("no block of %d opens with a see-also marker: the test checks nothing", blocks)
	}
	t.Logf("%d blocks, %d open with a marker", blocks, markers)
}

func TestMayOpenWithMarkerCut(t *testing.T) {
	long := strings.Repeat("word ", 100)
	for _, tt := range []struct {
		html string
		want bool
	}{
		{"<div>Read more: <a href=x>Other story</a></div>", true},
		{"<div>Lesen Sie auch " + long + "</div>", true},
		{"<div>" + strings.Repeat("· ", 200) + "read more</div>", true}, // the start is all punctuation: undecided
		{"<div>" + long + "</div>", false},
		{"<div>The related story</div>", false},
	} {
		root, err := html.Parse(strings.NewReader(tt.html))
		if err != nil {
			t.Fatal(err)
		}
		div := findElement(root, atom.Div)
		if got := mayOpenWithMarker(div); got != tt.want {
			t.Errorf("mayOpenWithMarker(%.40q) = %v, want %v", tt.html, got, tt.want)
		}
	}
}
