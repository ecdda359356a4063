package validate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

func TestCleanRecordsHaveNoFindings(t *testing.T) {
	rf, err := ParseRulesFile("rules.yaml", []byte(`
coverage: {layer: sentiment, min: 1}
label_share: {layer: sentiment, max: 0.9}
custom:
  - id: lang-ar-or-en
    on: document
    expr: doc.lang == 'ar' || doc.lang == 'en'
    message: is neither Arabic nor English
  - id: sentiment-confident
    on: item
    expr: item.layer != 'sentiment' || item.score >= 0.2
`))
	if err != nil {
		t.Fatal(err)
	}
	opts := fixtureOptions()
	opts.Rules = rf
	r := validateRecs(t, cleanRecords(t), opts)
	if len(r.Findings) != 0 || r.ExitCode != ExitClean {
		t.Fatalf("clean records: exit %d, findings:%s", r.ExitCode, describe(r))
	}
	if r.Checked.Documents != 2 || r.Checked.Annotations != 4 || r.Checked.Items != 8 {
		t.Errorf("checked = %+v", r.Checked)
	}
}

// plant is one planted error: a change to the clean records and the one finding it must
// cause.
type plant struct {
	name   string
	rules  string // rules file, if any
	change func(t *testing.T, recs []schema.Record) []schema.Record
	rule   string
	doc    string
	layer  string
	item   int // -1: no item
	msg    string
}

func qa(recs []schema.Record) *schema.Annotation     { return &recs[0].Annotations[0] }
func stance(recs []schema.Record) *schema.Annotation { return &recs[0].Annotations[2] }

