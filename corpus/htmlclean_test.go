package corpus

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// extractFixture extracts a page of testdata/extract.
func extractFixture(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join("testdata", "extract", name)
	doc, err := Extract(Raw{Data: readFile(t, path), Format: "html", Path: path}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Text
}

// paragraphs splits a text into its paragraphs.
func paragraphs(text string) []string { return strings.Split(text, "\n\n") }

// go-trafilatura emits the text after each <br> twice: inside the paragraph and again as
// paragraphs of their own.
func TestExtractBreakSeparatedParagraphsOnce(t *testing.T) {
	got := paragraphs(extractFixture(t, "br-paragraphs.html"))
	want := []string{
		"The city council approved the annual budget on Tuesday after a long debate that lasted well into the night.",
		"Members of the opposition criticised the spending on roads, which they said favoured the northern districts.",
		"The mayor defended the plan and promised a review of the district allocations in the spring session.",
		"The budget takes effect on the first of January and runs for twelve months.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs:\n%q\nwant\n%q", got, want)
	}
}

// A page that prints its article twice (cut short, then "continued") gave the body twice.
func TestExtractRepeatedBodyOnce(t *testing.T) {
	got := paragraphs(extractFixture(t, "repeated-body.html"))
	if len(got) != 4 {
		t.Errorf("%d paragraphs, want 4: %q", len(got), got)
	}
	seen := map[string]bool{}
	for _, p := range got {
		if seen[p] {
			t.Errorf("repeated: %q", p)
		}
		seen[p] = true
	}
}

