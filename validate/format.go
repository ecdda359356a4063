package validate

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Output formats of Write.
const (
	FormatText   = "text"
	FormatJSON   = "json"
	FormatGitHub = "github"
	FormatJUnit  = "junit"
)

// Formats lists the output formats.
var Formats = []string{FormatText, FormatJSON, FormatGitHub, FormatJUnit}

// WriteOptions tune Write.
type WriteOptions struct {
	// Color adds ANSI colours to the text format (set it only for a terminal).
	Color bool
}

// Write renders r in format (text, json, github or junit).
func Write(w io.Writer, r *Report, format string, opts WriteOptions) error {
	switch format {
	case FormatText, "":
		return writeText(w, r, opts.Color)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	case FormatGitHub:
		return writeGitHub(w, r)
	case FormatJUnit:
		return writeJUnit(w, r)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// Summary is the one-line outcome: counts, what was checked, and why the run stopped.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s, %s, %s", r.Kind, r.Target, plural(r.Errors, "error"), plural(r.Warnings, "warning"), plural(r.Infos, "note"))
	var what []string
	c := r.Checked
	for _, x := range []struct {
		n    int
		word string
	}{{c.Files, "file"}, {c.Rows, "row"}, {c.Documents, "document"}, {c.Annotations, "annotation"}, {c.Items, "item"}} {
		if x.n > 0 {
			what = append(what, plural(x.n, x.word))
		}
	}
	if len(what) > 0 {
		fmt.Fprintf(&b, " in %s", strings.Join(what, ", "))
	}
	if r.Stopped {
		b.WriteString("; stopped at --max-errors, later problems were not looked for")
	}
	if r.Dropped > 0 {
		fmt.Fprintf(&b, "; %d findings counted but not listed", r.Dropped)
	}
	fmt.Fprintf(&b, " (exit %d)", r.ExitCode)
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func severityColor(s Severity) string {
	switch s {
	case SeverityError:
		return ansiRed
	case SeverityWarning:
		return ansiYellow
	}
	return ansiCyan
}

// writeText groups findings by rule (in catalogue order), then by file.
func writeText(w io.Writer, r *Report, color bool) error {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	for i := 0; i < len(r.Findings); {
		rule := r.Findings[i].Rule
		j := i
		for j < len(r.Findings) && r.Findings[j].Rule == rule {
			j++
		}
		counts := r.ByRule[rule]
		fmt.Fprintf(&b, "%s %s\n", paint(ansiBold, rule), paint(ansiDim, ruleCountText(counts)))
		// Within a rule, findings of one file stay together, in the order they were found.
		group := r.Findings[i:j]
		files := []string{}
		byFile := map[string][]Finding{}
		for _, f := range group {
			if _, ok := byFile[f.Location.File]; !ok {
				files = append(files, f.Location.File)
			}
			byFile[f.Location.File] = append(byFile[f.Location.File], f)
		}
		for _, file := range files {
			if file != "" {
				fmt.Fprintf(&b, "  %s\n", file)
			}
			for _, f := range byFile[file] {
				loc := f.Location
				loc.File = ""
				where := loc.String()
				if where != "" {
					where += ": "
				}
				fmt.Fprintf(&b, "    %s %s%s\n", paint(severityColor(f.Severity), f.Severity.String()), where, f.Message)
				if f.Fix != "" {
					fmt.Fprintf(&b, "      %s %s\n", paint(ansiDim, "fix:"), f.Fix)
				}
			}
		}
		i = j
	}
	summary := r.Summary()
	if r.ExitCode != ExitClean {
		summary = paint(ansiRed, summary)
	}
	b.WriteString(summary + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func ruleCountText(c RuleCounts) string {
	var parts []string
	if c.Errors > 0 {
		parts = append(parts, plural(c.Errors, "error"))
	}
	if c.Warnings > 0 {
		parts = append(parts, plural(c.Warnings, "warning"))
	}
	if c.Infos > 0 {
		parts = append(parts, plural(c.Infos, "note"))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// GitHub workflow command escaping
// (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts): data
// escapes %, \r and \n; property values also escape : and ,.
var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// findingFile is a finding's file as a path from the working folder: what GitHub needs
// to attach the annotation to the file in the repository.
func (r *Report) findingFile(f *Finding) string {
	if f.Location.File == "" {
		return ""
	}
	if r.Kind == KindImport {
		return filepath.ToSlash(r.Target)
	}
	return path.Join(filepath.ToSlash(r.Target), f.Location.File)
}

func writeGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	for i := range r.Findings {
		f := &r.Findings[i]
		cmd := map[Severity]string{SeverityError: "error", SeverityWarning: "warning", SeverityInfo: "notice"}[f.Severity]
		var props []string
		if file := r.findingFile(f); file != "" {
			props = append(props, "file="+ghProperty.Replace(file))
			if f.Location.Line != nil {
				props = append(props, "line="+strconv.Itoa(*f.Location.Line))
			}
		}
		props = append(props, "title="+ghProperty.Replace(f.Rule))
		msg := f.Message
		loc := f.Location
		loc.File, loc.Line = "", nil
		if where := loc.String(); where != "" {
			msg = where + ": " + msg
		}
		if f.Fix != "" {
			msg += "\nfix: " + f.Fix
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData.Replace(msg))
	}
	b.WriteString(r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string          `xml:"name,attr"`
	Tests     int             `xml:"tests,attr"`
	Failures  int             `xml:"failures,attr"`
	Errors    int             `xml:"errors,attr"`
	Skipped   int             `xml:"skipped,attr"`
	Props     []junitProperty `xml:"properties>property,omitempty"`
	TestCases []junitCase     `xml:"testcase"`
	SystemOut string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes one test suite with one test case per rule that ran. A rule fails
// when it has a finding that fails the run (an error, or a warning under Strict); other
// findings are listed in the case's system-out.
func writeJUnit(w io.Writer, r *Report) error {
	suite := junitSuite{Name: "newsds validate " + r.Target, SystemOut: r.Summary(),
		Props: []junitProperty{{"kind", string(r.Kind)}, {"format_version", strconv.Itoa(r.FormatVersion)}}}
	byRule := map[string][]*Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	for _, ri := range r.Rules {
		tc := junitCase{Name: ri.ID, ClassName: "newsds.validate." + string(r.Kind)}
		var failing, other strings.Builder
		for _, f := range byRule[ri.ID] {
			line := fmt.Sprintf("%s %s: %s", f.Severity, f.Location.String(), f.Message)
			if f.Fix != "" {
				line += " (fix: " + f.Fix + ")"
			}
			if f.Severity == SeverityError || (r.Strict && f.Severity == SeverityWarning) {
				failing.WriteString(line + "\n")
			} else {
				other.WriteString(line + "\n")
			}
		}
		c := r.ByRule[ri.ID]
		if failing.Len() > 0 {
			n := c.Errors
			if r.Strict {
				n += c.Warnings
			}
			tc.Failure = &junitFailure{Message: fmt.Sprintf("%s: %s", ri.ID, plural(n, "finding")), Type: ri.ID, Text: failing.String()}
			suite.Failures++
		}
		tc.SystemOut = other.String()
		suite.TestCases = append(suite.TestCases, tc)
	}
	suite.Tests = len(suite.TestCases)
	out := junitSuites{Name: "newsds validate", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
