package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/config"
)

var segmentDocSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.BinaryTypes.String},
	{Name: "doc", Type: arrow.BinaryTypes.String},
	{Name: "raw", Type: arrow.BinaryTypes.Binary},
	{Name: "exact_key", Type: arrow.BinaryTypes.String},
	{Name: "signature", Type: arrow.BinaryTypes.Binary},
	{Name: "band_keys", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)},
	{Name: "rank", Type: arrow.BinaryTypes.String},
	{Name: "dup_of", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "dup_similarity", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
}, nil)

// writeTestSegment writes extracted documents as a segment of parts Parquet files, the
// layout the Spark job writes (without its dedup columns, which landing does not read).
func writeTestSegment(tb testing.TB, dir string, xs []Extracted, parts int, dedup config.Dedup) {
	tb.Helper()
	m := SegmentManifest{Format: SegmentFormat, Documents: int64(len(xs))}
	m.Dedup.Threshold, m.Dedup.Shingle = dedup.Threshold, dedup.Shingle
	per := (len(xs) + parts - 1) / parts
	for p := 0; p*per < len(xs); p++ {
		m.Files = append(m.Files, writeSegmentPart(tb, dir, "documents/part-"+string(rune('a'+p))+".parquet", xs[p*per:min(len(xs), (p+1)*per)]))
	}
	writeSegmentManifest(tb, dir, m)
}

func writeSegmentManifest(tb testing.TB, dir string, m SegmentManifest) {
	tb.Helper()
	mb, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), mb, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// writeSegmentPart writes one documents file of a segment.
func writeSegmentPart(tb testing.TB, dir, rel string, xs []Extracted) SegmentFile {
	tb.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "documents"), 0o755); err != nil {
		tb.Fatal(err)
	}
	mem := memory.NewGoAllocator()
	b := array.NewRecordBuilder(mem, segmentDocSchema)
	defer b.Release()
	for _, x := range xs {
		body, err := marshalDoc(&x.Doc)
		if err != nil {
			tb.Fatal(err)
		}
		b.Field(0).(*array.StringBuilder).Append(x.Doc.ID)
		b.Field(1).(*array.StringBuilder).Append(string(body))
		b.Field(2).(*array.BinaryBuilder).Append(x.Raw)
		b.Field(3).(*array.StringBuilder).Append(x.ExactKey)
		b.Field(4).(*array.BinaryBuilder).Append(encodeSig(x.Signature))
		lb := b.Field(5).(*array.ListBuilder)
		lb.Append(true)
		for _, k := range x.BandKeys {
			lb.ValueBuilder().(*array.Int64Builder).Append(int64(k))
		}
		b.Field(6).(*array.StringBuilder).Append(x.Rank)
		b.Field(7).(*array.StringBuilder).AppendNull()
		b.Field(8).(*array.Float64Builder).AppendNull()
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	w, err := pqarrow.NewFileWriter(segmentDocSchema, &buf, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return SegmentFile{Path: rel, Bytes: int64(buf.Len()), SHA256: hex.EncodeToString(sum[:])}
}

// A segment lands as the corpus a local ingest of the same inputs makes, documents in
// any order: the same documents, duplicates and originals, raw copies included.
func TestLandSegmentMatchesIngest(t *testing.T) {
	ctx := context.Background()
	dir := extractTree(t)
	clock := func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }
	local := newTestStore(t, "")
	local.SetClock(clock)
	ingest(t, local, IngestOptions{}, dir)
	x, err := NewExtractor(local.Config(), IngestOptions{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	var xs []Extracted
	for e := range x.Inputs(ctx, []string{dir}) {
		if e.Err != nil {
			t.Fatalf("rejected %s: %s", e.Path, e.Err.Reason)
		}
		xs = append(xs, e)
	}
	// Backwards: the segment's order is not the input order.
	slices.Reverse(xs)
	seg := filepath.Join(t.TempDir(), "seg")
	writeTestSegment(t, seg, xs, 3, local.Config().Dedup)
	landed := newTestStore(t, "")
	landed.SetClock(clock)
	sum := ingest(t, landed, IngestOptions{Format: FormatSegment}, seg)
	if sum.Ingested != len(xs) || sum.Rejected != 0 {
		t.Fatalf("landing: %+v, want %d ingested", sum, len(xs))
	}
	want, got := stagedJSON(t, local), stagedJSON(t, landed)
	if len(got) != len(want) {
		t.Fatalf("%d documents landed, local ingest %d", len(got), len(want))
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("document %s:\nlanded %s\n local %s", id, got[id], w)
		}
	}
	for _, d := range staged(t, landed) {
		raw, err := landed.Raw(ctx, d.RawHash)
		if err != nil || schema256(raw) != d.RawHash {
			t.Errorf("document %s: raw copy %v", d.ID, err)
		}
	}
	// Landing again changes nothing.
	sum = ingest(t, landed, IngestOptions{Format: FormatSegment}, seg)
	if sum.Unchanged != len(xs) {
		t.Errorf("landing again: %+v, want all unchanged", sum)
	}
}

func schema256(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// A damaged or incomplete segment is refused before anything is staged, naming the
// file and the reason; so is one deduplicated with other settings than the corpus's.
func TestLandSegmentRefusesDamage(t *testing.T) {
	ctx := context.Background()
	dir := extractTree(t)
	st := newTestStore(t, "")
	x, err := NewExtractor(st.Config(), IngestOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var xs []Extracted
	for e := range x.Inputs(ctx, []string{dir}) {
		xs = append(xs, e)
	}
	cases := map[string]func(seg string) string{
		"flipped byte": func(seg string) string {
			p := filepath.Join(seg, "documents", "part-a.parquet")
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 0x40
			os.WriteFile(p, b, 0o644)
			return "part-a.parquet"
		},
		"missing file": func(seg string) string {
			os.Remove(filepath.Join(seg, "documents", "part-b.parquet"))
			return "part-b.parquet"
		},
		"no manifest": func(seg string) string {
			os.Remove(filepath.Join(seg, "manifest.json"))
			return "manifest.json"
		},
		"escaping path": func(seg string) string {
			p := filepath.Join(seg, "manifest.json")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(`"documents/part-a.parquet"`), []byte(`"../x.parquet"`), 1), 0o644)
			return "not a path inside"
		},
		"other dedup settings": func(seg string) string {
			p := filepath.Join(seg, "manifest.json")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(`"threshold":0.8`), []byte(`"threshold":0.7`), 1), 0o644)
			return "threshold 0.7"
		},
	}
	for name, damage := range cases {
		seg := filepath.Join(t.TempDir(), "seg")
		writeTestSegment(t, seg, xs, 2, st.Config().Dedup)
		want := damage(seg)
		fresh := newTestStore(t, "")
		_, err := fresh.Ingest(ctx, []string{seg}, IngestOptions{Format: FormatSegment})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want one naming %q", name, err, want)
		}
		if n := len(staged(t, fresh)); n != 0 {
			t.Errorf("%s: %d documents staged from a refused segment", name, n)
		}
	}
}
