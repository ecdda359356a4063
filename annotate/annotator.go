// Package annotate attaches annotation layers to corpus documents: the built-in
// annotators (qa, sentiment, stance), external ones (command, http), imported human
// labels, agreement between annotators, and scoring against gold data.
package annotate

import (
	"context"

	"github.com/newsds/newsds/schema"
)

// Annotator makes the items of one layer for one document. It knows nothing of the
// store: the runner hands it documents and saves what it returns.
type Annotator interface {
	// Info identifies the annotator; its ParamsHash covers every parameter that changes
	// its output, so that re-running with the same Info over the same text is a no-op.
	Info() schema.Annotator
	// Layer is the layer the items belong to.
	Layer() string
	// Annotate returns the items for doc, sorted by (start, end, label). A document the
	// annotator has nothing to say about gets no items and no error.
	Annotate(ctx context.Context, doc *schema.Document) ([]schema.Item, error)
}

// BatchAnnotator is an Annotator that is cheaper per document when given several at
// once (an http model server). The runner prefers AnnotateBatch when present.
type BatchAnnotator interface {
	Annotator
	// AnnotateBatch returns one result per document, in order; a failed document has a
	// non-nil Err and leaves the others annotated.
	AnnotateBatch(ctx context.Context, docs []*schema.Document) []Result
}

// Result is the outcome for one document of a batch.
type Result struct {
	Items []schema.Item
	Err   error
}
