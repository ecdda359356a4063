package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
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
	return readFixture(tb, filepath.Join("testdata", "builtin", name))
}

// loadQAFixture reads a testdata/qa fixture (same format as loadFixture).
func loadQAFixture(tb testing.TB, name string) *schema.Document {
	tb.Helper()
	return readFixture(tb, filepath.Join("testdata", "qa", name))
}

func readFixture(tb testing.TB, path string) *schema.Document {
	tb.Helper()
	name := filepath.Base(path)
	raw, err := os.ReadFile(path)
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

// withoutBold returns a copy of doc without the evidence of its type: bold and italic
// paragraphs, bold leads.
func withoutBold(doc *schema.Document) *schema.Document {
	c := *doc
	c.Meta = maps.Clone(doc.Meta)
	delete(c.Meta, schema.MetaBoldParagraphs)
	delete(c.Meta, schema.MetaBoldLeads)
	delete(c.Meta, schema.MetaItalicParagraphs)
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
	// A bold statement put to the interviewee before the first question is part of it,
	// as "Your critics say …" is in the middle.
	t.Run("english statement before the first question", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_interview_bold_preamble.html")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("Lucy Gray", "Magnus Berg",
			"You have said chess is a sport of nerves", "I slept a lot",
			"Do you still enjoy", "More than ever",
			"Your critics say", "They said that",
			"What would you change", "Shorter tournaments"))
		if !strings.Contains(items[0].Text, "How did you keep calm?") {
			t.Errorf("first question %q lost its question", items[0].Text)
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
	// "<p><strong>Question?</strong> Answer …</p>": each paragraph holds a turn of each
	// side; the first sets the answerer's label in bold with the question, the second is a
	// request, not a question.
	t.Run("english questions opening their answers' paragraphs", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_interview_bold_leads.html")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("Hannah Lee", "Luis Romero",
			"When did you first cook for other people?", "Luis Romero: I was eleven",
			"Describe a Monday for us.", "I am at the fish market",
			"Which mistake taught you the most?", "Opening a second restaurant",
			"Is there a dish", "The octopus"))
		if q := items[0].Text; strings.Contains(q, "Luis Romero") {
			t.Errorf("first question %q took the answerer's label", q)
		}
		if items := annotateQA(t, withoutBold(doc)); len(items) != 0 {
			t.Errorf("without bold: %d turns, want none", len(items))
		}
	})
	// Impersonal questions ("ما حقيقة …؟") put to a minister: the vocative that opens
	// the first says they are put to someone, as do the answers, which speak as "we".
	t.Run("arabic impersonal questions after a vocative", func(t *testing.T) {
		doc := extractHTMLFixture(t, "ar_interview_vocative.html")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("ريم العتيبي", "خالد المنصور",
			"معالي الوزير، ما حقيقة", "التأخير حقيقي",
			"ما الجدول الزمني", "نعمل الآن",
			"وما كلفة", "الكلفة في حدود",
			"وما مصير العقود", "العقود قائمة"))
		path := filepath.Join("..", "corpus", "testdata", "extract", "ar_interview_vocative.html")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		unaddressed := bytes.Replace(data, []byte("معالي الوزير، "), nil, 1)
		plain, err := corpus.Extract(corpus.Raw{Data: unaddressed, Format: "html", Path: path}, corpus.ExtractOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Without it, the lede's cue and answers that speak as "we" still say interview.
		if items := annotateQA(t, &plain); len(items) != 8 {
			t.Errorf("without the vocative: %d turns, want 8", len(items))
		}
		// Without the lede's "في حوار مع", the byline's "حوار:" still says interview; the
		// stored byline holds the name only, and the credit is kept in Meta.
		uncued := bytes.Replace(data, []byte("في حوار مع «المسار» "), nil, 1)
		credited, err := corpus.Extract(corpus.Raw{Data: uncued, Format: "html", Path: path}, corpus.ExtractOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if items := annotateQA(t, &credited); len(items) != 8 {
			t.Errorf("credited in the byline only: %d turns, want 8", len(items))
		}
		delete(credited.Meta, schema.MetaInterviewCredit)
		if items := annotateQA(t, &credited); len(items) != 0 {
			t.Errorf("no cue at all: %d turns, want none", len(items))
		}
	})
	// Questions set as <h3> headings, most of them prompts without "?": headings are bold
	// type, and read as bold questions are.
	t.Run("english prompts set as headings", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_interview_headings.html")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("Daniel Reyes", "Mara Okafor",
			"Tell us about your childhood", "I grew up in Onitsha",
			"What first drew you", "It was the one thing",
			"Describe a working day", "I start early",
			"How has the river changed", "It is narrower",
			"Finally, tell us", "There are twenty-two"))
		if items := annotateQA(t, withoutBold(doc)); len(items) != 0 {
			t.Errorf("without the headings' bold: %d turns, want none", len(items))
		}
	})
	// A bold statement without final punctuation between an answer and a plain
	// paragraph, in an interview, is put to the interviewee ("… نقص مياه الري في الصيف",
	// then "هذا صحيح"): a subheading there would be followed by the next question. A short
	// subheading before a question, and a title-cased one, stay headings.
	t.Run("unpunctuated statements put to the interviewee", func(t *testing.T) {
		doc := extractHTMLFixture(t, "ar_interview_bold_statement.html")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("ليلى حداد", "كريم النابلسي",
			"كيف وصلتم", "بالمطر أولا",
			"هل ستنخفض", "الأسعار ثابتة",
			"المزارعون يشكون", "هذا صحيح",
			"وما الذي ستقدمونه", "قروضا بلا فوائد"))
		if strings.Contains(items[6].Text, "ملف الدعم") {
			t.Errorf("the subheading joined the question: %q", items[6].Text)
		}
		doc = extractHTMLFixture(t, "en_interview_bold_statement.html")
		items = annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("Clara Mendes", "Tomas Reyes",
			"Where were you", "I was on the pier",
			"How bad was the damage", "The east pier lost",
			"Some people say", "I understand that",
			"Is the June date", "It is tight"))
		if !strings.Contains(items[5].Text, "The council has set aside") {
			t.Errorf("the title-cased heading opened a turn: answer %q", items[5].Text)
		}
	})
	// The paper meeting the person ("وقد التقته «الضفة»", "التقيناه") says interview, as
	// "حاورته" does: three bold questions whose answers speak little in the first person
	// are an interview then. A minister meeting his counterpart says nothing of the kind.
	t.Run("arabic lede where the paper met the person", func(t *testing.T) {
		doc := extractHTMLFixture(t, "ar_interview_met_br.html")
		want := alternate("رامي يوسف", "سليم الأحمد", "متى كتبت", "في الثانية عشرة", "وما الذي تغير", "صرت أكتب", "هل تكتب", "لا، القصيدة")
		checkTurns(t, doc, annotateQA(t, doc), want)
		we := *doc
		we.Text = strings.Replace(doc.Text, "وقد التقته «الضفة» في مقهى", "وقد التقيناه في مقهى", 1)
		checkTurns(t, &we, annotateQA(t, &we), want)
		news := extractHTMLFixture(t, "ar_news_minister_met.html")
		if items := annotateQA(t, news); len(items) != 0 {
			t.Errorf("a minister meeting his counterpart, bold questions answered impersonally: %d turns, want none", len(items))
		}
	})
	// Magazines that set their questions in italics: read as bold questions are, so a
	// statement put to the interviewee is a question too.
	t.Run("english questions set in italics", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_interview_italic.html")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("Tom Reyes", "Ines Varga",
			"Your new opera is set", "Night is when people",
			"Tell us about the letters", "There are about two hundred",
			"You never compose at a piano", "No. The piano tells you",
			"What did your teachers", "Patience, mostly",
			"And what comes next", "A piece for children"))
		for _, it := range annotateQA(t, withoutBold(doc)) {
			if strings.HasPrefix(it.Text, "You never compose") {
				t.Errorf("without the italics the statement %q is still a question: the test shows nothing", it.Text)
			}
		}
	})
	// A lede that says the outlet asked a named expert ("We asked Dr. Elena Marsh …") is
	// an interview cue: the bold questions put nothing to her by "you", and her answers
	// speak as "I".
	t.Run("english questions put to an expert", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_expert_qa_we_asked.html")
		checkTurns(t, doc, annotateQA(t, doc), alternate("Paul Kim", "Elena Marsh",
			"Is the new variant", "So far we see", "Should people get", "If you are over",
			"Will schools have", "I do not expect"))
	})
	// A pull quote set in bold between an answer's paragraphs repeats a sentence of the
	// answer word for word: it is no question, and the bold question after it still
	// opens its turn.
	t.Run("english pull quote", func(t *testing.T) {
		doc := extractHTMLFixture(t, "en_interview_bold_pullquote.html")
		checkTurns(t, doc, annotateQA(t, doc), alternate("Maya Lund", "Jonah Whitfield",
			"How did the project", "With a phone call", "What was the hardest", "The permits",
			"What would you tell", "Find a partner", "And what comes next", "A season of new plays"))
	})
	// Bold and italics that are no interview: an explainer's questions heading its
	// paragraphs or set as headings, answered impersonally; a news story's bold
	// subheadings; italic captions and a credit line, or quoted verse in a review, between
	// plain paragraphs; an explainer whose lede asked readers for their questions.
	for _, tt := range []struct {
		file string
		kept func(*schema.Document) bool // the fixture still has its bold or italic evidence
	}{
		{"en_explainer_bold_leads.html", func(d *schema.Document) bool { return len(d.BoldLeads()) == 4 }},
		{"en_explainer_headings.html", func(d *schema.Document) bool { return len(d.BoldParagraphs()) == 4 }},
		{"en_news_bold_subheadings.html", func(d *schema.Document) bool { return len(d.BoldParagraphs()) > 0 }},
		{"en_news_italic_captions.html", func(d *schema.Document) bool { return len(d.ItalicParagraphs()) == 5 }},
		{"en_review_italic_quotes.html", func(d *schema.Document) bool { return len(d.ItalicParagraphs()) == 5 }},
		{"en_explainer_we_asked.html", func(d *schema.Document) bool { return len(d.BoldParagraphs()) == 4 }},
	} {
		t.Run(tt.file, func(t *testing.T) {
			doc := extractHTMLFixture(t, tt.file)
			if !tt.kept(doc) {
				t.Fatalf("fixture lost its type: bold paragraphs %v, leads %v, italic paragraphs %v", doc.BoldParagraphs(), doc.BoldLeads(), doc.ItalicParagraphs())
			}
			if items := annotateQA(t, doc); len(items) != 0 {
				t.Errorf("got %d turns, want none", len(items))
			}
		})
	}
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

// fixtureTurns is a fixture of testdata/qa and the turns it must get: alternating
// questions by iv and answers by ie, opening with starts.
type fixtureTurns struct {
	file, iv, ie string
	starts       []string
}

func checkFixtureTurns(t *testing.T, cases []fixtureTurns) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.file, func(t *testing.T) {
			doc := loadQAFixture(t, tt.file)
			checkTurns(t, doc, annotateQA(t, doc), alternate(tt.iv, tt.ie, tt.starts...))
		})
	}
}

// Interviews whose questions end in "?"/"؟" but for a few requests put as statements
// ("Describe a day in the studio.", "حدثينا عن بداياتك"): each request is a question,
// the first one too, where before the request and its answer joined the answer before.
func TestQARequests(t *testing.T) {
	checkFixtureTurns(t, []fixtureTurns{
		{"requests_ar.txt", "سالم الدوسري", "منى العلي", []string{
			"حدثينا عن بداياتك", "بدأت أرسم", "كيف تختارين", "لا أختارها", "ما الذي يميز", "في هذا المعرض",
			"صفي لنا يوما", "أستيقظ مع الفجر", "هل تفكرين", "نعم، لدي دعوة"}},
		{"requests_en.txt", "Sam Dawson", "Mona Ali", []string{
			"Tell us how you started", "On the walls", "How do you choose", "I don't", "What is different", "I left the loud",
			"Describe a day", "I get up at dawn", "Will you show", "Yes, a gallery"}},
		// The closing request for a last word takes no question mark.
		{"last_word_ar.txt", "خالد الشمري", "صالح بن محمد العتيبي", []string{
			"ما أبرز المشاريع", "لدينا ثلاثة", "وماذا عن المراكز", "المراكز الصحية", "هل تكفي", "نسعى إلى ذلك",
			"كلمة أخيرة", "أشكر المواطنين"}},
	})
	// A request alone is no evidence: an article of requests and statements is no interview.
	doc := &schema.Document{Lang: "en", Title: "Share your flood photos", Text: "The river burst its banks on Sunday.\n\n" +
		"Tell us what you saw.\n\nReaders have sent hundreds of pictures since the weekend.\n\n" +
		"Describe the damage to your street.\n\nThe council will use the reports to plan repairs."}
	if items := annotateQA(t, doc); len(items) != 0 {
		t.Errorf("requests without questions: %d turns, want none", len(items))
	}
}

// An answer that ends on a rhetorical question is the interviewee's, not the first part
// of the next question.
func TestQARhetoricalAnswer(t *testing.T) {
	checkFixtureTurns(t, []fixtureTurns{
		{"rhetorical_ar.txt", "سالم الدوسري", "فهد الزهراني", []string{
			"كيف ترد", "التأخير حصل", "وماذا عن الكلفة", "الكلفة لم تتضاعف",
			"متى يفتتح", "نتوقع الافتتاح", "هل ستستمع", "بالطبع"}},
		{"rhetorical_en.txt", "Clara Wynn", "Dan Hollis", []string{
			"What do you say", "The delay came", "And the cost", "It has not doubled",
			"When will the seafront", "Before the summer", "Will you listen", "We already have"}},
	})
}

// "Five questions for …" numbers its questions as a FAQ does; the answers, in the first
// person, tell it from one (TestQANotInterviewShapes keeps the FAQ without turns).
func TestQANumberedInterview(t *testing.T) {
	checkFixtureTurns(t, []fixtureTurns{
		{"numbered_en.txt", "Sam Dawson", "Mona Ali", []string{
			"1. Tell us how you started", "On the walls", "2. How do you choose", "I don't",
			"3. What is different", "I left the loud", "4. Describe a day", "I get up at dawn",
			"5. Will you show", "Yes, a gallery"}},
	})
	// The numbers count the questions, so the next number opens the next question though
	// it lacks its question mark; a list inside an answer has numbers of its own, and
	// after it the count is lost.
	ar := func(text string) *schema.Document {
		return &schema.Document{Lang: "ar", Title: "وزير الصحة لـ«المدينة»: نعمل على توسيع الخدمات", Byline: []string{"جدة: خالد المالكي"},
			Text: "أكد وزير الصحة الدكتور سعد الحربي أن الوزارة تعمل على خطة شاملة، و«المدينة» أجرت معه هذا الحوار:\n\n" + text}
	}
	numbered := "1- معالي الوزير، متى تنتهي مشروعاتكم المتعثرة؟\n\nأغلب المشروعات عولجت، وبقي عدد قليل أتابعه بنفسي.\n\n" +
		"2- وماذا عن نقص الكوادر في المناطق البعيدة لديكم؟\n\nوضعنا حوافز للأطباء، وأنا أرى نتائجها.\n\n" +
		"3- هل لديكم نية لخصخصة بعض المستشفيات\n\nالخصخصة ليست هدفا بذاتها عندي، وإنما الخدمة."
	doc := ar(numbered)
	checkTurns(t, doc, annotateQA(t, doc), alternate("خالد المالكي", "سعد الحربي",
		"1- معالي الوزير", "أغلب المشروعات", "2- وماذا عن", "وضعنا حوافز", "3- هل لديكم", "الخصخصة ليست"))
	withList := strings.Replace(numbered, "وضعنا حوافز للأطباء، وأنا أرى نتائجها.",
		"لدينا خطة من ثلاث خطوات:\n\n1- حوافز للأطباء.\n\n2- سكن قريب من المستشفى.", 1)
	withList = strings.Replace(withList, "3- هل لديكم نية", "3- ولديكم نية", 1)
	doc = ar(withList)
	checkTurns(t, doc, annotateQA(t, doc), alternate("خالد المالكي", "سعد الحربي",
		"1- معالي الوزير", "أغلب المشروعات", "2- وماذا عن", "لدينا خطة"))

	// A shop's FAQ asks "you" and answers "we", numbered, but nothing says interview.
	doc = &schema.Document{Lang: "en", Title: "Delivery and returns", Text: "Everything about your order.\n\n" +
		"1. Do you ship abroad?\n\nYes, we ship to forty countries, and we show the cost before you pay.\n\n" +
		"2. Can you gift-wrap my order?\n\nWe can, for two euros, and we add a card with your message.\n\n" +
		"3. How long do you take to deliver?\n\nWe deliver within three working days in the country.\n\n" +
		"4. Do you take returns?\n\nWe take returns within thirty days, unworn and in the box."}
	if items := annotateQA(t, doc); len(items) != 0 {
		t.Errorf("shop FAQ: %d turns, want none", len(items))
	}
}

// A scrape that lost its line breaks sets "س: …؟ ج: …" in one paragraph, or the whole
// interview in one: each label opens a turn.
func TestQAInlineLabels(t *testing.T) {
	checkFixtureTurns(t, []fixtureTurns{
		{"inline_labels_ar.txt", "فهد القحطاني", "كارلوس مينديز", []string{
			"س: كيف تقيم", "ج: البداية جيدة", "س: ما رأيك", "ج: أنا راض", "س: هل تخشى", "ج: لا، لدينا",
			"س: ما هدفك", "ج: هدفنا اللقب"}},
		{"inline_labels_en.txt", "Owen Marsh", "Ines Duarte", []string{
			"Q: What changes", "A: Everything about", "Q: Are you worried", "A: I am, and",
			"Q: What do you tell", "A: I tell them"}},
	})
	// Prose that mentions "A:" after a sentence is not cut: its paragraph opens with no label.
	doc := &schema.Document{Lang: "en", Title: "Exam tips", Text: "The exam has two parts.\n\n" +
		"Part one asks short questions. A: the answer sheet must be filled in pencil.\n\n" +
		"Part two is an essay."}
	if items := annotateQA(t, doc); len(items) != 0 {
		t.Errorf("prose: %d turns, want none", len(items))
	}
}

// A lede that mentions someone by office before it has the interviewee speak names the
// interviewee, not the person mentioned first.
func TestQALedeSpeakerBeforeMention(t *testing.T) {
	qa := "\n\nHow did you choose the paintings?\n\nI chose the ones I could not stop looking at, and I was strict about it.\n\n" +
		"What surprised you?\n\nHow many visitors came back a second time. We had not planned for that.\n\n" +
		"Will you do it again?\n\nYes, next spring, and I already have the first room in my head."
	for lede, want := range map[string]string{
		"A year after Prime Minister Rishi Sunak opened the gallery, its director Mona Ali talks about the show.": "Mona Ali",
		"Prime Minister Rishi Sunak opened the gallery a year ago.":                                               "Rishi Sunak",
	} {
		doc := &schema.Document{Lang: "en", Title: "A year of the gallery", Byline: []string{"Sam Dawson"}, Text: lede + qa}
		items := annotateQA(t, doc)
		if len(items) != 6 {
			t.Fatalf("%q: %d turns, want 6", lede, len(items))
		}
		if got := items[1].Attrs[schema.AttrSpeaker]; got != want {
			t.Errorf("%q: interviewee %q, want %q", lede, got, want)
		}
	}
}

