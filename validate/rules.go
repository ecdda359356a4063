package validate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/goccy/go-yaml"
)

// Rule is a built-in check: a stable kebab-case id, the severity it has unless a rules
// file says otherwise, and what it checks.
type Rule struct {
	ID          string
	Default     Severity
	Description string
}

// Rule ids. They are stable: CI configurations and rules files refer to them.
const (
	// Documents.
	RuleDocID          = "doc-id"
	RuleDocText        = "doc-empty-text"
	RuleDocPublished   = "doc-published"
	RuleDocLang        = "doc-lang"
	RuleDocURL         = "doc-url"
	RuleDocUTF8        = "doc-utf8"
	RuleDocNFC         = "doc-nfc"
	RuleDocDuplicateID = "doc-duplicate-id"
	RuleDocContentHash = "doc-content-hash"
	RuleDocDupOf       = "doc-dup-of"
	// Spans.
	RuleSpanBounds    = "span-bounds"
	RuleSpanText      = "span-text"
	RuleSpanOverlap   = "span-overlap"
	RuleQAAlternation = "qa-alternation"
	RuleQARoles       = "qa-roles"
	RuleStale         = "stale-annotation"
	// Labels.
	RuleLabelUnknown      = "label-unknown"
	RuleScoreRange        = "score-range"
	RuleSentimentPerDoc   = "sentiment-document-count"
	RuleStanceTarget      = "stance-target"
	RuleCoverage          = "coverage"
	RuleAgreement         = "agreement"
	RuleLabelShare        = "label-share"
	RuleAnnotationDocMiss = "annotation-doc"
	// Files and releases.
	RuleFileUnreadable   = "file-unreadable"
	RuleImportRecord     = "import-record"
	RuleCard             = "card-metadata"
	RuleCardDataFiles    = "card-data-files"
	RuleCardNumExamples  = "card-num-examples"
	RuleCardNumBytes     = "card-num-bytes"
	RuleParquetSchema    = "parquet-schema"
	RuleHFFeatures       = "hf-features"
	RuleChecksum         = "checksum"
	RuleCroissant        = "croissant-checksum"
	RuleSplitName        = "split-name"
	RuleSplitLeak        = "split-leak"
	RuleExcludedDup      = "excluded-duplicate"
	RuleCustomEvaluation = "custom-rule-error"
)

