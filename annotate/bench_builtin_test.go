package annotate

import (
	"context"
	"fmt"
	"strings"
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

// BenchmarkAnnotatorsLongTranscript runs each built-in on interviews of 500 and 2,000
// question-answer pairs and reports the cost per paragraph, which must not grow with the
// document: cutting every span from the text's start, resolving a speaker label per turn
// and reading every clause for every span made a 4,000-paragraph transcript take 4–29 s
// per annotator (now 20–180 ms on this machine).
func BenchmarkAnnotatorsLongTranscript(b *testing.B) {
	for _, pairs := range []int{500, 2000} {
		var ar, en strings.Builder
		ar.WriteString("أكد الدكتور توفيق الربيعة أن الوضع مطمئن.\n\n")
		en.WriteString("Kenji Sato builds robots that talk. Jane Smith met him in Osaka.\n\n")
		for i := range pairs {
			fmt.Fprintf(&ar, "كيف ترى الوضع رقم %d اليوم؟\n\nنحن نعمل على تحسين الوضع %d بكل جهد وأضاف الربيعة أن العمل مستمر.\n\n", i, i)
			fmt.Fprintf(&en, "JS: How did part %d start?\n\nKS: With a broken radio %d, when I was nine.\n\n", i, i)
		}
		docs := []*schema.Document{
			{Lang: "ar", Title: "الربيعة: الوضع مطمئن", Byline: []string{"حوار: محمد العتيبي"}, Text: ar.String()},
			{Lang: "en", Title: "Talking to machines", Byline: []string{"Jane Smith"}, Text: en.String()},
		}
		for _, name := range BuiltinNames() {
			a, err := Builtin(name, BuiltinOptions{Targets: exampleTargets(b)})
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/pairs=%d", name, pairs), func(b *testing.B) {
				paras := 0
				for b.Loop() {
					for _, d := range docs {
						if _, err := a.Annotate(context.Background(), d); err != nil {
							b.Fatal(err)
						}
						paras += 2*pairs + 1
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(paras), "µs/paragraph")
			})
		}
	}
}
