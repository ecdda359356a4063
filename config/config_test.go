package config

import (
	"strings"
	"testing"
)

// Reserved names and located errors: a config may not reuse a built-in annotator's or
// layer's name, and the error names the file, the line and the key.
func TestParseConfigReservedNames(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"annotator named like a built-in", "name: x\nannotators:\n  stance:\n    type: http\n    url: http://127.0.0.1:1/\n    layer: stance\n",
			"newsds.yaml:3: annotators.stance:"},
		{"user layer named like a built-in layer", "layers:\n  other: {labels: [a, b]}\n  qa_turns:\n    labels: [q, a]\n",
			"newsds.yaml:3: layers.qa_turns:"},
		{"top-level key", "dedup:\n  threshold: 2\n", "newsds.yaml:2: dedup.threshold:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("newsds.yaml", []byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
	ok := "annotators:\n  my-sentiment:\n    type: http\n    url: http://127.0.0.1:1/\n    layer: sentiment\nlayers:\n  topic: {labels: [a, b]}\n"
	if _, err := Parse("newsds.yaml", []byte(ok)); err != nil {
		t.Fatalf("an external annotator writing a built-in layer under its own name: %v", err)
	}
}

// A field mapping names article fields and keys each field alone reads; the error
// points at the mapping's line.
func TestParseConfigFieldMapping(t *testing.T) {
	bad := []struct {
		name, yaml, want string
	}{
		{"unknown field", "ingest:\n  fields:\n    body: content\n", "newsds.yaml:3: ingest.fields.body: not an article field"},
		{"empty key", "ingest:\n  fields:\n    text: ''\n", "newsds.yaml:3: ingest.fields.text: empty key"},
		{"two fields one key", "ingest:\n  fields:\n    text: content\n    title: content\n", "ingest.fields.title: \"content\" is already the key of the field text"},
		{"another field's own key", "ingest:\n  fields:\n    title: text\n", "ingest.fields.title: \"text\" is the key of the field text, which reads it too"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("newsds.yaml", []byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
	for _, ok := range []string{
		"ingest:\n  fields:\n    text: content\n    byline: author\n    published: date\n",
		"ingest:\n  fields:\n    title: text\n    text: title\n", // a swap: each key read once
	} {
		if _, err := Parse("newsds.yaml", []byte(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
