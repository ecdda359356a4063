package schema

import "slices"

// SpanOverlap is one span of an annotation that starts before the span preceding it in
// text order ends: Item and Prev are indexes into the annotation's Items.
type SpanOverlap struct {
	Item, Prev int
}

// SpanOverlaps lists the overlaps among the spans of items that lie within a text of n
// code points (other items are left to CheckSpan), comparing each span with the one
// before it in text order (by start, then end). It is the one definition of "spans
// overlap" for a layer that forbids it: validate's span-overlap rule and the importers
// both call it.
func SpanOverlaps(items []Item, n int) []SpanOverlap {
	type span struct{ i, start, end int }
	var spans []span
	for i := range items {
		it := &items[i]
		if it.IsSpan() && CheckSpan(*it.Start, *it.End, n) == nil {
			spans = append(spans, span{i, *it.Start, *it.End})
		}
	}
	slices.SortStableFunc(spans, func(x, y span) int {
		if x.start != y.start {
			return x.start - y.start
		}
		return x.end - y.end
	})
	var out []SpanOverlap
	for k := 1; k < len(spans); k++ {
		if spans[k].start < spans[k-1].end {
			out = append(out, SpanOverlap{Item: spans[k].i, Prev: spans[k-1].i})
		}
	}
	return out
}

// SpansMustNotOverlap is the one overlap policy, used by validate and the importers: Q&A
// turns never overlap; a declared user layer's spans may overlap only when it says
// overlap: true; an undeclared layer is not checked.
func SpansMustNotOverlap(layer string, declared, overlapAllowed bool) bool {
	if layer == LayerQA {
		return true
	}
	return declared && !overlapAllowed
}
