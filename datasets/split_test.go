package datasets

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/newsds/newsds/schema"
)

func TestParseSplit(t *testing.T) {
	for spec, want := range map[string]string{
		"":                                  DefaultSplit,
		"train=0.8,validation=0.1,test=0.1": DefaultSplit,
		" train=0.7 , test=0.3":             "train=0.7,test=0.3",
		"a=0.25,b=0.25,c=0.5":               "a=0.25,b=0.25,c=0.5",
		"date:2024-01-01,2024-07-01":        "date:2024-01-01,2024-07-01",
		"date:2024-01-01":                   "date:2024-01-01",
	} {
		s, err := ParseSplit(spec)
		if err != nil {
			t.Errorf("%q: %v", spec, err)
			continue
		}
		if s.String() != want {
			t.Errorf("%q: canonical %q, want %q", spec, s.String(), want)
		}
		again, err := ParseSplit(s.String())
		if err != nil || again.String() != s.String() {
			t.Errorf("%q: canonical form does not parse back: %v", spec, err)
		}
	}
	for _, bad := range []string{"train", "train=0.5", "train=0.5,test=0.6", "train=0.5,train=0.5", "tr ain=1",
		"train=-1,test=2", "train=NaN", "date:2024-13-01", "date:2024-07-01,2024-01-01", "date:2024-01-01,2024-02-01,2024-03-01", "date:"} {
		if _, err := ParseSplit(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestHashSplitRatios(t *testing.T) {
	s, _ := ParseSplit(DefaultSplit)
	counts := make([]int, 3)
	const n = 20000
	for i := range n {
		row := schema.ArticleRow{ID: fmt.Sprintf("https://news.example/%d", i)}
		k := s.Assign(&row)
		if k2 := s.Assign(&row); k2 != k {
			t.Fatal("assignment not deterministic")
		}
		counts[k]++
	}
	for i, want := range []float64{0.8, 0.1, 0.1} {
		if got := float64(counts[i]) / n; math.Abs(got-want) > 0.015 {
			t.Errorf("split %d holds %.3f of the ids, want about %.1f", i, got, want)
		}
	}
	// Pinned assignments, computed independently in Python (sha256, first 8 bytes >> 11,
	// / 2^53): changing the hash would move documents between releases.
	if got := hashUnit("doc-004"); math.Abs(got-0.9001788787892779) > 1e-15 {
		t.Errorf("hashUnit(doc-004) = %v", got)
	}
	pinned := map[string]int{}
	for i := range 8 {
		id := fmt.Sprintf("doc-%03d", i)
		pinned[id] = s.Assign(&schema.ArticleRow{ID: id})
	}
	if fmt.Sprint(pinned) != "map[doc-000:0 doc-001:0 doc-002:0 doc-003:0 doc-004:2 doc-005:0 doc-006:0 doc-007:0]" {
		t.Errorf("assignments changed: %v", pinned)
	}
}

func TestDateSplit(t *testing.T) {
	s, err := ParseSplit("date:2024-01-01,2024-07-01")
	if err != nil {
		t.Fatal(err)
	}
	at := func(v string) *time.Time {
		tm, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	for _, c := range []struct {
		published *time.Time
		want      string
	}{
		{nil, "train"},
		{at("2023-12-31T23:59:59Z"), "train"},
		// 02:00 on 1 January in Doha is still 2023 in UTC.
		{at("2024-01-01T02:00:00+03:00"), "train"},
		{at("2024-01-01T00:00:00Z"), "validation"},
		{at("2024-06-30T12:00:00Z"), "validation"},
		{at("2024-07-01T00:00:00Z"), "test"},
	} {
		row := schema.ArticleRow{ID: "x", Published: c.published}
		if got := s.Names()[s.Assign(&row)]; got != c.want {
			t.Errorf("%v: %s, want %s", c.published, got, c.want)
		}
	}
}
