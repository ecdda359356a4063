package saferead

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Parquet is a Parquet file opened for reading as Arrow record batches.
type Parquet struct {
	File  *file.Reader
	Arrow *pqarrow.FileReader
}

// Close closes the file.
func (p *Parquet) Close() {
	// The file was opened for reading: closing it cannot lose data, and a decoder panic
	// while closing is already turned into this discarded error.
	_ = Do(p.File.Close)
}

// OpenParquet opens path for reading with pqarrow so that a damaged file makes an
// error. Allocations are capped by the file's size, column chunks are read through
// bounded buffers (never one allocation of the size the footer claims), and, because
// pqarrow.FileReader.GetRecordReader sets up its column readers on goroutines of its
// own, where a panic cannot be recovered and kills the process, every column chunk of
// every row group is opened here first, on the caller's goroutine under Do: the same
// calls on the same footer then cannot fail differently there. The Arrow schema that
// writers store in the footer (an Arrow IPC message, which pqarrow decodes with the
// unchecked IPC reader) is checked first too. Read the rows under Do as well
// (GetRecordReader, Next, Err).
func OpenParquet(path string, mem memory.Allocator, batchSize int64) (*Parquet, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	size := st.Size()
	mem = Allocator(mem, AllocLimit(size))
	props := parquet.NewReaderProperties(mem)
	props.BufferedStreamEnabled = true
	props.BufferSize = 64 << 10
	p := &Parquet{}
	err = Do(func() error {
		var err error
		if p.File, err = file.OpenParquetFile(path, false, file.WithReadProps(props)); err != nil {
			return err
		}
		if err := probeChunks(p.File, size); err != nil {
			return err
		}
		if err := checkStoredSchema(p.File, mem); err != nil {
			return err
		}
		p.Arrow, err = pqarrow.NewFileReader(p.File, pqarrow.ArrowReadProperties{BatchSize: batchSize}, mem)
		return err
	})
	if err != nil {
		if p.File != nil {
			p.Close()
		}
		return nil, err
	}
	return p, nil
}

// probeChunks checks that every column chunk lies inside the file and opens its page
// reader.
func probeChunks(f *file.Reader, size int64) error {
	for g := range f.NumRowGroups() {
		rg := f.RowGroup(g)
		for c := range rg.NumColumns() {
			col, err := rg.MetaData().ColumnChunk(c)
			if err != nil {
				return fmt.Errorf("row group %d column %d: %w", g, c, err)
			}
			start := col.DataPageOffset()
			if col.HasDictionaryPage() && col.DictionaryPageOffset() > 0 {
				start = min(start, col.DictionaryPageOffset())
			}
			if n := col.TotalCompressedSize(); start < 0 || n < 0 || start > size || n > size-start {
				return fmt.Errorf("row group %d column %d: the footer puts its %d bytes at offset %d, outside the %d-byte file", g, c, n, start, size)
			}
			pr, err := rg.GetColumnPageReader(c)
			if err != nil {
				return fmt.Errorf("row group %d column %d: %w", g, c, err)
			}
			_ = pr.Close() // a read-only probe
		}
	}
	return nil
}

// storedSchemaKey is the footer key under which Arrow writers store the Arrow schema.
const storedSchemaKey = "ARROW:schema"

// checkStoredSchema decodes the footer's Arrow schema, as pqarrow will, through the
// checked IPC message reader.
func checkStoredSchema(f *file.Reader, mem memory.Allocator) error {
	v := f.MetaData().KeyValueMetadata().FindValue(storedSchemaKey)
	if v == nil {
		return nil
	}
	// pqarrow accepts padded and unpadded base64.
	var b []byte
	var err error
	if len(*v)%4 == 0 {
		b, err = base64.StdEncoding.DecodeString(*v)
	}
	if len(b) == 0 || err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(*v); err != nil {
			return fmt.Errorf("the %s footer metadata is not base64: %w", storedSchemaKey, err)
		}
	}
	err = Do(func() error {
		r, err := ipc.NewReaderFromMessageReader(NewIPCMessageReader(bytes.NewReader(b), int64(len(b)), mem), ipc.WithAllocator(mem))
		if err != nil {
			return err
		}
		r.Release()
		return nil
	})
	if err != nil {
		return fmt.Errorf("the %s footer metadata: %w", storedSchemaKey, err)
	}
	return nil
}
