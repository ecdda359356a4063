package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/schema"
)

// CreatedBy is the pinned Parquet created_by of every shard: the library version that
// pqarrow would put there changes with upgrades and would break byte-identical rebuilds.
const CreatedBy = "newsds release format 2"

// Batch and row group sizing. Rows flow from the record stream into a builder per
// (config, split) and go to the Parquet writer as one record batch every batchRows
// rows or batchBytes bytes; each batch is written straight through as one row group
// (pqarrow's serial row group writer, column by column to the file). So memory holds
// one batch per writer, whatever the corpus size: a buffered row group spanning
// several batches would keep every compressed page of the row group in memory until it
// is closed, and grow with the corpus up to its size limit. The same bound serves the
// readers (validate, Open, datasets), which take a release a row group at a time.
const (
	batchRows     = 1000
	maxBatchBytes = 8 << 20
	// dataPageSize is pqarrow's default, said here so that shards do not change when
	// the library's default does.
	dataPageSize = 1 << 20
)

// shardLayout fixes the sizes a split writer works with.
type shardLayout struct {
	shardSize  int64
	batchBytes int64
	arrow      bool
}

func newShardLayout(shardSize int64, withArrow bool) shardLayout {
	return shardLayout{
		shardSize:  shardSize,
		batchBytes: min(maxBatchBytes, max(shardSize/8, 1)),
		arrow:      withArrow,
	}
}

// splitWriter writes the rows of one split of one config into shards of about
// shardSize bytes: Parquet under data/, and their Arrow IPC file twins under arrow/ when
// asked (layout.go).
type splitWriter struct {
	root, config, split string
	schema              *arrow.Schema
	layout              shardLayout
	mem                 memory.Allocator

	b            *array.RecordBuilder
	pending      int
	pendingBytes int64
	// dataHint is the bytes each top-level string column held in the last batch (0 for
	// other columns), reserved again for the next one: a builder that starts empty grows
	// its buffers by doubling, copying and zeroing a batch's texts several times over.
	dataHint []int

	cur    *shard
	shards []*shard

	rows, numBytes int64
}

// shard is one open or finished data file (and its Arrow twin).
type shard struct {
	index int
	pq    *hashedFile
	fw    *pqarrow.FileWriter
	ipcf  *hashedFile
	iw    *ipc.FileWriter
	rows  int64
}

func newSplitWriter(root, config, split string, layout shardLayout, mem memory.Allocator) (*splitWriter, error) {
	s, err := schema.ConfigSchema(config)
	if err != nil {
		return nil, err
	}
	hf, err := schema.HFFeatures(config)
	if err != nil {
		return nil, err
	}
	md := arrow.NewMetadata([]string{"huggingface"}, []string{string(hf)})
	s = arrow.NewSchema(s.Fields(), &md)
	return &splitWriter{root: root, config: config, split: split, schema: s, layout: layout, mem: mem,
		b: array.NewRecordBuilder(mem, s)}, nil
}

// add appends one row through fill; approxBytes estimates its size so that batches
// of long texts are cut before batchRows.
func (w *splitWriter) add(fill func(b *array.RecordBuilder), approxBytes int64) error {
	fill(w.b)
	w.pending++
	w.pendingBytes += approxBytes
	if w.pending >= batchRows || w.pendingBytes >= w.layout.batchBytes {
		return w.flush()
	}
	return nil
}

