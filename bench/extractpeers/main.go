// Command extractpeers scores one extractor on one shared gold set with the scorer of
// `newsds eval extract` (corpus.EvalExtract), and prints the report as JSON. It is the Go
// half of the peer harness python/bench/extract_peers.py, which runs it once per tool and
// gold set and prints the table; run that script, not this program, to compare tools.
//
//	go run ./bench/extractpeers -gold DIR -tool newsds|go-trafilatura
//	go run ./bench/extractpeers -gold DIR -tool file -outputs OUT.json
//
// -tool file scores what another tool extracted: OUT.json maps each gold key to
// {"text": ..., "html": ..., "title": ..., "byline": [...], "date": ..., "error": ...}
// (html, rendered like the gold's expected HTML, when the tool returns HTML; date in any
// form corpus.ParseDate reads). -pages FILE writes every page's scores as JSON lines.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	nurl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/markusmobius/go-trafilatura"

	"github.com/newsds/newsds/corpus"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "extractpeers:", err)
		os.Exit(1)
	}
}

// peerOutput is one page of a -tool file outputs file.
type peerOutput struct {
	Text   string   `json:"text"`
	HTML   string   `json:"html"`
	Title  string   `json:"title"`
	Byline []string `json:"byline"`
	Date   string   `json:"date"`
	Error  string   `json:"error"`
}

// pageLine is one line of -pages: what the report's PerPage holds, with the counts.
type pageLine struct {
	Page         string   `json:"page"`
	Error        string   `json:"error,omitempty"`
	TP           int      `json:"tp"`
	FN           int      `json:"fn"`
	FP           int      `json:"fp"`
	TN           int      `json:"tn"`
	TokenF1      *float64 `json:"token_f1,omitempty"`
	Overlap      int      `json:"overlap"`
	OurTokens    int      `json:"our_tokens"`
	GoldTokens   int      `json:"gold_tokens"`
	TitleOK      *bool    `json:"title_ok,omitempty"`
	BylineOK     *bool    `json:"byline_ok,omitempty"`
	DateOK       *bool    `json:"date_ok,omitempty"`
	Title        string   `json:"title"`
	GoldTitle    string   `json:"gold_title"`
	Byline       []string `json:"byline"`
	GoldByline   string   `json:"gold_byline"`
	Published    string   `json:"published"`
	GoldDate     string   `json:"gold_date"`
	MissedWith   []string `json:"missed_with,omitempty"`
	FoundWithout []string `json:"found_without,omitempty"`
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("extractpeers", flag.ContinueOnError)
	gold := fs.String("gold", "", "gold folder holding gold.json")
	tool := fs.String("tool", "newsds", "newsds, go-trafilatura or file")
	outputs := fs.String("outputs", "", "with -tool file: the tool's outputs (JSON object by gold key)")
	pages := fs.String("pages", "", "write per-page scores as JSON lines to this file")
	workers := fs.Int("workers", 0, "pages extracted at once (0 = one per CPU)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *gold == "" {
		return errors.New("-gold DIR is required")
	}
	opts := corpus.EvalExtractOptions{Workers: *workers}
	switch *tool {
	case "newsds":
	case "go-trafilatura":
		opts.Extractor = bareTrafilatura
	case "file":
		ex, err := fileExtractor(*gold, *outputs)
		if err != nil {
			return err
		}
		opts.Extractor = ex
	default:
		return fmt.Errorf("-tool %q: want newsds, go-trafilatura or file", *tool)
	}
	rep, err := corpus.EvalExtract(*gold, opts)
	if err != nil {
		return err
	}
	if *pages != "" {
		if err := writePages(*pages, rep.PerPage); err != nil {
			return err
		}
	}
	return json.NewEncoder(out).Encode(rep)
}

// bareTrafilatura is go-trafilatura with the settings newsds gives it (balanced focus,
// fallback extractors, no comments) and nothing of newsds around it: its own charset
// handling, text rendering and metadata.
func bareTrafilatura(raw corpus.Raw) (corpus.PageOutput, error) {
	opts := trafilatura.Options{EnableFallback: true, ExcludeComments: true}
	if u, err := nurl.Parse(raw.URL); err == nil && u.IsAbs() {
		opts.OriginalURL = u
	}
	res, err := trafilatura.Extract(bytes.NewReader(raw.Data), opts)
	if err != nil {
		return corpus.PageOutput{}, err
	}
	po := corpus.PageOutput{Text: res.ContentText, Title: res.Metadata.Title}
	if a := strings.TrimSpace(res.Metadata.Author); a != "" {
		for _, n := range strings.Split(a, ";") {
			if n = strings.TrimSpace(n); n != "" {
				po.Byline = append(po.Byline, n)
			}
		}
	}
	if !res.Metadata.Date.IsZero() {
		po.Published = res.Metadata.Date.Format(time.RFC3339)
	}
	return po, nil
}

// fileExtractor serves the outputs another tool wrote, looked up by gold key.
func fileExtractor(goldDir, path string) (func(corpus.Raw) (corpus.PageOutput, error), error) {
	if path == "" {
		return nil, errors.New("-tool file needs -outputs FILE")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var outs map[string]peerOutput
	if err := json.Unmarshal(b, &outs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return func(raw corpus.Raw) (corpus.PageOutput, error) {
		rel, err := filepath.Rel(goldDir, raw.Path)
		if err != nil {
			return corpus.PageOutput{}, err
		}
		o, ok := outs[filepath.ToSlash(rel)]
		switch {
		case !ok:
			return corpus.PageOutput{}, fmt.Errorf("%s: no output for %s", path, rel)
		case o.Error != "":
			return corpus.PageOutput{}, errors.New(o.Error)
		}
		po := corpus.PageOutput{Text: o.Text, Title: o.Title, Byline: o.Byline}
		if o.HTML != "" {
			if po.Text, err = corpus.HTMLText(strings.NewReader(o.HTML)); err != nil {
				return corpus.PageOutput{}, fmt.Errorf("%s: %w", rel, err)
			}
		}
		if t, ok := corpus.ParseDate(o.Date, time.UTC, time.Time{}); ok && o.Date != "" {
			po.Published = t.Format(time.RFC3339)
		}
		return po, nil
	}, nil
}

func writePages(path string, scores []corpus.PageScore) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, s := range scores {
		if err := enc.Encode(pageLine{
			Page: s.Page, Error: s.Error, TP: s.TP, FN: s.FN, FP: s.FP, TN: s.TN, TokenF1: s.TokenF1,
			Overlap: s.Overlap, OurTokens: s.OurTokens, GoldTokens: s.GoldTokens,
			TitleOK: s.TitleOK, BylineOK: s.BylineOK, DateOK: s.DateOK,
			Title: s.Title, GoldTitle: s.GoldTitle, Byline: s.Byline, GoldByline: s.GoldByline,
			Published: s.Published, GoldDate: s.GoldDate, MissedWith: s.MissedWith, FoundWithout: s.FoundWithout,
		}); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