// builtinRules is the catalogue, in the order reports list it.
var builtinRules = []Rule{
	{RuleDocID, SeverityError, "every document has a non-empty id without spaces or control characters"},
	{RuleDocText, SeverityError, "every document has a non-blank body"},
	{RuleDocPublished, SeverityError, "published is empty or RFC 3339 with an offset"},
	{RuleDocLang, SeverityError, "lang is empty or an ISO 639-1 code"},
	{RuleDocURL, SeverityError, "url is empty or an absolute http(s) URL"},
	{RuleDocUTF8, SeverityError, "text and metadata are valid UTF-8"},
	{RuleDocNFC, SeverityError, "text is in Unicode normalization form C"},
	{RuleDocDuplicateID, SeverityError, "no two documents share an id"},
	{RuleDocContentHash, SeverityError, "content_hash is the sha256 of text"},
	{RuleDocDupOf, SeverityError, "a document marked a duplicate (meta.dup_of) points at another document of the same version"},
	{RuleSpanBounds, SeverityError, "0 <= start < end <= len(text) in code points; both ends or neither"},
	{RuleSpanText, SeverityError, "a span's stored text equals text[start:end]"},
	{RuleSpanOverlap, SeverityError, "spans of a non-overlapping layer (qa_turns, user layers without overlap) do not overlap"},
	{RuleQAAlternation, SeverityError, "Q&A turns are numbered in order and an answer follows a question"},
	{RuleQARoles, SeverityError, "Q&A turns carry a speaker_role matching their label"},
	{RuleStale, SeverityWarning, "annotations were made on the document's current text"},
	{RuleLabelUnknown, SeverityError, "labels are in the layer's declared label set"},
	{RuleScoreRange, SeverityError, "scores are in [0,1]"},
	{RuleSentimentPerDoc, SeverityError, "at most one document-level sentiment per annotator"},
	{RuleStanceTarget, SeverityError, "stance targets are declared in the targets file"},
	{RuleCoverage, SeverityError, "a layer covers at least the share of documents the rules file asks"},
	{RuleAgreement, SeverityError, "Cohen's kappa between annotators of a layer reaches the rules file's minimum"},
	{RuleLabelShare, SeverityWarning, "no label takes more than the rules file's share of a layer's items"},
	{RuleAnnotationDocMiss, SeverityError, "an annotation's document is known and its doc_id matches"},
	{RuleFileUnreadable, SeverityError, "every file of the target can be read and decoded"},
	{RuleStoreCorrupt, SeverityError, "every record of the corpus store matches its stored hashes and references"},
	{RuleImportRecord, SeverityError, "every record of an annotation import file can be imported"},
	{RuleCard, SeverityError, "the dataset card has Hub YAML front matter with configs and dataset_info"},
	{RuleCardDataFiles, SeverityError, "every card data_files glob matches shards, and every shard is listed"},
	{RuleCardNumExamples, SeverityError, "card num_examples equals the rows in the split's shards"},
	{RuleCardNumBytes, SeverityError, "card num_bytes equals the release manifest's, and is near the Arrow size of the shards"},
	{RuleParquetSchema, SeverityError, "every shard's Arrow schema equals the one schema defines for its config"},
	{RuleHFFeatures, SeverityError, "the huggingface schema metadata parses and equals schema's features"},
	{RuleChecksum, SeverityError, "every file listed in checksums.sha256 matches its sha256, and every data file is listed"},
	{RuleCroissant, SeverityError, "croissant.json's sha256 and contentSize match every file it lists"},
	{RuleSplitName, SeverityError, `split names match the Hub's ^\w+(\.\w+)*$`},
	{RuleSplitLeak, SeverityError, "no document is in two splits (or twice in one)"},
	{RuleExcludedDup, SeverityError, "no duplicate excluded by the release policy is in the release"},
	{RuleCustomEvaluation, SeverityError, "user-defined rules can be evaluated on every document and item"},
	{RuleRepeatedParagraphs, SeverityWarning, "no paragraph of a document's text is repeated (short ones aside)"},
}

// Rules returns the built-in rules.
func Rules() []Rule { return slices.Clone(builtinRules) }

var ruleIDPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// RulesFile is the YAML rules file given with --rules. Every part is optional.
type RulesFile struct {
	// Rules re-levels built-in rules: id -> error | warning | info | off.
	Rules map[string]string `yaml:"rules"`
	// Coverage, Agreement and LabelShare are thresholds per layer; each accepts one
	// mapping or a list.
	Coverage   oneOrMany[CoverageRule]   `yaml:"coverage"`
	Agreement  oneOrMany[AgreementRule]  `yaml:"agreement"`
	LabelShare oneOrMany[LabelShareRule] `yaml:"label_share"`
	// Custom rules are CEL expressions that must evaluate to true.
	Custom []CustomRule `yaml:"custom"`
	// Layers and Targets declare vocabulary when no corpus config is at hand (validating
	// a release or an import file): they are merged with newsds.yaml's.
	Layers map[string]LayerSpec `yaml:"layers"`
	// Targets is the path of a stance targets file, relative to the rules file.
	Targets string `yaml:"targets"`
}

// CoverageRule requires that at least Min of the documents carry an annotation on Layer.
type CoverageRule struct {
	Layer string  `yaml:"layer"`
	Min   float64 `yaml:"min"`
}

// AgreementRule requires that Cohen's kappa between every pair of Layer's annotators that labelled
// at least MinItems common units is at least MinKappa.
type AgreementRule struct {
	Layer    string  `yaml:"layer"`
	MinKappa float64 `yaml:"min_kappa"`
	// MinItems is the number of commonly labelled units below which a pair is not
	// judged (default 10): kappa over a handful of units says nothing.
	MinItems int `yaml:"min_items"`
}

// LabelShareRule requires that no label takes more than Max of Layer's labelled items.
type LabelShareRule struct {
	Layer string  `yaml:"layer"`
	Max   float64 `yaml:"max"`
}

