package datasets

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/newsds/newsds/schema"
)

// parseSVG checks that b is well-formed XML with an svg root and returns the widths of
// its bars (rect elements after the background).
func parseSVG(t *testing.T, b []byte) []int {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var widths []int
	root := ""
	rects := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v\n%s", err, b)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
		}
		if se.Name.Local != "rect" {
			continue
		}
		rects++
		if rects == 1 {
			continue // the background
		}
		for _, a := range se.Attr {
			if a.Name.Local == "width" {
				w, err := strconv.Atoi(a.Value)
				if err != nil {
					t.Fatal(err)
				}
				widths = append(widths, w)
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return widths
}

func TestBarChartSVG(t *testing.T) {
	c := chart{file: "charts/x.svg", title: `Sources <&> "quoted"`, unit: "documents",
		bars: []Count{{"الجزيرة", 400}, {"<script>", 100}, {"empty", 0}, {"tiny", 1}}}
	b := barChartSVG(c)
	widths := parseSVG(t, b)
	barSpace := chartWidth - labelWidth - valueWidth - 2*chartPad
	// Bars are proportional to the largest; a non-zero count is never invisible.
	if want := []int{barSpace, barSpace / 4, 0, 1}; !equalInts(widths, want) {
		t.Errorf("bar widths = %v, want %v", widths, want)
	}
	for _, s := range []string{"الجزيرة", "&lt;script&gt;", "400 (79.8%)", "(501 documents)"} {
		if !bytes.Contains(b, []byte(s)) {
			t.Errorf("chart lacks %q", s)
		}
	}
	if !bytes.Equal(b, barChartSVG(c)) {
		t.Error("the same chart drawn twice differs")
	}
	if w := parseSVG(t, barChartSVG(chart{title: "none"})); len(w) != 0 {
		t.Errorf("empty chart has bars %v", w)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWriteCharts(t *testing.T) {
	dir := t.TempDir()
	st := fixtureStats()
	// A user layer whose name is not a safe file name.
	st.Add(schema.Record{Document: schema.Document{ID: "u1", Text: "x"}, Annotations: []schema.Annotation{
		{Layer: "topic/news", Annotator: schema.Annotator{Name: "t", Kind: schema.KindRule}, Items: []schema.Item{{Label: "politics"}}},
	}}, "train")
	if err := WriteCharts(dir, fixtureManifest(), st, fixtureConfig()); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, ChartsDir, "*.svg"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"docs_by_lang.svg", "docs_by_month.svg", "docs_by_source.svg", "docs_by_split.svg",
		"labels_qa_turns.svg", "labels_sentiment.svg", "labels_stance.svg", "labels_topic_news.svg", "text_length.svg"}
	var got []string
	for _, f := range files {
		got = append(got, filepath.Base(f))
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		parseSVG(t, b)
	}
	if len(got) != len(want) {
		t.Fatalf("charts = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("charts = %v, want %v", got, want)
			break
		}
	}
	month, err := os.ReadFile(filepath.Join(dir, ChartsDir, "docs_by_month.svg"))
	if err != nil {
		t.Fatal(err)
	}
	// Months in calendar order, unknown last.
	order := regexp.MustCompile(`>(\d{4}-\d{2}|unknown)<`).FindAllSubmatch(month, -1)
	var months []string
	for _, m := range order {
		months = append(months, string(m[1]))
	}
	if want := []string{"2023-11", "2024-01", "2024-02", "unknown"}; len(months) != 4 || months[0] != want[0] || months[3] != want[3] {
		t.Errorf("month bars = %v, want %v", months, want)
	}
}

// TestChartsYearlyPastMaxMonths: a release over 101 months gets a chart per year whose
// height stays that of a few rows (it was 2,244 px tall with a bar per month).
func TestChartsYearlyPastMaxMonths(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCharts(dir, fixtureManifest(), monthsStats(101), fixtureConfig()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ChartsDir, "docs_by_month.svg")); !os.IsNotExist(err) {
		t.Errorf("a per-month chart was written for 101 months (stat: %v)", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ChartsDir, "docs_by_year.svg"))
	if err != nil {
		t.Fatal(err)
	}
	h := regexp.MustCompile(`<svg [^>]*height="(\d+)"`).FindSubmatch(b)
	if h == nil {
		t.Fatal("no svg height")
	}
	if height, _ := strconv.Atoi(string(h[1])); height > titleHeight+(MaxMonthRows+1)*rowHeight+chartPad {
		t.Errorf("yearly chart is %d px tall", height)
	}
	if bars := regexp.MustCompile(`>(\d{4}|unknown)<`).FindAll(b, -1); len(bars) != 10 {
		t.Errorf("%d year bars, want 9 years + unknown", len(bars))
	}
}