// A role noun with a possessive ("مديرته", its director) is no part of the name after it.
func TestArRoleNounPossessive(t *testing.T) {
	for w, want := range map[string]bool{
		"مديرته": true, "رئيسها": true, "مدربهم": true, "مدير": true, "المديرة": true,
		"منى": false, "طلحة": false, "سامية": false,
	} {
		if got := arRoleNoun(fold(w)); got != want {
			t.Errorf("arRoleNoun(%q) = %v, want %v", w, got, want)
		}
	}
	checkLedeFirst(t, map[string]string{
		"بعد عام على افتتاح المعرض، تحدثت مديرته منى العلي عن موسمه الجديد.": "منى العلي",
		"وقال رئيسها سامي العنزي إن الفريق جاهز.":                            "سامي العنزي",
	})
}

func TestArNisba(t *testing.T) {
	for w, want := range map[string]bool{
		"التشكيلية": true, "الإعلامي": true, "الكويتية": true, "العلي": false, "الوليد": false,
		"منى": false, "الفنانة": false, "الحسن": false,
	} {
		if got := arNisba(w); got != want {
			t.Errorf("arNisba(%q) = %v, want %v", w, got, want)
		}
	}
	if got := stripDescriptors("التشكيلية منى العلي"); got != "منى العلي" {
		t.Errorf("stripDescriptors = %q, want منى العلي", got)
	}
	if got := stripDescriptors("الكويتي العلي"); got != "الكويتي العلي" {
		t.Errorf("stripDescriptors of two words = %q, want it unchanged", got)
	}
}

func TestQuestionAddresses(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want bool
	}{
		{"How did you start?", true},
		{"Mrs Stone, what happened next?", true},
		{"Herr Vilanek, was kostet das?", true},
		{"Meanwhile, what happens to prices?", false},
		{"What happens to prices?", false},
		{"Wie teuer ist das?", false},
		{"Was kostet Ihre Dienstleistung?", true},
		{"معالي الوزير، ما حقيقة ذلك؟", true},
		{"يا دكتور، ما الحل؟", true},
		{"دكتورة سامية، ما الحل؟", true},
		{"ما حقيقة ذلك؟", false},
		{"الشيخ الذي التقيناه أمس في المدينة، ما رأيه؟", false},
		{"كيف ترى المستقبل؟", true},
		{"ما رأيك؟", true},
		{"هل هناك حل؟", false},
	} {
		if got := addresses(tt.q); got != tt.want {
			t.Errorf("addresses(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// A byline left in the body names the interviewer when it is the label and a name alone.
func TestLedeInterviewerBodyByline(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"Von Gregory Lipinski", "Gregory Lipinski"},
		{"By Jane Roe", "Jane Roe"},
		{"بقلم: سارة أحمد", "سارة أحمد"},
		{"Interview by Hannah Lee", "Hannah Lee"},
		{"Von der Leyen sagt, die Kommission werde handeln.", ""},
		{"Von Berlin nach Hamburg", ""},
		{"By the river", ""},
	} {
		lede := []qaPara{classifyPara(schema.Paragraph{Text: tt.line})}
		if got, _ := ledeInterviewer(lede); got != tt.want {
			t.Errorf("ledeInterviewer(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
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
		if _, ok := doc.Meta[schema.MetaBoldParagraphs]; !ok {
			t.Errorf("%s: no bold paragraphs found", rel[len(rel)-1])
		}
		if items := annotateQA(t, doc); len(items) != 0 {
			t.Errorf("%s: %d turns, want none", rel[len(rel)-1], len(items))
		}
	}
}

// alternate builds the expected turns of a one-question-one-answer interview.
func alternate(iv, ie string, starts ...string) []wantTurn {
	var want []wantTurn
	for i, s := range starts {
		if i%2 == 0 {
			want = append(want, wantTurn{"question", iv, "interviewer", s})
		} else {
			want = append(want, wantTurn{"answer", ie, "interviewee", s})
		}
	}
	return want
}

// Questions that quote ("You called it «a project»... is that still so?") are questions;
// a question mark inside a quotation ("He asked me: «What did you write?»") is not.
func TestQAQuotedQuestions(t *testing.T) {
	t.Run("arabic", func(t *testing.T) {
		doc := loadQAFixture(t, "quoted_ar.txt")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("منى السالم", "سليم العباسي",
			"وصفت روايتك الأخيرة بأنها «رسالة", "لأنها كتبت",
			"كتب النقاد أن نهاية الرواية \"مفتوحة", "لا، أنا أؤمن",
			"قالت إحدى قارئاتك إن “البطل", "فيه شيء مني",
			"ماذا تقرأ الآن؟", "أقرأ الشعر"))
		if !strings.Contains(items[1].Text, "«ماذا كتبت اليوم؟»") {
			t.Errorf("the quoted question is not part of the first answer: %q", items[1].Text)
		}
	})
	t.Run("english", func(t *testing.T) {
		doc := loadQAFixture(t, "quoted_en.txt")
		checkTurns(t, doc, annotateQA(t, doc), alternate("Tom Hale", "Lena Marsh",
			"You once called the river “a machine", "Less than I did",
			"Critics say your new book is \"too quiet\"", "I say that quiet",
			"Your mother asked", "Because I have not",
			"What comes next?", "A year in the delta"))
	})
}

// Questions marked only by a leading marker, answers by another, no question marks.
func TestQAMarkersWithoutQuestionMarks(t *testing.T) {
	base := loadQAFixture(t, "markers_ar.txt")
	for _, pair := range [][2]string{{">", "-"}, {"*", "ـ"}, {"•", "••"}, {"..", "-"}, {"●", "ـ"}} {
		t.Run(pair[0]+" "+pair[1], func(t *testing.T) {
			var paras []string
			for _, p := range strings.Split(base.Text, "\n\n") {
				switch {
				case strings.HasPrefix(p, "> "):
					p = pair[0] + " " + p[2:]
				case strings.HasPrefix(p, "- "):
					p = pair[1] + " " + p[2:]
				}
				paras = append(paras, p)
			}
			doc := *base
			doc.Text = strings.Join(paras, "\n\n")
			if _, mode := analyseTurns(&doc); mode != "two-markers" {
				t.Errorf("segmented by %q, want the markers", mode)
			}
			items := annotateQA(t, &doc)
			checkTurns(t, &doc, items, alternate("ريم الحربي", "هالة النعيمي",
				pair[0]+" حدثينا عن طفولتك", pair[1]+" نشأت في بيت",
				pair[0]+" يقال إن بدايتك", pair[1]+" صحيح، وقفت",
				pair[0]+" فيلمك الأول", pair[1]+" كان ذلك جنونا",
				pair[0]+" رسالتك إلى المخرجات", pair[1]+" لا تنتظرن"))
			// The unmarked paragraph continues the first answer; the subheading is in no turn.
			if !strings.Contains(items[1].Text, "وكانت أمي") || strings.Contains(items[3].Text, "البدايات") {
				t.Errorf("answer 1 %q, answer 2 %q", items[1].Text, items[3].Text)
			}
		})
	}
}

// Inline speaker labels split turns and name speakers: the outlet, a first name, a full
// name and its short form.
func TestQASpeakerLabels(t *testing.T) {
	t.Run("arabic outlet and first name", func(t *testing.T) {
		doc := loadQAFixture(t, "labels_ar.txt")
		items := annotateQA(t, doc)
		checkTurns(t, doc, items, alternate("الضحى", "سامية الحربي",
			"الضحى: كيف تقرئين", "سامية: المشهد حي",
			"الضحى: لكن الجمهور قليل", "سامية: الجمهور قليل",
			"الضحى: حدثينا", "سامية: هو فرقة",
			"الضحى: وماذا بعد؟", "سامية: نحلم"))
		if !strings.Contains(items[3].Text, "وهذا ما نحاوله") {
			t.Errorf("unlabelled paragraph not in the answer: %q", items[3].Text)
		}
	})
	// "Interviewer:" names a part, not a person: the byline names who asked.
	t.Run("role labels", func(t *testing.T) {
		doc := schema.Document{Lang: "en", Title: "'We will win this': the coach speaks", Byline: []string{"Anna Berg"},
			Text: "Coach Daniel Price has led the team for ten years. Anna Berg met him before the final.\n\n" +
				"Interviewer: Are you nervous?\n\nPrice: Not at all. We have prepared for this all season.\n\n" +
				"Interviewer: What is your plan?\n\nPrice: Defend well and score on the break.\n\n" +
				"Interviewer: And after the final?\n\nPrice: A long holiday with my family."}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("Anna Berg", "Daniel Price",
			"Interviewer: Are", "Price: Not", "Interviewer: What", "Price: Defend", "Interviewer: And", "Price: A long"))
		ar := schema.Document{Lang: "ar", Title: "حوار مع الروائي خالد اليوسف", Byline: []string{"حاوره: فهد السالم"},
			Text: "التقينا الروائي خالد اليوسف في معرض الكتاب.\n\n" +
				"المحاور: ما جديدك؟\n\nاليوسف: رواية عن البحر أكتبها منذ عامين.\n\n" +
				"المحاور: ولماذا البحر؟\n\nاليوسف: لأنني ولدت قربه.\n\n" +
				"المحاور: متى تصدر؟\n\nاليوسف: في الربيع المقبل."}
		checkTurns(t, &ar, annotateQA(t, &ar), alternate("فهد السالم", "خالد اليوسف",
			"المحاور: ما", "اليوسف: رواية", "المحاور: ولماذا", "اليوسف: لأنني", "المحاور: متى", "اليوسف: في"))
	})
	// A round table: each guest's label is a title's abbreviation and the family name
	// ("د. العتيبي:" for الدكتور, "م. الشهري:" for المهندس), completed from the lede's one
	// writing of the name; the labels' own repeats do not count as writings of it.
	t.Run("round table with abbreviated titles", func(t *testing.T) {
		doc := schema.Document{Lang: "ar", Title: "ندوة «اليوم»: التستر التجاري يكلف الاقتصاد المليارات", Byline: []string{"أدار الندوة: فيصل الدوسري"},
			Text: "ناقشت الندوة ظاهرة التستر التجاري بمشاركة الخبير الاقتصادي الدكتور عبدالرحمن العتيبي، وعضو الغرفة التجارية المهندس ناصر الشهري.\n\n" +
				"فيصل: كيف تقدرون حجم التستر التجاري؟\n\nد. العتيبي: التقديرات تتراوح بين ثلاثين وأربعين مليار ريال.\n\nم. الشهري: أتفق، وقطاع المقاولات هو الأكثر تضررا.\n\n" +
				"فيصل: لماذا فشلت الحملات السابقة؟\n\nد. العتيبي: لأنها عالجت النتائج لا الأسباب.\n\nم. الشهري: وضعف العقوبات.\n\n" +
				"فيصل: ما الحل؟\n\nد. العتيبي: الدفع الإلكتروني في كل المحلات.\n\nم. الشهري: وتمويل ميسر للشباب."}
		const iv, ie1, ie2 = "فيصل الدوسري", "عبدالرحمن العتيبي", "ناصر الشهري"
		want := []wantTurn{
			{"question", iv, "interviewer", "فيصل: كيف"}, {"answer", ie1, "interviewee", "د. العتيبي: التقديرات"}, {"answer", ie2, "interviewee", "م. الشهري: أتفق"},
			{"question", iv, "interviewer", "فيصل: لماذا"}, {"answer", ie1, "interviewee", "د. العتيبي: لأنها"}, {"answer", ie2, "interviewee", "م. الشهري: وضعف"},
			{"question", iv, "interviewer", "فيصل: ما"}, {"answer", ie1, "interviewee", "د. العتيبي: الدفع"}, {"answer", ie2, "interviewee", "م. الشهري: وتمويل"},
		}
		checkTurns(t, &doc, annotateQA(t, &doc), want)
	})
	t.Run("an analyst described in the title, named in the lede", func(t *testing.T) {
		doc := schema.Document{Lang: "en", Title: "Analyst: oil will stay above $80", Byline: []string{"By Sam Lee"},
			Text: "Energy analyst Maria Gomez of Northbridge Capital expects prices to stay high.\n\nQ: Why?\n\nA: Supply is tight.\n\n" +
				"Q: For how long?\n\nA: At least a year.\n\nQ: And then?\n\nA: We will see."}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("Sam Lee", "Maria Gomez", "Q: Why", "A: Supply", "Q: For", "A: At", "Q: And", "A: We"))
	})
	// A family name of several words ("أبو راس", "آل الشيخ", "von der Leyen") is the
	// short form of the name the lede gives; one the lede does not complete stays as
	// written.
	t.Run("family names of several words", func(t *testing.T) {
		// Three questions by the outlet's label, each answered under label.
		interview := func(outlet string, questions, answers [3]string, label string) string {
			var b strings.Builder
			for i := range questions {
				b.WriteString("\n\n" + outlet + ": " + questions[i] + "\n\n" + label + ": " + answers[i])
			}
			return b.String()
		}
		ar := [2][3]string{{"متى تنتهي المشروعات؟", "وماذا عن الأحياء القديمة؟", "هل تكفي الميزانية؟"},
			{"نهاية العام المقبل.", "لدينا خطة لتطويرها.", "الميزانية معتمدة."}}
		en := [2][3]string{{"Is Europe ready?", "Who pays?", "And if they say no?"},
			{"Not yet, but we are closer.", "All of us.", "I will keep asking."}}
		for _, tt := range []struct {
			lang, outlet      string
			qa                [2][3]string
			lede, label, want string
		}{
			{"ar", "المدينة", ar, "كشف رئيس البلدية المهندس هاني أبو راس أن المشروعات تكتمل العام المقبل.", "أبو راس", "هاني أبو راس"},
			{"ar", "المدينة", ar, "أكد الوزير الشيخ عبد اللطيف آل الشيخ أن المشروعات تكتمل العام المقبل.", "آل الشيخ", "عبداللطيف آل الشيخ"},
			{"ar", "المدينة", ar, "أكد رجل الأعمال بكر بن لادن أن المشروعات تكتمل العام المقبل.", "بن لادن", "بكر بن لادن"},
			{"ar", "المدينة", ar, "أكد رئيس البلدية أن المشروعات تكتمل العام المقبل.", "أبو محمد", "أبو محمد"},
			{"en", "The Review", en, "President Ursula von der Leyen spoke to The Review in Strasbourg.", "Von der Leyen", "Ursula von der Leyen"},
			{"en", "The Review", en, "The actor Robert De Niro spoke to The Review in New York.", "De Niro", "Robert De Niro"},
			{"en", "The Review", en, "The mayor spoke to The Review at the town hall.", "De Leon", "De Leon"},
		} {
			doc := schema.Document{Lang: tt.lang, Title: "Interview", Text: tt.lede + interview(tt.outlet, tt.qa[0], tt.qa[1], tt.label)}
			var starts []string
			for i := range 3 {
				starts = append(starts, tt.outlet+": "+tt.qa[0][i], tt.label+": ")
			}
			checkTurns(t, &doc, annotateQA(t, &doc), alternate(tt.outlet, tt.want, starts...))
		}
	})
	t.Run("english outlet, full name and short form", func(t *testing.T) {
		doc := loadQAFixture(t, "labels_en.txt")
		checkTurns(t, doc, annotateQA(t, doc), alternate("The Economist", "Chidi Okafor",
			"The Economist: Let us start", "Chidi Okafor: It is ambitious",
			"The Economist: Tell us about", "Mr Okafor: The currency",
			"The Economist: And oil theft?", "Mr Okafor: We have cut",
			"The Economist: What keeps you", "Mr Okafor: Youth"))
	})
}

