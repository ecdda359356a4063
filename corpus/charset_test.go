package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/newsds/newsds/internal/testshared"
)

// The chardet fixtures are the same Arabic news text in two legacy charsets, with no
// charset declared anywhere: only sniffing can get them right.
const encodingsLede = "أعلنت كتائب الشهيد عز الدين القسام الذراع العسكري لحركة /حماس/"

func TestDecodeHTMLUndeclaredArabic(t *testing.T) {
	for file, want := range map[string]string{
		"_chromium_windows-1256_with_no_encoding_specified.html": "windows-1256",
		"_chromium_ISO-8859-6_with_no_encoding_specified.html":   "iso-8859-6",
	} {
		data := readFile(t, testshared.Path(t, "data", "encodings", file))
		out, cs, err := DecodeHTML(data, "")
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if cs != want {
			t.Errorf("%s: charset %q, want %q", file, cs, want)
		}
		if !strings.Contains(string(out), encodingsLede) {
			t.Errorf("%s: decoded text lacks the Arabic lede:\n%.300s", file, out)
		}
	}
}

func TestDecodeHTMLDeclaredWindows1256(t *testing.T) {
	path := testshared.Path(t, "data", "encodings", "cnn_arabic_article.windows-1256.html")
	out, cs, err := DecodeHTML(readFile(t, path), "")
	if err != nil {
		t.Fatal(err)
	}
	if cs != "windows-1256" {
		t.Errorf("charset %q", cs)
	}
	if !strings.Contains(string(out), "معارضون يسيطرون على مخازن للصواريخ بريف دمشق") {
		t.Error("decoded page lacks the Arabic headline")
	}
}

func TestDecodeHTMLSources(t *testing.T) {
	arabic := "<p>مرحبا بالعالم العربي</p>"
	cp1256, err := charmap.Windows1256.NewEncoder().String(arabic)
	if err != nil {
		t.Fatal(err)
	}
	iso := []byte("<meta charset=iso-8859-6>" + mustEncode(t, charmap.ISO8859_6, arabic))
	tests := []struct {
		name, ct string
		data     []byte
		want     string
		text     string
	}{
		{"bom", "", append([]byte{0xEF, 0xBB, 0xBF}, arabic...), "utf-8", arabic},
		{"header", "text/html; charset=windows-1256", []byte(cp1256), "windows-1256", arabic},
		{"meta", "", iso, "iso-8859-6", arabic},
		// A stale declaration on bytes that are valid UTF-8 is ignored.
		{"stale meta", "", []byte(`<meta charset="gb2312">` + arabic), "utf-8", arabic},
		{"ascii", "", []byte("<p>plain</p>"), "utf-8", "plain"},
		{"latin1 sniffed", "", []byte("<p>M\xfcnchen und K\xf6ln</p>"), "windows-1252", "München und Köln"},
	}
	for _, tt := range tests {
		out, cs, err := DecodeHTML(tt.data, tt.ct)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if cs != tt.want || !strings.Contains(string(out), tt.text) {
			t.Errorf("%s: charset %q text %q, want %q containing %q", tt.name, cs, out, tt.want, tt.text)
		}
	}
}

func mustEncode(t *testing.T, cm *charmap.Charmap, s string) string {
	t.Helper()
	out, err := cm.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Parts of legacyArabicPage.
const (
	legacyTitle = "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
	legacyDesc  = "سيطر معارضون سوريون على مخازن للصواريخ في ريف دمشق بعد معارك استمرت أياما مع القوات الحكومية، بحسب ناشطين ومصادر في المعارضة المسلحة"
	legacyBody  = "قال ناشطون إن مقاتلي المعارضة سيطروا على المخازن بعد معارك عنيفة."
)

// legacyArabicPage is a windows-1256 page with no charset declaration anywhere, an
// Arabic <title> and description and a body shorter than its head, so that most of
// its non-ASCII bytes come before <body>.
func legacyArabicPage(t testing.TB) []byte {
	t.Helper()
	enc := func(s string) string {
		out, err := charmap.Windows1256.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return []byte(`<html><head><title>` + enc(legacyTitle) + `</title><meta name="description" content="` + enc(legacyDesc) +
		`"></head><body><article><h1>` + enc(legacyTitle) + `</h1><p>` + enc(legacyBody) + `</p></article></body></html>`)
}

// Issue 8 item 8: bytes.ToLower turns each invalid UTF-8 byte into three, so the index
// of <body> found in the lowered copy overflowed the original page (a panic that
// aborted the whole ingest).
func TestDecodeHTMLUndeclaredLegacyTitle(t *testing.T) {
	out, cs, err := DecodeHTML(legacyArabicPage(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if cs != "windows-1256" || !strings.Contains(string(out), "<title>"+legacyTitle+"</title>") || !strings.Contains(string(out), legacyBody) {
		t.Errorf("charset %q, text %q", cs, out)
	}
}

// The same overflow on a Content-Type header holding bytes that are not UTF-8 (as a
// WARC record can): the charset after them is still found.
func TestDecodeHTMLContentTypeInvalidBytes(t *testing.T) {
	page := legacyArabicPage(t)
	for _, ct := range []string{
		"text/html; x=\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff; charset=windows-1256",
		"text/html; charset=windows-1256; x=\xff\xff\xff",
		"\xff\xfe\xff text/html; CHARSET=\"windows-1256\"",
	} {
		out, cs, err := DecodeHTML(page, ct)
		if err != nil {
			t.Errorf("%q: %v", ct, err)
			continue
		}
		if cs != "windows-1256" || !strings.Contains(string(out), legacyBody) {
			t.Errorf("%q: charset %q, text %q", ct, cs, out)
		}
	}
}

// FuzzDecodeHTML: whatever the bytes and the header, decoding returns (never panics)
// and what it returns is UTF-8. Seeds: the crashes of issue 8, the encoding fixtures
// of ../shared when present, and one page per decoding path.
func FuzzDecodeHTML(f *testing.F) {
	page := legacyArabicPage(f)
	f.Add(page, "")
	f.Add(page, "text/html; x=\xff\xff\xff\xff\xff\xff\xff\xff; charset=windows-1256")
	f.Add([]byte("\xEF\xBB\xBF<p>caf\xe9</p>"), "")
	f.Add([]byte("\xFF\xFE<\x00p\x00>\x00"), "text/html")
	f.Add([]byte("<meta charset=iso-8859-6><body>\xc7\xe4"), "")
	f.Add([]byte("<p>M\xfcnchen</p>"), "text/html; charset=utf-8")
	if root := testshared.Root(); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "data", "encodings", "*.html"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 256<<10 {
				f.Add(b, "")
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, contentType string) {
		out, cs, err := DecodeHTML(data, contentType)
		if err != nil {
			return
		}
		if cs == "" {
			t.Errorf("decoded without naming a charset")
		}
		if !utf8.Valid(out) {
			t.Errorf("charset %s: output is not UTF-8", cs)
		}
	})
}
