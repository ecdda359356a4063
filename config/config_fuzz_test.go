package config

import (
	"strings"
	"testing"
)

// FuzzParse is newsds.yaml: any bytes give a config or an error that names the file
// (`go test ./config -run '^$' -fuzz FuzzParse`). ../shared has no newsds.yaml, so the
// seeds are the file `newsds init` writes and the shapes of the config tests.
func FuzzParse(f *testing.F) {
	f.Add([]byte(DefaultYAML))
	f.Add([]byte("annotators:\n  my-sentiment:\n    type: http\n    url: http://127.0.0.1:1/\n    layer: sentiment\nlayers:\n  topic: {labels: [a, b]}\n"))
	f.Add([]byte("sources:\n  aawsat:\n    site_name: الشرق الأوسط\n    time_zone: Asia/Riyadh\n    lang: ar\n    domains: [aawsat.com]\n    selectors: {body: article, remove: [.ad]}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(FileName, b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), FileName) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if c == nil {
			t.Fatal("no config and no error")
		}
	})
}
