package annotate

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/newsds/newsds/schema"
)

// ReviewOptions configure ReviewQueue.
type ReviewOptions struct {
	// Layer is the layer to review (required).
	Layer string
	// MinConfidence flags machine items scored below it (default 0.6).
	MinConfidence float64
	// Limit keeps the first Limit documents (0 keeps all).
	Limit int
}

// ReviewItem is one document a person should look at, and why.
type ReviewItem struct {
	DocID string `json:"doc_id"`
	Title string `json:"title"`
	Layer string `json:"layer"`
	// Priority orders the queue, highest first (see ReviewQueue).
	Priority float64 `json:"priority"`
	// Disagreements counts units the document's annotators labelled differently, or
	// that only some of them labelled (a boundary disagreement).
	Disagreements int `json:"disagreements"`
	// LowConfidence counts machine items scored below MinConfidence; MinScore is the
	// lowest machine score on the layer (nil without scores).
	LowConfidence int      `json:"low_confidence"`
	MinScore      *float64 `json:"min_score,omitempty"`
	// Stale counts annotations made on an older text, whose spans no longer apply.
	Stale int `json:"stale"`
	// Reasons say the above in words.
	Reasons []string `json:"reasons"`
}

// ReviewQueue picks the documents of a layer that people should look at first. A
// document is in the queue when its annotators disagree on a unit (the units agreement
// is counted over: a span with its identifying attributes, or the document), when a
// machine item on it is scored below MinConfidence, or when an annotation is stale.
// Priority = 2 per disagreeing unit + 2 per stale human annotation + 1 per stale
// machine annotation + (MinConfidence - score) / MinConfidence per low-confidence item:
// disagreements come first because they are where a label is most likely wrong and
// where agreement figures are made, stale human work next because it is lost labour
// until redone, then the least confident machine items. Ties go by document id.
func ReviewQueue(recs iter.Seq2[schema.Record, error], opts ReviewOptions) ([]ReviewItem, error) {
	if opts.Layer == "" {
		return nil, fmt.Errorf("review queue: no layer")
	}
	if opts.MinConfidence == 0 {
		opts.MinConfidence = 0.6
	}
	if !(opts.MinConfidence > 0 && opts.MinConfidence <= 1) {
		return nil, fmt.Errorf("review queue: min confidence %v is outside (0,1]", opts.MinConfidence)
	}
	var out []ReviewItem
	for rec, err := range recs {
		if err != nil {
			return nil, fmt.Errorf("review queue: %w", err)
		}
		if it, ok := reviewDoc(&rec, opts); ok {
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b ReviewItem) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), strings.Compare(a.DocID, b.DocID))
	})
	if opts.Limit > 0 && len(out) > opts.Limit {
		out = out[:opts.Limit]
	}
	return out, nil
}

func reviewDoc(rec *schema.Record, opts ReviewOptions) (ReviewItem, bool) {
	r := ReviewItem{DocID: rec.ID, Title: rec.Title, Layer: opts.Layer, Reasons: []string{}}
	hash := impHash(&rec.Document)
	values := map[string]map[string]string{} // unit -> annotator -> labels
	var names []string
	staleHuman, staleMachine := 0, 0
	for _, a := range rec.Annotations {
		if a.Layer != opts.Layer {
			continue
		}
		if a.Stale || (a.ContentHash != "" && a.ContentHash != hash) {
			r.Stale++
			if a.Annotator.Kind == schema.KindHuman {
				staleHuman++
			} else {
				staleMachine++
			}
			continue
		}
		names = append(names, a.Annotator.Name)
		per := map[string][]string{}
		for _, it := range a.Items {
			u := agrUnit(it)
			if !slices.Contains(per[u], it.Label) {
				per[u] = append(per[u], it.Label)
			}
			if a.Annotator.Kind != schema.KindHuman && it.Score != nil {
				if r.MinScore == nil || *it.Score < *r.MinScore {
					r.MinScore = schema.Float(*it.Score)
				}
				if *it.Score < opts.MinConfidence {
					r.LowConfidence++
					r.Priority += (opts.MinConfidence - *it.Score) / opts.MinConfidence
				}
			}
		}
		for u, ls := range per {
			slices.Sort(ls)
			if values[u] == nil {
				values[u] = map[string]string{}
			}
			values[u][a.Annotator.Name] = strings.Join(ls, "+")
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) >= 2 {
		for _, u := range slices.Sorted(maps.Keys(values)) {
			byAnn := values[u]
			if len(byAnn) < len(names) {
				r.Disagreements++
				continue
			}
			first := ""
			for i, n := range slices.Sorted(maps.Keys(byAnn)) {
				if i == 0 {
					first = byAnn[n]
				} else if byAnn[n] != first {
					r.Disagreements++
					break
				}
			}
		}
	}
	r.Priority += 2*float64(r.Disagreements) + 2*float64(staleHuman) + float64(staleMachine)
	r.Priority = round4(r.Priority)
	if r.Disagreements > 0 {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%d units labelled differently by %s", r.Disagreements, strings.Join(names, ", ")))
	}
	if r.Stale > 0 {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%d stale annotations (made on an older text)", r.Stale))
	}
	if r.LowConfidence > 0 {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%d machine items below confidence %.2f (lowest %.2f)", r.LowConfidence, opts.MinConfidence, *r.MinScore))
	}
	return r, r.Priority > 0
}
