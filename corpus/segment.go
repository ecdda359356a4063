package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/internal/saferead"
	"github.com/newsds/newsds/schema"
)

// A segment is what the Spark job writes: Parquet files of extracted, deduplicated
// documents and of their annotations, with a manifest of checksums. Landing it
// (Ingest with Format "segment") stages them without extracting anything again.
//
//	DIR/manifest.json            SegmentManifest
//	DIR/documents/*.parquet      id, doc, raw, exact_key, signature, band_keys, rank, dup_of, dup_similarity
//	DIR/annotations/*.parquet    doc_id, layer, annotation
//	DIR/rejections/*.parquet     path, record, error

// FormatSegment is the ingest format of a segment folder.
const FormatSegment = "segment"

// SegmentFormat names the layout a manifest describes.
const SegmentFormat = "newsds-segment/1"

// SegmentManifest is DIR/manifest.json.
type SegmentManifest struct {
	Format      string `json:"format"`
	Documents   int64  `json:"documents"`
	Annotations int64  `json:"annotations"`
	Rejections  int64  `json:"rejections"`
	// Dedup are the settings the job deduplicated with; landing refuses a segment made
	// with other settings than the corpus's, whose decisions would not agree.
	Dedup struct {
		Threshold float64 `json:"threshold"`
		Shingle   int     `json:"shingle"`
	} `json:"dedup"`
	Files []SegmentFile `json:"files"`
}

// SegmentFile is one data file of a segment.
type SegmentFile struct {
	// Path is relative to the segment folder, with forward slashes.
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// ReadSegmentManifest reads and checks DIR/manifest.json: its format, and that every
// listed file is inside the folder, present, of its size and checksum.
func ReadSegmentManifest(dir string) (*SegmentManifest, error) {
	mpath := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(mpath)
	if err != nil {
		return nil, fmt.Errorf("segment %s: %w", dir, err)
	}
	var m SegmentManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("segment %s: %w", mpath, err)
	}
	if m.Format != SegmentFormat {
		return nil, fmt.Errorf("segment %s: format %q, want %q", mpath, m.Format, SegmentFormat)
	}
	for _, f := range m.Files {
		clean := path.Clean(f.Path)
		if f.Path == "" || path.IsAbs(f.Path) || clean != f.Path || strings.HasPrefix(clean, "../") || clean == ".." {
			return nil, fmt.Errorf("segment %s: file %q is not a path inside the segment", mpath, f.Path)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		sum, n, err := fileSHA256(p)
		if err != nil {
			return nil, fmt.Errorf("segment %s: %w", dir, err)
		}
		if n != f.Bytes || sum != f.SHA256 {
			return nil, fmt.Errorf("segment %s: %s: %d bytes with sha256 %s, the manifest says %d bytes with sha256 %s (damaged or incomplete copy)",
				dir, f.Path, n, sum, f.Bytes, f.SHA256)
		}
	}
	return &m, nil
}

func fileSHA256(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// files lists the manifest's files of one kind (documents, annotations, rejections).
func (m *SegmentManifest) files(kind string) []string {
	var out []string
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, kind+"/") {
			out = append(out, f.Path)
		}
	}
	slices.Sort(out)
	return out
}

// ingestSegment lands segment folders: their documents are staged through the same
// writer as a local ingest (group commit, the dedup rule of joinCluster, the raw
// copies), then their annotations. The document rows carry the extracted document and
// its dedup keys, so nothing is extracted or hashed again; a row whose text does not
// match its content hash is rejected.
func (s *Store) ingestSegment(ctx context.Context, dirs []string, opts IngestOptions) (*IngestSummary, error) {
	sum := &IngestSummary{Rejections: []Rejection{}}
	for _, dir := range dirs {
		if err := s.landSegment(ctx, dir, opts, sum); err != nil {
			return sum, fmt.Errorf("ingest: %w", err)
		}
	}
	return sum, nil
}