// Speaker names from the byline (dateline and lead word removed), the title ("X: …",
// "X لـ«Y»:"), the lede (honorific, reporting verb) and the outlet, as whole names: not
// a name plus the next words, not the opening sentence.
func TestQASpeakerNames(t *testing.T) {
	const arBody = "\n\n* ما أول ما تذكره من بدايتك؟\n\n- أذكر الملعب الترابي قرب البيت.\n\n" +
		"* وكيف ترى المستقبل؟\n\n- أراه مشرقا إن عملنا معا.\n\n* كلمة أخيرة؟\n\n- شكرا لكم."
	for _, tt := range []struct {
		name                  string
		doc                   schema.Document
		interviewer, answerer string
	}{
		{"title name, dateline byline", schema.Document{Title: "هاني الشمري: لن أعتزل قبل المونديال", Byline: []string{"جدة: نوال القحطاني"},
			Text: "أكد هاني الشمري لاعب المنتخب أنه مستمر."}, "نوال القحطاني", "هاني الشمري"},
		{"no byline, the reporter in the dateline line", schema.Document{Title: "وكيل الوزارة لـ«الجزيرة»: لا تأخير في المشاريع",
			Text: "الرياض - عبدالله المالكي:\n\nنفى وكيل وزارة الشؤون البلدية الدكتور فهد الزهراني في حوار مع «الجزيرة» وجود أي تأخير."}, "عبدالله المالكي", "فهد الزهراني"},
		{"no byline, the reporter before a listed city", schema.Document{SiteName: "الجزيرة",
			Text: "فيصل الدوسري - مكة المكرمة\n\nتحدث الشيخ سعد الحربي في حوار مع «الجزيرة» عن موسم الحج."}, "فيصل الدوسري", "سعد الحربي"},
		{"no byline, the outlet that met the interviewee asks", schema.Document{Title: "المخرجة سلمى الفارس: السينما ذاكرة المدن",
			Text: "تعد المخرجة سلمى الفارس من أبرز صناع الأفلام الوثائقية في الخليج.\n\n«المدينة» التقت الفارس في مهرجان البحر الأحمر وحاورتها عن فيلمها الجديد."}, "المدينة", "سلمى الفارس"},
		{"no byline, a dateline with the agency names no one", schema.Document{SiteName: "الجزيرة",
			Text: "الرياض - واس:\n\nتحدث الشيخ سعد الحربي في حوار مع «الجزيرة» عن موسم الحج."}, "الجزيرة", "سعد الحربي"},
		{"family name after آل", schema.Document{Title: "مدير التعليم لـ«المواطن»: لا تغيير في موعد الدراسة", Byline: []string{"حوار: سعد العتيبي"},
			Text: "أكد مدير التعليم بمنطقة عسير الأستاذ جلوي آل كركمان في حوار خاص مع «المواطن» أن موعد الدراسة لن يتغير."}, "سعد العتيبي", "جلوي آل كركمان"},
		// A description the text writes after a preposition with the article ("للقارئ
		// الجزائري") is still a description, not a family name.
		{"title description used after a preposition", schema.Document{Title: "الروائي الجزائري: الرواية العربية تعيش عصرها الذهبي", Byline: []string{"باريس - عمر الهاشمي"},
			Text: "يرى الروائي الجزائري سليم بن عيسى في حواره مع «الحياة» أن الرواية تكتب للقارئ الجزائري قبل غيره."}, "عمر الهاشمي", "سليم بن عيسى"},
		{"short title name with rank, fuller in the lede", schema.Document{Title: "اللواء الزهراني: الحدود آمنة", Byline: []string{"حوار: سعد العتيبي"},
			Text: "اللواء فهد بن سعد الزهراني قائد حرس الحدود تحدث عن خطط العام المقبل."}, "سعد العتيبي", "اللواء فهد بن سعد الزهراني"},
		{"surname in the title, compound in the lede", schema.Document{Title: "القحطاني: الرواية ديوان العرب", Byline: []string{"حاوره : ماجد الدوسري - الرياض :&nbsp;"},
			Text: "حاوره : ماجد الدوسري - الرياض : الكاتب الدكتور عبد الرحمن القحطاني تحدث عن روايته الجديدة."}, "ماجد الدوسري", "عبدالرحمن القحطاني"},
		{"honorific with a clitic, adjective after the name", schema.Document{Byline: []string{"\u00a0حاورها:بدر السبيعي"},
			Text: "لم أتوقع أن تتحول أسئلتي للدكتورة نجلاء الشهري الناجية من المرض إلى حوار بهذه الصراحة."}, "بدر السبيعي", "نجلاء الشهري"},
		{"reporting verb and a kinship word", schema.Document{Byline: []string{"حوار ـ محمد الزهراني"},
			Text: "كشف ماجد الغامدي والد اللاعب الدولي تفاصيل مسيرة ابنه منذ الطفولة."}, "محمد الزهراني", "ماجد الغامدي"},
		{"opening sentence with حوار is no byline; the site is the interviewer", schema.Document{SiteName: "عكاظ",
			Text: "حوار تغلب عليه العاصفة أكثر من العاطفة، أجريته مع الفنانة ليلى الأحمد بعد عودتها من السفر."}, "عكاظ", "ليلى الأحمد"},
		{"family name with a feminine ending, used alone later", schema.Document{Title: "وزير الصحة لـ«الرياض»: لا إصابات جديدة", Byline: []string{"حاوره: محمد العتيبي"},
			Text: "أكد وزير الصحة الدكتور توفيق الربيعة أن الوضع مطمئن. وأضاف الربيعة أن الوزارة تتابع الحالات."}, "محمد العتيبي", "توفيق الربيعة"},
		{"kicker before the title's person, adjectives of an occupation in the lede", schema.Document{Title: "في حوار مع «الوطن».. الخبير الاقتصادي فضل البوعينين: النفط سيتعافى",
			Byline: []string{"أجرى الحوار: علي القرني"}, Text: "توقع الخبير الاقتصادي فضل البوعينين تعافي أسعار النفط خلال عام."}, "علي القرني", "فضل البوعينين"},
		{"family name with a feminine ending after a man's given name", schema.Document{Title: "وزير الصحة لـ«الرياض»: لا إصابات جديدة", Byline: []string{"حاوره: محمد العتيبي"},
			Text: "أكد وزير الصحة الدكتور توفيق الربيعة أن الوضع مطمئن."}, "محمد العتيبي", "توفيق الربيعة"},
		{"family name with a plural ending after a compound given name", schema.Document{Title: "مدير الجامعة لـ«الرياض»: القبول يبدأ غدا", Byline: []string{"حاوره: محمد العتيبي"},
			Text: "أوضح مدير الجامعة الدكتور عبد الله الحسين أن القبول يبدأ غدا."}, "محمد العتيبي", "عبدالله الحسين"},
		{"an adjective after a woman's given name is no family name", schema.Document{Title: "الفنانة لـ«الوطن»: أعود قريبا", Byline: []string{"حوار: سارة القحطاني"},
			Text: "أكدت الفنانة الدكتورة هند الناجية من الحادث أنها بخير."}, "سارة القحطاني", "هند"},
		{"a description in the title ending in a word with the article is no name", schema.Document{Title: "رئيس الاتحاد السعودي لكرة القدم: المنتخب جاهز", Byline: []string{"الرياض - تركي الحربي"},
			Text: "أكد رئيس الاتحاد السعودي لكرة القدم ياسر المسحل أن المنتخب جاهز للتصفيات."}, "تركي الحربي", "ياسر المسحل"},
		{"a royal title inside an institution's name is no person", schema.Document{Title: "مدير جامعة الملك سعود: نستقبل عشرين ألف طالب", Byline: []string{"الرياض - نورة القحطاني"},
			Text: "أكد مدير جامعة الملك سعود الدكتور بدران العمر أن الجامعة ستستقبل عشرين ألف طالب."}, "نورة القحطاني", "بدران العمر"},
		{"lineage: the family name after the father's name", schema.Document{Title: "وزير الصحة لـ«الوطن»: 20 مستشفى جديدا", Byline: []string{"حوار: سارة القحطاني"},
			Text: "أكد وزير الصحة الدكتور أحمد بن سالم الخطيب أن الوزارة ستفتتح عشرين مستشفى."}, "سارة القحطاني", "أحمد بن سالم الخطيب"},
		{"lineage: an adjective after the father's name is no family name", schema.Document{Title: "الفنانة لـ«الوطن»: أعود قريبا", Byline: []string{"حوار: سارة القحطاني"},
			Text: "أكدت الفنانة الدكتورة هند بنت محمد الناجية من الحادث أنها بخير."}, "سارة القحطاني", "هند بنت محمد"},
		{"a word with the article before a name describes the person", schema.Document{Title: "الطالبة لـ«الوطن»: حلمي أن أصبح طبيبة", Byline: []string{"حوار: سارة القحطاني"},
			Text: "قالت الطالبة سارة الحربي إنها ستدرس الطب."}, "سارة القحطاني", "سارة الحربي"},
		{"a present-tense reporting verb after its subject is followed by what is said", schema.Document{Title: "رحلتي مع الكرة", Byline: []string{"حوار ـ محمد الزهراني"},
			Text: "شقيق اللاعب الدولي يروي قصصا طريفة عن طفولته\n\nكشف ماجد الغامدي شقيق اللاعب الدولي تفاصيل مسيرة أخيه منذ الطفولة."}, "محمد الزهراني", "ماجد الغامدي"},
		{"a deputy's office in the title describes the person the lede names", schema.Document{Title: "وكيل وزارة التعليم لـ«الرياض»: المناهج الجديدة جاهزة",
			Byline: []string{"حوار - نورة القحطاني"}, Text: "أكد وكيل وزارة التعليم للمناهج الدكتور سالم بن محمد الدوسري أن المناهج جاهزة."}, "نورة القحطاني", "سالم بن محمد الدوسري"},
		{"a given name that is also an office's feminine form stays a name", schema.Document{Title: "أمينة الوكيل: الرواية بيتي الأول", Byline: []string{"حوار: سارة القحطاني"},
			Text: "تحدثت الروائية أمينة الوكيل عن روايتها الجديدة."}, "سارة القحطاني", "أمينة الوكيل"},
		{"description in the title, outlet from the title", schema.Document{Title: "السفير الياباني لـ«الشرق»: نقدر دعم قطر",
			Text: "ثمن سعادة السيد كينجي تاناكا، سفير اليابان لدى الدوحة، العلاقات بين البلدين."}, "الشرق", "كينجي تاناكا"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc
			doc.Text += arBody
			items := annotateQA(t, &doc)
			if len(items) != 6 {
				t.Fatalf("got %d turns, want 6", len(items))
			}
			for _, it := range items {
				want := tt.answerer
				if it.Attrs[schema.AttrSpeakerRole] == "interviewer" {
					want = tt.interviewer
				}
				if got := it.Attrs[schema.AttrSpeaker]; got != want {
					t.Errorf("%s turn %s: speaker %q, want %q", it.Attrs[schema.AttrSpeakerRole], it.Attrs[schema.AttrTurn], got, want)
				}
			}
		})
	}
	t.Run("english title and byline", func(t *testing.T) {
		doc := schema.Document{Title: "Q&A: Maria Lopez on the club's future", Byline: []string{"By Tom Baker"}, Lang: "en",
			Text: "The club's owner talked about the season.\n\nQ: How do you feel?\n\nA: Delighted.\n\nQ: Will you sell?\n\nA: No."}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("Tom Baker", "Maria Lopez", "Q: How", "A: Delighted", "Q: Will", "A: No"))
	})
	// A desk byline names no one: the outlet the lede has speaking to him asks.
	t.Run("english desk byline, outlet in the lede", func(t *testing.T) {
		doc := schema.Document{Title: "Q&A: Chef Omar Haddad on feeding a city", Byline: []string{"Staff Reporter"}, Lang: "en",
			Text: "Chef Omar Haddad cooks 20,000 meals a night. Gulf News spoke to him between services.\n\nQ: How do you do it?\n\nA: With 140 people.\n\nQ: Do you eat?\n\nA: Always."}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("Gulf News", "Chef Omar Haddad", "Q: How", "A: With", "Q: Do", "A: Always"))
	})
}

// Arabic questions speak to the interviewee through the verb after the question word
// ("كيف ترى", "هل تعتقدون") as often as through a pronoun suffix, and answers say "ونحن"
// with the conjunction; a label's person is the given and family name, not the words of
// the sentence before them.
func TestQAArabicAddressAndLabels(t *testing.T) {
	body := "\n\nكيف ترى واقع التعليم اليوم؟\n\nالتعليم يتطور بسرعة، ونحن نعمل على تحسين المناهج.\n\n" +
		"وماذا عن المعلمين؟\n\nالمعلم هو أساس العملية التعليمية ونحن ندعمه.\n\n" +
		"هل تعتقدون أن الخطة كافية؟\n\nنعم، وسنعلن عنها قريبا."
	doc := schema.Document{Lang: "ar", Title: "د. عبدالله الربيعة لـ«الرياض»: التعليم أولويتنا", Byline: []string{"الرياض - سعد الدوسري"},
		Text: "أكد الدكتور عبدالله الربيعة أن التعليم أولوية." + body}
	checkTurns(t, &doc, annotateQA(t, &doc), alternate("سعد الدوسري", "عبدالله الربيعة",
		"كيف ترى", "التعليم يتطور", "وماذا عن", "المعلم هو", "هل تعتقدون", "نعم، وسنعلن"))

	labelled := schema.Document{Lang: "ar", Title: "المناهج ستتغير", Byline: []string{"حوار - فهد الحربي"}, SiteName: "المدينة",
		Text: "التقت «المدينة» مدير تعليم جدة عبدالله الثقفي، وكان هذا الحوار:\n\n" +
			"المدينة: كيف ترى واقع التعليم اليوم؟\n\nالثقفي: التعليم يتطور بسرعة، ونحن نعمل على تحسين المناهج.\n\n" +
			"المدينة: وماذا عن المعلمين؟\n\nالثقفي: المعلم هو أساس العملية التعليمية ونحن ندعمه.\n\n" +
			"المدينة: هل هناك خطط جديدة؟\n\nالثقفي: نعم، سنعلن عنها قريبا."}
	// The paper's name on the questions stands for the journalist the byline names, as the
	// gold names the interviewer ("بدر الغانمي (عكاظ)"); with no one named it is the outlet.
	checkTurns(t, &labelled, annotateQA(t, &labelled), alternate("فهد الحربي", "عبدالله الثقفي",
		"المدينة: كيف", "الثقفي: التعليم", "المدينة: وماذا", "الثقفي: المعلم", "المدينة: هل", "الثقفي: نعم"))
	labelled.Byline = nil
	checkTurns(t, &labelled, annotateQA(t, &labelled), alternate("المدينة", "عبدالله الثقفي",
		"المدينة: كيف", "الثقفي: التعليم", "المدينة: وماذا", "الثقفي: المعلم", "المدينة: هل", "الثقفي: نعم"))
	// A label in quotation marks is the paper's name even where the site is not given.
	quoted := schema.Document{Lang: "ar", Title: "رئيس الهيئة: السياحة الداخلية تنمو", Byline: []string{"الرياض - فهد العنزي"},
		Text: "أكد رئيس هيئة السياحة ماجد الحربي أن السياحة الداخلية تنمو.\n\n«الجزيرة»: ما أسباب هذا النمو؟\n\nالحربي: تنوع الوجهات.\n\n" +
			"«الجزيرة»: وماذا عن الأسعار؟\n\nالحربي: نراقبها.\n\n«الجزيرة»: ما خططكم للعام المقبل؟\n\nالحربي: عشر وجهات جديدة."}
	checkTurns(t, &quoted, annotateQA(t, &quoted), alternate("فهد العنزي", "ماجد الحربي",
		"«الجزيرة»: ما", "الحربي: تنوع", "«الجزيرة»: وماذا", "الحربي: نراقبها", "«الجزيرة»: ما خططكم", "الحربي: عشر"))
}

// A person named after the description of their office, without an honorific.
func TestArNameAfterRole(t *testing.T) {
	for text, want := range map[string]string{
		"أكد مدرب فريق الهلال الأول لكرة القدم البرتغالي جورجي جيسوس أن فريقه سيعود أقوى.":    "جورجي جيسوس",
		"قال وزير الخارجية السعودي عادل الجبير إن المملكة ترحب. وأضاف الجبير أن الاتفاق مهم.": "عادل الجبير",
		"قال وزير الخارجية السعودي عادل الجبير إن المملكة ترحب بالاتفاق.":                     "",
		"أكد مدير الشركة محمد العلي في تصريح أن الأرباح زادت.":                                "محمد العلي",
		"أكد رئيس نادي الهلال أن اللاعبين جاهزون.":                                            "",
		"أكد رئيس نادي الهلال أن الفريق جاهز للمباراة.":                                       "",
		"أكد قائد القوات الفريق سعيد العتيبي أن الحدود آمنة.":                                 "سعيد العتيبي",
		"أكد مدير عام الشركة أن العمل مستمر.":                                                 "",
		"قالت الطالبة سارة الحربي إنها ستدرس الطب.":                                           "سارة الحربي",
		"أكدت الدراسة نتائج مهمة للقطاع.":                                                     "",
		// After a common given name a word with the article is a family name.
		"أكد رئيس نادي الاتفاق خالد الدبل أن الفريق سيعود.": "خالد الدبل",
		"أكد رئيس النادي عبد الله الدبل أن الفريق سيعود.":   "عبد الله الدبل",
		// Where the office is held comes between it and the name.
		"قال رئيس الغرفة التجارية في المنطقة الشرقية عبدالحكيم الخالدي إن الصادرات زادت.": "عبدالحكيم الخالدي",
		"أكد مدير التعليم في جدة عبدالله الثقفي أن الدراسة مستمرة.":                       "عبدالله الثقفي",
		"قال مدير الشركة في تصريح له إن الأرباح زادت.":                                    "",
		// Offices in a chain, where the office is held bound to "ب", and "حوارا مع".
		"التقينا نائب رئيس مجلس إدارة الغرفة التجارية بجدة زياد البسام، وكان هذا الحوار.":              "زياد البسام",
		"أجرت «الرياض» حوارا مع وكيل وزارة الصناعة للشؤون الفنية عبدالرحمن العتيبي حول مستقبل القطاع.": "عبدالرحمن العتيبي",
		"أجرت «الرياض» لقاء مع عبدالرحمن العتيبي حول مستقبل القطاع.":                                   "عبدالرحمن العتيبي",
		"أجرت «الرياض» حوارا مع عدد من المسؤولين حول مستقبل القطاع.":                                   "",
		"في حديث مع «عكاظ» أكد الوزير أن القطاع واعد.":                                                 "",
		// The outlet between a meeting verb and its object.
		"حاورت «الرياض» الأمين العام لمجلس الغرف السعودية سعود المشاري.":                    "سعود المشاري",
		"التقت «الشرق الأوسط» وزير الإعلام عادل الطريفي في مكتبه.":                          "عادل الطريفي",
		"التقت «الرياض» عددا من المسؤولين في مكاتبهم.":                                      "",
		"ضيفنا اليوم هو رجل الأعمال المعروف عبدالله بن سعيد المبطي، رئيس مجلس الغرف سابقا.": "عبدالله بن سعيد المبطي",
		"ضيفتنا في هذا الحوار هي الروائية هند الحربي.":                                      "هند الحربي",
	} {
		var got string
		for _, c := range ledeNames(text, "ar", &surnameIndex{text: text}) {
			got = c.name
			break
		}
		if got != want {
			t.Errorf("%s: %q, want %q", text, got, want)
		}
	}
}

func TestBylineName(t *testing.T) {
	for in, want := range map[string][2]string{
		"جدة: أسماء الغابري":                      {"أسماء الغابري", ""},
		"محمد الجرادي من عدن":                     {"محمد الجرادي", ""},
		"حاورته في الرياض - نورة السبيعي":         {"نورة السبيعي", ""},
		"حوار: محمد الجرادي":                      {"محمد الجرادي", ""},
		"حوار ـ محمد المرحبي":                     {"محمد المرحبي", ""},
		"\u00a0حاورها:بدر الغانمي":                {"بدر الغانمي", ""},
		"حاوره : عبدالعزيز العصيمي - سبق :&nbsp;": {"عبدالعزيز العصيمي", "سبق"},
		"By Rick Evans":           {"Rick Evans", ""},
		"Interview by Tom Baker":  {"Tom Baker", ""},
		"Jane Doe, Reuters":       {"Jane Doe", "Reuters"},
		"12 يناير 2022":           {"", ""},
		"الرياض - فهد العتيبي":    {"فهد العتيبي", ""},
		"حوار وتصوير: نوف السالم": {"نوف السالم", ""},
		"تصوير: علي الشهري":       {"", ""},
		"Reuters":                 {"", "Reuters"},
		// A dateline city of two words has a name's shape; a listed place is no name.
		"مكة المكرمة - فيصل الدوسري":      {"فيصل الدوسري", ""},
		"المدينه المنوره - نورة القحطاني": {"نورة القحطاني", ""},
		"خميس مشيط - علي الشهري":          {"علي الشهري", ""},
		"فيصل الدوسري - مكة المكرمة":      {"فيصل الدوسري", ""},
		"حوار - سعد العتيبي - الرياض":     {"سعد العتيبي", "الرياض"},
		// No one named: the outlet and the dateline's city, in either order.
		"سبق- الرياض":  {"", "سبق"},
		"الرياض - واس": {"", "واس"},
		"جدة - عكاظ":   {"", "عكاظ"},
		// "Exclusive" beside the outlet names no one.
		"المواطن - خاص": {"", "المواطن"},
		"خاص - سبق":     {"", "سبق"},
		// The newsroom's credit names no one.
		"Staff Reporter": {"", ""},
		"مراسلنا":        {"", ""},
	} {
		if n, o := bylineName(in); n != want[0] || o != want[1] {
			t.Errorf("bylineName(%q) = %q, %q; want %q, %q", in, n, o, want[0], want[1])
		}
	}
}

// Two journalists of the byline take turns asking; one who asks once is still an
// interviewer. A byline name that only answers stays the interviewee. A role label
// ("الوزير:") is not joined to the lede's verb of meeting ("التقينا الوزير").
func TestQATwoInterviewers(t *testing.T) {
	en := schema.Document{Lang: "en", Title: "Two reporters, one mayor", Byline: []string{"Tom Fenn", "Alice Grey"},
		Text: "Mayor Carla Ruiz met us at city hall.\n\nTom Fenn: How is the budget looking?\n\n" +
			"Carla Ruiz: Tight, but balanced. We cut nothing that matters.\n\nAlice Grey: And the buses?\n\n" +
			"Carla Ruiz: Free for under-18s from September.\n\nTom Fenn: Will you run again?\n\nCarla Ruiz: Ask me in a year."}
	checkTurns(t, &en, annotateQA(t, &en), []wantTurn{
		{"question", "Tom Fenn", "interviewer", "Tom Fenn: How"}, {"answer", "Carla Ruiz", "interviewee", "Carla Ruiz: Tight"},
		{"question", "Alice Grey", "interviewer", "Alice Grey: And"}, {"answer", "Carla Ruiz", "interviewee", "Carla Ruiz: Free"},
		{"question", "Tom Fenn", "interviewer", "Tom Fenn: Will"}, {"answer", "Carla Ruiz", "interviewee", "Carla Ruiz: Ask"},
	})
	ar := schema.Document{Lang: "ar", Title: "وزير النقل: القطار يصل العام المقبل", Byline: []string{"فهد السالم", "سعد العتيبي"},
		Text: "التقينا الوزير في مكتبه.\n\nفهد السالم: متى يصل القطار؟\n\nالوزير: العام المقبل.\n\n" +
			"سعد العتيبي: وكم تبلغ تكلفته؟\n\nالوزير: عشرة مليارات.\n\nفهد السالم: هل ستنخفض الأسعار؟\n\nالوزير: نعم."}
	items := annotateQA(t, &ar)
	var roles []string
	for _, it := range items {
		roles = append(roles, it.Attrs[schema.AttrSpeaker]+"/"+it.Attrs[schema.AttrSpeakerRole])
	}
	if want := []string{"فهد السالم/interviewer", "الوزير/interviewee", "سعد العتيبي/interviewer", "الوزير/interviewee",
		"فهد السالم/interviewer", "الوزير/interviewee"}; !slices.Equal(roles, want) {
		t.Errorf("arabic: %q, want %q", roles, want)
	}
	// The interviewee shares the byline ("By Carla Ruiz and Tom Fenn") but asks nothing.
	en.Byline = []string{"Tom Fenn", "Carla Ruiz"}
	items = annotateQA(t, &en)
	if len(items) != 6 || items[1].Attrs[schema.AttrSpeakerRole] != "interviewee" {
		t.Errorf("interviewee in the byline: %d turns, turn 2 %q", len(items), items[min(1, len(items)-1)].Attrs[schema.AttrSpeakerRole])
	}
}

