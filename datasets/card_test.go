package datasets

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/card")

// fixtureManifest describes a small release of fixtureRecords: the numbers are those a
// release of them would have, the hashes are placeholders of the right shape.
func fixtureManifest() *Manifest {
	file := func(p string, rows, size int64) FileInfo {
		return FileInfo{Path: p, SHA256: schema.SHA256Hex([]byte(p)), Size: size, Rows: rows, Format: FormatParquet}
	}
	return &Manifest{
		FormatVersion: FormatVersion,
		Version:       "1.2.0",
		Corpus: CorpusRef{Name: "demo", Version: "v3", Seq: 3,
			CreatedAt: time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC), Message: "March batch"},
		Options: ReleaseOptionsJSON{Split: "train=0.8,validation=0.1,test=0.1",
			SplitNames: []string{"train", "validation", "test"}, ShardSize: 256 << 20, Formats: []string{FormatParquet}},
		Configs: []ConfigInfo{
			{Name: ConfigArticles, Splits: []SplitInfo{
				{Name: "train", NumExamples: 3, NumBytes: 4100, Files: []FileInfo{
					file("data/articles/train-00000-of-00002.parquet", 2, 9000),
					file("data/articles/train-00001-of-00002.parquet", 1, 8000)}},
				{Name: "validation", NumExamples: 2, NumBytes: 2100, Files: []FileInfo{file("data/articles/validation-00000-of-00001.parquet", 2, 7000)}},
				{Name: "test", NumExamples: 1, NumBytes: 1000, Files: []FileInfo{file("data/articles/test-00000-of-00001.parquet", 1, 6000)}},
			}},
			{Name: ConfigTurns, Splits: []SplitInfo{
				{Name: "train", NumExamples: 1, NumBytes: 300, Files: []FileInfo{file("data/turns/train-00000-of-00001.parquet", 1, 5000)}},
				{Name: "validation", NumExamples: 0, NumBytes: 0, Files: []FileInfo{file("data/turns/validation-00000-of-00001.parquet", 0, 4000)}},
				{Name: "test", NumExamples: 0, NumBytes: 0, Files: []FileInfo{file("data/turns/test-00000-of-00001.parquet", 0, 4000)}},
			}},
		},
		Excluded: ExcludedInfo{
			Duplicates:       IDList{Count: 2, IDs: []string{"d1", "d2"}},
			StaleAnnotations: []LayerCount{{Layer: schema.LayerSentiment, Count: 1}},
		},
	}
}

func fixtureConfig() *config.Config {
	c := &config.Config{
		Name: "demo",
		Sources: map[string]config.Source{
			"aljazeera": {SiteName: "الجزيرة نت", Lang: "ar"},
			"bbc":       {SiteName: "BBC News", Lang: "en"},
		},
		Card: config.Card{
			PrettyName:  "Demo News Interviews",
			License:     "cc-by-4.0",
			Description: "Arabic and English news articles with interview turns, sentiment and stance.",
			Creators:    []string{"Newsroom Lab"},
			Motivation:  "To study how interviews are reported.",
			Citation:    "@misc{demo2024,\n  title = {Demo News Interviews}\n}",
		},
	}
	c.Defaults()
	return c
}

func fixtureStats() *Stats {
	st := NewStats()
	for _, r := range fixtureRecords() {
		st.Add(r.Record, r.Split)
	}
	return st
}

// golden compares got with testdata/card/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "card", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff):\n%s", name, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines)"
}

func TestCardGolden(t *testing.T) {
	m, st, cfg := fixtureManifest(), fixtureStats(), fixtureConfig()
	first, err := RenderCard(m, st, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "card.golden.md", first)
	// A rebuild over the card it wrote changes nothing.
	second, err := RenderCard(m, st, cfg, first)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("rebuilding over the card changed it:\n%s", firstDiff(second, first))
	}
}

