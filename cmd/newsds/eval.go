package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

func newEvalCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval extract|qa|sentiment|stance --gold PATH [--json]",
		Short: "Score the extractor or a built-in annotator against gold data",
	}
	cmd.AddCommand(newEvalExtractCmd(g), newEvalQACmd(g), newEvalClassifierCmd(g, "sentiment"), newEvalClassifierCmd(g, "stance"))
	return cmd
}

// absPath resolves a user path against -C.
func (g *globalOptions) absPath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	wd, err := g.workDir()
	if err != nil {
		return p
	}
	return filepath.Join(wd, p)
}

func fmtScore(f *float64) string {
	if f == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f", *f)
}

func newEvalExtractCmd(g *globalOptions) *cobra.Command {
	var gold, tz string
	var asJSON, failures bool
	cmd := &cobra.Command{
		Use:   "extract --gold DIR [--json] [--failures]",
		Short: "Score text and metadata extraction against a gold folder (gold.json)",
		Long: `Extract every page of a gold folder (a folder holding gold.json, in the format of the
shared data README) and score it: precision, recall, F1 and accuracy over with/without
snippets (the trafilatura method) or expected-text tokens, and title, byline and date
accuracy. --json prints one object with the keys pages, precision, recall, f1, accuracy,
title_accuracy, byline_accuracy, date_accuracy (null where the gold has none).

--failures also lists every page that failed a check, with what was extracted beside
what the gold says (in --json, the key failures: page, check, got, want).`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if gold == "" {
				return usageError("--gold DIR is required")
			}
			opts := corpus.EvalExtractOptions{}
			if tz != "" {
				loc, err := time.LoadLocation(tz)
				if err != nil {
					return usageError("--tz %q: %v", tz, err)
				}
				opts.Extract.Location = loc
			}
			rep, err := corpus.EvalExtract(g.absPath(gold), opts)
			if err != nil {
				return err
			}
			var failed []extractFailure
			if failures {
				failed = extractFailures(rep.PerPage)
			}
			if asJSON {
				if !failures {
					return g.printJSON(rep)
				}
				return g.printJSON(struct {
					corpus.ExtractReport
					Failures []extractFailure `json:"failures"`
				}{rep, failed})
			}
			fmt.Fprintf(g.IO.Out, "pages %d  precision %s  recall %s  f1 %s  accuracy %s  title %s  byline %s  date %s\n",
				rep.Pages, fmtScore(rep.Precision), fmtScore(rep.Recall), fmtScore(rep.F1), fmtScore(rep.Accuracy),
				fmtScore(rep.TitleAccuracy), fmtScore(rep.BylineAccuracy), fmtScore(rep.DateAccuracy))
			for _, f := range failed {
				fmt.Fprintf(g.IO.Out, "%s\t%s\tgot %q\twant %q\n", f.Page, f.Check, f.Got, f.Want)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&gold, "gold", "", "gold folder holding gold.json")
	cmd.Flags().StringVar(&tz, "tz", "", "time zone for dates without an offset (default UTC)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().BoolVar(&failures, "failures", false, "list the pages that failed a check, extracted beside gold")
	return cmd
}

// extractFailure is one failed check of one page, as --failures prints it.
type extractFailure struct {
	Page  string `json:"page"`
	Check string `json:"check"`
	Got   string `json:"got"`
	Want  string `json:"want"`
}

// extractFailures lists the failed checks of each page, in page order and, within a
// page, in the order error, text, title, byline, date.
func extractFailures(pages []corpus.PageScore) []extractFailure {
	var out []extractFailure
	for _, p := range pages {
		add := func(check, got, want string) {
			out = append(out, extractFailure{Page: p.Page, Check: check, Got: got, Want: want})
		}
		if p.Error != "" {
			add("error", p.Error, "")
		}
		for _, w := range p.MissedWith {
			add("missed", "", w)
		}
		for _, w := range p.FoundWithout {
			add("boilerplate", w, "")
		}
		if p.TokenF1 != nil && *p.TokenF1 < corpus.TokenF1Pass {
			add("text", fmt.Sprintf("token F1 %.3f (%d of our %d tokens in the expected %d)", *p.TokenF1, p.Overlap, p.OurTokens, p.GoldTokens), "")
		}
		if p.TitleOK != nil && !*p.TitleOK {
			add("title", p.Title, p.GoldTitle)
		}
		if p.BylineOK != nil && !*p.BylineOK {
			add("byline", strings.Join(p.Byline, "; "), p.GoldByline)
		}
		if p.DateOK != nil && !*p.DateOK {
			add("date", p.Published, p.GoldDate)
		}
	}
	return out
}

func newEvalQACmd(g *globalOptions) *cobra.Command {
	var gold []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "qa --gold DIR [--gold DIR]... [--json]",
		Short: "Score Q&A turn segmentation and speakers against interview gold files",
		Long: `Score the qa annotator against folders of interview gold JSON files (each names its
article file relative to the gold folder's parent); several --gold folders are scored
together. Articles are read with the corpus extractor; a plain-text article takes its
title and byline from the gold's record_file, else from the gold. Speakers are compared
after NFC and with parenthesised parts removed; the outlet in parentheses is accepted.
A JSON file that is not a gold object is skipped with a warning. --json prints the keys
files, turns, predicted, matched, precision, recall, f1, role_accuracy, speaker_accuracy,
per_file (the same figures per article) and warnings.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(gold) == 0 {
				return usageError("--gold DIR is required")
			}
			paths := make([]string, len(gold))
			for i, p := range gold {
				paths[i] = g.absPath(p)
			}
			rep, err := annotate.EvalQA(cmd.Context(), annotate.QAEvalOptions{Gold: paths, Load: loadArticle})
			if err != nil {
				return err
			}
			for _, w := range rep.Warnings {
				fmt.Fprintln(g.IO.ErrOut, "warning:", w)
			}
			if asJSON {
				return g.printJSON(rep)
			}
			for _, f := range rep.PerFile {
				fmt.Fprintf(g.IO.Out, "%-45s turns %3d  predicted %3d  precision %.3f  recall %.3f  f1 %.3f  speaker accuracy %.3f\n",
					f.Gold, f.Turns, f.Predicted, f.Precision, f.Recall, f.F1, f.SpeakerAccuracy)
			}
			fmt.Fprintf(g.IO.Out, "files %d  turns %d  predicted %d  precision %.3f  recall %.3f  f1 %.3f  role accuracy %.3f  speaker accuracy %.3f\n",
				rep.Files, rep.Turns, rep.Predicted, rep.Precision, rep.Recall, rep.F1, rep.RoleAccuracy, rep.SpeakerAccuracy)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&gold, "gold", nil, "folder of interview gold JSON files (repeatable)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// loadArticle reads a gold article with the same extractor ingest uses. Gold files
// give calendar days, so the zone does not change what is scored.
func loadArticle(path, format string) (schema.Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return schema.Document{}, err
	}
	if format != corpus.FormatHTML {
		format = corpus.FormatText
	}
	return corpus.Extract(corpus.Raw{Data: b, Format: format, Path: path}, corpus.ExtractOptions{})
}

func newEvalClassifierCmd(g *globalOptions, kind string) *cobra.Command {
	var gold, rowsFile string
	var o annotate.ClassifierOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   kind + " --gold FILE [--text-column C] [--label-column C]" + map[bool]string{true: " [--target-column C]"}[kind == "stance"] + " [--json]",
		Short: "Score the " + kind + " annotator against a labelled CSV/TSV file",
		Long: `Score the built-in ` + kind + ` annotator against a labelled CSV or TSV file, beside a
majority-class baseline. Label spellings of the shared sets map automatically (NEG/Negative
→ negative, agree/SUPPORT → favor, disagree/UNDERMINE → against, other → neutral).
--json prints the keys n, accuracy, macro_f1, ece (expected calibration error of the
scores, ten bins), baseline_accuracy, baseline_macro_f1. A file the shipped model was
trained on is scored on its held-out part only (see note). --rows FILE writes one JSON
line per row of the gold file (line, split train|held_out|eval, target, text, gold, and
for scored rows label, score, probs), so another tool can use exactly the same split.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) (retErr error) {
			if gold == "" {
				return usageError("--gold FILE is required")
			}
			if rowsFile != "" {
				f, err := os.Create(g.absPath(rowsFile))
				if err != nil {
					return fmt.Errorf("--rows: %w", err)
				}
				bw := bufio.NewWriter(f)
				o.Rows = bw
				defer func() {
					if err := bw.Flush(); err != nil && retErr == nil {
						retErr = fmt.Errorf("--rows %s: %w", rowsFile, err)
					}
					if err := f.Close(); err != nil && retErr == nil {
						retErr = fmt.Errorf("--rows %s: %w", rowsFile, err)
					}
				}()
			}
			rep, err := annotate.EvalClassifier(cmd.Context(), kind, g.absPath(gold), o)
			if err != nil {
				return withColumnFlag(err)
			}
			if asJSON {
				return g.printJSON(rep)
			}
			fmt.Fprintf(g.IO.Out, "n %d  accuracy %.3f  macro-F1 %.3f  ECE %.3f  (majority baseline: accuracy %.3f, macro-F1 %.3f)\n",
				rep.N, rep.Accuracy, rep.MacroF1, rep.ECE, rep.BaselineAccuracy, rep.BaselineMacroF1)
			if rep.Note != "" {
				g.status("note: %s", rep.Note)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&gold, "gold", "", "labelled CSV/TSV file")
	cmd.Flags().StringVar(&o.TextColumn, "text-column", "", "column holding the text (default: detected)")
	cmd.Flags().StringVar(&o.LabelColumn, "label-column", "", "column holding the gold label (default: detected)")
	if kind == "stance" {
		cmd.Flags().StringVar(&o.TargetColumn, "target-column", "", "column holding the target or claim (default: detected)")
	}
	cmd.Flags().StringVar(&o.ModelFile, "model", "", "score this model file instead of the shipped one")
	cmd.Flags().StringVar(&rowsFile, "rows", "", "write every row with its split and prediction to this JSONL file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func newTrainCmd(g *globalOptions) *cobra.Command {
	var o annotate.TrainOptions
	var data string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "train sentiment|stance --out FILE [--data DIR] [--file F]...",
		Short: "Train the sentiment or stance model from labelled files",
		Long: `Train the linear sentiment or stance model shipped with newsds from labelled files (by
default the shared training sets under --data) and write it to --out. Output is
deterministic; the report gives held-out figures.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Data = g.absPath(data)
			o.Out = g.absPath(o.Out)
			for i := range o.Files {
				o.Files[i] = g.absPath(o.Files[i])
			}
			var rep annotate.TrainReport
			var err error
			switch args[0] {
			case "sentiment":
				rep, err = annotate.TrainSentiment(cmd.Context(), o)
			case "stance":
				rep, err = annotate.TrainStance(cmd.Context(), o)
			default:
				return usageError("train %q: want sentiment or stance", args[0])
			}
			if err != nil {
				return withColumnFlag(err)
			}
			if asJSON {
				return g.printJSON(rep)
			}
			printTrainReport(g, rep)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Columns.TextColumn, "text-column", "", "column holding the text in --file (default: detected)")
	cmd.Flags().StringVar(&o.Columns.LabelColumn, "label-column", "", "column holding the label in --file (default: detected)")
	cmd.Flags().StringVar(&o.Columns.TargetColumn, "target-column", "", "stance: column holding the target or claim in --file (default: detected)")
	cmd.Flags().StringVar(&o.Out, "out", "", "model file to write")
	cmd.Flags().StringVar(&data, "data", "", "shared data folder holding the default training sets")
	cmd.Flags().StringSliceVar(&o.Files, "file", nil, "labelled training file (repeatable; overrides the defaults)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// withColumnFlag names the flag that picks a column the defaults did not find.
func withColumnFlag(err error) error {
	var ce *annotate.ColumnError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w; name it with --%s-column", err, ce.What)
	}
	return err
}

func printTrainReport(g *globalOptions, rep annotate.TrainReport) {
	fmt.Fprintf(g.IO.Out, "trained %s on %d examples → %s (%d bytes, sha256 %s)\n", rep.Task, rep.Examples, rep.Out, rep.Bytes, rep.SHA256)
	fmt.Fprintf(g.IO.Out, "held out: %s\n", rep.HeldOut)
	tw := tabwriter.NewWriter(g.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\theld-out rows\taccuracy\tmacro-F1\tECE\tmajority accuracy\tmajority macro-F1")
	for _, e := range rep.Eval {
		if e.N == 0 {
			fmt.Fprintf(tw, "%s\t0\t–\t–\t–\t–\t– (no row falls in the held-out fold)\n", e.File)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", e.File, e.N, e.Accuracy, e.MacroF1, e.ECE, e.BaselineAccuracy, e.BaselineMacroF1)
	}
	_ = tw.Flush()
}
