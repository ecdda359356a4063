package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/newsds/newsds/internal/testshared"
)

// readTestTree writes files (slash-separated relative names) under a temp dir.
func readTestTree(tb testing.TB, files map[string][]byte) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

func readTestGzip(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

// readTestRel lists inputs as "relative/path format" for compact comparison.
func readTestRel(tb testing.TB, dir string, ins []Input) []string {
	tb.Helper()
	var out []string
	for _, in := range ins {
		rel, err := filepath.Rel(dir, in.Raw.Path)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel)+" "+in.Raw.Format)
	}
	return out
}

func TestInputsWalkAndDetect(t *testing.T) {
	html := []byte("<!DOCTYPE html><html><body><p>page</p></body></html>")
	dir := readTestTree(t, map[string][]byte{
		"b/page.HTM":             html,
		"b/page2.xhtml":          html,
		"b/notes.md":             []byte("# Notes\n\nplain"),
		"a/story.txt":            []byte("A story.\n"),
		"a/story.text.gz":        readTestGzip([]byte("Gzipped story.\n")),
		"a/z/deep.html.gz":       readTestGzip(html),
		"a/z/noext":              []byte("\xef\xbb\xbf  \n<html><body>sniffed</body></html>"),
		"a/z/plain-noext":        []byte("Just some words."),
		"a/z/blob.bin":           {0x89, 'P', 'N', 'G', 0, 0, 0, 13},
		"a/z/empty":              {},
		".git/config.html":       html,
		"a/.newsds/raw.html":     html,
		"a/.hidden.html":         html,
		"c/feed.jsonl.gz":        readTestGzip([]byte(`{"text": "from gz"}` + "\n")),
		"c/unnamed.dat":          []byte(`{"text": "sniffed jsonl"}` + "\n"),
		"c/more.ndjson":          []byte(`{"text": "ndjson"}` + "\n"),
		"c/sub/dir/nested.jsonl": []byte(`{"text": "nested"}` + "\n"),
	})
	// A link to a file is followed; a link to a directory is not (it could loop).
	if err := os.Symlink(filepath.Join(dir, "a", "story.txt"), filepath.Join(dir, "b", "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "a"), filepath.Join(dir, "b", "loop")); err != nil {
		t.Fatal(err)
	}
	var stats ReadStats
	ins, errs := jsonlTestCollect(t, []string{dir}, ReadOptions{Stats: &stats})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := []string{
		"a/story.text.gz text",
		"a/story.txt text",
		"a/z/deep.html.gz html",
		"a/z/noext html",
		"a/z/plain-noext text",
		"b/link.txt text",
		"b/notes.md text",
		"b/page.HTM html",
		"b/page2.xhtml html",
		"c/feed.jsonl.gz ",
		"c/more.ndjson ",
		"c/sub/dir/nested.jsonl ",
		"c/unnamed.dat ",
	}
	if got := readTestRel(t, dir, ins); !slices.Equal(got, want) {
		t.Errorf("walk order/formats:\n got %q\nwant %q", got, want)
	}
	if string(ins[0].Raw.Data) != "Gzipped story.\n" || !bytes.Equal(ins[2].Raw.Data, html) {
		t.Errorf("gzipped contents: %q / %q", ins[0].Raw.Data, ins[2].Raw.Data)
	}
	if ins[2].Raw.Record != "" || !ins[2].Raw.FetchedAt.IsZero() || ins[2].Raw.ModTime.IsZero() || ins[2].Given != nil {
		t.Errorf("plain file raw: %+v", ins[2].Raw)
	}
	// blob.bin and the empty file are skipped while walking, not errors.
	if s := stats.Skipped.Load(); s != 2 {
		t.Errorf("skipped %d files, want 2", s)
	}
	if n := stats.Files.Load(); n != 15 {
		t.Errorf("opened %d files, want 15", n)
	}

	// Named explicitly, an undetectable file is an error; the batch goes on.
	blob := filepath.Join(dir, "a", "z", "blob.bin")
	story := filepath.Join(dir, "a", "story.txt")
	ins, errs = jsonlTestCollect(t, []string{blob, filepath.Join(dir, "nope.html"), story}, ReadOptions{})
	if len(ins) != 1 || ins[0].Raw.Path != story || len(errs) != 2 {
		t.Fatalf("inputs %v, errors %v", readTestRel(t, dir, ins), errs)
	}
	if !errors.Is(errs[0], ErrUnknownFormat) || !strings.HasPrefix(errs[0].Error(), blob+": ") {
		t.Errorf("blob error: %v", errs[0])
	}
	if !errors.Is(errs[1], ErrNoMatch) {
		t.Errorf("missing file error: %v", errs[1])
	}
	// A hidden file named explicitly is read.
	hidden := filepath.Join(dir, "a", ".hidden.html")
	if ins, _ := jsonlTestCollect(t, []string{hidden}, ReadOptions{}); len(ins) != 1 {
		t.Errorf("explicit hidden file: %d inputs", len(ins))
	}
	// A forced format applies to every file, whatever its name.
	ins, errs = jsonlTestCollect(t, []string{filepath.Join(dir, "b")}, ReadOptions{Format: FormatText})
	if got := readTestRel(t, dir, ins); len(errs) != 0 || !slices.Equal(got, []string{"b/link.txt text", "b/notes.md text", "b/page.HTM text", "b/page2.xhtml text"}) {
		t.Errorf("forced text: %q, %v", got, errs)
	}
	if _, errs := jsonlTestCollect(t, []string{story}, ReadOptions{Format: "pdf"}); len(errs) != 1 || !strings.Contains(errs[0].Error(), `format "pdf"`) {
		t.Errorf("bad format: %v", errs)
	}
}

func TestInputsGlobs(t *testing.T) {
	page := []byte("<html><body>x</body></html>")
	dir := readTestTree(t, map[string][]byte{
		"2021/jan/a.html":      page,
		"2021/feb/b.html":      page,
		"2021/feb/c.txt":       []byte("text"),
		"2022/d.html":          page,
		"2022/.cache/e.html":   page,
		"top.html":             page,
		"2023/deep/er/f.html":  page,
		"2023/deep/er/g.jsonl": []byte(`{"text":"g"}`),
	})
	tests := []struct {
		pattern string
		want    []string
	}{
		{"*.html", []string{"top.html html"}},
		{"2021/*/*.html", []string{"2021/feb/b.html html", "2021/jan/a.html html"}},
		{"2021/f*", []string{"2021/feb/b.html html", "2021/feb/c.txt text"}},
		{"**/*.html", []string{"2021/feb/b.html html", "2021/jan/a.html html", "2022/d.html html", "2023/deep/er/f.html html", "top.html html"}},
		{"2023/**", []string{"2023/deep/er/f.html html", "2023/deep/er/g.jsonl "}},
		{"20*/**/f.html", []string{"2023/deep/er/f.html html"}},
	}
	for _, tt := range tests {
		ins, errs := jsonlTestCollect(t, []string{filepath.Join(dir, filepath.FromSlash(tt.pattern))}, ReadOptions{})
		if got := readTestRel(t, dir, ins); len(errs) != 0 || !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q (errors %v)\nwant %q", tt.pattern, got, errs, tt.want)
		}
	}
	for _, pattern := range []string{"*.pdf", "**/*.pdf", "[", "**/["} {
		_, errs := jsonlTestCollect(t, []string{filepath.Join(dir, pattern)}, ReadOptions{})
		var rerr *RecordError
		if len(errs) != 1 || !errors.As(errs[0], &rerr) {
			t.Errorf("%s: errors %v, want one RecordError", pattern, errs)
		}
	}
	var files []string
	for f, err := range InputFiles(context.Background(), []string{filepath.Join(dir, "2021"), filepath.Join(dir, "top.html")}) {
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) != 4 || files[3] != filepath.Join(dir, "top.html") {
		t.Errorf("InputFiles: %q", files)
	}
}

