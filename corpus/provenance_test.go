package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// writeFile writes data to path, creating its folders.
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every document of a WARC ingest names its file, record id and offset, and the offset
// points at that record: the file read from there starts with "WARC/1." and the header
// block holds the record id and the document's target URI.
func TestProvenanceWARC(t *testing.T) {
	recs, _ := warcTestFixture(t)
	root := t.TempDir()
	path := filepath.Join(root, "crawls", "crawl.warc")
	writeFile(t, path, warcTestEncode(t, recs, false))
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{}, root)
	docs := staged(t, st)
	if len(docs) != 3 {
		t.Fatalf("%d documents, want the 3 articles of the fixture", len(docs))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	offsets := map[int64]bool{}
	for _, d := range docs {
		p := d.Provenance
		if p == nil || p.Path != "crawls/crawl.warc" || p.Format != FormatWARC || p.WARCRecordID == "" || p.WARCOffset == nil || p.Line != 0 {
			t.Errorf("%s: provenance %+v, want crawls/crawl.warc, warc, a record id and an offset", d.URL, p)
			continue
		}
		offsets[*p.WARCOffset] = true
		if _, err := f.Seek(*p.WARCOffset, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		var header bytes.Buffer
		br := bufio.NewReader(f)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: reading the record at %d: %v", d.URL, *p.WARCOffset, err)
			}
			if line == "\r\n" {
				break
			}
			header.WriteString(line)
		}
		h := header.String()
		if !strings.HasPrefix(h, "WARC/1.") || !strings.Contains(h, "WARC-Record-ID: "+p.WARCRecordID+"\r\n") ||
			!strings.Contains(h, "WARC-Target-URI: "+d.URL+"\r\n") {
			t.Errorf("%s: the record at offset %d is not its record:\n%s", d.URL, *p.WARCOffset, h)
		}
	}
	if len(offsets) != len(docs) {
		t.Errorf("offsets %v: want one per document", offsets)
	}

	// Gzipped per record, the offsets are those of the decompressed stream: the plain file's.
	gz := filepath.Join(t.TempDir(), "crawl.warc.gz")
	writeFile(t, gz, warcTestEncode(t, recs, true))
	byID := map[string]int64{}
	for _, d := range docs {
		if d.Provenance != nil && d.Provenance.WARCOffset != nil {
			byID[d.Provenance.WARCRecordID] = *d.Provenance.WARCOffset
		}
	}
	n := 0
	for in, err := range Inputs(context.Background(), []string{gz}, ReadOptions{}) {
		if err != nil {
			continue // the fixture's broken record
		}
		n++
		p := in.Provenance
		if want, ok := byID[p.WARCRecordID]; !ok || p.WARCOffset == nil || *p.WARCOffset != want || p.Path != "crawl.warc.gz" {
			t.Errorf("gzipped: provenance %+v, want offset %d of the plain file", p, want)
		}
	}
	if n != len(docs) {
		t.Errorf("gzipped: %d inputs, want %d", n, len(docs))
	}
}

// JSONL records carry their line number (blank lines counted), JSON array items their
// position; an exported document's provenance is replaced by where the export was
// read, never kept in meta.
func TestProvenanceJSONLines(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "batch.jsonl"), []byte(`{"url":"https://example.com/1","title":"One","text":"First article body text."}

{"url":"https://example.com/3","title":"Three","text":"Third article body text.","provenance":{"path":"elsewhere.warc","format":"warc"}}
`))
	writeFile(t, filepath.Join(root, "list.json"), []byte(`[
  {"url": "https://example.com/a", "title": "A", "text": "Article A body text."},
  {"url": "https://example.com/b", "title": "B", "text": "Article B body text."}
]`))
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{}, root)
	want := map[string]schema.Provenance{
		"https://example.com/1": {Path: "batch.jsonl", Format: FormatJSONL, Line: 1},
		"https://example.com/3": {Path: "batch.jsonl", Format: FormatJSONL, Line: 3},
		"https://example.com/a": {Path: "list.json", Format: FormatJSON, Item: 1},
		"https://example.com/b": {Path: "list.json", Format: FormatJSON, Item: 2},
	}
	docs := staged(t, st)
	if len(docs) != len(want) {
		t.Fatalf("%d documents, want %d", len(docs), len(want))
	}
	for _, d := range docs {
		if d.Provenance == nil || *d.Provenance != want[d.URL] {
			t.Errorf("%s: provenance %+v, want %+v", d.URL, d.Provenance, want[d.URL])
		}
		if _, ok := d.Meta["provenance"]; ok {
			t.Errorf("%s: the given provenance went into meta: %v", d.URL, d.Meta)
		}
	}
}

