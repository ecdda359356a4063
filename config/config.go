// Package config owns newsds.yaml: the types every command reads, their defaults,
// loading, and errors located by file, line and key. Packages take the parts they
// need (a Source, Dedup, the external annotators, the card) rather than the whole file.
package config

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/newsds/newsds/schema"
)

// FileName is the name of a corpus's configuration file at its root.
const FileName = "newsds.yaml"

// Config is newsds.yaml: everything a corpus owner sets once and every command reads.
// The zero value of each field is its default (see Defaults).
type Config struct {
	// Name is the dataset's short name, used for the card's pretty_name when that is unset.
	Name string `yaml:"name"`
	// Sources are keyed by the source key given to `newsds ingest --source`.
	Sources map[string]Source `yaml:"sources"`
	// DefaultSource is used when ingest gets no --source and no source matches the URL.
	DefaultSource string `yaml:"default_source"`
	Dedup         Dedup  `yaml:"dedup"`
	// Annotators declares external annotators (command and http) by name.
	Annotators map[string]ExternalAnnotator `yaml:"annotators"`
	// Targets is the path (relative to the corpus root) of the stance targets file.
	Targets string `yaml:"targets"`
	// Layers declares user layers and their label sets.
	Layers map[string]LayerConfig `yaml:"layers"`
	Card   Card                   `yaml:"card"`
	// Ingest bounds what one input may cost.
	Ingest Ingest `yaml:"ingest"`
}

// Ingest bounds the cost of one input, so that a hostile or damaged file (a gzip bomb,
// a record that never ends) is rejected, located, within seconds instead of keeping
// ingest busy for minutes. Zero fields take the defaults below.
type Ingest struct {
	// MaxFileBytes is the most one input file may hold once decompressed
	// (default 16 GiB, DefaultMaxFileBytes). Reading stops there and the rest of the
	// file is one rejection.
	MaxFileBytes int64 `yaml:"max_file_bytes"`
	// MaxRecordBytes is the most one record may hold once decompressed: an HTML or
	// text file, a WARC payload after its HTTP codings, a JSONL line
	// (default 64 MiB, DefaultMaxRecordBytes).
	MaxRecordBytes int64 `yaml:"max_record_bytes"`
	// MaxRatio is the largest decompressed-to-compressed size ratio allowed for a
	// gzipped file and for a gzip/deflate HTTP body inside a WARC record, beyond the
	// first MiB (default 100, DefaultMaxRatio). News HTML compresses 5 to 15 times;
	// a bomb of zeros, about 1,000 times.
	MaxRatio float64 `yaml:"max_ratio"`
	// Fields maps article fields to the keys under which the JSON and JSONL records of
	// other tools hold them ({text: content, byline: author}), so their exports are
	// ingested as they are. A field not named reads its own key (see RecordFields); a
	// field named reads only the key given, and a key of the field's own name is then
	// kept in meta like any other key newsds does not read.
	Fields map[string]string `yaml:"fields"`
}

// RecordFields returns the article fields a JSON or JSONL record may give, the names
// Ingest.Fields maps.
func RecordFields() []string {
	return []string{"id", "url", "source", "site_name", "title", "byline", "published", "section", "lang", "text", "meta", "html"}
}

// FieldMapError is a field mapping newsds cannot follow, for the field Field.
type FieldMapError struct {
	Field, Reason string
}

func (e *FieldMapError) Error() string { return e.Field + ": " + e.Reason }

// CheckFields reports the first problem of a field mapping (Ingest.Fields): a field
// that is not one of RecordFields, an empty key, a key two fields would both read, or
// a key that is another field's own name while that field still reads it.
func CheckFields(fields map[string]string) error {
	known := RecordFields()
	readBy := map[string]string{} // record key -> the field reading it
	for _, f := range known {
		if _, mapped := fields[f]; !mapped {
			readBy[f] = f
		}
	}
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		key := fields[f]
		switch {
		case !slices.Contains(known, f):
			return &FieldMapError{f, fmt.Sprintf("not an article field (the fields are %s)", strings.Join(known, ", "))}
		case strings.TrimSpace(key) == "":
			return &FieldMapError{f, "empty key"}
		case readBy[key] != "" && readBy[key] != f:
			if readBy[key] == key {
				return &FieldMapError{f, fmt.Sprintf("%q is the key of the field %s, which reads it too; map %s to another key as well", key, key, key)}
			}
			return &FieldMapError{f, fmt.Sprintf("%q is already the key of the field %s", key, readBy[key])}
		}
		readBy[key] = f
	}
	return nil
}