// flush writes the pending rows as one record batch.
func (w *splitWriter) flush() error {
	if w.pending == 0 {
		return nil
	}
	if w.dataHint == nil {
		w.dataHint = make([]int, len(w.b.Fields()))
	}
	for i, f := range w.b.Fields() {
		if sb, ok := f.(*array.StringBuilder); ok {
			w.dataHint[i] = sb.DataLen()
		}
	}
	rows := w.pending
	batch := w.b.NewRecordBatch()
	defer batch.Release()
	w.pending, w.pendingBytes = 0, 0
	w.reserve(rows)
	w.rows += batch.NumRows()
	w.numBytes += schema.ArrowBytes(batch)
	if w.cur == nil {
		if err := w.open(batch); err != nil {
			return err
		}
	}
	sh := w.cur
	// Write, not WriteBuffered: the batch becomes a row group of its own, written to the
	// file now (see batchRows).
	if err := sh.fw.Write(batch); err != nil {
		return fmt.Errorf("%s: %w", sh.pq.path, err)
	}
	if sh.iw != nil {
		if err := sh.iw.Write(batch); err != nil {
			return fmt.Errorf("%s: %w", sh.ipcf.path, err)
		}
	}
	sh.rows += batch.NumRows()
	if sh.pq.n >= w.layout.shardSize {
		return w.closeShard()
	}
	return nil
}

// reserve sizes the emptied builder for a batch like the last one, of rows rows.
func (w *splitWriter) reserve(rows int) {
	w.b.Reserve(rows)
	for i, f := range w.b.Fields() {
		if sb, ok := f.(*array.StringBuilder); ok && w.dataHint[i] > 0 {
			sb.ReserveData(w.dataHint[i])
		}
	}
}

// parquetProps are the writer properties of a shard whose first batch is first.
func parquetProps(mem memory.Allocator, first arrow.RecordBatch) *parquet.WriterProperties {
	opts := []parquet.WriterProperty{
		parquet.WithAllocator(mem),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithStats(true),
		parquet.WithCreatedBy(CreatedBy),
		parquet.WithDataPageSize(dataPageSize),
	}
	for _, name := range distinctColumns(first) {
		opts = append(opts, parquet.WithDictionaryFor(name, false))
	}
	return parquet.NewWriterProperties(opts...)
}

// minDictSample is the fewest values of a column in a shard's first batch from which
// distinctColumns judges it.
const minDictSample = 64

// distinctColumns names the top-level string columns of a batch whose values are
// mostly distinct (more than half of the non-null values): texts, titles, ids, hashes.
// A dictionary cannot shrink them, and building one costs the hashing of every value
// of every row group and a dictionary page before the writer falls back to plain
// encoding once the dictionary outgrows its page; so they are written plain. The rule
// reads the shard's first batch only, so the same rows give the same files, and too few
// values to judge keep the dictionary.
func distinctColumns(batch arrow.RecordBatch) []string {
	var names []string
	for i, f := range batch.Schema().Fields() {
		col, ok := batch.Column(i).(*array.String)
		if !ok {
			continue
		}
		n := col.Len() - col.NullN()
		if n < minDictSample {
			continue
		}
		seen := make(map[string]struct{}, n)
		for j := range col.Len() {
			if col.IsValid(j) {
				seen[col.Value(j)] = struct{}{}
			}
		}
		if 2*len(seen) > n {
			names = append(names, f.Name)
		}
	}
	return names
}

// provisional is the file of shard i while the number of shards is unknown.
func (w *splitWriter) provisional(i int, format string) string {
	return filepath.Join(w.root, filepath.FromSlash(provisionalPath(w.config, w.split, i, format)))
}

// open starts a shard whose first batch is first.
func (w *splitWriter) open(first arrow.RecordBatch) error {
	sh := &shard{index: len(w.shards)}
	var err error
	if sh.pq, err = createHashed(w.provisional(sh.index, FormatParquet)); err != nil {
		return err
	}
	w.shards = append(w.shards, sh)
	w.cur = sh
	props := parquetProps(w.mem, first)
	// pqarrow's Close closes an io.Closer sink; hashedFile has no Close method, so the
	// file stays ours to sync and close.
	sh.fw, err = pqarrow.NewFileWriter(w.schema, sh.pq, props,
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(w.mem)))
	if err != nil {
		return fmt.Errorf("%s: %w", sh.pq.path, err)
	}
	if w.layout.arrow {
		if sh.ipcf, err = createHashed(w.provisional(sh.index, FormatArrow)); err != nil {
			return err
		}
		// The IPC file format, not the stream: the Arrow docs name .arrow for files and
		// .arrows for streams, and open_file, read_ipc and Feather readers need the
		// footer's random access.
		if sh.iw, err = ipc.NewFileWriter(sh.ipcf, ipc.WithSchema(w.schema), ipc.WithAllocator(w.mem)); err != nil {
			return fmt.Errorf("%s: %w", sh.ipcf.path, err)
		}
	}
	return nil
}

