package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/internal/atomicfile"
	"github.com/newsds/newsds/schema"
)

// sample is the bundled sample: a copy of the seed article (a plain-text scrape of an
// Al-Sharq interview) with its Q&A gold and a stance targets file.
//
//go:embed sample
var sample embed.FS

const demoConfig = `# newsds demo corpus
name: newsds-demo
sources:
  alsharq:
    site_name: "الشرق"
    time_zone: Asia/Qatar
    lang: ar
    domains: [al-sharq.com]
default_source: alsharq
targets: targets.yaml
card:
  pretty_name: "newsds demo: Al-Sharq interview"
  license: other
  description: "One Arabic news interview, ingested, annotated and released by the newsds demo."
  task_categories: [text-classification, question-answering]
  source_datasets: [original]
  language_creators: [found]
  annotations_creators: [machine-generated]
`

type demoOptions struct {
	// Keep is where the demo builds; empty means a new temporary folder.
	Keep string
}

func newDemoCmd(g *globalOptions) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo [--keep DIR]",
		Short: "Run the whole pipeline on the bundled sample and show what it made",
		Long: `Build a corpus in a temporary folder (or DIR) from the sample bundled with newsds — a
copy of an Al-Sharq interview scraped as plain text — and print what each step made.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.Context(), g, o)
		},
	}
	cmd.Flags().StringVar(&o.Keep, "keep", "", "build in `DIR` (must not exist) and keep it")
	return cmd
}

func runDemo(ctx context.Context, g *globalOptions, o demoOptions) error {
	w := g.IO.Out
	base := o.Keep
	if base == "" {
		d, err := os.MkdirTemp("", "newsds-demo-")
		if err != nil {
			return err
		}
		base = d
	} else if _, err := os.Stat(base); err == nil {
		return usageError("--keep %s: already exists", base)
	}
	input := filepath.Join(base, "input")
	root := filepath.Join(base, "corpus")
	if err := writeSample(input, root); err != nil {
		return err
	}
	fmt.Fprintf(w, "== 1. corpus in %s\n", root)
	if err := corpus.Init(ctx, root); err != nil {
		return err
	}
	st, err := corpus.Open(ctx, root)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := st.Ingest(ctx, []string{filepath.Join(input, "000_f78eaf531e9c49cc.txt")}, corpus.IngestOptions{})
	if err != nil {
		return err
	}
	if sum.Rejected > 0 {
		return fmt.Errorf("demo: the sample was rejected: %s", sum.Rejections[0].Reason)
	}
	fmt.Fprintf(w, "ingested %d document(s), %d rejected\n", sum.Ingested+sum.Unchanged, sum.Rejected)
	var doc schema.Document
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			return err
		}
		doc = d
	}
	printDocSummary(w, doc)
	v, err := st.Commit(ctx, "demo: the bundled sample", "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "committed %s (%s)\n", v.Name, plural(v.Documents, "document"))

	fmt.Fprintf(w, "\n== 2. annotations: qa, sentiment, stance\n")
	anns, err := buildAnnotators(st, []string{"qa", "sentiment", "stance"}, "", false)
	if err != nil {
		return err
	}
	run, err := annotate.Run(ctx, st, annotate.RunOptions{Annotators: anns})
	if err != nil {
		return err
	}
	if len(run.Errors) > 0 {
		return fmt.Errorf("demo: annotate: %w", run.Errors[0])
	}
	rec, err := st.Record(ctx, "staged", doc.ID)
	if err != nil {
		return err
	}
	printTurns(w, rec)
	v, err = st.Commit(ctx, "demo: annotations", "annotated")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "committed %s (%s, %s)\n", v.Name, plural(v.Documents, "document"), plural(v.Annotations, "annotation"))
	fmt.Fprintf(w, "\n== 3. release\n")
	releaseDir := filepath.Join(base, "release")
	m, err := datasets.Release(ctx, st, datasets.ReleaseOptions{
		Out: releaseDir, Version: "1.0.0", Config: st.Config(), Formats: []string{datasets.FormatParquet, datasets.FormatArrow},
		History: corpus.ReleasesDir(root),
	})
	if err != nil {
		return err
	}
	printRelease(g, m, releaseDir)
	fmt.Fprintf(w, "\n== 4. validate the corpus and the release\n")
	inCorpus := &globalOptions{IO: g.IO, Dir: root}
	for _, path := range []string{root, releaseDir} {
		if err := runValidate(ctx, inCorpus, validateOptions{Path: path, Format: "text", Version: "latest"}); err != nil {
			return fmt.Errorf("demo: validate %s: %w", path, err)
		}
	}
	fmt.Fprintf(w, `
