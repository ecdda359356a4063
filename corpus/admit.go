package corpus

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/newsds/newsds/schema"
)

// What ingest admits is what validate accepts: the rules on ids, languages and URLs
// are defined here once and called by both (validate's doc-id, doc-lang and doc-url
// rules). At ingest the rule is:
//
//   - a field the input states explicitly (a JSONL or JSON record's id, lang, url) that
//     breaks a rule rejects the record, located, with the rule's message: ingest does not
//     guess what the producer meant;
//   - a field newsds found itself (a page's <html lang>, a WARC-Target-URI, a URL
//     resolved from the page) that breaks a rule is dropped: the language is detected
//     from the text instead, and a dropped URL is noted in meta.url_note.
//
// Control characters never enter stored text: NUL, the other C0 controls except tab
// and line feed, DEL and the C1 controls (U+0080-U+009F) are stripped from the text,
// title, byline, section, site name and every string in meta, after which the text is
// put in NFC again (a control between a letter and its combining mark kept them apart).
// Stripping, not rejecting: one stray byte in a long article should not lose it, and
// binary files (where such bytes are the content) are rejected earlier by sniffing.

// CheckID returns why id is not a valid document id, or "".
func CheckID(id string) string {
	switch {
	case id == "":
		return "document has no id"
	case !utf8.ValidString(id) || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Sprintf("document id %q contains spaces, control characters or invalid UTF-8", id)
	}
	return ""
}

// withdrawnLang are withdrawn ISO 639-1 codes that language tag registries still
// accept, with their replacements.
var withdrawnLang = map[string]string{"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro", "sh": "sr, hr or bs", "bh": "bho, mai or mag"}

// CheckLang returns why code is not an ISO 639-1 code, or "".
func CheckLang(code string) string {
	if len(code) != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z' {
		return fmt.Sprintf("lang %q is not a two-letter lower-case ISO 639-1 code", code)
	}
	if repl, ok := withdrawnLang[code]; ok {
		return fmt.Sprintf("lang %q is a withdrawn ISO 639-1 code; use %s", code, repl)
	}
	if _, err := language.ParseBase(code); err != nil {
		return fmt.Sprintf("lang %q is not an ISO 639-1 language code", code)
	}
	return ""
}

// CheckURL returns why raw is not an absolute http(s) URL with a host, or "". A
// javascript:, data: or file: URL is refused here.
func CheckURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Sprintf("url %q does not parse: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Sprintf("url %q is not an absolute http(s) URL", raw)
	}
	if u.Host == "" {
		return fmt.Sprintf("url %q has no host", raw)
	}
	return ""
}

// admitDocument applies the rules above to a prepared document before its id and
// hashes are computed; given is the record's explicit fields (nil for pages).
func admitDocument(doc *schema.Document, given *GivenFields) error {
	doc.Text = stripControls(doc.Text, true)
	// Its paragraphs are in NFC already when they came through cleanParagraph, but a
	// control stripped between a letter and its mark may have joined them.
	doc.Text = toNFC(doc.Text)
	if strings.TrimSpace(doc.Text) == "" {
		return ErrNoText
	}
	doc.Title = stripControls(doc.Title, false)
	doc.Section = stripControls(doc.Section, false)
	doc.SiteName = stripControls(doc.SiteName, false)
	for i, b := range doc.Byline {
		doc.Byline[i] = stripControls(b, false)
	}
	for k, v := range doc.Meta {
		doc.Meta[k] = stripControlsAny(v)
	}

	if doc.ID != "" {
		if msg := CheckID(doc.ID); msg != "" {
			return errors.New(msg)
		}
	}
	if given != nil && strings.TrimSpace(given.Lang) != "" {
		if msg := CheckLang(langCode(given.Lang)); msg != "" {
			return fmt.Errorf("lang %q: %s", given.Lang, msg)
		}
	}
	if doc.Lang != "" && CheckLang(doc.Lang) != "" {
		doc.Lang = DetectLang(doc.Title + "\n" + doc.Text)
	}
	if doc.URL != "" {
		if msg := CheckURL(doc.URL); msg != "" {
			if given != nil && given.URL == doc.URL {
				return errors.New(msg)
			}
			note := msg + "; dropped"
			if prev, _ := doc.Meta[MetaURLNote].(string); prev != "" {
				note = prev + "; " + note
			}
			if doc.Meta == nil {
				doc.Meta = map[string]any{}
			}
			doc.Meta[MetaURLNote] = note
			doc.URL = ""
		}
	}
	return nil
}

// isStrippedControl reports the characters stored text never holds (see above).
func isStrippedControl(r rune, keepNewline bool) bool {
	switch {
	case r == '\t':
		return false
	case r == '\n':
		return !keepNewline
	case r < 0x20, r == 0x7f:
		return true
	}
	return r >= 0x80 && r <= 0x9f
}

// stripControls removes the control characters stored text never holds; keepNewline
// keeps line feeds (paragraph breaks of the body text).
func stripControls(s string, keepNewline bool) string {
	if !hasStrippedControl(s, keepNewline) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isStrippedControl(r, keepNewline) {
			if !keepNewline && r == '\n' {
				return ' '
			}
			return -1
		}
		return r
	}, s)
}

// hasStrippedControl reports whether s holds a rune isStrippedControl strips, byte by
// byte: such a rune is an ASCII byte or U+0080–U+009F, which is 0xC2 then 0x80–0x9F.
// Neither byte 0xC2 nor an ASCII byte can continue a UTF-8 sequence, so ranging over s
// decodes each of them as a rune's first byte, valid UTF-8 or not; the byte scan
// finds what the rune scan would, without decoding every rune of a long text.
func hasStrippedControl(s string, keepNewline bool) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\t':
		case c == '\n':
			if !keepNewline {
				return true
			}
		case c < 0x20, c == 0x7f:
			return true
		case c == 0xc2:
			if i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f {
				return true
			}
		}
	}
	return false
}

// stripControlsAny strips controls from every string in a decoded JSON value.
func stripControlsAny(v any) any {
	switch x := v.(type) {
	case string:
		return stripControls(x, true)
	case []any:
		for i := range x {
			x[i] = stripControlsAny(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = stripControlsAny(x[k])
		}
	case []string:
		for i := range x {
			x[i] = stripControls(x[i], true)
		}
	}
	return v
}
