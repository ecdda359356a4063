package corpus

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// Input formats accepted by ReadOptions.Format.
const (
	FormatAuto  = "auto"
	FormatHTML  = "html"
	FormatWARC  = "warc"
	FormatJSONL = "jsonl"
	// FormatJSON is one JSON document per file: an article object or an array of them.
	FormatJSON = "json"
	FormatText = "text"
)

// DefaultMaxRecordBytes bounds one record (an HTML or text file, a WARC payload, a JSONL
// line) so a corrupt or hostile input cannot exhaust memory.
const DefaultMaxRecordBytes = config.DefaultMaxRecordBytes

// ReadOptions configure Inputs. The zero value detects formats automatically.
type ReadOptions struct {
	// Format is auto (or "") to detect each file's format from its extension, then its
	// first bytes; html, warc, jsonl, json or text reads every file in that format.
	Format string
	// MaxRecordBytes bounds one record; 0 means DefaultMaxRecordBytes. Larger records
	// are reported as RecordErrors and skipped.
	MaxRecordBytes int64
	// MaxFileBytes bounds one file once decompressed; 0 means config.DefaultMaxFileBytes.
	MaxFileBytes int64
	// MaxRatio bounds how many times decompressed data may outgrow the compressed
	// bytes read (see limits.go); 0 means config.DefaultMaxRatio.
	MaxRatio float64
	// Stats, if not nil, is updated as the stream advances; it may be read
	// concurrently (for a progress display).
	Stats *ReadStats
	// DeferJSONL yields each JSONL line unparsed (Input.Unparsed, Raw.Data the line),
	// for the caller to parse with parseDeferred where it likes: ingest parses on its
	// workers, or not at all for a line it has already ingested.
	DeferJSONL bool
	// Fields maps article fields to the keys JSON and JSONL records hold them under
	// (config Ingest.Fields, checked by config.CheckFields); nil reads each field from
	// its own key.
	Fields map[string]string
}

// ReadStats count what Inputs has read so far.
type ReadStats struct {
	// Files is the number of files opened.
	Files atomic.Int64
	// Bytes is the number of bytes read from files, as stored (compressed if gzipped).
	Bytes atomic.Int64
	// Inputs is the number of inputs yielded without error.
	Inputs atomic.Int64
	// Skipped counts what is silently left out: WARC records other than HTML
	// responses with status 200, and files of unknown format met while walking a
	// directory or a glob.
	Skipped atomic.Int64
	// Errors is the number of errors yielded.
	Errors atomic.Int64
}

// Input is one article to ingest, as read from a file.
type Input struct {
	// Raw holds the bytes and what the container said about them. Raw.Format is "html"
	// or "text" when the bytes need extraction, and "" for a JSONL record without html:
	// then Given carries the document and Raw.Data is the JSONL line itself (the input
	// bytes, for the raw hash and the kept raw copy). Raw.ModTime is the file's
	// modification time for every record of the file.
	Raw Raw
	// Given holds the fields of a JSONL record; nil for other formats.
	Given *GivenFields
	// Provenance locates the record: file relative to the ingest root, format, and the
	// WARC record, JSONL line or JSON array item.
	Provenance schema.Provenance
	// Unparsed marks a JSONL line read with ReadOptions.DeferJSONL: Raw.Data is the
	// line, Given is nil until parseDeferred.
	Unparsed bool
}

// GivenFields are document fields given by a JSONL record. Empty strings and nil
// slices mean "not given".
type GivenFields struct {
	ID, URL, Source, SiteName, Title string
	Byline                           []string
	Published, Section, Lang, Text   string
	// Meta is the record's "meta" object plus any top-level keys that are not
	// document fields.
	Meta map[string]any
	// HasHTML reports that the record carried html, now in Raw.Data.
	HasHTML bool
}

// RecordError reports a problem with one file or one record in it. Inputs yields it
// and goes on with the next record or file.
type RecordError struct {
	Path string
	// Record locates the record in the file ("line 12", "record 3 (WARC-Record-ID
	// ...)"); "" when the problem concerns the whole file.
	Record string
	Err    error
}

