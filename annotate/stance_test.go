package annotate

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

func exampleTargets(t testing.TB) []Target {
	t.Helper()
	targets, err := LoadTargets(filepath.Join("..", "examples", "targets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return targets
}

func TestStanceSeed(t *testing.T) {
	doc := seedDocument(t)
	targets := append(exampleTargets(t), Target{Name: "Brazil", Aliases: []string{"البرازيل"}})
	a, err := NewStance(targets, StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items, err := a.Annotate(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]schema.Item{}
	for _, it := range items {
		got[it.Attrs[schema.AttrTarget]] = it
		t.Logf("%s: %s %.3f %q", it.Attrs[schema.AttrTarget], it.Label, *it.Score, it.Text)
	}
	evidence := map[string]string{ // a word of the target that the evidence sentence must contain
		"قطر": "قطر", "منظمة معاهدة الأمن الجماعي": "معاهدة الأمن الجماعي", "وسائل الإعلام الأجنبية": "الإعلام الأجنبية",
	}
	for name, word := range evidence {
		it, ok := got[name]
		if !ok {
			t.Errorf("no stance item for %s", name)
			continue
		}
		if !it.IsSpan() || !strings.Contains(it.Text, word) {
			t.Errorf("%s: evidence %q does not mention the target", name, it.Text)
		}
		if s, _ := schema.SliceCP(doc.Text, *it.Start, *it.End); s != it.Text {
			t.Errorf("%s: span text differs", name)
		}
	}
	// "نقدر عاليا موقف دولة قطر واهتمامها بأمن واستقرار بلادنا": the ambassador thanks Qatar.
	if got["قطر"].Label != "favor" {
		t.Errorf("قطر: %s, want favor", got["قطر"].Label)
	}
	if _, ok := got["Brazil"]; ok {
		t.Error("a target the article does not mention got an item")
	}
}

func TestStanceMentionMatching(t *testing.T) {
	ct := compileTarget(Target{Name: "قطر", Aliases: []string{"Qatar", "الدوحة", "دولة قطر"}})
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"زار الوزير الدوحة أمس", true},
		{"وصل الوفد إلى الدوحه", true},     // ta marbuta spelling
		{"قدم الشكر لقطر على دعمها", true}, // proclitic
		{"اجتماع بالدوحة", true},
		{"Qatar's mediation", true},
		{"QATAR airways", true},
		{"القطري", false}, // another word
		{"قطرات المطر", false},
	} {
		if ok, _ := ct.mentions(tokens(tt.text)); ok != tt.want {
			t.Errorf("%q: mention %v, want %v", tt.text, ok, tt.want)
		}
	}
}

func TestStanceEnglishAndClaim(t *testing.T) {
	doc := &schema.Document{Text: "The new stadium is a wonderful gift to the city.\n\nCritics say the stadium was built on time."}
	a, err := NewStance([]Target{{Name: "stadium"}}, StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items, err := a.Annotate(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Label != "favor" || !strings.HasPrefix(items[0].Text, "The new stadium is a wonderful") {
		t.Fatalf("got %+v, want favor with the first sentence as evidence", items)
	}
	// The same target with a claim is scored by the claim–sentence model, and the
	// parameters hash changes with it.
	b, err := NewStance([]Target{{Name: "stadium", Claim: "The stadium is good for the city"}}, StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Info().ParamsHash == b.Info().ParamsHash {
		t.Error("the claim does not change ParamsHash")
	}
	if items, err := b.Annotate(context.Background(), doc); err != nil || len(items) != 1 {
		t.Fatalf("claim target: %d items, %v", len(items), err)
	}
}

func TestBuiltin(t *testing.T) {
	for _, name := range BuiltinNames() {
		a, err := Builtin(name, BuiltinOptions{Targets: exampleTargets(t)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		info := a.Info()
		if info.Name != name || info.Version == "" || (info.Kind != schema.KindRule && info.Kind != schema.KindModel) {
			t.Errorf("%s: Info %+v", name, info)
		}
		if name != "qa" && len(info.ParamsHash) != 64 {
			t.Errorf("%s: ParamsHash %q", name, info.ParamsHash)
		}
	}
	if _, err := Builtin("stance", BuiltinOptions{}); err == nil || !strings.Contains(err.Error(), "targets") {
		t.Errorf("stance without targets: %v", err)
	}
	if _, err := Builtin("emotion", BuiltinOptions{}); err == nil || !strings.Contains(err.Error(), "emotion") {
		t.Errorf("unknown name: %v", err)
	}
}

// TestStanceSeedReading compares the target stances with the human reading of the
// seed interview (the interviewee's stance toward each example target): issue 10 asks
// for 3 of 4. Whole sentences read 2: the CSTO came out against, from sentences about
// the crisis it was sent to and a clause about someone else's misreading.
func TestStanceSeedReading(t *testing.T) {
	const minAgree = 3
	_, want := seedReadings(t)
	a, err := NewStance(exampleTargets(t), StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items, err := a.Annotate(context.Background(), seedDocument(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, it := range items {
		got[it.Attrs[schema.AttrTarget]] = it.Label
		t.Logf("%s: %s %.2f %q", it.Attrs[schema.AttrTarget], it.Label, *it.Score, it.Text)
	}
	agree := 0
	for name, w := range want {
		if got[name] == w {
			agree++
		}
	}
	t.Logf("agreement %d of %d", agree, len(want))
	if agree < minAgree {
		t.Errorf("target stance agrees with the human reading on %d of %d (got %v, reading %v), want at least %d", agree, len(want), got, want, minAgree)
	}
}

// TestStanceCountsSidesNotMass: most sentences that name a target only report; the
// mean of the sentence probabilities let their neutral mass outvote the sentences that
// say what the writer thinks of it. Two sentences praise the council and one faults it:
// a reader says favor.
func TestStanceCountsSidesNotMass(t *testing.T) {
	doc := &schema.Document{Lang: "en", Text: "The council met on Monday.\n\n" +
		"The council is housed on Main Street.\n\nThe council has nine members.\n\n" +
		"The council did a wonderful job with the new park.\n\nResidents praise the council for its excellent work.\n\n" +
		"The council was wrong about the parking fees."}
	a, err := NewStance([]Target{{Name: "council"}}, StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items, err := a.Annotate(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	it := items[0]
	if it.Label != "favor" || !strings.Contains(it.Text, "wonderful") && !strings.Contains(it.Text, "excellent") {
		t.Errorf("got %s %.2f %q, want favor with a praising sentence as evidence", it.Label, *it.Score, it.Text)
	}
	// Only reporting sentences: neutral.
	items, err = a.Annotate(context.Background(), &schema.Document{Lang: "en", Text: "The council met on Monday.\n\nThe council has nine members."})
	if err != nil || len(items) != 1 || items[0].Label != "neutral" {
		t.Errorf("reporting only: %+v, %v; want neutral", items, err)
	}
}

// A text about another story shares at most a name with the claim; one that restates
// or contradicts it shares most of its content words, whatever the inflection ("سترفع"
// for "ترفع") and however many function words ("إلى", "the") the two have in common.
// The model reads that count: it gives the unrelated text the larger share of neutral.
func TestStanceUnrelatedText(t *testing.T) {
	claim := "الحكومة ترفع أسعار الوقود إلى مستوى قياسي في بداية الشهر المقبل"
	restated := "الحكومة سترفع أسعار الوقود إلى مستوى قياسي مطلع الشهر المقبل"
	unrelated := "فريق الهلال يفوز بكأس البطولة بعد مباراة مثيرة في الرياض"
	for _, tt := range []struct {
		claim, text string
		want        int
	}{
		{claim, restated, 7}, // all but ترفع (سترفع), في, بداية (مطلع)
		{claim, unrelated, 0},
		{"The minister will raise fuel prices in the spring", "The team that won the cup will play in the spring", 1},
	} {
		if got := sharedContentStems(tokens(tt.claim), tokens(tt.text)); got != tt.want {
			t.Errorf("sharedContentStems(%q, %q) = %d, want %d", tt.claim, tt.text, got, tt.want)
		}
	}
	ms, err := shippedModels()
	if err != nil {
		t.Fatal(err)
	}
	model := &stanceModel{m: ms["stance"]}
	neutral := slices.Index(model.m.Labels, "neutral")
	pu, pr := model.probs(claim, unrelated)[neutral], model.probs(claim, restated)[neutral]
	t.Logf("P(neutral): unrelated %.3f, restated %.3f", pu, pr)
	if pu <= 2*pr {
		t.Errorf("P(neutral): unrelated text %.3f, restated claim %.3f; want the unrelated text's at least twice the other", pu, pr)
	}
}

// On a claim it never saw, the model reads a text that praises what the claim condemns
// as against it, and the same text as favouring the opposite claim: the two pairs differ
// only in the claim's polarity, which the lexicon gives for any claim.
func TestStancePolarity(t *testing.T) {
	ms, err := shippedModels()
	if err != nil {
		t.Fatal(err)
	}
	lex := ms["stance"].Lexicon
	for text, want := range map[string]int{
		"Homework is a waste of time for young children": -1,
		"Homework helps children learn good habits":      1,
		"Homework is not helpful":                        -1,
		"The school sets homework on Tuesdays":           0,
		"الواجبات المدرسية مفيدة للأطفال":                0,
	} {
		if got := lex.polarity(text); got != want {
			t.Errorf("polarity(%q) = %d, want %d", text, got, want)
		}
	}
	model := &stanceModel{m: ms["stance"]}
	against := slices.Index(model.m.Labels, "against")
	for _, tt := range []struct{ condemns, praises, text string }{
		{"Homework is a waste of time for young children", "Homework is good for young children", "Homework helps children learn good habits and succeed"},
		{"City parks are a danger at night", "City parks make a city better", "Parks give families a safe and pleasant place to meet"},
		{"Nuclear power is a terrible risk", "Nuclear power is a great solution", "Nuclear plants produce clean and reliable energy"},
	} {
		pc, pp := model.probs(tt.condemns, tt.text)[against], model.probs(tt.praises, tt.text)[against]
		t.Logf("P(against) %q: %.3f under %q, %.3f under %q", tt.text, pc, tt.condemns, pp, tt.praises)
		if pc < pp+0.15 {
			t.Errorf("%q: P(against) %.3f under the claim it contradicts, %.3f under the one it agrees with; want 0.15 apart", tt.text, pc, pp)
		}
	}
}