// Defaults of the ingest limits.
const (
	DefaultMaxFileBytes   int64   = 16 << 30
	DefaultMaxRecordBytes int64   = 64 << 20
	DefaultMaxRatio       float64 = 100
)

// Source describes one site or feed.
type Source struct {
	// SiteName is the publication's name, used when the page does not say.
	SiteName string `yaml:"site_name"`
	// TimeZone (IANA name) applies to dates written without an offset.
	TimeZone string `yaml:"time_zone"`
	// Lang is the expected language; language id still runs and wins when confident.
	Lang string `yaml:"lang"`
	// Domains assigns pages from these hosts to this source when --source is not given.
	Domains []string `yaml:"domains"`
	// Selectors are goquery CSS selectors for sites the generic extractor gets wrong.
	Selectors Selectors `yaml:"selectors"`
	// Boilerplate markers for plain-text scrapes (added to the built-in ones).
	Boilerplate Boilerplate `yaml:"boilerplate"`
}

// Selectors are per-site CSS rules. Any set field overrides the extractor's result.
type Selectors struct {
	Body    string `yaml:"body"`
	Title   string `yaml:"title"`
	Byline  string `yaml:"byline"`
	Date    string `yaml:"date"`
	Section string `yaml:"section"`
	// Remove lists elements dropped before extraction (share bars, related boxes).
	Remove []string `yaml:"remove"`
}

// Boilerplate lists line markers for plain-text scrapes.
type Boilerplate struct {
	// Drop are lines removed wherever they occur (ad placeholders, mastheads).
	Drop []string `yaml:"drop"`
	// End are lines that start the trailing related-articles block; everything after
	// the first one is dropped.
	End []string `yaml:"end"`
	// BylinePrefixes introduce a byline line ("حوار:", "By").
	BylinePrefixes []string `yaml:"byline_prefixes"`
}

// Dedup configures duplicate detection.
type Dedup struct {
	// Threshold is the Jaccard similarity above which two documents are near-duplicates
	// (default 0.8). A negative value turns near-duplicate detection off.
	Threshold float64 `yaml:"threshold"`
	// Shingle is the word n-gram size of the MinHash shingles (default 5).
	Shingle int `yaml:"shingle"`
}

// ExternalAnnotator declares a command or http annotator.
type ExternalAnnotator struct {
	// Type is "command" or "http".
	Type    string   `yaml:"type"`
	Layer   string   `yaml:"layer"`
	Version string   `yaml:"version"`
	Kind    string   `yaml:"kind"`
	Command []string `yaml:"command"`
	URL     string   `yaml:"url"`
	// Params are passed to the annotator and hashed into its identity.
	Params      map[string]any `yaml:"params"`
	BatchSize   int            `yaml:"batch_size"`
	Concurrency int            `yaml:"concurrency"`
	Timeout     Duration       `yaml:"timeout"`
	Retries     int            `yaml:"retries"`
	// Languages lists the ISO 639-1 codes the annotator supports; documents in any
	// other language are skipped and counted per language. Empty means all languages.
	Languages []string `yaml:"languages"`
}

// LayerConfig declares a user layer.
type LayerConfig struct {
	Labels []string `yaml:"labels"`
	// Overlap allows spans of this layer to overlap (default false).
	Overlap bool `yaml:"overlap"`
}

// Card holds the dataset-card facts only a person can give. Empty fields are marked in
// the card as to be written by a human, never invented.
type Card struct {
	PrettyName     string   `yaml:"pretty_name"`
	License        string   `yaml:"license"`
	Description    string   `yaml:"description"`
	Homepage       string   `yaml:"homepage"`
	Citation       string   `yaml:"citation"`
	Creators       []string `yaml:"creators"`
	Motivation     string   `yaml:"motivation"`
	Uses           string   `yaml:"uses"`
	Limitations    string   `yaml:"limitations"`
	Maintenance    string   `yaml:"maintenance"`
	TaskCategories []string `yaml:"task_categories"`
	SourceDatasets []string `yaml:"source_datasets"`
	// LanguageCreators and AnnotationsCreators take the Hub's closed-list values.
	LanguageCreators    []string `yaml:"language_creators"`
	AnnotationsCreators []string `yaml:"annotations_creators"`
}

// Duration is a time.Duration written as "30s" in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(b []byte) error {
	var s string
	if err := yaml.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// Defaults fills zero fields with their defaults.