// A transcript's timestamps stand before its speaker labels ("[00:01:02] Maya Chen:"):
// the labels split and name the turns as they do without them. A time zone after the
// time ("14:05 GMT:") is part of it, not a label.
func TestQATranscriptTimestamps(t *testing.T) {
	for _, stamp := range []string{"[00:00:%02d] ", "(0:%02d) ", "00:%02d - "} {
		var b strings.Builder
		b.WriteString("An edited transcript of a conversation recorded last week.")
		lines := []string{"Oliver Hart: Where did Voltcell start?", "Maya Chen: In my garage, honestly. I had a box of cells.",
			"Oliver Hart: And now you have four factories. What changed?", "Maya Chen: We found a cheaper cathode.",
			"Oliver Hart: What keeps you up at night", "Maya Chen: Lithium prices. And my kids."}
		for i, l := range lines {
			b.WriteString("\n\n" + fmt.Sprintf(stamp, 10*i+5) + l)
		}
		doc := schema.Document{Lang: "en", Title: "Batteries, cathodes and sleep", Text: b.String()}
		items := annotateQA(t, &doc)
		var got []string
		for _, it := range items {
			got = append(got, it.Attrs[schema.AttrSpeaker])
		}
		want := []string{"Oliver Hart", "Maya Chen", "Oliver Hart", "Maya Chen", "Oliver Hart", "Maya Chen"}
		if !slices.Equal(got, want) {
			t.Errorf("stamps %q: speakers %q, want %q", stamp, got, want)
		}
	}
	// A live blog's entries open with the time and its zone, which is no speaker.
	blog := schema.Document{Lang: "en", Title: "Storm live: trains cancelled", Text: "14:05 GMT: All trains north of York are cancelled.\n\n" +
		"What does this mean for commuters?\n\n14:12 GMT: Commuters are advised to work from home.\n\n" +
		"Will schools close tomorrow?\n\n14:20 GMT: The council will decide by 6pm.\n\n" +
		"Is the storm getting worse?\n\n14:31 GMT: The warning is amber for the coast."}
	if items := annotateQA(t, &blog); len(items) != 0 {
		t.Errorf("live blog: %d turns, want none", len(items))
	}
}

func TestTitleSpeaker(t *testing.T) {
	for _, tt := range []struct {
		title, name string
		desc        bool
		outlet      string
	}{
		{"سمير جعجع: إيران عطلت الانتخابات", "سمير جعجع", false, ""},
		{"السفير الكازاخي لـ الشرق: نقدر دعم قطر", "السفير الكازاخي", true, "الشرق"},
		{"وزير الخارجية لـ«الحياة»: لا حل عسكريا", "وزير الخارجية", true, "الحياة"},
		{"عاجل: انقطاع الكهرباء في العاصمة", "", false, ""},
		{`Ambassador: "Trade is the bridge"`, "Ambassador", true, ""},
		{"Tim Cook: we will build it here", "Tim Cook", false, ""},
		{"Q&A: Jane Doe on the future of news", "Jane Doe", false, ""},
		{"Five things to know: the budget", "", false, ""},
		{"ننتظر «عاصفة وردية» للتخلص من تسلط الرجال", "", false, ""},
		{"سمير جعجع يكشف لـ«عكاظ»: لا رئيس قريبا", "سمير جعجع", false, "عكاظ"},
		{"محمد عبده في حوار مع «الرياض»: الفن رسالة", "محمد عبده", false, "الرياض"},
		{"Zadie Smith on writing at night", "Zadie Smith", false, ""},
		{"The Interview: Amina Yusuf", "Amina Yusuf", false, ""},
		{"Transcript: Maya Chen on building batteries", "Maya Chen", false, ""},
		{"Transcript: the budget in twelve charts", "", false, ""},
		{"في حوار مع «الوطن».. الخبير الاقتصادي فضل البوعينين: النفط سيتعافى", "الخبير الاقتصادي فضل البوعينين", true, "الوطن"},
		{"خاص | هند صبري: أحب السينما المستقلة", "هند صبري", false, ""},
		{"في المعرض: كتب كثيرة وقراء قليلون", "", false, ""},
		{"‘We were not ready’: Marta Ruiz on the storm", "Marta Ruiz", false, ""},
		{"Port chief Marta Ruiz: ‘We were not ready’", "Marta Ruiz", false, ""},
		{"Five questions for Marta Ruiz", "Marta Ruiz", false, ""},
		{"Five minutes with chef Luis Romero", "Luis Romero", false, ""},
		{"A conversation with the man who built the bridge", "", false, ""},
		{"Rebuilding after the storm: what comes next", "", false, ""},
		{"After the storm Ruiz: a year on", "", false, ""},
		{`"Not ready": the port a year after the storm`, "", false, ""},
		{`"We are not a museum": conductor Hiro Tanaka on the new season`, "Hiro Tanaka", false, ""},
		{"for New York on the way to recovery", "", false, ""},
	} {
		name, desc, outlet := titleSpeaker(tt.title)
		if name != tt.name || desc != tt.desc || outlet != tt.outlet {
			t.Errorf("titleSpeaker(%q) = %q, %v, %q; want %q, %v, %q", tt.title, name, desc, outlet, tt.name, tt.desc, tt.outlet)
		}
	}
}

// Question-and-answer shapes that are not interviews: a numbered FAQ, a listicle whose
// subheadings are questions, a bulleted list of points and explanations, a self-help post
// asking itself questions.
func TestQANotInterviewShapes(t *testing.T) {
	docs := []*schema.Document{
		loadQAFixture(t, "faq_en.txt"),
		loadQAFixture(t, "listicle_en.txt"),
		loadQAFixture(t, "lists_ar.txt"),
		{Lang: "en", Title: "How to stop buying things you do not need", Text: "Make a list before you shop.\n\n" +
			"When did I last use this? Will I use it again?\n\nBe honest and adjust your lists.\n\n" +
			"Is this a planned purchase? Will it end up in a drawer?\n\nImpulse buys are the enemy.\n\n" +
			"Do I already own something like it?\n\nCheck the cupboard first.\n\nWhat would I give up for it?\n\nThink in hours of work."},
	}
	for _, doc := range docs {
		if items := annotateQA(t, doc); len(items) != 0 {
			t.Errorf("%s %q: got %d turns, want none (not an interview)", doc.ID, firstRunes(doc.Title, 40), len(items))
		}
	}
}

// An English HTML interview whose speaker labels the page sets in bold: the outlet asks,
// the interviewee answers under her full name, then her short name.
func TestQALabelsHTML(t *testing.T) {
	path := filepath.Join("testdata", "qa", "en_interview_labels.html")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := corpus.Extract(corpus.Raw{Data: data, Format: "html", Path: path}, corpus.ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items := annotateQA(t, &doc)
	checkTurns(t, &doc, items, alternate("The Meridian", "Amara Nwosu",
		"The Meridian: Inflation", "Amara Nwosu: It has fallen",
		"The Meridian: Tell us", "Ms Nwosu: The currency",
		"The Meridian: Critics", "Ms Nwosu: It was a shock",
		"The Meridian: What keeps", "Ms Nwosu: Food prices"))
}

// TestQASharedHTMLSets annotates every page of the four shared HTML extraction sets.
// Checked by hand: six pages are interviews (a blog interview, a magazine interview, a
// blog Q&A with "::" questions and "Name:" answers, a bold-question interview, a radio
// transcript, a trade-press interview whose bold questions open their answers'
// paragraphs); every other page — listicles with question subheadings, FAQs, self-help
// posts, comment threads, news — must get no turns.
func TestQASharedHTMLSets(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts 270 real pages")
	}
	interviews := map[string][2]string{ // page → interviewer, interviewee
		"trafilatura/pages/abookshelffullofsunshine.blogspot.com.interview.html": {"Sunshine", "Anne Lück"},
		"trafilatura/pages/iconmagazine.de.sharonstone.html":                     {"SVEN MICHAELSEN", "Sharon Stone"},
		"trafilatura/pages/doschu.com.solopreneur.html":                          {"Doris Schuppe", "Friederike Gonzalez Schmitz"},
		"trafilatura/pages/cicero.de.pandemie.html":                              {"MORITZ GATHMANN", "Gian Domenico Borasio"},
		"trafilatura/pages/linksfraktion.de-Abzocke.html":                        {"Jasper Barenberg", "Dietmar Bartsch"},
		"trafilatura/pages/meedia.de.freenet.html":                               {"Gregory Lipinski", "Christoph Vilanek"},
	}
	pages, withTurns := 0, 0
	for _, set := range []string{"readability", "trafilatura", "htmldate", "newspaper4k"} {
		dir := testshared.Path(t, "data", set)
		raw, err := os.ReadFile(filepath.Join(dir, "gold.json"))
		if err != nil {
			t.Fatal(err)
		}
		var gold map[string]json.RawMessage
		if err := json.Unmarshal(raw, &gold); err != nil {
			t.Fatalf("%s/gold.json: %v", set, err)
		}
		for rel := range gold {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := corpus.Extract(corpus.Raw{Data: data, Format: "html", Path: rel}, corpus.ExtractOptions{})
			if err != nil {
				continue // pages without body text are corpus's concern
			}
			pages++
			items := annotateQA(t, &doc)
			key := set + "/" + rel
			want, isInterview := interviews[key]
			if !isInterview {
				if len(items) != 0 {
					t.Errorf("%s: %d turns, want none (not an interview); first %.60q", key, len(items), items[0].Text)
				}
				continue
			}
			withTurns++
			if len(items) < 10 {
				t.Errorf("%s: %d turns, want at least 10", key, len(items))
			}
			for _, it := range items {
				w := want[1]
				if it.Attrs[schema.AttrSpeakerRole] == "interviewer" {
					w = want[0]
				}
				if got := it.Attrs[schema.AttrSpeaker]; got != w {
					t.Errorf("%s turn %s: speaker %q, want %q", key, it.Attrs[schema.AttrTurn], got, w)
					break
				}
			}
		}
	}
	if withTurns != len(interviews) || pages < 250 {
		t.Errorf("%d pages, %d interviews found, want %d", pages, withTurns, len(interviews))
	}
}

// English interview shapes: "Q."/"A." labels with the interviewee in the title, plain
// questions with the interviewee named only in the lede, speakers labelled by initials.
func TestQAEnglishShapes(t *testing.T) {
	for _, tt := range []struct {
		doc    schema.Document
		iv, ie string
		starts []string
	}{
		{schema.Document{Lang: "en", Title: "Jacinda Moore: 'I never wanted to be prime minister'", Byline: []string{"By Helen Ward"},
			Text: "The former prime minister talks about power, family and the campaign.\n\nQ. Did you ever want the job?\n\nA. Honestly, no. I wanted to fix housing.\n\nQ. And now?\n\nA. Now I sleep better.\n\nQ. What would you tell your younger self?\n\nA. Rest more."},
			"Helen Ward", "Jacinda Moore", []string{"Q. Did", "A. Honestly", "Q. And now", "A. Now", "Q. What", "A. Rest"}},
		{schema.Document{Lang: "en", Title: "The quiet revolution in British farming", Byline: []string{"Tom Reed"}, SiteName: "The Field Journal",
			Text: "In an interview with The Field Journal, the farmer and campaigner Ruth Adebayo explained why she stopped ploughing.\n\nWhy did you stop ploughing?\n\nBecause the soil was dying. I could see it in the worms.\n\nWas it expensive?\n\nAt first, yes. We lost money for two years.\n\nWhat do your neighbours think?\n\nThey laughed. Now they ask me for advice."},
			"Tom Reed", "Ruth Adebayo", []string{"Why did", "Because", "Was it", "At first", "What do", "They laughed"}},
		{schema.Document{Lang: "en", Title: "Talking to machines", Byline: []string{"Jane Smith"},
			Text: "Kenji Sato builds robots that talk. We met him in Osaka.\n\nJS: How did you start?\n\nKS: With a broken radio, when I was nine.\n\nJS: What do your robots say?\n\nKS: Mostly they ask questions. I like that.\n\nJS: Are you afraid of them?\n\nKS: No. I am afraid of people who are not curious."},
			"Jane Smith", "Kenji Sato", []string{"JS: How", "KS: With", "JS: What", "KS: Mostly", "JS: Are", "KS: No"}},
		// Transcript labels in capitals are the names the article writes in mixed case.
		{schema.Document{Lang: "en", Title: "Podcast transcript: the future of farming", SiteName: "Farm Radio",
			Text: "This week Ruth Adebayo, a farmer from Kent, joins host Tom Reed.\n\nTOM REED: Ruth, why did you stop ploughing?\n\nRUTH ADEBAYO: Because the soil was dying. I could see it in the worms.\n\nTOM REED: Was it expensive?\n\nRUTH ADEBAYO: At first, yes. We lost money for two years.\n\nTOM REED: And now?\n\nRUTH ADEBAYO: Now my neighbours ask me for advice."},
			"Tom Reed", "Ruth Adebayo", []string{"TOM REED: Ruth", "RUTH ADEBAYO: Because", "TOM REED: Was", "RUTH ADEBAYO: At first", "TOM REED: And now", "RUTH ADEBAYO: Now"}},
		// Full names once, initials after; the lede's possessive is not part of the name.
		{schema.Document{Lang: "en", Title: "'I was never afraid': Nina Patel on her first film", Byline: []string{"By Sarah Cole"},
			Text: "Nina Patel's debut film opens this week. She talked to Sarah Cole.\n\nSarah Cole: Congratulations on the film. How long did it take?\n\nNina Patel: Seven years, and most of them were spent raising money.\n\nSC: Were you ever afraid it would not be made?\n\nNP: Never. I was too stubborn to be afraid.\n\nSC: What comes next?\n\nNP: A comedy, I hope. I need to laugh."},
			"Sarah Cole", "Nina Patel", []string{"Sarah Cole: Congratulations", "Nina Patel: Seven", "SC: Were", "NP: Never", "SC: What", "NP: A comedy"}},
		// Initials throughout, and the full name written only in the note after the
		// interview; a capitalised sentence opener ("Her Oslo") is no name.
		{schema.Document{Lang: "en", Title: "A season that is no museum", Byline: []string{"Claire Moreau"},
			Text: "Next month the orchestra opens its season with a piece written last year. Its new chief conductor talks about programming and Beethoven.\n\nCM: You open with a new piece. Is that a risk?\n\nHO: Every concert is a risk. Her Oslo debut was one too.\n\nCM: How do you choose new works?\n\nHO: I listen to hundreds of recordings every summer.\n\nCM: And Beethoven?\n\nHO: Never the same way twice.\n\nHanna Okafor was born in Lagos and studied in Vienna."},
			"Claire Moreau", "Hanna Okafor", []string{"CM: You", "HO: Every", "CM: How", "HO: I listen", "CM: And", "HO: Never"}},
	} {
		t.Run(tt.doc.Title, func(t *testing.T) {
			doc := tt.doc
			checkTurns(t, &doc, annotateQA(t, &doc), alternate(tt.iv, tt.ie, tt.starts...))
		})
	}
}

// A lede may open with the person's name and, after a comma, who they are.
func TestLedeOpensWithName(t *testing.T) {
	for text, want := range map[string]string{
		"عبدالرحمن الراشد، الإعلامي المعروف، تحدث لـ«الشرق الأوسط» عن تجربته.": "عبدالرحمن الراشد",
		"سامية العمودي، الطبيبة والكاتبة، تروي قصتها مع المرض.":                "سامية العمودي",
		"محمد علي، الذي يعمل في الميناء منذ عشرين عاما، لم يتوقع العاصفة.":     "",
		"وزارة الصحة، الوزارة المعنية بالملف، لم تعلق.":                        "",
	} {
		got := ""
		if c := ledeNames(text, "ar", &surnameIndex{text: text}); len(c) > 0 {
			got = c[0].name
		}
		if got != want {
			t.Errorf("%s: %q, want %q", text, got, want)
		}
	}
}

// A broadcast transcript whose host asks a single question among pleasantries: the lede
// names the host ("joined host Mark Feld", "X, the programme's presenter", "المذيع X"),
// and that label is the interviewer's.
func TestQAHostNamedInLede(t *testing.T) {
	doc := loadQAFixture(t, "transcript_host_en.txt")
	checkTurns(t, doc, annotateQA(t, doc), alternate("Mark Feld", "Ruth Callahan",
		"MARK FELD: Senator, thank", "RUTH CALLAHAN: Glad", "MARK FELD: The farm", "RUTH CALLAHAN: I expect",
		"MARK FELD: Your colleagues", "RUTH CALLAHAN: Some", "MARK FELD: Senator Callahan", "RUTH CALLAHAN: Thank"))

	after := schema.Document{Lang: "en", Title: "The week in review",
		Text: "Anna Berg, the programme's presenter, spoke to the economist Omar Said about prices.\n\n" +
			"Anna Berg: Welcome to the programme.\n\nOmar Said: Thank you for having me, Anna.\n\n" +
			"Anna Berg: Prices rose again in May. Is that the peak?\n\nOmar Said: Probably not. Energy bills follow in autumn.\n\n" +
			"Anna Berg: That is a gloomy thought.\n\nOmar Said: It is a realistic one."}
	checkTurns(t, &after, annotateQA(t, &after), alternate("Anna Berg", "Omar Said",
		"Anna Berg: Welcome", "Omar Said: Thank", "Anna Berg: Prices", "Omar Said: Probably", "Anna Berg: That", "Omar Said: It is"))

	ar := schema.Document{Lang: "ar", Title: "نص الحلقة",
		Text: "استضاف المذيع أحمد سالم في حلقة الأحد الاقتصادي ماجد العلي.\n\n" +
			"أحمد سالم: أهلا بك في البرنامج.\n\nماجد العلي: أهلا بكم وشكرا على الدعوة.\n\n" +
			"أحمد سالم: الأسعار ارتفعت هذا الشهر، هل هذه الذروة؟\n\nماجد العلي: لا أظن، فأسعار الطاقة ستتبعها.\n\n" +
			"أحمد سالم: شكرا لك.\n\nماجد العلي: شكرا لكم."}
	checkTurns(t, &ar, annotateQA(t, &ar), alternate("أحمد سالم", "ماجد العلي",
		"أحمد سالم: أهلا", "ماجد العلي: أهلا", "أحمد سالم: الأسعار", "ماجد العلي: لا", "أحمد سالم: شكرا", "ماجد العلي: شكرا"))
}

