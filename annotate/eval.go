package annotate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsds/newsds/schema"
)

// ---- Labelled tables (sentiment and stance sets) ----

// labelledRow is one gold row, its label already mapped to the toolkit's label set.
type labelledRow struct {
	Line   int // 1-based line of the record in the file
	Text   string
	Target string
	Label  string
}

type labelledTable struct {
	SHA256 string
	Rows   []labelledRow
}

// ClassifierOptions configures EvalClassifier. Empty column names are detected from the
// header of the known shared sets: text tweet|text|s2|perspective|sentence, label
// sentiment|stance|stance_label_3|label, target s1|claim|target.
type ClassifierOptions struct {
	TextColumn   string
	LabelColumn  string
	TargetColumn string
	// ModelFile scores a model file instead of the shipped one.
	ModelFile string
}

var (
	textColumns   = []string{"tweet", "text", "s2", "perspective", "sentence"}
	targetColumns = []string{"s1", "claim", "target"}
	labelColumns  = map[string][]string{
		"sentiment": {"sentiment", "label"},
		"stance":    {"stance", "stance_label_3", "label"},
	}
)

// MapLabel maps a gold label spelling of the shared sets to the toolkit's label:
// NEG/Negative → negative, NEU/Neutral → neutral, POS/Positive → positive,
// agree/SUPPORT/favor → favor, disagree/UNDERMINE/against → against, other → neutral.
// kind is "sentiment" or "stance".
func MapLabel(kind, label string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	switch kind {
	case "sentiment":
		switch l {
		case "neg", "negative":
			return "negative", nil
		case "neu", "neutral":
			return "neutral", nil
		case "pos", "positive":
			return "positive", nil
		}
	case "stance":
		switch l {
		case "agree", "support", "favor", "favour", "pro":
			return "favor", nil
		case "disagree", "undermine", "against", "con":
			return "against", nil
		case "other", "neutral", "none":
			return "neutral", nil
		}
	default:
		return "", fmt.Errorf("unknown classifier kind %q (want sentiment or stance)", kind)
	}
	return "", fmt.Errorf("unknown %s label %q", kind, label)
}

func pickColumn(header []string, given string, candidates []string, what string) (int, error) {
	if given != "" {
		if i := slices.Index(header, strings.ToLower(given)); i >= 0 {
			return i, nil
		}
		return -1, fmt.Errorf("no %s column %q (columns: %s)", what, given, strings.Join(header, ", "))
	}
	for _, c := range candidates {
		if i := slices.Index(header, c); i >= 0 {
			return i, nil
		}
	}
	return -1, fmt.Errorf("no %s column found (columns: %s); name it with the %s column option", what, strings.Join(header, ", "), what)
}

