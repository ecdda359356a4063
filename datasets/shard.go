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
// (config, split) and go to the writers as one record batch every batchRows rows or
// batchBytes bytes, so memory holds a batch and an open row group per writer,
// whatever the corpus size.
const (
	batchRows       = 1000
	maxBatchBytes   = 8 << 20
	maxRowGroupSize = 32 << 20
)

// shardLayout fixes the sizes a split writer works with.
type shardLayout struct {
	shardSize    int64
	rowGroupSize int64
	batchBytes   int64
	pageSize     int64
	arrow        bool
}

func newShardLayout(shardSize int64, withArrow bool) shardLayout {
	rg := min(maxRowGroupSize, max(shardSize/4, 1))
	return shardLayout{
		shardSize:    shardSize,
		rowGroupSize: rg,
		batchBytes:   min(maxBatchBytes, max(shardSize/8, 1)),
		// Pages are cut often enough that the byte counts of an open row group follow
		// the data even when row groups are small.
		pageSize: min(1<<20, max(rg/8, 8<<10)),
		arrow:    withArrow,
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
	// rgArrowBytes are the Arrow bytes written to the open row group.
	rgArrowBytes int64
	// cutRowGroup starts a new row group at the next write.
	cutRowGroup bool
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
	batch := w.b.NewRecordBatch()
	defer batch.Release()
	w.pending, w.pendingBytes = 0, 0
	w.rows += batch.NumRows()
	n := schema.ArrowBytes(batch)
	w.numBytes += n
	if w.cur == nil {
		if err := w.open(); err != nil {
			return err
		}
	}
	sh := w.cur
	if sh.cutRowGroup {
		if err := sh.fw.NewBufferedRowGroupChecked(); err != nil {
			return fmt.Errorf("%s: %w", sh.pq.path, err)
		}
		sh.cutRowGroup, sh.rgArrowBytes = false, 0
	}
	if err := sh.fw.WriteBuffered(batch); err != nil {
		return fmt.Errorf("%s: %w", sh.pq.path, err)
	}
	if sh.iw != nil {
		if err := sh.iw.Write(batch); err != nil {
			return fmt.Errorf("%s: %w", sh.ipcf.path, err)
		}
	}
	sh.rows += batch.NumRows()
	sh.rgArrowBytes += n
	rg := sh.fw.RowGroupTotalBytesWritten()
	switch {
	case sh.pq.n+rg >= w.layout.shardSize:
		return w.closeShard()
	case rg >= w.layout.rowGroupSize || sh.rgArrowBytes >= 4*w.layout.rowGroupSize:
		// The Arrow-size bound keeps an open row group's memory in check even when
		// the writer's page accounting lags. The cut happens before the next write, so
		// that no file ends with an empty row group.
		sh.cutRowGroup = true
	}
	return nil
}

// provisional is the file of shard i while the number of shards is unknown.
func (w *splitWriter) provisional(i int, format string) string {
	return filepath.Join(w.root, filepath.FromSlash(provisionalPath(w.config, w.split, i, format)))
}

func (w *splitWriter) open() error {
	sh := &shard{index: len(w.shards)}
	var err error
	if sh.pq, err = createHashed(w.provisional(sh.index, FormatParquet)); err != nil {
		return err
	}
	w.shards = append(w.shards, sh)
	w.cur = sh
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(w.mem),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithStats(true),
		parquet.WithCreatedBy(CreatedBy),
		parquet.WithDataPageSize(w.layout.pageSize),
	)
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
