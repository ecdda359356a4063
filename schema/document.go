// Package schema holds the record types shared by every part of newsds: documents,
// annotations and their items, the label sets, offset conversions, and the Arrow schema of
// each release config. It does no I/O, so every other package can depend on it.
package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
)

// Document is one article in a corpus. Its JSON form is the stable export contract
// documented in docs/export.md: field names and meanings never change without a
// format version bump.
type Document struct {
	// ID is stable across re-ingests: derived from the canonical URL when known, else from
	// source + title + published date (see corpus.DocumentID).
	ID       string   `json:"id"`
	URL      string   `json:"url"`
	Source   string   `json:"source"`
	SiteName string   `json:"site_name"`
	Title    string   `json:"title"`
	Byline   []string `json:"byline"`
	// Published is RFC 3339 with an explicit offset, or "" when unknown.
	Published string `json:"published"`
	Section   string `json:"section"`
	// Lang is an ISO 639-1 code, or "" when it could not be identified.
	Lang string `json:"lang"`
	// Text is the clean body: NFC, paragraphs separated by one blank line ("\n\n").
	Text string `json:"text"`
	// ContentHash is the hex sha256 of Text's UTF-8 bytes.
	ContentHash string `json:"content_hash"`
	// RawHash is the hex sha256 of the input bytes the document was extracted from.
	RawHash string `json:"raw_hash"`
	// IngestedAt is RFC 3339 (UTC) of the ingest that first stored this content.
	IngestedAt string `json:"ingested_at"`
	// Meta holds everything else found: tags, description, canonical_url, views, and
	// dup_of (the id of the document this one duplicates) when dedup marked it.
	Meta map[string]any `json:"meta"`
	// Provenance says where the stored revision was read from; nil for documents stored
	// before newsds recorded it or put through the API without one. Like IngestedAt it
	// does not make a revision new: the same input read again from another folder is
	// unchanged and keeps the provenance it was first stored with.
	Provenance *Provenance `json:"provenance,omitempty"`
}

// Provenance locates the input a document was read from. Empty fields are omitted.
type Provenance struct {
	// Path is the input file, relative to the ingest root (the folder or the fixed
	// part of the glob named on the command line; for a file named directly, its
	// folder), with forward slashes.
	Path string `json:"path,omitempty"`
	// Format is the input format the file was read as: html, warc, jsonl, json or text.
	Format string `json:"format,omitempty"`
	// WARCRecordID is the WARC-Record-ID of the response record, angle brackets included.
	WARCRecordID string `json:"warc_record_id,omitempty"`
	// WARCOffset is the byte offset of the record's "WARC/1.x" line in the WARC stream;
	// for a gzipped file, in the decompressed stream. Nil when not a WARC record.
	WARCOffset *int64 `json:"warc_offset,omitempty"`
	// Line is the 1-based line of a JSONL record; 0 when not JSONL.
	Line int64 `json:"line,omitempty"`
	// Item is the 1-based position of an article in a JSON array; 0 otherwise.
	Item int64 `json:"item,omitempty"`
}

// MetaDupOf is the Meta key naming the document a duplicate was matched to.
const MetaDupOf = "dup_of"

// DupOf returns the id this document duplicates, or "".
func (d Document) DupOf() string {
	if d.Meta == nil {
		return ""
	}
	s, _ := d.Meta[MetaDupOf].(string)
	return s
}

// Meta keys where HTML extraction keeps the bold type the plain text loses. Interviews on
// the web set their questions in bold; the Q&A annotator reads both keys.
const (
	// MetaBoldParagraphs lists the 0-based indexes (ascending) of the paragraphs of Text
	// (SplitParagraphs) the page set entirely in bold, headings below the headline
	// included (browsers set them bold).
	MetaBoldParagraphs = "bold_paragraphs"
	// MetaBoldLeads lists the paragraphs that open with a bold run and go on in plain type
	// ("<b>How did you start?</b> My grandmother."), each as a BoldLead.
	MetaBoldLeads = "bold_leads"
	// MetaItalicParagraphs lists the 0-based indexes (ascending) of the paragraphs the
	// page set entirely in italics (<i>, <em>), as MetaBoldParagraphs does for bold: some
	// magazines set their questions so.
	MetaItalicParagraphs = "italic_paragraphs"
)