func (s *Store) landSegment(ctx context.Context, dir string, opts IngestOptions, sum *IngestSummary) error {
	m, err := ReadSegmentManifest(dir)
	if err != nil {
		return err
	}
	if m.Dedup.Threshold != s.cfg.Dedup.Threshold || m.Dedup.Shingle != s.cfg.Dedup.Shingle {
		return fmt.Errorf("segment %s: deduplicated with threshold %v, shingle %d; newsds.yaml has threshold %v, shingle %d",
			dir, m.Dedup.Threshold, m.Dedup.Shingle, s.cfg.Dedup.Threshold, s.cfg.Dedup.Shingle)
	}
	batch := s.newDocBatch(ctx)
	defer batch.close()
	reject := func(rej Rejection) error {
		return s.storeOne(batch, &work{in: Input{Raw: Raw{Path: rej.File, Record: rej.Record}}, err: errors.New(rej.Reason)}, sum, opts, nil)
	}
	for _, rel := range m.files("rejections") {
		err := readSegmentRows(ctx, filepath.Join(dir, filepath.FromSlash(rel)), func(row segmentRow) error {
			return reject(Rejection{File: row.str("path"), Record: row.str("record"), Reason: row.str("error")})
		})
		if err != nil {
			return fmt.Errorf("segment %s: %w", dir, err)
		}
	}
	now := s.now().UTC().Format(time.RFC3339)
	for _, rel := range m.files("documents") {
		file := filepath.Join(dir, filepath.FromSlash(rel))
		err := readSegmentRows(ctx, file, func(row segmentRow) error {
			w, rerr := segmentDocument(row, now)
			if rerr != nil {
				return reject(Rejection{File: rel, Record: fmt.Sprintf("row %d", row.n), Reason: rerr.Error()})
			}
			w.raw = s.blob(w.in.Raw.Data)
			if err := s.storeOne(batch, w, sum, opts, nil); err != nil {
				return err
			}
			if batch.due(time.Now()) {
				if err := batch.flush(); err != nil {
					return err
				}
			}
			if opts.Progress != nil {
				opts.Progress(*sum)
			}
			return ctx.Err()
		})
		if err != nil {
			return fmt.Errorf("segment %s: %w", dir, err)
		}
	}
	if err := batch.flush(); err != nil {
		return err
	}
	var anns []schema.Annotation
	put := func() error {
		if len(anns) == 0 {
			return nil
		}
		_, err := s.PutAnnotations(ctx, anns)
		anns = anns[:0]
		return err
	}
	for _, rel := range m.files("annotations") {
		err := readSegmentRows(ctx, filepath.Join(dir, filepath.FromSlash(rel)), func(row segmentRow) error {
			var a schema.Annotation
			if err := json.Unmarshal([]byte(row.str("annotation")), &a); err != nil {
				return fmt.Errorf("%s: row %d: annotation: %w", rel, row.n, err)
			}
			anns = append(anns, a)
			if len(anns) >= batchDocs {
				return put()
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("segment %s: %w", dir, err)
		}
	}
	if err := put(); err != nil {
		return fmt.Errorf("segment %s: annotations: %w", dir, err)
	}
	return nil
}

// segmentDocument turns a document row into the work the ingest writer stores.
func segmentDocument(row segmentRow, now string) (*work, error) {
	var doc schema.Document
	if err := json.Unmarshal([]byte(row.str("doc")), &doc); err != nil {
		return nil, fmt.Errorf("doc: %w", err)
	}
	if doc.ID == "" || doc.ID != row.str("id") {
		return nil, fmt.Errorf("doc id %q does not match the row's id %q", doc.ID, row.str("id"))
	}
	if doc.Text == "" || doc.ContentHash != schema.ContentHash(doc.Text) {
		return nil, fmt.Errorf("document %s: its text does not match its content_hash", doc.ID)
	}
	raw := row.bytes("raw")
	if doc.RawHash != "" && doc.RawHash != schema.SHA256Hex(raw) {
		return nil, fmt.Errorf("document %s: its raw bytes do not match its raw_hash", doc.ID)
	}
	sig := row.bytes("signature")
	if len(sig)%8 != 0 {
		return nil, fmt.Errorf("document %s: signature of %d bytes, not a whole number of hashes", doc.ID, len(sig))
	}
	if doc.Meta != nil {
		// The writer decides the mark by the same rule the job did (see joinCluster).
		delete(doc.Meta, schema.MetaDupOf)
		delete(doc.Meta, "dup_similarity")
	}
	doc.IngestedAt = now
	dd := &dedupInput{exactKey: row.str("exact_key"), signature: decodeSig(sig)}
	for _, k := range row.int64s("band_keys") {
		dd.bandKeys = append(dd.bandKeys, uint64(k))
	}
	return &work{in: Input{Raw: Raw{Data: raw, Path: row.file, Record: fmt.Sprintf("row %d", row.n)}}, doc: doc, dd: dd, size: len(raw)}, nil
}

// segmentRow is one row of a segment file, its columns looked up by name (Spark
// writes them in its own order and types: string or large string, list of int64).
type segmentRow struct {
	file string
	n    int64
	rec  arrow.RecordBatch
	i    int
	cols map[string]int
}

func (r segmentRow) col(name string) arrow.Array {
	if c, ok := r.cols[name]; ok {
		return r.rec.Column(c)
	}
	return nil
}

func (r segmentRow) str(name string) string {
	switch c := r.col(name).(type) {
	case *array.String:
		if c.IsValid(r.i) {
			return c.Value(r.i)
		}
	case *array.LargeString:
		if c.IsValid(r.i) {
			return c.Value(r.i)
		}
	}
	return ""
}

func (r segmentRow) bytes(name string) []byte {
	switch c := r.col(name).(type) {
	case *array.Binary:
		if c.IsValid(r.i) {
			return append([]byte(nil), c.Value(r.i)...)
		}
	case *array.LargeBinary:
		if c.IsValid(r.i) {
			return append([]byte(nil), c.Value(r.i)...)
		}
	}
	return nil
}

func (r segmentRow) int64s(name string) []int64 {
	c, ok := r.col(name).(*array.List)
	if !ok || !c.IsValid(r.i) {
		return nil
	}
	vals, ok := c.ListValues().(*array.Int64)
	if !ok {
		return nil
	}
	lo, hi := c.ValueOffsets(r.i)
	out := make([]int64, 0, hi-lo)
	for j := lo; j < hi; j++ {
		out = append(out, vals.Value(int(j)))
	}
	return out
}

// readSegmentRows calls fn for every row of a Parquet file, one batch in memory at a
// time, through saferead so that a damaged file is an error.
func readSegmentRows(ctx context.Context, file string, fn func(segmentRow) error) error {
	pq, err := saferead.OpenParquet(file, memory.DefaultAllocator, 512)
	if err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	defer pq.Close()
	var rr pqarrow.RecordReader
	if err := saferead.Do(func() (err error) { rr, err = pq.Arrow.GetRecordReader(ctx, nil, nil); return err }); err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	defer saferead.Release(rr)
	cols := map[string]int{}
	for i, f := range rr.Schema().Fields() {
		cols[f.Name] = i
	}
	var n int64
	for {
		var rec arrow.RecordBatch
		err := saferead.Do(func() error {
			if rr.Next() {
				rec = rr.RecordBatch()
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read %s: %w", file, err)
		}
		if rec == nil {
			break
		}
		for i := range int(rec.NumRows()) {
			n++
			if err := fn(segmentRow{file: file, n: n, rec: rec, i: i, cols: cols}); err != nil {
				return err
			}
		}
	}
	if err := saferead.Do(rr.Err); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", file, err)
	}
	return nil
}