func (c *Config) Defaults() {
	if c.Dedup.Threshold == 0 {
		c.Dedup.Threshold = 0.8
	}
	if c.Dedup.Shingle == 0 {
		c.Dedup.Shingle = 5
	}
	if c.Ingest.MaxFileBytes == 0 {
		c.Ingest.MaxFileBytes = DefaultMaxFileBytes
	}
	if c.Ingest.MaxRecordBytes == 0 {
		c.Ingest.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if c.Ingest.MaxRatio == 0 {
		c.Ingest.MaxRatio = DefaultMaxRatio
	}
}

// Validate reports the first problem in the config, located by key.
func (c *Config) Validate() error {
	for _, key := range slices.Sorted(maps.Keys(c.Sources)) {
		src := c.Sources[key]
		if src.TimeZone != "" {
			if _, err := time.LoadLocation(src.TimeZone); err != nil {
				return fmt.Errorf("sources.%s.time_zone: %w", key, err)
			}
		}
	}
	if c.DefaultSource != "" {
		if _, ok := c.Sources[c.DefaultSource]; !ok {
			return fmt.Errorf("default_source: %q is not a key of sources", c.DefaultSource)
		}
	}
	if c.Dedup.Threshold > 1 {
		return fmt.Errorf("dedup.threshold: %v is above 1", c.Dedup.Threshold)
	}
	switch {
	case c.Ingest.MaxFileBytes < 0:
		return fmt.Errorf("ingest.max_file_bytes: %d is negative", c.Ingest.MaxFileBytes)
	case c.Ingest.MaxRecordBytes < 0:
		return fmt.Errorf("ingest.max_record_bytes: %d is negative", c.Ingest.MaxRecordBytes)
	case c.Ingest.MaxRatio < 0 || (c.Ingest.MaxRatio > 0 && c.Ingest.MaxRatio < 1):
		return fmt.Errorf("ingest.max_ratio: %v is below 1; no compressed file could be read", c.Ingest.MaxRatio)
	}
	if err := CheckFields(c.Ingest.Fields); err != nil {
		return fmt.Errorf("ingest.fields.%w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Annotators)) {
		a := c.Annotators[name]
		if slices.Contains(schema.BuiltinAnnotators(), name) {
			return fmt.Errorf("annotators.%s: %q is the name of a built-in annotator; give the external one another name (the built-ins are %s)", name, name, strings.Join(schema.BuiltinAnnotators(), ", "))
		}
		switch a.Type {
		case "command":
			if len(a.Command) == 0 {
				return fmt.Errorf("annotators.%s.command: empty", name)
			}
		case "http":
			if a.URL == "" {
				return fmt.Errorf("annotators.%s.url: empty", name)
			}
		default:
			return fmt.Errorf("annotators.%s.type: %q is neither command nor http", name, a.Type)
		}
		if a.Layer == "" {
			return fmt.Errorf("annotators.%s.layer: empty", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Layers)) {
		if slices.Contains(schema.BuiltinLayers(), name) {
			return fmt.Errorf("layers.%s: %q is a built-in layer with a fixed label set; give the user layer another name", name, name)
		}
	}
	return nil
}

// Location returns the time zone of a source, or UTC when it has none.
func (c *Config) Location(source string) *time.Location {
	if src, ok := c.Sources[source]; ok && src.TimeZone != "" {
		if loc, err := time.LoadLocation(src.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// Load reads and validates newsds.yaml at root.
func Load(root string) (*Config, error) {
	path := filepath.Join(root, FileName)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, b)
}

// Parse parses newsds.yaml bytes; path only names the file in errors.
func Parse(path string, b []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField())
	if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, true))
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s%s: %w", path, lineOfKey(b, err), err)
	}
	return &c, nil
}

// lineOfKey finds the line of the key a Validate error starts with ("annotators.x: …"),
// so a config error points into the file like a YAML syntax error does. It returns ""
// when the key cannot be found (a default, or a key path YAML cannot address).
func lineOfKey(b []byte, err error) string {
	key, _, ok := strings.Cut(err.Error(), ":")
	if !ok || strings.ContainsAny(key, " \"'") {
		return ""
	}
	f, perr := parser.ParseBytes(b, 0)
	if perr != nil || len(f.Docs) == 0 {
		return ""
	}
	parentKey, last := "", key
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		parentKey, last = key[:i], key[i+1:]
	}
	parent := f.Docs[0].Body
	if parentKey != "" {
		p, perr := yaml.PathString("$." + parentKey)
		if perr != nil {
			return ""
		}
		if parent, perr = p.FilterFile(f); perr != nil {
			return ""
		}
	}
	var pairs []*ast.MappingValueNode
	switch n := parent.(type) {
	case *ast.MappingNode:
		pairs = n.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{n}
	}
	for _, kv := range pairs {
		if kv.Key != nil && kv.Key.String() == last && kv.Key.GetToken() != nil {
			return fmt.Sprintf(":%d", kv.Key.GetToken().Position.Line)
		}
	}
	return ""
}