// A label that gives the full name is the speaker's name, not the title's longer form
// with an office ("an interview with Mayor Lena Hart"); an occupation that opens a
// title's name ("Astronomer Daniel Kwon on …") is dropped when the article writes the
// name without it, and kept when the article writes it so.
func TestQASpeakerNameForms(t *testing.T) {
	labels := schema.Document{Lang: "en", Title: "“We will not give up the port”: an interview with Mayor Lena Hart",
		Text: "Mayor Lena Hart has run the city since 2019. She spoke to The Harbour Review about tolls and the new terminal.\n\n" +
			"The Harbour Review: Three shipping lines say they will leave. Have you lost them?\n\nLena Hart: No. They say this every spring.\n\n" +
			"The Harbour Review: The unions say the terminal will cost jobs.\n\nMs Hart: It will change jobs, not end them.\n\n" +
			"The Harbour Review: Will you run again?\n\nMs Hart: Ask me in a year."}
	checkTurns(t, &labels, annotateQA(t, &labels), alternate("The Harbour Review", "Lena Hart",
		"The Harbour Review: Three", "Lena Hart: No", "The Harbour Review: The unions", "Ms Hart: It will",
		"The Harbour Review: Will", "Ms Hart: Ask"))

	const qa = "\n\nQ: What did the first images show?\n\nA: Mostly that everything works.\n\n" +
		"Q: How much data is that?\n\nA: Twenty terabytes a night.\n\nQ: Who gets the alerts?\n\nA: Anyone."
	for _, tt := range []struct{ title, lede, want string }{
		{"Q&A: Astronomer Daniel Kwon on the new survey telescope", "Daniel Kwon, who leads the data team, explained what comes next.", "Daniel Kwon"},
		{"Mary Ann Smith on the new survey telescope", "Mary Ann Smith, who leads the data team, explained what comes next.", "Mary Ann Smith"},
	} {
		doc := schema.Document{Lang: "en", Title: tt.title, Byline: []string{"Mara Lindqvist"}, Text: tt.lede + qa}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("Mara Lindqvist", tt.want,
			"Q: What", "A: Mostly", "Q: How", "A: Twenty", "Q: Who", "A: Anyone"))
	}
}

// A headline in title case names the interviewee before "on" as a sentence-case one does
// ("Maria Ressa on Truth, Power and the Press"); an office written before a name
// ("Mayor Tom Reyes", "Finance Minister Ana Silva") is who the person is, not the name.
func TestQATitleCaseAndOffice(t *testing.T) {
	const qa = "\n\nQ: You have faced ten arrest warrants. How do you keep working?\n\nA: I write down what I control and I focus on that.\n\n" +
		"Q: Have the platforms improved since 2016?\n\nA: No. The business model has not changed, and I see it every day.\n\n" +
		"Q: Are you hopeful?\n\nA: I am stubborn, which is a kind of hope."
	starts := []string{"Q: You have", "A: I write", "Q: Have", "A: No.", "Q: Are you", "A: I am"}
	for _, tt := range []struct{ title, lede, want string }{
		{"Maria Ressa on Truth, Power and the Fight for a Free Press", "The Nobel laureate spoke with us from Manila.", "Maria Ressa"},
		{"Maria Ressa on truth, power and the press", "The Nobel laureate spoke with us from Manila.", "Maria Ressa"},
		{"Q&A: Mayor Tom Reyes on Rebuilding Millbrook", "Mayor Tom Reyes talked to us two years after the flood.", "Tom Reyes"},
		{"'We will not cut pensions': Finance Minister Ana Silva", "Finance Minister Ana Silva presents her budget next week.", "Ana Silva"},
		// Not an office and a name: the name is kept whole.
		{"Martin Luther King III on His Father's Legacy", "Martin Luther King III spoke to us in Atlanta.", "Martin Luther King III"},
	} {
		doc := schema.Document{Lang: "en", Title: tt.title, Byline: []string{"Daniel Okafor"}, Text: tt.lede + qa}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("Daniel Okafor", tt.want, starts...))
	}
}

func TestWithoutOffice(t *testing.T) {
	for in, want := range map[string]string{
		"Mayor Tom Reyes":              "Tom Reyes",
		"Finance Minister Ana Silva":   "Ana Silva",
		"Vice President Kamala Harris": "Kamala Harris",
		"Chief Executive Tim Cook":     "Tim Cook",
		"Gen. Mark Milley":             "Mark Milley",
		"Senator Callahan":             "Senator Callahan",
		"Martin Luther King":           "Martin Luther King",
		"General Motors spokesman Joe": "General Motors spokesman Joe",
		"وزير الصحة فهد المالكي":       "وزير الصحة فهد المالكي",
	} {
		if got := withoutOffice(in); got != want {
			t.Errorf("withoutOffice(%q) = %q, want %q", in, got, want)
		}
	}
}

// A newsroom's explainer set as questions and answers has no one answering: no name, no
// question addressed to anyone, no answer in the first person. It gets no turns; the same
// shape with an answer that speaks as "we", or a named interviewee, is an interview.
// (An Arabic question opening with a ت- verb, "هل ترتفع الرسوم؟", reads as addressed:
// the verb is "you" and "she/it" alike.)
func TestQAExplainerIsNoInterview(t *testing.T) {
	const body = "\n\nQ: Who is affected?\n\nA: Anyone applying for a student visa from 1 February.\n\n" +
		"Q: Can students still bring family members?\n\nA: Only postgraduate research students can.\n\n" +
		"Q: Will fees go up?\n\nA: The application fee rises from 490 to 520 pounds.\n\n" +
		"Q: When do the rules take effect?\n\nA: On 1 February for new applications."
	explainer := schema.Document{Lang: "en", Title: "Q&A: What the new visa rules mean for students", Byline: []string{"Priya Nair"},
		Text: "The government changed the rules for student visas on Monday. Here is what applicants need to know." + body}
	if items := annotateQA(t, &explainer); len(items) != 0 {
		t.Errorf("explainer: %d turns, want none; first %.40q", len(items), items[0].Text)
	}
	ar := schema.Document{Lang: "ar", Title: "أسئلة وأجوبة: ما الذي تغير في نظام التأشيرات", Byline: []string{"سارة العلي"},
		Text: "غيرت الحكومة نظام تأشيرات الطلاب يوم الاثنين، وهذا ما يحتاج المتقدمون إلى معرفته.\n\n" +
			"س: من يشمل التغيير؟\n\nج: كل من يتقدم بطلب تأشيرة دراسية بعد أول فبراير.\n\n" +
			"س: ما قيمة الرسوم الجديدة؟\n\nج: ترتفع رسوم الطلب من 490 إلى 520 ريالا.\n\n" +
			"س: متى يبدأ تطبيق النظام؟\n\nج: في أول فبراير للطلبات الجديدة."}
	if items := annotateQA(t, &ar); len(items) != 0 {
		t.Errorf("Arabic explainer: %d turns, want none; first %.40q", len(items), items[0].Text)
	}
	spoken := schema.Document{Lang: "en", Title: explainer.Title, Byline: explainer.Byline,
		Text: "The head of admissions answered our questions." + strings.Replace(body, "A: Anyone applying", "A: We expect it to be anyone applying", 1)}
	checkTurns(t, &spoken, annotateQA(t, &spoken), alternate("Priya Nair", "",
		"Q: Who is", "A: We expect", "Q: Can", "A: Only", "Q: Will", "A: The application", "Q: When", "A: On 1"))
}

// "He spoke to X": the pronoun stands for the interviewee the lede has introduced, and X
// is the journalist who asks the questions (or the outlet); with a name as the subject
// ("Marco Bellini … spoke to The Courier") the subject is.
func TestQALedePronounSpokeTo(t *testing.T) {
	qa := "\n\nWhat was the first dish you ever cooked?\n\nA tomato sauce, at eight years old, next to my grandmother.\n\n" +
		"Why do you keep the menu so short?\n\nBecause every dish on it has to be perfect every night.\n\n" +
		"Is there a dish you will never cook again?\n\nLobster thermidor. Something went badly wrong in 1998."
	for _, tt := range []struct{ byline, lede, interviewer, interviewee string }{
		{"", "Marco Bellini has run the kitchen at Trattoria Verde for twenty years. He spoke to Anna Clarke about pasta and failure.", "Anna Clarke", "Marco Bellini"},
		{"Sam Dawson", "Marco Bellini has run the kitchen at Trattoria Verde for twenty years. He spoke to Anna Clarke about pasta and failure.", "Sam Dawson", "Marco Bellini"},
		{"", "Marco Bellini has run the kitchen at Trattoria Verde for twenty years. He talked to The Courier about pasta and failure.", "The Courier", "Marco Bellini"},
		{"", "Marco Bellini, who has run the kitchen at Trattoria Verde for twenty years, spoke to The Courier about pasta.", "The Courier", "Marco Bellini"},
	} {
		doc := &schema.Document{Lang: "en", Title: "Twenty years at the stove", SiteName: "The Courier", Text: tt.lede + qa}
		if tt.byline != "" {
			doc.Byline = []string{tt.byline}
		}
		items := annotateQA(t, doc)
		if len(items) != 6 {
			t.Fatalf("%q: %d turns, want 6", tt.lede, len(items))
		}
		if got := items[0].Attrs[schema.AttrSpeaker]; got != tt.interviewer {
			t.Errorf("%q: interviewer %q, want %q", tt.lede, got, tt.interviewer)
		}
		if got := items[1].Attrs[schema.AttrSpeaker]; got != tt.interviewee {
			t.Errorf("%q: interviewee %q, want %q", tt.lede, got, tt.interviewee)
		}
	}
}

// A capitalised occupation at the head of a headline or sentence ("Chef Marco Bellini")
// is no part of the name the article repeats without it; a first name of a three-word
// name the article never drops stays.
func TestQAIntervieweeWithoutLeadWord(t *testing.T) {
	qa := "\n\nWhat was the first dish you ever cooked?\n\nA tomato sauce, at eight years old.\n\n" +
		"Why is the menu so short?\n\nBecause every dish on it has to be perfect."
	for _, tt := range []struct{ title, lede, want string }{
		{"An interview with Chef Marco Bellini", "Marco Bellini opened Trattoria Verde in 2004 and still cooks every night.", "Marco Bellini"},
		{"An interview with Chef Marco Bellini", "He opened Trattoria Verde in 2004 and still cooks every night.", "Chef Marco Bellini"},
		{"", "Chef Marco Bellini: \"Simple food is the hardest\"\n\nMarco Bellini has run the kitchen at Trattoria Verde for twenty years. He spoke to Anna Clarke about pasta.", "Marco Bellini"},
		{"An interview with Mary Ann Carter", "Mary Ann Carter opened Trattoria Verde in 2004 and still cooks every night.", "Mary Ann Carter"},
	} {
		title, lede, want := tt.title, tt.lede, tt.want
		doc := &schema.Document{Lang: "en", Title: title, Byline: []string{"Anna Clarke"}, Text: lede + qa}
		items := annotateQA(t, doc)
		if len(items) != 4 {
			t.Fatalf("%q: %d turns, want 4", lede, len(items))
		}
		if got := items[1].Attrs[schema.AttrSpeaker]; got != want {
			t.Errorf("%q: interviewee %q, want %q", lede, got, want)
		}
	}
}

// Speaker labels set in capitals take the case the article writes the name in, the
// headline included (a scrape's headline is no paragraph of the text).
func TestQACapitalLabelsTitleCase(t *testing.T) {
	text := "Sam Patel spoke with the author of \"The Salt Road\" about writing, grief and her next book.\n\n" +
		"SAM PATEL: Your new novel opens with a funeral. Why start there?\n\nHANNAH REYES: Because that is where the family finally has to sit in one room.\n\n" +
		"SAM PATEL: How long did it take to write?\n\nHANNAH REYES: Almost six years. I threw away the first draft.\n\n" +
		"SAM PATEL: What are you working on now?\n\nHANNAH REYES: A collection of short stories."
	for title, want := range map[string]string{
		"Five questions for novelist Hannah Reyes": "Hannah Reyes",
		"FIVE QUESTIONS FOR NOVELIST HANNAH REYES": "HANNAH REYES",
	} {
		items := annotateQA(t, &schema.Document{Lang: "en", Title: title, Text: text})
		if len(items) != 6 {
			t.Fatalf("%q: %d turns, want 6", title, len(items))
		}
		if got := items[0].Attrs[schema.AttrSpeaker]; got != "Sam Patel" {
			t.Errorf("%q: interviewer %q", title, got)
		}
		if got := items[1].Attrs[schema.AttrSpeaker]; got != want {
			t.Errorf("%q: interviewee %q, want %q", title, got, want)
		}
	}
}

// The desk's note after an interview ("This interview has been edited …", "تم تحرير
// الحوار …") is not part of the last answer; an answer that talks about editing is.
func TestQAEditorsNote(t *testing.T) {
	for _, tt := range []struct {
		doc     schema.Document
		lastEnd string
	}{
		{schema.Document{Lang: "en", Title: "The last lighthouse keeper", Byline: []string{"Rachel Green"},
			Text: "For thirty-one years Tom Lindqvist kept the light at Skerry Point. We asked him about the job.\n\nWhat did a normal day look like?\n\nThere was no normal day. You cleaned the lens and watched the sea.\n\nWere you ever lonely?\n\nNot really. My wife was with me.\n\nWhat do you miss most?\n\nThe quiet. And the storms.\n\nThis interview has been edited for length and clarity."},
			"And the storms."},
		{schema.Document{Lang: "en", Title: "The last lighthouse keeper", Byline: []string{"Rachel Green"},
			Text: "For thirty-one years Tom Lindqvist kept the light at Skerry Point. We asked him about the job.\n\nQ: What did a normal day look like?\n\nA: There was no normal day. You cleaned the lens and watched the sea.\n\nQ: Were you ever lonely?\n\nA: Not really. My wife was with me.\n\nQ: What do you miss most?\n\nA: The quiet. And the storms.\n\n(Edited for length and clarity.)"},
			"And the storms."},
		// Production credits too; the name "Ana" is no Arabic "I".
		{schema.Document{Lang: "en", Title: "The last lighthouse keeper", Byline: []string{"Rachel Green"},
			Text: "For thirty-one years Tom Lindqvist kept the light at Skerry Point. We asked him about the job.\n\nRachel Green: What did a normal day look like?\n\nTom Lindqvist: There was no normal day.\n\nRachel Green: Were you ever lonely?\n\nTom Lindqvist: Not really.\n\nRachel Green: What do you miss most?\n\nTom Lindqvist: The quiet. And the storms.\n\nProduced by Sam Lee. Additional reporting by Ana Ruiz."},
			"And the storms."},
		{schema.Document{Lang: "ar", Title: "الروائية منى السالم: الكتابة علاج للوحدة", Byline: []string{"أحمد الزهراني"},
			Text: "صدرت للروائية منى السالم روايتها الثالثة، وكان لنا معها هذا الحوار.\n\nمتى بدأت الكتابة؟\n\nبدأت أكتب في المرحلة المتوسطة.\n\nلماذا البحر في روايتك؟\n\nالبحر ذاكرة المدينة التي نشأت فيها.\n\nما نصيحتك للشباب؟\n\nأن يقرؤوا كثيرا.\n\nتم تحرير الحوار واختصاره لدواعي المساحة."},
			"أن يقرؤوا كثيرا."},
		// An answer about editing stays the answer.
		{schema.Document{Lang: "en", Title: "The editor's cut", Byline: []string{"Rachel Green"},
			Text: "Film editor Tom Lindqvist has cut forty films. We asked him about the job.\n\nWhat did a normal day look like?\n\nLong. You watch the same scene a hundred times.\n\nWere you ever bored?\n\nNever, I love my job.\n\nWhat do you miss most?\n\nThe old machines.\n\nThe interview was edited, I think, by someone braver than me. Every film I cut was too long, and I still regret what I left in."},
			"what I left in."},
	} {
		doc := tt.doc
		items := annotateQA(t, &doc)
		if len(items) != 6 {
			t.Fatalf("%s: %d turns, want 6", doc.Title, len(items))
		}
		if last := items[len(items)-1]; last.Label != "answer" || !strings.HasSuffix(last.Text, tt.lastEnd) {
			t.Errorf("%s: last turn %s %q, want an answer ending %q", doc.Title, last.Label, last.Text, tt.lastEnd)
		}
	}
}

// Broadcast transcripts set a speaker in capitals with a role after a comma ("NOOR HADI,
// HOST:", "ELENA VOSS, MAYOR OF LINDHOLM:"), alone in its paragraph or before the words;
// later turns use the family name alone. The name is the part before the comma, written
// as the byline or the text writes it (the text after a label counts: "Joining me is …").
func TestQABroadcastTranscript(t *testing.T) {
	for _, tt := range []struct {
		name, iv, ie string
		byline       []string
		text         string
		starts       []string
	}{
		{"role label alone, host in the byline", "Noor Hadi", "Elena Voss", []string{"Noor Hadi"},
			"NOOR HADI, HOST:\n\nThe town of Lindholm voted to close its coal plant two years early. Its mayor, Elena Voss, joins us. Good morning.\n\n" +
				"ELENA VOSS: Good morning, Noor.\n\nHADI: Why close it early?\n\nVOSS: Because the repairs it needed cost more than a solar farm.\n\n" +
				"HADI: And the workers?\n\nVOSS: Every one of them was offered a job at the new site.",
			[]string{"NOOR HADI, HOST:", "ELENA VOSS: Good", "HADI: Why", "VOSS: Because", "HADI: And", "VOSS: Every"}},
		// A name written only in capitals stays so: that is how the article gives it.
		{"roles inline, guest named after a label", "NOOR HADI", "Elena Voss", nil,
			"NOOR HADI, HOST: Good evening. Joining me now is the mayor of Lindholm, Elena Voss.\n\n" +
				"ELENA VOSS, MAYOR OF LINDHOLM: Thank you for having me.\n\nHADI: Why close the plant early?\n\n" +
				"VOSS: Because the repairs it needed cost more than a solar farm.\n\nHADI: Will bills go up?\n\nVOSS: Not this year.",
			[]string{"NOOR HADI, HOST: Good", "ELENA VOSS, MAYOR", "HADI: Why", "VOSS: Because", "HADI: Will", "VOSS: Not"}},
		// A party and state in parentheses ("(D-ME)") and an office ("SEN.") are no part of
		// the name, which the text writes "Senator Elena Voss".
		{"party in parentheses, office abbreviated", "NOOR HADI", "Elena Voss", nil,
			"NOOR HADI, HOST: Joining me now is Senator Elena Voss, who wrote the coal bill. Senator, welcome.\n\n" +
				"SEN. ELENA VOSS (D-ME): Thank you, Noor.\n\nHADI: Why close the plant early?\n\n" +
				"VOSS: Because the repairs it needed cost more than a solar farm.\n\nHADI: Will bills go up?\n\nVOSS: Not this year.",
			[]string{"NOOR HADI, HOST: Joining", "SEN. ELENA VOSS (D-ME): Thank", "HADI: Why", "VOSS: Because", "HADI: Will", "VOSS: Not"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := schema.Document{Lang: "en", Title: "A coal plant closes early", Byline: tt.byline, Text: tt.text}
			want := alternate(tt.iv, tt.ie, tt.starts...)
			checkTurns(t, &doc, annotateQA(t, &doc), want)
		})
	}
	// Capitals with no comma-role are no role label: a sentence opening with an acronym.
	if name, _, ok := speakerLabel("NATO, the EU and the UN: all three met."); ok {
		t.Errorf("a sentence read as the label %q", name)
	}
}