func (e *RecordError) Error() string {
	if e.Record == "" {
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.Path, e.Record, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

var (
	// ErrUnknownFormat: neither the file name nor its first bytes tell the format.
	ErrUnknownFormat = errors.New("unknown input format (use --format)")
	// ErrTooLarge: a record exceeds ReadOptions.MaxRecordBytes.
	ErrTooLarge = errors.New("record too large")
	// ErrNoMatch: a path is neither an existing file or directory nor a glob matching any.
	ErrNoMatch = errors.New("no such file, directory or matching glob")
)

// Inputs streams the articles in paths: files, directories (walked recursively in
// lexical order, skipping hidden entries such as .git and .newsds, release folders and
// a corpus's newsds.yaml: see newsdsOwn) and glob patterns (filepath.Match syntax,
// plus ** for any number of directories; matches skipped as a walk skips them). Gzipped files are
// decompressed. Files are opened one at a time and records read one at a time, so
// memory does not grow with the number or size of inputs.
//
// A problem with a file or record yields a *RecordError and the stream continues.
// When ctx is cancelled the stream yields ctx.Err() once and stops; no other error
// ends it.
func Inputs(ctx context.Context, paths []string, opts ReadOptions) iter.Seq2[Input, error] {
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = config.DefaultMaxFileBytes
	}
	if opts.MaxRatio <= 0 {
		opts.MaxRatio = config.DefaultMaxRatio
	}
	if opts.Stats == nil {
		opts.Stats = new(ReadStats)
	}
	return func(yield func(Input, error) bool) {
		stopped := false // the consumer broke out of its loop: yield must not be called again
		emit := func(in Input, err error) bool {
			if ctx.Err() != nil {
				return false
			}
			if err != nil {
				opts.Stats.Errors.Add(1)
			} else {
				opts.Stats.Inputs.Add(1)
			}
			stopped = !yield(in, err)
			return !stopped
		}
		for f, err := range inputFiles(ctx, paths) {
			if err != nil {
				if !emit(Input{}, err) {
					break
				}
				continue
			}
			if !readInputFile(ctx, f, opts, emit) {
				break
			}
		}
		if err := ctx.Err(); err != nil && !stopped {
			yield(Input{}, err)
		}
	}
}

// InputFiles lists the files Inputs would read for paths, in the same order, without
// opening them: a progress display can sum their sizes. Problems are *RecordErrors.
func InputFiles(ctx context.Context, paths []string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for f, err := range inputFiles(ctx, paths) {
			if !yield(f.path, err) {
				return
			}
		}
	}
}

// inputFile is a file to read; named is true when the user named it (not found by
// walking), so an unknown format is an error rather than a skip. root is the folder
// its provenance path is relative to: the folder named, the fixed part of a glob, or
// the folder of a file named directly.
type inputFile struct {
	path  string
	named bool
	root  string
}

