package annotate

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// The shipped model files are exactly what training on the shared data gives (the same
// as `newsds train sentiment|stance --out ...`), so anyone can rebuild them and check.
// NEWSDS_TRAIN_MODELS=1 rewrites them after a deliberate change to training.
func TestShippedModelsReproducible(t *testing.T) {
	data := testshared.Path(t, "data")
	for _, name := range []string{"sentiment", "stance"} {
		trainFn := map[string]func(context.Context, TrainOptions) (TrainReport, error){"sentiment": TrainSentiment, "stance": TrainStance}[name]
		shipped := filepath.Join("models", name+".lm")
		out := filepath.Join(t.TempDir(), name+".lm")
		if os.Getenv("NEWSDS_TRAIN_MODELS") == "1" {
			out = shipped
		}
		rep, err := trainFn(context.Background(), TrainOptions{Data: data, Out: out})
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(shipped)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			b, _ := json.MarshalIndent(rep, "", "  ")
			t.Errorf("%s: training gives %s, not the shipped model; rerun with NEWSDS_TRAIN_MODELS=1 if the change is deliberate\n%s", name, rep.SHA256, b)
		}
	}
}

func newTestSentiment(t *testing.T) Annotator {
	t.Helper()
	a, err := NewSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSentimentSeed(t *testing.T) {
	doc := seedDocument(t)
	a := newTestSentiment(t)
	items, err := a.Annotate(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	byScope := map[string][]schema.Item{}
	for _, it := range items {
		byScope[it.Attrs[schema.AttrScope]] = append(byScope[it.Attrs[schema.AttrScope]], it)
		if it.Score == nil || *it.Score < 0 || *it.Score > 1 || !slices.Contains(schema.SentimentLabels, it.Label) {
			t.Errorf("item %v: label %q score %v", it.Attrs, it.Label, it.Score)
		}
		if it.IsSpan() {
			if got, _ := schema.SliceCP(doc.Text, *it.Start, *it.End); got != it.Text {
				t.Errorf("item %v: span text differs", it.Attrs)
			}
		}
	}
	if d := byScope[schema.ScopeDocument]; len(d) != 1 || d[0].IsSpan() || !reflect.DeepEqual(items[0], d[0]) {
		t.Errorf("want one document item without span, first; got %d", len(d))
	}
	if got, want := len(byScope[schema.ScopeParagraph]), len(doc.Paragraphs()); got != want {
		t.Errorf("paragraph items: %d, want %d", got, want)
	}
	answers := byScope[schema.ScopeAnswer]
	if len(answers) != 8 {
		t.Fatalf("answer items: %d, want 8", len(answers))
	}
	turns := annotateQA(t, doc)
	for i, it := range answers {
		q := turns[2*i+1]
		if it.Attrs[schema.AttrTurn] != q.Attrs[schema.AttrTurn] || *it.Start != *q.Start || *it.End != *q.End {
			t.Errorf("answer %d: turn %s [%d,%d), want turn %s [%d,%d)", i, it.Attrs[schema.AttrTurn], *it.Start, *it.End,
				q.Attrs[schema.AttrTurn], *q.Start, *q.End)
		}
	}
	// Same input, same output: the runner relies on it for no-op re-annotation.
	again, _ := a.Annotate(context.Background(), doc)
	if !reflect.DeepEqual(items, again) {
		t.Error("second run differs")
	}
}

func TestSentimentClearSentences(t *testing.T) {
	a := newTestSentiment(t)
	for _, tt := range []struct{ text, want string }{
		{"This is a wonderful, great day!", "positive"},
		{"I hate this terrible movie.", "negative"},
		{"The service was not good at all.", "negative"},                // negation flips "good"
		{"It was not bad at all.", "positive"},                          // and "bad"
		{"The food was good but the service was terrible.", "negative"}, // "but" weights the second clause
		{"The meeting is on Tuesday.", "neutral"},
		{"أنا سعيد جدا بهذا الإنجاز الرائع", "positive"},
		{"شكرا لكم على هذا العمل الجميل", "positive"},
		{"هذا أسوأ قرار، فشل ذريع ومحزن", "negative"},
		{"هذه مأساة كبيرة لنا نحن أقارب الضحايا", "negative"},
	} {
		items, err := a.Annotate(context.Background(), &schema.Document{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		if items[0].Label != tt.want {
			t.Errorf("%q: %s (%.2f), want %s", tt.text, items[0].Label, *items[0].Score, tt.want)
		}
	}
}

func TestSentimentEmptyDocument(t *testing.T) {
	items, err := newTestSentiment(t).Annotate(context.Background(), &schema.Document{Text: " \n\n "})
	if err != nil || len(items) != 0 {
		t.Fatalf("got %d items, %v; want none", len(items), err)
	}
}

// TestTrainSentimentTiny trains on a small file twice (same bytes: deterministic), and
// checks that scoring that file (Arabic: the model path) with the model scores only the held-out rows.
func TestTrainSentimentTiny(t *testing.T) {
	dir := t.TempDir()
	var csvText strings.Builder
	csvText.WriteString("id,text,sentiment\n")
	pos := []string{"رائع جميل ممتاز", "ممتاز وجميل", "سعيد جدا شكرا", "جميل ورائع"}
	neg := []string{"سيء فاشل حزين", "حزين وسيء", "كارثة مؤسفة", "فاشل وسيء"}
	for i := range 40 {
		fmt.Fprintf(&csvText, "%d,%s %d,Positive\n%d,%s %d,Negative\n", 2*i, pos[i%4], i, 2*i+1, neg[i%4], i)
	}
	data := filepath.Join(dir, "tiny.csv")
	if err := os.WriteFile(data, []byte(csvText.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	lex := filepath.Join(dir, "lex.txt")
	if err := os.WriteFile(lex, []byte("good\t3\ngreat\t2.5\t0.5\t[2, 3]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var sums []string
	var rep TrainReport
	for i := range 2 {
		var err error
		out := filepath.Join(dir, fmt.Sprintf("m%d.lm", i))
		rep, err = TrainSentiment(context.Background(), TrainOptions{Files: []string{data}, Lexicons: []string{lex}, Out: out, Bits: 10, Epochs: 3})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sha256Hex(b))
	}
	if sums[0] != sums[1] || sums[0] != rep.SHA256 {
		t.Errorf("training is not deterministic: %v, report %s", sums, rep.SHA256)
	}
	f := rep.Files[0]
	if f.Rows != 80 || f.Train+f.HeldOut != 80 || f.HeldOut == 0 {
		t.Fatalf("file accounting %+v", f)
	}
	ev, err := EvalClassifier(context.Background(), "sentiment", data, ClassifierOptions{ModelFile: filepath.Join(dir, "m0.lm")})
	if err != nil {
		t.Fatal(err)
	}
	if ev.N != f.HeldOut || !strings.Contains(ev.Note, "held-out") {
		t.Errorf("eval on the training file scored %d rows (note %q), want the %d held-out rows", ev.N, ev.Note, f.HeldOut)
	}
	if ev.Accuracy < 0.9 {
		t.Errorf("held-out accuracy %.2f on separable data", ev.Accuracy)
	}
	m, err := loadModel("sentiment", filepath.Join(dir, "m0.lm"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Lexicon["good"] != 0.6 || m.Lexicon["great"] != 0.625 {
		t.Errorf("lexicon scaling: good %v great %v, want 0.6 (AFINN 3/5) and 0.625 (VADER 2.5/4)", m.Lexicon["good"], m.Lexicon["great"])
	}
	if _, err := loadModel("stance", filepath.Join(dir, "m0.lm")); err == nil {
		t.Error("a sentiment model loaded as a stance model")
	}
}