func TestPlantedRecordErrors(t *testing.T) {
	const ar, en = "ar-interview-1", "en-1"
	plants := []plant{
		{name: "id with a space", rule: RuleDocID, doc: "ar interview", item: -1, msg: "spaces",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[0].ID = "ar interview"
				for i := range r[0].Annotations {
					r[0].Annotations[i].DocID = ""
				}
				return r
			}},
		{name: "blank body", rule: RuleDocText, doc: en, item: -1, msg: "empty body",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].Text = " \n "
				r[1].ContentHash = schema.ContentHash(r[1].Text)
				r[1].Annotations = nil
				return r
			}},
		{name: "published without offset", rule: RuleDocPublished, doc: en, item: -1, msg: `"2024-03-02 09:00"`,
			change: func(t *testing.T, r []schema.Record) []schema.Record { r[1].Published = "2024-03-02 09:00"; return r }},
		{name: "unknown language", rule: RuleDocLang, doc: en, item: -1, msg: `"xx"`,
			change: func(t *testing.T, r []schema.Record) []schema.Record { r[1].Lang = "xx"; return r }},
		{name: "withdrawn language", rule: RuleDocLang, doc: ar, item: -1, msg: "use he",
			change: func(t *testing.T, r []schema.Record) []schema.Record { r[0].Lang = "iw"; return r }},
		{name: "relative url", rule: RuleDocURL, doc: en, item: -1, msg: "absolute",
			change: func(t *testing.T, r []schema.Record) []schema.Record { r[1].URL = "/en/1"; return r }},
		{name: "invalid utf-8 title", rule: RuleDocUTF8, doc: en, item: -1, msg: "title has invalid UTF-8 at byte 3",
			change: func(t *testing.T, r []schema.Record) []schema.Record { r[1].Title = "Tal\xffks"; return r }},
		{name: "decomposed accent", rule: RuleDocNFC, doc: en, item: -1, msg: "code point 7",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].Text = "The cafe\u0301 minister spoke."
				r[1].ContentHash = schema.ContentHash(r[1].Text)
				r[1].Annotations[0].ContentHash = r[1].ContentHash
				return r
			}},
		{name: "duplicate id", rule: RuleDocDuplicateID, doc: en, item: -1, msg: "more than one",
			change: func(t *testing.T, r []schema.Record) []schema.Record { return append(r, englishRecord(t)) }},
		{name: "content hash of other text", rule: RuleDocContentHash, doc: en, item: -1, msg: "not the sha256",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].ContentHash = schema.ContentHash("other")
				r[1].Annotations[0].ContentHash = ""
				return r
			}},
		// Issue 8 item 2: an original marked a duplicate of itself, or a duplicate whose
		// original is gone, silently leaves releases.
		{name: "duplicate of itself", rule: RuleDocDupOf, doc: en, item: -1, msg: "duplicate of itself",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].Meta = map[string]any{schema.MetaDupOf: en, "dup_similarity": 1.0}
				return r
			}},
		{name: "duplicate of a missing document", rule: RuleDocDupOf, doc: ar, item: -1, msg: "gone-1, which is not in this version",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[0].Meta = map[string]any{schema.MetaDupOf: "gone-1"}
				return r
			}},
		{name: "turn ends before it starts", rule: RuleSpanBounds, doc: ar, layer: schema.LayerQA, item: 2, msg: "turn 3 span [120,90) ends before it starts",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				it := &qa(r).Items[2]
				it.Start, it.End = schema.Int(120), schema.Int(90)
				return r
			}},
		{name: "span past the text", rule: RuleSpanBounds, doc: ar, layer: schema.LayerStance, item: 0, msg: "ends past the text",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				stance(r).Items[0].End = schema.Int(5000)
				return r
			}},
		{name: "stored span text differs", rule: RuleSpanText, doc: ar, layer: schema.LayerStance, item: 0, msg: "stores",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				stance(r).Items[0].Text = "نقدر موقف مصر"
				return r
			}},
		{name: "overlapping turns", rule: RuleSpanOverlap, doc: ar, layer: schema.LayerQA, item: 1, msg: "overlaps turn 1",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				it := &qa(r).Items[1]
				*it.Start -= 5
				it.Text, _ = schema.SliceCP(r[0].Text, *it.Start, *it.End)
				return r
			}},
		{name: "answer without question", rule: RuleQAAlternation, doc: ar, layer: schema.LayerQA, item: 0, msg: "no question comes before it",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				it := &qa(r).Items[0]
				it.Label, it.Attrs[schema.AttrSpeakerRole] = "answer", "interviewee"
				return r
			}},
		{name: "turns out of order", rule: RuleQAAlternation, doc: ar, layer: schema.LayerQA, item: 3, msg: "turn 7 is the 4th turn",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				qa(r).Items[3].Attrs[schema.AttrTurn] = "7"
				return r
			}},
		{name: "question by the interviewee", rule: RuleQARoles, doc: ar, layer: schema.LayerQA, item: 2, msg: `turn 3 is a question but its speaker_role is "interviewee"`,
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				qa(r).Items[2].Attrs[schema.AttrSpeakerRole] = "interviewee"
				return r
			}},
		{name: "text changed after annotation", rule: RuleStale, doc: ar, layer: schema.LayerQA, item: -1, msg: "newsds annotate --with qa --docs ar-interview-1",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				qa(r).ContentHash = schema.ContentHash("older text")
				for i := range qa(r).Items {
					*qa(r).Items[i].Start += 3 // stale spans are not checked against the new text
				}
				return r
			}},
		{name: "undeclared label", rule: RuleLabelUnknown, doc: en, layer: schema.LayerSentiment, item: 0, msg: `label "happy"`,
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].Annotations[0].Items[0].Label = "happy"
				return r
			}},
		{name: "score above one", rule: RuleScoreRange, doc: ar, layer: schema.LayerStance, item: 0, msg: "1.5 is outside [0,1]",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				stance(r).Items[0].Score = schema.Float(1.5)
				return r
			}},
		{name: "two document sentiments", rule: RuleSentimentPerDoc, doc: en, layer: schema.LayerSentiment, item: -1, msg: "2 document-level sentiments (neutral, positive)",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				a := &r[1].Annotations[0]
				a.Items = append(a.Items, schema.Item{Label: "positive", Score: schema.Float(0.5)})
				return r
			}},
		{name: "undeclared target", rule: RuleStanceTarget, doc: ar, layer: schema.LayerStance, item: 0, msg: `"مصر" is not declared in targets.yaml`,
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				stance(r).Items[0].Attrs[schema.AttrTarget] = "مصر"
				return r
			}},
		{name: "annotation of another document", rule: RuleAnnotationDocMiss, doc: en, layer: schema.LayerSentiment, item: -1, msg: "names document x",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].Annotations[0].DocID = "x"
				return r
			}},
		{name: "coverage below minimum", rules: "coverage: {layer: stance, min: 0.9}", rule: RuleCoverage, layer: schema.LayerStance, item: -1,
			msg:    "covers 1 of 2 documents (50.0%)",
			change: func(t *testing.T, r []schema.Record) []schema.Record { return r }},
		{name: "label share above maximum", rules: "label_share: [{layer: sentiment, max: 0.5}]", rule: RuleLabelShare, layer: schema.LayerSentiment, item: -1,
			msg:    "label neutral is 66.7% of the 3 sentiment items",
			change: func(t *testing.T, r []schema.Record) []schema.Record { return r }},
		{name: "custom document rule", rules: "custom: [{id: lang-ar, on: document, expr: \"doc.lang == 'ar'\", message: is not Arabic}]",
			rule: "lang-ar", doc: en, item: -1, msg: "document is not Arabic",
			change: func(t *testing.T, r []schema.Record) []schema.Record { return r }},
		{name: "custom item rule", rules: "custom: [{id: confident, on: item, expr: \"item.layer != 'sentiment' || item.score >= 0.2\"}]",
			rule: "confident", doc: en, layer: schema.LayerSentiment, item: 0, msg: "item fails",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].Annotations[0].Items[0].Score = schema.Float(0.1)
				return r
			}},
		{name: "custom rule on a missing field", rules: "custom: [{id: confident, on: item, expr: \"item.layer != 'sentiment' || item.score >= 0.2\"}]",
			rule: RuleCustomEvaluation, doc: en, layer: schema.LayerSentiment, item: 0, msg: "no such key",
			change: func(t *testing.T, r []schema.Record) []schema.Record {
				r[1].Annotations[0].Items[0].Score = nil
				return r
			}},
	}
	for _, p := range plants {
		t.Run(p.name, func(t *testing.T) {
			opts := fixtureOptions()
			if p.rules != "" {
				rf, err := ParseRulesFile("rules.yaml", []byte(p.rules))
				if err != nil {
					t.Fatal(err)
				}
				opts.Rules = rf
			}
			r := validateRecs(t, p.change(t, clone(cleanRecords(t))), opts)
			if len(r.Findings) != 1 {
				t.Fatalf("want exactly one %s finding, got:%s", p.rule, describe(r))
			}
			f := r.Findings[0]
			if f.Rule != p.rule || f.Location.DocID != p.doc || f.Location.Layer != p.layer || !strings.Contains(f.Message+" "+f.Fix, p.msg) {
				t.Fatalf("want %s doc %q layer %q containing %q, got:%s", p.rule, p.doc, p.layer, p.msg, describe(r))
			}
			if (p.item < 0) != (f.Location.Item == nil) || (p.item >= 0 && *f.Location.Item != p.item) {
				t.Fatalf("want item %d, got %v", p.item, f.Location.Item)
			}
			wantExit := ExitFindings
			if f.Severity != SeverityError {
				wantExit = ExitClean
			}
			if r.ExitCode != wantExit {
				t.Errorf("exit %d, want %d", r.ExitCode, wantExit)
			}
		})
	}
}

