package main

import (
	"io"
	"strings"
	"testing"
)

// A misspelt -steps name must fail at once, not after building corpora for an hour
// and measuring nothing.
func TestUnknownStepIsRefused(t *testing.T) {
	err := run([]string{"-steps", "ingest,ingest 1 percent changed"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `unknown step "ingest 1 percent changed"`) {
		t.Fatalf("run with an unknown step: %v", err)
	}
}
