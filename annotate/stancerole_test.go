package annotate

import (
	"context"
	"slices"
	"testing"

	"github.com/newsds/newsds/schema"
)

// TestStanceVictimIsNotOpposed: sentences about the crisis a country faced or the
// attack it suffered are negative, and each voted against
// the country; a reader sees no stance against it. Only evaluative language about the
// country takes a side: a text of such sentences alone is neutral, and one that also
// praises it is favor.
func TestStanceVictimIsNotOpposed(t *testing.T) {
	target := []Target{{Name: "Freedonia", Aliases: []string{"فريدونيا"}}}
	a, err := NewStance(target, StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, text, want string
	}{
		{"english victim", "Freedonia suffered heavy losses in the deadly storm last week.\n\n" +
			"Freedonia faced the worst floods in its history, a terrible disaster.\n\n" +
			"Last year Freedonia was attacked by armed gangs who killed many people.", "neutral"},
		{"arabic victim", "عانت فريدونيا من أعمال عنف دامية ومروعة بعد الانتخابات.\n\n" +
			"شهدت فريدونيا أسوأ كارثة في تاريخها وسقط الكثير من الضحايا.\n\n" +
			"تعرضت فريدونيا لهجوم إرهابي مروع أسفر عن مقتل العشرات.", "neutral"},
		{"english victim and praise", "Freedonia suffered heavy losses in the deadly storm last week.\n\n" +
			"Freedonia faced the worst floods in its history, a terrible disaster.\n\n" +
			"Freedonia handled the crisis with wonderful courage and great skill.", "favor"},
		{"english judged", "Freedonia is a terrible, corrupt and cruel regime.", "against"},
	} {
		items, err := a.Annotate(context.Background(), &schema.Document{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 {
			t.Fatalf("%s: %d items, want 1", tt.name, len(items))
		}
		if items[0].Label != tt.want {
			t.Errorf("%s: %s %.2f %q, want %s", tt.name, items[0].Label, *items[0].Score, items[0].Text, tt.want)
		}
	}
}

// TestTargetRoles checks the role rules on their own, in Arabic and English.
func TestTargetRoles(t *testing.T) {
	ct := compileTarget(Target{Name: "Freedonia", Aliases: []string{"فريدونيا", "جمهورية فريدونيا"}})
	for _, tt := range []struct {
		text string
		want targetRole
	}{
		{"Freedonia faced the worst crisis", roleExperiencer},
		{"Freedonia was attacked by gangs", roleExperiencer},
		{"تعرضت فريدونيا لعدوان مسلح", roleExperiencer},
		{"إن فريدونيا شهدت أسوأ أزمة", roleExperiencer},
		{"we are grateful to Freedonia for its help", roleJudged},
		{"نشكر فريدونيا على دعمها", roleJudged},
		{"Freedonia attacked its neighbour", roleJudged}, // the agent of an attack is judged
		// a clause that says what befell it and judges it, judges it
		{"Freedonia faced the storm and Freedonia is generous", roleJudged},
	} {
		toks := tokens(tt.text)
		if got := roleOf(toks, ct.mentionSpans(toks)); got != tt.want {
			t.Errorf("%q: role %d, want %d", tt.text, got, tt.want)
		}
	}
}

// TestMentionSpansKeepLongestForm: an alias inside a longer form of the same target
// ("معاهدة الأمن الجماعي" in "منظمة معاهدة الأمن الجماعي") is one mention, whose context
// is that of the whole name: counted twice, the inner one's context is the rest of the
// name, and a verb before the name is not next to it.
func TestMentionSpansKeepLongestForm(t *testing.T) {
	ct := compileTarget(Target{Name: "منظمة معاهدة الأمن الجماعي", Aliases: []string{"معاهدة الأمن الجماعي", "CSTO"}})
	toks := tokens("الدول الأعضاء في منظمة معاهدة الأمن الجماعي والمادة 2 من معاهدة الأمن الجماعي")
	got := ct.mentionSpans(toks)
	want := [][2]int{{3, 7}, {10, 13}}
	if !slices.Equal(got, want) {
		t.Errorf("spans %v, want %v (tokens %q)", got, want, toks)
	}
}
