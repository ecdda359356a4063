// Package synth builds deterministic synthetic news corpora for the scale benchmark
// (bench/scale) from the text of the shared test pages: Arabic and English paragraphs
// recombined into JSONL articles of 3–8 KB. It depends on nothing of newsds, so the
// inputs stay the same when the extractor changes and runs can be compared.
package synth

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Pool holds the paragraphs documents are made of, by language.
type Pool struct {
	AR, EN []string
}

// sources are the folders of shared/data whose pages and texts are read, in this order.
var sources = []string{"trafilatura", "readability", "htmldate", "newspaper4k", "interviews", "stance_ar"}

// sentencesPerParagraph groups the one-sentence fields of CSV files (news headlines and
// claims) into paragraphs.
const sentencesPerParagraph = 4

// minParagraph drops navigation crumbs, captions and bylines: a paragraph of news
// prose is longer than this many bytes.
const minParagraph = 80

var (
	paragraphRE = regexp.MustCompile(`(?is)<p[\s>].*?</p>`)
	tagRE       = regexp.MustCompile(`(?s)<[^>]*>`)
)

// LoadPool reads every UTF-8 .html and .txt file under the source folders of shared
// (the shared folder, holding data/), keeps paragraphs that are clearly Arabic or
// clearly English, and drops repeated ones. Files are read in lexical order, so the pool
// is the same on every machine.
func LoadPool(shared string) (*Pool, error) {
	p := &Pool{}
	seen := map[string]bool{}
	for _, src := range sources {
		dir := filepath.Join(shared, "data", src)
		var files []string
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := filepath.Ext(path); !d.IsDir() && (ext == ".html" || ext == ".htm" || ext == ".txt" || ext == ".csv") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("synth: read %s: %w", dir, err)
		}
		slices.Sort(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("synth: %w", err)
			}
			if !utf8.Valid(data) {
				continue // legacy charsets: decoding them is the extractor's job, not this one's
			}
			var paras []string
			switch filepath.Ext(f) {
			case ".txt":
				paras = strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
			case ".csv":
				if paras, err = csvParagraphs(data); err != nil {
					return nil, fmt.Errorf("synth: %s: %w", f, err)
				}
			default:
				for _, m := range paragraphRE.FindAllString(string(data), -1) {
					paras = append(paras, html.UnescapeString(tagRE.ReplaceAllString(m, " ")))
				}
			}
			for _, para := range paras {
				para = strings.Join(strings.Fields(para), " ")
				if len(para) < minParagraph || seen[para] {
					continue
				}
				seen[para] = true
				switch language(para) {
				case "ar":
					p.AR = append(p.AR, para)
				case "en":
					p.EN = append(p.EN, para)
				}
			}
		}
	}
	if len(p.AR) < 50 || len(p.EN) < 50 {
		return nil, fmt.Errorf("synth: %s gave %d Arabic and %d English paragraphs; want at least 50 of each", shared, len(p.AR), len(p.EN))
	}
	return p, nil
}

// csvParagraphs joins the distinct text fields of a CSV file (header left out), in
// file order, into paragraphs of sentencesPerParagraph sentences.
func csvParagraphs(data []byte) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var paras, group []string
	seen := map[string]bool{}
	for i, rec := range recs {
		if i == 0 {
			continue
		}
		for _, f := range rec {
			f = strings.TrimSpace(f)
			if len(f) < 20 || seen[f] || language(f) == "" {
				continue
			}
			seen[f] = true
			if !strings.ContainsAny(f[len(f)-1:], ".!?") {
				f += "."
			}
			group = append(group, f)
			if len(group) == sentencesPerParagraph {
				paras = append(paras, strings.Join(group, " "))
				group = group[:0]
			}
		}
	}
	return paras, nil
}

var englishWords = map[string]bool{"the": true, "and": true, "of": true, "to": true, "in": true, "is": true, "that": true, "for": true, "with": true, "was": true}

// language is "ar" for a paragraph mostly in Arabic letters, "en" for one in Latin
// letters with enough English function words, else "".
func language(s string) string {
	letters, arabic, latin := 0, 0, 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case r < 0x250:
			latin++
		}
	}
	switch {
	case letters == 0:
		return ""
	case arabic*10 >= letters*9:
		return "ar"
	case latin*20 < letters*19:
		return ""
	}
	words := strings.Fields(strings.ToLower(s))
	n := 0
	for _, w := range words {
		if englishWords[strings.Trim(w, ".,;:!?\"'()")] {
			n++
		}
	}
	if n*100 >= len(words)*15 {
		return "en"
	}
	return ""
}

