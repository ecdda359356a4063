package validate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// formatReport has findings of three severities, in two files, with characters the
// GitHub format must escape.
func formatReport(t *testing.T) *Report {
	t.Helper()
	recs := clone(cleanRecords(t))
	recs[1].Lang = "xx"                                     // error
	qa(recs).ContentHash = schema.ContentHash("older text") // warning (stale)
	stance(recs).Items[0].Score = schema.Float(2)           // error
	rf, err := ParseRulesFile("rules.yaml", []byte("rules: {score-range: info}"))
	if err != nil {
		t.Fatal(err)
	}
	opts := fixtureOptions()
	opts.Rules = rf
	r := validateRecs(t, recs, opts)
	r.Findings = append(r.Findings, Finding{Rule: RuleChecksum, Severity: SeverityError,
		Location: Location{File: "data/a,b:c.parquet", Line: intPtr(3)}, Message: "100% wrong\r\nsecond line", Fix: "run `x`"})
	r.Errors++
	r.ByRule[RuleChecksum] = RuleCounts{Errors: 1}
	return r
}

// GitHub's documented syntax: ::error file={name},line={line},title={title}::{message}.
var ghLine = regexp.MustCompile(`^::(error|warning|notice) (file=[^,:\r\n]+(,line=\d+)?,)?title=[^,:\r\n]+::[^\r\n]*$`)

func TestWriteGitHub(t *testing.T) {
	r := formatReport(t)
	var b bytes.Buffer
	if err := Write(&b, r, FormatGitHub, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(r.Findings)+1 {
		t.Fatalf("%d lines for %d findings:\n%s", len(lines), len(r.Findings), b.String())
	}
	for _, l := range lines[:len(lines)-1] {
		if !ghLine.MatchString(l) {
			t.Errorf("not a workflow command: %q", l)
		}
	}
	want := "::error file=corpus/data/a%2Cb%3Ac.parquet,line=3,title=checksum::100%25 wrong%0D%0Asecond line%0Afix: run `x`"
	if !strings.Contains(b.String(), want+"\n") {
		t.Errorf("escaping: want line %q in\n%s", want, b.String())
	}
	for _, sev := range []string{"::error ", "::warning ", "::notice "} {
		if !strings.Contains(b.String(), sev) {
			t.Errorf("no %s line", sev)
		}
	}
}

func TestWriteJUnit(t *testing.T) {
	r := formatReport(t)
	var b bytes.Buffer
	if err := Write(&b, r, FormatJUnit, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Out string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if len(doc.Suites) != 1 || doc.Suites[0].Tests != len(r.Rules) || len(doc.Suites[0].Cases) != len(r.Rules) {
		t.Fatalf("want one suite with one case per rule (%d), got %+v", len(r.Rules), doc)
	}
	failed := map[string]string{}
	for _, c := range doc.Suites[0].Cases {
		if c.Failure != nil {
			failed[c.Name] = c.Failure.Text
		}
		if c.Name == RuleStale && !strings.Contains(c.Out, "warning") {
			t.Errorf("stale warning not in system-out: %q", c.Out)
		}
	}
	if len(failed) != 2 || doc.Failures != 2 || doc.Suites[0].Failures != 2 ||
		!strings.Contains(failed[RuleDocLang], `"xx"`) || !strings.Contains(failed[RuleChecksum], "100% wrong") {
		t.Errorf("failures: %d/%d %v", doc.Failures, doc.Suites[0].Failures, failed)
	}
	// Under --strict the warning fails too.
	r.Strict = true
	b.Reset()
	if err := Write(&b, r, FormatJUnit, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `failures="3"`) {
		t.Errorf("strict junit:\n%s", b.String())
	}
}

func TestWriteJSON(t *testing.T) {
	r := formatReport(t)
	var b bytes.Buffer
	if err := Write(&b, r, FormatJSON, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// The documented top-level keys (docs/validate.md); a change here is a schema change.
	for _, k := range []string{"format_version", "target", "kind", "checked", "errors", "warnings", "infos", "by_rule",
		"rules", "stopped", "dropped", "findings", "strict", "exit_code"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "severity", "location", "message"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding key %q missing: %v", k, f)
		}
	}
	if doc["format_version"].(float64) != FormatVersion {
		t.Errorf("format_version %v", doc["format_version"])
	}
}

func TestWriteText(t *testing.T) {
	r := formatReport(t)
	var plain, color bytes.Buffer
	if err := Write(&plain, r, FormatText, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&color, r, FormatText, WriteOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	out := plain.String()
	if strings.Contains(out, "\x1b[") || !strings.Contains(color.String(), "\x1b[31m") {
		t.Error("colour must appear only when asked for")
	}
	// Grouped by rule in catalogue order, each with its counts; fixes on their own line.
	iLang, iStale := strings.Index(out, "doc-lang (1 error)"), strings.Index(out, "stale-annotation (1 warning)")
	if iLang < 0 || iStale < 0 || iLang > iStale {
		t.Errorf("grouping:\n%s", out)
	}
	if !strings.Contains(out, "      fix: run `newsds annotate --with qa --docs ar-interview-1` to refresh stale spans") {
		t.Errorf("fix line:\n%s", out)
	}
	if !strings.Contains(out, "  data/a,b:c.parquet\n    error line 3: 100% wrong") {
		t.Errorf("file heading:\n%s", out)
	}
	if !strings.HasSuffix(out, "(exit 1)\n") {
		t.Errorf("summary:\n%s", out)
	}
	if err := Write(&plain, r, "yaml", WriteOptions{}); err == nil {
		t.Error("unknown format accepted")
	}
}
