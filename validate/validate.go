package validate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

// Kind is what a validated path holds.
type Kind string

// Target kinds.
const (
	KindCorpus  Kind = "corpus"
	KindRelease Kind = "release"
	KindImport  Kind = "import"
)

// Target is what to validate.
type Target struct {
	Kind Kind
	// Path is the corpus root, the release folder or the import file.
	Path string
	// Records streams a corpus's documents with their annotations (KindCorpus). The
	// caller opens the store, so that validation stays read-only and independent of how
	// the store is implemented.
	Records iter.Seq2[schema.Record, error]
	// Lookup finds a corpus document by id; when set, imported spans are checked against
	// the corpus text (KindImport), and a release's rows against the corpus version it
	// was built from, so that a document the corpus marks as a duplicate is caught
	// however many were excluded (KindRelease). It returns ok=false for an unknown id.
	Lookup func(ctx context.Context, id string) (doc schema.Document, ok bool, err error)
}

// Options tune a validation. The zero value checks every built-in rule at its default
// severity with no thresholds.
type Options struct {
	// Rules is the parsed rules file, or nil.
	Rules *RulesFile
	// Layers declares user layers (newsds.yaml's layers section); the rules file's
	// layers are added to them.
	Layers map[string]LayerSpec
	// Targets are the declared stance target names. Nil means no targets file is known
	// and stance-target is not checked; TargetsFile names the file in messages.
	Targets     []string
	TargetsFile string
	// MaxErrors stops the run after this many error-level findings (0 = no limit).
	MaxErrors int
	// Strict makes warnings fail the run (exit 1).
	Strict bool
	// KeepPerRule is how many findings of one rule the report keeps (default 1000); the
	// rest are counted (Report.Dropped) but not kept, which bounds memory on a badly
	// broken dataset. OnFinding still sees every finding.
	KeepPerRule int
	// OnFinding, when set, receives every finding as it is made, before it is kept.
	OnFinding func(Finding)
	// ParseImport parses an annotation import file; required for KindImport (the CLI
	// passes annotate's importer).
	ParseImport ImportParser
	// ImportLayer is the layer an import file's annotations go to ("" lets the format
	// say, e.g. Label Studio's from_name).
	ImportLayer string
}

func (o *Options) defaults() {
	if o.KeepPerRule == 0 {
		o.KeepPerRule = 1000
	}
}

// Validate checks target and returns its report. Findings about the data never make an
// error: err is only for a target that cannot be read at all, a bad rules file or a
// cancelled ctx (exit code 2 in the CLI).
//
// Memory: besides one document (or one row group of a release) at a time, Validate
// keeps a set of 16-byte id keys (about 50 bytes per document, to find duplicate ids
// and documents in two splits), counters per layer and label, one confusion matrix per
// annotator pair of a layer with an agreement rule, and at most KeepPerRule findings per
// rule.
func Validate(ctx context.Context, target Target, opts Options) (*Report, error) {
	opts.defaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := newSink(target, &opts, cancel)
	if err != nil {
		return nil, err
	}
	vocab, err := newVocabulary(&opts)
	if err != nil {
		return nil, err
	}
	custom, err := compileCustom(opts.Rules)
	if err != nil {
		return nil, err
	}
	rc := newRecordChecker(s, vocab, custom, opts.Rules)
	switch target.Kind {
	case KindCorpus:
		if target.Records == nil {
			return nil, errors.New("validate corpus: no record stream")
		}
		err = validateCorpus(ctx, target, rc)
	case KindRelease:
		err = validateRelease(ctx, target.Path, target.Lookup, rc)
	case KindImport:
		err = validateImport(ctx, target, &opts, rc)
	default:
		return nil, fmt.Errorf("validate: unknown target kind %q", target.Kind)
	}
	if err != nil && !(s.stopped && errors.Is(err, context.Canceled)) {
		return nil, err
	}
	if !s.stopped {
		rc.finish()
	}
	return s.finish(), nil
}

// ValidateRecords checks a stream of records (a corpus, or any producer of
// schema.Record) and returns the report; it is Validate for KindCorpus.
func ValidateRecords(ctx context.Context, path string, records iter.Seq2[schema.Record, error], opts Options) (*Report, error) {
	return Validate(ctx, Target{Kind: KindCorpus, Path: path, Records: records}, opts)
}

