package datasets

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/atomicfile"
	"github.com/newsds/newsds/schema"
)

// CardFile is the dataset card's name in a release folder.
const CardFile = "README.md"

// WriteCard writes the dataset card dir/README.md: Hugging Face Hub YAML front matter
// and Datasheet sections. previousCard is the card of the release being rebuilt or
// replaced (nil for a first build): its hand-written parts are kept (see RenderCard).
func WriteCard(dir string, m *Manifest, st *Stats, cfg *config.Config, previousCard []byte) error {
	b, err := RenderCard(m, st, cfg, previousCard)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, CardFile), b, 0o644); err != nil {
		return fmt.Errorf("write card: %w", err)
	}
	return nil
}

// RenderCard returns the bytes of the dataset card. Generated sections are wrapped in
// <!-- newsds:begin NAME --> and <!-- newsds:end NAME --> markers. When previousCard is
// given, its body is kept as it is except between markers, where the new content goes;
// a section whose markers a person removed is theirs and is left alone. Front matter
// keys newsds does not write (tags, task_ids...) are kept too.
func RenderCard(m *Manifest, st *Stats, cfg *config.Config, previousCard []byte) ([]byte, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	fm, err := frontMatter(m, st, cfg)
	if err != nil {
		return nil, fmt.Errorf("card front matter: %w", err)
	}
	sections := cardSections(m, st, cfg)
	if previousCard == nil {
		var b strings.Builder
		b.WriteString("---\n" + fm + "---\n")
		for _, s := range sections {
			b.WriteString("\n" + markBegin(s.name) + "\n" + s.body + markEnd(s.name) + "\n")
		}
		return []byte(b.String()), nil
	}
	return mergeCard(fm, sections, previousCard)
}

func markBegin(name string) string { return "<!-- newsds:begin " + name + " -->" }
func markEnd(name string) string   { return "<!-- newsds:end " + name + " -->" }

// ---- front matter ----

// frontMatter builds the YAML of the card's metadata (without the --- lines).
func frontMatter(m *Manifest, st *Stats, cfg *config.Config) (string, error) {
	c := cfg.Card
	fm := ymap{{"pretty_name", prettyName(m, cfg)}}
	switch {
	case c.License == "":
		// The Hub's own word for a license nobody stated; the body asks for one.
		fm = append(fm, ykv{"license", "unknown"})
	case slices.Contains(hubLicenses, c.License):
		fm = append(fm, ykv{"license", c.License})
	default:
		fm = append(fm, ykv{"license", "other"}, ykv{"license_name", c.License})
	}
	if langs := cardLanguages(st); len(langs) > 0 {
		fm = append(fm, ykv{"language", strList(langs)})
	}
	tasks := c.TaskCategories
	if len(tasks) == 0 {
		tasks = derivedTasks(st)
	}
	if err := checkClosed("card.task_categories", tasks, hubTaskCategories); err != nil {
		return "", err
	}
	if len(tasks) > 0 {
		fm = append(fm, ykv{"task_categories", strList(tasks)})
	}
	var articles int64
	if ci := m.Config(ConfigArticles); ci != nil {
		articles = ci.NumExamples()
	}
	fm = append(fm, ykv{"size_categories", []any{SizeCategory(articles)}})
	ac := c.AnnotationsCreators
	if len(ac) == 0 {
		ac = derivedAnnotationsCreators(st)
	}
	if err := checkClosed("card.annotations_creators", ac, hubAnnotationsCreators); err != nil {
		return "", err
	}
	fm = append(fm, ykv{"annotations_creators", strList(ac)})
	lc := c.LanguageCreators
	if len(lc) == 0 {
		// newsds ingests published news articles: text found, not written for the dataset.
		lc = []string{"found"}
	}
	if err := checkClosed("card.language_creators", lc, hubLanguageCreators); err != nil {
		return "", err
	}
	fm = append(fm, ykv{"language_creators", strList(lc)})
	sd := c.SourceDatasets
	if len(sd) == 0 {
		sd = []string{"original"}
	}
	fm = append(fm, ykv{"source_datasets", strList(sd)})

	var configs, infos []any
	for _, ci := range m.Configs {
		files, splits, err := configYAML(ci)
		if err != nil {
			return "", err
		}
		if len(files) == 0 {
			continue
		}
		cm := ymap{{"config_name", ci.Name}, {"data_files", files}}
		if ci.Name == ConfigArticles {
			cm = append(cm, ykv{"default", true})
		}
		configs = append(configs, cm)
		feats, err := schema.Features(ci.Name)
		if err != nil {
			return "", fmt.Errorf("config %s: %w", ci.Name, err)
		}
		infos = append(infos, ymap{
			{"config_name", ci.Name},
			{"features", fieldsYAML(feats)},
			{"splits", splits},
			{"download_size", ci.DownloadSize()},
			{"dataset_size", ci.DatasetSize()},
		})
	}
	fm = append(fm, ykv{"configs", configs}, ykv{"dataset_info", infos})
	var b strings.Builder
	writeYAML(&b, fm, 0)
	return b.String(), nil
}

