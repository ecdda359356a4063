package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/nlnwa/gowarc/v3"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// extractTree builds an input folder from shared pages: loose HTML files, a .warc.gz
// of other pages with URLs (one page twice under another URL: an exact duplicate),
// and a JSONL file; it returns the folder.
func extractTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	pages, err := filepath.Glob(filepath.Join(testshared.Path(t, "data", "newspaper4k", "html"), "*.html"))
	if err != nil || len(pages) < 8 {
		t.Fatalf("newspaper4k pages: %v (%d)", err, len(pages))
	}
	slices.Sort(pages)
	if err := os.MkdirAll(filepath.Join(dir, "loose"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages[:4] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "loose", filepath.Base(p)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var recs []warcTestRecord
	date := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	for i, p := range pages[4:] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		resp := warcTestResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8"}, b)
		uri := fmt.Sprintf("https://news.example.org/%d/%s", i, strings.TrimSuffix(filepath.Base(p), ".html"))
		recs = append(recs, warcTestRecord{typ: gowarc.Response, uri: uri, date: date, block: resp, ctype: "application/http;msgtype=response"})
		if i == 0 {
			recs = append(recs, warcTestRecord{typ: gowarc.Response, uri: uri + "-copy", date: date.Add(time.Hour), block: resp, ctype: "application/http;msgtype=response"})
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "crawl.warc.gz"), warcTestEncode(t, recs, true), 0o644); err != nil {
		t.Fatal(err)
	}
	body := readSharedText(t)
	line := `{"url":"https://example.com/j","title":"J","published":"2024-03-01T10:00:00+03:00","text":` + jsonQuote(body) + "}\n"
	if err := os.WriteFile(filepath.Join(dir, "feed.jsonl"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// filesStream is an Arrow stream of the files under dir as Spark's binaryFile source
// gives them (path as a file: URI, modificationTime, length, content), in batches of 2.
func filesStream(t *testing.T, dir string) []byte {
	t.Helper()
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "path", Type: arrow.BinaryTypes.String},
		{Name: "modificationTime", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
		{Name: "length", Type: arrow.PrimitiveTypes.Int64},
		{Name: "content", Type: arrow.BinaryTypes.Binary},
	}, nil)
	var buf bytes.Buffer
	mem := memory.NewGoAllocator()
	w := ipc.NewWriter(&buf, ipc.WithSchema(sch), ipc.WithAllocator(mem))
	b := array.NewRecordBuilder(mem, sch)
	defer b.Release()
	n := 0
	flush := func() {
		rec := b.NewRecordBatch()
		defer rec.Release()
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		b.Field(0).(*array.StringBuilder).Append("file:" + p)
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(st.ModTime().UnixMicro()))
		b.Field(2).(*array.Int64Builder).Append(int64(len(data)))
		b.Field(3).(*array.BinaryBuilder).Append(data)
		if n++; n%2 == 0 {
			flush()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	flush()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withoutDupMark is a document's JSON without its duplicate mark, which the writer
// (or the Spark job) decides after extraction.
func withoutDupMark(t *testing.T, d schema.Document) string {
	t.Helper()
	m := map[string]any{}
	for k, v := range d.Meta {
		if k != schema.MetaDupOf && k != "dup_similarity" {
			m[k] = v
		}
	}
	d.Meta = m
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Issue 16 item 1: local ingest and `newsds extract` (files named, or handed over as
// Arrow batches of bytes as Spark's binaryFile source gives them) run one per-document
// step: the same inputs give the same documents (provenance included), and the same
// dedup keys as the store indexed.
func TestExtractMatchesIngest(t *testing.T) {
	ctx := context.Background()
	dir := extractTree(t)
	clock := func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }
	st := newTestStore(t, "")
	st.SetClock(clock)
	sum := ingest(t, st, IngestOptions{}, dir)
	if sum.Ingested < 8 || sum.Duplicates < 1 || sum.Rejected != 0 {
		t.Fatalf("local ingest %+v: want at least 8 documents, a duplicate and no rejection", sum)
	}
	want := map[string]string{}
	for _, d := range staged(t, st) {
		want[d.ID] = withoutDupMark(t, d)
	}
	x, err := NewExtractor(st.Config(), IngestOptions{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, stream []byte) {
		t.Helper()
		got := map[string]Extracted{}
		err := ReadExtracted(bytes.NewReader(stream), func(e Extracted) error {
			if e.Err != nil {
				t.Errorf("%s: rejected %s %s: %s", name, e.Path, e.Record, e.Err.Reason)
				return nil
			}
			got[e.Doc.ID] = e
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d documents, local ingest %d", name, len(got), len(want))
		}
		for id, w := range want {
			e, ok := got[id]
			if !ok {
				t.Errorf("%s: document %s missing", name, id)
				continue
			}
			if g := withoutDupMark(t, e.Doc); g != w {
				t.Errorf("%s: document %s differs:\n got %s\nwant %s", name, id, g, w)
			}
			var sig []byte
			if err := st.db.QueryRowContext(ctx, `SELECT sig FROM dedup_sig WHERE id = ?`, id).Scan(&sig); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(decodeSig(sig), e.Signature) {
				t.Errorf("%s: document %s: signature differs from the one ingest indexed", name, id)
			}
			if e.Rank != DedupRank(e.Doc) || e.ExactKey == "" || len(e.BandKeys) == 0 {
				t.Errorf("%s: document %s: rank %q, exact key %q, %d band keys", name, id, e.Rank, e.ExactKey, len(e.BandKeys))
			}
		}
	}

	var named bytes.Buffer
	w := NewExtractWriter(&named, 3)
	for e := range x.Inputs(ctx, []string{dir}) {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	check("named paths", named.Bytes())

	var piped bytes.Buffer
	w = NewExtractWriter(&piped, 0)
	err = ReadFiles(bytes.NewReader(filesStream(t, dir)), func(f File) error {
		for e := range x.FileInputs(ctx, f, "file://"+dir, t.TempDir()) {
			if err := w.Write(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	check("arrow batches of files", piped.Bytes())
}

// A damaged Arrow stream on stdin is an error naming the stream, not a crash.
func TestReadFilesDamagedStream(t *testing.T) {
	stream := filesStream(t, extractTree(t))
	for _, cut := range []int{0, 7, len(stream) / 2} {
		err := ReadFiles(bytes.NewReader(stream[:cut]), func(File) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "arrow stream") {
			t.Errorf("cut at %d: err %v, want an error about the arrow stream", cut, err)
		}
	}
}