func TestInputsRealFiles(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	cp1256 := testshared.Path(t, "data", "encodings", "cnn_arabic_article.windows-1256.html")
	noCharset := testshared.Path(t, "data", "encodings", "_chromium_windows-1256_with_no_encoding_specified.html")
	ins, errs := jsonlTestCollect(t, []string{seed, cp1256, noCharset}, ReadOptions{})
	if len(errs) != 0 || len(ins) != 3 {
		t.Fatalf("inputs %d, errors %v", len(ins), errs)
	}
	if ins[0].Raw.Format != FormatText || !strings.Contains(string(ins[0].Raw.Data), "إرمان") {
		t.Errorf("seed: format %q", ins[0].Raw.Format)
	}
	for _, in := range ins[1:] {
		want, err := os.ReadFile(in.Raw.Path)
		if err != nil {
			t.Fatal(err)
		}
		// Legacy-charset bytes pass through untouched: decoding is the extractor's job.
		if in.Raw.Format != FormatHTML || !bytes.Equal(in.Raw.Data, want) {
			t.Errorf("%s: format %q, %d bytes", in.Raw.Path, in.Raw.Format, len(in.Raw.Data))
		}
	}
	// A whole directory of real pages streams every page.
	pages := testshared.Path(t, "data", "trafilatura", "pages")
	n := 0
	for in, err := range Inputs(context.Background(), []string{pages}, ReadOptions{}) {
		if err != nil || in.Raw.Format != FormatHTML {
			t.Fatalf("%s: %v (format %q)", in.Raw.Path, err, in.Raw.Format)
		}
		n++
	}
	entries, err := os.ReadDir(pages)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(entries) {
		t.Errorf("read %d pages of %d", n, len(entries))
	}
}

