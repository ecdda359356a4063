package annotate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// FuzzBuiltinAnnotators feeds the built-ins (qa, sentiment, stance) any text, title and
// byline a document can carry (valid UTF-8, as admission guarantees): no panic, no error,
// and every span item is the text's [start, end) in code points. Run with
// `go test ./annotate -run '^$' -fuzz FuzzBuiltinAnnotators -fuzztime 10m -parallel=1`.
func FuzzBuiltinAnnotators(f *testing.F) {
	for _, b := range testshared.Seeds(f, "data/interviews/ar/*.txt", 3, 6<<10) {
		f.Add("حوار مع الوزير", "حاوره: محمد العتيبي", string(b))
	}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "qa", "*.txt"))
	for _, p := range fixtures {
		if b, err := os.ReadFile(p); err == nil {
			head, body, _ := strings.Cut(string(b), "\n---\n")
			f.Add(head, "By Jane Smith", body)
		}
	}
	f.Add("Jane Doe: 'We will win'", "By Tom Reed", "Q: Why?\n\nA: Because.\n\nQ: When?\n\nA: Soon.\n\nQ: How?\n\nA: Together.")
	f.Add("مدرب الهلال: سنعود", "", "أكد مدرب فريق الهلال البرتغالي جورجي جيسوس أن\n\nكيف ترى الموسم؟\n\nونحن جاهزون.")
	targets := exampleTargets(f)
	var anns []Annotator
	for _, name := range BuiltinNames() {
		a, err := Builtin(name, BuiltinOptions{Targets: targets})
		if err != nil {
			f.Fatal(err)
		}
		anns = append(anns, a)
	}
	f.Fuzz(func(t *testing.T, title, byline, text string) {
		text = strings.ToValidUTF8(text, "")
		doc := &schema.Document{ID: "fuzz", Title: strings.ToValidUTF8(title, ""), Byline: []string{strings.ToValidUTF8(byline, "")}, Text: text, Lang: "ar"}
		if !strings.ContainsFunc(text, func(r rune) bool { return r >= 0x0600 && r <= 0x06FF }) {
			doc.Lang = "en"
		}
		runes := []rune(text)
		for _, a := range anns {
			items, err := a.Annotate(context.Background(), doc)
			if err != nil {
				t.Fatalf("%s: %v", a.Info().Name, err)
			}
			for i, it := range items {
				if it.Start == nil || it.End == nil {
					continue
				}
				s, e := *it.Start, *it.End
				if s < 0 || e < s || e > len(runes) {
					t.Fatalf("%s item %d: span [%d,%d) outside a text of %d code points", a.Info().Name, i, s, e, len(runes))
				}
				if it.Text != string(runes[s:e]) {
					t.Fatalf("%s item %d: text %q is not the span [%d,%d) %q", a.Info().Name, i, it.Text, s, e, string(runes[s:e]))
				}
				if !utf8.ValidString(it.Attrs[schema.AttrSpeaker]) {
					t.Fatalf("%s item %d: speaker is not UTF-8", a.Info().Name, i)
				}
			}
		}
	})
}
