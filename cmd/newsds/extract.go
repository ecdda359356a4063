package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

type extractOptions struct {
	corpus.IngestOptions
	Config   string
	Stdin    bool
	Root     string
	Annotate bool
	With     []string
	Targets  string
	Paths    []string
	// DedupSettings prints the dedup settings of the configuration (for the Spark
	// driver, which must not read newsds.yaml its own way).
	DedupSettings bool
}

const extractHelp = `Run ingest's per-document step without a corpus: read raw inputs, extract each
article, identify it, and compute its exact-dedup key, MinHash signature and LSH band
keys, exactly as ingest does; write one row per record (a document, or the record's
rejection) as an Arrow IPC stream on stdout. This is the step the Spark job
(spark/newsds_spark.py, docs/spark.md) runs on its executors through mapInArrow.

Inputs are PATHs (files, folders, globs, as for ingest) or, with --stdin, Arrow record
batches of files on stdin: columns path (string) and content (binary), and optionally
modificationTime (timestamp), as Spark's binaryFile source gives them. --root is the
folder (path or URI) provenance paths are relative to, as the folder named to a local
ingest.

With --annotate, stdin is instead an Arrow stream of documents (a "doc" column of
document JSON, as extract writes) and stdout the annotations of the --with annotators,
one row per annotation (columns doc_id, layer, annotation JSON).

The configuration is --config FILE, else the newsds.yaml of the corpus around the
working folder, else the defaults.

` + exitCodesHelp

func newExtractCmd(g *globalOptions) *cobra.Command {
	var o extractOptions
	cmd := &cobra.Command{
		Use:   "extract [--config FILE] [--source KEY] [--tz ZONE] [--format F] (PATH... | --stdin [--root URI] | --annotate --with NAME,...)",
		Short: "Extract documents and dedup keys as an Arrow stream, without a corpus (the Spark job's step)",
		Long:  extractHelp,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch o.Format {
			case "auto", "html", "warc", "jsonl", "json", "text":
			default:
				return usageError("--format %q: want auto, html, warc, jsonl, json or text", o.Format)
			}
			modes := 0
			for _, on := range []bool{len(args) > 0, o.Stdin, o.Annotate, o.DedupSettings} {
				if on {
					modes++
				}
			}
			if modes != 1 {
				return usageError("give PATHs, --stdin, --annotate or --dedup-settings (one of them)")
			}
			if o.Annotate && len(o.With) == 0 {
				return usageError("--annotate needs --with NAME,...")
			}
			o.Paths = args
			return runExtract(cmd.Context(), g, o)
		},
	}
	cmd.Flags().StringVar(&o.Config, "config", "", "newsds.yaml to use (default: the corpus around the working folder, else the defaults)")
	addReadFlags(cmd, &o.IngestOptions)
	cmd.Flags().BoolVar(&o.Stdin, "stdin", false, "read Arrow batches of files (path, content[, modificationTime]) on stdin")
	cmd.Flags().StringVar(&o.Root, "root", "", "with --stdin: the folder or URI provenance paths are relative to")
	cmd.Flags().BoolVar(&o.Annotate, "annotate", false, "annotate the documents of an Arrow stream on stdin instead")
	cmd.Flags().StringSliceVar(&o.With, "with", nil, "with --annotate: annotators (built-ins qa, sentiment, stance, or names from newsds.yaml)")
	cmd.Flags().BoolVar(&o.DedupSettings, "dedup-settings", false, "print the configuration's dedup threshold and shingle, and the same-article similarity, as JSON")
	cmd.Flags().StringVar(&o.Targets, "targets", "", "with --annotate: stance targets file (default: targets in newsds.yaml)")
	return cmd
}