func TestInputsTooLarge(t *testing.T) {
	dir := readTestTree(t, map[string][]byte{"big.html": bytes.Repeat([]byte("<p>x</p>"), 1000), "small.html": []byte("<p>x</p>")})
	ins, errs := jsonlTestCollect(t, []string{dir}, ReadOptions{MaxRecordBytes: 100})
	if len(ins) != 1 || len(errs) != 1 || !errors.Is(errs[0], ErrTooLarge) {
		t.Errorf("inputs %d, errors %v", len(ins), errs)
	}
}

func TestInputsStopAndCancel(t *testing.T) {
	dir := readTestTree(t, map[string][]byte{"a.txt": []byte("a"), "b.txt": []byte("b"), "c.txt": []byte("c")})
	// Breaking out of the loop stops the stream without further calls (a call after
	// break would panic).
	n := 0
	for range Inputs(context.Background(), []string{dir}, ReadOptions{}) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("got %d inputs before break", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var got []string
	var last error
	for in, err := range Inputs(ctx, []string{dir}, ReadOptions{}) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, string(in.Raw.Data))
		cancel()
	}
	if !slices.Equal(got, []string{"a"}) || !errors.Is(last, context.Canceled) {
		t.Errorf("after cancel: inputs %q, last error %v", got, last)
	}
	// Cancelled and broken out of at once: still no call after break.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	for range Inputs(ctx, []string{dir}, ReadOptions{}) {
		cancel()
		break
	}
}

func TestRecordErrorText(t *testing.T) {
	base := errors.New("bad")
	e := &RecordError{Path: "in/x.jsonl", Record: "line 12", Err: base}
	if e.Error() != "in/x.jsonl: line 12: bad" || !errors.Is(e, base) {
		t.Errorf("with record: %q", e.Error())
	}
	if e := (&RecordError{Path: "in/y.html", Err: base}); e.Error() != "in/y.html: bad" {
		t.Errorf("without record: %q", e.Error())
	}
}

func TestInputsModTime(t *testing.T) {
	dir := readTestTree(t, map[string][]byte{"a.html": []byte("<p>a</p>")})
	p := filepath.Join(dir, "a.html")
	mt := time.Date(2022, 1, 12, 4, 0, 0, 0, time.UTC)
	if err := os.Chtimes(p, mt, mt); err != nil {
		t.Fatal(err)
	}
	ins, _ := jsonlTestCollect(t, []string{p}, ReadOptions{})
	if len(ins) != 1 || !ins[0].Raw.ModTime.Equal(mt) || !ins[0].Raw.FetchedAt.IsZero() {
		t.Errorf("modtime %v fetched %v", ins[0].Raw.ModTime, ins[0].Raw.FetchedAt)
	}
}

