package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"math"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/saferead"
	"github.com/newsds/newsds/schema"
)

// The per-document step is shared by every path into the store: local Ingest runs it
// on its workers, and `newsds extract` (the process Spark's mapInArrow feeds) runs it
// on each input of an Arrow batch. Both reach the same docPreparer.prepare and
// Deduper.input, so the same input gives the same document, exact key and signature
// whichever way it travels.

// docPreparer is what turning an input into a document needs from a corpus: its
// configuration and its clock. It holds no store, so an executor without a corpus
// runs the same code.
type docPreparer struct {
	cfg *config.Config
	now func() time.Time
}

// docStep is one record's work: parse a deferred JSONL line, extract and identify the
// document, and compute its dedup keys, with a panic turned into that record's
// rejection.
type docStep struct {
	prepare func(Input, IngestOptions, *time.Location) (schema.Document, error)
	dedup   *Deduper
	opts    IngestOptions
	zone    *time.Location
	// keys is the field mapping deferred JSONL lines are parsed with (recordFields).
	keys recordKeys
}

// run returns the input as parsed (in itself when parsing failed) with its document
// and dedup keys.
func (st docStep) run(in Input) (Input, schema.Document, *dedupInput, error) {
	var doc schema.Document
	var dd *dedupInput
	err := guardRecord(in.Raw, func() error {
		if in.Unparsed {
			parsed, err := parseDeferred(in, st.keys)
			if err != nil {
				return err
			}
			in = parsed
		}
		d, err := st.prepare(in, st.opts, st.zone)
		if err != nil {
			return err
		}
		doc, dd = d, st.dedup.input(d.Text)
		return nil
	})
	return in, doc, dd, err
}

// ingestZone checks the options every ingest path shares and returns the --tz zone
// (nil: each source's own).
func ingestZone(opts IngestOptions) (*time.Location, error) {
	var zone *time.Location
	if opts.TimeZone != "" {
		loc, err := time.LoadLocation(opts.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("--tz %q: %w", opts.TimeZone, err)
		}
		zone = loc
	}
	if opts.Source != "" && strings.ContainsAny(opts.Source, " \t\n/") {
		return nil, fmt.Errorf("source key %q must not contain spaces or slashes", opts.Source)
	}
	return zone, nil
}

// recordFields is the field mapping records are read with: newsds.yaml's ingest.fields
// with the options' Fields over it, field by field.
func recordFields(cfg config.Ingest, opts IngestOptions) (map[string]string, error) {
	if len(opts.Fields) == 0 {
		return cfg.Fields, nil // checked when newsds.yaml was loaded
	}
	fields := maps.Clone(cfg.Fields)
	if fields == nil {
		fields = map[string]string{}
	}
	maps.Copy(fields, opts.Fields)
	if err := config.CheckFields(fields); err != nil {
		return nil, fmt.Errorf("--field %w", err)
	}
	return fields, nil
}

// Extracted is one record as `newsds extract` emits it: a document with its dedup
// keys and the raw bytes it came from, or the record's rejection.
type Extracted struct {
	// Path and Record locate the input (the path as the caller named it).
	Path, Record string
	// Doc is the document, dup_of not yet decided; empty when Err is set.
	Doc schema.Document
	// Raw is the input bytes the document was extracted from (kept in the store's raw
	// table on landing).
	Raw []byte
	// ExactKey, Signature and BandKeys are the dedup keys (see Deduper); Signature and
	// BandKeys are empty when near-duplicate detection is off.
	ExactKey  string
	Signature []uint64
	BandKeys  []uint64
	// Rank orders the documents of a duplicate cluster (see DedupRank).
	Rank string
	// Order sorts records as a local ingest of the root folder reads them (see
	// InputOrder): of two records with one id, a local ingest keeps the later one.
	Order string
	// Err is the rejection of a record that gave no document.
	Err *Rejection
	// TextID is the id the document takes when its own, a title-and-day id, already
	// names a different article (see SameArticle); "" for other ids.
	TextID string
	// TextRank is Rank under TextID ("" with it): the rank carries the id.
	TextRank string
}

// Extractor runs the per-document step of ingest without a store.
type Extractor struct {
	step docStep
	read ReadOptions
}

