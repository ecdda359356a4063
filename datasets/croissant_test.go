package datasets

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

func TestCroissantGolden(t *testing.T) {
	m, st, cfg := fixtureManifest(), fixtureStats(), fixtureConfig()
	b, err := RenderCroissant(m, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "croissant.golden.json", b)
	again, err := RenderCroissant(m, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Error("two renders of the same release differ")
	}
}

// croissantDoc is the part of croissant.json the tests look at.
type croissantDoc struct {
	Context      map[string]any   `json:"@context"`
	Type         string           `json:"@type"`
	ConformsTo   string           `json:"conformsTo"`
	Name         string           `json:"name"`
	License      string           `json:"license"`
	Version      string           `json:"version"`
	Date         string           `json:"datePublished"`
	CiteAs       string           `json:"citeAs"`
	Distribution []map[string]any `json:"distribution"`
	RecordSet    []struct {
		ID       string           `json:"@id"`
		DataType any              `json:"dataType"`
		Field    []crField        `json:"field"`
		Data     []map[string]any `json:"data"`
	} `json:"recordSet"`
	Limitations string `json:"rai:dataLimitations"`
	UseCases    string `json:"rai:dataUseCases"`
}

type crField struct {
	ID       string    `json:"@id"`
	Name     string    `json:"name"`
	DataType any       `json:"dataType"`
	Repeated bool      `json:"repeated"`
	SubField []crField `json:"subField"`
	Source   struct {
		FileSet   map[string]string `json:"fileSet"`
		Extract   map[string]string `json:"extract"`
		Transform map[string]string `json:"transform"`
	} `json:"source"`
	References struct {
		Field map[string]string `json:"field"`
	} `json:"references"`
}