func TestAgreement(t *testing.T) {
	// Two human annotators label the document sentiment of 20 documents; they agree on
	// 12 and disagree on 8 spread over the labels, a kappa far below 0.6.
	var recs []schema.Record
	labels := schema.SentimentLabels
	for i := range 20 {
		rec := englishRecord(t)
		rec.ID = "doc-" + string(rune('a'+i))
		a, b := labels[i%3], labels[i%3]
		if i < 8 {
			b = labels[(i+1)%3]
		}
		mk := func(name, label string) schema.Annotation {
			return schema.Annotation{DocID: rec.ID, Layer: schema.LayerSentiment, ContentHash: rec.ContentHash,
				Annotator: schema.Annotator{Name: name, Kind: schema.KindHuman}, Items: []schema.Item{{Label: label}}}
		}
		rec.Annotations = []schema.Annotation{mk("amal", a), mk("bilal", b)}
		recs = append(recs, rec)
	}
	rf, err := ParseRulesFile("rules.yaml", []byte("agreement: {layer: sentiment, min_kappa: 0.6}"))
	if err != nil {
		t.Fatal(err)
	}
	r := validateRecs(t, recs, Options{Rules: rf})
	if len(r.Findings) != 1 || r.Findings[0].Rule != RuleAgreement || !strings.Contains(r.Findings[0].Message, "between amal and bilal") ||
		!strings.Contains(r.Findings[0].Message, "over 20 common units") {
		t.Fatalf("want one agreement finding, got:%s", describe(r))
	}
	// po = 12/20 = 0.6; each annotator used each label evenly enough that pe ≈ 1/3.
	if !strings.Contains(r.Findings[0].Message, "0.4") {
		t.Errorf("kappa: %s", r.Findings[0].Message)
	}
	// With only the agreeing documents kappa is 1: no finding.
	r = validateRecs(t, recs[8:], Options{Rules: rf})
	if len(r.Findings) != 0 {
		t.Fatalf("agreeing annotators:%s", describe(r))
	}
	// A single annotator cannot be judged: a note, not an error.
	for i := range recs {
		recs[i].Annotations = recs[i].Annotations[:1]
	}
	r = validateRecs(t, recs, Options{Rules: rf})
	if len(r.Findings) != 1 || r.Findings[0].Severity != SeverityInfo || r.ExitCode != ExitClean {
		t.Fatalf("one annotator:%s", describe(r))
	}
}

