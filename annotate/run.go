package annotate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/newsds/newsds/schema"
)

// Store is what the runner needs from a corpus: staged documents in, annotations out.
type Store interface {
	Documents(ctx context.Context, version string) iter.Seq2[schema.Document, error]
	Document(ctx context.Context, version, id string) (schema.Document, error)
	HasAnnotation(ctx context.Context, docID, layer string, a schema.Annotator, contentHash string) (bool, error)
	PutAnnotation(ctx context.Context, a schema.Annotation) (bool, error)
}

// RunOptions configure Run. The zero value annotates nothing: Annotators is required.
type RunOptions struct {
	Annotators []Annotator
	// DocIDs limits the run to these staged documents; nil means all of them.
	DocIDs []string
	// IncludeDuplicates annotates documents marked dup_of too (they are left out of
	// releases by default, so by default they are not annotated).
	IncludeDuplicates bool
	// Force re-runs annotators even where the same work is already staged.
	Force bool
	// Workers bounds concurrent Annotate calls; 0 means one per core.
	Workers int
	// MinScore drops, per layer, the items whose score is below it; items without a
	// score are kept. The threshold is part of the annotator's identity (ParamsHash), so
	// changing it re-runs the annotator instead of reusing the other threshold's work.
	MinScore map[string]float64
	// BatchSize is how many documents go to a BatchAnnotator at once; 0 means 16.
	BatchSize int
	// Progress, when set, is called after each batch with the running totals.
	Progress func(RunSummary)
	// Now stamps created_at; nil means the wall clock.
	Now func() time.Time
}

// RunSummary counts what a run did, per annotator.
type RunSummary struct {
	Documents int `json:"documents"`
	// Duplicates counts the staged documents marked dup_of that the run passed over
	// (IncludeDuplicates unset): they are not in Documents.
	Duplicates int                `json:"duplicates"`
	Annotators []AnnotatorSummary `json:"annotators"`
	// Errors lists located failures; other documents were still annotated.
	Errors []DocError `json:"errors"`
}

// AnnotatorSummary counts one annotator's work.
type AnnotatorSummary struct {
	Name      string `json:"name"`
	Layer     string `json:"layer"`
	Annotated int    `json:"annotated"`
	// Unchanged counts documents whose staged annotation was already this work.
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
	Items     int `json:"items"`
	// SkippedLanguages counts, per language, documents the annotator does not support
	// (LanguageScoped); they get an annotation with no items, marked skipped.
	SkippedLanguages map[string]int `json:"skipped_languages"`
	// Empty counts documents that got no items (e.g. qa on an article that is not an interview).
	Empty int `json:"empty"`
}

// DocError locates one failure.
type DocError struct {
	DocID     string `json:"doc_id"`
	Annotator string `json:"annotator"`
	Err       string `json:"error"`
}

func (e DocError) Error() string { return "doc " + e.DocID + ": " + e.Annotator + ": " + e.Err }

const runMaxErrors = 1000

// Run annotates staged documents with each annotator and stages the results. Work
// that is already staged for the same annotator, parameters and text is skipped, so a
// rerun costs nothing. One document failing never stops the others.
func Run(ctx context.Context, st Store, opts RunOptions) (*RunSummary, error) {
	if len(opts.Annotators) == 0 {
		return nil, errors.New("annotate: no annotators given")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 16
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().UTC() }
	}
	sum := &RunSummary{Errors: []DocError{}}
	infos := make([]schema.Annotator, len(opts.Annotators))
	for i, a := range opts.Annotators {
		infos[i] = runInfo(a, opts.MinScore)
		sum.Annotators = append(sum.Annotators, AnnotatorSummary{Name: a.Info().Name, Layer: a.Layer(), SkippedLanguages: map[string]int{}})
	}
	w := writerOf(ctx, st)
	var batch []*schema.Document
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := runBatch(ctx, st, w, opts, infos, batch, sum)
		batch = batch[:0]
		if opts.Progress != nil {
			opts.Progress(*sum)
		}
		return err
	}
	err := func() error {
		for doc, err := range documents(ctx, st, opts.DocIDs) {
			if err != nil {
				return fmt.Errorf("annotate: %w", err)
			}
			if doc.DupOf() != "" && !opts.IncludeDuplicates && opts.DocIDs == nil {
				sum.Duplicates++
				continue
			}
			sum.Documents++
			batch = append(batch, &doc)
			if len(batch) >= opts.BatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	}()
	// What the run finished is committed whatever stopped it: a rerun skips it.
	if cerr := w.close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("annotate: %w", cerr))
	}
	if err != nil {
		return sum, err
	}
	return sum, ctx.Err()
}

