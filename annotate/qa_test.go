package annotate

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// seedDocument builds the seed article's Document the way the text-scrape extractor does:
// the body runs from the lede ("ثمن سعادة السيد إرمان") to the end of the last answer
// ("...والإجرامية."), and the "حوار:" line is the byline.
func seedDocument(tb testing.TB) *schema.Document {
	tb.Helper()
	raw, err := os.ReadFile(testshared.Path(tb, "seed", "000_f78eaf531e9c49cc.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	text := string(raw)
	from := strings.Index(text, "ثمن سعادة السيد إرمان")
	const last = "والإجرامية."
	to := strings.LastIndex(text, last)
	if from < 0 || to < from {
		tb.Fatal("seed article: body markers not found")
	}
	body := text[from : to+len(last)]
	var paras []string
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	return &schema.Document{
		ID:     "seed",
		Title:  "السفير الكازاخي لـ الشرق: نقدر دعم قطر لاستقرار كازاخستان",
		Byline: []string{"عواطف بن علي"},
		Lang:   "ar",
		Text:   strings.Join(paras, "\n\n"),
	}
}

// loadFixture reads a testdata/builtin fixture: "key: value" header lines (title,
// byline, lang), a "---" line, then the body with paragraphs separated by blank lines.
func loadFixture(tb testing.TB, name string) *schema.Document {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "builtin", name))
	if err != nil {
		tb.Fatal(err)
	}
	head, body, ok := strings.Cut(string(raw), "\n---\n")
	if !ok {
		tb.Fatalf("%s: no --- line", name)
	}
	doc := &schema.Document{ID: name, Text: strings.TrimSpace(body)}
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, ":")
		v = strings.TrimSpace(v)
		switch k {
		case "title":
			doc.Title = v
		case "byline":
			doc.Byline = []string{v}
		case "lang":
			doc.Lang = v
		}
	}
	return doc
}

type wantTurn struct {
	label, speaker, role, start string
}

func checkTurns(t *testing.T, doc *schema.Document, items []schema.Item, want []wantTurn) {
	t.Helper()
	if len(items) != len(want) {
		for _, it := range items {
			t.Logf("got %s %q: %.50s", it.Label, it.Attrs[schema.AttrSpeaker], it.Text)
		}
		t.Fatalf("got %d turns, want %d", len(items), len(want))
	}
	for i, it := range items {
		w := want[i]
		if it.Label != w.label || it.Attrs[schema.AttrSpeaker] != w.speaker || it.Attrs[schema.AttrSpeakerRole] != w.role {
			t.Errorf("turn %d: got %s/%q/%s, want %s/%q/%s", i+1, it.Label, it.Attrs[schema.AttrSpeaker],
				it.Attrs[schema.AttrSpeakerRole], w.label, w.speaker, w.role)
		}
		if !strings.HasPrefix(it.Text, w.start) {
			t.Errorf("turn %d starts %.40q, want %q", i+1, it.Text, w.start)
		}
		got, err := schema.SliceCP(doc.Text, *it.Start, *it.End)
		if err != nil || got != it.Text {
			t.Errorf("turn %d: span [%d,%d) text differs from Item.Text (%v)", i+1, *it.Start, *it.End, err)
		}
		if it.Attrs[schema.AttrTurn] != strconv.Itoa(i+1) {
			t.Errorf("turn %d: attr turn = %q", i+1, it.Attrs[schema.AttrTurn])
		}
	}
}

