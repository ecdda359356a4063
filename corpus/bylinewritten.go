package corpus

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// asWrittenOnPage returns each byline name in the form the page's visible text writes
// it, where the name came to us without its accents or capitals: metadata often holds
// a handle ("gabor_munier") that go-trafilatura turns into "Gabor Munier" while the
// byline on the page reads "Gàbor Muniér". A name the page writes exactly as given, or
// never writes, is kept; so is one the page writes only in capitals ("JANE DOE" is a
// style, not a spelling).
func asWrittenOnPage(names []string, root *html.Node) []string {
	if len(names) == 0 || root == nil {
		return names
	}
	var words []string
	collectWords(root, &words)
	if len(words) == 0 {
		return names
	}
	fold := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	key := func(w string) string {
		s, _, err := transform.String(fold, strings.ToLower(w))
		fold.Reset()
		if err != nil {
			return strings.ToLower(w)
		}
		return s
	}
	// Folding every word of a long page costs more than the rest of this; words repeat.
	seen := map[string]string{}
	folded := make([]string, len(words))
	for i, w := range words {
		f, ok := seen[w]
		if !ok {
			f = key(w)
			seen[w] = f
		}
		folded[i] = f
	}
	out := make([]string, len(names))
	for i, name := range names {
		out[i] = name
		want := nameWordsOf(name)
		if len(want) < 2 {
			continue
		}
		for k, w := range want {
			want[k] = key(w)
		}
		written := ""
		for at := 0; at+len(want) <= len(words); at++ {
			if !slices.Equal(folded[at:at+len(want)], want) {
				continue
			}
			form := strings.Join(words[at:at+len(want)], " ")
			if form == name {
				written = ""
				break
			}
			if written == "" && nameCased(words[at:at+len(want)]) {
				written = form
			}
		}
		if written != "" {
			out[i] = written
		}
	}
	return out
}

// nameWordsOf splits a name into its words at spaces and the separators of handles.
func nameWordsOf(name string) []string {
	return strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '_' || r == '.' })
}

// nameCased reports whether every word opens with a capital and goes on in lower case.
func nameCased(ws []string) bool {
	for _, w := range ws {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) || (len(r) > 1 && strings.ToUpper(string(r[1:])) == string(r[1:]) && strings.ToLower(string(r[1:])) != string(r[1:])) {
			return false
		}
	}
	return true
}

// collectWords appends the words of the visible text below n: runs of letters and marks,
// with the apostrophes and hyphens inside names.
func collectWords(n *html.Node, words *[]string) {
	if n.Type == html.ElementNode && skipAtoms[n.DataAtom] {
		return
	}
	if n.Type == html.TextNode {
		*words = append(*words, strings.FieldsFunc(n.Data, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' || r == '-')
		})...)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectWords(c, words)
	}
}