// A closing paragraph that names the interviewee in full is the article's note on who
// they are, not the rest of the last answer; one that names someone else continues it.
func TestQAClosingBio(t *testing.T) {
	const head = "The orchestra opens its season next month. Its new chief conductor talks about programming.\n\nCM: You open with a new piece. Is that a risk?\n\nHiro Tanaka: Every concert is a risk.\n\nCM: How do you choose new works?\n\nHiro Tanaka: I listen to recordings all summer.\n\nCM: And Beethoven?\n\nHiro Tanaka: Never the same way twice."
	for tail, want := range map[string]string{
		"\n\nHiro Tanaka was born in Osaka in 1979 and has led the orchestra since January.": "Never the same way twice.",
		"\n\nMy teacher, Seiji Ozawa, played him that way too.":                              "played him that way too.",
	} {
		doc := schema.Document{Lang: "en", Title: "A season that is no museum", Byline: []string{"Claire Moreau"}, Text: head + tail}
		items := annotateQA(t, &doc)
		if len(items) != 6 {
			t.Fatalf("%q: %d turns, want 6", tail, len(items))
		}
		if last := items[5]; last.Attrs[schema.AttrSpeaker] != "Hiro Tanaka" || !strings.HasSuffix(last.Text, want) {
			t.Errorf("%q: last turn %q by %q, want it to end %q", tail, last.Text, last.Attrs[schema.AttrSpeaker], want)
		}
	}
}

// Questions that put nothing to anyone ("Do people get stung?") in an article that says
// it is an interview: the answers speaking as "I" or "we" make them an interviewer's;
// answers in the third person, or a news story with only two such questions, are not
// an interview.
func TestQACuedImpersonalQuestions(t *testing.T) {
	// The cue is the lede's "spoke to"; in the title, "Five minutes with …" is one too.
	const lede = "Georg Weller keeps forty hives on the roof of the town hall. Lucy Hart spoke to him.\n\n"
	for _, tt := range []struct {
		name, text string
		turns      int
	}{
		{"first person", lede + "How did the bees end up on the roof?\n\nThe mayor asked me. There was space and flowers in the park.\n\nDo people get stung?\n\nAlmost never. Bees are busy.\n\nWhat happens to the honey?\n\nWe sell it at the market.", 6},
		{"third person", lede + "How did the bees end up on the roof?\n\nThe mayor asked for them. There was space and flowers in the park.\n\nDo people get stung?\n\nAlmost never. Bees are busy.\n\nWhat happens to the honey?\n\nIt is sold at the market.", 0},
		{"two questions", "The mayor said in an interview on Monday that the hives would stay.\n\nWhy bees?\n\nWe had the space, she said, and the council agreed in March.\n\nAnd the honey?\n\nWe sell it at the market, she said.", 0},
	} {
		doc := schema.Document{Lang: "en", Title: "Bees on the roof", Byline: []string{"Lucy Hart"}, Text: tt.text}
		if items := annotateQA(t, &doc); len(items) != tt.turns {
			t.Errorf("%s: %d turns, want %d", tt.name, len(items), tt.turns)
		}
		if tt.turns > 0 {
			doc.Title, doc.Text = "Five minutes with a beekeeper", strings.Replace(tt.text, " Lucy Hart spoke to him.", "", 1)
			if items := annotateQA(t, &doc); len(items) != tt.turns {
				t.Errorf("%s, cue in the title: %d turns, want %d", tt.name, len(items), tt.turns)
			}
		}
	}
}

// Highlights before an interview, set with the answers' dash ("- لا تهاون مع المخالفين"),
// are the article's quotes from the answers, not answers to no question: the Q&A opens
// with its first question, marked or one that lost its marker before a marked answer.
func TestQAHighlightsBeforeQA(t *testing.T) {
	const highlights = "- الواجهة البحرية ستكون الأجمل في الخليج\n\n- لا تهاون مع المخالفين في المطاعم\n\n"
	const lede = "كشف رئيس بلدية الخبر المهندس سلطان الزايدي عن قرب الانتهاء من مشروع الواجهة البحرية.\n\n"
	const rest = "- مطلع العام المقبل، ونسبة الإنجاز تجاوزت ثمانين في المئة.\n\n" +
		"* هناك شكاوى من تكرار المخالفات في المطاعم\n\n- لا تهاون مع أي مخالف، وقد أغلقنا ستين مطعما.\n\n" +
		"* وماذا عن المراقبين؟\n\n- نحتاج إلى ضعف العدد.\n\n* ما رسالتك لسكان الخبر؟\n\n- أن يكونوا شركاء لنا."
	for _, tt := range []struct{ name, first, start string }{
		{"marked first question", "* متى ينتهي المشروع؟\n\n", "* متى"},
		{"first question without its marker", "متى ينتهي المشروع؟\n\n", "متى"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := schema.Document{Lang: "ar", Title: "رئيس بلدية الخبر: الواجهة البحرية تنتهي مطلع العام", Byline: []string{"حوار - سلمان العمري"},
				Text: highlights + lede + tt.first + rest}
			checkTurns(t, &doc, annotateQA(t, &doc), alternate("سلمان العمري", "سلطان الزايدي",
				tt.start, "- مطلع", "* هناك", "- لا تهاون مع أي", "* وماذا", "- نحتاج", "* ما", "- أن"))
		})
	}
	// Unmarked questions and dashed answers: the highlights' dashes are the answers' too.
	t.Run("unmarked questions", func(t *testing.T) {
		doc := schema.Document{Lang: "ar", Title: "رئيس بلدية الخبر: الواجهة البحرية تنتهي مطلع العام", Byline: []string{"حوار - سلمان العمري"},
			Text: highlights + lede + "متى ينتهي المشروع؟\n\n- مطلع العام المقبل.\n\nوماذا عن المخالفات في المطاعم؟\n\n- لا تهاون مع أي مخالف.\n\n" +
				"ما رسالتك لسكان الخبر؟\n\n- أن يكونوا شركاء لنا."}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("سلمان العمري", "سلطان الزايدي",
			"متى", "- مطلع", "وماذا", "- لا تهاون مع أي", "ما", "- أن"))
	})
}

// The interviewer's credit at the foot of an interview ("أجرى الحوار: X", "Interview by
// X") names the interviewer and is no part of the last answer.
func TestQAClosingCredit(t *testing.T) {
	for _, tt := range []struct {
		doc    schema.Document
		iv, ie string
		starts []string
	}{
		{schema.Document{Lang: "ar", Title: "وزير السياحة أحمد الخطيب: نستهدف 150 مليون زيارة",
			Text: "قال وزير السياحة أحمد الخطيب إن القطاع يشهد نموا غير مسبوق.\n\n● ما أبرز ما تحقق في القطاع خلال العام الماضي؟\n\nتجاوزنا مئة مليون زيارة محلية ودولية.\n\n● وماذا عن الاستثمار في الفنادق؟\n\nلدينا أكثر من مئة ألف غرفة قيد الإنشاء.\n\n● هل تتوقعون ارتفاع الأسعار؟\n\nالأسعار يحددها العرض والطلب.\n\nأجرى الحوار: عبدالله الغامدي"},
			"عبدالله الغامدي", "أحمد الخطيب", []string{"● ما أبرز", "تجاوزنا", "● وماذا", "لدينا", "● هل", "الأسعار"}},
		{schema.Document{Lang: "en", Title: "Felix Braun on the price of coffee",
			Text: "Commodities trader Felix Braun explains why coffee costs more.\n\nQ: Why has coffee become so expensive?\n\nA: Two bad harvests in Brazil.\n\nQ: Will prices come down?\n\nA: Eventually. A coffee tree takes three years.\n\nQ: What should I do?\n\nA: Enjoy it.\n\nInterview by Priya Nair"},
			"Priya Nair", "Felix Braun", []string{"Q: Why", "A: Two", "Q: Will", "A: Eventually", "Q: What", "A: Enjoy"}},
	} {
		doc := tt.doc
		items := annotateQA(t, &doc)
		checkTurns(t, &doc, items, alternate(tt.iv, tt.ie, tt.starts...))
		if last := items[len(items)-1]; strings.Contains(last.Text, tt.iv) {
			t.Errorf("%s: the credit is in the last answer: %q", doc.Title, last.Text)
		}
	}
}

// A title that describes the interviewee by office ("رئيس نادي الفتح: …", "سيدة أعمال
// سعودية: …") leaves the name to the lede: after the office and the body it belongs to,
// an honorific introduces the name (not the body's name, "نادي الفتح"), and where no
// reporting verb or honorific does, the lede's use of the title's noun ("تدير سيدة
// الأعمال هيفاء …") names the person.
func TestQARoleDescribedInTitle(t *testing.T) {
	checkFixtureTurns(t, []fixtureTurns{
		{"role_honorific_ar.txt", "عبدالله الهاجري", "عبدالعزيز العفالق", []string{
			"* هناك عروض", "- لا، نحن", "* وماذا عن المدرب", "- المدرب باق", "* الجماهير تطالب", "- نحن نسمع",
			"* الوضع المالي", "- مستقر"}},
		{"role_title_ar.txt", "نورة القحطاني", "هيفاء بنت عبدالله الدوسري", []string{
			"س/ كيف كانت", "ج/ كانت صعبة", "س/ ما أكبر", "ج/ التمويل", "س/ هل ترين", "ج/ تحسنت", "س/ نصيحتك",
			"ج/ ابدئي"}},
	})
	checkLedeFirst(t, map[string]string{
		"أكد رئيس نادي الأهلي الأمير فهد بن خالد أن الفريق جاهز.":                      "فهد بن خالد",
		"وقال سفير جمهورية كازاخستان إرمان إيساغالييف إن الأزمة انتهت.":                "إرمان إيساغالييف",
		"أكد مدرب فريق الهلال الأول لكرة القدم البرتغالي جورجي جيسوس أن الفريق جاهز.":  "جورجي جيسوس",
		"أكد رئيس لجنة الاحتراف المهندس هتان العمر أن اللجنة ستنظر في الشكوى.":         "هتان العمر",
		"أكد مدير المهرجان محمد الغامدي وجود خطط جديدة، أبرزها جائزة للأفلام القصيرة.": "محمد الغامدي",
	})
}

// checkLedeFirst checks the first person ledeNames finds in each Arabic text.
func checkLedeFirst(t *testing.T, cases map[string]string) {
	t.Helper()
	for text, want := range cases {
		var got []string
		for _, c := range ledeNames(text, "ar", &surnameIndex{text: text}) {
			got = append(got, c.name)
		}
		if len(got) == 0 || got[0] != want {
			t.Errorf("ledeNames(%q) = %q, want %q first", text, got, want)
		}
	}
}

// An occupation and an adjective in the title ("الروائي السعودي: …") describe the
// interviewee, where an honorific and a family name the article writes after a given
// name ("الدكتور الغذامي: …") name him; a lede may say who the person is in a sentence
// without a verb ("عبدالرحمن الشهري روائي من أبها").
func TestQAOccupationInTitleAndLede(t *testing.T) {
	body := "س: كيف بدأت رحلتك مع الكتابة؟\n\nج: بدأت بكتابة الخواطر في المرحلة المتوسطة، ثم نشرت أول مقال لي في صحيفة محلية.\n\n" +
		"س: ما الذي يشغلك في روايتك الجديدة؟\n\nج: تشغلني الذاكرة، كيف نحكي ما حدث لنا دون أن نجرح من نحب.\n\n" +
		"س: هل تخشى النقد؟\n\nج: لا، النقد الجاد يعلمني، أما الشتائم فلا أقرأها."
	starts := []string{"س: كيف بدأت", "ج: بدأت", "س: ما الذي", "ج: تشغلني", "س: هل تخشى", "ج: لا، النقد"}
	for _, tt := range []struct{ title, lede, ie string }{
		{"الروائي السعودي: الرواية ذاكرة لا تموت", "في حوار أجرته «المدينة» مع الروائي عبدالرحمن الشهري، تحدث عن روايته الجديدة.", "عبدالرحمن الشهري"},
		{"الفنانة الكويتية: الرواية ذاكرة لا تموت", "التقت «المدينة» الروائية منى العبدلي في معرض الكتاب.", "منى العبدلي"},
		{"أكتب لأتذكر", "عبدالرحمن الشهري روائي من أبها، أصدر خمس روايات. التقيناه في معرض الكتاب فكان هذا الحوار.", "عبدالرحمن الشهري"},
		{"الدكتور الشهري: أكتب لأتذكر", "يعد عبدالرحمن الشهري من أبرز الأصوات الشابة في المشهد الأدبي.", "عبدالرحمن الشهري"},
	} {
		doc := &schema.Document{Lang: "ar", Title: tt.title, Byline: []string{"سعد الزهراني"}, Text: tt.lede + "\n\n" + body}
		checkTurns(t, doc, annotateQA(t, doc), alternate("سعد الزهراني", tt.ie, starts...))
	}
}

// A round table: the guests the lede introduces answer in turn inside one answer, each
// paragraph opened by their family name, under labelled questions or unlabelled ones. A
// guest who opens an answer only once is a speaker all the same; a label the lede introduces as no one
// ("Texas:" in a list inside an answer) stays part of the answer.
func TestQARoundTable(t *testing.T) {
	q := func(iv, start string) wantTurn { return wantTurn{"question", iv, "interviewer", start} }
	a := func(ie, start string) wantTurn { return wantTurn{"answer", ie, "interviewee", start} }
	for _, tt := range []struct {
		name string
		doc  schema.Document
		want []wantTurn
	}{
		{"English, capitals", schema.Document{Lang: "en", Title: "Two nurses on the new shift rules", Byline: []string{"Tomas Berg"},
			Text: "The hospital moved to twelve-hour shifts in May. We asked Grace Okafor, a ward nurse, and Paul Lindqvist, who runs the night team, how it is going.\n\n" +
				"Q: What changed first?\n\nOKAFOR: The handovers. There are fewer of them, and they take longer.\n\nLINDQVIST: At night it is quieter, so we notice it less.\n\n" +
				"Q: Are you more tired?\n\nLINDQVIST: Yes, by the third night in a row.\n\nOKAFOR: I sleep most of the next day.\n\n" +
				"Q: Would you go back?\n\nOKAFOR: Not yet.\n\nLINDQVIST: Ask me in winter."},
			[]wantTurn{q("Tomas Berg", "Q: What"), a("Grace Okafor", "OKAFOR: The"), a("Paul Lindqvist", "LINDQVIST: At"),
				q("Tomas Berg", "Q: Are"), a("Paul Lindqvist", "LINDQVIST: Yes"), a("Grace Okafor", "OKAFOR: I sleep"),
				q("Tomas Berg", "Q: Would"), a("Grace Okafor", "OKAFOR: Not"), a("Paul Lindqvist", "LINDQVIST: Ask")}},
		{"Arabic, family names", schema.Document{Lang: "ar", Title: "مزارعون: الموسم أفضل من العام الماضي", Byline: []string{"سلمان الحربي"},
			Text: "مع بداية موسم التمور التقت الصحيفة المزارع ناصر الدوسري، والمهندس الزراعي فيصل الشمري، وسألتهما عن الموسم.\n\n" +
				"س: كيف ترون إنتاج هذا العام؟\n\nالدوسري: الإنتاج جيد، والأمطار ساعدتنا كثيرا.\n\nالشمري: الجودة أعلى من العام الماضي بفضل الري الحديث.\n\n" +
				"س: وما أكبر مشكلة تواجهكم؟\n\nالشمري: نقص العمالة في وقت الحصاد.\n\nالدوسري: والنقل إلى الأسواق البعيدة.\n\n" +
				"س: وماذا تتوقعون للأسعار؟\n\nالدوسري: ستبقى مستقرة.\n\nالشمري: وربما ترتفع قليلا في رمضان."},
			[]wantTurn{q("سلمان الحربي", "س: كيف"), a("ناصر الدوسري", "الدوسري: الإنتاج"), a("فيصل الشمري", "الشمري: الجودة"),
				q("سلمان الحربي", "س: وما"), a("فيصل الشمري", "الشمري: نقص"), a("ناصر الدوسري", "الدوسري: والنقل"),
				q("سلمان الحربي", "س: وماذا"), a("ناصر الدوسري", "الدوسري: ستبقى"), a("فيصل الشمري", "الشمري: وربما")}},
		{"questions unlabelled", schema.Document{Lang: "en", Title: "Two bakers on the price of flour", Byline: []string{"Tomas Berg"},
			Text: "Flour costs a third more than a year ago. We asked Hanna Kowalski of North Bakery and Omar Haddad, who bakes for six cafés, what they do about it.\n\n" +
				"Have your prices gone up?\n\nKowalski: By ten percent since January. Nobody complained.\n\nHaddad: Mine have not, yet. The cafés signed for the whole year.\n\n" +
				"What about smaller loaves?\n\nHaddad: I tried it once. People notice.\n\nKowalski: We bake fewer kinds instead.\n\n" +
				"Will it get better?\n\nKowalski: The harvest looks good.\n\nHaddad: I hope she is right."},
			[]wantTurn{q("Tomas Berg", "Have"), a("Hanna Kowalski", "Kowalski: By"), a("Omar Haddad", "Haddad: Mine"),
				q("Tomas Berg", "What"), a("Omar Haddad", "Haddad: I tried"), a("Hanna Kowalski", "Kowalski: We"),
				q("Tomas Berg", "Will"), a("Hanna Kowalski", "Kowalski: The"), a("Omar Haddad", "Haddad: I hope")}},
		{"one guest, labels the lede does not introduce", schema.Document{Lang: "en", Title: "A trucker on fuel prices", Byline: []string{"Tomas Berg"},
			Text: "Dana Whitfield has driven freight across the South for twenty years. We asked her about diesel.\n\n" +
				"Q: Where is fuel cheapest on your route?\n\nIt changes every week. Last month it went like this:\n\nTexas: about four dollars a gallon.\n\nLouisiana: a little more.\n\n" +
				"Q: Do you plan around it?\n\nI fill up where I can.\n\nTexas: always, if the timing works.\n\nLouisiana: only when I have to."},
			[]wantTurn{q("Tomas Berg", "Q: Where"), a("Dana Whitfield", "It changes"), q("Tomas Berg", "Q: Do you"), a("Dana Whitfield", "I fill")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkTurns(t, &tt.doc, annotateQA(t, &tt.doc), tt.want)
		})
	}
}