func annotateQA(t *testing.T, doc *schema.Document) []schema.Item {
	t.Helper()
	items, err := NewQA().Annotate(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestQASeed(t *testing.T) {
	doc := seedDocument(t)
	items := annotateQA(t, doc)
	const iv, ie = "عواطف بن علي", "إرمان إيساغالييف"
	starts := []string{
		"كيف تنظرون الى موقف دولة قطر", "كان حضرة صاحب السمو",
		"هل يمكن تقديم فكرة", "نعم شهدت كازاخستان",
		"تحدث مسؤولو الحكومة", "لسوء الحظ، استغلت",
		"ماذا عن قطع الانترنت", "سبب التقييد المؤقت",
		"هل الحكومة الكازاخستانية منفتحة", "منذ الأيام الأولى",
		"كيف تنظرون الى ردود الفعل", "من الواضح أن عددًا",
		"لماذا لجأت كازاخستان", "بعد تقييم الوضع",
		"ما هي توقعاتك لمجرى الأحداث", "لقد صدرت تعليمات",
	}
	var want []wantTurn
	for i, s := range starts {
		if i%2 == 0 {
			want = append(want, wantTurn{"question", iv, "interviewer", s})
		} else {
			want = append(want, wantTurn{"answer", ie, "interviewee", s})
		}
	}
	checkTurns(t, doc, items, want)
	// The four-paragraph answer is one turn.
	if n := strings.Count(items[3].Text, "\n\n"); n != 3 {
		t.Errorf("answer 2 spans %d paragraph breaks, want 3", n)
	}
}

func TestQAFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []wantTurn
	}{
		{"en_qa_labels.txt", []wantTurn{
			{"question", "Tom Baker", "interviewer", "Q: How do you feel"},
			{"answer", "Maria Lopez", "interviewee", "A: I am delighted"},
			{"question", "Tom Baker", "interviewer", "Q: There are rumours"},
			{"answer", "Maria Lopez", "interviewee", "A: No. We will not"},
			{"question", "Tom Baker", "interviewer", "Q: What about"},
			{"answer", "Maria Lopez", "interviewee", "A: Construction"},
		}},
		{"en_transcript.txt", []wantTurn{
			{"question", "Rick Evans", "interviewer", "Rick: What first"},
			{"answer", "Amina Yusuf", "interviewee", "Yusuf: My grandmother"},
			{"question", "Rick Evans", "interviewer", "Rick: Are the droughts"},
			{"answer", "Amina Yusuf", "interviewee", "Yusuf: Yes, they are"},
			{"question", "Rick Evans", "interviewer", "Rick: What gives"},
			{"answer", "Amina Yusuf", "interviewee", "Yusuf: The farmers"},
		}},
		{"en_plain_questions.txt", []wantTurn{
			{"question", "Sarah Klein", "interviewer", "How would you describe"},
			{"answer", "John Smith", "interviewee", "They are excellent"},
			{"question", "Sarah Klein", "interviewer", "What are the main"},
			{"answer", "John Smith", "interviewee", "Bureaucracy, mostly"},
			{"question", "Sarah Klein", "interviewer", "Will there be"},
			{"answer", "John Smith", "interviewee", "Yes. The first"},
		}},
		{"ar_qa_labels.txt", []wantTurn{
			{"question", "سامي خليل", "interviewer", "س: ما هي توقعاتكم"},
			{"answer", "خالد المنصوري", "interviewee", "ج: نتوقع زيادة"},
			{"question", "سامي خليل", "interviewer", "س: وماذا عن"},
			{"answer", "خالد المنصوري", "interviewee", "ج: افتتحنا ثلاثة"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := loadFixture(t, tt.file)
			checkTurns(t, doc, annotateQA(t, doc), tt.want)
		})
	}
}

func TestQANotInterview(t *testing.T) {
	for _, doc := range []*schema.Document{
		loadFixture(t, "en_news.txt"),
		{Text: "Why now?\n\nBecause the vote is close.\n\nWho decides?\n\nThe courts."}, // two pairs, no cue
		// a list with recurring "NAME:" labels but no questions
		{Text: "New laws take effect.\n\nCalifornia: Students may join teams.\n\nOregon: Leave is expanded.\n\n" +
			"California: Food stamps for youth.\n\nOregon: No password demands.\n\nCalifornia: Shark fins banned."},
		// a court story: questions are quoted, and there are few of them among many paragraphs
		{Text: "The justices heard the case.\n\nAlito asked: “Is that your answer?”\n\nShe said no.\n\n" +
			"Unprecedented, but to what end?\n\nThe court will rule.\n\n“Do you dispute that?” he asked?\n\nShe did not.\n\n" +
			"Was it fair?\n\nLawyers disagree.\n\nThe ruling is due in June.\n\nMore hearings follow.\n\nThe vote may be close.\n\n" +
			"Observers expect a split.\n\nThe term ends soon.\n\nAnother case is pending.\n\nIt concerns vaccines."},
		{Text: "One paragraph only?"},
		{Text: ""},
	} {
		if items := annotateQA(t, doc); len(items) != 0 {
			t.Errorf("%q: got %d turns, want none (not an interview)", firstRunes(doc.Text, 30), len(items))
		}
	}
}

// seedLoader is the test's stand-in for corpus extraction: it returns the seed Document
// for the seed article and fails for anything else.
func seedLoader(tb testing.TB) func(path, format string) (schema.Document, error) {
	return func(path, format string) (schema.Document, error) {
		if filepath.Base(path) != "000_f78eaf531e9c49cc.txt" || format != "text" {
			return schema.Document{}, fmt.Errorf("test loader: unexpected article %s (%s)", path, format)
		}
		return *seedDocument(tb), nil
	}
}

// extractHTMLFixture extracts one of corpus's HTML fixtures the way ingest does.
func extractHTMLFixture(t *testing.T, name string) *schema.Document {
	t.Helper()
	path := filepath.Join("..", "corpus", "testdata", "extract", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := corpus.Extract(corpus.Raw{Data: data, Format: "html", Path: path}, corpus.ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &doc
}

// withoutBold returns a copy of doc without the bold-paragraph evidence.
func withoutBold(doc *schema.Document) *schema.Document {
	c := *doc
	c.Meta = maps.Clone(doc.Meta)
	delete(c.Meta, corpus.MetaBoldParagraphs)
	return &c
}

// HTML interviews whose questions are set in bold, extracted and annotated end to end.
func TestQABoldHTML(t *testing.T) {
	t.Run("english prompts without question marks", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_interview_bold.html")
		const iv, ie = "Daniel Reyes", "Mara Okafor"
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, []wantTurn{
			{"question", iv, "interviewer", "Tell us about your childhood"},
			{"answer", ie, "interviewee", "I grew up in Onitsha"},
			{"question", iv, "interviewer", "What first drew you"},
			{"answer", ie, "interviewee", "It was the one thing"},
			{"question", iv, "interviewer", "Describe a working day"},
			{"answer", ie, "interviewee", "I start early"},
			{"question", iv, "interviewer", "How has the river changed"},
			{"answer", ie, "interviewee", "It is narrower"},
			{"question", iv, "interviewer", "Finally, tell us"},
			{"answer", ie, "interviewee", "There are twenty-two"},
		})
		if n := strings.Count(items[5].Text, "\n\n"); n != 2 {
			t.Errorf("the three-paragraph answer spans %d paragraph breaks, want 2", n)
		}
		// The questions carry no "?": without the bold evidence this is no interview.
		if items := annotateQA(t, withoutBold(doc)); len(items) != 0 {
			t.Errorf("without bold: %d turns, want none", len(items))
		}
	})
	t.Run("arabic questions ending in ؟", func(t *testing.T) {
		doc := extractHTMLFixture(t, "ar_interview_bold.html")
		const iv, ie = "سامي خليل", "ليلى حداد"
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, []wantTurn{
			{"question", iv, "interviewer", "كيف كانت بدايتك"},
			{"answer", ie, "interviewee", "بدأت في مسرح المدرسة"},
			{"question", iv, "interviewer", "لماذا غبت"},
			{"answer", ie, "interviewee", "كنت أبحث"},
			{"question", iv, "interviewer", "ما الذي يميز"},
			{"answer", ie, "interviewee", "المسرحية تحكي"},
			{"question", iv, "interviewer", "هل ما زال"},
			{"answer", ie, "interviewee", "نعم، وأكثر"},
		})
		// Bold questions that end in "؟" segment as the question marks alone do.
		if plain := annotateQA(t, withoutBold(doc)); !reflect.DeepEqual(plain, items) {
			t.Errorf("bold evidence changed a question-mark interview:\n%v\n%v", items, plain)
		}
	})
	t.Run("news with bold subheadings", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_news_bold_subheadings.html")
		if _, ok := doc.Meta[corpus.MetaBoldParagraphs]; !ok {
			t.Fatal("fixture lost its bold subheadings")
		}
		if items := annotateQA(t, doc); len(items) != 0 {
			t.Errorf("got %d turns, want none", len(items))
		}
	})
	t.Run("stored document", func(t *testing.T) {
		// After a round trip through the store the indexes are a JSON array.
		doc := extractHTMLFixture(t, "en_interview_bold.html")
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		var stored schema.Document
		if err := json.Unmarshal(b, &stored); err != nil {
			t.Fatal(err)
		}
		if got, want := annotateQA(t, &stored), annotateQA(t, doc); !reflect.DeepEqual(got, want) {
			t.Errorf("stored document: %d turns, want %d", len(got), len(want))
		}
	})
}