func prettyName(m *Manifest, cfg *config.Config) string {
	switch {
	case cfg.Card.PrettyName != "":
		return cfg.Card.PrettyName
	case cfg.Name != "":
		return cfg.Name
	case m.Corpus.Name != "":
		return m.Corpus.Name
	}
	return "newsds release"
}

// cardLanguages are the ISO 639-1 codes of the released documents.
func cardLanguages(st *Stats) []string {
	var out []string
	for _, c := range st.ByLang() {
		if c.Key != Unknown {
			out = append(out, c.Key)
		}
	}
	return out
}

// derivedTasks maps the layers present to Hub task categories, for cards whose owner
// named none.
func derivedTasks(st *Stats) []string {
	set := map[string]bool{}
	for _, l := range st.Layers() {
		if l.Docs == 0 {
			continue
		}
		switch l.Name {
		case schema.LayerSentiment, schema.LayerStance:
			set["text-classification"] = true
		case schema.LayerQA:
			set["question-answering"] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// derivedAnnotationsCreators maps annotator kinds to the Hub's closed list. A person's
// labels are "other" until the owner says whether they were experts or a crowd.
func derivedAnnotationsCreators(st *Stats) []string {
	set := map[string]bool{}
	for _, l := range st.Layers() {
		for _, a := range l.Annotators {
			if a.Items == 0 {
				continue
			}
			switch a.Kind {
			case schema.KindHuman:
				set["other"] = true
			default:
				set["machine-generated"] = true
			}
		}
	}
	if len(set) == 0 {
		return []string{"no-annotation"}
	}
	return slices.Sorted(maps.Keys(set))
}

func checkClosed(key string, values, allowed []string) error {
	for _, v := range values {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%s: %q is not a value the Hugging Face Hub accepts (one of %s)", key, v, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// SizeCategory is the Hub's size_categories value for n examples.
func SizeCategory(n int64) string {
	bounds := []struct {
		max  int64
		name string
	}{
		{1_000, "n<1K"}, {10_000, "1K<n<10K"}, {100_000, "10K<n<100K"}, {1_000_000, "100K<n<1M"},
		{10_000_000, "1M<n<10M"}, {100_000_000, "10M<n<100M"}, {1_000_000_000, "100M<n<1B"},
		{10_000_000_000, "1B<n<10B"}, {100_000_000_000, "10B<n<100B"}, {1_000_000_000_000, "100B<n<1T"},
	}
	for _, b := range bounds {
		if n < b.max {
			return b.name
		}
	}
	return "n>1T"
}

// configYAML returns the data_files and dataset_info splits of a config. Only splits
// with rows in Parquet files are listed: the Hub and datasets load Parquet, the Arrow
// files are for other readers.
func configYAML(ci ConfigInfo) (files, splits []any, err error) {
	for _, s := range ci.Splits {
		var paths []string
		for _, f := range s.Files {
			if f.Format == FormatParquet {
				paths = append(paths, f.Path)
			}
		}
		// datasets refuses a split without rows ("corresponds to no data"), so an empty
		// split is left out of the card; its file stays in the release and manifest.
		if len(paths) == 0 || s.NumExamples == 0 {
			continue
		}
		pat, err := splitPattern(ci, s.Name, paths)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, ymap{{"split", s.Name}, {"path", pat}})
		splits = append(splits, ymap{{"name", s.Name}, {"num_bytes", s.NumBytes}, {"num_examples", s.NumExamples}})
	}
	return files, splits, nil
}

// splitPattern is the data_files glob of a split, "data/articles/train-*.parquet". When
// that glob would also match another split's files (splits "test" and "test-2024"), the
// files are listed one by one instead.
func splitPattern(ci ConfigInfo, split string, paths []string) (any, error) {
	dir := path.Dir(paths[0])
	pat := dir + "/" + split + "-*.parquet"
	for _, p := range paths {
		if ok, err := path.Match(pat, p); err != nil || !ok {
			// Shard names off the pattern: list the files themselves instead.
			return strList(paths), nil //nolint:nilerr // a listing, not a failure
		}
	}
	for _, other := range ci.Splits {
		if other.Name == split {
			continue
		}
		for _, f := range other.Files {
			if ok, _ := path.Match(pat, f.Path); ok {
				return strList(paths), nil
			}
		}
	}
	return pat, nil
}

// fieldsYAML is the Hub's YAML form of features (datasets' Features._to_yaml_list).
func fieldsYAML(fields []schema.FeatureField) []any {
	out := make([]any, 0, len(fields))
	for _, f := range fields {
		out = append(out, append(ymap{{"name", f.Name}}, featureYAML(f.Feature)...))
	}
	return out
}

func featureYAML(f *schema.Feature) ymap {
	switch f.Type {
	case schema.FeatureClassLabel:
		names := make(ymap, len(f.Names))
		for i, n := range f.Names {
			names[i] = ykv{strconv.Itoa(i), n}
		}
		return ymap{{"dtype", ymap{{"class_label", ymap{{"names", names}}}}}}
	case schema.FeatureSequence:
		return ymap{{"sequence", simplifyItem(featureYAML(f.Item))}}
	case schema.FeatureList:
		return ymap{{"list", simplifyItem(featureYAML(f.Item))}}
	case schema.FeatureStruct:
		return ymap{{"struct", fieldsYAML(f.Fields)}}
	}
	return ymap{{"dtype", f.Dtype}}
}

// simplifyItem writes a list item the short way datasets does: "sequence: string",
// "list:" followed by the struct's fields.
func simplifyItem(m ymap) any {
	if len(m) == 1 && (m[0].k == "dtype" || m[0].k == "struct") {
		return m[0].v
	}
	return m
}

// ---- body ----

type cardSection struct {
	name string
	body string
}

// ownerNote marks something only the dataset owner can write.
func ownerNote(what, key string) string {
	s := "> [!WARNING]\n> To be written by the dataset owner: " + what + "."
	if key != "" {
		s += " Set `" + key + "` in newsds.yaml, or write it here and delete the newsds markers around this section so that rebuilds keep your text."
	} else {
		s += " Write it below this section's end marker: rebuilds keep text outside the markers."
	}
	return s + "\n"
}

func cardSections(m *Manifest, st *Stats, cfg *config.Config) []cardSection {
	return []cardSection{
		{"summary", summarySection(m, st, cfg)},
		{"loading", loadingSection(m)},
		{"motivation", motivationSection(cfg)},
		{"composition", compositionSection(m, st)},
		{"collection", collectionSection(st, cfg)},
		{"preprocessing", preprocessingSection(m, cfg)},
		{"annotation", annotationSection(m, st)},
		{"uses", textSection("Uses", cfg.Card.Uses, "the uses this dataset is meant for and the uses it is not fit for", "card.uses")},
		{"limitations", limitationsSection(st, cfg)},
		{"distribution", distributionSection(m, cfg)},
		{"maintenance", textSection("Maintenance", cfg.Card.Maintenance, "who maintains the dataset, how to reach them, and how errors are corrected", "card.maintenance")},
		{"citation", citationSection(cfg)},
	}
}

func summarySection(m *Manifest, st *Stats, cfg *config.Config) string {
	var b strings.Builder
	b.WriteString("# " + prettyName(m, cfg) + "\n\n")
	b.WriteString("<!-- Generated by newsds. Text between newsds:begin/end markers is rewritten on every release; edit outside them, or delete a section's markers to make it yours. -->\n\n")
	if cfg.Card.Description != "" {
		b.WriteString(strings.TrimSpace(cfg.Card.Description) + "\n\n")
	} else {
		b.WriteString(ownerNote("a short description of the dataset", "card.description") + "\n")
	}
	fmt.Fprintf(&b, "Release **%s**, built from version `%s` of corpus `%s` committed on %s.",
		m.Version, m.Corpus.Version, m.Corpus.Name, m.Corpus.CreatedAt.UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, " It holds %s", plural(st.Docs(), "article", "articles"))
	if langs := cardLanguages(st); len(langs) > 0 {
		fmt.Fprintf(&b, " in %s", joinCodes(langs))
	}
	fmt.Fprintf(&b, " from %s", plural(int64(len(st.BySource())), "source", "sources"))
	if ci := m.Config(ConfigTurns); ci != nil {
		fmt.Fprintf(&b, ", and %s (config `turns`)", plural(ci.NumExamples(), "question/answer pair", "question/answer pairs"))
	}
	b.WriteString(".\n\n")
	b.WriteString("| config | rows | splits |\n| --- | ---: | --- |\n")
	for _, ci := range m.Configs {
		var parts []string
		for _, s := range ci.Splits {
			parts = append(parts, fmt.Sprintf("%s %d", s.Name, s.NumExamples))
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s |\n", ci.Name, ci.NumExamples(), strings.Join(parts, ", "))
	}
	return b.String()
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

func joinCodes(codes []string) string {
	q := make([]string, len(codes))
	for i, c := range codes {
		q[i] = "`" + c + "`"
	}
	return strings.Join(q, ", ")
}

func loadingSection(m *Manifest) string {
	var b strings.Builder
	b.WriteString("## How to load\n\n")
	b.WriteString("Two configs: `articles` (one row per article with its text and annotations) and `turns` " +
		"(one row per question and its answer). Offsets (`start`, `end`, `question_start`...) count Unicode code " +
		"points into `text`, so `text[start:end]` in Python is the span; labels are class ids whose names the " +
		"features carry.\n\n")
	split := "train"
	if ci := m.Config(ConfigArticles); ci != nil {
		for _, s := range ci.Splits {
			if s.NumExamples > 0 {
				split = s.Name
				break
			}
		}
	}
	fmt.Fprintf(&b, "```python\nfrom datasets import load_dataset\n\n"+
		"articles = load_dataset(\"path/to/this/folder\", \"articles\")\n"+
		"turns = load_dataset(\"path/to/this/folder\", \"turns\")\n"+
		"qa = articles[%[1]q].features[\"qa_turns\"]  # datasets 4+: List(...); 3.x: [{...}]\n"+
		"role = (qa[0] if isinstance(qa, list) else qa.feature)[\"role\"]\n"+
		"row = articles[%[1]q][0]\n"+
		"for t in row[\"qa_turns\"]:\n"+
		"    print(role.int2str(t[\"role\"]), row[\"text\"][t[\"start\"]:t[\"end\"]])\n```\n\n", split)
	// Arrow files may sit beside the Parquet ones, so readers get the Parquet files by
	// name rather than the folder.
	b.WriteString("```python\nimport glob\n\nimport pandas as pd\n\n" +
		"df = pd.concat(pd.read_parquet(p) for p in sorted(glob.glob(\"path/to/this/folder/data/articles/*.parquet\")))\n```\n\n")
	b.WriteString("```sql\n-- DuckDB: substring is 1-based and counts code points\n" +
		"SELECT a.id, t.role, substring(a.text, t.start + 1, t.\"end\" - t.start) AS span\n" +
		"FROM (SELECT id, text, unnest(qa_turns) AS t FROM 'data/articles/*.parquet') AS a;\n```\n\n")
	b.WriteString("In Go, `datasets.Open(dir)` lists the configs and splits and iterates typed rows.\n")
	return b.String()
}

func textSection(title, text, what, key string) string {
	if strings.TrimSpace(text) != "" {
		return "## " + title + "\n\n" + strings.TrimSpace(text) + "\n"
	}
	return "## " + title + "\n\n" + ownerNote(what, key)
}

func motivationSection(cfg *config.Config) string {
	s := textSection("Motivation", cfg.Card.Motivation, "why the dataset was created, by whom, and who funded it", "card.motivation")
	if len(cfg.Card.Creators) > 0 {
		s += "\nCreated by: " + strings.Join(cfg.Card.Creators, ", ") + ".\n"
	}
	return s
}

func pct(n, total int64) string {
	if total == 0 {
		return "0.0%"
	}
	return strconv.FormatFloat(100*float64(n)/float64(total), 'f', 1, 64) + "%"
}

// countTable writes a two-column table of counts with their share of total.
func countTable(b *strings.Builder, head string, counts []Count, total int64) {
	fmt.Fprintf(b, "| %s | documents | share |\n| --- | ---: | ---: |\n", head)
	for _, c := range counts {
		fmt.Fprintf(b, "| %s | %d | %s |\n", mdCell(c.Key), c.N, pct(c.N, total))
	}
	b.WriteString("\n")
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}

func chartLink(b *strings.Builder, c chart) {
	fmt.Fprintf(b, "![%s](%s)\n\n", c.title, c.file)
}

func compositionSection(m *Manifest, st *Stats) string {
	var b strings.Builder
	charts := chartIndex(st)
	total := st.Docs()
	b.WriteString("## Composition\n\n")
	fmt.Fprintf(&b, "Each `articles` row is one news article; duplicates are %s. ", dupWord(m))
	b.WriteString("Each `turns` row is one question of an interview with the answer that follows it.\n\n")
	b.WriteString("### Splits\n\n")
	b.WriteString("| config | split | rows | bytes in memory | files |\n| --- | --- | ---: | ---: | ---: |\n")
	for _, ci := range m.Configs {
		for _, s := range ci.Splits {
			fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %d |\n", ci.Name, s.Name, s.NumExamples, s.NumBytes, len(s.Files))
		}
	}
	b.WriteString("\n")
	chartLink(&b, charts["split"])
	b.WriteString("### Sources\n\n")
	countTable(&b, "source", st.BySource(), total)
	chartLink(&b, charts["source"])
	b.WriteString("### Languages\n\n")
	countTable(&b, "language", st.ByLang(), total)
	chartLink(&b, charts["lang"])
	pub, bin := st.ByPublication()
	if bin == BinYear {
		b.WriteString("### Publication years\n\n")
		fmt.Fprintf(&b, "Years are those of the publication date in the source's own time zone; the articles span more than %d months, so they are counted per year.\n\n", MaxMonthRows)
	} else {
		b.WriteString("### Publication months\n\n")
		b.WriteString("Months are those of the publication date in the source's own time zone.\n\n")
	}
	countTable(&b, bin, pub, total)
	chartLink(&b, charts["published"])
	b.WriteString("### Text length\n\n")
	ls := st.Lengths()
	fmt.Fprintf(&b, "Lengths in Unicode code points: min %d, median ≈ %.0f (estimated from the histogram), mean %.1f, max %d.\n\n",
		ls.Min, ls.Median, ls.Mean, ls.Max)
	chartLink(&b, charts["length"])
	b.WriteString("### Fields\n\n")
	for _, ci := range m.Configs {
		feats, err := schema.Features(ci.Name)
		if err != nil {
			continue
		}
		fmt.Fprintf(&b, "`%s`:\n\n| field | type |\n| --- | --- |\n", ci.Name)
		for _, f := range feats {
			fmt.Fprintf(&b, "| `%s` | %s |\n", f.Name, mdCell(featureText(f.Feature)))
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func dupWord(m *Manifest) string {
	if m.Options.KeepDuplicates {
		return "kept (released with `--keep-duplicates`)"
	}
	return fmt.Sprintf("excluded (%d left out)", m.Excluded.Duplicates.Count)
}

// featureText is a one-line human reading of a feature type.
func featureText(f *schema.Feature) string {
	switch f.Type {
	case schema.FeatureClassLabel:
		return "class label (" + strings.Join(f.Names, ", ") + ")"
	case schema.FeatureSequence, schema.FeatureList:
		return "list of " + featureText(f.Item)
	case schema.FeatureStruct:
		parts := make([]string, len(f.Fields))
		for i, sf := range f.Fields {
			parts[i] = sf.Name + ": " + featureText(sf.Feature)
		}
		return "{" + strings.Join(parts, "; ") + "}"
	}
	return f.Dtype
}

func collectionSection(st *Stats, cfg *config.Config) string {
	var b strings.Builder
	b.WriteString("## Collection process\n\n")
	b.WriteString("Articles were ingested with newsds from web pages, WARC archives, feeds or text scrapes of the sources below; " +
		"the main text, title, byline and dates were extracted from each page and the language identified.\n\n")
	b.WriteString("| source | site | language | documents |\n| --- | --- | --- | ---: |\n")
	for _, c := range st.BySource() {
		src := cfg.Sources[c.Key]
		fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", mdCell(c.Key), mdCell(src.SiteName), mdCell(src.Lang), c.N)
	}
	b.WriteString("\n")
	var months []string
	for _, c := range st.ByMonth() {
		if c.Key != Unknown {
			months = append(months, c.Key)
		}
	}
	if len(months) > 0 {
		fmt.Fprintf(&b, "Publication dates run from %s to %s.\n\n", months[0], months[len(months)-1])
	}
	b.WriteString(ownerNote("how and why these sources and articles were chosen, over which period they were collected, and whether the publishers allow this use", ""))
	return b.String()
}

func preprocessingSection(m *Manifest, cfg *config.Config) string {
	var b strings.Builder
	b.WriteString("## Preprocessing\n\n")
	b.WriteString("- Text is Unicode NFC with paragraphs separated by one blank line (`\\n\\n`); `content_hash` is the SHA-256 of its UTF-8 bytes.\n")
	b.WriteString("- `published` is the publication instant in UTC; `published_local` keeps the date as the source wrote it, with its offset.\n")
	if cfg.Dedup.Threshold < 0 {
		b.WriteString("- Only exact duplicates were detected (near-duplicate detection is off).\n")
	} else if cfg.Dedup.Threshold > 0 {
		fmt.Fprintf(&b, "- Near-duplicates were detected with MinHash over %d-word shingles at Jaccard similarity ≥ %g.\n", cfg.Dedup.Shingle, cfg.Dedup.Threshold)
	}
	fmt.Fprintf(&b, "- Duplicates are %s.\n", dupWord(m))
	if len(m.Excluded.StaleAnnotations) > 0 {
		var parts []string
		for _, l := range m.Excluded.StaleAnnotations {
			parts = append(parts, fmt.Sprintf("%s %d", l.Layer, l.Count))
		}
		fmt.Fprintf(&b, "- Annotations made on an older text of a document were dropped (%s).\n", strings.Join(parts, ", "))
	}
	if strings.HasPrefix(m.Options.Split, "date:") {
		fmt.Fprintf(&b, "- Splits are by publication date (UTC) at `%s`.\n", strings.TrimPrefix(m.Options.Split, "date:"))
	} else if m.Options.Split != "" {
		fmt.Fprintf(&b, "- Splits (`%s`) are assigned by a hash of the document id, so a document keeps its split from one release to the next while the split options stay the same.\n", m.Options.Split)
	}
	return b.String()
}

func annotationSection(m *Manifest, st *Stats) string {
	var b strings.Builder
	b.WriteString("## Annotation process\n\n")
	layers := st.Layers()
	if len(layers) == 0 {
		b.WriteString("The released documents carry no annotations.\n")
		return b.String()
	}
	b.WriteString("Each layer carries one annotation per document: a person's before a model's before a rule's, then the most recent. " +
		"Coverage is the share of released documents with at least one item of the layer.\n\n")
	charts := chartIndex(st)
	human := false
	for _, l := range layers {
		fmt.Fprintf(&b, "### %s\n\n", l.Name)
		fmt.Fprintf(&b, "Coverage: %d of %d documents (%s); items released: %d.\n\n", l.Docs, st.Docs(), pct(l.Docs, st.Docs()), l.Items)
		if len(l.Labels) > 0 {
			b.WriteString("| label | items | share |\n| --- | ---: | ---: |\n")
			for _, c := range l.Labels {
				fmt.Fprintf(&b, "| %s | %d | %s |\n", mdCell(labelName(c.Key)), c.N, pct(c.N, l.Items))
			}
			b.WriteString("\n")
		}
		if len(l.Scopes) > 0 {
			b.WriteString("| scope | labels |\n| --- | --- |\n")
			for _, sc := range l.Scopes {
				var parts []string
				for _, c := range sc.Labels {
					parts = append(parts, fmt.Sprintf("%s %d", labelName(c.Key), c.N))
				}
				fmt.Fprintf(&b, "| %s | %s |\n", mdCell(labelName(sc.Scope)), mdCell(strings.Join(parts, ", ")))
			}
			b.WriteString("\n")
		}
		if c, ok := charts["labels:"+l.Name]; ok {
			chartLink(&b, c)
		}
		b.WriteString("| annotator | kind | documents | items | skipped (language not supported) | minimum confidence |\n| --- | --- | ---: | ---: | --- | ---: |\n")
		for _, a := range l.Annotators {
			skipped := "none"
			if len(a.SkippedLanguages) > 0 {
				var parts []string
				for _, c := range a.SkippedLanguages {
					parts = append(parts, fmt.Sprintf("%s %d", c.Key, c.N))
				}
				skipped = strings.Join(parts, ", ")
			}
			minScore := "none"
			if a.MinScore != nil {
				minScore = strconv.FormatFloat(*a.MinScore, 'g', -1, 64)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %s | %s |\n", a.Name, a.Kind, a.Docs, a.Items, mdCell(skipped), minScore)
			human = human || a.Kind == schema.KindHuman
		}
		b.WriteString("\n")
		for _, a := range l.Annotators {
			if len(a.SkippedLanguages) > 0 {
				fmt.Fprintf(&b, "`%s` does not support the languages listed as skipped: those documents carry no %s items from it, rather than labels from a model that never saw their language.\n\n", a.Name, l.Name)
			}
			if a.MinScore != nil {
				fmt.Fprintf(&b, "`%s` items with a confidence below %s were not kept, so the label shares above describe the confident items only.\n\n", a.Name, strconv.FormatFloat(*a.MinScore, 'g', -1, 64))
			}
		}
		if l.Agreement == nil || l.Agreement.Units == 0 {
			b.WriteString("No unit of this layer was labelled by two annotators, so there is no agreement figure.\n\n")
			continue
		}
		ag := l.Agreement
		fmt.Fprintf(&b, "Agreement over %d units labelled by two annotators or more, on %d documents (a unit is a document-level label, or a span with exactly the same boundaries; %d units were labelled by one annotator only and are not counted). Krippendorff's α (nominal): %s.\n\n",
			ag.Units, ag.Documents, ag.SingleUnits, fmtOptional(ag.Alpha))
		b.WriteString("| annotators | units | observed | Cohen's κ |\n| --- | ---: | ---: | ---: |\n")
		for _, p := range ag.Pairs {
			fmt.Fprintf(&b, "| `%s` – `%s` | %d | %s | %s |\n", p.A, p.B, p.Units,
				strconv.FormatFloat(p.Observed, 'f', 3, 64), fmtOptional(p.Kappa))
		}
		b.WriteString("\n")
	}
	if human {
		b.WriteString(ownerNote("who the human annotators are (expertise, languages, how they were recruited and paid) and the guidelines they followed", ""))
	} else {
		b.WriteString("All released annotations were made by rules or models; no person's labels are in this release.\n")
	}
	return b.String()
}

func labelName(l string) string {
	if l == "" {
		return "(none)"
	}
	return l
}

func limitationsSection(st *Stats, cfg *config.Config) string {
	var b strings.Builder
	b.WriteString("## Limitations and biases\n\n")
	if strings.TrimSpace(cfg.Card.Limitations) != "" {
		b.WriteString(strings.TrimSpace(cfg.Card.Limitations) + "\n\n")
	} else {
		b.WriteString(ownerNote("the known limitations and biases of the dataset (which voices and regions the sources represent, what the annotators miss)", "card.limitations") + "\n")
	}
	b.WriteString("Measured on this release:\n\n")
	total := st.Docs()
	if top, ok := largest(st.BySource()); ok {
		fmt.Fprintf(&b, "- The largest source, %s, gives %s of the articles.\n", top.Key, pct(top.N, total))
	}
	if top, ok := largest(st.ByLang()); ok {
		fmt.Fprintf(&b, "- The most frequent language, %s, covers %s of the articles.\n", top.Key, pct(top.N, total))
	}
	for _, c := range st.ByMonth() {
		if c.Key == Unknown {
			fmt.Fprintf(&b, "- Articles without a known publication date: %d (%s).\n", c.N, pct(c.N, total))
		}
	}
	for _, l := range st.Layers() {
		if l.Docs < total {
			fmt.Fprintf(&b, "- Layer %s covers %s of the articles.\n", l.Name, pct(l.Docs, total))
		}
	}
	return b.String()
}

func largest(counts []Count) (Count, bool) {
	if len(counts) == 0 {
		return Count{}, false
	}
	top := counts[0]
	for _, c := range counts[1:] {
		if c.N > top.N {
			top = c
		}
	}
	return top, true
}

func distributionSection(m *Manifest, cfg *config.Config) string {
	var b strings.Builder
	b.WriteString("## Distribution\n\n")
	if cfg.Card.License != "" {
		fmt.Fprintf(&b, "License: `%s`.\n\n", cfg.Card.License)
	} else {
		b.WriteString(ownerNote("the license under which the dataset is shared, checked against the publishers' terms", "card.license") + "\n")
	}
	if cfg.Card.Homepage != "" {
		fmt.Fprintf(&b, "Homepage: %s\n\n", cfg.Card.Homepage)
	}
	b.WriteString("| config | format | files | bytes |\n| --- | --- | ---: | ---: |\n")
	for _, ci := range m.Configs {
		counts := map[string][2]int64{}
		for _, s := range ci.Splits {
			for _, f := range s.Files {
				c := counts[f.Format]
				counts[f.Format] = [2]int64{c[0] + 1, c[1] + f.Size}
			}
		}
		for _, format := range slices.Sorted(maps.Keys(counts)) {
			fmt.Fprintf(&b, "| `%s` | %s | %d | %d |\n", ci.Name, format, counts[format][0], counts[format][1])
		}
	}
	b.WriteString("\n")
	b.WriteString("Parquet files are zstd-compressed and carry the Hugging Face features in their `huggingface` metadata. " +
		"`croissant.json` describes the files in Croissant 1.0 with their SHA-256; `checksums.sha256` checks them with " +
		"`sha256sum -c checksums.sha256`; `CHANGELOG.md` lists what changed since the previous release. ")
	b.WriteString("Versions follow Croissant's rules: MAJOR when records change, leave or move split, MINOR when records are only added, PATCH when only the serialization changes.\n")
	if m.Previous != nil {
		fmt.Fprintf(&b, "\nPrevious release: %s (corpus version `%s`).\n", m.Previous.Version, m.Previous.Corpus.Version)
	}
	if m.Changes != nil && m.Changes.SplitOptionsChanged {
		b.WriteString("\n> [!NOTE]\n> The split options changed since the previous release: documents may have moved between splits.\n")
	}
	return b.String()
}

func citationSection(cfg *config.Config) string {
	if c := strings.TrimSpace(cfg.Card.Citation); c != "" {
		return "## Citation\n\n```bibtex\n" + c + "\n```\n"
	}
	return "## Citation\n\n" + ownerNote("how to cite the dataset (BibTeX)", "card.citation")
}

// ---- rebuild ----

var markerRE = regexp.MustCompile(`<!-- newsds:(begin|end) ([A-Za-z0-9_-]+) -->`)

// mergeCard puts fresh front matter and generated sections into the previous card.
func mergeCard(fm string, sections []cardSection, previous []byte) ([]byte, error) {
	prevFM, body := splitFrontMatter(string(previous))
	var out strings.Builder
	out.WriteString("---\n" + fm + keptFrontMatter(fm, prevFM) + "---\n")
	fresh := map[string]string{}
	for _, s := range sections {
		fresh[s.name] = s.body
	}
	rest := body
	for {
		loc := markerRE.FindStringSubmatchIndex(rest)
		if loc == nil {
			out.WriteString(rest)
			break
		}
		kind, name := rest[loc[2]:loc[3]], rest[loc[4]:loc[5]]
		if kind == "end" {
			return nil, fmt.Errorf("previous %s: marker %q has no begin marker before it; restore it or delete the end marker", CardFile, rest[loc[0]:loc[1]])
		}
		end := markEnd(name)
		j := strings.Index(rest[loc[1]:], end)
		if j < 0 {
			return nil, fmt.Errorf("previous %s: marker %q has no matching %q; restore it or delete the begin marker", CardFile, markBegin(name), end)
		}
		inner := rest[loc[1] : loc[1]+j]
		if nested := markerRE.FindString(inner); nested != "" {
			return nil, fmt.Errorf("previous %s: marker %q appears inside section %s", CardFile, nested, name)
		}
		out.WriteString(rest[:loc[0]])
		after := loc[1] + j + len(end)
		if s, ok := fresh[name]; ok {
			out.WriteString(markBegin(name) + "\n" + s + end)
		} else {
			// A section newsds no longer writes: drop it with its line and the blank
			// line that separated it from the next.
			for k := 0; k < 2 && after < len(rest) && rest[after] == '\n'; k++ {
				after++
			}
		}
		rest = rest[after:]
	}
	return []byte(out.String()), nil
}

// splitFrontMatter returns the YAML between the leading --- lines (with its final
// newline) and the text after them; a card without front matter is all body.
func splitFrontMatter(card string) (string, string) {
	card = strings.ReplaceAll(card, "\r\n", "\n")
	if !strings.HasPrefix(card, "---\n") {
		return "", card
	}
	i := strings.Index(card[4:], "\n---\n")
	if i < 0 {
		return "", card
	}
	return card[4 : 4+i+1], card[4+i+5:]
}

// keptFrontMatter returns the top-level entries of the previous front matter whose keys
// the fresh front matter does not have, verbatim and in their order.
func keptFrontMatter(fresh, prev string) string {
	have := map[string]bool{}
	for _, e := range topLevelEntries(fresh) {
		have[e.key] = true
	}
	var b strings.Builder
	for _, e := range topLevelEntries(prev) {
		if e.key != "" && !have[e.key] {
			b.WriteString(e.text)
		}
	}
	return b.String()
}

type yamlEntry struct {
	key  string
	text string
}

// topLevelEntries splits a block mapping into its top-level entries: a line that starts
// in column 0 with a key begins an entry; indented, list and comment lines belong to the
// current one.
func topLevelEntries(y string) []yamlEntry {
	var out []yamlEntry
	for _, line := range strings.SplitAfter(y, "\n") {
		if line == "" {
			continue
		}
		c := line[0]
		if c != ' ' && c != '\t' && c != '-' && c != '#' && c != '\n' {
			key := line
			if i := strings.Index(line, ":"); i >= 0 {
				key = line[:i]
			}
			key = strings.Trim(strings.TrimSpace(key), `'"`)
			out = append(out, yamlEntry{key: key, text: line})
			continue
		}
		if len(out) == 0 {
			out = append(out, yamlEntry{})
		}
		out[len(out)-1].text += line
	}
	return out
}

// ---- closed lists of the Hugging Face Hub ----

var hubLicenses = []string{
	"apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
	"bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
	"bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
	"cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
	"cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
	"cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0",
	"etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1",
	"lgpl-3.0", "isc", "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr",
	"mpl-2.0", "odc-by", "odbl", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib",
	"pddl", "lgpl-lr", "deepfloyd-if-license", "fair-noncommercial-research-license", "llama2", "llama3",
	"llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "unknown", "other",
}

var hubTaskCategories = []string{
	"text-classification", "token-classification", "table-question-answering", "question-answering",
	"zero-shot-classification", "translation", "summarization", "feature-extraction", "text-generation",
	"fill-mask", "sentence-similarity", "text-to-speech", "text-to-audio", "automatic-speech-recognition",
	"audio-to-audio", "audio-classification", "audio-text-to-text", "voice-activity-detection",
	"depth-estimation", "image-classification", "object-detection", "image-segmentation", "text-to-image",
	"image-to-text", "image-to-image", "image-to-video", "unconditional-image-generation",
	"video-classification", "reinforcement-learning", "robotics", "tabular-classification",
	"tabular-regression", "tabular-to-text", "table-to-text", "multiple-choice", "text-ranking",
	"text-retrieval", "time-series-forecasting", "text-to-video", "image-text-to-text",
	"visual-question-answering", "document-question-answering", "zero-shot-image-classification",
	"graph-ml", "mask-generation", "zero-shot-object-detection", "text-to-3d", "image-to-3d",
	"image-feature-extraction", "video-text-to-text", "keypoint-detection", "visual-document-retrieval",
	"any-to-any", "other",
}

var hubAnnotationsCreators = []string{"crowdsourced", "expert-generated", "found", "machine-generated", "no-annotation", "other"}

var hubLanguageCreators = []string{"crowdsourced", "expert-generated", "found", "machine-generated", "other"}

// ---- YAML ----

// The card's front matter is written by this small block-style emitter rather than a
// YAML library so that key order, quoting and indentation are fixed by the code: the
// Hub and datasets read it with PyYAML (YAML 1.1), where an unquoted `no` or `on` is a
// boolean, so every string that is not plainly a word is quoted.

// ymap is an ordered YAML mapping.
type ymap []ykv

type ykv struct {
	k string
	v any // string, int, int64, ymap, []any
}

// plainScalar matches strings that YAML 1.1 and 1.2 both read back as the same string
// when written unquoted.
var plainScalar = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.*/+-]*$`)

// yaml11Words are read as booleans or null by YAML 1.1 (PyYAML) when unquoted.
var yaml11Words = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

func yamlScalar(v any) string {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	}
	return yamlString(fmt.Sprint(v))
}

func yamlString(s string) string {
	if plainScalar.MatchString(s) && !yaml11Words[strings.ToLower(s)] {
		return s
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			// A JSON string is a valid YAML double-quoted scalar.
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s) // encoding a string cannot fail
			return strings.TrimSuffix(b.String(), "\n")
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// writeYAML writes m as a block mapping at the given indentation.
func writeYAML(b *strings.Builder, m ymap, indent int) {
	writeMap(b, m, indent, strings.Repeat(" ", indent))
}

// writeMap writes m; the first key is prefixed by first (used for "- " in lists).
func writeMap(b *strings.Builder, m ymap, indent int, first string) {
	pad := strings.Repeat(" ", indent)
	for i, kv := range m {
		if i == 0 {
			b.WriteString(first)
		} else {
			b.WriteString(pad)
		}
		b.WriteString(yamlString(kv.k))
		b.WriteByte(':')
		writeValue(b, kv.v, indent)
	}
}

func writeValue(b *strings.Builder, v any, indent int) {
	switch v := v.(type) {
	case ymap:
		if len(v) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteByte('\n')
		writeMap(b, v, indent+2, strings.Repeat(" ", indent+2))
	case []any:
		if len(v) == 0 {
			b.WriteString(" []\n")
			return
		}
		b.WriteByte('\n')
		writeList(b, v, indent)
	default:
		b.WriteString(" " + yamlScalar(v) + "\n")
	}
}

// writeList writes a block sequence at indent (the Hub's style: "- " under the key).
func writeList(b *strings.Builder, l []any, indent int) {
	pad := strings.Repeat(" ", indent)
	for _, item := range l {
		switch item := item.(type) {
		case ymap:
			if len(item) == 0 {
				b.WriteString(pad + "- {}\n")
				continue
			}
			writeMap(b, item, indent+2, pad+"- ")
		default:
			b.WriteString(pad + "- " + yamlScalar(item) + "\n")
		}
	}
}

func strList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// fmtOptional prints an agreement coefficient, or "n/a" where it is undefined (every
// label the same).
func fmtOptional(f *float64) string {
	if f == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*f, 'f', 3, 64)
}
