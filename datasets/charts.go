package datasets

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/atomicfile"
)

// ChartsDir is the folder of the card's figures in a release.
const ChartsDir = "charts"

// chart is one bar chart of the card; file is relative to the release folder.
type chart struct {
	// key names the chart for the card: split, source, lang, published, length, labels:LAYER.
	key   string
	file  string
	title string
	bars  []Count
	// unit names what the bars count.
	unit string
}

// charts lists the card's figures in a fixed order; the card links to exactly these.
func charts(st *Stats) []chart {
	out := []chart{
		{"split", ChartsDir + "/docs_by_split.svg", "Documents per split", st.BySplit(), "documents"},
		{"source", ChartsDir + "/docs_by_source.svg", "Documents per source", st.BySource(), "documents"},
		{"lang", ChartsDir + "/docs_by_lang.svg", "Documents per language", st.ByLang(), "documents"},
	}
	// Per month, or per year when there are too many months (Stats.ByPublication); the
	// file is named after the bin, so a link never shows years under a month's name.
	pub, bin := st.ByPublication()
	out = append(out, chart{"published", ChartsDir + "/docs_by_" + bin + ".svg", "Documents per publication " + bin, pub, "documents"})
	var lengths []Count
	for _, b := range st.Lengths().Buckets {
		lengths = append(lengths, Count{Key: b.Label(), N: b.N})
	}
	out = append(out, chart{"length", ChartsDir + "/text_length.svg", "Text length (code points)", lengths, "documents"})
	for _, l := range st.Layers() {
		if len(l.Labels) == 0 {
			continue
		}
		bars := make([]Count, len(l.Labels))
		for i, c := range l.Labels {
			bars[i] = Count{Key: labelName(c.Key), N: c.N}
		}
		out = append(out, chart{"labels:" + l.Name, ChartsDir + "/labels_" + fileSafe(l.Name) + ".svg", "Labels of layer " + l.Name, bars, "items"})
	}
	return out
}

// chartIndex keys the charts by their key.
func chartIndex(st *Stats) map[string]chart {
	idx := map[string]chart{}
	for _, c := range charts(st) {
		idx[c.key] = c
	}
	return idx
}

// fileSafe maps a layer name to a file name part: letters, digits, '-' and '_' stay,
// anything else becomes '_'.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// WriteCharts writes the card's figures as SVG files under dir/charts.
func WriteCharts(dir string, m *Manifest, st *Stats, cfg *config.Config) error {
	if err := os.MkdirAll(filepath.Join(dir, ChartsDir), 0o755); err != nil {
		return fmt.Errorf("write charts: %w", err)
	}
	for _, c := range charts(st) {
		if err := atomicfile.WriteBytes(filepath.Join(dir, filepath.FromSlash(c.file)), barChartSVG(c), 0o644); err != nil {
			return fmt.Errorf("write chart %s: %w", c.file, err)
		}
	}
	return nil
}

// Layout of a horizontal bar chart, in SVG user units.
const (
	chartWidth  = 640
	labelWidth  = 170
	valueWidth  = 90
	rowHeight   = 22
	barHeight   = 16
	titleHeight = 34
	chartPad    = 10
)

// barChartSVG draws a horizontal bar chart: one row per bar with its label on the left
// and its count and share on the right. Horizontal bars leave room for long and
// right-to-left labels.
func barChartSVG(c chart) []byte {
	var total, peak int64
	for _, b := range c.bars {
		total += b.N
		peak = max(peak, b.N)
	}
	rows := max(len(c.bars), 1)
	height := titleHeight + rows*rowHeight + chartPad
	barSpace := chartWidth - labelWidth - valueWidth - 2*chartPad
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`+"\n",
		chartWidth, height, chartWidth, height, html.EscapeString(c.title))
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", html.EscapeString(c.title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", chartWidth, height)
	fmt.Fprintf(&b, `<text x="%d" y="22" font-family="sans-serif" font-size="15" font-weight="bold" fill="#222222">%s</text>`+"\n",
		chartPad, html.EscapeString(fmt.Sprintf("%s (%d %s)", c.title, total, c.unit)))
	if len(c.bars) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-family="sans-serif" font-size="12" fill="#666666">no data</text>`+"\n",
			chartPad, titleHeight+barHeight-2)
	}
	for i, bar := range c.bars {
		y := titleHeight + i*rowHeight
		w := 0
		if peak > 0 {
			w = int(int64(barSpace) * bar.N / peak)
		}
		if bar.N > 0 && w == 0 {
			w = 1
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-family="sans-serif" font-size="12" fill="#222222" text-anchor="end">%s</text>`+"\n",
			chartPad+labelWidth-6, y+barHeight-3, html.EscapeString(shorten(bar.Key, 26)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#4e79a7"><title>%s</title></rect>`+"\n",
			chartPad+labelWidth, y, w, barHeight, html.EscapeString(bar.Key+": "+strconv.FormatInt(bar.N, 10)))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-family="sans-serif" font-size="12" fill="#222222">%d (%s)</text>`+"\n",
			chartPad+labelWidth+w+4, y+barHeight-3, bar.N, pct(bar.N, total))
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// shorten cuts s to at most n code points, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