// Doc is one synthetic article.
type Doc struct {
	N         int
	Lang      string
	URL       string
	Title     string
	Published string
	Text      string
}

// Size bounds of a document's text in bytes.
const (
	MinBytes = 3000
	MaxBytes = 8000
)

// Generate returns document n of a corpus: its language alternates with n's parity,
// its length and paragraphs come from a PRNG seeded with n, so any document can be
// made alone and equal documents come out on every run. A changed document (the same
// article edited) keeps its URL and title and gets one paragraph more.
func (p *Pool) Generate(n int, changed bool) Doc {
	r := rand.New(rand.NewPCG(uint64(n), 0x6e657773))
	lang, pool := "en", p.EN
	if n%2 == 1 {
		lang, pool = "ar", p.AR
	}
	target := MinBytes + r.IntN(MaxBytes-MinBytes-minParagraph*20)
	var b strings.Builder
	var first string
	for b.Len() < target {
		para := pool[r.IntN(len(pool))]
		if b.Len()+len(para)+2 > MaxBytes {
			if b.Len() >= MinBytes {
				break
			}
			para = cut(para, MaxBytes-b.Len()-2)
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		} else {
			first = para
		}
		b.WriteString(para)
	}
	if changed {
		extra := pool[r.IntN(len(pool))]
		text := b.String()
		for len(text)+len(extra)+2 > MaxBytes {
			// Keep the size bounds: the edit replaces the last paragraph.
			i := strings.LastIndex(text, "\n\n")
			if i < 0 {
				break
			}
			text = text[:i]
		}
		b.Reset()
		b.WriteString(text + "\n\n" + extra)
	}
	day := time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, n%1500).Add(time.Duration(n%600) * time.Minute)
	return Doc{
		N:         n,
		Lang:      lang,
		URL:       "https://bench.newsds.example/" + lang + "/" + strconv.Itoa(n),
		Title:     title(first) + " (" + strconv.Itoa(n) + ")",
		Published: day.Format(time.RFC3339),
		Text:      b.String(),
	}
}

// title is the first words of a paragraph, as a headline.
func title(para string) string {
	words := strings.Fields(para)
	return strings.Join(words[:min(len(words), 9)], " ")
}

// cut shortens s to at most max bytes on a word boundary.
func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	return strings.ToValidUTF8(s, "")
}

// WriteJSONL writes documents [from, to) as newsds JSONL lines; documents for which
// changed(n) is true are written in their edited form.
func (p *Pool) WriteJSONL(w io.Writer, from, to int, changed func(int) bool) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for n := from; n < to; n++ {
		d := p.Generate(n, changed != nil && changed(n))
		line := `{"url":` + strconv.Quote(d.URL) + `,"source":"bench","title":` + quote(d.Title) +
			`,"published":` + strconv.Quote(d.Published) + `,"text":` + quote(d.Text) + "}\n"
		if _, err := bw.WriteString(line); err != nil {
			return fmt.Errorf("synth: write: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synth: write: %w", err)
	}
	return nil
}

// WriteJSONLFile is WriteJSONL into a new file at path.
func (p *Pool) WriteJSONLFile(path string, from, to int, changed func(int) bool) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := p.WriteJSONL(f, from, to, changed); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// quote is a JSON string: strconv.Quote's escapes are JSON's except \x and \U (which
// valid UTF-8 without control characters never produces) and it escapes less.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ErrNoShared is returned by FindShared when no shared folder is found.
var ErrNoShared = errors.New("shared test data not found: pass -shared or set NEWSDS_SHARED")

// FindShared returns $NEWSDS_SHARED, else ../shared from the working folder (the
// repository root), else ErrNoShared.
func FindShared() (string, error) {
	for _, d := range []string{os.Getenv("NEWSDS_SHARED"), filepath.Join("..", "shared")} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(d, "data")); err == nil && st.IsDir() {
			return d, nil
		}
	}
	return "", ErrNoShared
}