// extractConfig loads --config, else the corpus's newsds.yaml, else the defaults, and
// returns it with the folder its relative paths are resolved against.
func extractConfig(g *globalOptions, path string) (*config.Config, string, error) {
	wd, err := g.workDir()
	if err != nil {
		return nil, "", err
	}
	if path != "" {
		if !filepath.IsAbs(path) {
			path = filepath.Join(wd, path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, "", usageError("--config: %v", err)
		}
		cfg, err := config.Parse(path, b)
		if err != nil {
			return nil, "", usageError("%v", err)
		}
		return cfg, filepath.Dir(path), nil
	}
	if root, err := corpus.FindRoot(wd); err == nil {
		cfg, err := config.Load(root)
		if err != nil {
			return nil, "", usageError("%v", err)
		}
		return cfg, root, nil
	}
	cfg, err := config.Parse(config.FileName, nil)
	if err != nil {
		return nil, "", err
	}
	return cfg, wd, nil
}

func runExtract(ctx context.Context, g *globalOptions, o extractOptions) error {
	cfg, root, err := extractConfig(g, o.Config)
	if err != nil {
		return err
	}
	if o.DedupSettings {
		return g.printJSON(map[string]any{"threshold": cfg.Dedup.Threshold, "shingle": cfg.Dedup.Shingle,
			"same_article": corpus.SameArticleSimilarity})
	}
	if o.Annotate {
		return runExtractAnnotate(ctx, g, o, cfg, root)
	}
	x, err := corpus.NewExtractor(cfg, o.IngestOptions, nil)
	if err != nil {
		return usageError("%v", err)
	}
	w := corpus.NewExtractWriter(g.IO.Out, 0)
	rejected := 0
	write := func(e corpus.Extracted) error {
		if e.Err != nil {
			rejected++
			loc := e.Err.File
			if e.Err.Record != "" {
				loc += ": " + e.Err.Record
			}
			g.status("rejected %s: %s", loc, e.Err.Reason)
		}
		return w.Write(e)
	}
	if o.Stdin {
		err = corpus.ReadFiles(g.IO.In, func(f corpus.File) error {
			for e := range x.FileInputs(ctx, f, o.Root, "") {
				if err := write(e); err != nil {
					return err
				}
			}
			return ctx.Err()
		})
	} else {
		wd, werr := g.workDir()
		if werr != nil {
			return werr
		}
		for i, p := range o.Paths {
			if !filepath.IsAbs(p) {
				o.Paths[i] = filepath.Join(wd, p)
			}
		}
		if err := corpus.CheckInputs(o.Paths); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		for e := range x.Inputs(ctx, o.Paths) {
			if err = write(e); err != nil {
				break
			}
		}
		if err == nil {
			err = ctx.Err()
		}
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if rejected > 0 && !o.Stdin {
		// Under Spark a failing exit would fail the task: there the rejections travel
		// in their rows and the job lands them in the report.
		return withCode(exitPartial, nil)
	}
	return nil
}

// runExtractAnnotate annotates each batch of documents on stdin with the same
// annotate.Run as `newsds annotate`, over a store of that batch alone, and writes what
// it staged. Duplicates are left out as annotate leaves them out (the Spark job sends
// only originals).
func runExtractAnnotate(ctx context.Context, g *globalOptions, o extractOptions, cfg *config.Config, root string) error {
	targets := o.Targets
	if targets != "" && !filepath.IsAbs(targets) {
		wd, _ := g.workDir()
		targets = filepath.Join(wd, targets)
	}
	reg := annotate.NewRegistry()
	spec := annotate.Spec{Config: cfg, Root: root, Targets: targets}
	var anns []annotate.Annotator
	for _, name := range o.With {
		a, err := reg.New(strings.TrimSpace(name), spec)
		var unknown *annotate.UnknownAnnotatorError
		if errors.As(err, &unknown) {
			return usageError("--with %v", err)
		}
		if err != nil {
			return err
		}
		anns = append(anns, a)
	}
	failed := 0
	batches := func(yield func([]schema.Annotation, error) bool) {
		stop := errors.New("stop")
		err := corpus.ReadDocuments(g.IO.In, func(docs []schema.Document) error {
			ms := newMemStore(docs)
			sum, err := annotate.Run(ctx, ms, annotate.RunOptions{Annotators: anns, Workers: 1})
			if err != nil {
				return err
			}
			for _, e := range sum.Errors {
				failed++
				g.status("failed: %v", e)
			}
			if !yield(ms.staged(), nil) {
				return stop
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			yield(nil, err)
		}
	}
	if err := corpus.WriteAnnotations(g.IO.Out, batches); err != nil {
		return fmt.Errorf("extract --annotate: %w", err)
	}
	if failed > 0 {
		// The failures are in the log; the job lands what was annotated, as a local
		// annotate run stages the rest.
		g.status("%s failed", plural(failed, "annotation"))
	}
	return nil
}

// memStore is annotate.Store over one batch of documents, staged set only.
type memStore struct {
	ids  []string
	docs map[string]schema.Document
	anns []schema.Annotation
}

func newMemStore(docs []schema.Document) *memStore {
	m := &memStore{docs: make(map[string]schema.Document, len(docs))}
	for _, d := range docs {
		if _, dup := m.docs[d.ID]; !dup {
			m.ids = append(m.ids, d.ID)
		}
		m.docs[d.ID] = d
	}
	slices.Sort(m.ids)
	return m
}

func (m *memStore) Documents(ctx context.Context, version string) iter.Seq2[schema.Document, error] {
	return func(yield func(schema.Document, error) bool) {
		for _, id := range m.ids {
			if !yield(m.docs[id], nil) {
				return
			}
		}
	}
}

func (m *memStore) Document(ctx context.Context, version, id string) (schema.Document, error) {
	d, ok := m.docs[id]
	if !ok {
		return schema.Document{}, fmt.Errorf("document %s: %w", id, corpus.ErrNotFound)
	}
	return d, nil
}

func (m *memStore) HasAnnotation(ctx context.Context, docID, layer string, a schema.Annotator, contentHash string) (bool, error) {
	return false, nil
}

func (m *memStore) PutAnnotation(ctx context.Context, a schema.Annotation) (bool, error) {
	m.anns = append(m.anns, a)
	return true, nil
}

// staged returns the annotations in document, layer order, so the output does not
// depend on the runner's worker scheduling.
func (m *memStore) staged() []schema.Annotation {
	out := slices.Clone(m.anns)
	slices.SortStableFunc(out, func(a, b schema.Annotation) int {
		return strings.Compare(a.DocID+"\x00"+a.Layer+"\x00"+a.Annotator.Name, b.DocID+"\x00"+b.Layer+"\x00"+b.Annotator.Name)
	})
	return out
}
