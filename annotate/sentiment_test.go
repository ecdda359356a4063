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
		rep, err = TrainSentiment(context.Background(), TrainOptions{Files: []string{data}, Lexicons: []string{lex}, Out: out, Bits: 10, MaxIter: 30, CGrid: []float64{1, 4}})
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

// seedReadings returns the human readings of the seed gold: one sentiment per answer
// and a stance per target.
func seedReadings(t *testing.T) (answers []string, targets map[string]string) {
	t.Helper()
	b, err := os.ReadFile(testshared.Path(t, "seed", "gold", "000_f78eaf531e9c49cc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		AnswerSentiment struct {
			Labels []string `json:"labels"`
		} `json:"answer_sentiment"`
		TargetStance struct {
			Labels map[string]string `json:"labels"`
		} `json:"target_stance"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.AnswerSentiment.Labels) == 0 || len(g.TargetStance.Labels) == 0 {
		t.Fatal("seed gold has no answer_sentiment or target_stance readings")
	}
	return g.AnswerSentiment.Labels, g.TargetStance.Labels
}

// TestSentimentSeedReading compares the answer sentiments with the careful human
// reading of the seed interview: issue 10 asks for 7 of 8. The word-weighted mean of
// clause probabilities read 6 (the mixed answer 5 came out negative, and discourse
// markers such as "لسوء الحظ،" scored alone read positive).
func TestSentimentSeedReading(t *testing.T) {
	const minAgree = 7
	want, _ := seedReadings(t)
	items, err := newTestSentiment(t).Annotate(context.Background(), seedDocument(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		if it.Attrs[schema.AttrScope] == schema.ScopeAnswer {
			got = append(got, it.Label)
			t.Logf("answer %s: %s %.2f", it.Attrs[schema.AttrTurn], it.Label, *it.Score)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d answer items, the reading has %d", len(got), len(want))
	}
	agree := 0
	for i := range got {
		if got[i] == want[i] {
			agree++
		}
	}
	t.Logf("agreement %d of %d: got %v, reading %v", agree, len(want), got, want)
	if agree < minAgree {
		t.Errorf("answer sentiment agrees with the human reading on %d of %d, want at least %d", agree, len(want), minAgree)
	}
}

// TestSentimentLetterlessTextUsesModel: a tweet of emoji only has no letters, so it is
// not "mostly Arabic"; it went to the English lexicon, which knows no emoji and said
// neutral with score 1 whatever the emoji. The model has emoji features.
func TestSentimentLetterlessTextUsesModel(t *testing.T) {
	ms, err := shippedModels()
	if err != nil {
		t.Fatal(err)
	}
	sc := newSentimentScorer(ms["sentiment"])
	for _, text := range []string{"😡😡😡", "😍😍 ❤️", "!!! 👍"} {
		label, score := sc.classify(text)
		p := sc.probs(text)
		if want := ms["sentiment"].Labels[argmax(p)]; label != want || score != round4(p[argmax(p)]) {
			t.Errorf("%q: %s %.4f, want the model's %s %.4f", text, label, score, want, p[argmax(p)])
		}
	}
}

// TestTokensPlaceholders guards the fast path of tokens: URLs in any case and
// @mentions still become placeholders.
func TestTokensPlaceholders(t *testing.T) {
	got := tokens("See HTTPS://Example.com/x and WWW.example.org, @user_1 رائع")
	want := []string{"see", "<url>", "and", "<url>", "<user>", "رايع"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
}

// TestSentimentLinksDoNotMakeTextEnglish: the letters of a URL or an @handle outnumbered
// the Arabic words of short tweets, which then went to the English lexicon (neutral,
// whatever they said); newsds eval scored ArSarcasm-v2 0.007 macro-F1 below the model.
func TestSentimentLinksDoNotMakeTextEnglish(t *testing.T) {
	ms, err := shippedModels()
	if err != nil {
		t.Fatal(err)
	}
	sc := newSentimentScorer(ms["sentiment"])
	for _, text := range []string{"رائع جدا https://t.co/hrBeHbkBNu", "@someone_longname شكرا لك", "كارثة www.Example.com/page"} {
		if !sc.useModel(text) {
			t.Errorf("%q went to the English lexicon", text)
		}
	}
	for _, text := range []string{"What a great day https://t.co/x", "@someone thanks a lot"} {
		if sc.useModel(text) {
			t.Errorf("%q went to the Arabic model", text)
		}
	}
}