// copyPages writes two shared pages into root, one per sub-folder.
func copyPages(t *testing.T, root string) {
	t.Helper()
	for rel, src := range map[string]string{
		"de/drk.html":       testshared.Path(t, "data", "trafilatura", "pages", "drk.de-Glasgow.html"),
		"ar/cnn/syria.html": testshared.Path(t, "data", "newspaper4k", "html", "arabic_article.html"),
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(root, filepath.FromSlash(rel)), b)
	}
}

func provenancePaths(t *testing.T, st *Store) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, d := range staged(t, st) {
		if d.Provenance == nil || d.Provenance.Format != FormatHTML {
			t.Errorf("%s: provenance %+v, want format html", d.ID, d.Provenance)
			continue
		}
		out[d.Provenance.Path] = true
	}
	return out
}

// Paths are relative to the folder named (or the fixed part of a glob, or the folder of
// a file named directly), so they do not depend on where the tree lives; and the same
// pages ingested again from another place, under other paths, are unchanged:
// provenance is not identity.
func TestProvenanceFolderPaths(t *testing.T) {
	first := filepath.Join(t.TempDir(), "in")
	copyPages(t, first)
	st := newTestStore(t, "")
	if sum := ingest(t, st, IngestOptions{}, first); sum.Ingested != 2 {
		t.Fatalf("first ingest %+v, want 2 documents", sum)
	}
	if got := provenancePaths(t, st); !got["de/drk.html"] || !got["ar/cnn/syria.html"] {
		t.Errorf("paths %v, want de/drk.html and ar/cnn/syria.html", got)
	}

	// Named by its parent, so every provenance path differs from the first ingest's.
	moved := filepath.Join(t.TempDir(), "deeper", "copy")
	copyPages(t, moved)
	sum := ingest(t, st, IngestOptions{}, filepath.Dir(moved))
	if sum.Unchanged != 2 || sum.Updated != 0 || sum.Ingested != 0 {
		t.Errorf("re-ingest from a copy elsewhere: %+v, want 2 unchanged", sum)
	}
	if got := provenancePaths(t, st); !got["de/drk.html"] {
		t.Errorf("paths after re-ingest %v, want the first ones kept", got)
	}

	for _, c := range []struct{ arg, want string }{
		{filepath.Join(moved, "*", "drk.html"), "de/drk.html"},
		{filepath.Join(moved, "**", "*.html"), "ar/cnn/syria.html"},
		{filepath.Join(moved, "ar", "cnn", "syria.html"), "syria.html"},
	} {
		got := map[string]bool{}
		for in, err := range Inputs(context.Background(), []string{c.arg}, ReadOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			got[in.Provenance.Path] = true
		}
		if !got[c.want] {
			t.Errorf("%s: paths %v, want %s", c.arg, got, c.want)
		}
	}
}

// An export line (the document's JSON) carries provenance and ingests again.
func TestProvenanceExportJSON(t *testing.T) {
	root := t.TempDir()
	copyPages(t, root)
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{}, root)
	for _, d := range staged(t, st) {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back struct {
			Provenance map[string]any `json:"provenance"`
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Provenance["path"] == nil || back.Provenance["format"] != "html" || len(back.Provenance) != 2 {
			t.Errorf("%s: exported provenance %v, want path and format only", d.ID, back.Provenance)
		}
	}
}