func TestInputsTruncatedGzip(t *testing.T) {
	var lines []byte
	for i := range 2000 {
		lines = fmt.Appendf(lines, `{"text": "line %d of %x"}`+"\n", i, i*i*7919)
	}
	gzLines := readTestGzip(lines)
	gzPage := readTestGzip(bytes.Repeat([]byte("<p>page</p>"), 1000))
	dir := readTestTree(t, map[string][]byte{
		"cut.jsonl.gz": gzLines[:len(gzLines)/2],
		"cut.html.gz":  gzPage[:len(gzPage)/2],
	})
	ins, errs := jsonlTestCollect(t, []string{filepath.Join(dir, "cut.html.gz"), filepath.Join(dir, "cut.jsonl.gz")}, ReadOptions{})
	if len(errs) != 2 || !strings.HasPrefix(errs[0].Error(), filepath.Join(dir, "cut.html.gz")+": ") {
		t.Fatalf("errors %v, want one per truncated file", errs)
	}
	// The lines before the cut are still read.
	if len(ins) == 0 || len(ins) >= 2000 {
		t.Errorf("read %d lines of a truncated JSONL file", len(ins))
	}
}

// `newsds ingest .` in a corpus that keeps its inputs and releases beside its store read
// newsds.yaml as a text article and the release's README and Croissant file as articles.
// A walk passes over a corpus's configuration and over release folders; a newsds.yaml
// that is not beside a store, or a file named outright, is read as asked.
func TestInputsWalkSkipsNewsdsOwnFiles(t *testing.T) {
	dir := readTestTree(t, map[string][]byte{
		"newsds.yaml":                      []byte("# newsds corpus configuration\n"),
		".newsds/store.db":                 {},
		".newsds/notes.txt":                []byte("Notes kept beside the store.\n"),
		"inputs/story.txt":                 []byte("A story.\n"),
		"release/newsds-release.json":      []byte(`{"format":2}`),
		"release/README.md":                []byte("---\nlicense: cc-by-4.0\n---\n# Dataset card\n"),
		"release/croissant.json":           []byte(`{"@context":{}}`),
		"release/data/train/part-0.txt":    []byte("not an input"),
		"other/newsds.yaml":                []byte("title: an article that happens to have this name\n"),
		"notes/releases-of-the-company.md": []byte("A press release about releases.\n"),
	})
	ins, errs := jsonlTestCollect(t, []string{dir}, ReadOptions{})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := []string{"inputs/story.txt text", "notes/releases-of-the-company.md text", "other/newsds.yaml text"}
	if got := readTestRel(t, dir, ins); !slices.Equal(got, want) {
		t.Errorf("walked %q, want %q", got, want)
	}
	// A glob skips what a walk skips; Go's "*" matches hidden names, the shell's does not.
	ins, errs = jsonlTestCollect(t, []string{filepath.Join(dir, "*")}, ReadOptions{})
	if got := readTestRel(t, dir, ins); len(errs) != 0 || !slices.Equal(got, want) {
		t.Errorf("globbed %q (errors %v), want %q", got, errs, want)
	}
	ins, errs = jsonlTestCollect(t, []string{filepath.Join(dir, "newsds.yaml")}, ReadOptions{})
	if len(errs) != 0 || len(ins) != 1 {
		t.Errorf("named outright: %d inputs, errors %v; want the file read", len(ins), errs)
	}
	ins, errs = jsonlTestCollect(t, []string{filepath.Join(dir, ".news*/*.txt")}, ReadOptions{})
	if len(errs) != 0 || len(ins) != 1 {
		t.Errorf("a glob for dotted names: %d inputs, errors %v; want the file it names", len(ins), errs)
	}
}