func parseCroissant(t *testing.T, m *Manifest, cfg *config.Config) croissantDoc {
	t.Helper()
	b, err := RenderCroissant(m, fixtureStats(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var doc croissantDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestCroissantRequired(t *testing.T) {
	doc := parseCroissant(t, fixtureManifest(), fixtureConfig())
	if doc.Type != "sc:Dataset" || doc.ConformsTo != "http://mlcommons.org/croissant/1.1" {
		t.Errorf("@type, conformsTo = %q, %q", doc.Type, doc.ConformsTo)
	}
	if doc.Name != "Demo News Interviews" || doc.License != "cc-by-4.0" || doc.Version != "1.2.0" {
		t.Errorf("name, license, version = %q, %q, %q", doc.Name, doc.License, doc.Version)
	}
	// The only timestamp is the corpus version's: rebuilding gives the same bytes.
	if doc.Date != "2024-03-01T12:30:00Z" {
		t.Errorf("datePublished = %q", doc.Date)
	}
	if !strings.HasPrefix(doc.CiteAs, "@misc{demo2024") {
		t.Errorf("citeAs = %q", doc.CiteAs)
	}
	for _, k := range []string{"cr", "rai", "sc", "dct", "data", "dataType", "source", "extract", "subField", "repeated", "references", "regex", "fileSet", "fileObject", "field", "recordSet", "key", "includes", "transform", "jsonPath", "fileProperty", "prov", "sdVersion", "isArray", "containedIn"} {
		if _, ok := doc.Context[k]; !ok {
			t.Errorf("@context lacks %s", k)
		}
	}
}

func TestCroissantFiles(t *testing.T) {
	m := fixtureManifest()
	m.Configs[0].Splits[0].Files = append(m.Configs[0].Splits[0].Files, FileInfo{
		Path: "arrow/articles/train-00000-of-00002.arrow", SHA256: strings.Repeat("a", 64), Size: 12, Rows: 2, Format: FormatArrow})
	doc := parseCroissant(t, m, fixtureConfig())
	objects := map[string]map[string]any{}
	sets := map[string]map[string]any{}
	for _, d := range doc.Distribution {
		switch d["@type"] {
		case "cr:FileObject":
			objects[d["contentUrl"].(string)] = d
		case "cr:FileSet":
			sets[d["@id"].(string)] = d
		}
	}
	n := 0
	for _, c := range m.Configs {
		for _, s := range c.Splits {
			for _, f := range s.Files {
				n++
				o := objects[f.Path]
				if o == nil {
					t.Errorf("no FileObject for %s", f.Path)
					continue
				}
				if o["sha256"] != f.SHA256 || o["contentSize"] != itoa(int(f.Size))+" B" {
					t.Errorf("%s: sha256 %v, contentSize %v", f.Path, o["sha256"], o["contentSize"])
				}
				want := MIMEParquet
				if f.Format == FormatArrow {
					want = MIMEArrowFile
				}
				if o["encodingFormat"] != want {
					t.Errorf("%s: encodingFormat %v", f.Path, o["encodingFormat"])
				}
			}
		}
	}
	if len(objects) != n {
		t.Errorf("%d FileObjects for %d files", len(objects), n)
	}
	if s := sets["articles-parquet"]; s == nil || s["includes"] != "data/articles/*.parquet" {
		t.Errorf("articles FileSet = %v", s)
	}
	// The Arrow files are a tree of their own (layout.go), described by a FileSet too.
	if s := sets["articles-arrow"]; s == nil || s["includes"] != "arrow/articles/*.arrow" || s["encodingFormat"] != MIMEArrowFile {
		t.Errorf("articles Arrow FileSet = %v", s)
	}
	if s := sets["turns-arrow"]; s != nil {
		t.Errorf("turns has no Arrow file but a FileSet %v", s)
	}
	bad := fixtureManifest()
	bad.Configs[0].Splits[0].Files[0].Format = "csv"
	if _, err := RenderCroissant(bad, fixtureStats(), fixtureConfig()); err == nil || !strings.Contains(err.Error(), "train-00000-of-00002.parquet") {
		t.Errorf("unknown format: err = %v", err)
	}
}

func TestCroissantRecordSets(t *testing.T) {
	m := fixtureManifest()
	doc := parseCroissant(t, m, fixtureConfig())
	byID := map[string]int{}
	for i, rs := range doc.RecordSet {
		byID[rs.ID] = i
	}
	splits := doc.RecordSet[byID["splits"]]
	if splits.DataType != "cr:Split" || len(splits.Data) != 3 || splits.Data[0]["splits/url"] != "cr:TrainingSplit" {
		t.Errorf("splits record set = %+v", splits)
	}
	sent := doc.RecordSet[byID["sentiment_labels"]]
	if sent.DataType != "sc:Enumeration" || len(sent.Data) != 3 || sent.Data[2]["sentiment_labels/name"] != "positive" {
		t.Errorf("sentiment_labels = %+v", sent)
	}
	for _, config := range []string{ConfigArticles, ConfigTurns} {
		i, ok := byID[config]
		if !ok {
			t.Fatalf("no record set %s", config)
		}
		fields := doc.RecordSet[i].Field
		feats, err := schema.Features(config)
		if err != nil {
			t.Fatal(err)
		}
		if len(fields) != len(feats) {
			t.Fatalf("%s: %d fields, want one per feature (%d)", config, len(fields), len(feats))
		}
		for j, f := range feats {
			if fields[j].Name != f.Name {
				t.Errorf("%s field %d = %s, want %s", config, j, fields[j].Name, f.Name)
			}
		}
		// The split is the split column, a foreign key into the splits record set, not
		// a guess from the file name.
		var split *crField
		for j := range fields {
			if fields[j].Name == schema.ColumnSplit {
				split = &fields[j]
			}
		}
		if split == nil || split.Source.Extract["column"] != schema.ColumnSplit || split.References.Field["@id"] != "splits/name" {
			t.Errorf("%s split field = %+v", config, split)
		}
	}
	arts := doc.RecordSet[byID[ConfigArticles]].Field
	var qa, published crField
	for _, f := range arts {
		switch f.Name {
		case "qa_turns":
			qa = f
		case "published":
			published = f
		}
	}
	if !qa.Repeated {
		t.Fatalf("qa_turns = %+v", qa)
	}
	if len(qa.SubField) != 9 {
		t.Fatalf("qa_turns = %+v", qa)
	}
	start := qa.SubField[4]
	if start.Name != "start" || start.DataType != "sc:Integer" || start.Source.Extract["column"] != "qa_turns" || start.Source.Transform["jsonPath"] != "start" {
		t.Errorf("qa_turns/start = %+v", start)
	}
	if published.DataType != "sc:DateTime" {
		t.Errorf("published dataType = %v", published.DataType)
	}
}

func TestCroissantOwnerFields(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Card = config.Card{}
	doc := parseCroissant(t, fixtureManifest(), cfg)
	if doc.Limitations != ownerTBD || doc.UseCases != ownerTBD {
		t.Errorf("limitations, use cases = %q, %q; want %q", doc.Limitations, doc.UseCases, ownerTBD)
	}
	if doc.License != "unknown" || doc.CiteAs != "" {
		t.Errorf("license, citeAs = %q, %q", doc.License, doc.CiteAs)
	}
}

// TestCroissantLabelReferences: every class-id field and every label-name field, at any
// depth, points to the record set of its label set, and that record set lists the
// label set's names in class-id order.
func TestCroissantLabelReferences(t *testing.T) {
	doc := parseCroissant(t, fixtureManifest(), fixtureConfig())
	sets := map[string][]string{}
	for _, rs := range doc.RecordSet {
		if rs.DataType != "sc:Enumeration" {
			continue
		}
		names := make([]string, len(rs.Data))
		for _, row := range rs.Data {
			id, _ := row[rs.ID+"/id"].(float64)
			if int(id) < 0 || int(id) >= len(names) {
				t.Fatalf("%s: id %v out of range", rs.ID, row[rs.ID+"/id"])
			}
			names[int(id)], _ = row[rs.ID+"/name"].(string)
		}
		sets[rs.ID] = names
	}
	ids, names := 0, 0
	for _, config := range []string{ConfigArticles, ConfigTurns} {
		feats, err := schema.Features(config)
		if err != nil {
			t.Fatal(err)
		}
		var fields []crField
		for _, rs := range doc.RecordSet {
			if rs.ID == config {
				fields = rs.Field
			}
		}
		var walk func(prefix string, fs []schema.FeatureField, cs []crField)
		walk = func(prefix string, fs []schema.FeatureField, cs []crField) {
			if len(fs) != len(cs) {
				t.Fatalf("%s: %d features, %d fields", prefix, len(fs), len(cs))
			}
			for i, f := range fs {
				c, path := cs[i], prefix+"/"+f.Name
				ft := f.Feature
				if ft.Type == schema.FeatureList || ft.Type == schema.FeatureSequence {
					ft = ft.Item
				}
				switch {
				case ft.Type == schema.FeatureStruct:
					walk(path, ft.Fields, c.SubField)
				case ft.Type == schema.FeatureClassLabel:
					ids++
					ref := strings.TrimSuffix(c.References.Field["@id"], "/id")
					if !strings.HasSuffix(c.References.Field["@id"], "/id") || strings.Join(sets[ref], ",") != strings.Join(ft.Names, ",") {
						t.Errorf("%s references %q, want the id of a record set with labels %v", path, c.References.Field["@id"], ft.Names)
					}
				case isLabelTwin(f.Name, fs):
					names++
					ref, ok := strings.CutSuffix(c.References.Field["@id"], "/name")
					if !ok || sets[ref] == nil {
						t.Errorf("%s references %q, want the name of a label record set", path, c.References.Field["@id"])
					}
				}
			}
		}
		walk(config, feats, fields)
	}
	// Seven class-id columns in the two configs (schema.classLabels), each with its twin.
	if ids != 7 || names != 7 {
		t.Errorf("%d class-id fields and %d label-name fields, want 7 and 7", ids, names)
	}
}

// TestCroissantVersioningAndProvenance: the Croissant 1.1 versioning, provenance and
// use-condition properties.
func TestCroissantVersioningAndProvenance(t *testing.T) {
	render := func(m *Manifest, cfg *config.Config) map[string]any {
		b, err := RenderCroissant(m, fixtureStats(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	m := fixtureManifest()
	doc := render(m, fixtureConfig())
	if doc["version"] != "1.2.0" || doc["sdVersion"] != "1.2.0" || doc["isLiveDataset"] != false {
		t.Errorf("version, sdVersion, isLiveDataset = %v, %v, %v", doc["version"], doc["sdVersion"], doc["isLiveDataset"])
	}
	if _, ok := doc["prov:wasRevisionOf"]; ok {
		t.Error("a first release names a previous one")
	}
	derived, _ := doc["prov:wasDerivedFrom"].([]any)
	if len(derived) != 1 {
		t.Fatalf("prov:wasDerivedFrom = %v", doc["prov:wasDerivedFrom"])
	}
	corpus, _ := derived[0].(map[string]any)
	if corpus["version"] != "v3" || !strings.Contains(corpus["name"].(string), "demo") || corpus["description"] != "Commit message: March batch" {
		t.Errorf("derived from %v", corpus)
	}
	gen, _ := doc["prov:wasGeneratedBy"].(map[string]any)
	if gen["@type"] != "prov:Activity" || !strings.Contains(gen["description"].(string), "train=0.8") || gen["prov:endedAtTime"] != "2024-03-01T12:30:00Z" {
		t.Errorf("prov:wasGeneratedBy = %v", gen)
	}
	if doc["license"] != "cc-by-4.0" || !strings.Contains(doc["conditionsOfAccess"].(string), "cc-by-4.0") || doc["usageInfo"] != ownerTBD {
		t.Errorf("license, conditionsOfAccess, usageInfo = %v, %v, %v", doc["license"], doc["conditionsOfAccess"], doc["usageInfo"])
	}

	m.Previous = &PreviousRef{Version: "1.1.0", Corpus: CorpusRef{Name: "demo", Version: "v2"}}
	cfg := fixtureConfig()
	cfg.Card.SourceDatasets = []string{"original/news-crawl"}
	cfg.Card.License = ""
	cfg.Card.Uses = "Research on interview reporting."
	doc = render(m, cfg)
	prev, _ := doc["prov:wasRevisionOf"].(map[string]any)
	if prev["version"] != "1.1.0" {
		t.Errorf("prov:wasRevisionOf = %v", doc["prov:wasRevisionOf"])
	}
	if derived, _ := doc["prov:wasDerivedFrom"].([]any); len(derived) != 2 || derived[1].(map[string]any)["name"] != "original/news-crawl" {
		t.Errorf("prov:wasDerivedFrom with a source dataset = %v", doc["prov:wasDerivedFrom"])
	}
	if !strings.Contains(doc["conditionsOfAccess"].(string), "not set a license") || doc["usageInfo"] != "Research on interview reporting." {
		t.Errorf("without a license: conditionsOfAccess, usageInfo = %v, %v", doc["conditionsOfAccess"], doc["usageInfo"])
	}
}

// isLabelTwin: name is <c>_name beside a class-id field <c>.
func isLabelTwin(name string, siblings []schema.FeatureField) bool {
	base, ok := strings.CutSuffix(name, schema.LabelNameSuffix)
	for _, sf := range siblings {
		if ok && sf.Name == base && sf.Feature.Type == schema.FeatureClassLabel {
			return true
		}
	}
	return false
}