// readLabelled reads a CSV (or TSV, by extension) gold file. Perspectrum's TSV uses CSV
// quoting, which encoding/csv reads with Comma set to tab.
func readLabelled(path, kind string, opts ClassifierOptions) (labelledTable, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return labelledTable{}, fmt.Errorf("read gold: %w", err)
	}
	tab := labelledTable{SHA256: sha256Hex(raw)}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	if strings.EqualFold(filepath.Ext(path), ".tsv") {
		r.Comma = '\t'
	}
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return tab, fmt.Errorf("%s: header: %w", path, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	ti, err := pickColumn(header, opts.TextColumn, textColumns, "text")
	if err != nil {
		return tab, fmt.Errorf("%s: %w", path, err)
	}
	li, err := pickColumn(header, opts.LabelColumn, labelColumns[kind], "label")
	if err != nil {
		return tab, fmt.Errorf("%s: %w", path, err)
	}
	gi := -1
	if kind == "stance" {
		if gi, err = pickColumn(header, opts.TargetColumn, targetColumns, "target"); err != nil {
			return tab, fmt.Errorf("%s: %w", path, err)
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return tab, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) <= max(ti, li, gi) {
			return tab, fmt.Errorf("%s:%d: %d fields, want at least %d", path, line, len(rec), max(ti, li, gi)+1)
		}
		label, err := MapLabel(kind, rec[li])
		if err != nil {
			return tab, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		row := labelledRow{Line: line, Text: rec[ti], Label: label}
		if gi >= 0 {
			row.Target = rec[gi]
		}
		if strings.TrimSpace(row.Text) == "" {
			return tab, fmt.Errorf("%s:%d: empty text", path, line)
		}
		tab.Rows = append(tab.Rows, row)
	}
	return tab, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ---- Classifier scoring ----

// LabelScore is the per-label part of an EvalReport.
type LabelScore struct {
	Label     string  `json:"label"`
	Support   int     `json:"support"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// EvalReport scores a classifier (sentiment or stance) against a gold file. Macro-F1 is
// over the labels present in the gold; the baseline predicts the gold's majority label.
type EvalReport struct {
	Kind             string       `json:"kind,omitempty"`
	File             string       `json:"file,omitempty"`
	N                int          `json:"n"`
	Accuracy         float64      `json:"accuracy"`
	MacroF1          float64      `json:"macro_f1"`
	BaselineAccuracy float64      `json:"baseline_accuracy"`
	BaselineMacroF1  float64      `json:"baseline_macro_f1"`
	Majority         string       `json:"majority,omitempty"`
	Labels           []LabelScore `json:"labels,omitempty"`
	Note             string       `json:"note,omitempty"`
}

// scoreLabels computes accuracy and macro-F1 of pred against gold, and the
// majority-class baseline.
func scoreLabels(gold, pred []string) EvalReport {
	rep := EvalReport{N: len(gold)}
	if len(gold) == 0 {
		return rep
	}
	support := map[string]int{}
	var present []string
	for _, g := range gold {
		if support[g] == 0 {
			present = append(present, g)
		}
		support[g]++
	}
	slices.Sort(present)
	majority := present[0]
	for _, l := range present {
		if support[l] > support[majority] {
			majority = l
		}
	}
	rep.Majority = majority
	base := make([]string, len(gold))
	for i := range base {
		base[i] = majority
	}
	var per []LabelScore
	rep.Accuracy, rep.MacroF1, per = accuracyF1(gold, pred, present)
	rep.BaselineAccuracy, rep.BaselineMacroF1, _ = accuracyF1(gold, base, present)
	rep.Labels = per
	return rep
}

func accuracyF1(gold, pred, labels []string) (acc, macro float64, per []LabelScore) {
	correct := 0
	for i := range gold {
		if gold[i] == pred[i] {
			correct++
		}
	}
	acc = float64(correct) / float64(len(gold))
	for _, l := range labels {
		var tp, fp, fn int
		for i := range gold {
			switch {
			case gold[i] == l && pred[i] == l:
				tp++
			case pred[i] == l:
				fp++
			case gold[i] == l:
				fn++
			}
		}
		s := LabelScore{Label: l, Support: tp + fn}
		if tp+fp > 0 {
			s.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			s.Recall = float64(tp) / float64(tp+fn)
		}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		macro += s.F1
		per = append(per, s)
	}
	macro /= float64(len(labels))
	return acc, macro, per
}

// EvalClassifier scores the built-in sentiment or stance model against a labelled
// CSV/TSV file. When the model was trained on part of this very file (same sha256),
// only the held-out rows are scored, and Note says so.
func EvalClassifier(ctx context.Context, kind, path string, opts ClassifierOptions) (EvalReport, error) {
	var m *linearModel
	var err error
	switch kind {
	case "sentiment", "stance":
		m, err = loadModel(kind, opts.ModelFile)
	default:
		err = fmt.Errorf("eval: unknown classifier kind %q (want sentiment or stance)", kind)
	}
	if err != nil {
		return EvalReport{}, err
	}
	tab, err := readLabelled(path, kind, opts)
	if err != nil {
		return EvalReport{}, err
	}
	rows := tab.Rows
	note := ""
	for _, tf := range m.Files {
		if tf.SHA256 != tab.SHA256 {
			continue
		}
		var held []labelledRow
		for _, r := range rows {
			if heldOut(rowKey(r)) {
				held = append(held, r)
			}
		}
		note = fmt.Sprintf("the model was trained on %s (sha256 %.12s…): scored only its %d held-out rows of %d (%s)",
			tf.Name, tf.SHA256, len(held), len(rows), m.HeldOut)
		rows = held
		break
	}
	sc := newSentimentScorer(m)
	var st *stanceModel
	if kind == "stance" {
		st = &stanceModel{m: m}
	}
	gold := make([]string, 0, len(rows))
	pred := make([]string, 0, len(rows))
	for i, r := range rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return EvalReport{}, err
			}
		}
		var label string
		if st != nil {
			label, _ = st.classify(r.Target, r.Text)
		} else {
			label, _ = sc.classify(r.Text)
		}
		gold = append(gold, r.Label)
		pred = append(pred, label)
	}
	rep := scoreLabels(gold, pred)
	rep.Kind, rep.File, rep.Note = kind, path, note
	return rep, nil
}

// ---- Q&A scoring ----

// QAEvalOptions configures EvalQA.
type QAEvalOptions struct {
	// Gold is a folder of interview gold JSON files (or one such file). Each gold's
	// "file" is relative to the gold folder's parent.
	Gold string
	// Load turns an article file into a Document (the corpus extractor). When nil,
	// format "text" files are read as they are (the byline then comes from a "حوار:"
	// line of the text) and other formats are an error.
	Load func(path, format string) (schema.Document, error)
	// Annotator defaults to NewQA().
	Annotator Annotator
}

// QAFileReport is the score of one gold article.
type QAFileReport struct {
	Gold      string `json:"gold"`
	Turns     int    `json:"turns"`
	Predicted int    `json:"predicted"`
	Matched   int    `json:"matched"`
}

// QAReport scores turn boundaries (a predicted turn matches a gold turn when its
// normalised text starts with the gold text_start) and, over matched turns, role and
// speaker accuracy.
type QAReport struct {
	Files           int            `json:"files"`
	Turns           int            `json:"turns"`
	Predicted       int            `json:"predicted"`
	Matched         int            `json:"matched"`
	Precision       float64        `json:"precision"`
	Recall          float64        `json:"recall"`
	F1              float64        `json:"f1"`
	RoleAccuracy    float64        `json:"role_accuracy"`
	SpeakerAccuracy float64        `json:"speaker_accuracy"`
	PerFile         []QAFileReport `json:"per_file"`
}

type qaGold struct {
	File   string `json:"file"`
	Format string `json:"format"`
	Turns  []struct {
		Role      string `json:"role"`
		Speaker   string `json:"speaker"`
		TextStart string `json:"text_start"`
	} `json:"turns"`
}

// normTurnText is the gold's normalisation: leading Q/A markers and an inline speaker
// label removed, white space collapsed.
func normTurnText(s string) string {
	s = stripLeadMarkers(collapseSpace(s))
	if m := reQALabelAr.FindString(s); m != "" {
		s = s[len(m):]
	} else if m := reQALabelEn.FindString(s); m != "" {
		s = s[len(m):]
	} else if m := reNameLabelEn.FindStringSubmatch(s); m != nil && !notSpeakerLabels[fold(m[1])] {
		s = strings.TrimLeft(s[len(m[1]):], " :：")
	} else if m := reNameLabelAr.FindStringSubmatch(s); m != nil && !notSpeakerLabels[fold(m[1])] {
		s = strings.TrimLeft(s[len(m[1]):], " :：")
	}
	return collapseSpace(stripLeadMarkers(s))
}

// turnMatches applies the gold matching rule.
func turnMatches(pred, goldStart string) bool {
	g := collapseSpace(goldStart)
	if g == "" || pred == "" {
		return false
	}
	return strings.HasPrefix(pred, g) || (runeCount(pred) < 40 && strings.HasPrefix(g, pred))
}

// EvalQA scores the qa annotator against interview gold files.
func EvalQA(ctx context.Context, opts QAEvalOptions) (QAReport, error) {
	ann := opts.Annotator
	if ann == nil {
		ann = NewQA()
	}
	files, base, err := goldFiles(opts.Gold)
	if err != nil {
		return QAReport{}, err
	}
	var rep QAReport
	roleOK, speakerOK, speakerN := 0, 0, 0
	for _, gf := range files {
		raw, err := os.ReadFile(gf)
		if err != nil {
			return rep, fmt.Errorf("read gold: %w", err)
		}
		var g qaGold
		if err := json.Unmarshal(raw, &g); err != nil {
			return rep, fmt.Errorf("gold %s: %w", gf, err)
		}
		if g.File == "" {
			return rep, fmt.Errorf("gold %s: no \"file\"", gf)
		}
		doc, err := loadArticle(opts.Load, filepath.Join(base, filepath.FromSlash(g.File)), g.Format)
		if err != nil {
			return rep, fmt.Errorf("gold %s: %w", gf, err)
		}
		items, err := ann.Annotate(ctx, &doc)
		if err != nil {
			return rep, fmt.Errorf("gold %s: annotate: %w", gf, err)
		}
		var preds []schema.Item
		for _, it := range items {
			if it.IsSpan() {
				preds = append(preds, it)
			}
		}
		norm := make([]string, len(preds))
		for i, it := range preds {
			norm[i] = normTurnText(it.Text)
		}
		used := make([]bool, len(preds))
		fr := QAFileReport{Gold: filepath.Base(gf), Turns: len(g.Turns), Predicted: len(preds)}
		for _, gt := range g.Turns {
			for i := range preds {
				if used[i] || !turnMatches(norm[i], gt.TextStart) {
					continue
				}
				used[i] = true
				fr.Matched++
				if predRole(preds[i]) == gt.Role {
					roleOK++
				}
				if gt.Speaker != "" {
					speakerN++
					if collapseSpace(preds[i].Attrs[schema.AttrSpeaker]) == collapseSpace(gt.Speaker) {
						speakerOK++
					}
				}
				break
			}
		}
		rep.Files++
		rep.Turns += fr.Turns
		rep.Predicted += fr.Predicted
		rep.Matched += fr.Matched
		rep.PerFile = append(rep.PerFile, fr)
	}
	rep.Precision = ratio(rep.Matched, rep.Predicted)
	rep.Recall = ratio(rep.Matched, rep.Turns)
	if rep.Precision+rep.Recall > 0 {
		rep.F1 = 2 * rep.Precision * rep.Recall / (rep.Precision + rep.Recall)
	}
	rep.RoleAccuracy = ratio(roleOK, rep.Matched)
	rep.SpeakerAccuracy = ratio(speakerOK, speakerN)
	return rep, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// predRole is the speaker role of a predicted turn: its attribute, else its label.
func predRole(it schema.Item) string {
	if r := it.Attrs[schema.AttrSpeakerRole]; r != "" {
		return r
	}
	if it.Label == "question" {
		return "interviewer"
	}
	return "interviewee"
}

// goldFiles lists the gold JSON files of a folder (sorted) or the one file given, and
// the folder their "file" paths are relative to.
func goldFiles(path string) ([]string, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("gold: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, filepath.Dir(filepath.Dir(path)), nil
	}
	files, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, "", fmt.Errorf("gold: %w", err)
	}
	if len(files) == 0 {
		return nil, "", fmt.Errorf("gold %s: no .json files", path)
	}
	slices.Sort(files)
	return files, filepath.Dir(filepath.Clean(path)), nil
}

func loadArticle(load func(string, string) (schema.Document, error), path, format string) (schema.Document, error) {
	if load != nil {
		doc, err := load(path, format)
		if err != nil {
			return doc, fmt.Errorf("load %s: %w", path, err)
		}
		return doc, nil
	}
	if format != "text" {
		return schema.Document{}, fmt.Errorf("article %s: format %q needs a loader (the corpus extractor)", path, format)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return schema.Document{}, fmt.Errorf("article: %w", err)
	}
	text := strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n"))
	return schema.Document{Text: text, ContentHash: schema.ContentHash(text)}, nil
}