func (w *splitWriter) closeShard() error {
	sh := w.cur
	w.cur = nil
	if err := sh.fw.Close(); err != nil {
		return fmt.Errorf("%s: %w", sh.pq.path, err)
	}
	if err := sh.pq.close(); err != nil {
		return err
	}
	if sh.iw != nil {
		if err := sh.iw.Close(); err != nil {
			return fmt.Errorf("%s: %w", sh.ipcf.path, err)
		}
		if err := sh.ipcf.close(); err != nil {
			return err
		}
	}
	return nil
}

// finish writes what is pending, closes the last shard, renames the shards to their
// final names and describes them. A split without rows gets no file: datasets refuses
// a split whose files hold no data, so the card leaves it out and the manifest lists it
// with no files.
func (w *splitWriter) finish() (SplitInfo, error) {
	if err := w.flush(); err != nil {
		return SplitInfo{}, err
	}
	if w.cur != nil {
		if err := w.closeShard(); err != nil {
			return SplitInfo{}, err
		}
	}
	info := SplitInfo{Name: w.split, NumExamples: w.rows, NumBytes: w.numBytes, Files: []FileInfo{}}
	n := len(w.shards)
	for _, sh := range w.shards {
		for _, f := range []*hashedFile{sh.pq, sh.ipcf} {
			if f == nil {
				continue
			}
			format := FormatParquet
			if f == sh.ipcf {
				format = FormatArrow
			}
			rel := ShardName{Config: w.config, Split: w.split, Index: sh.index, Of: n, Format: format}.Path()
			if err := os.Rename(f.path, filepath.Join(w.root, filepath.FromSlash(rel))); err != nil {
				return SplitInfo{}, fmt.Errorf("name shard: %w", err)
			}
			info.Files = append(info.Files, FileInfo{Path: rel, SHA256: hex.EncodeToString(f.h.Sum(nil)),
				Size: f.n, Rows: sh.rows, Format: format})
		}
	}
	return info, nil
}

// release frees the builder and closes any open file; used on every exit path.
func (w *splitWriter) release() {
	w.b.Release()
	if w.cur != nil {
		// Every exit path but a finished shard's: the temp files are abandoned with the
		// release's temp folder, so their close errors say nothing worth keeping.
		_ = w.cur.fw.Close()
		w.cur.pq.f.Close()
		if w.cur.iw != nil {
			_ = w.cur.iw.Close()
			w.cur.ipcf.f.Close()
		}
		w.cur = nil
	}
}

// hashedFile is a file being written that hashes and counts its bytes. It has no
// Close method on purpose (see splitWriter.open).
type hashedFile struct {
	path string
	f    *os.File
	h    hash.Hash
	n    int64
}

func createHashed(p string) (*hashedFile, error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, fmt.Errorf("create shard: %w", err)
	}
	return &hashedFile{path: p, f: f, h: sha256.New()}, nil
}

func (hf *hashedFile) Write(b []byte) (int, error) {
	n, err := hf.f.Write(b)
	hf.h.Write(b[:n])
	hf.n += int64(n)
	return n, err
}

func (hf *hashedFile) close() error {
	if err := hf.f.Sync(); err != nil {
		hf.f.Close()
		return fmt.Errorf("sync %s: %w", hf.path, err)
	}
	if err := hf.f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", hf.path, err)
	}
	return nil
}