// An official's interview whose answers never say "I" or "we" is an interview when the
// title gives what he told the outlet ("X لـ«الوطن»: …") or the lede says he answered
// its questions, numbered questions or not; the same questions and answers under a
// plain headline are a ministry's FAQ.
func TestQAImpersonalAnswersToOutlet(t *testing.T) {
	const qa = "\n\nما موعد فتح باب القبول؟\n\nيفتح الباب مطلع شهر شوال عبر البوابة الإلكترونية.\n\n" +
		"هل تغيرت شروط القبول؟\n\nأضيف شرط اجتياز اختبار القدرات للتخصصات الصحية.\n\n" +
		"وماذا عن السكن الجامعي؟\n\nتتوفر ألفا وحدة سكنية للطلاب القادمين من خارج المنطقة."
	numbered := strings.NewReplacer("\n\nما موعد", "\n\n١- ما موعد", "\n\nهل تغيرت", "\n\n٢- هل تغيرت", "\n\nوماذا عن", "\n\n٣- وماذا عن").Replace(qa)
	const lede = "أوضح وكيل جامعة الباحة للشؤون التعليمية الدكتور سامي بن عبدالله الغامدي أن الجامعة استكملت استعداداتها للعام الجديد."
	const told = "وكيل جامعة الباحة لـ«الوطن»: القبول يبدأ في شوال"
	for _, tt := range []struct {
		name, title, text string
		turns             int
	}{
		{"title to the outlet", told, lede + qa, 6},
		{"title to the outlet, numbered", told, lede + numbered, 6},
		{"lede: answered the questions", "القبول يبدأ في شوال", lede + " وأجاب الغامدي عن أسئلة الصحيفة." + qa, 6},
		{"no cue", "القبول يبدأ في شوال", lede + qa, 0},
		{"no cue, numbered", "القبول يبدأ في شوال", lede + numbered, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := schema.Document{Lang: "ar", Title: tt.title, Byline: []string{"علي الزهراني"}, Text: tt.text}
			items := annotateQA(t, &doc)
			if len(items) != tt.turns {
				t.Fatalf("%d turns, want %d", len(items), tt.turns)
			}
			if tt.turns > 0 {
				n1, n2, n3 := "", "", ""
				if strings.Contains(tt.text, "١- ") {
					n1, n2, n3 = "١- ", "٢- ", "٣- "
				}
				checkTurns(t, &doc, items, alternate("علي الزهراني", "سامي بن عبدالله الغامدي",
					n1+"ما موعد", "يفتح الباب", n2+"هل تغيرت", "أضيف شرط", n3+"وماذا عن", "تتوفر ألفا"))
			}
		})
	}
	en := func(lede string) schema.Document {
		return schema.Document{Lang: "en", Title: "Port expansion on schedule", Byline: []string{"Ruth Amsel"},
			Text: lede + "\n\nWhen will the new berth open?\n\nIn March, after the dredging is finished.\n\n" +
				"Is the budget still $300 million?\n\nIt is, with a reserve of ten percent.\n\nWill the ferry terminal move?\n\nNo, it stays where it is."}
	}
	const enLede = "The port authority's director, Karen Holt, expects the first ships at the new quay next spring."
	doc := en(enLede + " She answered questions by email.")
	checkTurns(t, &doc, annotateQA(t, &doc), alternate("Ruth Amsel", "Karen Holt", "When", "In March", "Is the", "It is", "Will", "No, it"))
	doc = en(enLede)
	if items := annotateQA(t, &doc); len(items) != 0 {
		t.Errorf("without a cue: %d turns, want none", len(items))
	}
}

// An office on every answer ("الوزير:", "The Ambassador:") labels the one person
// interviewed, whom the lede names; two offices answering are two people, and neither
// takes the lede's name.
func TestQAOfficeLabel(t *testing.T) {
	ar := schema.Document{Lang: "ar", Title: "وزير النقل: القطار السريع يبدأ رحلاته في الربيع", Byline: []string{"منيرة الشهري"},
		Text: "سألت الصحيفة وزير النقل المهندس صالح بن ناصر الجاسر عن مشروعات الوزارة.\n\n" +
			"سؤال: متى يبدأ القطار السريع رحلاته؟\n\nالوزير: في الربيع المقبل، بعد اكتمال الاختبارات.\n\n" +
			"سؤال: وما سعر التذكرة؟\n\nالوزير: لم يحدد بعد.\n\nسؤال: وهل ستربط المحطة بالمطار؟\n\nالوزير: نعم، بخط مباشر."}
	checkTurns(t, &ar, annotateQA(t, &ar), alternate("منيرة الشهري", "صالح بن ناصر الجاسر",
		"سؤال: متى", "الوزير: في", "سؤال: وما", "الوزير: لم", "سؤال: وهل", "الوزير: نعم"))
	en := schema.Document{Lang: "en", Title: "Envoy says talks will resume", Byline: []string{"Leah Moss"},
		Text: "We spoke to Ambassador Joanna Pike about the stalled trade talks.\n\n" +
			"Q: When do talks resume?\n\nThe Ambassador: In two weeks, in Geneva.\n\nQ: What changed?\n\nThe Ambassador: Both sides dropped a demand.\n\n" +
			"Q: Will a deal come this year?\n\nThe Ambassador: I believe so."}
	checkTurns(t, &en, annotateQA(t, &en), alternate("Leah Moss", "Joanna Pike",
		"Q: When", "The Ambassador: In", "Q: What", "The Ambassador: Both", "Q: Will", "The Ambassador: I"))
	two := schema.Document{Lang: "ar", Title: "مشروع المطار الجديد", Byline: []string{"منيرة الشهري"},
		Text: "سألت الصحيفة وزير النقل المهندس صالح بن ناصر الجاسر ومدير المطار عن المشروع.\n\n" +
			"سؤال: متى يفتتح المطار؟\n\nالوزير: في الصيف.\n\nالمدير: والصالات جاهزة.\n\n" +
			"سؤال: وكم عدد الرحلات؟\n\nالمدير: مئة رحلة يوميا.\n\nالوزير: وتزيد لاحقا.\n\nسؤال: والنقل إلى المدينة؟\n\nالوزير: بالقطار.\n\nالمدير: وبالحافلات."}
	for _, it := range annotateQA(t, &two) {
		if it.Label == "answer" && it.Attrs[schema.AttrSpeaker] == "صالح بن ناصر الجاسر" && strings.HasPrefix(it.Text, "المدير") {
			t.Errorf("two offices: the director's answer %q took the minister's name", it.Text)
		}
	}
}

// A paper shortens its own name on the questions ("Herald:" for the Lakeside Herald,
// "اليوم:" for جريدة اليوم, or "LH:"), or is the paper its lede quotes beside a verb of
// meeting ("التقت «اليوم» …"): the label is the outlet, and the questions are the
// journalist's whom the byline names.
func TestQAOutletShortLabel(t *testing.T) {
	en := schema.Document{Lang: "en", SiteName: "Lakeside Herald", Title: "The mayor on the bridge repairs", Byline: []string{"Sam Ortega"},
		Text: "A month after the bridge closed, we asked Mayor Dana Whitcomb about the repairs.\n\n" +
			"Herald: When will the bridge reopen?\n\nWhitcomb: In June, if the steel arrives.\n\nHerald: Who pays?\n\nWhitcomb: Mostly the state.\n\n" +
			"Herald: And the shops on Elm Street?\n\nWhitcomb: Their parking fees are waived."}
	checkTurns(t, &en, annotateQA(t, &en), alternate("Sam Ortega", "Dana Whitcomb",
		"Herald: When", "Whitcomb: In", "Herald: Who", "Whitcomb: Mostly", "Herald: And", "Whitcomb: Their"))
	// Or its brand without the site's generic word ("BBC" of "BBC News").
	brand := en
	brand.SiteName = "Lakeside News"
	brand.Text = strings.ReplaceAll(en.Text, "Herald:", "Lakeside:")
	checkTurns(t, &brand, annotateQA(t, &brand), alternate("Sam Ortega", "Dana Whitcomb",
		"Lakeside: When", "Whitcomb: In", "Lakeside: Who", "Whitcomb: Mostly", "Lakeside: And", "Whitcomb: Their"))
	// Or its initials, as a transcript labels its speakers.
	initials := en
	initials.SiteName = "The Lakeside Herald"
	initials.Text = strings.ReplaceAll(strings.ReplaceAll(en.Text, "Herald:", "LH:"), "Whitcomb:", "DW:")
	checkTurns(t, &initials, annotateQA(t, &initials), alternate("Sam Ortega", "Dana Whitcomb",
		"LH: When", "DW: In", "LH: Who", "DW: Mostly", "LH: And", "DW: Their"))
	ar := schema.Document{Lang: "ar", SiteName: "جريدة اليوم", Title: "مدير الميناء: التوسعة تنتهي العام المقبل", Byline: []string{"فيصل الدوسري"},
		Text: "التقت الصحيفة مدير ميناء الدمام المهندس ماجد العتيبي.\n\n" +
			"اليوم: متى تنتهي التوسعة؟\n\nالعتيبي: في العام المقبل.\n\nاليوم: وكم رصيفا جديدا؟\n\nالعتيبي: أربعة أرصفة.\n\n" +
			"اليوم: وماذا عن الوظائف؟\n\nالعتيبي: ألف وظيفة للشباب."}
	checkTurns(t, &ar, annotateQA(t, &ar), alternate("فيصل الدوسري", "ماجد العتيبي",
		"اليوم: متى", "العتيبي: في", "اليوم: وكم", "العتيبي: أربعة", "اليوم: وماذا", "العتيبي: ألف"))
	// A scrape that keeps no site name: the lede quotes the paper beside a verb of meeting,
	// or as whom the person spoke to or with.
	for _, lede := range []string{"التقت «اليوم» مدير ميناء الدمام المهندس ماجد العتيبي.", "«اليوم» تحاور مدير ميناء الدمام المهندس ماجد العتيبي.",
		"أكد مدير ميناء الدمام المهندس ماجد العتيبي، في حوار مع «اليوم»، أن التوسعة تنتهي العام المقبل.",
		"قال مدير ميناء الدمام المهندس ماجد العتيبي لـ«اليوم» إن التوسعة تنتهي العام المقبل."} {
		scraped := ar
		scraped.SiteName = ""
		scraped.Text = lede + ar.Text[strings.Index(ar.Text, "\n\n"):]
		checkTurns(t, &scraped, annotateQA(t, &scraped), alternate("فيصل الدوسري", "ماجد العتيبي",
			"اليوم: متى", "العتيبي: في", "اليوم: وكم", "العتيبي: أربعة", "اليوم: وماذا", "العتيبي: ألف"))
	}
	// Two journalists in the byline: the paper's name on the questions stands for both,
	// and is the speaker, not the first of them.
	pair := en
	pair.Byline = []string{"Sam Ortega", "Lena Brandt"}
	checkTurns(t, &pair, annotateQA(t, &pair), alternate("Herald", "Dana Whitcomb",
		"Herald: When", "Whitcomb: In", "Herald: Who", "Whitcomb: Mostly", "Herald: And", "Whitcomb: Their"))
	arBrand := ar
	arBrand.SiteName = "الجزيرة نت"
	arBrand.Text = strings.ReplaceAll(ar.Text, "اليوم:", "الجزيرة:")
	checkTurns(t, &arBrand, annotateQA(t, &arBrand), alternate("فيصل الدوسري", "ماجد العتيبي",
		"الجزيرة: متى", "العتيبي: في", "الجزيرة: وكم", "العتيبي: أربعة", "الجزيرة: وماذا", "العتيبي: ألف"))
}

// Whole-word matches of the name machinery: a label of several words in the lede
// (containsWords), an office written as a word of its own (mentionsOffice).
func TestWordMatches(t *testing.T) {
	for _, c := range []struct {
		fn       func(s, words string) bool
		s, words string
		want     bool
	}{
		{containsWords, "we asked ann lee, a nurse", "ann lee", true},
		{containsWords, "ann lee", "ann lee", true},
		{containsWords, "joann leeds said", "ann lee", false},
		{containsWords, "joann leeds and ann lee.", "ann lee", true},
		{containsWords, "التقت ناصر الدوسري والمهندس", "ناصر الدوسري", true},
		{containsWords, "التقت ناصر الدوسريين", "ناصر الدوسري", false},
		{mentionsOffice, "سألت الصحيفة وزير النقل ومدير المطار", "مدير", true},
		{mentionsOffice, "التقت الصحيفة المدير العام للمطار", "مدير", true},
		{mentionsOffice, "وللمدير رأي آخر", "مدير", true},
		{mentionsOffice, "زارت الصحيفة مديرية التعليم", "مدير", false},
		{mentionsOffice, "We met the prime minister's spokesman", "minister", true},
		{mentionsOffice, "The ministers met in Geneva", "minister", false},
		{mentionsOffice, "The administration said", "minister", false},
	} {
		if got := c.fn(c.s, c.words); got != c.want {
			t.Errorf("%s(%q, %q) = %v, want %v", runtime.FuncForPC(reflect.ValueOf(c.fn).Pointer()).Name(), c.s, c.words, got, c.want)
		}
	}
}

func TestIsOfficeLabel(t *testing.T) {
	for _, label := range []string{"The", "A", "An", "One"} {
		if isOfficeLabel(label) {
			t.Errorf("isOfficeLabel(%q) = true: a determiner alone is no office", label)
		}
	}
	for _, label := range []string{"The Ambassador", "Minister", "الوزير"} {
		if !isOfficeLabel(label) {
			t.Errorf("isOfficeLabel(%q) = false", label)
		}
	}
}

// A sports interview marks every question with "●", and half of them are prompts
// ("حدثنا عن بداياتك", "كلمة أخيرة") or a statement put to the player: where the lede
// says it is an interview, the marked paragraphs are the questions, the statement among
// them. The player is named by the title's description ("لاعب الهلال سالم الدوسري: …")
// where the lede calls him otherwise. A tips list marked the same way, with no interview
// cue, gets no turns.
func TestQAMarkedPrompts(t *testing.T) {
	interview := schema.Document{Lang: "ar", Title: "لاعب الهلال سالم الدوسري: هدفي الاحتراف في أوروبا", Byline: []string{"تركي العجمة"},
		Text: "يعيش نجم الهلال سالم الدوسري أفضل فتراته مع فريقه هذا الموسم، بعد أن سجل ثمانية أهداف في الدوري. «الرياضية» التقته بعد تدريبات الفريق أمس وكان هذا الحوار:\n\n" +
			"● حدثنا عن بداياتك مع كرة القدم\n\nبدأت في حواري الرياض، ثم انضممت إلى فئات الهلال السنية وعمري أحد عشر عاما.\n\n" +
			"● ثمانية أهداف حتى الآن.. هل توقعت هذا؟\n\nلم أتوقع هذا العدد، لكنني عملت كثيرا في الصيف على اللمسة الأخيرة.\n\n" +
			"● البعض يرى أنك تفضل اللعب الفردي\n\nهذا غير صحيح، وأرقامي في التمريرات الحاسمة تقول ذلك.\n\n" +
			"● ما طموحك في المرحلة المقبلة؟\n\nالاحتراف في أوروبا هدفي.\n\n● كلمة أخيرة\n\nشكرا لجماهير الهلال."}
	checkTurns(t, &interview, annotateQA(t, &interview), alternate("تركي العجمة", "سالم الدوسري",
		"● حدثنا", "بدأت", "● ثمانية", "لم أتوقع", "● البعض", "هذا غير", "● ما طموحك", "الاحتراف", "● كلمة", "شكرا"))
	tips := schema.Document{Lang: "ar", Title: "خمس نصائح قبل شراء سيارة مستعملة", Byline: []string{"سبق"},
		Text: "يقبل كثير من الشباب على شراء السيارات المستعملة، لكن الخبراء ينصحون بالتأني قبل الشراء.\n\n" +
			"● افحص السيارة عند ورشة موثوقة\n\nيكشف الفحص الشامل عيوب المحرك التي لا تظهر في التجربة القصيرة.\n\n" +
			"● هل السعر مناسب؟\n\nقارن السعر بأسعار السيارات المماثلة في مواقع البيع.\n\n" +
			"● راجع سجل الصيانة\n\nالسيارة التي صينت بانتظام تعيش أطول.\n\n● من المالك السابق؟\n\nالسيارة التي تنقلت بين ملاك كثيرين قد تخفي مشكلات.\n\n" +
			"● جرب السيارة على الطريق السريع\n\nالقيادة بسرعات عالية تكشف الاهتزازات."}
	if items := annotateQA(t, &tips); len(items) != 0 {
		t.Errorf("tips list: %d turns, want none; first %q", len(items), items[0].Text)
	}
}

// An English lede names the person in its first capitalised words, but the words that
// present them ("Meet …") are no part of the name, and a body or place after "the" is no
// person, up to its comma.
func TestFirstEnName(t *testing.T) {
	for text, want := range map[string]string{
		"Meet Jonah Whitfield, the carpenter who built a theatre in a mill.":  "Jonah Whitfield",
		"Jonah Whitfield, 52, spent a decade turning a mill into a theatre.":  "Jonah Whitfield",
		"Introducing Ana Ruiz, our new columnist.":                            "Ana Ruiz",
		"In the Old Mill Theatre, Jonah Whitfield sells out most nights.":     "Jonah Whitfield",
		"Welcome to the Old Mill, where the carpenter Jonah Whitfield works.": "Jonah Whitfield",
	} {
		if got := firstEnName(text); got != want {
			t.Errorf("firstEnName(%q) = %q, want %q", text, got, want)
		}
	}
}

// A dateline opening the text has a speaker label's shape ("جدة: التقت …", "RIYADH:
// Saudi Foreign Minister …"): it is part of the lede, no speaker and no turn. A label in
// capitals that goes on labelling paragraphs is a speaker's.
func TestQADatelineIsNoSpeaker(t *testing.T) {
	ar := schema.Document{Lang: "ar", Title: "مدير تعليم مكة: أربعون مدرسة جديدة", Byline: []string{"بدر الغانمي"},
		Text: "جدة: التقت «عكاظ» مدير عام التعليم بمنطقة مكة المكرمة الدكتور أحمد الزهراني، وكان هذا الحوار:\n\n" +
			"عكاظ: كيف تستعدون للعام الدراسي الجديد؟\n\nالزهراني: جهزنا المدارس، ونحن جاهزون.\n\n" +
			"عكاظ: وماذا عن نقص المعلمين؟\n\nالزهراني: عالجنا معظمه بالتعاقد.\n\nعكاظ: هل هناك مدارس جديدة؟\n\nالزهراني: نعم، أربعون مدرسة."}
	checkTurns(t, &ar, annotateQA(t, &ar), alternate("بدر الغانمي", "أحمد الزهراني",
		"عكاظ: كيف", "الزهراني: جهزنا", "عكاظ: وماذا", "الزهراني: عالجنا", "عكاظ: هل", "الزهراني: نعم"))
	// After the highlights a scrape opens with.
	highlights := ar
	highlights.Text = "- أربعون مدرسة جديدة هذا العام\n\n- لا نقص في المعلمين\n\n" + ar.Text
	checkTurns(t, &highlights, annotateQA(t, &highlights), alternate("بدر الغانمي", "أحمد الزهراني",
		"عكاظ: كيف", "الزهراني: جهزنا", "عكاظ: وماذا", "الزهراني: عالجنا", "عكاظ: هل", "الزهراني: نعم"))
	en := schema.Document{Lang: "en", SiteName: "Arab News", Title: "Al-Jubeir: Kingdom will keep supporting Yemen's government", Byline: []string{"Rashid Hassan"},
		Text: "RIYADH: Saudi Foreign Minister Adel Al-Jubeir spoke to Arab News about Yemen, Iran and the Kingdom's economic reforms.\n\n" +
			"ARAB NEWS: What is the Kingdom's position on the talks?\n\nAL-JUBEIR: We support any political solution.\n\n" +
			"ARAB NEWS: Do you see a role for Iran?\n\nAL-JUBEIR: Only if Iran stops arming the militias.\n\n" +
			"ARAB NEWS: How will the reforms change daily life?\n\nAL-JUBEIR: They will create jobs for young people."}
	checkTurns(t, &en, annotateQA(t, &en), alternate("Rashid Hassan", "Adel Al-Jubeir",
		"ARAB NEWS: What", "AL-JUBEIR: We", "ARAB NEWS: Do", "AL-JUBEIR: Only", "ARAB NEWS: How", "AL-JUBEIR: They"))
	transcript := en
	transcript.Text = "HASSAN: Minister, thank you for your time. What is the Kingdom's position on the talks?\n\n" +
		strings.ReplaceAll(en.Text[strings.Index(en.Text, "AL-JUBEIR: We"):], "ARAB NEWS:", "HASSAN:")
	checkTurns(t, &transcript, annotateQA(t, &transcript), alternate("Rashid Hassan", "Al-Jubeir",
		"HASSAN: Minister", "AL-JUBEIR: We", "HASSAN: Do", "AL-JUBEIR: Only", "HASSAN: How", "AL-JUBEIR: They"))
}