// NewExtractor returns an Extractor for a corpus configuration and the ingest options
// (source, time zone, format; Workers is ignored: one Extractor works sequentially, and
// Spark runs one per task). now stamps ingested_at (nil: the wall clock).
func NewExtractor(cfg *config.Config, opts IngestOptions, now func() time.Time) (*Extractor, error) {
	if cfg == nil {
		return nil, errors.New("extract: no configuration")
	}
	zone, err := ingestZone(opts)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	fields, err := recordFields(cfg.Ingest, opts)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	p := docPreparer{cfg: cfg, now: now}
	return &Extractor{
		step: docStep{prepare: p.prepare, dedup: NewDeduper(cfg.Dedup), opts: opts, zone: zone},
		read: ReadOptions{Format: opts.Format, Fields: fields}.withLimits(cfg.Ingest),
	}, nil
}

// One extracts one input.
func (e *Extractor) One(in Input) Extracted {
	in, doc, dd, err := e.step.run(in)
	out := Extracted{Path: in.Raw.Path, Record: in.Raw.Record}
	if err != nil {
		rej := rejection(&work{in: in, err: err})
		out.Err = &rej
		return out
	}
	out.Doc, out.Raw = doc, in.Raw.Data
	out.ExactKey, out.Signature, out.BandKeys = dd.exactKey, dd.signature, dd.bandKeys
	out.Rank = DedupRank(doc)
	out.Order = InputOrder(doc.Provenance)
	if titled, ok := documentID(doc); ok && titled == doc.ID {
		out.TextID = textArticleID(doc.ID, dd.exactKey)
		other := doc
		other.ID = out.TextID
		out.TextRank = DedupRank(other)
	}
	return out
}

// InputOrder is a string that sorts records as a local ingest of their root folder
// reads them: files by path, one path component after another (a folder is walked in
// lexical order of its entries), then records by their place in the file.
func InputOrder(p *schema.Provenance) string {
	if p == nil {
		return ""
	}
	pos := p.Line + p.Item
	if p.WARCOffset != nil {
		pos = *p.WARCOffset
	}
	return fmt.Sprintf("%s\x01%020d", strings.ReplaceAll(p.Path, "/", "\x00"), pos)
}

// Inputs extracts every input of paths (files, folders, globs, as Ingest reads them).
func (e *Extractor) Inputs(ctx context.Context, paths []string) iter.Seq[Extracted] {
	return func(yield func(Extracted) bool) {
		for in, err := range Inputs(ctx, paths, e.read) {
			if err != nil {
				if !yield(readRejection(err)) {
					return
				}
				continue
			}
			if !yield(e.One(in)) {
				return
			}
		}
	}
}

func readRejection(err error) Extracted {
	var rerr *RecordError
	if !errors.As(err, &rerr) {
		rerr = &RecordError{Path: "(inputs)", Err: err}
	}
	rej := rejection(&work{err: rerr})
	return Extracted{Path: rej.File, Record: rej.Record, Err: &rej}
}

// File is one input file handed over as bytes, as Spark's binaryFile source gives it.
type File struct {
	// Path is the file's URI or path (file:/..., hdfs://..., s3a://...).
	Path    string
	ModTime time.Time
	Data    []byte
}

// FileInputs extracts the records of one file given as bytes. The file is read by the
// same readers as a file on disk (format from its name, then its content; gzip; WARC,
// JSONL, JSON, HTML, text), through a copy in tmpDir whose modification time is the
// file's, since dates are bounded by it. Provenance paths are made relative to root (a
// URI or path prefix, as the folder named to a local ingest), so that the Spark job and
// a local ingest of the same tree record the same provenance.
func (e *Extractor) FileInputs(ctx context.Context, f File, root, tmpDir string) iter.Seq[Extracted] {
	return func(yield func(Extracted) bool) {
		fail := func(err error) {
			rej := Rejection{File: f.Path, Reason: err.Error()}
			yield(Extracted{Path: f.Path, Err: &rej})
		}
		dir, err := os.MkdirTemp(tmpDir, "newsds-extract-")
		if err != nil {
			fail(fmt.Errorf("temp copy: %w", err))
			return
		}
		defer os.RemoveAll(dir)
		name := path.Base(uriPath(f.Path))
		if name == "" || name == "." || name == "/" {
			name = "input"
		}
		tmp := filepath.Join(dir, name)
		if err := os.WriteFile(tmp, f.Data, 0o600); err != nil {
			fail(fmt.Errorf("temp copy: %w", err))
			return
		}
		if !f.ModTime.IsZero() {
			if err := os.Chtimes(tmp, f.ModTime, f.ModTime); err != nil {
				fail(fmt.Errorf("temp copy: %w", err))
				return
			}
		}
		rel := relURI(root, f.Path)
		for in, err := range Inputs(ctx, []string{tmp}, e.read) {
			var x Extracted
			if err != nil {
				x = readRejection(err)
			} else {
				in.Raw.Path = f.Path
				in.Provenance.Path = rel
				x = e.One(in)
			}
			if x.Err != nil && x.Err.File == tmp {
				x.Err.File = f.Path
				x.Err.Reason = strings.ReplaceAll(x.Err.Reason, tmp, f.Path)
			}
			if x.Path == tmp {
				x.Path = f.Path
			}
			if !yield(x) {
				return
			}
		}
	}
}