func TestRulesFileRelevelsAndTurnsOff(t *testing.T) {
	recs := clone(cleanRecords(t))
	recs[1].Lang = "xx"
	recs[1].URL = "nope"
	rf, err := ParseRulesFile("rules.yaml", []byte("rules:\n  doc-lang: warning\n  doc-url: off\n"))
	if err != nil {
		t.Fatal(err)
	}
	opts := fixtureOptions()
	opts.Rules = rf
	r := validateRecs(t, recs, opts)
	if len(r.Findings) != 1 || r.Findings[0].Rule != RuleDocLang || r.Findings[0].Severity != SeverityWarning || r.ExitCode != ExitClean {
		t.Fatalf("re-levelled:%s exit %d", describe(r), r.ExitCode)
	}
	for _, ri := range r.Rules {
		if ri.ID == RuleDocURL {
			t.Errorf("rule turned off is still listed")
		}
	}
	opts.Strict = true
	if r := validateRecs(t, recs, opts); r.ExitCode != ExitFindings {
		t.Errorf("strict: exit %d, want 1", r.ExitCode)
	}
}

func TestRulesFileErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"rules: {no-such-rule: off}", "no such rule"},
		{"rules: {doc-lang: loud}", "not one of error"},
		{"coverage: {layer: x, min: 2}", "coverage[0]"},
		{"custom: [{id: Bad_Id, on: item, expr: 'true'}]", "kebab-case"},
		{"custom: [{id: span-bounds, on: item, expr: 'true'}]", "built-in"},
		{"custom: [{id: x, on: row, expr: 'true'}]", "neither document nor item"},
		{"unknown_key: 1", "unknown"},
	} {
		if _, err := ParseRulesFile("rules.yaml", []byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.yaml, err, tc.want)
		}
	}
	rf, err := ParseRulesFile("rules.yaml", []byte("custom: [{id: not-bool, on: document, expr: 'doc.lang + 1'}]"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ValidateRecords(context.Background(), "c", seqOf(nil), Options{Rules: rf}); err == nil {
		t.Error("an expression that does not type-check must fail before any data is read")
	}
}

func TestMaxErrorsStops(t *testing.T) {
	var recs []schema.Record
	for i := range 50 {
		rec := englishRecord(t)
		rec.ID = "d" + string(rune('A'+i))
		rec.Annotations[0].DocID = rec.ID
		rec.Lang = "xx"
		recs = append(recs, rec)
	}
	r := validateRecs(t, recs, Options{MaxErrors: 3})
	if !r.Stopped || r.Errors != 3 || len(r.Findings) != 3 || !strings.Contains(r.Summary(), "stopped at --max-errors") {
		t.Fatalf("stopped=%v errors=%d summary %q", r.Stopped, r.Errors, r.Summary())
	}
	if r.Checked.Documents >= 50 {
		t.Errorf("checked %d documents after stopping", r.Checked.Documents)
	}
}

func TestKeepPerRuleBoundsFindings(t *testing.T) {
	var recs []schema.Record
	var streamed int
	for i := range 30 {
		rec := englishRecord(t)
		rec.ID = "d" + string(rune('A'+i))
		rec.Annotations[0].DocID = rec.ID
		rec.Lang = "xx"
		recs = append(recs, rec)
	}
	r := validateRecs(t, recs, Options{KeepPerRule: 5, OnFinding: func(Finding) { streamed++ }})
	if len(r.Findings) != 5 || r.Dropped != 25 || r.Errors != 30 || streamed != 30 {
		t.Fatalf("kept %d dropped %d errors %d streamed %d", len(r.Findings), r.Dropped, r.Errors, streamed)
	}
}

func TestStreamErrorIsAFinding(t *testing.T) {
	seq := func(yield func(schema.Record, error) bool) {
		if !yield(englishRecord(t), nil) {
			return
		}
		yield(schema.Record{}, errors.New("doc x: decode: unexpected EOF"))
	}
	r, err := ValidateRecords(context.Background(), "corpus", seq, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Rule != RuleFileUnreadable || !strings.Contains(r.Findings[0].Message, "doc x") {
		t.Fatalf("findings:%s", describe(r))
	}
}

func TestLoadTargets(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/targets.yaml"
	writeFile(t, path, "- name: قطر\n  aliases: [Qatar]\n- name: منظمة معاهدة الأمن الجماعي\n")
	names, err := LoadTargets(path)
	if err != nil || len(names) != 2 {
		t.Fatalf("names %v err %v", names, err)
	}
	writeFile(t, path, "- aliases: [x]\n")
	if _, err := LoadTargets(path); err == nil || !strings.Contains(err.Error(), "target 1: empty name") {
		t.Errorf("err = %v", err)
	}
	// The file annotate accepts, validate accepts: the targets: mapping form too, and
	// both reject unknown fields (issue 9: one reader of the format).
	writeFile(t, path, "targets:\n  - name: قطر\n    aliases: [Qatar]\n")
	if names, err := LoadTargets(path); err != nil || len(names) != 1 {
		t.Errorf("targets: mapping: names %v err %v", names, err)
	}
	writeFile(t, path, "- name: قطر\n  alias: [Qatar]\n")
	if _, err := LoadTargets(path); err == nil {
		t.Errorf("an unknown field (alias) was accepted")
	}
}

// A duplicate may come before its original in the stream (ids sort either way): the
// original is looked for among all the documents, not only those seen so far.
func TestDupOfResolvedAcrossStream(t *testing.T) {
	recs := clone(cleanRecords(t))
	recs[0].Meta = map[string]any{schema.MetaDupOf: recs[1].ID, "dup_similarity": 0.9}
	if r := validateRecs(t, recs, fixtureOptions()); len(r.Findings) != 0 {
		t.Fatalf("duplicate of a later document: findings:%s", describe(r))
	}
}
