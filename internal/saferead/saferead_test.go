package saferead

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// nestedSchema has the shapes of a release's articles config: strings, a timestamp,
// and a list of structs.
var nestedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.BinaryTypes.String},
	{Name: "published", Type: &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}, Nullable: true},
	{Name: "turns", Type: arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "index", Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: "text", Type: arrow.BinaryTypes.String},
	))},
}, nil)

func nestedBatch(t testing.TB, rows int) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, nestedSchema)
	defer b.Release()
	for i := range rows {
		b.Field(0).(*array.StringBuilder).Append(strings.Repeat("doc-", 1+i%3) + string(rune('a'+i%26)))
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(1700000000 + i))
		lb := b.Field(2).(*array.ListBuilder)
		lb.Append(true)
		sb := lb.ValueBuilder().(*array.StructBuilder)
		for j := range i % 3 {
			sb.Append(true)
			sb.FieldBuilder(0).(*array.Int64Builder).Append(int64(j))
			sb.FieldBuilder(1).(*array.StringBuilder).Append("turn text " + strings.Repeat("x", j))
		}
	}
	return b.NewRecordBatch()
}

func ipcStream(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(nestedSchema))
	for range 2 {
		rec := nestedBatch(t, 12)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readIPC reads a whole stream the way validate does and returns the row count.
func readIPC(b []byte) (rows int64, err error) {
	mem := Allocator(nil, AllocLimit(int64(len(b))))
	err = Do(func() error {
		r, err := ipc.NewReaderFromMessageReader(NewIPCMessageReader(bytes.NewReader(b), int64(len(b)), mem), ipc.WithAllocator(mem))
		if err != nil {
			return err
		}
		defer r.Release()
		for r.Next() {
			rows += r.RecordBatch().NumRows()
		}
		return r.Err()
	})
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return rows, err
}

func TestIPCReadsAValidStream(t *testing.T) {
	rows, err := readIPC(ipcStream(t))
	if err != nil || rows != 24 {
		t.Fatalf("rows %d, err %v", rows, err)
	}
}

// TestIPCFlips flips every byte of a stream (and random bytes at seeded positions):
// reading never crashes the process and never returns rows from a stream whose
// metadata cannot be decoded.
func TestIPCFlips(t *testing.T) {
	orig := ipcStream(t)
	rng := rand.New(rand.NewPCG(8, 4))
	errs := 0
	for pos := range orig {
		for _, x := range []byte{0xff, byte(1 + rng.IntN(255))} {
			b := bytes.Clone(orig)
			b[pos] ^= x
			if _, err := readIPC(b); err != nil {
				errs++
			}
		}
	}
	if errs == 0 {
		t.Fatal("no flip was reported: the reader does not look at the bytes")
	}
}

// schemaMessage returns the metadata of the stream's first message and its offset.
func schemaMessage(t *testing.T, b []byte) (meta []byte, at int) {
	t.Helper()
	if binary.LittleEndian.Uint32(b) != ipcContinuation {
		t.Fatal("no continuation marker")
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	return b[8 : 8+n], 8
}

// fieldWithChildren finds, in a Schema message, the "turns" field's struct child (a
// Field table whose children vector is not empty) and returns the position of that
// vector's length and of its first element.
func fieldWithChildren(t *testing.T, meta []byte) (lenAt, elemAt uint64, parent uint64) {
	t.Helper()
	v := &fbCheck{b: meta, budget: 1 << 20}
	msg, err := v.table(uint64(binary.LittleEndian.Uint32(meta)))
	if err != nil {
		t.Fatal(err)
	}
	sch, err := v.optTable(msg, 8)
	if err != nil || sch == nil {
		t.Fatal("no schema", err)
	}
	var turns *fbTable
	v.tables(sch, 6, func(f *fbTable) error {
		if s, n, _ := v.vector(f, 4, 1); string(meta[s:s+n]) == "turns" {
			turns = f
		}
		return nil
	})
	if turns == nil {
		t.Fatal("no turns field")
	}
	var item *fbTable
	v.tables(turns, 14, func(f *fbTable) error { item = f; return nil })
	at, err := v.target(item, 14)
	if err != nil || at == 0 {
		t.Fatal("the list item has no children", err)
	}
	return at, at + 4, item.pos
}

// A children vector claiming four billion fields made arrow-go allocate them and die
// with "fatal error: out of memory", which no recover can catch.
func TestIPCHugeVectorIsAnError(t *testing.T) {
	b := ipcStream(t)
	meta, at := schemaMessage(t, b)
	lenAt, _, _ := fieldWithChildren(t, meta)
	binary.LittleEndian.PutUint32(b[at+int(lenAt):], 0xfffffff0)
	if _, err := readIPC(b); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("err = %v", err)
	}
}

// A child offset that wraps around the 32-bit space to point at its parent makes the
// field tree infinite; arrow-go recursed until the stack overflowed (fatal too).
func TestIPCFieldCycleIsAnError(t *testing.T) {
	b := ipcStream(t)
	meta, at := schemaMessage(t, b)
	_, elemAt, parent := fieldWithChildren(t, meta)
	binary.LittleEndian.PutUint32(b[at+int(elemAt):], uint32(parent-elemAt)) // wraps: parent < elemAt
	if _, err := readIPC(b); err == nil {
		t.Fatal("a cyclic field tree was read")
	}
}

func writeParquet(t testing.TB, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithMaxRowGroupLength(10))
	w, err := pqarrow.NewFileWriter(nestedSchema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	rec := nestedBatch(t, 25)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func readParquet(path string) (rows int64, err error) {
	p, err := OpenParquet(path, nil, 7)
	if err != nil {
		return 0, err
	}
	defer p.Close()
	err = Do(func() error {
		rr, err := p.Arrow.GetRecordReader(context.Background(), nil, nil)
		if err != nil {
			return err
		}
		defer rr.Release()
		for rr.Next() {
			rows += rr.RecordBatch().NumRows()
		}
		return rr.Err()
	})
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return rows, err
}

// TestParquetFlips flips random bytes (seeded) of a small multi-row-group file. Before OpenParquet
// probed the column chunks, a flip in a chunk's offset or size panicked inside
// pqarrow's own goroutines ("makeslice: len out of range" in GetStream) and killed the
// process; now every flip reads or fails with an error.
func TestParquetFlips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested.parquet")
	writeParquet(t, path)
	if rows, err := readParquet(path); err != nil || rows != 25 {
		t.Fatalf("clean file: rows %d, err %v", rows, err)
	}
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	errs := 0
	rng := rand.New(rand.NewPCG(3, 9))
	for range 1500 {
		b := bytes.Clone(orig)
		b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readParquet(path); err != nil {
			errs++
		}
	}
	if errs == 0 {
		t.Fatal("no flip was reported")
	}
}

// The Arrow schema a writer stores in the Parquet footer is an Arrow IPC message that
// pqarrow decodes with arrow-go's unchecked IPC reader: a damaged children count there
// was the same fatal out-of-memory as in an Arrow file.
func TestParquetStoredSchemaIsChecked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested.parquet")
	writeParquet(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := OpenParquet(path, nil, 7)
	if err != nil {
		t.Fatal(err)
	}
	stored := *p.File.MetaData().KeyValueMetadata().FindValue(storedSchemaKey)
	p.Close()
	raw, err := base64.StdEncoding.DecodeString(stored)
	if err != nil {
		t.Fatal(err)
	}
	meta, at := schemaMessage(t, raw)
	lenAt, _, _ := fieldWithChildren(t, meta)
	binary.LittleEndian.PutUint32(raw[at+int(lenAt):], 0xfffffff0)
	patched := base64.StdEncoding.EncodeToString(raw) // same length: the footer stays valid thrift
	if bytes.Count(b, []byte(stored)) != 1 || len(patched) != len(stored) {
		t.Fatal("cannot find the stored schema in the file")
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(stored), []byte(patched), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readParquet(path); err == nil || !strings.Contains(err.Error(), storedSchemaKey) {
		t.Fatalf("err = %v", err)
	}
}

func TestAllocatorCaps(t *testing.T) {
	mem := Allocator(nil, 1<<10)
	if b := mem.Allocate(100); len(b) != 100 {
		t.Fatal("small allocation refused")
	}
	err := Do(func() error { mem.Allocate(1 << 20); return nil })
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v", err)
	}
}