// uriPath is the path part of a URI ("file:/a/b", "hdfs://nn/a/b", "s3a://bucket/a/b"),
// or p itself when it is a plain path.
func uriPath(p string) string {
	if u, err := url.Parse(p); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		return u.Path
	}
	return filepath.ToSlash(p)
}

// relURI is p relative to root, compared on their path parts (Spark writes local files
// as file:/x while users write file:///x or /x); p's own path when it is not under
// root.
func relURI(root, p string) string {
	pp := path.Clean(uriPath(p))
	if root == "" {
		return path.Base(pp)
	}
	rp := path.Clean(uriPath(root))
	if rel, ok := strings.CutPrefix(pp, strings.TrimSuffix(rp, "/")+"/"); ok && rel != "" {
		return rel
	}
	return pp
}

// ExtractSchema is the Arrow schema of `newsds extract`'s output: one row per record.
// Unsigned dedup keys travel as int64 bit patterns, since Spark has no unsigned types.
var ExtractSchema = arrow.NewSchema([]arrow.Field{
	{Name: "path", Type: arrow.BinaryTypes.String},
	{Name: "record", Type: arrow.BinaryTypes.String},
	{Name: "id", Type: arrow.BinaryTypes.String},
	{Name: "doc", Type: arrow.BinaryTypes.String},
	{Name: "raw", Type: arrow.BinaryTypes.Binary},
	{Name: "exact_key", Type: arrow.BinaryTypes.String},
	{Name: "signature", Type: arrow.BinaryTypes.Binary},
	{Name: "band_keys", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)},
	{Name: "rank", Type: arrow.BinaryTypes.String},
	{Name: "order", Type: arrow.BinaryTypes.String},
	{Name: "error", Type: arrow.BinaryTypes.String},
	{Name: "text_id", Type: arrow.BinaryTypes.String},
	{Name: "text_rank", Type: arrow.BinaryTypes.String},
}, nil)

// ExtractWriter writes Extracted rows as an Arrow IPC stream in batches.
type ExtractWriter struct {
	w     *ipc.Writer
	b     *array.RecordBuilder
	n     int
	batch int
}

// NewExtractWriter writes to w, batch rows per record batch (0: 64).
func NewExtractWriter(w io.Writer, batch int) *ExtractWriter {
	if batch <= 0 {
		batch = 64
	}
	mem := memory.NewGoAllocator()
	return &ExtractWriter{w: ipc.NewWriter(w, ipc.WithSchema(ExtractSchema), ipc.WithAllocator(mem)),
		b: array.NewRecordBuilder(mem, ExtractSchema), batch: batch}
}

// Write adds one row, writing a batch when it is full.
func (xw *ExtractWriter) Write(x Extracted) error {
	str := func(i int, s string) { xw.b.Field(i).(*array.StringBuilder).Append(s) }
	str(0, x.Path)
	str(1, x.Record)
	keys := xw.b.Field(7).(*array.ListBuilder)
	if x.Err != nil {
		str(2, "")
		str(3, "")
		xw.b.Field(4).(*array.BinaryBuilder).Append(nil)
		str(5, "")
		xw.b.Field(6).(*array.BinaryBuilder).Append(nil)
		keys.Append(true)
		str(8, "")
		str(9, "")
		str(10, x.Err.Reason)
		str(11, "")
		str(12, "")
	} else {
		body, err := marshalDoc(&x.Doc)
		if err != nil {
			return fmt.Errorf("extract: %s: %s: %w", x.Path, x.Record, err)
		}
		str(2, x.Doc.ID)
		str(3, string(body))
		xw.b.Field(4).(*array.BinaryBuilder).Append(x.Raw)
		str(5, x.ExactKey)
		xw.b.Field(6).(*array.BinaryBuilder).Append(encodeSig(x.Signature))
		keys.Append(true)
		vb := keys.ValueBuilder().(*array.Int64Builder)
		for _, k := range x.BandKeys {
			vb.Append(int64(k))
		}
		str(8, x.Rank)
		str(9, x.Order)
		str(10, "")
		str(11, x.TextID)
		str(12, x.TextRank)
	}
	xw.n++
	if xw.n >= xw.batch {
		return xw.flush()
	}
	return nil
}