// relPath is the provenance path of a file: relative to root, with forward slashes, so
// the same tree read from another place gives the same paths.
func (f inputFile) relPath() string {
	if f.root != "" {
		if rel, err := filepath.Rel(f.root, f.path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(f.path)
}

func inputFiles(ctx context.Context, paths []string) iter.Seq2[inputFile, error] {
	return func(yield func(inputFile, error) bool) {
		for _, p := range paths {
			if ctx.Err() != nil {
				return
			}
			st, err := os.Stat(p)
			switch {
			case err == nil && st.IsDir():
				if !walkDir(ctx, p, yield) {
					return
				}
			case err == nil:
				if !yield(inputFile{path: p, named: true, root: filepath.Dir(p)}, nil) {
					return
				}
			case errors.Is(err, fs.ErrNotExist) && hasGlobMeta(p):
				if !expandGlob(ctx, p, yield) {
					return
				}
			case errors.Is(err, fs.ErrNotExist):
				if !yield(inputFile{}, &RecordError{Path: p, Err: ErrNoMatch}) {
					return
				}
			default:
				if !yield(inputFile{}, &RecordError{Path: p, Err: err}) {
					return
				}
			}
		}
	}
}

func hasGlobMeta(p string) bool { return strings.ContainsAny(p, `*?[`) }

func isHidden(name string) bool { return len(name) > 1 && name[0] == '.' && name != ".." }

// newsdsOwn tells whether the entry p met in a folder walk is newsds's own output or
// configuration rather than an article: a release folder (it has the manifest), or the
// newsds.yaml of a corpus (beside its store). `newsds ingest .` in a corpus that keeps
// its inputs and releases in it ingested the configuration as a text and the release's
// README and Croissant file as articles.
func newsdsOwn(p string, isDir bool) bool {
	if isDir {
		_, err := os.Stat(filepath.Join(p, schema.ReleaseManifest))
		return err == nil
	}
	if filepath.Base(p) != config.FileName {
		return false
	}
	st, err := os.Stat(filepath.Join(filepath.Dir(p), StoreDir))
	return err == nil && st.IsDir()
}

// walkDir yields the regular files below dir in lexical order. WalkDir reads one
// directory at a time, so memory is bounded by the largest directory, not the tree.
func walkDir(ctx context.Context, dir string, yield func(inputFile, error) bool) bool {
	return walkDirFrom(ctx, dir, dir, yield)
}

// walkDirFrom is walkDir for a folder met inside root (a glob match), so paths stay
// relative to root.
func walkDirFrom(ctx context.Context, root, dir string, yield func(inputFile, error) bool) bool {
	ok := true
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return filepath.SkipAll
		}
		if err != nil {
			if ok = yield(inputFile{}, &RecordError{Path: p, Err: err}); !ok {
				return filepath.SkipAll
			}
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if p != dir && (isHidden(d.Name()) || newsdsOwn(p, d.IsDir())) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Followed only to a file: a link to a directory could loop.
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				return nil //nolint:nilerr // a dangling or non-file link is skipped, not an error
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		if ok = yield(inputFile{path: p, root: root}, nil); !ok {
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil && ok {
		ok = yield(inputFile{}, &RecordError{Path: dir, Err: err})
	}
	return ok
}

// expandGlob yields the files matching pattern. Matched directories are walked.
// A ** segment matches any number of directories, so the part of the pattern before
// it is walked and the rest matched segment by segment against each file.
func expandGlob(ctx context.Context, pattern string, yield func(inputFile, error) bool) bool {
	if !strings.Contains(pattern, "**") {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			return yield(inputFile{}, &RecordError{Path: pattern, Err: fmt.Errorf("glob: %w", err)})
		}
		if len(matches) == 0 {
			return yield(inputFile{}, &RecordError{Path: pattern, Err: ErrNoMatch})
		}
		// The folder before the first wildcard, as for ** patterns; globRoot cannot fail
		// here, Glob has already checked the syntax.
		root, _, _ := globRoot(pattern)
		// A match is skipped as a walk skips it: Go's "*" matches ".newsds" (the shell's
		// does not), and `newsds ingest '*'` in a corpus read its own store and reports.
		dotted := strings.HasPrefix(filepath.Base(pattern), ".")
		for _, m := range matches {
			st, err := os.Stat(m)
			switch {
			case err == nil && ((isHidden(filepath.Base(m)) && !dotted) || newsdsOwn(m, st.IsDir())):
			case err != nil:
				if !yield(inputFile{}, &RecordError{Path: m, Err: err}) {
					return false
				}
			case st.IsDir():
				if !walkDirFrom(ctx, root, m, yield) {
					return false
				}
			case st.Mode().IsRegular():
				if !yield(inputFile{path: m, root: root}, nil) {
					return false
				}
			}
		}
		return true
	}
	root, rest, err := globRoot(pattern)
	if err != nil {
		return yield(inputFile{}, &RecordError{Path: pattern, Err: err})
	}
	found := false
	ok := walkDir(ctx, root, func(f inputFile, err error) bool {
		if err != nil {
			return yield(f, err)
		}
		rel, rerr := filepath.Rel(root, f.path)
		if rerr != nil || !matchSegments(rest, strings.Split(filepath.ToSlash(rel), "/")) {
			return true
		}
		found = true
		return yield(f, nil)
	})
	if ok && !found {
		return yield(inputFile{}, &RecordError{Path: pattern, Err: ErrNoMatch})
	}
	return ok
}

// globRoot splits a ** pattern into the folder before its first wildcard, which is
// walked, and the segments matched against each file below it.
func globRoot(pattern string) (string, []string, error) {
	segs := strings.Split(filepath.ToSlash(pattern), "/")
	i := 0
	for i < len(segs) && !strings.Contains(segs[i], "**") && !hasGlobMeta(segs[i]) {
		i++
	}
	root := filepath.FromSlash(strings.Join(segs[:i], "/"))
	switch {
	case i == 0:
		root = "."
	case root == "":
		root = "/" // the pattern is absolute: "/" split into an empty first segment
	}
	rest := segs[i:]
	for _, s := range rest {
		if _, err := filepath.Match(strings.ReplaceAll(s, "**", "*"), ""); err != nil {
			return "", nil, fmt.Errorf("glob: %w", err)
		}
	}
	return root, rest, nil
}

// matchSegments matches path segments against pattern segments, where a "**" segment
// matches zero or more path segments.
func matchSegments(pat, path []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for k := 0; k <= len(path); k++ {
				if matchSegments(pat[1:], path[k:]) {
					return true
				}
			}
			return false
		}
		if len(path) == 0 {
			return false
		}
		if ok, _ := filepath.Match(pat[0], path[0]); !ok {
			return false
		}
		pat, path = pat[1:], path[1:]
	}
	return len(path) == 0
}

