package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/internal/progress"
	"github.com/newsds/newsds/validate"
)

// validateOptions are the flags of `newsds validate`.
type validateOptions struct {
	Path      string
	Rules     string
	Format    string
	MaxErrors int
	Strict    bool
	// Version is the corpus version validated ("staged": the working set).
	Version string
	// Layer is the layer an annotation import file is for.
	Layer     string
	ListRules bool
	// AsJSON is --json, the same as --format json.
	AsJSON bool
}

const validateHelp = `Check a corpus, a release folder or an annotation import file (Label Studio JSON,
doccano JSONL, newsds JSONL) against newsds's rules: documents (ids, dates, language
codes, URLs, UTF-8 and NFC text, content hashes), spans (bounds, text, overlap, Q&A turn
order and roles, stale spans), labels (label sets, scores, stance targets), thresholds
from the rules file (coverage, agreement, label share), release files (card configs and
counts, Parquet schema and features, sha256 in checksums.sha256 and croissant.json,
split names, documents in two splits, excluded duplicates) and CEL rules of your own.

PATH defaults to the corpus around the working folder; what it holds is detected. The
rules file, the JSON schema of --format json and a CI workflow are in docs/validate.md.

Exit codes: 0 clean, 1 error-level findings (or warnings with --strict), 2 usage
problems, a bad rules file, or a PATH that cannot be read at all. A corrupt file inside
a release or corpus is a finding (exit 1) naming the file.`

func newValidateCmd(g *globalOptions) *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate [PATH] [--rules FILE] [--format text|json|github|junit] [--max-errors N] [--strict]",
		Short: "Check a corpus, a release or an annotations file and report located findings",
		Long:  validateHelp,
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.AsJSON {
				if cmd.Flags().Changed("format") && o.Format != validate.FormatJSON {
					return usageError("--json and --format %s exclude each other", o.Format)
				}
				o.Format = validate.FormatJSON
			}
			if !slices.Contains(validate.Formats, o.Format) {
				return usageError("--format %q: want one of %s", o.Format, strings.Join(validate.Formats, ", "))
			}
			if o.MaxErrors < 0 {
				return usageError("--max-errors %d: want 0 (no limit) or more", o.MaxErrors)
			}
			if len(args) == 1 {
				o.Path = args[0]
			}
			return runValidate(cmd.Context(), g, o)
		},
	}
	cmd.Flags().StringVar(&o.Rules, "rules", "", "YAML rules `FILE`: re-level or turn off rules, thresholds, CEL rules")
	cmd.Flags().StringVar(&o.Format, "format", validate.FormatText, "output: text, json, github (workflow commands) or junit (XML)")
	cmd.Flags().IntVar(&o.MaxErrors, "max-errors", 0, "stop after `N` error-level findings (0: no limit)")
	cmd.Flags().BoolVar(&o.Strict, "strict", false, "warnings fail the run too")
	cmd.Flags().StringVar(&o.Version, "version", "staged", "corpus version to check (v3, 3, a tag, latest, staged)")
	cmd.Flags().StringVar(&o.Layer, "layer", "", "layer of a Label Studio or doccano file's labels")
	cmd.Flags().BoolVar(&o.ListRules, "list-rules", false, "list the built-in rules and exit")
	cmd.Flags().BoolVar(&o.AsJSON, "json", false, "print the report as JSON (--format json)")
	return cmd
}

func runValidate(ctx context.Context, g *globalOptions, o validateOptions) error {
	if o.ListRules {
		if o.Format == validate.FormatJSON {
			type ruleJSON struct {
				ID          string            `json:"id"`
				Default     validate.Severity `json:"default"`
				Description string            `json:"description"`
			}
			rules := []ruleJSON{}
			for _, r := range validate.Rules() {
				rules = append(rules, ruleJSON{r.ID, r.Default, r.Description})
			}
			return g.printJSON(rules)
		}
		for _, r := range validate.Rules() {
			fmt.Fprintf(g.IO.Out, "%-26s %-8s %s\n", r.ID, r.Default, r.Description)
		}
		return nil
	}
	wd, err := g.workDir()
	if err != nil {
		return usageError("working folder: %v", err)
	}
	bar := g.progress(progress.Options{Description: "validating", Unit: "docs"})
	report, err := validate.Run(ctx, validate.RunOptions{
		Path: o.Path, WorkDir: wd, RulesFile: o.Rules, Version: o.Version, ImportLayer: o.Layer,
		MaxErrors: o.MaxErrors, Strict: o.Strict, Progress: bar.Func(),
	})
	bar.Finish()
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		var oe *validate.OptionError
		if errors.As(err, &oe) && oe.Option == "Version" {
			return usageError("--version %v", err)
		}
		return usageError("%v", err)
	}
	if err := validate.Write(g.IO.Out, report, o.Format, validate.WriteOptions{Color: g.IO.OutTTY}); err != nil {
		return err
	}
	if o.Format != validate.FormatText && g.IO.ErrTTY {
		g.status("%s", report.Summary())
	}
	if report.ExitCode != validate.ExitClean {
		return withCode(report.ExitCode, nil)
	}
	return nil
}