func TestClassifyBold(t *testing.T) {
	for _, tt := range []struct {
		text string
		want boldKind
	}{
		{"Will taxes rise?", boldQuestion},
		{"What first drew you to painting water", boldQuestion},
		{"How did the negotiations in Geneva end", boldQuestion},
		{"Why it matters", boldHeading},
		{"What happens next", boldHeading},
		{"ماذا بعد", boldHeading},
		{"هل ما زال للمسرح جمهور؟", boldQuestion},
		{"وكيف تنظرون إلى موقف الحكومة من الأزمة", boldQuestion},
		{"Tell us about your childhood.", boldPrompt},
		{"Das müssen Sie erklären …", boldPrompt},
		{"Anne:", boldLabel},
		{"Libraries lose out", boldHeading},
		{strings.Repeat("word ", 35) + "end.", boldPassage},
	} {
		if got := classifyBold(tt.text); got != tt.want {
			t.Errorf("classifyBold(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

// Real pages of the shared extraction sets: a German interview whose bold questions do
// not all end in "?", and pages whose bold subheadings, list items or emphasised passages
// must not read as interviews.
func TestQABoldSharedPages(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts real pages")
	}
	extract := func(rel ...string) *schema.Document {
		path := testshared.Path(t, rel...)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := corpus.Extract(corpus.Raw{Data: data, Format: "html", Path: path}, corpus.ExtractOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return &doc
	}
	doc := extract("data", "trafilatura", "pages", "cicero.de.pandemie.html")
	items := annotateQA(t, doc)
	questions := 0
	for _, it := range items {
		if it.Label == "question" {
			questions++
		}
	}
	if len(items) != 20 || questions != 10 || !strings.HasPrefix(items[len(items)-2].Text, "Das müssen Sie erklären") {
		t.Errorf("cicero interview: %d turns, %d questions", len(items), questions)
	}
	for _, rel := range [][]string{
		{"trafilatura", "pages", "haustiermagazin.com-katzenspielzeug.html"},
		{"trafilatura", "pages", "moritz-meyer.net.vreni.html"},
		{"trafilatura", "pages", "financescout24.de.autokredit.html"},
		{"trafilatura", "pages", "mesopinions.com.mutilation.html"},
		{"trafilatura", "pages", "fivethirtyeight.com.endorsement.html"},
		{"readability", "pages", "lifehacker-working", "source.html"},
		{"newspaper4k", "html", "article_with_br.html"},
	} {
		doc := extract(append([]string{"data"}, rel...)...)
		if _, ok := doc.Meta[corpus.MetaBoldParagraphs]; !ok {
			t.Errorf("%s: no bold paragraphs found", rel[len(rel)-1])
		}
		if items := annotateQA(t, doc); len(items) != 0 {
			t.Errorf("%s: %d turns, want none", rel[len(rel)-1], len(items))
		}
	}
}
