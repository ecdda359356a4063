package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/progress"
)

// globalOptions are the flags every command shares.
type globalOptions struct {
	IO *IOStreams
	// Dir is -C: run as if started in this folder.
	Dir string
	// Quiet (-q) leaves out progress bars and informational messages on stderr;
	// errors, warnings and rejections are still printed. Verbose (-v) adds details
	// (the corpus opened, timings).
	Quiet, Verbose bool
	// started is when the command began, for -v's timing.
	started time.Time
}

// status prints an informational message to stderr unless -q.
func (g *globalOptions) status(format string, args ...any) {
	if g.Quiet {
		return
	}
	fmt.Fprintf(g.IO.ErrOut, format+"\n", args...)
}

// debug prints a detail to stderr with -v.
func (g *globalOptions) debug(format string, args ...any) {
	if !g.Verbose {
		return
	}
	fmt.Fprintf(g.IO.ErrOut, "newsds: "+format+"\n", args...)
}

// progress returns a progress bar on stderr, or nil (which does nothing) when stderr
// is not a terminal or -q is given: a bar in a log file or a pipe is noise.
func (g *globalOptions) progress(o progress.Options) *progress.Bar {
	if !g.IO.ErrTTY || g.Quiet {
		return nil
	}
	return progress.New(g.IO.ErrOut, o)
}

// workDir is the folder commands resolve relative paths and the corpus from.
func (g *globalOptions) workDir() (string, error) {
	if g.Dir != "" {
		return g.Dir, nil
	}
	return os.Getwd()
}

// openStore finds the corpus from the working folder upwards and opens it.
func (g *globalOptions) openStore(ctx context.Context) (*corpus.Store, error) {
	dir, err := g.workDir()
	if err != nil {
		return nil, err
	}
	root, err := corpus.FindRoot(dir)
	if err != nil {
		return nil, err
	}
	g.debug("corpus %s", root)
	return corpus.Open(ctx, root)
}

// printJSON writes v as indented JSON to Out.
func (g *globalOptions) printJSON(v any) error {
	enc := json.NewEncoder(g.IO.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func newRootCmd(io *IOStreams) *cobra.Command {
	g := &globalOptions{IO: io}
	root := &cobra.Command{
		Use:   "newsds",
		Short: "Turn news articles into annotated, versioned dataset releases",
		Long: `newsds ingests news articles (HTML, WARC, JSONL, plain-text scrapes) into a versioned
corpus, annotates them in layers (Q&A turns, sentiment, stance, external models, human
labels), releases them as Parquet/Arrow shards with a dataset card and Croissant
metadata, and validates corpora, annotations and releases in CI.

` + exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion().short(),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if g.Quiet && g.Verbose {
				return usageError("--quiet and --verbose exclude each other")
			}
			g.started = time.Now()
			if g.Dir != "" {
				st, err := os.Stat(g.Dir)
				if err != nil || !st.IsDir() {
					return usageError("-C %s: not a folder", g.Dir)
				}
			}
			return nil
		},
		PersistentPostRun: func(cmd *cobra.Command, args []string) {
			g.debug("%s took %s", cmd.CommandPath(), time.Since(g.started).Round(time.Millisecond))
		},
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	root.PersistentFlags().StringVarP(&g.Dir, "dir", "C", "", "run as if newsds was started in `DIR`")
	root.PersistentFlags().BoolVarP(&g.Quiet, "quiet", "q", false, "no progress bars or informational messages (errors and warnings still)")
	root.PersistentFlags().BoolVarP(&g.Verbose, "verbose", "v", false, "more detail on stderr: the corpus opened, timings")
	root.SetVersionTemplate("{{.Name}} " + buildVersion().String())
	root.Flags().Bool("version", false, "print the version, commit, Go version and extractor module versions")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError("%s", suggestFlag(cmd, err)) })
	for _, add := range commands {
		root.AddCommand(add(g))
	}
	registerCompletions(g, root)
	return root
}

// commands lists the constructors of every subcommand; each command file adds its own
// in an init-free way by appearing here.
var commands = []func(*globalOptions) *cobra.Command{
	newInitCmd,
	newIngestCmd,
	newExtractCmd,
	newStatusCmd,
	newCommitCmd,
	newLogCmd,
	newDiffCmd,
	newExportCmd,
	newShowCmd,
	newRmCmd,
	newAnnotateCmd,
	newImportAnnotationsCmd,
	newExportAnnotationsCmd,
	newReviewQueueCmd,
	newEvalCmd,
	newTrainCmd,
	newStatsCmd,
	newReleaseCmd,
	newValidateCmd,
	newCheckCmd,
	newDemoCmd,
}

func isCobraUsageError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.Contains(msg, "accepts ") || strings.Contains(msg, "requires at least") || strings.Contains(msg, "invalid argument")
}

// exactArgs is cobra.ExactArgs with a usage exit code.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return argCountError(cmd, args, n, countWord(n))
		}
		return nil
	}
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return argCountError(cmd, args, n, "at most "+countWord(n))
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return argCountError(cmd, args, n, "at least "+countWord(n))
		}
		return nil
	}
}

// argCountError says what the command takes and shows its usage line. One argument too
// many on a command with --version is most often the version typed as a positional
// (`newsds export v1`), so the message says where it goes.
func argCountError(cmd *cobra.Command, args []string, allowed int, takes string) error {
	msg := fmt.Sprintf("%s takes %s, got %d", cmd.CommandPath(), takes, len(args))
	if flag := versionFlagFor(cmd, args, allowed); flag != "" {
		msg += fmt.Sprintf(" (a version goes in --%s: %s --%s %s)", flag, cmd.CommandPath(), flag, args[len(args)-1])
	}
	return usageError("%s\nusage: %s", msg, cmd.UseLine())
}

// versionFlagFor names the flag an extra last argument probably belongs in: release
// takes its own X.Y.Z in --version and the corpus version in --corpus-version.
func versionFlagFor(cmd *cobra.Command, args []string, allowed int) string {
	if len(args) != allowed+1 {
		return ""
	}
	flags := cmd.LocalFlags()
	if flags.Lookup("corpus-version") != nil && !reSemver.MatchString(args[len(args)-1]) {
		return "corpus-version"
	}
	if flags.Lookup("version") != nil {
		return "version"
	}
	return ""
}

var reSemver = regexp.MustCompile(`^v?\d+\.\d+\.\d+$`)

func countWord(n int) string {
	switch n {
	case 0:
		return "no arguments"
	case 1:
		return "1 argument"
	}
	return fmt.Sprintf("%d arguments", n)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