func documents(ctx context.Context, st Store, ids []string) iter.Seq2[schema.Document, error] {
	if ids == nil {
		return st.Documents(ctx, "staged")
	}
	return func(yield func(schema.Document, error) bool) {
		for _, id := range ids {
			d, err := st.Document(ctx, "staged", id)
			if err != nil {
				err = fmt.Errorf("document %s: %w", id, err)
			}
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

// BatchStore is a Store that stages many annotations in one transaction; Run uses it
// when the store has it, so a batch of documents costs one commit, not one each.
type BatchStore interface {
	Store
	PutAnnotations(ctx context.Context, anns []schema.Annotation) (changed []bool, err error)
}

// AnnotationGroup stages the annotations of a run in group transactions of many
// documents; corpus.AnnotationGroup is the same interface.
type AnnotationGroup = interface {
	PutAnnotations(ctx context.Context, anns []schema.Annotation) (changed []bool, err error)
	// Close commits what the group holds.
	Close() error
}

// GroupStore is a Store that stages a whole run's annotations through one writer that
// commits a group of many documents' work at a time (group commit). Run uses it when
// the store has it: a transaction per batch of BatchSize documents cost more than the
// annotations, and more the larger the corpus. A killed run loses at most the open
// group, which a rerun redoes; Run closes the group (commits it) however it ends.
type GroupStore interface {
	Store
	AnnotationGroup(ctx context.Context) AnnotationGroup
}

// annWriter is where a run stages its annotations: the store's group writer, else a
// transaction per batch (BatchStore), else one per annotation.
type annWriter struct {
	st    Store
	group AnnotationGroup
}

func writerOf(ctx context.Context, st Store) *annWriter {
	w := &annWriter{st: st}
	if gs, ok := st.(GroupStore); ok {
		w.group = gs.AnnotationGroup(ctx)
	}
	return w
}

func (w *annWriter) put(ctx context.Context, anns []schema.Annotation) ([]bool, error) {
	if w.group != nil {
		return w.group.PutAnnotations(ctx, anns)
	}
	if bs, ok := w.st.(BatchStore); ok {
		return bs.PutAnnotations(ctx, anns)
	}
	// One at a time, the annotations stored before a failure stay stored, and counted.
	changed := make([]bool, 0, len(anns))
	for _, a := range anns {
		c, err := w.st.PutAnnotation(ctx, a)
		if err != nil {
			return changed, err
		}
		changed = append(changed, c)
	}
	return changed, nil
}

func (w *annWriter) close() error {
	if w.group == nil {
		return nil
	}
	err := w.group.Close()
	w.group = nil
	return err
}

// pendingAnnotations collects a batch's annotations, each with what to count once it is
// known whether it changed the staged set.
type pendingAnnotations struct {
	anns  []schema.Annotation
	after []func(changed bool)
}

func (p *pendingAnnotations) add(a schema.Annotation, after func(changed bool)) {
	p.anns = append(p.anns, a)
	p.after = append(p.after, after)
}

func (p *pendingAnnotations) store(ctx context.Context, w *annWriter) error {
	if len(p.anns) == 0 {
		return nil
	}
	changed, err := w.put(ctx, p.anns)
	for i, c := range changed {
		p.after[i](c)
	}
	if err != nil {
		return fmt.Errorf("annotate: %w", err)
	}
	return nil
}

// runBatch runs every annotator over one batch of documents, concurrently, and stores
// the results in document order.
func runBatch(ctx context.Context, st Store, w *annWriter, opts RunOptions, infos []schema.Annotator, batch []*schema.Document, sum *RunSummary) error {
	var pending pendingAnnotations
	type job struct {
		ai   int
		docs []*schema.Document
		res  []Result
	}
	var jobs []*job
	for ai, a := range opts.Annotators {
		j := &job{ai: ai}
		for _, d := range batch {
			if !opts.Force {
				has, err := st.HasAnnotation(ctx, d.ID, a.Layer(), infos[ai], d.ContentHash)
				if err != nil {
					return fmt.Errorf("annotate: %w", err)
				}
				if has {
					sum.Annotators[ai].Unchanged++
					continue
				}
			}
			if !supportsLanguage(a, d.Lang) {
				ann := schema.Annotation{
					DocID: d.ID, Layer: a.Layer(), Annotator: infos[ai], ContentHash: d.ContentHash,
					CreatedAt: opts.Now().Format(time.RFC3339), Items: []schema.Item{}, Skipped: schema.SkippedLanguage,
				}
				pending.add(ann, func(bool) { sum.Annotators[ai].SkippedLanguages[skippedKey(d.Lang)]++ })
				continue
			}
			j.docs = append(j.docs, d)
		}
		if len(j.docs) > 0 {
			j.res = make([]Result, len(j.docs))
			jobs = append(jobs, j)
		}
	}
	sem := make(chan struct{}, opts.Workers)
	var wg sync.WaitGroup
	for _, j := range jobs {
		a := opts.Annotators[j.ai]
		if ba, ok := a.(BatchAnnotator); ok {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := ba.AnnotateBatch(ctx, j.docs)
				for i := range j.res {
					if i < len(res) {
						j.res[i] = res[i]
					} else {
						j.res[i] = Result{Err: errors.New("annotator returned fewer results than documents")}
					}
				}
			}()
			continue
		}
		for i, d := range j.docs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				items, err := annotateSafely(ctx, a, d)
				j.res[i] = Result{Items: items, Err: err}
			}()
		}
	}
	wg.Wait()
	for _, j := range jobs {
		a := opts.Annotators[j.ai]
		s := &sum.Annotators[j.ai]
		for i, d := range j.docs {
			r := j.res[i]
			if r.Err == nil {
				r.Err = checkItems(d, r.Items)
			}
			if r.Err != nil {
				s.Failed++
				if len(sum.Errors) < runMaxErrors {
					msg := r.Err
					var xe *ExternalError
					if errors.As(msg, &xe) {
						msg = xe.Err // DocError names the document and annotator itself
					}
					sum.Errors = append(sum.Errors, DocError{DocID: d.ID, Annotator: a.Info().Name, Err: msg.Error()})
				}
				continue
			}
			ann := schema.Annotation{
				DocID: d.ID, Layer: a.Layer(), Annotator: infos[j.ai], ContentHash: d.ContentHash,
				CreatedAt: opts.Now().Format(time.RFC3339), Items: r.Items,
			}
			if minScore, ok := opts.MinScore[a.Layer()]; ok {
				ann.Items = aboveScore(r.Items, minScore)
				ann.MinScore = schema.Float(minScore)
			}
			items := len(ann.Items)
			pending.add(ann, func(changed bool) {
				if changed {
					s.Annotated++
				} else {
					s.Unchanged++
				}
				s.Items += items
				if items == 0 {
					s.Empty++
				}
			})
		}
	}
	if err := pending.store(ctx, w); err != nil {
		return err
	}
	return ctx.Err()
}

