package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/progress"
)

type ingestOptions struct {
	corpus.IngestOptions
	Paths  []string
	AsJSON bool
}

// ingestJSON is what ingest --json prints: the summary and where the rejections went.
type ingestJSON struct {
	*corpus.IngestSummary
	// Report is the JSONL file of rejected records; empty when none was rejected.
	Report string `json:"report"`
}

func newIngestCmd(g *globalOptions) *cobra.Command {
	var o ingestOptions
	cmd := &cobra.Command{
		Use:   "ingest [--source KEY] [--tz ZONE] [--format auto|html|warc|jsonl|json|text] PATH...",
		Short: "Extract articles from files, folders and globs into the staged corpus",
		Long: `Read HTML pages, WARC crawls (.warc, .warc.gz), JSONL, JSON (.json: one article object
or an array of them) and plain-text scrapes from files, folders (recursively) and globs;
extract clean text and metadata; find duplicates; and stage the documents. Folders and
globs pass over hidden entries, release folders and a corpus's own newsds.yaml. A bad record
is rejected with its file, record and reason (also written to a report under
.newsds/reports/) and the batch goes on. A PATH that does not exist, matches nothing or
cannot be read is an error before anything is read.

` + exitCodesHelp,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch o.Format {
			case "auto", "html", "warc", "jsonl", "json", "text", corpus.FormatSegment:
			default:
				return usageError("--format %q: want auto, html, warc, jsonl, json or text", o.Format)
			}
			o.Paths = args
			return runIngest(cmd, g, o)
		},
	}
	addReadFlags(cmd, &o.IngestOptions)
	cmd.Flags().IntVar(&o.Workers, "workers", 0, "extraction workers (default: one per core)")
	cmd.Flags().BoolVar(&o.AsJSON, "json", false, "print the summary as JSON (rejections included)")
	return cmd
}

func runIngest(cmd *cobra.Command, g *globalOptions, o ingestOptions) error {
	ctx := cmd.Context()
	wd, err := g.workDir()
	if err != nil {
		return err
	}
	for i, p := range o.Paths {
		if !filepath.IsAbs(p) {
			o.Paths[i] = filepath.Join(wd, p)
		}
	}
	if err := corpus.CheckInputs(o.Paths); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	report, err := corpus.CreateIngestReport(st.Root(), time.Now())
	if err != nil {
		return err
	}
	defer report.Close()
	reportPath := report.Name()
	o.Report = report
	bar := g.progress(progress.Options{Description: "ingesting", Bytes: true})
	if bar != nil {
		bar.SetTotal(inputBytes(ctx, o.Paths))
		o.Progress = func(s corpus.IngestSummary) {
			bar.Note(plural(s.Records, "record"))
			bar.Set(s.Bytes)
		}
	}
	sum, ingestErr := st.Ingest(ctx, o.Paths, o.IngestOptions)
	bar.Finish()
	if sum == nil {
		return ingestErr
	}
	if o.AsJSON {
		out := ingestJSON{IngestSummary: sum}
		if sum.Rejected > 0 {
			out.Report = reportPath
		}
		if err := g.printJSON(out); err != nil {
			return err
		}
	} else {
		printIngest(g, sum, reportPath)
	}
	if ingestErr != nil {
		return ingestErr
	}
	if sum.Rejected > 0 {
		return withCode(exitPartial, nil)
	}
	return nil
}

// inputBytes sums the sizes of the files ingest will read, the total of its progress
// bar; files that cannot be listed count nothing (ingest reports them).
func inputBytes(ctx context.Context, paths []string) int64 {
	var n int64
	for p, err := range corpus.InputFiles(ctx, paths) {
		if err != nil {
			continue
		}
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}

// releasedPhrase says how many duplicates are originals again, for ingest and rm.
func releasedPhrase(n int) string {
	if n == 1 {
		return "1 duplicate is an original again"
	}
	return fmt.Sprintf("%d duplicates are originals again", n)
}

func printIngest(g *globalOptions, sum *corpus.IngestSummary, reportPath string) {
	w := g.IO.Out
	fmt.Fprintf(w, "ingested %d, unchanged %d, modified %d, updated %d, duplicates %d, rejected %d (%d records, %.1f MB)\n",
		sum.Ingested, sum.Unchanged, sum.Modified, sum.Updated, sum.Duplicates, sum.Rejected, sum.Records, float64(sum.Bytes)/1e6)
	if sum.Released > 0 {
		copies := "the copy"
		if sum.Released > 1 {
			copies = "the copies"
		}
		fmt.Fprintf(w, "%s: the text copied changed or left, so releases include %s again\n", releasedPhrase(sum.Released), copies)
	}
	if sum.StaleAnnotations > 0 {
		fmt.Fprintf(w, "%s now stale (text changed): rerun `newsds annotate` on the modified documents\n", plural(sum.StaleAnnotations, "annotation"))
	}
	for _, f := range sum.UnreadFields {
		noun := map[string]string{"published": "publication date", "site_name": "site name", "url": "URL"}[f.Field]
		if noun == "" {
			noun = f.Field
		}
		g.status("note: %s kept %q as meta, not as the %s; --field %s=%s reads it", plural(f.Records, "record"), f.Key, noun, f.Field, f.Key)
	}
	for _, r := range sum.Rejections {
		loc := r.File
		if r.Record != "" {
			loc += ": " + r.Record
		}
		fmt.Fprintf(g.IO.ErrOut, "rejected %s: %s\n", loc, r.Reason)
	}
	if sum.Rejected > len(sum.Rejections) {
		fmt.Fprintf(g.IO.ErrOut, "... and %d more\n", sum.Rejected-len(sum.Rejections))
	}
	if sum.Rejected > 0 {
		g.status("rejections written to %s", reportPath)
	}
}

// addReadFlags adds the flags that say how inputs are read, which ingest and the Spark
// job's extract share.
func addReadFlags(cmd *cobra.Command, o *corpus.IngestOptions) {
	cmd.Flags().StringVar(&o.Source, "source", "", "source key for every input (default: by URL domain, then default_source)")
	cmd.Flags().StringVar(&o.TimeZone, "tz", "", "IANA time zone for dates without an offset (overrides the source's)")
	cmd.Flags().StringVar(&o.Format, "format", "auto", "input format: auto, html, warc, jsonl, json or text")
	cmd.Flags().StringToStringVar(&o.Fields, "field", nil, "read a JSON/JSONL article field from another key, FIELD=KEY (repeatable; e.g. text=content,byline=author; over ingest.fields in newsds.yaml)")
}
