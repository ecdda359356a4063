package annotate

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// extDocs are the documents the external annotator tests send: Arabic with harakat, an
// emoji outside the BMP (two UTF-16 units, four bytes) and English.
func extDocs() []*schema.Document {
	texts := []struct{ id, lang, text string }{
		{"a", "ar", "قطرٌ 🇶🇦 تدعم الحوار"},
		{"b", "en", "Qatar 👍 supports the talks"},
		{"c", "ar", "لا تعليق"},
		{"d", "en", "No comment."},
		{"e", "en", "Café au lait"},
	}
	out := make([]*schema.Document, len(texts))
	for i, t := range texts {
		out[i] = &schema.Document{ID: t.id, Lang: t.lang, Title: "t-" + t.id, Text: t.text, ContentHash: schema.ContentHash(t.text)}
	}
	return out
}

// extCP returns the code-point span of the first occurrence of sub in text.
func extCP(t *testing.T, text, sub string) (int, int) {
	t.Helper()
	b := strings.Index(text, sub)
	if b < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	s, err := schema.CPOffset(text, b)
	if err != nil {
		t.Fatal(err)
	}
	return s, s + schema.LenCP(sub)
}

// extSleeps records the delays an External asked to sleep, without sleeping.
type extSleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *extSleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *extSleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func TestExternalInfoDefaultsAndParamsHash(t *testing.T) {
	cfg := config.ExternalAnnotator{Type: "http", Layer: "ner", URL: "http://127.0.0.1:1/x",
		Params: map[string]any{"threshold": 0.5, "model": "m1", "nested": map[any]any{"b": 2, "a": []any{1, "x"}}}}
	a, err := NewExternal("ner-model", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	info := a.Info()
	if info.Name != "ner-model" || info.Version != "0" || info.Kind != schema.KindModel || a.Layer() != "ner" {
		t.Errorf("info = %+v, layer %q", info, a.Layer())
	}
	canon, hash, err := CanonicalParams(cfg.Params)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"model":"m1","nested":{"a":[1,"x"],"b":2},"threshold":0.5}`; string(canon) != want {
		t.Errorf("canonical params = %s, want %s", canon, want)
	}
	if want := schema.SHA256Hex(canon); info.ParamsHash != want || hash != want {
		t.Errorf("params hash = %s / %s, want %s", info.ParamsHash, hash, want)
	}
	if _, ok := a.(BatchAnnotator); !ok {
		t.Error("NewExternal does not return a BatchAnnotator")
	}
	// The same params written in another order, or as YAML's map[any]any, hash the same.
	cfg2 := cfg
	cfg2.Params = map[string]any{"nested": map[string]any{"a": []any{1, "x"}, "b": 2}, "model": "m1", "threshold": 0.5}
	cfg2.Version, cfg2.Kind = "2.1", schema.KindHuman
	b, err := NewExternal("ner-model", cfg2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Info(); got.ParamsHash != info.ParamsHash || got.Version != "2.1" || got.Kind != schema.KindHuman {
		t.Errorf("info = %+v, want hash %s", got, info.ParamsHash)
	}
	if _, h, _ := CanonicalParams(nil); h != "" {
		t.Errorf("no params hash to %q, want empty", h)
	}
}

func TestExternalConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  config.ExternalAnnotator
		want string
	}{
		{config.ExternalAnnotator{Type: "grpc", Layer: "x"}, `annotators.n.type: "grpc" is neither`},
		{config.ExternalAnnotator{Type: "http", Layer: "x", URL: "ftp://h/x"}, `annotators.n.url: "ftp://h/x" is not an http(s) URL`},
		{config.ExternalAnnotator{Type: "command", Layer: "x"}, "annotators.n.command: empty"},
		{config.ExternalAnnotator{Type: "command", Command: []string{"x"}}, "annotators.n.layer: empty"},
		{config.ExternalAnnotator{Type: "command", Layer: "x", Command: []string{"x"}, Kind: "robot"}, `annotators.n.kind: "robot" is not one of`},
		{config.ExternalAnnotator{Type: "command", Layer: "x", Command: []string{"x"}, BatchSize: -1}, "must not be negative"},
	} {
		_, err := NewExternal("n", tc.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

func TestExternalItemValidation(t *testing.T) {
	text := "e\u0301\U0001F1F6\U0001F1E6\u0642" // e + combining acute, the Qatar flag (two regional indicators), qaf
	labels := []string{"LOC", "PER"}
	for _, tc := range []struct {
		raw, want string
	}{
		{`{"start":2,"end":4,"label":"LOC","score":0.5,"attrs":{"n":3,"ok":true,"s":"x"}}`, ""},
		{`{"label":"PER"}`, ""},
		{`{"start":0,"end":5,"label":"LOC"}`, ""},
		{`{"start":4,"end":6,"label":"LOC"}`, "span [4,6) ends past the text (5 code points)"},
		{`{"start":3,"end":1,"label":"LOC"}`, "span [3,1) ends before it starts"},
		{`{"start":-1,"end":1,"label":"LOC"}`, "span [-1,1) starts before the text"},
		{`{"start":2,"end":2,"label":"LOC"}`, "span [2,2) is empty"},
		{`{"start":2,"label":"LOC"}`, "a span needs both start and end"},
		{`{"start":0,"end":1,"label":""}`, "empty label"},
		{`{"start":0,"end":1}`, "no label (the layer's labels are LOC, PER)"},
		{`{"start":0,"end":1,"label":"ORG"}`, `label "ORG" is not one of LOC, PER`},
		{`{"start":0,"end":1,"label":"LOC","score":1.5}`, "score 1.5 is outside [0,1]"},
		{`{"start":0,"end":1,"label":"LOC","attrs":{"x":[1]}}`, "attrs.x: a list is not a string"},
		{`{"start":"0","end":1,"label":"LOC"}`, "malformed item"},
	} {
		it, err := extItem(json.RawMessage(tc.raw), text, schema.LenCP(text), labels)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.raw, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q (item %+v)", tc.raw, err, tc.want, it)
		}
	}
	it, err := extItem(json.RawMessage(`{"start":2,"end":4,"label":"LOC","attrs":{"n":3,"ok":true}}`), text, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if it.Text != "🇶🇦" || it.Attrs["n"] != "3" || it.Attrs["ok"] != "true" {
		t.Errorf("item = %+v", it)
	}
}

func TestExternalBackoffIsSeededAndBounded(t *testing.T) {
	mk := func(seed uint64) *External {
		e, err := NewExternalWithOptions("n", config.ExternalAnnotator{Type: "command", Layer: "x", Command: []string{"x"}, Retries: 5},
			ExternalOptions{Rand: rand.New(rand.NewPCG(seed, 1)), BaseDelay: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b, c := mk(7), mk(7), mk(8)
	retryable := &extRetryable{err: errors.New("boom")}
	var da, dc []time.Duration
	for attempt := range 5 {
		x, ok, _ := a.retryDelay(retryable, attempt)
		y, _, _ := b.retryDelay(retryable, attempt)
		z, _, _ := c.retryDelay(retryable, attempt)
		if !ok || x != y {
			t.Errorf("attempt %d: same seed gave %v and %v (retry %v)", attempt, x, y, ok)
		}
		full := 100 * time.Millisecond << attempt
		if x < full/2 || x > full {
			t.Errorf("attempt %d: delay %v outside [%v, %v]", attempt, x, full/2, full)
		}
		da, dc = append(da, x), append(dc, z)
	}
	if slices.Equal(da, dc) {
		t.Errorf("seeds 7 and 8 gave the same jitter %v", da)
	}
	if _, ok, _ := a.retryDelay(retryable, 5); ok {
		t.Error("retried past the retry limit")
	}
	if _, ok, _ := a.retryDelay(errors.New("400"), 0); ok {
		t.Error("retried a permanent error")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Thu, 02 Jan 2025 03:04:15 GMT": 10 * time.Second,
		"Thu, 02 Jan 2025 03:04:00 GMT": 0,
	} {
		if got := extRetryAfter(h, now); got != want {
			t.Errorf("Retry-After %q = %v, want %v", h, got, want)
		}
	}
}

func TestMemCache(t *testing.T) {
	c := NewMemCache()
	ctx := context.Background()
	v := []byte("x")
	if err := c.CachePut(ctx, "k", v); err != nil {
		t.Fatal(err)
	}
	v[0] = 'y'
	got, ok, err := c.CacheGet(ctx, "k")
	if err != nil || !ok || string(got) != "x" {
		t.Errorf("get = %q %v %v", got, ok, err)
	}
	if _, ok, _ := c.CacheGet(ctx, "other"); ok {
		t.Error("hit on a missing key")
	}
	if k := c.Keys(); len(k) != 1 || k[0] != "k" {
		t.Errorf("keys = %v", k)
	}
}

// The cache identity changes with whatever can change a result, and only with that.
func TestExternalCacheIdentity(t *testing.T) {
	base := config.ExternalAnnotator{Type: "command", Layer: "x", Version: "1", Kind: schema.KindModel, Command: []string{"python3", "m.py", "--fast"}}
	id := func(cfg config.ExternalAnnotator, params string, labels ...string) string {
		s, err := extCacheIdentity(cfg, params, labels)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ref := id(base, "h", "A", "B")
	differ := map[string]string{"params": id(base, "h2", "A", "B"), "labels": id(base, "h", "A")}
	for name, change := range map[string]func(*config.ExternalAnnotator){
		"args":    func(c *config.ExternalAnnotator) { c.Command = []string{"python3", "m.py"} },
		"program": func(c *config.ExternalAnnotator) { c.Command = []string{"python3.12", "m.py", "--fast"} },
		"type":    func(c *config.ExternalAnnotator) { c.Type, c.Command, c.URL = "http", nil, "http://h/x" },
		"layer":   func(c *config.ExternalAnnotator) { c.Layer = "y" },
		"version": func(c *config.ExternalAnnotator) { c.Version = "2" },
		"kind":    func(c *config.ExternalAnnotator) { c.Kind = schema.KindHuman },
	} {
		c := base
		change(&c)
		differ[name] = id(c, "h", "A", "B")
	}
	for name, got := range differ {
		if got == ref {
			t.Errorf("changing %s keeps the cache identity", name)
		}
	}
	same := base
	same.BatchSize, same.Concurrency, same.Timeout, same.Retries = 4, 8, config.Duration(time.Hour), 9
	same.Params = map[string]any{"only": "the hash counts"}
	if got := id(same, "h", "B", "A", "A"); got != ref {
		t.Error("batching, concurrency, timeout, retries or the order of labels changed the cache identity")
	}
}

func TestExtSplitArray(t *testing.T) {
	for in, want := range map[string][]string{
		`[]`:                                  {},
		` [ ] `:                               {},
		`[{"a":[1,2],"s":"x,]}\"y"}, 3 ,"q"]`: {`{"a":[1,2],"s":"x,]}\"y"}`, `3`, `"q"`},
		`[[],[[]]]`:                           {`[]`, `[[]]`},
	} {
		got, err := extSplitArray([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		var gs []string
		for _, g := range got {
			gs = append(gs, string(g))
		}
		if len(gs) != len(want) || (len(want) > 0 && !slices.Equal(gs, want)) {
			t.Errorf("%s: %q, want %q", in, gs, want)
		}
	}
	for _, in := range []string{`"nope"`, `{}`, `3`} {
		if _, err := extSplitArray([]byte(in)); err == nil {
			t.Errorf("%s: split as an array", in)
		}
	}
}
