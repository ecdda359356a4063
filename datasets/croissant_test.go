package datasets

import (
	"bytes"
	"encoding/json"
	"regexp"
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
	if doc.Type != "sc:Dataset" || doc.ConformsTo != "http://mlcommons.org/croissant/1.0" {
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
	for _, k := range []string{"cr", "rai", "sc", "dct", "data", "dataType", "source", "extract", "subField", "repeated", "references", "regex", "fileSet", "fileObject", "field", "recordSet", "key", "includes", "transform", "jsonPath", "fileProperty"} {
		if _, ok := doc.Context[k]; !ok {
			t.Errorf("@context lacks %s", k)
		}
	}
}

func TestCroissantFiles(t *testing.T) {
	m := fixtureManifest()
	m.Configs[0].Splits[0].Files = append(m.Configs[0].Splits[0].Files, FileInfo{
		Path: "data/articles/train-00000-of-00002.arrow", SHA256: strings.Repeat("a", 64), Size: 12, Rows: 2, Format: FormatArrow})
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
					want = MIMEArrowStream
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
		if len(fields) != len(feats)+1 || fields[0].Name != "split" {
			t.Fatalf("%s: %d fields, want split + %d features", config, len(fields), len(feats))
		}
		re := regexp.MustCompile(fields[0].Source.Transform["regex"])
		for _, s := range m.Config(config).Splits {
			for _, f := range s.Files {
				if got := re.FindStringSubmatch(f.Path); got == nil || got[1] != s.Name {
					t.Errorf("split regex on %s = %v, want %s", f.Path, got, s.Name)
				}
			}
		}
		for j, f := range feats {
			if fields[j+1].Name != f.Name {
				t.Errorf("%s field %d = %s, want %s", config, j+1, fields[j+1].Name, f.Name)
			}
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
	if !qa.Repeated || len(qa.SubField) != 7 {
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
