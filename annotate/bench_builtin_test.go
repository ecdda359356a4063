package annotate

import (
	"context"
	"testing"

	"github.com/newsds/newsds/schema"
)

// BenchmarkAnnotators measures the throughput (documents/s) of each built-in annotator
// over the seed interview and the English fixtures.
//
//	go test ./annotate -run '^$' -bench Annotators
func BenchmarkAnnotators(b *testing.B) {
	docs := []*schema.Document{seedDocument(b)}
	for _, f := range []string{"en_qa_labels.txt", "en_transcript.txt", "en_plain_questions.txt", "en_news.txt", "ar_qa_labels.txt"} {
		docs = append(docs, loadFixture(b, f))
	}
	for _, name := range BuiltinNames() {
		a, err := Builtin(name, BuiltinOptions{Targets: exampleTargets(b)})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			n := 0
			for b.Loop() {
				if _, err := a.Annotate(ctx, docs[n%len(docs)]); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
