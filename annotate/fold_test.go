package annotate

import (
	"testing"

	"github.com/newsds/newsds/internal/textfold"
)

// The annotators fold Arabic exactly as dedup does: both take internal/textfold's table
// (they once disagreed on ؤ, ئ and Farsi yeh).
func TestFoldFollowsTheSharedArabicTable(t *testing.T) {
	for r := rune(0x0600); r <= 0x06FF; r++ {
		if want, ok := textfold.Arabic(r); ok && foldRune(r) != want {
			t.Errorf("foldRune(%U) = %q, the shared table says %q", r, foldRune(r), want)
		}
	}
	if fold("المسؤول الرئيس") != fold("المسوول الرييس") {
		t.Error("hamza seats on waw and yeh are not folded")
	}
}
