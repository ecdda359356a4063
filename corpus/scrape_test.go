package corpus

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/config"
)

func TestExtractEnglishScrape(t *testing.T) {
	path := filepath.Join("testdata", "extract", "english_scrape.txt")
	doc, err := Extract(Raw{Data: readFile(t, path), Format: "text", Path: path,
		URL: "https://www.harbourledger.example/news/harbour-reopens"},
		ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Harbour reopens after storm damage is repaired" {
		t.Errorf("title = %q", doc.Title)
	}
	if doc.Published != "2023-03-03T21:15:00Z" {
		t.Errorf("published = %q", doc.Published)
	}
	if strings.Join(doc.Byline, "|") != "Jane Smith|Omar Haddad" {
		t.Errorf("byline = %q", doc.Byline)
	}
	if doc.Section != "Local News" {
		t.Errorf("section = %q", doc.Section)
	}
	if doc.Lang != "en" {
		t.Errorf("lang = %q", doc.Lang)
	}
	if v, _ := doc.Meta["views"].(int); v != 1024 {
		t.Errorf("views = %v", doc.Meta["views"])
	}
	paras := strings.Split(doc.Text, "\n\n")
	if len(paras) != 3 || !strings.HasPrefix(paras[0], "The town harbour reopened") ||
		!strings.HasSuffix(paras[2], "has fully cured.") {
		t.Errorf("text = %q", doc.Text)
	}
	for _, bad := range []string{"Advertisement", "Read more", "Storm warning", "harbourledger", "Subscribe"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("text contains %q", bad)
		}
	}
}

