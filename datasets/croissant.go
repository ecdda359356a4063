package datasets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/atomicfile"
	"github.com/newsds/newsds/schema"
)

// CroissantFile is the Croissant metadata's name in a release folder.
const CroissantFile = "croissant.json"

// Encoding formats of the data files, as Croissant names them.
const (
	MIMEParquet = "application/x-parquet"
	// MIMEArrowFile is the registered media type of the Arrow IPC file format, the
	// format of the files under arrow/ (layout.go).
	MIMEArrowFile = "application/vnd.apache.arrow.file"
)

// ownerTBD is the value of a Croissant property only the dataset owner can fill.
const ownerTBD = "To be written by the dataset owner."

// CroissantVersion is the Croissant specification croissant.json conforms to.
const CroissantVersion = "http://mlcommons.org/croissant/1.1"

// WriteCroissant writes dir/croissant.json: Croissant 1.1 metadata with its RAI
// properties, versioning (version, sdVersion, the release it revises), provenance
// (PROV-O: the corpus version it was derived from, the newsds run that generated it),
// data-use conditions, one FileObject per data file (sha256, size), one FileSet and
// one RecordSet per config, the split RecordSet and a RecordSet per class-label set
// that every label field references.
func WriteCroissant(dir string, m *Manifest, st *Stats, cfg *config.Config) error {
	b, err := RenderCroissant(m, st, cfg)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, CroissantFile), b, 0o644); err != nil {
		return fmt.Errorf("write croissant: %w", err)
	}
	return nil
}

// jobj is a JSON object that keeps its key order.
type jobj []jkv

type jkv struct {
	k string
	v any
}

