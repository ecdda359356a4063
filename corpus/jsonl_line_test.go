package corpus

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// readJSONLLine hands back a line that fits the reader's buffer without copying it;
// lines across buffer refills, CRLF ends, an unterminated last line and lines over the
// limit must read as before.
func TestReadJSONLLineAcrossBuffers(t *testing.T) {
	const bufSize = 16 // bufio's minimum
	long := strings.Repeat("x", 40)
	input := "a\r\n" + strings.Repeat("b", bufSize-1) + "\n" + long + "\n" + "\n" + strings.Repeat("y", 70) + "\nlast"
	r := bufio.NewReaderSize(strings.NewReader(input), bufSize)
	want := []struct {
		line string
		err  error
	}{{"a", nil}, {strings.Repeat("b", bufSize-1), nil}, {long, nil}, {"", nil}, {"", ErrTooLarge}, {"last", io.EOF}}
	var kept []string
	for i, w := range want {
		line, err := readJSONLLine(r, 64)
		if w.err != nil {
			if !errors.Is(err, w.err) {
				t.Fatalf("line %d: error %v, want %v", i+1, err, w.err)
			}
			if errors.Is(w.err, ErrTooLarge) {
				continue
			}
		} else if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if string(line) != w.line {
			t.Fatalf("line %d = %q, want %q", i+1, line, w.line)
		}
		kept = append(kept, string(line))
	}
	// Strings made from each line as it was read are unchanged by later reads.
	if kept[0] != "a" || kept[2] != long || kept[4] != "last" {
		t.Fatalf("lines changed after later reads: %q", kept)
	}
}
