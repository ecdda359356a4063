package schema

import (
	"slices"
	"testing"
)

func TestSpanOverlaps(t *testing.T) {
	sp := func(s, e int) Item { return Item{Start: Int(s), End: Int(e)} }
	items := []Item{sp(10, 20), sp(0, 5), sp(5, 10), sp(15, 25), {Label: "doc"}, sp(30, 99), sp(24, 26)}
	got := SpanOverlaps(items, 40)
	// In text order: [0,5) [5,10) [10,20) [15,25) [24,26); [30,99) is past the text.
	want := []SpanOverlap{{Item: 3, Prev: 0}, {Item: 6, Prev: 3}}
	if !slices.Equal(got, want) {
		t.Errorf("SpanOverlaps = %v, want %v", got, want)
	}
	if got := SpanOverlaps([]Item{sp(0, 5), sp(5, 9)}, 10); len(got) != 0 {
		t.Errorf("touching spans overlap: %v", got)
	}
}