// MarshalJSON writes the keys in order. Text stays as written (no \u003c for '<'):
// the file is read by people as well as by JSON-LD tools.
func (o jobj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := encodeJSON(&b, kv.k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := encodeJSON(&b, kv.v); err != nil {
			return nil, fmt.Errorf("key %s: %w", kv.k, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encodeJSON appends the JSON of v without HTML escaping and without a newline.
func encodeJSON(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1)
	return nil
}

// croissantContext is the @context of Croissant 1.1, key for key the one mlcroissant
// 1.1 builds for a 1.1 document (it warns about any standard key that is missing),
// plus the terms newsds uses beyond it: cr:sdVersion and the PROV-O namespace that
// Croissant 1.1 takes its provenance properties from.
var croissantContext = jobj{
	{"@language", "en"},
	{"@vocab", "https://schema.org/"},
	{"arrayShape", "cr:arrayShape"},
	{"citeAs", "cr:citeAs"},
	{"column", "cr:column"},
	{"conformsTo", "dct:conformsTo"},
	{"containedIn", "cr:containedIn"},
	{"cr", "http://mlcommons.org/croissant/"},
	{"rai", "http://mlcommons.org/croissant/RAI/"},
	{"data", jobj{{"@id", "cr:data"}, {"@type", "@json"}}},
	{"dataType", jobj{{"@id", "cr:dataType"}, {"@type", "@vocab"}}},
	{"dct", "http://purl.org/dc/terms/"},
	{"description", jobj{{"@container", "@language"}}},
	{"equivalentProperty", "cr:equivalentProperty"},
	{"examples", jobj{{"@id", "cr:examples"}, {"@type", "@json"}}},
	{"extract", "cr:extract"},
	{"field", "cr:field"},
	{"fileProperty", "cr:fileProperty"},
	{"fileObject", "cr:fileObject"},
	{"fileSet", "cr:fileSet"},
	{"format", "cr:format"},
	{"includes", "cr:includes"},
	{"isArray", "cr:isArray"},
	{"isLiveDataset", "cr:isLiveDataset"},
	{"jsonPath", "cr:jsonPath"},
	{"key", "cr:key"},
	{"md5", "cr:md5"},
	{"name", jobj{{"@container", "@language"}}},
	{"parentField", "cr:parentField"},
	{"path", "cr:path"},
	{"prov", "http://www.w3.org/ns/prov#"},
	{"recordSet", "cr:recordSet"},
	{"references", "cr:references"},
	{"regex", "cr:regex"},
	{"repeated", "cr:repeated"},
	{"replace", "cr:replace"},
	{"samplingRate", "cr:samplingRate"},
	{"sc", "https://schema.org/"},
	{"sdVersion", "cr:sdVersion"},
	{"separator", "cr:separator"},
	{"source", "cr:source"},
	{"subField", "cr:subField"},
	{"transform", "cr:transform"},
}

// RenderCroissant returns the bytes of croissant.json.
func RenderCroissant(m *Manifest, st *Stats, cfg *config.Config) ([]byte, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	c := cfg.Card
	doc := jobj{
		{"@context", croissantContext},
		{"@type", "sc:Dataset"},
		{"name", prettyName(m, cfg)},
		{"description", croissantDescription(m, st, cfg)},
		{"conformsTo", CroissantVersion},
	}
	doc = append(doc, croissantVersioning(m)...)
	doc = append(doc, croissantUseConditions(cfg)...)
	if c.Citation != "" {
		doc = append(doc, jkv{"citeAs", strings.TrimSpace(c.Citation)})
	}
	if len(c.Creators) > 0 {
		var creators []any
		for _, name := range c.Creators {
			creators = append(creators, jobj{{"@type", "sc:Organization"}, {"name", name}})
		}
		doc = append(doc, jkv{"creator", creators})
	}
	if langs := cardLanguages(st); len(langs) > 0 {
		doc = append(doc, jkv{"inLanguage", langs})
	}
	doc = append(doc, raiProperties(m, st, cfg)...)
	doc = append(doc, croissantProvenance(m, cfg)...)

	dist, err := croissantDistribution(m)
	if err != nil {
		return nil, err
	}
	doc = append(doc, jkv{"distribution", dist})
	rs, err := croissantRecordSets(m)
	if err != nil {
		return nil, err
	}
	doc = append(doc, jkv{"recordSet", rs})

	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode croissant: %w", err)
	}
	return b.Bytes(), nil
}

// croissantTime is the form of every timestamp in croissant.json.
const croissantTime = "2006-01-02T15:04:05Z"

// croissantVersioning are the version properties: the release version (semver), the
// metadata's own version, and the release this one revises. The metadata is generated
// from the release and changes only with it, so it carries the release's version too.
// A release is a fixed snapshot, never a live dataset.
func croissantVersioning(m *Manifest) []jkv {
	date := m.Corpus.CreatedAt.UTC().Format(croissantTime)
	out := []jkv{
		{"version", m.Version},
		{"sdVersion", m.Version},
		{"isLiveDataset", false},
		{"datePublished", date},
		{"dateModified", date},
	}
	if p := m.Previous; p != nil {
		out = append(out, jkv{"prov:wasRevisionOf", jobj{
			{"@type", "sc:Dataset"},
			{"name", "Release " + p.Version},
			{"version", p.Version},
			{"description", fmt.Sprintf("The previous release, of corpus %s version %s; CHANGELOG.md lists the changes.", p.Corpus.Name, p.Corpus.Version)},
		}})
	}
	return out
}

// croissantUseConditions are the conditions of use: the license (an SPDX id or URL
// from newsds.yaml) and the owner's statement of intended uses, as schema.org's
// usageInfo and conditionsOfAccess, which Croissant takes from schema.org.
func croissantUseConditions(cfg *config.Config) []jkv {
	c := cfg.Card
	license := c.License
	if license == "" {
		license = "unknown"
	}
	out := []jkv{{"license", license}}
	if c.Homepage != "" {
		out = append(out, jkv{"url", c.Homepage})
	}
	access := "Open: the data files are in the release folder, checked by checksums.sha256. Use is governed by the license (" + license + ")."
	if c.License == "" {
		access = "The owner has not set a license (card.license in newsds.yaml): ask before any use."
	}
	return append(out,
		jkv{"conditionsOfAccess", access},
		jkv{"usageInfo", orTBD(c.Uses)},
	)
}

// croissantProvenance is the PROV-O provenance of the release: the committed corpus
// version (and the owner's source datasets) it was derived from, and the newsds run
// that generated it with its options.
func croissantProvenance(m *Manifest, cfg *config.Config) []jkv {
	date := m.Corpus.CreatedAt.UTC().Format(croissantTime)
	corpus := jobj{
		{"@type", "prov:Entity"},
		{"name", fmt.Sprintf("newsds corpus %s, version %s", m.Corpus.Name, m.Corpus.Version)},
		{"version", m.Corpus.Version},
		{"dateCreated", date},
	}
	if msg := strings.TrimSpace(m.Corpus.Message); msg != "" {
		corpus = append(corpus, jkv{"description", "Commit message: " + msg})
	}
	if m.Corpus.Tag != "" {
		corpus = append(corpus, jkv{"alternateName", m.Corpus.Tag})
	}
	derived := []any{corpus}
	for _, sd := range cfg.Card.SourceDatasets {
		derived = append(derived, jobj{{"@type", "prov:Entity"}, {"name", sd}})
	}
	opts := []string{"split " + m.Options.Split, "formats " + strings.Join(m.Options.Formats, ", ")}
	if m.Options.KeepDuplicates {
		opts = append(opts, "duplicates kept")
	}
	activity := jobj{
		{"@type", "prov:Activity"},
		{"name", "newsds release " + m.Version},
		{"description", "Built by newsds release from the committed corpus version: " + strings.Join(opts, "; ") + "."},
		{"prov:endedAtTime", date},
		{"prov:wasAssociatedWith", jobj{{"@type", "prov:SoftwareAgent"}, {"name", "newsds"}}},
	}
	out := []jkv{
		{"prov:wasDerivedFrom", derived},
		{"prov:wasGeneratedBy", activity},
	}
	return out
}

// croissantDescription is the owner's description, or a factual one built from the
// release when there is none.
func croissantDescription(m *Manifest, st *Stats, cfg *config.Config) string {
	if d := strings.TrimSpace(cfg.Card.Description); d != "" {
		return d
	}
	var layers []string
	for _, l := range st.Layers() {
		layers = append(layers, l.Name)
	}
	s := fmt.Sprintf("Release %s of news corpus %s (version %s): %d articles", m.Version, m.Corpus.Name, m.Corpus.Version, st.Docs())
	if len(layers) > 0 {
		s += " with annotation layers " + strings.Join(layers, ", ")
	}
	return s + "."
}

func orTBD(s string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return ownerTBD
}

// raiProperties are the Croissant RAI properties: measured facts where newsds knows
// them, the owner's text from newsds.yaml, and an explicit "to be written" otherwise.
func raiProperties(m *Manifest, st *Stats, cfg *config.Config) []jkv {
	var sources []string
	for _, c := range st.BySource() {
		name := c.Key
		if sn := cfg.Sources[c.Key].SiteName; sn != "" {
			name += " (" + sn + ")"
		}
		sources = append(sources, fmt.Sprintf("%s: %d", name, c.N))
	}
	collection := "News articles ingested with newsds from web pages, WARC archives, feeds or text scrapes; " +
		"main text, title, byline and dates extracted from each page, language identified. Articles per source: " +
		strings.Join(sources, "; ") + ". How the sources and articles were chosen: " + ownerTBD

	prep := []string{
		"Text normalised to Unicode NFC, paragraphs separated by one blank line; offsets count code points.",
		"Duplicates " + dupWord(m) + ".",
	}
	if cfg.Dedup.Threshold > 0 {
		prep = append(prep, fmt.Sprintf("Near-duplicates detected with MinHash over %d-word shingles at Jaccard similarity >= %g.", cfg.Dedup.Shingle, cfg.Dedup.Threshold))
	}
	for _, l := range m.Excluded.StaleAnnotations {
		prep = append(prep, fmt.Sprintf("Annotations of layer %s made on an older text dropped: %d.", l.Layer, l.Count))
	}
	if m.Options.Split != "" {
		prep = append(prep, "Splits: "+m.Options.Split+".")
	}

	var protocol []string
	human := false
	for _, l := range st.Layers() {
		var who []string
		for _, a := range l.Annotators {
			who = append(who, a.Name+" ("+a.Kind+")")
			human = human || a.Kind == schema.KindHuman
		}
		s := fmt.Sprintf("Layer %s: annotators %s; coverage %d of %d documents.", l.Name, strings.Join(who, ", "), l.Docs, st.Docs())
		if ag := l.Agreement; ag != nil {
			for _, p := range ag.Pairs {
				if p.Kappa != nil {
					s += fmt.Sprintf(" Cohen's kappa %s vs %s: %.3f over %d units.", p.A, p.B, *p.Kappa, p.Units)
				}
			}
			if ag.Alpha != nil {
				s += fmt.Sprintf(" Krippendorff's alpha: %.3f.", *ag.Alpha)
			}
		}
		protocol = append(protocol, s)
	}
	if len(protocol) == 0 {
		protocol = []string{"No annotations."}
	}

	out := []jkv{
		{"rai:dataCollection", collection},
		{"rai:dataPreprocessingProtocol", prep},
		{"rai:dataAnnotationProtocol", protocol},
		{"rai:annotationsPerItem", "One released annotation per layer per article (a person's before a model's before a rule's, then the most recent); every annotator's work is counted in the dataset card."},
	}
	if human {
		out = append(out, jkv{"rai:annotatorDemographics", ownerTBD})
	}
	limitations := orTBD(cfg.Card.Limitations)
	var biases []string
	total := st.Docs()
	if top, ok := largest(st.BySource()); ok {
		biases = append(biases, fmt.Sprintf("The largest source, %s, gives %s of the articles.", top.Key, pct(top.N, total)))
	}
	if top, ok := largest(st.ByLang()); ok {
		biases = append(biases, fmt.Sprintf("The most frequent language, %s, covers %s of the articles.", top.Key, pct(top.N, total)))
	}
	biases = append(biases, "Other biases: "+ownerTBD)
	out = append(out,
		jkv{"rai:dataLimitations", limitations},
		jkv{"rai:dataBiases", biases},
		jkv{"rai:dataUseCases", orTBD(cfg.Card.Uses)},
		jkv{"rai:dataReleaseMaintenancePlan", orTBD(cfg.Card.Maintenance)},
		jkv{"rai:personalSensitiveInformation", "News articles name people and may report on their health, beliefs or politics. Assessment: " + ownerTBD},
	)
	return out
}

// fileSetID names the FileSet of a config's files of one format.
func fileSetID(config, format string) string { return config + "-" + format }

func croissantDistribution(m *Manifest) ([]any, error) {
	var dist []any
	for _, ci := range m.Configs {
		formats := map[string]bool{}
		for _, s := range ci.Splits {
			for _, f := range s.Files {
				mime, err := fileMIME(f)
				if err != nil {
					return nil, err
				}
				formats[f.Format] = true
				dist = append(dist, jobj{
					{"@type", "cr:FileObject"},
					{"@id", f.Path},
					{"name", f.Path},
					{"contentUrl", f.Path},
					{"encodingFormat", mime},
					{"contentSize", strconv.FormatInt(f.Size, 10) + " B"},
					{"sha256", f.SHA256},
				})
			}
		}
		for _, format := range []string{FormatParquet, FormatArrow} {
			if !formats[format] {
				continue
			}
			mime, err := fileMIME(FileInfo{Format: format})
			if err != nil {
				return nil, err
			}
			desc := "The Parquet files of config " + ci.Name + ", all splits; the record set " + ci.Name + " reads them."
			if format == FormatArrow {
				desc = "The Arrow IPC files of config " + ci.Name + ", all splits: the same rows as the Parquet files."
			}
			dist = append(dist, jobj{
				{"@type", "cr:FileSet"},
				{"@id", fileSetID(ci.Name, format)},
				{"name", fileSetID(ci.Name, format)},
				{"description", desc},
				{"encodingFormat", mime},
				{"includes", ConfigGlob(ci.Name, format)},
			})
		}
	}
	return dist, nil
}

func fileMIME(f FileInfo) (string, error) {
	switch f.Format {
	case FormatParquet:
		return MIMEParquet, nil
	case FormatArrow:
		return MIMEArrowFile, nil
	}
	return "", fmt.Errorf("croissant: file %s: unknown format %q", f.Path, f.Format)
}

// labelSets are the class-label sets of the release, each a RecordSet of its own that
// label fields point to.
var labelSets = []struct {
	id     string
	desc   string
	labels []string
}{
	{"qa_roles", "Roles of a Q&A turn (qa_turns.role).", schema.QARoles},
	{"speaker_roles", "Roles of a turn's speaker (qa_turns.speaker_role).", schema.SpeakerRoles},
	{"sentiment_labels", "Sentiment classes.", schema.SentimentLabels},
	{"stance_labels", "Stance classes towards a target.", schema.StanceLabels},
}

func labelSetID(names []string) string {
	for _, ls := range labelSets {
		if strings.Join(ls.labels, "\x00") == strings.Join(names, "\x00") {
			return ls.id
		}
	}
	return ""
}

// splitURLs are the Croissant split types of the conventional split names.
var splitURLs = map[string]string{
	"train":      "cr:TrainingSplit",
	"validation": "cr:ValidationSplit",
	"test":       "cr:TestSplit",
}

func croissantRecordSets(m *Manifest) ([]any, error) {
	var out []any
	// The splits, named as in the file names.
	var names []string
	seen := map[string]bool{}
	for _, ci := range m.Configs {
		for _, s := range ci.Splits {
			if !seen[s.Name] {
				seen[s.Name] = true
				names = append(names, s.Name)
			}
		}
	}
	standard := true
	for _, n := range names {
		standard = standard && splitURLs[n] != ""
	}
	splitFields := []any{
		jobj{{"@type", "cr:Field"}, {"@id", "splits/name"}, {"name", "name"}, {"description", "The split's name, as in the split column and the data file names."}, {"dataType", "sc:Text"}},
	}
	if standard {
		splitFields = append(splitFields, jobj{{"@type", "cr:Field"}, {"@id", "splits/url"}, {"name", "url"}, {"dataType", "sc:URL"}})
	}
	var splitData []any
	for _, n := range names {
		row := jobj{{"splits/name", n}}
		if standard {
			row = append(row, jkv{"splits/url", splitURLs[n]})
		}
		splitData = append(splitData, row)
	}
	out = append(out, jobj{
		{"@type", "cr:RecordSet"},
		{"dataType", "cr:Split"},
		{"@id", "splits"},
		{"name", "splits"},
		{"description", "The splits of the release."},
		{"key", jobj{{"@id", "splits/name"}}},
		{"field", splitFields},
		{"data", splitData},
	})
	for _, ls := range labelSets {
		var data []any
		for i, l := range ls.labels {
			data = append(data, jobj{{ls.id + "/id", i}, {ls.id + "/name", l}})
		}
		out = append(out, jobj{
			{"@type", "cr:RecordSet"},
			{"dataType", "sc:Enumeration"},
			{"@id", ls.id},
			{"name", ls.id},
			{"description", ls.desc + " The id is the class id stored in the data files."},
			{"key", jobj{{"@id", ls.id + "/id"}}},
			{"field", []any{
				jobj{{"@type", "cr:Field"}, {"@id", ls.id + "/id"}, {"name", "id"}, {"dataType", "sc:Integer"}},
				jobj{{"@type", "cr:Field"}, {"@id", ls.id + "/name"}, {"name", "name"}, {"dataType", []string{"sc:Text", "cr:Label"}}},
			}},
			{"data", data},
		})
	}
	for _, ci := range m.Configs {
		hasParquet := false
		for _, s := range ci.Splits {
			for _, f := range s.Files {
				hasParquet = hasParquet || f.Format == FormatParquet
			}
		}
		if !hasParquet {
			continue
		}
		feats, err := schema.Features(ci.Name)
		if err != nil {
			return nil, fmt.Errorf("croissant: config %s: %w", ci.Name, err)
		}
		fs := fileSetID(ci.Name, FormatParquet)
		var fields []any
		for _, f := range feats {
			id := ci.Name + "/" + f.Name
			if f.Name == schema.ColumnSplit {
				fields = append(fields, splitField(id, fs))
				continue
			}
			fields = append(fields, croissantField(id, f.Name, f.Feature, fs, f.Name, "", nil))
		}
		out = append(out, jobj{
			{"@type", "cr:RecordSet"},
			{"@id", ci.Name},
			{"name", ci.Name},
			{"description", configDescription(ci.Name)},
			{"field", fields},
		})
	}
	return out, nil
}

func configDescription(name string) string {
	switch name {
	case ConfigArticles:
		return "One record per article: metadata, text and annotations. Offsets are Unicode code points into text."
	case ConfigTurns:
		return "One record per interview question with the answer that follows it."
	}
	return "Config " + name + "."
}

// splitField is the split column, a foreign key into the splits record set.
func splitField(id, fileSet string) jobj {
	return jobj{
		{"@type", "cr:Field"},
		{"@id", id},
		{"name", schema.ColumnSplit},
		{"description", "The split of the record; its name in record set splits."},
		{"dataType", []string{"sc:Text", "cr:Split"}},
		{"source", jobj{{"fileSet", jobj{{"@id", fileSet}}}, {"extract", jobj{{"column", schema.ColumnSplit}}}}},
		{"references", jobj{{"field", jobj{{"@id", "splits/name"}}}}},
	}
}

// croissantField describes one column (or, with jsonPath set, one field of a struct
// column) as a Croissant Field. siblings are the other fields of the struct it is in,
// which tell a label-name twin (label_name beside the class id label) from text.
func croissantField(id, name string, f *schema.Feature, fileSet, column, jsonPath string, siblings []schema.FeatureField) jobj {
	field := jobj{{"@type", "cr:Field"}, {"@id", id}, {"name", name}}
	source := func() jobj {
		s := jobj{{"fileSet", jobj{{"@id", fileSet}}}, {"extract", jobj{{"column", column}}}}
		if jsonPath != "" {
			s = append(s, jkv{"transform", jobj{{"jsonPath", jsonPath}}})
		}
		return s
	}
	switch f.Type {
	case schema.FeatureStruct, schema.FeatureList:
		item := f
		if f.Type == schema.FeatureList {
			item = f.Item
			field = append(field, jkv{"repeated", true})
		}
		var subs []any
		for _, sf := range item.Fields {
			subs = append(subs, croissantField(id+"/"+sf.Name, sf.Name, sf.Feature, fileSet, column, joinPath(jsonPath, sf.Name), item.Fields))
		}
		return append(field, jkv{"subField", subs})
	case schema.FeatureSequence:
		field = append(field, jkv{"repeated", true})
		return append(field, croissantLeaf(f.Item)...).withSource(source())
	}
	if set, ok := labelNameOf(name, siblings); ok {
		return append(field, croissantLabelName(set)...).withSource(source())
	}
	return append(field, croissantLeaf(f)...).withSource(source())
}

// labelNameOf tells whether field name is the label-name twin of a class-id sibling
// (schema.LabelNameSuffix), and the id of that sibling's label set.
func labelNameOf(name string, siblings []schema.FeatureField) (string, bool) {
	base, ok := strings.CutSuffix(name, schema.LabelNameSuffix)
	if !ok {
		return "", false
	}
	for _, sf := range siblings {
		if sf.Name == base && sf.Feature.Type == schema.FeatureClassLabel {
			if id := labelSetID(sf.Feature.Names); id != "" {
				return id, true
			}
		}
	}
	return "", false
}

// croissantLabelName describes a label-name column: the label itself, a name of the
// label set's record set.
func croissantLabelName(set string) jobj {
	return jobj{
		{"description", "The label of the class id beside it, as text: a name in record set " + set + "."},
		{"dataType", []string{"sc:Text", "cr:Label"}},
		{"references", jobj{{"field", jobj{{"@id", set + "/name"}}}}},
	}
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return path.Join(parent, name)
}

// croissantLeaf is the dataType (and, for class labels, the description naming the
// label set) of a scalar feature.
func croissantLeaf(f *schema.Feature) jobj {
	switch f.Type {
	case schema.FeatureClassLabel:
		desc := "Class id: " + strings.Join(f.Names, ", ") + " (0.." + strconv.Itoa(len(f.Names)-1) + ")."
		id := labelSetID(f.Names)
		if id != "" {
			desc += " Names in record set " + id + "."
		}
		leaf := jobj{{"description", desc}, {"dataType", "sc:Integer"}}
		if id != "" {
			leaf = append(leaf, jkv{"references", jobj{{"field", jobj{{"@id", id + "/id"}}}}})
		}
		return leaf
	case schema.FeatureValue:
		return jobj{{"dataType", croissantType(f.Dtype)}}
	}
	return jobj{{"dataType", "sc:Text"}}
}

func croissantType(dtype string) string {
	switch {
	case dtype == "string" || dtype == "large_string":
		return "sc:Text"
	case dtype == "bool":
		return "sc:Boolean"
	case strings.HasPrefix(dtype, "int") || strings.HasPrefix(dtype, "uint"):
		return "sc:Integer"
	case strings.HasPrefix(dtype, "float"):
		return "sc:Float"
	case strings.HasPrefix(dtype, "timestamp"):
		return "sc:DateTime"
	case strings.HasPrefix(dtype, "date"):
		return "sc:Date"
	}
	return "sc:Text"
}

func (o jobj) withSource(src jobj) jobj { return append(o, jkv{"source", src}) }