// A label that gives the full name gives it as the lede's names come out: without a
// courtesy or academic title ("Dr.", "د."), with a rank or a knighthood.
func TestQALabelTitles(t *testing.T) {
	for _, tt := range []struct {
		lang, label, want string
	}{
		{"en", "Dr. Henrik Sollie", "Henrik Sollie"},
		{"en", "Prof. Amara Diallo", "Amara Diallo"},
		{"en", "Sir Ian Blake", "Sir Ian Blake"},
		{"ar", "د. سامية العمودي", "سامية العمودي"},
		{"ar", "الدكتورة سامية العمودي", "سامية العمودي"},
		{"ar", "العميد عبدالله الصبيحي", "العميد عبدالله الصبيحي"},
	} {
		q, a := "Q: How fast is it melting?", "Faster than we thought."
		if tt.lang == "ar" {
			q, a = "س: ما سرعة الذوبان؟", "أسرع مما ظننا."
		}
		var b strings.Builder
		b.WriteString("Our reporter met the scientist.")
		for range 3 {
			b.WriteString("\n\n" + q + "\n\n" + tt.label + ": " + a)
		}
		doc := schema.Document{Lang: tt.lang, Title: "The melting glacier", Byline: []string{"Leah Moss"}, Text: b.String()}
		items := annotateQA(t, &doc)
		if len(items) != 6 {
			t.Errorf("%s: %d turns, want 6", tt.label, len(items))
			continue
		}
		if got := items[1].Attrs[schema.AttrSpeaker]; got != tt.want {
			t.Errorf("%s: speaker %q, want %q", tt.label, got, tt.want)
		}
	}
}

// The journalist the byline names meets, or talks to, the interviewee, who may be
// described before the name ("talked to theatre founder Jonah Whitfield").
func TestQAEnglishLedeVerbs(t *testing.T) {
	for _, lede := range []string{
		"Maya Lund meets Jonah Whitfield, the carpenter who built a theatre in a mill.",
		"Our arts editor Maya Lund talked to theatre founder Jonah Whitfield about permits and luck.",
		"Maya Lund met with Jonah Whitfield at the mill.",
	} {
		doc := schema.Document{Lang: "en", Title: "The mill that became a theatre", Byline: []string{"Maya Lund"},
			Text: lede + "\n\nQ: How did it start?\n\nA: With a phone call from my sister.\n\nQ: What was hardest?\n\nA: The permits.\n\nQ: Any advice?\n\nA: Keep your day job."}
		checkTurns(t, &doc, annotateQA(t, &doc), alternate("Maya Lund", "Jonah Whitfield",
			"Q: How", "A: With", "Q: What", "A: The", "Q: Any", "A: Keep"))
	}
}

// A publisher's byline ("Harbor Daily Staff", stored as the site's name) names no one who
// asked: a closing credit line ("Interview by Maya Lund.") does, without its full stop;
// with neither, the questions are the outlet's.
func TestQAPublisherByline(t *testing.T) {
	body := "This interview has been edited for length and clarity.\n\nHow did the project start?\n\nWith a phone call from my sister.\n\n" +
		"What was the hardest part?\n\nThe permits. I nearly gave up twice.\n\nWhat would you tell someone starting out?\n\nFind a partner you trust."
	doc := schema.Document{Lang: "en", SiteName: "Harbor Daily", Title: "Jonah Whitfield on building a theatre", Byline: []string{"Harbor Daily"},
		Text: body + "\n\nInterview by Maya Lund."}
	checkTurns(t, &doc, annotateQA(t, &doc), alternate("Maya Lund", "Jonah Whitfield",
		"How did", "With a phone", "What was", "The permits", "What would", "Find a partner"))
	doc.Text = body
	checkTurns(t, &doc, annotateQA(t, &doc), alternate("Harbor Daily", "Jonah Whitfield",
		"How did", "With a phone", "What was", "The permits", "What would", "Find a partner"))
}

// A scrape that lost its line breaks writes a marked interview inside paragraphs ("… *
// كم زائرا تتوقعون؟ - نتوقع مليون زائر. * وهل …"): each marked question and dashed
// answer is a turn. One or two such pairs in a news story are prose, and stay whole.
func TestQAInlineMarkers(t *testing.T) {
	const lede = "أجرت «سبق» حوارا مع رئيس هيئة السياحة في منطقة الباحة سعيد الغامدي عن موسم الصيف."
	pairs := []string{"* كم زائرا تتوقعون هذا الصيف؟ - نتوقع مليون زائر، بزيادة الربع عن العام الماضي.",
		"* وهل الفنادق كافية؟ - لا، ولذلك رخصنا لثلاثين شقة مفروشة جديدة.",
		"* ما أبرز الفعاليات؟ - مهرجان الورد ومسابقة الشعر وسوق الأسر المنتجة."}
	starts := []string{"* كم زائرا", "- نتوقع مليون", "* وهل الفنادق", "- لا، ولذلك", "* ما أبرز", "- مهرجان الورد"}
	for name, text := range map[string]string{
		"one paragraph":     lede + " " + strings.Join(pairs, " "),
		"a pair to a line":  lede + "\n\n" + strings.Join(pairs, "\n\n"),
		"lede on its own":   lede + "\n\n" + strings.Join(pairs, " "),
		"stretched answers": lede + "\n\n" + strings.ReplaceAll(strings.Join(pairs, "\n\n"), "؟ - ", "؟ ـ "),
	} {
		t.Run(name, func(t *testing.T) {
			doc := schema.Document{Lang: "ar", Title: "الغامدي: السياحة الداخلية تنمو", Byline: []string{"حاوره: فهد القحطاني"}, Text: text}
			want := alternate("فهد القحطاني", "سعيد الغامدي", starts...)
			if name == "stretched answers" {
				want = alternate("فهد القحطاني", "سعيد الغامدي", "* كم زائرا", "ـ نتوقع مليون", "* وهل الفنادق", "ـ لا، ولذلك", "* ما أبرز", "ـ مهرجان الورد")
			}
			checkTurns(t, &doc, annotateQA(t, &doc), want)
		})
	}
	// A byline of the outlet and its city names the outlet as the interviewer.
	doc := schema.Document{Lang: "ar", Title: "الغامدي: السياحة الداخلية تنمو", Byline: []string{"سبق- الرياض"}, Text: lede + " " + strings.Join(pairs, " ")}
	checkTurns(t, &doc, annotateQA(t, &doc), alternate("سبق", "سعيد الغامدي", starts...))
	news := schema.Document{Lang: "ar", Title: "الأمطار تغلق طرقا في الباحة", Byline: []string{"سبق- الباحة"},
		Text: "أغلقت الأمطار الغزيرة ثلاثة طرق في منطقة الباحة أمس. * هل هذا معقول؟ - سؤال يتكرر كل موسم، دون أن تجد البلدية له جوابا.\n\n" +
			"* وهل تكفي فرق الدفاع المدني؟ - يقول الأهالي إنها لا تكفي. وقال أحد السكان إن المياه دخلت منزله.\n\nوأكد الدفاع المدني أن فرقه تعمل على فتح الطرق."}
	if items := annotateQA(t, &news); len(items) != 0 {
		t.Errorf("two marked questions in a news story: %d turns, want none", len(items))
	}
}

// Where the answers are marked ("ـ …") and the questions are not, an answer may ask a
// question of its own and go on ("فهل يعقل …؟", then "نحن نفوز معا …"): the question is
// the last group of paragraphs ending in "؟" before the next answer. A trade given as a
// title ("الحارس محمد العويس: …") is no part of the name.
func TestQAAnswerAsksItself(t *testing.T) {
	const lede = "حارس المنتخب محمد العويس تحدث لـ«الرياضي» عن مشاركة المنتخب المقبلة وعن الانتقادات التي طالته بعد المباراة الأخيرة.\n\n"
	const qa = "كيف تقيم مستواك هذا الموسم؟\n\nـ راض عنه إلى حد كبير، لعبت ثلاثين مباراة ولم تهتز شباكي إلا في اثنتي عشرة منها.\n\n" +
		"لكن الجماهير حملتك مسؤولية الخسارة الأخيرة؟\n\nـ أتقبل النقد، لكن الخسارة مسؤولية الفريق كله.\n\n" +
		"فهل يعقل أن يتحمل لاعب واحد خسارة فريق كامل؟\n\nنحن نفوز معا ونخسر معا، وهذا ما تعلمته من مدربي الأول.\n\n" +
		"ما طموحك مع المنتخب؟\n\nـ التأهل إلى كأس العالم، وأن أكون الحارس الأول.\n\nوماذا تقول للجماهير؟\n\nـ أطلب منها الصبر والدعم."
	doc := schema.Document{Lang: "ar", Title: "الحارس محمد العويس: المنتخب يحتاج إلى الصبر", Byline: []string{"حوار - ماجد الحربي"}, Text: lede + qa}
	items := annotateQA(t, &doc)
	checkTurns(t, &doc, items, alternate("ماجد الحربي", "محمد العويس",
		"كيف تقيم", "ـ راض عنه", "لكن الجماهير", "ـ أتقبل النقد", "ما طموحك", "ـ التأهل", "وماذا تقول", "ـ أطلب منها"))
	if !strings.Contains(items[3].Text, "نحن نفوز معا") {
		t.Errorf("the answer lost its own question and what follows: %q", items[3].Text)
	}
	// Two questions in a row before an answer are one turn.
	two := doc
	two.Text = lede + strings.Replace(qa, "ما طموحك مع المنتخب؟", "وبعد الخسارة؟\n\nما طموحك مع المنتخب؟", 1)
	checkTurns(t, &two, annotateQA(t, &two), alternate("ماجد الحربي", "محمد العويس",
		"كيف تقيم", "ـ راض عنه", "لكن الجماهير", "ـ أتقبل النقد", "وبعد الخسارة", "ـ التأهل", "وماذا تقول", "ـ أطلب منها"))
}

// The byte-level prefilters of splitInlineMarkers agree with its regexp's reading.
func TestInlineMarkerPrefilters(t *testing.T) {
	for s, want := range map[string]bool{
		"كم زائرا؟ - نتوقع":       true,
		"Why now?\u00a0– Because": true,
		"وهل تكفي؟ ـ لا":          true,
		"Why now? Because":        false,
		"Why now?- Because":       false,
		"سعر 5 - 7 ريالات":        false,
	} {
		if got := dashAfterQuestion(s); got != want {
			t.Errorf("dashAfterQuestion(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{"* سؤال": true, "> quote": true, "• نقطة": true, "● بند": true, "- جواب": false} {
		if got := hasMarker(s); got != want {
			t.Errorf("hasMarker(%q) = %v, want %v", s, got, want)
		}
	}
}

// A court report quoting the judge's questions and the accused's answers under their
// labels ("القاضي:", "المتهم:") reports an exchange; it is no interview. The same labels
// of a paper whose name is a word ("المدينة:") and of an office ("الوزير:") are one.
// "حوار" meaning a dialogue between others, or a national dialogue, is no interview cue.
func TestQAReportedExchange(t *testing.T) {
	const exchange = "القاضي: هل تعترف بما نسب إليك؟\n\nالمتهم: لا، لم أحتل على أحد، والعقود موقعة من الطرفين.\n\n" +
		"القاضي: ولماذا لم تسلم الوحدات في موعدها؟\n\nالمتهم: بسبب تأخر المقاول، وقد رفعت عليه قضية.\n\n" +
		"القاضي: هل لديك ما يثبت ذلك؟\n\nالمتهم: نعم، وسيقدمه المحامي في الجلسة المقبلة."
	court := schema.Document{Lang: "ar", Title: "المحكمة تؤجل النظر في قضية الاحتيال العقاري", Byline: []string{"جدة - عكاظ"},
		Text: "أجلت المحكمة الجزائية في جدة أمس النظر في قضية الاحتيال العقاري إلى الشهر المقبل.\n\nوشهدت الجلسة حوارا بين القاضي والمتهم الأول، جاء فيه:\n\n" + exchange}
	if items := annotateQA(t, &court); len(items) != 0 {
		t.Errorf("a court exchange: %d turns, want none", len(items))
	}
	office := schema.Document{Lang: "ar", Title: "وزير الإسكان: الوحدات تسلم في موعدها", Byline: []string{"حوار - فهد الحربي"}, SiteName: "المدينة",
		Text: "التقت الصحيفة وزير الإسكان ماجد الحقيل في مكتبه بالرياض.\n\n" +
			strings.NewReplacer("القاضي:", "المدينة:", "المتهم:", "الوزير:").Replace(exchange)}
	checkTurns(t, &office, annotateQA(t, &office), alternate("فهد الحربي", "ماجد الحقيل",
		"المدينة: هل", "الوزير: لا", "المدينة: ولماذا", "الوزير: بسبب", "المدينة: هل", "الوزير: نعم"))
	en := schema.Document{Lang: "en", Title: "Harbour fraud trial adjourned", Byline: []string{"Clara Mendes"},
		Text: "The trial of a harbour contractor accused of fraud was adjourned on Monday after an exchange in which the judge pressed him on the missing invoices.\n\n" +
			"The Judge: Did you sign these invoices?\n\nThe Defendant: I signed some of them, not all.\n\n" +
			"The Judge: Which ones did you not sign?\n\nThe Defendant: The ones from March.\n\n" +
			"The Judge: Why were they paid, then?\n\nThe Defendant: I do not know. The office paid them."}
	if items := annotateQA(t, &en); len(items) != 0 {
		t.Errorf("an English court exchange: %d turns, want none", len(items))
	}
	// Where nothing says "المدينة" is the paper, the office answering still makes it an
	// interview.
	office.SiteName = ""
	if items := annotateQA(t, &office); len(items) != 6 {
		t.Errorf("an office answering a label that is a word: %d turns, want 6", len(items))
	}
	for lede, want := range map[string]bool{
		"وشهدت الجلسة حوارا بين القاضي والمتهم.":         false,
		"افتتح مؤتمر الحوار الوطني أعماله أمس.":          false,
		"وقال الوزير في حوار مع «الوطن» إن الخطة جاهزة.": true,
		"حاورته الصحيفة في مكتبه.":                       true,
	} {
		doc := schema.Document{Lang: "ar", Title: "خبر", Text: lede}
		if cue, _ := interviewCues(&doc, []qaPara{classifyPara(doc.Paragraphs()[0])}); cue != want {
			t.Errorf("interviewCues(%q) = %v, want %v", lede, cue, want)
		}
	}
}

// Two guests the lede names answer under their family names after the answer marker;
// the second answers once, and its label names him as the first's does.
func TestQASecondGuestAnswersOnce(t *testing.T) {
	doc := schema.Document{Lang: "ar", Title: "وزيرا الخارجية والاقتصاد لـ«الشرق الأوسط»: الاتفاق قريب", Byline: []string{"لندن: أسماء الغابري"},
		Text: "التقت «الشرق الأوسط» وزير الخارجية فيصل العلي ووزير الاقتصاد سامي النجار على هامش المؤتمر في لندن.\n\n" +
			"* متى يوقع الاتفاق؟\n\n- العلي: خلال الشهر المقبل، بعد أن تنتهي اللجان الفنية من عملها.\n\n" +
			"* وما أثره على الاقتصاد؟\n\n- النجار: سيضاعف التبادل التجاري خلال ثلاث سنوات.\n\n" +
			"* هل هناك خلافات باقية؟\n\n- العلي: نقاط صغيرة، ستحل في الجولة الأخيرة."}
	items := annotateQA(t, &doc)
	if len(items) != 6 {
		t.Fatalf("%d turns, want 6", len(items))
	}
	for i, want := range []string{"أسماء الغابري", "فيصل العلي", "أسماء الغابري", "سامي النجار", "أسماء الغابري", "فيصل العلي"} {
		if got := items[i].Attrs[schema.AttrSpeaker]; got != want {
			t.Errorf("turn %d: speaker %q, want %q", i+1, got, want)
		}
	}
}

// A rank that is also an everyday noun ("الفريق", the team) inside a player's description
// does not open a name: the name closes the description.
func TestLedeNameAfterEverydayRank(t *testing.T) {
	for text, want := range map[string]string{
		"أوضح حارس مرمى الفريق الأول لكرة السلة بنادي النصر فيصل العنزي أن الموسم صعب.": "فيصل العنزي",
		"قال قائد القوات البرية الفريق فهد الشهري إن التدريبات مستمرة.":                 "فهد الشهري",
		"أكد العميد الركن أحمد المالكي أن الوضع مستقر.":                                 "أحمد المالكي",
	} {
		var got []string
		for _, c := range ledeNames(text, "ar", nil) {
			got = append(got, c.name)
		}
		if len(got) == 0 || !slices.Contains(got, want) {
			t.Errorf("%s: candidates %q, want %q", text, got, want)
		}
		for _, g := range got {
			if strings.Contains(g, "لكرة") {
				t.Errorf("%s: candidate %q is the description", text, g)
			}
		}
	}
}

// Two labelled exchanges inside a story are quoted, not an interview: a court report's
// cross-examination, a review's buyers' questions. The same two with the page saying it
// interviews someone are its turns.
func TestQATwoLabelledExchanges(t *testing.T) {
	story := "The trial of a former harbour official continued on Tuesday at the district court.\n\n" +
		"Prosecutor Anne Ward showed the jury a contract signed in 2019 and asked about the sums it named.\n\n" +
		"Q: Did you sign this contract?\n\nA: I did, after the board approved it.\n\n" +
		"Ms Ward then turned to the payments made in the following spring.\n\n" +
		"Q: Who told you to approve the second payment?\n\nA: Nobody told me. It was on the list.\n\n" +
		"The defence will open its case next week, and the trial is expected to last a month."
	if items := annotateQA(t, &schema.Document{Lang: "en", Title: "Harbour official tells jury he followed the board", Byline: []string{"Tom Reed"}, Text: story}); len(items) != 0 {
		t.Errorf("court report: %d turns, want none", len(items))
	}
	review := "جربنا المكنسة الجديدة ثلاثة أسابيع في شقة صغيرة، وهي هادئة وخفيفة لكن بطاريتها قصيرة.\n\n" +
		"أسئلة من المشترين:\n\nس: هل تعمل على السجاد؟\n\nج: نعم، لكن بقوة أقل.\n\nس: كم تدوم البطارية؟\n\nج: نحو أربعين دقيقة.\n\n" +
		"السعر مناسب لفئتها، وننصح بها لمن لا يملك سجادا كثيرا."
	if items := annotateQA(t, &schema.Document{Lang: "ar", Title: "مراجعة: مكنسة لاسلكية خفيفة", Text: review}); len(items) != 0 {
		t.Errorf("product review: %d turns, want none", len(items))
	}
	interview := "Two questions for the new harbour master, Ruth Kemp, who takes office on Monday. She spoke to the Courier.\n\n" +
		"Q: What comes first?\n\nA: The dredging. The channel is too shallow for the new ferries.\n\n" +
		"Q: And the old warehouses?\n\nA: We will let them to the fishermen's cooperative."
	if items := annotateQA(t, &schema.Document{Lang: "en", Title: "Two questions for the harbour master", Text: interview}); len(items) != 4 {
		t.Errorf("two-question interview: %d turns, want 4", len(items))
	}
	headed := "Ruth Kemp takes office as harbour master on Monday.\n\n" +
		"Q: What comes first?\n\nA: The dredging. The channel is too shallow for the new ferries.\n\n" +
		"Q: And the old warehouses?\n\nA: We will let them to the fishermen's cooperative."
	if items := annotateQA(t, &schema.Document{Lang: "en", Title: "Ruth Kemp: the ferries come first", Text: headed}); len(items) != 4 {
		t.Errorf("two questions under the interviewee's quoted title: %d turns, want 4", len(items))
	}
}