// countingFileReader adds the bytes read to the stats as they are read.
type countingFileReader struct {
	r     io.Reader
	stats *ReadStats
}

func (c countingFileReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.stats.Bytes.Add(int64(n))
	return n, err
}

// sniffLen is how many leading bytes format detection looks at.
const sniffLen = 4096

// readInputFile reads one file and yields its inputs; it returns false when the consumer
// stopped.
func readInputFile(ctx context.Context, f inputFile, opts ReadOptions, yield func(Input, error) bool) bool {
	fail := func(err error) bool { return yield(Input{}, &RecordError{Path: f.path, Err: err}) }
	file, err := os.Open(f.path)
	if err != nil {
		return fail(err)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return fail(err)
	}
	opts.Stats.Files.Add(1)
	stored := &countReader{r: countingFileReader{file, opts.Stats}}
	br := bufio.NewReaderSize(stored, 64<<10)
	budget := &budgetReader{r: br, max: opts.MaxFileBytes, what: "file"}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		// Multi-member streams (per-record gzip, as in .warc.gz) read as one stream.
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fail(fmt.Errorf("gzip: %w", err))
		}
		defer zr.Close()
		budget.r, budget.ratio = zr, opts.MaxRatio
		budget.in = func() int64 { return stored.n }
	}
	body := bufio.NewReaderSize(budget, 64<<10)
	head, err := body.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return fail(fmt.Errorf("read: %w", err))
	}
	if len(head) == 0 {
		if !f.named && formatFromName(f.path) == "" && (opts.Format == "" || opts.Format == FormatAuto) {
			opts.Stats.Skipped.Add(1) // an empty file of no input format met in a folder
			return true
		}
		// Said, not skipped: an empty input is most often a failed download or export.
		return fail(fmt.Errorf("%w: the file holds no bytes", ErrEmpty))
	}
	format := opts.Format
	if format == "" || format == FormatAuto {
		format = formatFromName(f.path)
	}
	if format == "" || format == FormatAuto {
		format = sniffFormat(head)
		if format == "" {
			if !f.named {
				opts.Stats.Skipped.Add(1)
				return true
			}
			return fail(ErrUnknownFormat)
		}
	}
	if format != FormatWARC {
		// A WARC file opens with its version line; its records are sniffed one by one.
		if kind := binaryKind(head); kind != "" {
			return fail(binaryError(kind, format))
		}
	}
	src := inputSource{path: f.path, modTime: st.ModTime(), maxBytes: opts.MaxRecordBytes, maxRatio: opts.MaxRatio,
		stats: opts.Stats, prov: schema.Provenance{Path: f.relPath(), Format: format}, deferJSONL: opts.DeferJSONL, budget: budget, keys: opts.Fields}
	switch format {
	case FormatHTML, FormatText:
		data, err := readLimited(body, opts.MaxRecordBytes)
		if err != nil {
			return fail(err)
		}
		if len(bytes.TrimSpace(data)) == 0 {
			return fail(fmt.Errorf("%w: the file holds only white space", ErrEmpty))
		}
		return yield(Input{Raw: Raw{Data: data, Format: format, Path: f.path, ModTime: src.modTime}, Provenance: src.prov}, nil)
	case FormatWARC:
		return readWARC(ctx, body, src, yield)
	case FormatJSONL:
		return readJSONL(ctx, body, src, yield)
	case FormatJSON:
		return readJSONDocument(ctx, body, src, yield)
	}
	return fail(fmt.Errorf("format %q: want auto, html, warc, jsonl, json or text", format))
}

