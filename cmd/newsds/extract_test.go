package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/testshared"
)

// runWithStdin runs newsds in-process with stdin from in.
func runWithStdin(t *testing.T, in []byte, args ...string) (int, []byte, string) {
	t.Helper()
	io, out, errOut := testIO()
	io.In = bytes.NewReader(in)
	code := run(context.Background(), args, io)
	return code, out.Bytes(), errOut.String()
}

// binaryFileStream is files as Spark's binaryFile source hands them to mapInArrow.
func binaryFileStream(t *testing.T, files []string) []byte {
	t.Helper()
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "path", Type: arrow.BinaryTypes.String},
		{Name: "content", Type: arrow.BinaryTypes.Binary},
	}, nil)
	var buf bytes.Buffer
	mem := memory.NewGoAllocator()
	w := ipc.NewWriter(&buf, ipc.WithSchema(sch), ipc.WithAllocator(mem))
	b := array.NewRecordBuilder(mem, sch)
	defer b.Release()
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Field(0).(*array.StringBuilder).Append("file://" + p)
		b.Field(1).(*array.BinaryBuilder).Append(data)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readExtracted(t *testing.T, stream []byte) (docs map[string]corpus.Extracted, rejected []string) {
	t.Helper()
	docs = map[string]corpus.Extracted{}
	err := corpus.ReadExtracted(bytes.NewReader(stream), func(e corpus.Extracted) error {
		if e.Err != nil {
			rejected = append(rejected, e.Err.File+": "+e.Err.Reason)
		} else {
			docs[e.Doc.ID] = e
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, rejected
}

// newsds extract, the Spark job's step: named files and Arrow batches of files give the
// same documents and rejections (exit 3 for named files, 0 under Spark, where a failing
// exit would fail the task); --annotate annotates a documents stream; and a mode is
// required.
func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	pages, err := filepath.Glob(filepath.Join(testshared.Path(t, "data", "newspaper4k", "html"), "*.html"))
	if err != nil || len(pages) < 3 {
		t.Fatalf("pages: %v", err)
	}
	slices.Sort(pages)
	var files []string
	for _, p := range pages[:3] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(p))
		os.WriteFile(dst, b, 0o644)
		files = append(files, dst)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"url\": \"https://example.com/x\", \"text\": 12}\n"), 0o644)
	files = append(files, bad)

	code, named, stderr := runWithStdin(t, nil, "-C", dir, "extract", dir)
	if code != exitPartial {
		t.Fatalf("extract DIR: exit %d, want %d (a rejected record)\n%s", code, exitPartial, stderr)
	}
	docs, rejected := readExtracted(t, named)
	if len(docs) != 3 || len(rejected) != 1 || !strings.Contains(rejected[0], "bad.jsonl") {
		t.Fatalf("extract DIR: %d documents, rejections %q; want 3 and bad.jsonl's", len(docs), rejected)
	}

	code, piped, stderr := runWithStdin(t, binaryFileStream(t, files), "-C", dir, "extract", "--stdin", "--root", "file://"+dir)
	if code != 0 {
		t.Fatalf("extract --stdin: exit %d\n%s", code, stderr)
	}
	pdocs, prejected := readExtracted(t, piped)
	if len(prejected) != 1 || !strings.Contains(prejected[0], "file://"+bad) {
		t.Errorf("extract --stdin: rejections %q, want bad.jsonl's under its URI", prejected)
	}
	for id, d := range docs {
		p, ok := pdocs[id]
		if !ok || p.Doc.Text != d.Doc.Text || p.Doc.Provenance.Path != d.Doc.Provenance.Path || !slices.Equal(p.Signature, d.Signature) {
			t.Errorf("document %s differs between named files and --stdin", id)
		}
	}

	code, annOut, stderr := runWithStdin(t, named, "-C", dir, "extract", "--annotate", "--with", "sentiment")
	if code != 0 {
		t.Fatalf("extract --annotate: exit %d\n%s", code, stderr)
	}
	rd, err := ipc.NewReader(bytes.NewReader(annOut))
	if err != nil {
		t.Fatal(err)
	}
	annotated := map[string]bool{}
	for rd.Next() {
		rec := rd.RecordBatch()
		for i := range int(rec.NumRows()) {
			id := rec.Column(0).(*array.String).Value(i)
			if layer := rec.Column(1).(*array.String).Value(i); layer != "sentiment" {
				t.Errorf("annotation of %s in layer %q", id, layer)
			}
			annotated[id] = true
		}
	}
	if len(annotated) != len(docs) {
		t.Errorf("%d documents annotated, want %d", len(annotated), len(docs))
	}

	if code, _, _ := runWithStdin(t, nil, "-C", dir, "extract"); code != exitUsage {
		t.Errorf("extract without a mode: exit %d, want %d", code, exitUsage)
	}
}