// runInfo is the identity a run stores for a: its own, with a confidence threshold
// folded into ParamsHash, so work under one threshold never passes for another's.
func runInfo(a Annotator, minScore map[string]float64) schema.Annotator {
	info := a.Info()
	if m, ok := minScore[a.Layer()]; ok {
		info.ParamsHash = sha256Hex([]byte(info.ParamsHash + "\x00min_score=" + strconv.FormatFloat(m, 'g', -1, 64)))
	}
	return info
}

// aboveScore keeps the items scored at least min, and those without a score (a rule's
// spans have no confidence to compare).
func aboveScore(items []schema.Item, min float64) []schema.Item {
	kept := make([]schema.Item, 0, len(items))
	for _, it := range items {
		if it.Score == nil || *it.Score >= min {
			kept = append(kept, it)
		}
	}
	return kept
}

// annotateSafely turns a panicking annotator into a located error: a bug in one
// annotator on one document must not take the batch down.
func annotateSafely(ctx context.Context, a Annotator, d *schema.Document) (items []schema.Item, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("annotator panicked: %v", r)
		}
	}()
	return a.Annotate(ctx, d)
}

// checkItems rejects spans outside the text and fills missing span text, so nothing
// the store keeps can point past the document.
func checkItems(d *schema.Document, items []schema.Item) error {
	x := schema.NewTextIndex(d.Text)
	for i := range items {
		it := &items[i]
		if (it.Start == nil) != (it.End == nil) {
			return fmt.Errorf("item %d: start and end must both be set or both be null", i)
		}
		if it.Score != nil && (*it.Score < 0 || *it.Score > 1) {
			return fmt.Errorf("item %d: score %v is outside [0,1]", i, *it.Score)
		}
		if !it.IsSpan() {
			continue
		}
		if err := schema.CheckSpan(*it.Start, *it.End, x.Len()); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
		text, err := x.Slice(*it.Start, *it.End)
		if err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
		if it.Text == "" {
			it.Text = text
		} else if it.Text != text {
			return fmt.Errorf("item %d: span [%d,%d) text %q does not match the document text %q", i, *it.Start, *it.End, it.Text, text)
		}
	}
	return nil
}