func (xw *ExtractWriter) flush() error {
	if xw.n == 0 {
		return nil
	}
	rec := xw.b.NewRecordBatch()
	defer rec.Release()
	xw.n = 0
	if err := xw.w.Write(rec); err != nil {
		return fmt.Errorf("extract: write arrow: %w", err)
	}
	return nil
}

// Close writes the last batch and the end of the stream. A stream with no rows still
// carries its schema, which is what mapInArrow expects of an empty partition.
func (xw *ExtractWriter) Close() error {
	err := xw.flush()
	xw.b.Release()
	if cerr := xw.w.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("extract: close arrow stream: %w", cerr)
	}
	return err
}

// openGuardedStream opens an Arrow IPC stream from outside (Spark, a pipe) through
// saferead: allocations capped at 1 GiB, decoder panics turned into errors.
func openGuardedStream(r io.Reader) (*ipc.Reader, error) {
	mem := saferead.Allocator(nil, saferead.AllocLimit(1<<30))
	var rd *ipc.Reader
	err := saferead.Do(func() error {
		var err error
		rd, err = ipc.NewReaderFromMessageReader(saferead.NewIPCMessageReader(r, math.MaxInt64, mem), ipc.WithAllocator(mem))
		return err
	})
	return rd, err
}

// nextBatch reads the next record batch of a guarded stream, decoder panics turned into
// errors; nil at the end of the stream.
func nextBatch(rd *ipc.Reader) (arrow.RecordBatch, error) {
	var rec arrow.RecordBatch
	err := saferead.Do(func() error {
		if !rd.Next() {
			return rd.Err()
		}
		rec = rd.RecordBatch()
		return nil
	})
	return rec, err
}

// ReadFiles reads Arrow record batches of files from r: a column "path" (string) and
// a column "content" (binary), and optionally "modificationTime" (timestamp), as
// Spark's binaryFile source has them; other columns are ignored. fn is called for each
// file in order; a damaged stream is an error naming the batch.
func ReadFiles(r io.Reader, fn func(File) error) error {
	rd, err := openGuardedStream(r)
	if err != nil {
		return fmt.Errorf("read arrow stream on stdin: %w", err)
	}
	defer rd.Release()
	sch := rd.Schema()
	col := func(name string) int {
		if idx := sch.FieldIndices(name); len(idx) > 0 {
			return idx[0]
		}
		return -1
	}
	pi, ci, mi := col("path"), col("content"), col("modificationTime")
	if pi < 0 || ci < 0 {
		return fmt.Errorf("read arrow stream on stdin: want columns path and content, have %v", sch)
	}
	for batch := 0; ; batch++ {
		rec, err := nextBatch(rd)
		if err != nil {
			return fmt.Errorf("read arrow stream on stdin: batch %d: %w", batch, err)
		}
		if rec == nil {
			return nil
		}
		paths, ok1 := rec.Column(pi).(*array.String)
		if !ok1 {
			return fmt.Errorf("read arrow stream on stdin: batch %d: column path is %s, want string", batch, rec.Column(pi).DataType())
		}
		content := rec.Column(ci)
		var mod *array.Timestamp
		var unit arrow.TimeUnit
		if mi >= 0 {
			if ts, ok := rec.Column(mi).(*array.Timestamp); ok {
				mod, unit = ts, ts.DataType().(*arrow.TimestampType).Unit
			}
		}
		for i := range int(rec.NumRows()) {
			f := File{Path: paths.Value(i)}
			switch c := content.(type) {
			case *array.Binary:
				f.Data = c.Value(i)
			case *array.LargeBinary:
				f.Data = c.Value(i)
			default:
				return fmt.Errorf("read arrow stream on stdin: batch %d: column content is %s, want binary", batch, content.DataType())
			}
			if mod != nil && mod.IsValid(i) {
				f.ModTime = mod.Value(i).ToTime(unit)
			}
			if err := fn(f); err != nil {
				return err
			}
		}
	}
}