// Configured markers add to the built-in ones: a site's own ad line, end line and byline
// prefix, here on an Arabic scrape without a date line.
func TestExtractScrapeConfiguredMarkers(t *testing.T) {
	in := strings.Join([]string{
		"جريدة المثال",
		"",
		"اقتصاد",
		"",
		"ارتفاع أسعار النفط في الأسواق العالمية",
		"",
		"مراسلنا: سالم الكعبي",
		"",
		"ارتفعت أسعار النفط اليوم في الأسواق العالمية بعد قرار الدول المنتجة خفض الإنتاج خلال الأشهر المقبلة.",
		"",
		"رعاية تجارية",
		"",
		"وقال محللون إن الأسعار قد تواصل الارتفاع إذا استمر الطلب على حاله خلال فصل الشتاء المقبل.",
		"",
		"من أرشيف الجريدة",
		"",
		"خبر قديم عن أسعار الذهب في الأسواق المحلية والعالمية وتأثيرها على المستهلكين في المنطقة",
	}, "\n")
	src := config.Source{Lang: "ar", Boilerplate: config.Boilerplate{
		Drop:           []string{"رعاية تجارية"},
		End:            []string{"من أرشيف الجريدة"},
		BylinePrefixes: []string{"مراسلنا:"},
	}}
	doc, err := Extract(Raw{Data: []byte(in), Format: "text"}, ExtractOptions{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "ارتفاع أسعار النفط في الأسواق العالمية" || doc.Section != "اقتصاد" {
		t.Errorf("title %q section %q", doc.Title, doc.Section)
	}
	if len(doc.Byline) != 1 || doc.Byline[0] != "سالم الكعبي" {
		t.Errorf("byline = %q", doc.Byline)
	}
	if doc.Published != "" {
		t.Errorf("published = %q, want none", doc.Published)
	}
	if strings.Contains(doc.Text, "رعاية") || strings.Contains(doc.Text, "الذهب") || len(strings.Split(doc.Text, "\n\n")) != 2 {
		t.Errorf("text = %q", doc.Text)
	}
}

func TestExtractScrapeNoBody(t *testing.T) {
	_, err := Extract(Raw{Data: []byte("Advertisement\n\n2263\n"), Format: "text", Path: "x.txt", Record: "line 3"}, ExtractOptions{})
	if !errors.Is(err, ErrNoText) {
		t.Fatalf("err = %v, want ErrNoText", err)
	}
	if !strings.Contains(err.Error(), "x.txt line 3") {
		t.Errorf("error %q does not name the input", err)
	}
}

// A header line that names the section outright ("Section: Local news") is the section,
// in English and Arabic, and is not part of the text.
func TestExtractScrapeSectionLabel(t *testing.T) {
	for _, tt := range []struct{ text, section, starts string }{
		{"Harbour reopens after winter storm\nBy Jane Smith\nPublished: March 3, 2024 09:30 GMT\nSection: Local news\nThe town harbour reopened on Friday, three weeks after a winter storm tore away part of the northern breakwater.\n",
			"Local news", "The town harbour"},
		{"افتتاح الميناء بعد العاصفة\nبقلم: سامي خليل\nالأحد 3 مارس 2024\nالقسم: محليات\nأعيد افتتاح ميناء المدينة يوم الجمعة بعد ثلاثة أسابيع من العاصفة التي دمرت جزءا من كاسر الأمواج الشمالي.\n",
			"محليات", "أعيد افتتاح"},
	} {
		doc, err := Extract(Raw{Data: []byte(tt.text), Format: "text"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Section != tt.section || !strings.HasPrefix(doc.Text, tt.starts) {
			t.Errorf("section %q, text %.40q; want %q, %q", doc.Section, doc.Text, tt.section, tt.starts)
		}
	}
}

// A header line that packs a byline and a date ("By Jane Doe | March 3, 2024 10:15 AM
// ET") anchors the header like a date line: it was taken for the title (its names and
// date making more words than a byline has), and the document had no byline or date.
func TestExtractScrapePackedHeaderLine(t *testing.T) {
	for _, tt := range []struct{ text, title, byline, published string }{
		{"Harbour Times\n\nLocal\n\nHarbour reopens after the storm\n\nBy Jane Doe | March 3, 2024 10:15 AM ET\n\n" +
			"The town harbour reopened on Friday, three weeks after a winter storm tore away part of the northern breakwater.\n",
			"Harbour reopens after the storm", "Jane Doe", "2024-03-03T10:15:00-05:00"},
		{"افتتاح الميناء بعد العاصفة\nبقلم: سامي خليل • الأحد 3 مارس 2024 - 09:30 ص\n" +
			"أعيد افتتاح ميناء المدينة يوم الجمعة بعد ثلاثة أسابيع من العاصفة التي دمرت جزءا من كاسر الأمواج الشمالي.\n",
			"افتتاح الميناء بعد العاصفة", "سامي خليل", "2024-03-03T09:30:00Z"},
	} {
		doc, err := Extract(Raw{Data: []byte(tt.text), Format: "text"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != tt.title || len(doc.Byline) != 1 || doc.Byline[0] != tt.byline || doc.Published != tt.published {
			t.Errorf("title %q, byline %q, published %q; want %q, %q, %q", doc.Title, doc.Byline, doc.Published, tt.title, tt.byline, tt.published)
		}
	}
}

// Arabic papers write the dash after a byline label as a tatweel ("حوار ـ محمد"), which
// marker folding drops: such a line was no byline and became the title. Of a headline
// with a deck line under it, the headline is the title (it was the deck's last line).
func TestExtractScrapeTatweelDashByline(t *testing.T) {
	text := "والد اللاعب يكشف تفاصيل طفولته\nرفض انتقاله إلى نادٍ آخر\nحوار ـ سعد العتيبي\n\nكشف ماجد الغامدي والد اللاعب أن ابنه بدأ اللعب في الحي.\nمتى بدأ اللعب؟\nـ في السادسة.\n"
	doc, err := Extract(Raw{Data: []byte(text), Format: "text"}, ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "والد اللاعب يكشف تفاصيل طفولته" || !reflect.DeepEqual(doc.Byline, []string{"سعد العتيبي"}) || !strings.HasPrefix(doc.Text, "كشف ماجد") {
		t.Errorf("title %q byline %q text %.30q", doc.Title, doc.Byline, doc.Text)
	}
}

// A headline that ends in a quotation ends like a sentence; followed by a byline and a
// date it is still the title, not the first line of the body.
func TestExtractScrapeQuotedTitle(t *testing.T) {
	for _, title := range []string{`Tennis star Elena Marsh: "I still get nervous"`, `Tennis star Elena Marsh: “I still get nervous”`, `الفنانة ليلى حسن: «المسرح بيتي الأول»`} {
		text := title + "\n\nBy Paul Grant\n\n1 July 2024\n\nElena Marsh, the world number three, arrives at Wimbledon after a long injury. We met her at the club.\n\n— How is the knee?\n\n— Better than I feared.\n"
		doc, err := Extract(Raw{Data: []byte(text), Format: "text"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != title || !reflect.DeepEqual(doc.Byline, []string{"Paul Grant"}) || doc.Published != "2024-07-01T00:00:00Z" || !strings.HasPrefix(doc.Text, "Elena Marsh, the world") {
			t.Errorf("%s: title %q byline %q published %q text %.30q", title, doc.Title, doc.Byline, doc.Published, doc.Text)
		}
	}
}

// A headline with a byline under it is the title though no date line follows, even when
// it ends in a quotation as a sentence does.
func TestExtractScrapeTitleAboveByline(t *testing.T) {
	text := "Central bank chief: \"We will not hesitate to act\"\nBy Daniel Moore\nIn an interview on Tuesday, governor Maria Lopez said inflation remained the bank's main concern.\nQ. Will rates go up again?\nA. I will not pre-empt the committee.\n"
	doc, err := Extract(Raw{Data: []byte(text), Format: "text"}, ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != `Central bank chief: "We will not hesitate to act"` || !reflect.DeepEqual(doc.Byline, []string{"Daniel Moore"}) || !strings.HasPrefix(doc.Text, "In an interview") {
		t.Errorf("title %q byline %q text %.30q", doc.Title, doc.Byline, doc.Text)
	}
	// Without the byline the same first line is where the body starts.
	doc, err = Extract(Raw{Data: []byte(strings.Replace(text, "By Daniel Moore\n", "", 1)), Format: "text"}, ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "" || !strings.HasPrefix(doc.Text, "Central bank chief") {
		t.Errorf("no byline: title %q text %.30q", doc.Title, doc.Text)
	}
}

// Arabic papers set the byline under the headline as a dateline and a name with no label
// ("جدة: نوف الحربي", "الدمام - ماجد العنزي"); alone at the top such a line may as well be
// a headline, and a section label is no byline.
func TestExtractScrapeArDatelineByline(t *testing.T) {
	const title = "المدرب الوطني: المنتخب جاهز للتصفيات"
	const body = "أكد مدرب المنتخب الوطني لكرة اليد سعد الشهري أن اللاعبين في أتم الجاهزية لخوض التصفيات الآسيوية المقبلة.\nكيف تقيم المعسكر الأخير؟\nالمعسكر كان ناجحا بكل المقاييس.\n"
	for _, tt := range []struct {
		header    string
		title     string
		byline    []string
		published string
	}{
		{header: title + "\nالدمام - ماجد العنزي\n", title: title, byline: []string{"ماجد العنزي"}},
		{header: title + "\nجدة: نوف الحربي\n", title: title, byline: []string{"نوف الحربي"}},
		{header: title + "\nمكة المكرمة - فيصل الدوسري\n", title: title, byline: []string{"فيصل الدوسري"}},
		{header: title + "\nماجد العنزي - الدمام\n", title: title, byline: []string{"ماجد العنزي"}},
		{header: title + "\n2024-03-12\nجدة: نوف الحربي\n", title: title, byline: []string{"نوف الحربي"}, published: "2024-03-12T00:00:00Z"},
		{header: title + "\nالقسم: أخبار محلية\n", title: title},
		{header: "الدمام - ماجد العنزي\n", title: "الدمام - ماجد العنزي"},
		{header: title + "\nجدة: وصول 300 حاج\n", title: title},
	} {
		doc, err := Extract(Raw{Data: []byte(tt.header + body), Format: "text"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != tt.title || !slices.Equal(doc.Byline, tt.byline) || doc.Published != tt.published || !strings.HasPrefix(doc.Text, "أكد مدرب") {
			t.Errorf("%q: title %q byline %q published %q text %.20q", tt.header, doc.Title, doc.Byline, doc.Published, doc.Text)
		}
	}
}

// Of "City - Name" and "Name - City" the byline keeps the name: beside a listed place
// (which may have two words, as a name does), else beside a one-word part.
func TestArDatelineFree(t *testing.T) {
	for in, want := range map[string]string{
		"الرياض - نورة القحطاني":        "نورة القحطاني",
		"حسام أبو العلا - القاهرة":      "حسام أبو العلا",
		"مكة المكرمة - فيصل الدوسري":    "فيصل الدوسري",
		"فيصل الدوسري - خميس مشيط":      "فيصل الدوسري",
		"(الرياض - واس)":                "واس",
		"سعد العتيبي - عبدالله الغامدي": "سعد العتيبي - عبدالله الغامدي",
		"Jane Doe - London":             "Jane Doe - London",
	} {
		if got := arDatelineFree(in); got != want {
			t.Errorf("arDatelineFree(%q) = %q, want %q", in, got, want)
		}
	}
}

// A headline may open with a word that also labels bylines ("Interview:"); what follows
// reads as a sentence, not as names, so it stays the title.
func TestExtractScrapeLabelledHeadline(t *testing.T) {
	for _, tt := range []struct{ byline, want string }{
		{"By Mark Hughes", "Mark Hughes"},
		{"Interview: Mark Hughes", "Mark Hughes"},
	} {
		text := "Interview: Lena Fischer on the future of night trains\n" + tt.byline + "\nLena Fischer runs the night train programme at a European rail operator, and we talked about sleepers.\nQ: Why are night trains back?\nA: Because people want to travel without flying.\n"
		doc, err := Extract(Raw{Data: []byte(text), Format: "text"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "Interview: Lena Fischer on the future of night trains" || !slices.Equal(doc.Byline, []string{tt.want}) || !strings.HasPrefix(doc.Text, "Lena Fischer runs") {
			t.Errorf("%q: title %q byline %q text %.30q", tt.byline, doc.Title, doc.Byline, doc.Text)
		}
	}
}

// A line that only names the place a story was filed from ("الخبر", "جدة:", "LONDON —")
// below the headline is a dateline: the title stays the headline and the byline between
// them is kept.
func TestExtractScrapeDatelinePlace(t *testing.T) {
	const body = "\nأكد رئيس الاتحاد سعد العتيبي أن اللائحة الجديدة ستطبق على جميع الأندية مع بداية الموسم المقبل.\nس: متى يبدأ التطبيق؟\nج: مع انطلاق الموسم.\n"
	const title = "رئيس الاتحاد لـ«اليوم»: لن نتهاون مع الشغب"
	for _, tt := range []struct {
		header, title string
		byline        []string
	}{
		{title + "\nحاوره: خالد المطيري\nالخبر\n", title, []string{"خالد المطيري"}},
		{title + "\nحاوره: خالد المطيري\nصفوى:\n", title, []string{"خالد المطيري"}},
		{title + "\nالخبر\n", title, nil},
		// Alone, a one-word line is the title: nothing above it could be.
		{"الخبر\n", "الخبر", nil},
	} {
		doc, err := Extract(Raw{Data: []byte(tt.header + body), Format: "text"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != tt.title || !slices.Equal(doc.Byline, tt.byline) || !strings.HasPrefix(doc.Text, "أكد رئيس") {
			t.Errorf("%q: title %q byline %q text %.20q", tt.header, doc.Title, doc.Byline, doc.Text)
		}
	}
	text := "Harbour reopens after the storm\nBy Jane Smith\nHALIFAX —\nThe town harbour reopened on Friday after three weeks of repairs to the breakwater and the quay.\n"
	doc, err := Extract(Raw{Data: []byte(text), Format: "text"}, ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Harbour reopens after the storm" || !slices.Equal(doc.Byline, []string{"Jane Smith"}) {
		t.Errorf("english: title %q byline %q", doc.Title, doc.Byline)
	}
}

// A headline of twelve words or more is still the title when a byline or a date follows
// it; a paragraph longer than any headline is the body whatever follows.
func TestExtractScrapeLongTitle(t *testing.T) {
	const title = `"We are not a museum": conductor Hiro Tanaka on the new season`
	text := title + "\n\nInterview by Claire Moreau\n\n12 May 2024\n\nThe orchestra's new chief conductor talks about programming, audiences and why he will not play Beethoven the same way twice.\n"
	doc, err := Extract(Raw{Data: []byte(text), Format: "text"}, ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != title || !slices.Equal(doc.Byline, []string{"Claire Moreau"}) || doc.Published != "2024-05-12T00:00:00Z" || !strings.HasPrefix(doc.Text, "The orchestra's") {
		t.Errorf("title %q byline %q published %q text %.20q", doc.Title, doc.Byline, doc.Published, doc.Text)
	}
	long := strings.Repeat("The orchestra played to a full hall again last night, ", 4) + "and the critics were kind."
	doc, err = Extract(Raw{Data: []byte(long + "\n\nBy Claire Moreau\n\nA second paragraph follows here with more words about the concert and the hall.\n"), Format: "text"}, ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "" || !strings.HasPrefix(doc.Text, "The orchestra played") {
		t.Errorf("long paragraph: title %q text %.20q", doc.Title, doc.Text)
	}
}

// A byline at the foot of a scrape ("أجرى الحوار: X", "Interview by X") is its byline when
// the header has none, and leaves the text; a last sentence that opens with "By" stays.
func TestExtractScrapeFootByline(t *testing.T) {
	const head = "وزير السياحة: نستهدف 150 مليون زيارة\n\nقال وزير السياحة أحمد الخطيب إن القطاع يشهد نموا غير مسبوق خلال العام الماضي.\n\n● ما أبرز ما تحقق؟\n\nتجاوزنا مئة مليون زيارة.\n\n"
	for _, tt := range []struct {
		foot   string
		byline []string
		kept   bool
	}{
		{"أجرى الحوار: عبدالله الغامدي", []string{"عبدالله الغامدي"}, false},
		{"Interview by Priya Nair", []string{"Priya Nair"}, false},
		{"By Thursday, 40 homes had power again.", nil, true},
		{"By the end of the week the council will decide.", nil, true},
		{"By the harbour master", nil, true},
	} {
		doc, err := Extract(Raw{Data: []byte(head + tt.foot + "\n"), Format: "text"}, ExtractOptions{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(doc.Byline, tt.byline) || strings.HasSuffix(doc.Text, tt.foot) != tt.kept {
			t.Errorf("%q: byline %q, text ends %q", tt.foot, doc.Byline, doc.Text[max(0, len(doc.Text)-60):])
		}
	}
	// A header byline stays the byline; the foot's credit then stays in the text.
	doc, err := Extract(Raw{Data: []byte(strings.Replace(head, "\n\n", "\nحوار: خالد المطيري\n\n", 1) + "أجرى الحوار: عبدالله الغامدي\n"), Format: "text"}, ExtractOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(doc.Byline, []string{"خالد المطيري"}) || !strings.HasSuffix(doc.Text, "عبدالله الغامدي") {
		t.Errorf("header and foot: byline %q", doc.Byline)
	}
}
