package corpus

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/internal/testshared"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtractSeed(t *testing.T) {
	path := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	doc, err := Extract(Raw{Data: readFile(t, path), Format: "text", Path: path},
		ExtractOptions{Location: mustLoc(t, "Asia/Qatar")})
	if err != nil {
		t.Fatal(err)
	}
	if want := "السفير الكازاخي لـ الشرق: نقدر دعم قطر لاستقرار كازاخستان"; doc.Title != want {
		t.Errorf("title = %q, want %q", doc.Title, want)
	}
	if want := "2022-01-12T07:00:00+03:00"; doc.Published != want {
		t.Errorf("published = %q, want %q", doc.Published, want)
	}
	if len(doc.Byline) != 1 || doc.Byline[0] != "عواطف بن علي" {
		t.Errorf("byline = %q", doc.Byline)
	}
	if doc.Section != "عربي ودولي" {
		t.Errorf("section = %q", doc.Section)
	}
	if doc.Lang != "ar" {
		t.Errorf("lang = %q", doc.Lang)
	}
	if !strings.HasPrefix(doc.Text, "ثمن سعادة السيد إرمان") {
		t.Errorf("text starts %q", doc.Text[:80])
	}
	if !strings.HasSuffix(doc.Text, "والإجرامية.") {
		t.Errorf("text ends %q", doc.Text[len(doc.Text)-80:])
	}
	for _, bad := range []string{"مساحة إعلانية", "اقرأ المزيد", "رئيس التحرير", "alsharq", "Al-sharq", "الفاشر", "2263", "\n\n\n"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("text contains %q", bad)
		}
	}
	if v, ok := doc.Meta["views"].(int); !ok || v != 2263 {
		t.Errorf("views = %v", doc.Meta["views"])
	}
	if n := len(strings.Split(doc.Text, "\n\n")); n != 23 {
		t.Errorf("paragraphs = %d, want 23", n)
	}
}