// ReadExtracted reads `newsds extract`'s output back (tests, and landing checks).
func ReadExtracted(r io.Reader, fn func(Extracted) error) error {
	rd, err := openGuardedStream(r)
	if err != nil {
		return fmt.Errorf("read extracted stream: %w", err)
	}
	defer rd.Release()
	if !rd.Schema().Equal(ExtractSchema) {
		return fmt.Errorf("read extracted stream: schema %v, want %v", rd.Schema(), ExtractSchema)
	}
	for batch := 0; ; batch++ {
		rec, err := nextBatch(rd)
		if err != nil {
			return fmt.Errorf("read extracted stream: batch %d: %w", batch, err)
		}
		if rec == nil {
			return nil
		}
		s := func(c, i int) string { return rec.Column(c).(*array.String).Value(i) }
		keys := rec.Column(7).(*array.List)
		kv := keys.ListValues().(*array.Int64)
		for i := range int(rec.NumRows()) {
			x := Extracted{Path: s(0, i), Record: s(1, i)}
			if reason := s(10, i); reason != "" {
				x.Err = &Rejection{File: x.Path, Record: x.Record, Reason: reason}
			} else {
				if err := json.Unmarshal([]byte(s(3, i)), &x.Doc); err != nil {
					return fmt.Errorf("read extracted stream: batch %d row %d: doc: %w", batch, i, err)
				}
				x.Raw = append([]byte(nil), rec.Column(4).(*array.Binary).Value(i)...)
				x.ExactKey = s(5, i)
				x.Signature = decodeSig(rec.Column(6).(*array.Binary).Value(i))
				lo, hi := keys.ValueOffsets(i)
				for j := lo; j < hi; j++ {
					x.BandKeys = append(x.BandKeys, uint64(kv.Value(int(j))))
				}
				x.Rank, x.Order, x.TextID, x.TextRank = s(8, i), s(9, i), s(11, i), s(12, i)
			}
			if err := fn(x); err != nil {
				return err
			}
		}
	}
}

// ReadDocuments reads an Arrow stream with a "doc" column of document JSON (what
// extract writes, or any selection of it) and calls fn with each batch's documents.
// Rows with an empty doc (rejections) are left out.
func ReadDocuments(r io.Reader, fn func([]schema.Document) error) error {
	rd, err := openGuardedStream(r)
	if err != nil {
		return fmt.Errorf("read documents stream: %w", err)
	}
	defer rd.Release()
	idx := rd.Schema().FieldIndices("doc")
	if len(idx) == 0 {
		return fmt.Errorf(`read documents stream: want a "doc" column of document JSON, have %v`, rd.Schema())
	}
	for batch := 0; ; batch++ {
		rec, err := nextBatch(rd)
		if err != nil {
			return fmt.Errorf("read documents stream: batch %d: %w", batch, err)
		}
		if rec == nil {
			return nil
		}
		col, ok := rec.Column(idx[0]).(*array.String)
		if !ok {
			return fmt.Errorf("read documents stream: batch %d: column doc is %s, want string", batch, rec.Column(idx[0]).DataType())
		}
		docs := make([]schema.Document, 0, rec.NumRows())
		for i := range int(rec.NumRows()) {
			if !col.IsValid(i) || col.Value(i) == "" {
				continue
			}
			var d schema.Document
			if err := json.Unmarshal([]byte(col.Value(i)), &d); err != nil {
				return fmt.Errorf("read documents stream: batch %d row %d: %w", batch, i, err)
			}
			docs = append(docs, d)
		}
		if err := fn(docs); err != nil {
			return err
		}
	}
}

// AnnotationSchema is the Arrow schema of annotations in extract's output and in a
// segment: one row per annotation, the annotation as JSON.
var AnnotationSchema = arrow.NewSchema([]arrow.Field{
	{Name: "doc_id", Type: arrow.BinaryTypes.String},
	{Name: "layer", Type: arrow.BinaryTypes.String},
	{Name: "annotation", Type: arrow.BinaryTypes.String},
}, nil)

// WriteAnnotations writes annotations as one Arrow IPC stream of AnnotationSchema.
func WriteAnnotations(w io.Writer, batches iter.Seq2[[]schema.Annotation, error]) error {
	mem := memory.NewGoAllocator()
	iw := ipc.NewWriter(w, ipc.WithSchema(AnnotationSchema), ipc.WithAllocator(mem))
	b := array.NewRecordBuilder(mem, AnnotationSchema)
	defer b.Release()
	var err error
	for anns, berr := range batches {
		if berr != nil {
			err = berr
			break
		}
		for _, a := range anns {
			body, merr := json.Marshal(a)
			if merr != nil {
				err = fmt.Errorf("annotation of %s: %w", a.DocID, merr)
				break
			}
			b.Field(0).(*array.StringBuilder).Append(a.DocID)
			b.Field(1).(*array.StringBuilder).Append(a.Layer)
			b.Field(2).(*array.StringBuilder).Append(string(body))
		}
		if err != nil {
			break
		}
		rec := b.NewRecordBatch()
		werr := iw.Write(rec)
		rec.Release()
		if werr != nil {
			err = fmt.Errorf("write arrow: %w", werr)
			break
		}
	}
	if cerr := iw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close arrow stream: %w", cerr)
	}
	return err
}
