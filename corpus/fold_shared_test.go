package corpus

import (
	"testing"

	"github.com/newsds/newsds/internal/textfold"
)

// Dedup folds Arabic exactly as the annotators do: both take internal/textfold's table,
// and date parsing its digit mapping.
func TestDedupFoldFollowsTheSharedArabicTable(t *testing.T) {
	for r := rune(0x0600); r <= 0x06FF; r++ {
		if want, ok := textfold.Arabic(r); ok && foldDedupRune(r) != want {
			t.Errorf("foldDedupRune(%U) = %q, the shared table says %q", r, foldDedupRune(r), want)
		}
	}
	if NormalizeForDedup("المسؤول الرئيس") != NormalizeForDedup("المسوول الرييس") {
		t.Error("hamza seats on waw and yeh are not folded for dedup")
	}
	if got := normDigits("١٢ ۳۴"); got != "12 34" {
		t.Errorf("normDigits = %q", got)
	}
}