// CustomRule is a user-defined check: a CEL expression over `doc` (On: document) or over
// `item` and its `doc` (On: item) that must be true.
type CustomRule struct {
	ID       string `yaml:"id"`
	On       string `yaml:"on"`
	Expr     string `yaml:"expr"`
	Severity string `yaml:"severity"`
	Message  string `yaml:"message"`
	Fix      string `yaml:"fix"`
}

// LayerSpec declares a layer's labels and whether its spans may overlap, as
// newsds.yaml's layers section does.
type LayerSpec struct {
	Labels  []string `yaml:"labels"`
	Overlap bool     `yaml:"overlap"`
}

// oneOrMany accepts either one YAML mapping or a list of them.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalYAML(b []byte) error {
	var list []T
	if err := yaml.Unmarshal(b, &list); err == nil {
		*o = list
		return nil
	}
	var one T
	if err := yaml.UnmarshalWithOptions(b, &one, yaml.DisallowUnknownField()); err != nil {
		return err
	}
	*o = []T{one}
	return nil
}

// LoadRulesFile reads and checks a rules file. Relative paths in it (targets) are
// resolved against its folder.
func LoadRulesFile(path string) (*RulesFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rules file: %w", err)
	}
	rf, err := ParseRulesFile(path, b)
	if err != nil {
		return nil, err
	}
	if rf.Targets != "" && !filepath.IsAbs(rf.Targets) {
		rf.Targets = filepath.Join(filepath.Dir(path), rf.Targets)
	}
	return rf, nil
}

// ParseRulesFile parses rules file bytes; path only names the file in errors.
func ParseRulesFile(path string, b []byte) (*RulesFile, error) {
	var rf RulesFile
	dec := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField())
	if err := dec.Decode(&rf); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, true))
	}
	if err := rf.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &rf, nil
}

func (rf *RulesFile) check() error {
	for _, id := range sortedKeys(rf.Rules) {
		if !isBuiltin(id) && !rf.hasCustom(id) {
			return fmt.Errorf("rules.%s: no such rule (see `newsds validate --list-rules`)", id)
		}
		if _, err := ParseSeverity(rf.Rules[id]); err != nil {
			return fmt.Errorf("rules.%s: %w", id, err)
		}
	}
	for i, c := range rf.Coverage {
		if c.Layer == "" || c.Min < 0 || c.Min > 1 {
			return fmt.Errorf("coverage[%d]: needs a layer and min in [0,1]", i)
		}
	}
	for i, a := range rf.Agreement {
		if a.Layer == "" || a.MinKappa < -1 || a.MinKappa > 1 || a.MinItems < 0 {
			return fmt.Errorf("agreement[%d]: needs a layer and min_kappa in [-1,1]", i)
		}
	}
	for i, l := range rf.LabelShare {
		if l.Layer == "" || l.Max <= 0 || l.Max > 1 {
			return fmt.Errorf("label_share[%d]: needs a layer and max in (0,1]", i)
		}
	}
	seen := map[string]bool{}
	for i, c := range rf.Custom {
		switch {
		case !ruleIDPattern.MatchString(c.ID):
			return fmt.Errorf("custom[%d].id: %q is not a kebab-case id", i, c.ID)
		case isBuiltin(c.ID):
			return fmt.Errorf("custom[%d].id: %q is a built-in rule", i, c.ID)
		case seen[c.ID]:
			return fmt.Errorf("custom[%d].id: %q is declared twice", i, c.ID)
		case c.On != "document" && c.On != "item":
			return fmt.Errorf("custom[%d].on: %q is neither document nor item", i, c.On)
		case c.Expr == "":
			return fmt.Errorf("custom[%d].expr: empty", i)
		}
		if c.Severity != "" {
			if _, err := ParseSeverity(c.Severity); err != nil {
				return fmt.Errorf("custom[%d].severity: %w", i, err)
			}
		}
		seen[c.ID] = true
	}
	return nil
}

func (rf *RulesFile) hasCustom(id string) bool {
	return slices.ContainsFunc(rf.Custom, func(c CustomRule) bool { return c.ID == id })
}

func isBuiltin(id string) bool {
	return slices.ContainsFunc(builtinRules, func(r Rule) bool { return r.ID == id })
}