func TestCardOwnerFieldsMarked(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Card = config.Card{}
	b, err := RenderCard(fixtureManifest(), fixtureStats(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	card := string(b)
	for _, key := range []string{"card.description", "card.motivation", "card.uses", "card.limitations", "card.license", "card.maintenance", "card.citation"} {
		if !strings.Contains(card, "Set `"+key+"` in newsds.yaml") {
			t.Errorf("no owner note for %s", key)
		}
	}
	fm := parseFrontMatter(t, b)
	if fm["license"] != "unknown" {
		t.Errorf("license without a configured one = %v, want unknown", fm["license"])
	}
	// A person's labels are "other" until the owner says expert or crowd.
	if got := fm["annotations_creators"]; !equalAny(got, []string{"machine-generated", "other"}) {
		t.Errorf("annotations_creators = %v", got)
	}
}

func equalAny(got any, want []string) bool {
	l, ok := got.([]any)
	if !ok || len(l) != len(want) {
		return false
	}
	for i := range l {
		if l[i] != want[i] {
			return false
		}
	}
	return true
}

func parseFrontMatter(t *testing.T, card []byte) map[string]any {
	t.Helper()
	fm, _ := splitFrontMatter(string(card))
	if fm == "" {
		t.Fatalf("card has no front matter")
	}
	var out map[string]any
	if err := yaml.UnmarshalWithOptions([]byte(fm), &out, yaml.Strict()); err != nil {
		t.Fatalf("front matter: %v\n%s", err, fm)
	}
	return out
}

func TestCardFrontMatter(t *testing.T) {
	b, err := RenderCard(fixtureManifest(), fixtureStats(), fixtureConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fm := parseFrontMatter(t, b)
	if fm["pretty_name"] != "Demo News Interviews" || fm["license"] != "cc-by-4.0" {
		t.Errorf("pretty_name, license = %v, %v", fm["pretty_name"], fm["license"])
	}
	if !equalAny(fm["language"], []string{"ar", "en"}) || !equalAny(fm["size_categories"], []string{"n<1K"}) {
		t.Errorf("language, size_categories = %v, %v", fm["language"], fm["size_categories"])
	}
	if !equalAny(fm["task_categories"], []string{"question-answering", "text-classification"}) {
		t.Errorf("task_categories = %v", fm["task_categories"])
	}
	configs := fm["configs"].([]any)
	arts := configs[0].(map[string]any)
	if arts["config_name"] != "articles" || arts["default"] != true {
		t.Errorf("first config = %v", arts)
	}
	files := arts["data_files"].([]any)
	if f := files[0].(map[string]any); f["split"] != "train" || f["path"] != "data/articles/train-*.parquet" {
		t.Errorf("data_files[0] = %v", f)
	}
	info := fm["dataset_info"].([]any)
	for i, name := range []string{ConfigArticles, ConfigTurns} {
		ci := info[i].(map[string]any)
		feats, err := schema.Features(name)
		if err != nil {
			t.Fatal(err)
		}
		got := ci["features"].([]any)
		if ci["config_name"] != name || len(got) != len(feats) {
			t.Fatalf("dataset_info[%d] = %v with %d features, want %s with %d", i, ci["config_name"], len(got), name, len(feats))
		}
		for j, f := range feats {
			if n := got[j].(map[string]any)["name"]; n != f.Name {
				t.Errorf("%s feature %d = %v, want %s", name, j, n, f.Name)
			}
		}
	}
	ci := info[0].(map[string]any)
	if ci["download_size"] != uint64(30000) || ci["dataset_size"] != uint64(7200) {
		t.Errorf("articles sizes = %v, %v", ci["download_size"], ci["dataset_size"])
	}
}

func TestFeatureYAML(t *testing.T) {
	// The Hub's YAML forms, as datasets' Features._to_yaml_list writes them.
	cases := []struct {
		f    *schema.Feature
		want string
	}{
		{&schema.Feature{Type: schema.FeatureValue, Dtype: "string"}, "x:\n  dtype: string\n"},
		{&schema.Feature{Type: schema.FeatureClassLabel, Names: []string{"no", "yes"}},
			"x:\n  dtype:\n    class_label:\n      names:\n        '0': 'no'\n        '1': 'yes'\n"},
		{&schema.Feature{Type: schema.FeatureSequence, Item: &schema.Feature{Type: schema.FeatureValue, Dtype: "string"}},
			"x:\n  sequence: string\n"},
		{&schema.Feature{Type: schema.FeatureList, Item: &schema.Feature{Type: schema.FeatureStruct, Fields: []schema.FeatureField{
			{Name: "start", Feature: &schema.Feature{Type: schema.FeatureValue, Dtype: "int64"}}}}},
			"x:\n  list:\n  - name: start\n    dtype: int64\n"},
		{&schema.Feature{Type: schema.FeatureValue, Dtype: "timestamp[us, tz=UTC]"}, "x:\n  dtype: 'timestamp[us, tz=UTC]'\n"},
	}
	for _, c := range cases {
		var b strings.Builder
		writeYAML(&b, ymap{{"x", featureYAML(c.f)}}, 0)
		if b.String() != c.want {
			t.Errorf("feature %+v:\n%s\nwant\n%s", c.f, b.String(), c.want)
		}
	}
}

func TestYAMLQuoting(t *testing.T) {
	for s, want := range map[string]string{
		"ar": "ar", "no": "'no'", "On": "'On'", "n<1K": "'n<1K'", "it's": "'it''s'",
		"data/articles/train-*.parquet": "data/articles/train-*.parquet", "12": "'12'",
		"a\nb": `"a\nb"`, "الجزيرة": "'الجزيرة'", "": "''",
	} {
		if got := yamlString(s); got != want {
			t.Errorf("yamlString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestCardKeepsHandEdits(t *testing.T) {
	m, st, cfg := fixtureManifest(), fixtureStats(), fixtureConfig()
	prev, err := os.ReadFile(filepath.Join("testdata", "card", "edited.input.md"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := RenderCard(m, st, cfg, prev)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "edited.golden.md", got)
	card := string(got)
	for _, keep := range []string{
		"tags:\n- interviews\n",                   // a front matter key newsds does not write
		"A note the owner wrote between sections", // text outside markers
		"We built this to study interviews in Arabic media, and wrote this section by hand.", // a section whose markers were removed
	} {
		if !strings.Contains(card, keep) {
			t.Errorf("rebuild lost hand-written %q", keep)
		}
	}
	for _, gone := range []string{
		"An edit inside a generated section", // between markers: rewritten
		"pretty_name: Old name",              // a key newsds writes: rewritten
		"newsds:begin retired",               // a section newsds no longer writes
		"To study how interviews are reported.",
	} {
		if strings.Contains(card, gone) {
			t.Errorf("rebuild kept %q", gone)
		}
	}
	again, err := RenderCard(m, st, cfg, got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, got) {
		t.Errorf("second rebuild changed the card:\n%s", firstDiff(again, got))
	}
}

func TestCardErrors(t *testing.T) {
	m, st := fixtureManifest(), fixtureStats()
	cfg := fixtureConfig()
	cfg.Card.TaskCategories = []string{"sentiment-analysis"}
	if _, err := RenderCard(m, st, cfg, nil); err == nil || !strings.Contains(err.Error(), "card.task_categories") {
		t.Errorf("unknown task category: err = %v", err)
	}
	cfg = fixtureConfig()
	cfg.Card.AnnotationsCreators = []string{"people"}
	if _, err := RenderCard(m, st, cfg, nil); err == nil || !strings.Contains(err.Error(), "card.annotations_creators") {
		t.Errorf("unknown annotations creator: err = %v", err)
	}
	cfg = fixtureConfig()
	for _, prev := range []string{
		"---\nx: 1\n---\n<!-- newsds:begin uses -->\ntext\n",
		"---\nx: 1\n---\ntext\n<!-- newsds:end uses -->\n",
		"<!-- newsds:begin uses -->\n<!-- newsds:begin limitations -->\n<!-- newsds:end uses -->\n",
	} {
		if _, err := RenderCard(m, st, cfg, []byte(prev)); err == nil || !strings.Contains(err.Error(), "marker") {
			t.Errorf("previous card %q: err = %v, want a marker error", prev, err)
		}
	}
}

func TestSizeCategory(t *testing.T) {
	for n, want := range map[int64]string{0: "n<1K", 999: "n<1K", 1000: "1K<n<10K", 250_000: "100K<n<1M", 2_000_000_000_000: "n>1T"} {
		if got := SizeCategory(n); got != want {
			t.Errorf("SizeCategory(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestWriteCardAndCharts(t *testing.T) {
	dir := t.TempDir()
	m, st, cfg := fixtureManifest(), fixtureStats(), fixtureConfig()
	if err := WriteCharts(dir, m, st, cfg); err != nil {
		t.Fatal(err)
	}
	if err := WriteCard(dir, m, st, cfg, nil); err != nil {
		t.Fatal(err)
	}
	card, err := os.ReadFile(filepath.Join(dir, CardFile))
	if err != nil {
		t.Fatal(err)
	}
	// Every chart the card links to exists.
	links := 0
	for _, line := range strings.Split(string(card), "\n") {
		if !strings.HasPrefix(line, "![") {
			continue
		}
		links++
		p := line[strings.Index(line, "](")+2 : len(line)-1]
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("card links to %s: %v", p, err)
		}
	}
	if links != len(charts(st)) {
		t.Errorf("card links %d charts, %d written", links, len(charts(st)))
	}
}

// TestCardPublicationYearsPastMaxMonths: the card's table counts years once there are
// more than MaxMonthRows months (it had a row for each of 101 months), and links the
// yearly chart.
func TestCardPublicationYearsPastMaxMonths(t *testing.T) {
	b, err := RenderCard(fixtureManifest(), monthsStats(101), fixtureConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	card := string(b)
	_, sec, ok := strings.Cut(card, "### Publication years\n")
	if !ok || strings.Contains(card, "### Publication months") {
		t.Fatalf("no Publication years section:\n%s", card)
	}
	sec, _, _ = strings.Cut(sec, "\n### ")
	rows := regexp.MustCompile(`(?m)^\| (\d{4}|unknown) \|`).FindAllString(sec, -1)
	if len(rows) != 10 || !strings.Contains(sec, "charts/docs_by_year.svg") {
		t.Errorf("%d year rows (want 10), section:\n%s", len(rows), sec)
	}
	// Few months stay months.
	b, err = RenderCard(fixtureManifest(), monthsStats(MaxMonthRows), fixtureConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "### Publication months") || !strings.Contains(string(b), "charts/docs_by_month.svg") {
		t.Error("24 months are not listed per month")
	}
}