func validateCorpus(ctx context.Context, target Target, rc *recordChecker) error {
	for rec, err := range target.Records {
		var ce *corpus.CorruptError
		if errors.As(err, &ce) {
			rc.storeCorrupt(ce)
			continue
		}
		if err != nil {
			// The store reports a record it cannot decode with its id; the run goes on
			// only if the stream does.
			rc.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: target.Path},
				Message: fmt.Sprintf("cannot read a record: %v", err)})
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rc.check(&rec, Location{DocID: rec.ID}, recordContext{})
	}
	return ctx.Err()
}

// sink applies the effective severities, counts, keeps and forwards findings, and stops
// the run at MaxErrors.
type sink struct {
	report    *Report
	severity  map[string]Severity
	keep      int
	kept      map[string]int
	onFinding func(Finding)
	maxErrors int
	cancel    context.CancelFunc
	stopped   bool
}

func newSink(target Target, opts *Options, cancel context.CancelFunc) (*sink, error) {
	s := &sink{
		report: &Report{
			FormatVersion: FormatVersion, Target: target.Path, Kind: target.Kind,
			ByRule: map[string]RuleCounts{}, Findings: []Finding{}, Strict: opts.Strict,
		},
		severity: map[string]Severity{}, keep: opts.KeepPerRule, kept: map[string]int{},
		onFinding: opts.OnFinding, maxErrors: opts.MaxErrors, cancel: cancel,
	}
	for _, r := range builtinRules {
		s.severity[r.ID] = r.Default
		s.report.Rules = append(s.report.Rules, RuleInfo{ID: r.ID, Severity: r.Default, Description: r.Description})
	}
	if rf := opts.Rules; rf != nil {
		for _, c := range rf.Custom {
			sev := SeverityError
			if c.Severity != "" {
				sev, _ = ParseSeverity(c.Severity) // checked by ParseRulesFile
			}
			desc := c.Message
			if desc == "" {
				desc = c.Expr
			}
			s.severity[c.ID] = sev
			s.report.Rules = append(s.report.Rules, RuleInfo{ID: c.ID, Severity: sev, Description: desc})
		}
		for _, id := range sortedKeys(rf.Rules) {
			sev, err := ParseSeverity(rf.Rules[id])
			if err != nil {
				return nil, fmt.Errorf("rules.%s: %w", id, err)
			}
			if _, ok := s.severity[id]; !ok {
				return nil, fmt.Errorf("rules.%s: no such rule", id)
			}
			s.severity[id] = sev
			for i := range s.report.Rules {
				if s.report.Rules[i].ID == id {
					s.report.Rules[i].Severity = sev
				}
			}
		}
	}
	s.report.Rules = slices.DeleteFunc(s.report.Rules, func(r RuleInfo) bool { return r.Severity == SeverityOff })
	return s, nil
}

// enabled reports whether a rule runs at all, so costly checks can be skipped.
func (s *sink) enabled(rule string) bool { return s.severity[rule] != SeverityOff }

// emit records f at its rule's effective severity.
func (s *sink) emit(f Finding) {
	if s.stopped {
		return
	}
	sev, ok := s.severity[f.Rule]
	if !ok {
		panic("validate: finding for unregistered rule " + f.Rule) // a programming error, never user input
	}
	// A finding may ask for a milder severity than its rule (a threshold that could not
	// be judged is only information); a rules file can only make it milder still.
	sev = max(sev, f.Severity)
	if sev == SeverityOff {
		return
	}
	f.Severity = sev
	r := s.report
	c := r.ByRule[f.Rule]
	switch sev {
	case SeverityError:
		r.Errors++
		c.Errors++
	case SeverityWarning:
		r.Warnings++
		c.Warnings++
	default:
		r.Infos++
		c.Infos++
	}
	r.ByRule[f.Rule] = c
	if s.onFinding != nil {
		s.onFinding(f)
	}
	if s.kept[f.Rule] < s.keep {
		s.kept[f.Rule]++
		r.Findings = append(r.Findings, f)
	} else {
		r.Dropped++
	}
	if s.maxErrors > 0 && r.Errors >= s.maxErrors {
		s.stopped = true
		r.Stopped = true
		s.cancel()
	}
}

func (s *sink) finish() *Report {
	r := s.report
	// Findings keep the order they were made in within a rule and file, which follows
	// the data; grouping by rule makes reports comparable between runs.
	order := map[string]int{}
	for i, ri := range r.Rules {
		order[ri.ID] = i
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return cmp.Compare(order[a.Rule], order[b.Rule])
	})
	r.ExitCode = r.exitCode()
	return r
}

func sortedKeys[M ~map[string]V, V any](m M) []string { return slices.Sorted(maps.Keys(m)) }