load the release:
  python:  datasets.load_dataset(%[1]q, "articles")   # or "turns"
           pandas.read_parquet(%[1]q + "/data/articles")   # polars, pyarrow.dataset and Spark read the folder too
  duckdb:  SELECT id, title FROM '%[1]s/data/articles/*.parquet'
  go:      go run ./examples/go-load %[1]s
`, releaseDir)

	return nil
}

// printTurns shows the Q&A turns with their speakers, each answer's sentiment, and
// the stance items.
func printTurns(w io.Writer, rec schema.Record) {
	answerSentiment := map[string]string{}
	for _, a := range rec.Annotations {
		if a.Layer != schema.LayerSentiment {
			continue
		}
		for _, it := range a.Items {
			if it.Attrs[schema.AttrScope] == schema.ScopeAnswer && it.Score != nil {
				answerSentiment[it.Attrs[schema.AttrTurn]] = fmt.Sprintf("%s %.2f", it.Label, *it.Score)
			}
		}
	}
	for _, a := range rec.Annotations {
		switch a.Layer {
		case schema.LayerQA:
			fmt.Fprintf(w, "Q&A turns (%d):\n", len(a.Items))
			for _, it := range a.Items {
				turn := it.Attrs[schema.AttrTurn]
				line := fmt.Sprintf("  %3s %-8s [%5d,%5d) %s (%s): %s", turn, it.Label, *it.Start, *it.End,
					it.Attrs[schema.AttrSpeaker], it.Attrs[schema.AttrSpeakerRole], truncate(it.Text, 40))
				if s, ok := answerSentiment[turn]; ok {
					line += "  sentiment: " + s
				}
				fmt.Fprintln(w, line)
			}
		case schema.LayerStance:
			fmt.Fprintf(w, "stance (%d):\n", len(a.Items))
			for _, it := range a.Items {
				score := 0.0
				if it.Score != nil {
					score = *it.Score
				}
				fmt.Fprintf(w, "  %s: %s %.2f — %s\n", it.Attrs[schema.AttrTarget], it.Label, score, truncate(it.Text, 50))
			}
		}
	}
}

func printDocSummary(w io.Writer, d schema.Document) {
	fmt.Fprintf(w, "  id:        %s\n", d.ID)
	fmt.Fprintf(w, "  title:     %s\n", d.Title)
	fmt.Fprintf(w, "  published: %s\n", d.Published)
	fmt.Fprintf(w, "  byline:    %s\n", strings.Join(d.Byline, "; "))
	fmt.Fprintf(w, "  section:   %s\n", d.Section)
	fmt.Fprintf(w, "  lang:      %s\n", d.Lang)
	paras := d.Paragraphs()
	fmt.Fprintf(w, "  text:      %d paragraphs, %d characters\n", len(paras), schema.LenCP(d.Text))
	if len(paras) > 0 {
		fmt.Fprintf(w, "  begins:    %s\n", truncate(paras[0].Text, 60))
		fmt.Fprintf(w, "  ends:      %s\n", tail(paras[len(paras)-1].Text, 40))
	}
}

// writeSample lays out the bundled sample: the article under input/, and the corpus
// config and targets file under the corpus root.
func writeSample(input, root string) error {
	if err := os.MkdirAll(input, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	err := fs.WalkDir(sample, "sample", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sample.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "sample/")
		dst := filepath.Join(input, filepath.FromSlash(rel))
		if rel == "targets.yaml" {
			dst = filepath.Join(root, rel)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return atomicfile.WriteBytes(dst, b, 0o644)
	})
	if err != nil {
		return fmt.Errorf("write sample: %w", err)
	}
	return atomicfile.WriteBytes(filepath.Join(root, config.FileName), []byte(demoConfig), 0o644)
}

// truncate shortens s to n characters, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func tail(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n:])
}
