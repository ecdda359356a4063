package corpus

import (
	"strings"
	"testing"

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
