package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every built-in rule has its row in docs/validate.md's rules table, at the level the
// code gives it: a rule added without documentation (as store-corrupt and
// repeated-paragraphs once were) fails here.
func TestEveryRuleIsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "validate.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range Rules() {
		row := "| `" + r.ID + "` | " + r.Default.String() + " |"
		if !strings.Contains(doc, row) {
			t.Errorf("docs/validate.md has no row %q", row)
		}
	}
}