func TestDropRepeats(t *testing.T) {
	a := "The first paragraph of the article, long enough to count."
	b := "The second paragraph of the article, long enough to count."
	c := "A third paragraph that the page prints only once in its body."
	short := "Why?"
	for _, tt := range []struct {
		name   string
		in     []string
		source string
		want   []string
	}{
		{"copy beyond the page", []string{a, b, a}, strings.ToLower(a + " " + b), []string{a, b}},
		{"body copied whole", []string{a, b, c, a, b}, strings.ToLower(a + b + c + a + b), []string{a, b, c}},
		{"page repeats one paragraph", []string{a, c, a, c + "!"}, strings.ToLower(a + c + a), []string{a, c, a, c + "!"}},
		{"short refrain", []string{short, a, short}, "", []string{short, a, short}},
	} {
		if got := dropRepeats(tt.in, tt.source); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestExtractDropsHiddenContent(t *testing.T) {
	text := extractFixture(t, "hidden.html")
	checkContains(t, text, []string{
		"More than two hundred volunteers", "forty bags", "bread rolls to everyone who came.",
		// Shown on wide screens, and revealed by the browser's find.
		"install new bins", "certificate of participation",
	}, []string{"session has expired", "Thank you for subscribing", "Share this story", "Skip to the next section"})
}

// A page whose whole body is hidden until its scripts run is still read.
func TestExtractKeepsHiddenPage(t *testing.T) {
	page := `<html><head><title>Hidden until loaded</title></head><body><div id="app" style="display:none">` +
		`<article><h1>Hidden until loaded</h1><p>` + strings.Repeat("The whole article sits in a wrapper that a script reveals. ", 6) +
		`</p><p>` + strings.Repeat("Readers see it once the page has loaded its code. ", 6) + `</p></article></div></body></html>`
	doc, err := Extract(Raw{Data: []byte(page), Format: "html"}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, doc.Text, []string{"a script reveals", "loaded its code"}, nil)
}

// Furigana (<rt>) and its fallback parentheses (<rp>) were inlined: "子(こ)ども".
func TestExtractDropsRubyAnnotations(t *testing.T) {
	text := extractFixture(t, "ruby.html")
	checkContains(t, text, []string{"子どもたちが無料で夕食を食べられる食堂が、駅前の商店街に開店しました。", "「誰でも気軽に来てほしい」"},
		[]string{"こども", "むりょう", "(", "しょくどう"})
}

func TestExtractDropsTeasersAndAppeals(t *testing.T) {
	text := extractFixture(t, "teasers.html")
	checkContains(t, text, []string{"vier neue Radwege", "drei Viertel übernimmt", "nur nachts behindern"},
		[]string{"Lesen Sie auch", "Parkhaus am Markt", "Empfohlene Beiträge", "Ampel an der Hauptstraße", "Domplatz", "Jetzt spenden"})
}

// "Related to this, ..." is a sentence, not a teaser: a marker removes a block only when
// links follow it.
func TestSeeAlsoMarkerNeedsLinks(t *testing.T) {
	page := `<html><body><article><h1>Port strike ends</h1><p>` + strings.Repeat("Dock workers returned to work on Monday after a strike of nine days. ", 4) +
		`</p><p>Related to this, the port authority agreed to review the shift rota with the union before the summer season begins in June.</p>` +
		`<p>Read more: <a href="/x">Shipping costs rise again</a></p><p>` + strings.Repeat("The union said the agreement was a fair compromise for its members. ", 4) + `</p></article></body></html>`
	doc, err := Extract(Raw{Data: []byte(page), Format: "html"}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, doc.Text, []string{"Related to this, the port authority"}, []string{"Read more", "Shipping costs"})
}

// A comment section whose markup go-trafilatura does not know (ids like
// "sf_comment_list") came out as article text.
func TestExtractDropsCommentSection(t *testing.T) {
	text, _, _, _, _ := extractShared(t, ExtractOptions{}, "data", "newspaper4k", "html", "spanish_article.html")
	checkContains(t, text, []string{"El fiscal Pedro Horrach está perfilando"},
		[]string{"Vaya comportamiento tan poco ejemplar", "El contenido de los comentarios"})
}

// The standfirst under the headline repeats the page's description and sits apart from
// the body; go-trafilatura dropped it.
func TestExtractRecoversLede(t *testing.T) {
	got := paragraphs(extractFixture(t, "lede.html"))
	if len(got) != 5 || got[0] != "The island ferry is running again after a week of storms kept boats in harbour and cut off two villages." {
		t.Errorf("paragraphs: %q", got)
	}
}

// A gallery of other stories inside an article ("Business news in pictures", 50 slides)
// outweighed the article itself.
func TestExtractDropsEmbeddedGallery(t *testing.T) {
	path := testshared.Path(t, "data", "readability", "pages", "bug-1255978", "source.html")
	doc, err := Extract(Raw{Data: readFile(t, path), Format: "html", Path: path}, ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, doc.Text, []string{"Beware the wall-mounted hairdryer"}, []string{"Business news in pictures", "Star Wars boosts economy"})
}

// "Mira" and "Lea" open Spanish teasers ("MIRA: <a>...</a>") but are also names: a
// speaker's label in an interview stays, and nothing after it is cut.
func TestNameMarkersNeedLinks(t *testing.T) {
	if _, ok := seeAlsoMarker("Mira"); ok {
		t.Error("a bare name is a marker")
	}
	if rest, ok := seeAlsoMarker("MIRA: Madre se acerca a conocer los motivos"); !ok || rest == "" {
		t.Errorf("MIRA: teaser: %q %v", rest, ok)
	}
	paras := []string{strings.Repeat("Una respuesta larga de la entrevistada sobre su trabajo en el teatro. ", 5), "Mira", "Sí, claro.", "Lea", "No."}
	if got := trimTail(paras); len(got) != len(paras) {
		t.Errorf("trimTail cut an interview at a speaker's name: %q", got)
	}
}

func TestTrimTail(t *testing.T) {
	body := []string{
		strings.Repeat("The council met on Tuesday to discuss the new cycle lanes for the city centre. ", 3),
		strings.Repeat("Work on the lanes begins in April and should disturb traffic only at night. ", 3),
	}
	for _, tt := range []struct {
		name string
		tail []string
		keep int
	}{
		{"comments block", []string{"3 Kommentare", "Endlich!", "Zu teuer."}, 0},
		{"related list", []string{"Related articles", "Parking fees rise in January", "Library opens on Saturdays"}, 0},
		{"appeals", []string{"To view the full story, please subscribe to The Daily.", "Sign up for our newsletter."}, 0},
		{"a heading with a section after it", []string{"Comments", strings.Repeat("Residents commented at length on the plan during the hearing, which ran late. ", 4)}, 2},
		// A paywall notice ends the text however long the pitch after it; an app prompt
		// names the app.
		{"paywall and its pitch", []string{"Continue reading with a subscription to the Harbour Times: $1 for the first month.",
			strings.Repeat("Members get unlimited access to our reporting on the harbour and the town, and they get it first. ", 3),
			"Join today to get:", "— the morning briefing", "— the weekend magazine"}, 0},
		{"German paywall", []string{"Jetzt weiterlesen mit HT+ – abonnieren Sie unser Digitalabo.", "✓ Alle Artikel", "✓ Jederzeit kündbar"}, 0},
		{"Arabic paywall", []string{"لقراءة المقال كاملا اشترك في النسخة الرقمية.", "اشتراك شهري بدولار واحد"}, 0},
		{"named app prompt", []string{"For breaking news, download the Harbour Times app for iOS and Android."}, 0},
		{"a paywall notice with the article going on after it", []string{"Subscribe to read the full story of last year's flood on our archive pages.",
			strings.Repeat("The cycle lanes will link the station with the hospital and the university campus in the north. ", 5),
			strings.Repeat("Shop owners on the high street fear the loss of parking spaces outside their doors. ", 5)}, 3},
		{"an article sentence about subscriptions", []string{strings.Repeat("Subscriptions to the city's bike-share scheme doubled last year, the council said, and more are expected. ", 5)}, 1},
		{"call for tips", []string{"Do you have a story tip? Email: tips@harbourtimes.example."}, 0},
		{"German call for tips", []string{"Haben Sie einen Hinweis? Schreiben Sie an hinweise@harbourtimes.example."}, 0},
		{"a sentence about tips", []string{"Police said they had received dozens of tips from residents after the appeal."}, 1},
	} {
		got := trimTail(append(slices.Clone(body), tt.tail...))
		if len(got) != len(body)+tt.keep {
			t.Errorf("%s: kept %q", tt.name, got[len(body):])
		}
	}
	for _, head := range []string{
		"Submit your letter to the editor via this form. Read more Letters to the Editor.",
		"Send us your news tips and photos at news@harbourtimes.example.",
	} {
		if got := trimTail(append([]string{head}, body...)); len(got) != len(body) {
			t.Errorf("a call for letters or tips opening the text is kept: %q", got[0])
		}
	}
	lede := "Send-off for the harbour master: the town said goodbye to him on Friday after forty years."
	if got := trimTail(append([]string{lede}, body...)); len(got) != len(body)+1 {
		t.Errorf("a lede is no call for tips: %q", got)
	}
}

// Picture credits and a post's metadata line are no paragraphs of the article; captions
// and sentences that mention photos are.
func TestDropCreditsAndPostMeta(t *testing.T) {
	body := "The council met on Tuesday to discuss the new cycle lanes for the city centre."
	for _, tt := range []struct {
		name, para string
		drop       bool
	}{
		{"copyright credit", "© Anna Berg/Reuters", true},
		{"German credit", "Foto: dpa/Jens Büttner", true},
		{"credit label alone", "Bildnachweis:", true},
		{"two-part label", "Fotos/Illustration: Lea Roth", true},
		{"Arabic credit", "تصوير: خالد المنصوري", true},
		{"Spanish credit", "Imagen ilustrativa: Archivo", true},
		{"a sentence about photos", "Photos of the flood were shared thousands of times on Tuesday, the police said.", false},
		{"a long caption after a label", "Photo: the harbour at night, after the storm tore away part of the northern breakwater", false},
	} {
		got := dropCredits([]string{body, tt.para})
		if dropped := len(got) == 1; dropped != tt.drop {
			t.Errorf("%s: dropped %v, want %v", tt.name, dropped, tt.drop)
		}
	}
	for _, tt := range []struct {
		name, para string
		drop       bool
	}{
		{"blog line", "March 3, 2021 at 10:15 AM | categories: Travel, Food | 4 Comments", true},
		{"author, place and date", "Lena Hart | Brennport | 05/03/2024", true},
		{"site and date", "Harbour Times • 02.02.2022", true},
		{"no date among the parts", "Travel | Food | Culture", false},
		{"a long part is a sentence", "05/03/2024 | The council met on Tuesday to discuss the new cycle lanes in the centre", false},
	} {
		got, _ := dropPostMeta([]string{tt.para, body, body})
		if dropped := len(got) == 2; dropped != tt.drop {
			t.Errorf("%s: dropped %v, want %v", tt.name, dropped, tt.drop)
		}
	}
	// A date alone is dropped too, and the line's leading name is the writer; a place or
	// a button further along is not.
	for _, tt := range []struct {
		para  string
		drop  bool
		names []string
	}{
		{"الأحد 12 ربيع الأول 1446هـ الموافق 15 سبتمبر 2024م", true, nil},
		{"24 July 2015", true, nil},
		{"11.12.2019 - Amelie Loevenich", true, []string{"Amelie Loevenich"}},
		{"Lena Hart | Palma de Mallorca | 05/03/2024", true, []string{"Lena Hart"}},
		{"January 13, 2020 at 08:45 AM | categories: Python | View Comments", true, nil},
		{"January 13, 2020 | View Comments", true, nil},
		{"The council met on 24 July 2015.", false, nil},
	} {
		got, names := dropPostMeta([]string{tt.para, body})
		if dropped := len(got) == 1; dropped != tt.drop || !slices.Equal(names, tt.names) {
			t.Errorf("%q: dropped %v names %q, want %v %q", tt.para, dropped, names, tt.drop, tt.names)
		}
	}
	if got, _ := dropPostMeta([]string{"24 July 2015"}); len(got) != 1 {
		t.Errorf("a date that is the whole text is kept: %q", got)
	}
	if got, _ := dropPostMeta([]string{body, body, "Lena Hart | Brennport | 05/03/2024"}); len(got) != 3 {
		t.Errorf("a line after the head of the text is not the post's metadata: %q", got)
	}
}

func TestCutCreditsBlock(t *testing.T) {
	body := []string{
		"The council met on Tuesday to discuss the new cycle lanes for the city centre.",
		"What did you tell the mayor?",
		"That the lanes must be finished before the winter, or the shops will lose their customers.",
	}
	for _, tt := range []struct {
		name   string
		tail   []string
		keep   int
		byline string
	}{
		{"magazine credits", []string{"Words", "LENA HART", "PHOTOGRAPHER", "MARK OLSEN", "HAIR & MAKE-UP", "Ines Vogel"}, 3, "LENA HART"},
		{"German credits", []string{"Text", "Jana Roth", "Fotos", "Ole Brink"}, 3, "Jana Roth"},
		{"credits without a writer", []string{"Photography", "Mark Olsen", "Styling", "Ines Vogel"}, 3, ""},
		{"one pair is no block", []string{"Interview", "Lena Hart"}, 5, ""},
		{"names without roles", []string{"Guests", "Mark Olsen", "Hosts", "Ines Vogel"}, 7, ""},
		{"a sentence is no label", []string{"We spoke to the photographer.", "Mark Olsen", "Photos", "Ines Vogel"}, 7, ""},
	} {
		paras := append(slices.Clone(body), tt.tail...)
		got, byline := cutCreditsBlock(paras)
		if len(got) != tt.keep || byline != tt.byline {
			t.Errorf("%s: kept %d paragraphs with byline %q, want %d with %q", tt.name, len(got), byline, tt.keep, tt.byline)
		}
	}
	if got, _ := cutCreditsBlock([]string{"Photos", "Mark Olsen", "Styling", "Ines Vogel"}); len(got) != 4 {
		t.Errorf("a text that is all credits keeps them: %q", got)
	}
}