// inputSource is what the per-format readers need to know about the file.
type inputSource struct {
	path     string
	modTime  time.Time
	maxBytes int64
	// maxRatio bounds the expansion of a record's HTTP codings.
	maxRatio float64
	stats    *ReadStats
	// budget is the file's decompression budget; its error, once tripped, ends the file.
	budget *budgetReader
	// prov is the provenance of the file; readers add the record's place in it.
	prov schema.Provenance
	// deferJSONL is ReadOptions.DeferJSONL.
	deferJSONL bool
	// keys is ReadOptions.Fields.
	keys recordKeys
}

// readLimited reads all of r, failing with ErrTooLarge beyond max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return data, nil
}

// formatFromName maps a file extension (under an optional .gz) to a format, "" if
// the extension says nothing.
func formatFromName(name string) string {
	name = strings.ToLower(filepath.Base(name))
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	case ".warc":
		return FormatWARC
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".json":
		return FormatJSON
	case ".txt", ".text", ".md":
		return FormatText
	}
	return ""
}

// startsObjectList reports whether what follows a "[" opens an array of objects (or an
// empty one): a text scrape may open with "[Updated]".
func startsObjectList(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == ']')
}

// sniffFormat guesses the format from a file's first bytes, "" if it looks binary.
func sniffFormat(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n\f")
	switch {
	case len(trimmed) == 0:
		return ""
	case bytes.HasPrefix(trimmed, []byte("WARC/1.")):
		return FormatWARC
	case trimmed[0] == '<':
		return FormatHTML
	case trimmed[0] == '[' && startsObjectList(trimmed[1:]):
		return FormatJSON
	case trimmed[0] == '{':
		// A lone "{" on the first line is pretty-printed JSON, not JSON lines.
		if line, _, _ := bytes.Cut(trimmed, []byte("\n")); len(bytes.TrimSpace(line)) == 1 {
			return FormatJSON
		}
		return FormatJSONL
	case bytes.IndexByte(head, 0) >= 0:
		// NUL bytes: binary, or UTF-16 text the extractor cannot take either.
		return ""
	}
	return FormatText
}

// CheckInputs verifies, before any work starts, that every path names something to
// read: an existing file that opens, a folder that can be listed, or a glob that matches
// (for a ** pattern: whose folder before the ** can be listed). Inputs reports these
// problems only when it reaches them, as one record error among the others; a mistyped
// argument is the user's error, not a rejected record. Problems deeper in a folder (an
// unreadable sub-folder) stay Inputs' record errors.
func CheckInputs(paths []string) error {
	for _, p := range paths {
		st, err := os.Stat(p)
		switch {
		case err == nil && st.IsDir():
			if err := listable(p); err != nil {
				return fmt.Errorf("%s: folder cannot be read: %w", p, err)
			}
		case err == nil:
			f, err := os.Open(p)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			f.Close()
		case errors.Is(err, fs.ErrNotExist) && hasGlobMeta(p):
			if err := checkGlob(p); err != nil {
				return err
			}
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s: %w", p, ErrNoMatch)
		default:
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// listable reports whether a folder's entries can be read.
func listable(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.ReadDir(1); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// checkGlob is CheckInputs for a pattern.
func checkGlob(pattern string) error {
	if !strings.Contains(pattern, "**") {
		matches, err := filepath.Glob(pattern)
		switch {
		case err != nil:
			return fmt.Errorf("%s: glob: %w", pattern, err)
		case len(matches) == 0:
			return fmt.Errorf("%s: %w", pattern, ErrNoMatch)
		}
		return nil
	}
	root, _, err := globRoot(pattern)
	if err != nil {
		return fmt.Errorf("%s: %w", pattern, err)
	}
	if err := listable(root); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", pattern, ErrNoMatch)
		}
		return fmt.Errorf("%s: folder %s cannot be read: %w", pattern, root, err)
	}
	return nil
}

// provenance is the document's provenance for in, nil when the reader recorded none
// (inputs built by callers of the API rather than by Inputs).
func (in Input) provenance() *schema.Provenance {
	if in.Provenance == (schema.Provenance{}) {
		return nil
	}
	p := in.Provenance
	return &p
}
