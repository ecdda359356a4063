// Command go-load shows how to read a newsds release from Go: list its configs and
// splits, iterate typed articles and slice their annotation spans out of the text,
// read the turns, and stream Arrow record batches.
//
//	go run ./examples/go-load RELEASE_DIR
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/schema"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-load RELEASE_DIR")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "go-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string) error {
	d, err := datasets.Open(dir)
	if err != nil {
		return err
	}
	if m := d.Manifest(); m != nil {
		fmt.Printf("release %s of %s (corpus version %s)\n", m.Version, m.Corpus.Name, m.Corpus.Version)
	}
	for _, config := range d.Configs() {
		for _, split := range d.Splits(config) {
			// Parquet under data/, and Arrow IPC twins under arrow/ when released.
			byFormat := map[string]int{}
			for _, f := range d.Files(config, split) {
				byFormat[f.Format]++
			}
			fmt.Printf("%s/%s: %d parquet, %d arrow files\n", config, split, byFormat[datasets.FormatParquet], byFormat[datasets.FormatArrow])
		}
	}

	// The first split with rows: a release of a small corpus may fill only "test".
	split := ""
	for _, s := range d.Splits(datasets.ConfigArticles) {
		if split == "" && len(d.Files(datasets.ConfigArticles, s)) > 0 {
			split = s
		}
	}
	if split == "" {
		return fmt.Errorf("%s: no split has rows", dir)
	}

	// Typed rows: offsets are code points into Text, so SliceCP gives each span.
	shown := 0
	for a, err := range d.Articles(ctx, split) {
		if err != nil {
			return err
		}
		for _, t := range a.QATurns {
			span, err := schema.SliceCP(a.Text, int(t.Start), int(t.End))
			if err != nil {
				return fmt.Errorf("article %s: %w", a.ID, err)
			}
			// LabelName, not QARoles[t.Role]: an id outside the set is "" rather than a panic.
			fmt.Printf("%s [%s] turn %d (%s): %.60s\n", a.ID, a.Split, t.Index, schema.LabelName(schema.QARoles, t.Role), span)
		}
		if a.Sentiment != nil {
			fmt.Printf("%s sentiment: %s\n", a.ID, schema.LabelName(schema.SentimentLabels, a.Sentiment.Label))
		}
		if shown++; shown == 3 {
			break
		}
	}

	for t, err := range d.Turns(ctx, split) {
		if err != nil {
			return err
		}
		fmt.Printf("Q: %.60s\nA: %.60s\n", t.Question, t.Answer)
		break
	}

	// Arrow record batches, for columnar work; each batch is released by the caller.
	var rows int64
	for b, err := range d.Batches(ctx, datasets.ConfigArticles, split) {
		if err != nil {
			return err
		}
		rows += b.NumRows()
		b.Release()
	}
	fmt.Printf("articles/%s: %d rows in Arrow batches\n", split, rows)
	return nil
}
