// Package validate checks corpora, annotation import files and dataset releases against
// newsds's rules and reports located, actionable findings. It only reads: it never
// repairs, and it leaves every byte it looks at unchanged.
//
// Validation streams. Documents and release rows are looked at one at a time; what is
// kept across rows is bounded and documented on Validate (id sets of 16-byte keys,
// per-layer counters, and at most Options.KeepPerRule findings per rule).
package validate

import (
	"fmt"
	"strings"
)

// FormatVersion is the version of the JSON report schema documented in docs/validate.md.
// It changes only when a field changes meaning or disappears.
const FormatVersion = 1

// Severity is how much a finding matters. The zero value is SeverityError, the default
// of most rules.
type Severity int

// Severities, most severe first; Off only appears in rules files, never in findings.
const (
	SeverityError Severity = iota
	SeverityWarning
	SeverityInfo
	SeverityOff
)

var severityNames = [...]string{"error", "warning", "info", "off"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses error, warning, info or off.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("severity %q is not one of error, warning, info, off", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Location says where a finding is. Only the fields that are known are set; Row, Line
// and Item are pointers because 0 is a valid value for each.
type Location struct {
	// File is relative to the validated folder (release, corpus), or the import file.
	File string `json:"file,omitempty"`
	// Config and Split name a release config and split.
	Config string `json:"config,omitempty"`
	Split  string `json:"split,omitempty"`
	// Row is the 0-based row within File (a Parquet shard).
	Row *int64 `json:"row,omitempty"`
	// Line is the 1-based line within File (a JSONL file, the card, checksums.sha256).
	Line *int `json:"line,omitempty"`
	// Record names a record of an import file as the importer does ("task 12").
	Record string `json:"record,omitempty"`
	DocID  string `json:"doc_id,omitempty"`
	Layer  string `json:"layer,omitempty"`
	// Annotator is the annotator's name.
	Annotator string `json:"annotator,omitempty"`
	// Item is the 0-based index of the item within its annotation.
	Item *int `json:"item,omitempty"`
}

// String renders the known parts, most specific last: "data/x.parquet row 3 doc d1
// layer qa_turns annotator qa item 2".
func (l Location) String() string {
	var b strings.Builder
	add := func(format string, a ...any) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, format, a...)
	}
	if l.File != "" {
		add("%s", l.File)
	}
	if l.Line != nil {
		add("line %d", *l.Line)
	}
	if l.Record != "" {
		add("%s", l.Record)
	}
	if l.Config != "" {
		add("config %s", l.Config)
	}
	if l.Split != "" {
		add("split %s", l.Split)
	}
	if l.Row != nil {
		add("row %d", *l.Row)
	}
	if l.DocID != "" {
		add("doc %s", l.DocID)
	}
	if l.Layer != "" {
		add("layer %s", l.Layer)
	}
	if l.Annotator != "" {
		add("annotator %s", l.Annotator)
	}
	if l.Item != nil {
		add("item %d", *l.Item)
	}
	return b.String()
}

// Finding is one problem (or, at info level, one observation).
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Location Location `json:"location"`
	// Message says what is wrong in terms of the data ("turn 3 span [120,90) ends before
	// it starts").
	Message string `json:"message"`
	// Fix is what to do about it, with the exact command where there is one.
	Fix string `json:"fix,omitempty"`
}

// Exit codes returned by Report.ExitCode and used by `newsds validate`.
const (
	ExitClean    = 0 // no error-level finding (and no warning under Strict)
	ExitFindings = 1 // at least one error-level finding, or a warning under Strict
	ExitUsage    = 2 // bad flags or rules file, or the target cannot be read at all
)

// Report is the outcome of one validation.
type Report struct {
	FormatVersion int `json:"format_version"`
	// Target is the path validated and Kind what it was taken for.
	Target string `json:"target"`
	Kind   Kind   `json:"kind"`
	// Checked counts what was looked at.
	Checked Checked `json:"checked"`
	// Counts by severity and by rule id (rules with no finding are absent).
	Errors   int                   `json:"errors"`
	Warnings int                   `json:"warnings"`
	Infos    int                   `json:"infos"`
	ByRule   map[string]RuleCounts `json:"by_rule"`
	// Rules lists every rule that ran with its effective severity, so a report says what
	// was checked as well as what failed (JUnit writes one test case per entry).
	Rules []RuleInfo `json:"rules"`
	// Stopped is set when --max-errors ended the run early; later problems were not looked for.
	Stopped bool `json:"stopped"`
	// Dropped counts findings counted but not kept (beyond Options.KeepPerRule for their rule).
	Dropped  int       `json:"dropped"`
	Findings []Finding `json:"findings"`
	// Strict makes warnings fail the run.
	Strict   bool `json:"strict"`
	ExitCode int  `json:"exit_code"`
}

// Checked counts the units a validation went through.
type Checked struct {
	Files       int `json:"files"`
	Documents   int `json:"documents"`
	Annotations int `json:"annotations"`
	Items       int `json:"items"`
	Rows        int `json:"rows"`
}

// RuleCounts are the findings of one rule by severity.
type RuleCounts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// RuleInfo is a rule as it ran: its id, effective severity and one-line description.
type RuleInfo struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Description string   `json:"description"`
}

func (r *Report) exitCode() int {
	if r.Errors > 0 || (r.Strict && r.Warnings > 0) {
		return ExitFindings
	}
	return ExitClean
}