// MetaInterviewCredit is true when the byline the document was found with credited an
// interviewer ("حاوره: X", "حوار: X", "Interview by X"): the stored byline keeps the name
// only, and the label is evidence that the article is an interview.
const MetaInterviewCredit = "interview_credit"

// CreditsInterview reports Meta["interview_credit"].
func (d Document) CreditsInterview() bool {
	v, _ := d.Meta[MetaInterviewCredit].(bool)
	return v
}

// BoldLead is a paragraph's opening bold run: the first Length code points of paragraph
// Paragraph (0-based, as SplitParagraphs counts) of Text. The fields are in the order of
// their JSON keys, as a decoded map re-encodes them: a stored document then hashes as the
// one extraction just produced, and re-ingesting it is found unchanged.
type BoldLead struct {
	Length    int `json:"length"`
	Paragraph int `json:"paragraph"`
}

// BoldParagraphs returns Meta["bold_paragraphs"], as extraction set it ([]int) or as
// decoded from stored JSON ([]any of numbers); entries that are not whole numbers are
// dropped.
func (d Document) BoldParagraphs() []int { return d.paragraphIndexes(MetaBoldParagraphs) }

// ItalicParagraphs returns Meta["italic_paragraphs"], read as BoldParagraphs reads its key.
func (d Document) ItalicParagraphs() []int { return d.paragraphIndexes(MetaItalicParagraphs) }

func (d Document) paragraphIndexes(key string) []int {
	switch v := d.Meta[key].(type) {
	case []int:
		return v
	case []any:
		var out []int
		for _, e := range v {
			if i, ok := wholeNumber(e); ok {
				out = append(out, i)
			}
		}
		return out
	}
	return nil
}

// BoldLeads returns Meta["bold_leads"], as extraction set it or as decoded from stored
// JSON (objects with the keys paragraph and length); malformed entries are dropped.
func (d Document) BoldLeads() []BoldLead {
	switch v := d.Meta[MetaBoldLeads].(type) {
	case []BoldLead:
		return v
	case []any:
		var out []BoldLead
		for _, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			p, okP := wholeNumber(m["paragraph"])
			n, okN := wholeNumber(m["length"])
			if okP && okN && p >= 0 && n > 0 {
				out = append(out, BoldLead{Paragraph: p, Length: n})
			}
		}
		return out
	}
	return nil
}

// wholeNumber reads an integer from a decoded JSON value (float64 or json.Number) or an
// int.
func wholeNumber(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int(x), true
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i), true
		}
	}
	return 0, false
}

// Paragraphs returns the paragraphs of Text with their code-point offsets, in order.
func (d Document) Paragraphs() []Paragraph { return SplitParagraphs(d.Text) }

// Paragraph is one paragraph of a document's text; Start and End are code-point offsets
// into the text ([Start, End)), so text[Start:End] in Python is Text.
type Paragraph struct {
	Start, End int
	Text       string
}

// SplitParagraphs splits text on blank lines ("\n\n") and reports code-point offsets.
// Paragraphs made only of whitespace are skipped.
func SplitParagraphs(text string) []Paragraph {
	var out []Paragraph
	cp := 0       // code-point offset of the current rune
	start := 0    // byte offset of the current paragraph
	startCP := 0  // code-point offset of the current paragraph
	newlines := 0 // consecutive '\n' seen
	lastByte := 0 // byte offset just past the last non-newline rune
	lastCP := 0   // code-point offset just past the last non-newline rune
	flush := func() {
		if lastByte > start {
			p := text[start:lastByte]
			if !isBlank(p) {
				out = append(out, Paragraph{Start: startCP, End: lastCP, Text: p})
			}
		}
	}
	for i, r := range text {
		if r == '\n' {
			newlines++
			cp++
			continue
		}
		if newlines >= 2 {
			flush()
			start, startCP = i, cp
		}
		newlines = 0
		cp++
		lastByte = i + len(string(r))
		lastCP = cp
	}
	flush()
	return out
}

func isBlank(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\r', '\n', '\u00a0':
		default:
			return false
		}
	}
	return true
}

// SHA256Hex is the hash used for content_hash, raw_hash and every checksum newsds writes.
func SHA256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ContentHash is the content_hash of a text.
func ContentHash(text string) string { return SHA256Hex([]byte(text)) }

// Record is one document with its annotations: the unit that flows from the store to
// exports, releases and validation. Its JSON form is the document's fields plus
// "annotations".
type Record struct {
	Document
	Annotations []Annotation `json:"annotations"`
}
