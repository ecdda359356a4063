package annotate

import (
	"context"
	"errors"

	"github.com/newsds/newsds/schema"
)

// An import file usually has many records per document (one per region, per person,
// per task), so the importer keeps the documents it looked up, with their offset
// indexes: a record then costs a map lookup and a few slices, never a store query or a
// walk over the text. The cache is bounded by count and by text size, so a file over
// many large documents does not keep them all.
const (
	docCacheEntries = 64
	docCacheBytes   = 64 << 20
)

type impDoc struct {
	doc schema.Document
	err error
	ti  *schema.TextIndex
	// u16 converts UTF-16 offsets; built on the first conversion.
	u16 *schema.UTF16Index
}

type docCache struct {
	m     map[string]*impDoc
	order []string
	bytes int
}

func newDocCache() *docCache { return &docCache{m: map[string]*impDoc{}} }

func (c *docCache) get(ctx context.Context, docs DocumentLookup, id string) *impDoc {
	if d, ok := c.m[id]; ok {
		return d
	}
	d := &impDoc{}
	d.doc, d.err = docs.Document(ctx, id)
	if d.err != nil && (errors.Is(d.err, context.Canceled) || errors.Is(d.err, context.DeadlineExceeded)) {
		return d
	}
	if d.err == nil {
		d.doc.ContentHash = impHash(&d.doc)
		d.ti = schema.NewTextIndex(d.doc.Text)
	}
	for len(c.order) > 0 && (len(c.order) >= docCacheEntries || c.bytes+len(d.doc.Text) > docCacheBytes) {
		old := c.m[c.order[0]]
		c.bytes -= len(old.doc.Text)
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[id] = d
	c.order = append(c.order, id)
	c.bytes += len(d.doc.Text)
	return d
}

// index is the text index of a document lookup returned (built anew if it has been
// evicted since).
func (im *importer) index(doc *schema.Document) *schema.TextIndex {
	if d, ok := im.docs.m[doc.ID]; ok && d.ti != nil && &d.doc == doc {
		return d.ti
	}
	return schema.NewTextIndex(doc.Text)
}

// utf16ToCP is schema.UTF16ToCP over a looked-up document, in O(log n).
func (im *importer) utf16ToCP(doc *schema.Document, u int) (int, error) {
	d, ok := im.docs.m[doc.ID]
	if !ok || &d.doc != doc {
		return schema.UTF16ToCP(doc.Text, u)
	}
	if d.u16 == nil {
		d.u16 = schema.NewUTF16Index(doc.Text)
	}
	return d.u16.ToCP(u)
}
