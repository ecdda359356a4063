package corpus

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

var jsonFastCases = []string{
	`{}`, ` { } `, `{"a":1}`, `{"text":"x\ny\t\"q\" \\ \/ \b\f\r","n":-0.5e+3}`,
	`{"a":"\u00e9\u0000\u20ac"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\ud800"}`, `{"a":"\udc00x"}`,
	`{"a\u0062":1}`, `{"a":1,"a":2}`, `{"a":[1,{"b":[true,false,null]}],"c":{}}`,
	`{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`, `{"a":-}`, `{"a":tru}`, `{"a":nul}`,
	`{"a":1,}`, `{,}`, `{"a" 1}`, `{"a":1}x`, `{"a":1} {}`, `[1]`, `null`, `"s"`,
	"{\"a\":\"x\ty\"}", `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12g4"}`, `{"a":"abc`, `{"a":`,
	`{"a":[1 2]}`, `{"a":{"b" 1}}`, `{"a":{"b":1,}}`, `{"a":[,]}`, `{"a":1E5,"b":0,"c":-0}`,
	`{"a":"\uFFFF\uFFFE"}`, `{"title":"T","byline":["x",null],"meta":{"k":1.50}}`,
}

// checkJSONFast fails when the scanner says yes where encoding/json would differ.
func checkJSONFast(t *testing.T, line []byte) {
	t.Helper()
	if !utf8.Valid(line) {
		return // parseJSONLRecord rejects it before either parser
	}
	var want map[string]json.RawMessage
	werr := json.Unmarshal(line, &want)
	got, ok := splitJSONObject(line)
	if !ok {
		return // encoding/json decides
	}
	if werr != nil || want == nil {
		t.Fatalf("%q: scanner accepted what encoding/json rejects (%v)", line, werr)
	}
	if len(got) != len(want) {
		t.Fatalf("%q: %d keys, encoding/json %d", line, len(got), len(want))
	}
	for k, v := range want {
		if !bytes.Equal(got[k], v) {
			t.Fatalf("%q: key %q = %q, encoding/json %q", line, k, got[k], v)
		}
		s, ok := fastJSONString(got[k])
		ws, werr := jsonString(v)
		if ok && (werr != nil || s != ws) {
			t.Fatalf("%q: string %q = %q, encoding/json %q (%v)", line, k, s, ws, werr)
		}
	}
}

func TestSplitJSONObjectAgreesWithEncodingJSON(t *testing.T) {
	accepted := 0
	for _, c := range jsonFastCases {
		checkJSONFast(t, []byte(c))
		if _, ok := splitJSONObject([]byte(c)); ok {
			accepted++
		}
	}
	// The fast path must actually be taken for the plain shapes, with escapes in text.
	for _, c := range []string{`{}`, `{"text":"x\ny\t\"q\" \\ \/ \b\f\r","n":-0.5e+3}`, `{"a":"\u00e9\u0000\u20ac"}`} {
		obj, ok := splitJSONObject([]byte(c))
		if !ok {
			t.Fatalf("%s: not taken by the fast path", c)
		}
		for k, v := range obj {
			if _, ok := fastJSONString(v); !ok && v[0] == '"' {
				t.Fatalf("%s: string %q not decoded by the fast path", c, k)
			}
		}
	}
	if accepted < 8 {
		t.Fatalf("the scanner accepted only %d of the cases", accepted)
	}
	// Seeded byte flips, deletions and insertions of JSON's own characters around valid
	// records.
	rng := rand.New(rand.NewPCG(15, 3))
	alphabet := []byte(`{}[]":,\ 0123456789.eE+-tfnulrasbu` + "\t\n")
	for _, c := range jsonFastCases {
		for range 300 {
			b := []byte(c)
			for range 1 + rng.IntN(3) {
				if len(b) == 0 {
					break
				}
				i := rng.IntN(len(b))
				switch rng.IntN(3) {
				case 0:
					b[i] = alphabet[rng.IntN(len(alphabet))]
				case 1:
					b = append(b[:i:i], b[i+1:]...)
				default:
					b = append(b[:i:i], append([]byte{alphabet[rng.IntN(len(alphabet))]}, b[i:]...)...)
				}
			}
			checkJSONFast(t, b)
		}
	}
}

func FuzzSplitJSONObject(f *testing.F) {
	for _, c := range jsonFastCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, line []byte) { checkJSONFast(t, line) })
}
