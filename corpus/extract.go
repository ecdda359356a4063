package corpus

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// Raw is one input article before extraction.
type Raw struct {
	// Data is the input as read, in any charset.
	Data []byte
	// Format is "html" or "text" (the caller has detected it).
	Format string
	// URL is the known URL (WARC target, JSONL url), "" if none.
	URL string
	// ContentType is the HTTP Content-Type header if known (charset hint).
	ContentType string
	// FetchedAt is the crawl/fetch time if known; zero if unknown.
	FetchedAt time.Time
	// ModTime is the input file's modification time, the next best upper bound for the
	// publication date when FetchedAt is unknown; zero if unknown.
	ModTime time.Time
	// Path is the file path, for error messages.
	Path string
	// Record locates the record inside the file ("line 12", "record 3"), for errors.
	Record string
}

// ExtractOptions configure Extract. The zero value extracts with no site rules, in UTC.
type ExtractOptions struct {
	// Source is the configured source: CSS selectors, boilerplate markers, site name, lang.
	Source    config.Source
	SourceKey string
	// Location is the zone for dates written without an offset (nil = UTC).
	Location *time.Location
	// Now is only the last-resort upper bound for dates, used when the input has neither
	// FetchedAt nor ModTime. Leave it zero for results that never depend on the run day:
	// relative and yearless dates then stay unresolved instead of being guessed.
	Now time.Time
}

// Raw.Format values Extract accepts (the readers' FormatHTML and FormatText).
const (
	rawHTML = "html"
	rawText = "text"
)

// ErrNoText is returned (wrapped with the input's location) when no body text was found.
var ErrNoText = errors.New("no body text found")

// ExtractError names the input an extraction failed on.
type ExtractError struct {
	Path, Record string
	Err          error
}

func (e *ExtractError) Error() string {
	where := e.Path
	if e.Record != "" {
		if where != "" {
			where += " "
		}
		where += e.Record
	}
	if where == "" {
		return "extract: " + e.Err.Error()
	}
	return where + ": extract: " + e.Err.Error()
}

func (e *ExtractError) Unwrap() error { return e.Err }

// Extract turns one raw article into a document: URL, SiteName, Title, Byline, Published
// (RFC 3339 with offset, or ""), Section, Lang (ISO 639-1, or ""), Text (NFC, paragraphs
// separated by one blank line, each trimmed) and Meta (description, tags, canonical_url,
// image, views, ...; JSON values only). ID, Source, ContentHash, RawHash and IngestedAt are
// left to the ingest pipeline. It fails with an *ExtractError wrapping ErrNoText when the
// input has no body text.
//
// Dates are bounded by the crawl time: raw.FetchedAt, else raw.ModTime, else opts.Now; with
// none of these, relative ("3 hours ago") and yearless dates are not resolved.
func Extract(raw Raw, opts ExtractOptions) (schema.Document, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	var (
		doc  schema.Document
		bold boldRuns
		err  error
	)
	switch raw.Format {
	case rawHTML:
		doc, bold, err = extractHTML(raw, opts)
	case rawText:
		doc, err = extractScrape(raw, opts)
	default:
		err = fmt.Errorf("unknown format %q (want %q or %q)", raw.Format, rawHTML, rawText)
	}
	if err != nil {
		return schema.Document{}, &ExtractError{Path: raw.Path, Record: raw.Record, Err: err}
	}
	doc.Title = cleanLine(doc.Title)
	paras := strings.Split(doc.Text, "\n\n")
	for len(paras) > 0 && cleanParagraph(paras[0]) == "" {
		paras = paras[1:]
	}
	// The headline is metadata; HTML extractors keep it as the first block of the body.
	if len(paras) > 1 && doc.Title != "" && cleanLine(paras[0]) == doc.Title {
		paras = paras[1:]
	}
	paras = cleanParagraphs(paras)
	if raw.Format == rawHTML {
		var writer string
		var metaNames []string
		paras, writer = cutCreditsBlock(paras)
		paras, metaNames = dropPostMeta(paras)
		paras = trimTail(dropCredits(paras))
		if len(doc.Byline) == 0 && writer != "" {
			doc.Byline = []string{writer}
		}
		if len(doc.Byline) == 0 && len(metaNames) > 0 {
			site := siteKeys(doc.SiteName, doc.URL)
			for _, n := range metaNames {
				if !site[siteKey(n)] {
					doc.Byline = append(doc.Byline, n)
				}
			}
		}
	}
	doc.Text = strings.Join(paras, "\n\n")
	if doc.Text == "" {
		return schema.Document{}, &ExtractError{Path: raw.Path, Record: raw.Record, Err: ErrNoText}
	}
	doc.Section = cleanLine(doc.Section)
	doc.SiteName = cleanLine(doc.SiteName)
	if doc.SiteName == "" {
		doc.SiteName = opts.Source.SiteName
	}
	doc.Byline = cleanNames(doc.Byline)
	if doc.Lang == "" {
		doc.Lang = DetectLang(doc.Title + "\n" + doc.Text)
	}
	if doc.Lang == "" {
		doc.Lang = langCode(opts.Source.Lang)
	}
	if doc.Meta == nil {
		doc.Meta = map[string]any{}
	}
	whole, leads, italic := boldMeta(doc.Text, bold)
	if len(whole) > 0 {
		doc.Meta[schema.MetaBoldParagraphs] = whole
	}
	if len(leads) > 0 {
		doc.Meta[schema.MetaBoldLeads] = leads
	}
	if len(italic) > 0 {
		doc.Meta[schema.MetaItalicParagraphs] = italic
	}
	return doc, nil
}

// upperBound is the latest time the article can have been published.
func upperBound(raw Raw, opts ExtractOptions) time.Time {
	switch {
	case !raw.FetchedAt.IsZero():
		return raw.FetchedAt
	case !raw.ModTime.IsZero():
		return raw.ModTime
	}
	return opts.Now
}

// formatPublished renders a parsed date as RFC 3339 with its offset.
func formatPublished(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// joinParagraphs cleans each paragraph and joins the non-empty ones with a blank line.
func joinParagraphs(paras []string) string {
	return strings.Join(cleanParagraphs(paras), "\n\n")
}

// cleanParagraphs cleans each paragraph (cleanParagraph) and drops the empty ones.
func cleanParagraphs(paras []string) []string {
	out := make([]string, 0, len(paras))
	for _, p := range paras {
		if p = cleanParagraph(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// isInvisible reports the formatting characters cleanLine removes: zero-width space, BOM,
// soft hyphen and bidi controls (ZWNJ and ZWJ are kept: Persian spelling needs them).
func isInvisible(r rune) bool {
	return r == '\u200b' || r == '\ufeff' || r == '\u00ad' || r == '\u200e' || r == '\u200f' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// cleanNames trims names, drops empty ones and duplicates (case-insensitively), in order.
func cleanNames(names []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, n := range names {
		n = strings.Trim(cleanLine(n), " ,;:|-–—")
		k := strings.ToLower(n)
		if n == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, n)
	}
	return out
}

// langCode reduces a language tag ("ar-QA", "en_US") to its ISO 639-1 part.
func langCode(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) != 2 {
		return ""
	}
	return tag
}
