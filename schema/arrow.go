package schema

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// The release configs. Their Arrow schemas below are the one definition of a release
// row; the Hugging Face features (features.go) are derived from them.
//
// Choices made so that pandas, Hugging Face datasets and DuckDB all read the files
// without casts:
//   - labels are int64 class ids (the index in the layer's label set), ClassLabel in the
//     features; an unknown speaker role is null;
//   - published is timestamp[us, tz=UTC] (pandas datetime64[us, UTC], DuckDB TIMESTAMPTZ,
//     datasets Value("timestamp[us, tz=UTC]")); the instant alone loses the local time, so
//     published_local keeps the date as the source wrote it (RFC 3339 with its offset);
//   - every field is nullable; empty metadata strings are written as null;
//   - offsets are int64 code points into text ([start, end)), what Python's str indexes;
//   - every class-id column <c> has a string twin <c>_name holding the label itself, so
//     that readers without the Hugging Face features (polars, DuckDB, Spark, pandas) see
//     "positive", not 2; the id stays the column datasets restores as ClassLabel;
//   - every row says its split (column split), so that rows keep it once the files of
//     several splits are read together.

// Article columns, in order.
var articleFields = []arrow.Field{
	{Name: "id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "url", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "source", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "site_name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "title", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "byline", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
	{Name: "published", Type: publishedType, Nullable: true},
	{Name: "published_local", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "section", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "lang", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "text", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "content_hash", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "qa_turns", Type: arrow.ListOf(arrow.StructOf(
		field("index", arrow.PrimitiveTypes.Int64),
		field("role", arrow.PrimitiveTypes.Int64),
		field("speaker", arrow.BinaryTypes.String),
		field("speaker_role", arrow.PrimitiveTypes.Int64),
		field("start", arrow.PrimitiveTypes.Int64),
		field("end", arrow.PrimitiveTypes.Int64),
		field("annotator", arrow.BinaryTypes.String),
		field("role_name", arrow.BinaryTypes.String),
		field("speaker_role_name", arrow.BinaryTypes.String),
	)), Nullable: true},
	{Name: "sentiment", Type: arrow.StructOf(
		field("label", arrow.PrimitiveTypes.Int64),
		field("score", arrow.PrimitiveTypes.Float64),
		field("annotator", arrow.BinaryTypes.String),
		field("label_name", arrow.BinaryTypes.String),
	), Nullable: true},
	{Name: "paragraph_sentiment", Type: arrow.ListOf(arrow.StructOf(
		field("paragraph", arrow.PrimitiveTypes.Int64),
		field("start", arrow.PrimitiveTypes.Int64),
		field("end", arrow.PrimitiveTypes.Int64),
		field("label", arrow.PrimitiveTypes.Int64),
		field("score", arrow.PrimitiveTypes.Float64),
		field("annotator", arrow.BinaryTypes.String),
		field("label_name", arrow.BinaryTypes.String),
	)), Nullable: true},
	{Name: "stance", Type: arrow.ListOf(arrow.StructOf(
		field("target", arrow.BinaryTypes.String),
		field("label", arrow.PrimitiveTypes.Int64),
		field("score", arrow.PrimitiveTypes.Float64),
		field("start", arrow.PrimitiveTypes.Int64),
		field("end", arrow.PrimitiveTypes.Int64),
		field("annotator", arrow.BinaryTypes.String),
		field("label_name", arrow.BinaryTypes.String),
	)), Nullable: true},
	// Last, so adding it kept the positions of the columns before it.
	{Name: "provenance", Type: arrow.StructOf(
		field("path", arrow.BinaryTypes.String),
		field("format", arrow.BinaryTypes.String),
		field("warc_record_id", arrow.BinaryTypes.String),
		field("warc_offset", arrow.PrimitiveTypes.Int64),
		field("line", arrow.PrimitiveTypes.Int64),
		field("item", arrow.PrimitiveTypes.Int64),
	), Nullable: true},
	{Name: ColumnSplit, Type: arrow.BinaryTypes.String, Nullable: true},
}

// Turn columns, in order.
var turnFields = []arrow.Field{
	{Name: "article_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "index", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "question", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "answer", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "interviewer", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "interviewee", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "question_start", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "question_end", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "answer_start", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "answer_end", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "answer_sentiment", Type: arrow.StructOf(
		field("label", arrow.PrimitiveTypes.Int64),
		field("score", arrow.PrimitiveTypes.Float64),
		field("label_name", arrow.BinaryTypes.String),
	), Nullable: true},
	{Name: "answer_stance", Type: arrow.ListOf(arrow.StructOf(
		field("target", arrow.BinaryTypes.String),
		field("label", arrow.PrimitiveTypes.Int64),
		field("score", arrow.PrimitiveTypes.Float64),
		field("label_name", arrow.BinaryTypes.String),
	)), Nullable: true},
	{Name: ColumnSplit, Type: arrow.BinaryTypes.String, Nullable: true},
}

// ColumnSplit is the column of both configs that names the split a row belongs to.
const ColumnSplit = "split"

// LabelNameSuffix makes the name of the string column that holds the label of a
// class-id column: label → label_name, role → role_name.
const LabelNameSuffix = "_name"

var publishedType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

func field(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: true}
}

// classLabels names the int64 columns that hold class ids, by dotted path (list items
// are not named in the path), and their label sets.
var classLabels = map[string][]string{
	"qa_turns.role":             QARoles,
	"qa_turns.speaker_role":     SpeakerRoles,
	"sentiment.label":           SentimentLabels,
	"paragraph_sentiment.label": SentimentLabels,
	"stance.label":              StanceLabels,
	"answer_sentiment.label":    SentimentLabels,
	"answer_stance.label":       StanceLabels,
}

// ArticlesSchema is the Arrow schema of the articles config.
func ArticlesSchema() *arrow.Schema { return arrow.NewSchema(articleFields, nil) }

// TurnsSchema is the Arrow schema of the turns config.
func TurnsSchema() *arrow.Schema { return arrow.NewSchema(turnFields, nil) }

// ConfigSchema returns the Arrow schema of a release config by name.
func ConfigSchema(config string) (*arrow.Schema, error) {
	switch config {
	case "articles":
		return ArticlesSchema(), nil
	case "turns":
		return TurnsSchema(), nil
	}
	return nil, fmt.Errorf("unknown release config %q (want articles or turns)", config)
}

// ArticleRow is one row of the articles config.
type ArticleRow struct {
	ID       string
	URL      string
	Source   string
	SiteName string
	Title    string
	Byline   []string
	// Published is the publication instant in UTC, nil when unknown.
	Published *time.Time
	// PublishedLocal is the date as written by the source (RFC 3339 with its offset).
	PublishedLocal     string
	Section            string
	Lang               string
	Text               string
	ContentHash        string
	QATurns            []QATurn
	Sentiment          *Sentiment
	ParagraphSentiment []ParagraphSentiment
	Stance             []Stance
	// Provenance is the document's, nil when it has none.
	Provenance *Provenance
	// Split is the split the row is released in, "" before a split is assigned.
	Split string
}

// QATurn is one question or answer turn: a span of the text.
type QATurn struct {
	// Index is the 1-based turn number.
	Index int64
	// Role is the class id in QARoles.
	Role    int64
	Speaker string
	// SpeakerRole is the class id in SpeakerRoles, -1 when unknown.
	SpeakerRole int64
	Start, End  int64
	Annotator   string
}

// Sentiment is a document- or answer-level sentiment.
type Sentiment struct {
	// Label is the class id in SentimentLabels.
	Label     int64
	Score     *float64
	Annotator string
}

// ParagraphSentiment is the sentiment of one paragraph.
type ParagraphSentiment struct {
	Paragraph int64
	// Start and End are -1 when the annotator gave no span.
	Start, End int64
	Label      int64
	Score      *float64
	Annotator  string
}

// Stance is one stance item towards a target; Start and End are -1 for a
// document-level stance.
type Stance struct {
	Target     string
	Label      int64
	Score      *float64
	Start, End int64
	Annotator  string
}

// TurnRow is one row of the turns config: a question and its answer.
type TurnRow struct {
	ArticleID string
	// Index is the 1-based number of the pair within the article.
	Index                      int64
	Question, Answer           string
	Interviewer, Interviewee   string
	QuestionStart, QuestionEnd int64
	AnswerStart, AnswerEnd     int64
	// AnswerSentiment has no annotator field in the turns config.
	AnswerSentiment *Sentiment
	// AnswerStance holds the stance items whose span lies inside the answer.
	AnswerStance []Stance
	// Split is the split of the article the pair comes from.
	Split string
}

// ReleasedAnnotation picks, among the annotations of one layer of a record, the one a
// release carries: stale annotations never; then human before model before rule work;
// then the most recent; then the last in store order. It returns nil when none is left.
func ReleasedAnnotation(anns []Annotation, layer string) *Annotation {
	var best *Annotation
	for i := range anns {
		a := &anns[i]
		if a.Layer != layer || a.Stale {
			continue
		}
		if best == nil || compareAnnotations(a, best) >= 0 {
			best = a
		}
	}
	return best
}

func kindRank(kind string) int {
	switch kind {
	case KindHuman:
		return 2
	case KindModel:
		return 1
	}
	return 0
}

func compareAnnotations(a, b *Annotation) int {
	return cmp.Or(
		cmp.Compare(kindRank(a.Annotator.Kind), kindRank(b.Annotator.Kind)),
		cmp.Compare(a.CreatedAt, b.CreatedAt),
	)
}

func annotatorLabel(a Annotator) string {
	if a.Version == "" {
		return a.Name
	}
	return a.Name + "@" + a.Version
}

// FromRecord builds the articles row and the turns rows of a record from its released
// annotations (see ReleasedAnnotation). It checks every span against the text and every
// label against its label set, and names the document, layer and item on error.
func FromRecord(rec Record) (ArticleRow, []TurnRow, error) {
	row := ArticleRow{
		ID: rec.ID, URL: rec.URL, Source: rec.Source, SiteName: rec.SiteName, Title: rec.Title,
		Byline: rec.Byline, PublishedLocal: rec.Published, Section: rec.Section, Lang: rec.Lang,
		Text: rec.Text, ContentHash: rec.ContentHash, Provenance: rec.Provenance,
	}
	if rec.Published != "" {
		t, err := time.Parse(time.RFC3339, rec.Published)
		if err != nil {
			return ArticleRow{}, nil, fmt.Errorf("document %s: published: %w", rec.ID, err)
		}
		t = t.UTC().Truncate(time.Microsecond)
		row.Published = &t
	}
	x := NewTextIndex(rec.Text)
	var answerSent map[int64]*Sentiment
	if a := ReleasedAnnotation(rec.Annotations, LayerQA); a != nil {
		turns, err := qaTurns(rec, a, x)
		if err != nil {
			return ArticleRow{}, nil, err
		}
		row.QATurns = turns
	}
	if a := ReleasedAnnotation(rec.Annotations, LayerSentiment); a != nil {
		var err error
		answerSent, err = sentiments(rec, a, x, &row)
		if err != nil {
			return ArticleRow{}, nil, err
		}
	}
	if a := ReleasedAnnotation(rec.Annotations, LayerStance); a != nil {
		st, err := stances(rec, a, x)
		if err != nil {
			return ArticleRow{}, nil, err
		}
		row.Stance = st
	}
	turns, err := pairTurns(&row, x, answerSent)
	if err != nil {
		return ArticleRow{}, nil, err
	}
	return row, turns, nil
}

// ToRecord is FromRecord's inverse: it rebuilds the record an articles row was made
// from, as far as the row says. Each layer gets one annotation per annotator ("name" or
// "name@version"; the annotator's kind is not in a row), spans carry no text (the row
// does not repeat it), and answer-level sentiment is missing (it lives in the turns
// rows). A class id outside its label set becomes the label "class id N", which no label
// set holds, so that FromRecord and the label rules report it instead of losing it.
// FromRecord(ToRecord(row)) gives row back for every row FromRecord made (the split
// aside, which a record does not hold).
func ToRecord(row ArticleRow) Record {
	rec := Record{Document: Document{
		ID: row.ID, URL: row.URL, Source: row.Source, SiteName: row.SiteName, Title: row.Title,
		Byline: row.Byline, Published: row.PublishedLocal, Section: row.Section, Lang: row.Lang,
		Text: row.Text, ContentHash: row.ContentHash, Provenance: row.Provenance,
	}}
	if rec.Published == "" && row.Published != nil {
		rec.Published = row.Published.Format(time.RFC3339Nano)
	}
	byKey := map[string]int{}
	add := func(layer, annotator string, it Item) {
		key := layer + "\x00" + annotator
		i, ok := byKey[key]
		if !ok {
			name, version, _ := strings.Cut(annotator, "@")
			i = len(rec.Annotations)
			byKey[key] = i
			rec.Annotations = append(rec.Annotations, Annotation{DocID: row.ID, Layer: layer, ContentHash: row.ContentHash,
				Annotator: Annotator{Name: name, Version: version}})
		}
		rec.Annotations[i].Items = append(rec.Annotations[i].Items, it)
	}
	for _, t := range row.QATurns {
		it := Item{Label: recordLabel(QARoles, t.Role), Attrs: map[string]string{AttrTurn: strconv.FormatInt(t.Index, 10)}}
		setSpan(&it, t.Start, t.End)
		if t.Speaker != "" {
			it.Attrs[AttrSpeaker] = t.Speaker
		}
		if t.SpeakerRole >= 0 {
			it.Attrs[AttrSpeakerRole] = recordLabel(SpeakerRoles, t.SpeakerRole)
		}
		add(LayerQA, t.Annotator, it)
	}
	if s := row.Sentiment; s != nil {
		add(LayerSentiment, s.Annotator, Item{Label: recordLabel(SentimentLabels, s.Label), Score: s.Score,
			Attrs: map[string]string{AttrScope: ScopeDocument}})
	}
	for _, p := range row.ParagraphSentiment {
		it := Item{Label: recordLabel(SentimentLabels, p.Label), Score: p.Score,
			Attrs: map[string]string{AttrScope: ScopeParagraph}}
		if p.Paragraph >= 0 {
			it.Attrs[AttrParagraph] = strconv.FormatInt(p.Paragraph, 10)
		}
		setSpan(&it, p.Start, p.End)
		add(LayerSentiment, p.Annotator, it)
	}
	for _, st := range row.Stance {
		it := Item{Label: recordLabel(StanceLabels, st.Label), Score: st.Score, Attrs: map[string]string{AttrTarget: st.Target}}
		setSpan(&it, st.Start, st.End)
		add(LayerStance, st.Annotator, it)
	}
	return rec
}

// setSpan sets a span from a row's offsets, where -1 (null) means none.
func setSpan(it *Item, start, end int64) {
	if start >= 0 {
		it.Start = Int(int(start))
	}
	if end >= 0 {
		it.End = Int(int(end))
	}
}

// recordLabel is the label of a class id for ToRecord; see there for ids outside the set.
func recordLabel(labels []string, id int64) string {
	if l := LabelName(labels, id); l != "" {
		return l
	}
	return fmt.Sprintf("class id %d", id)
}

// itemError locates a problem with one annotation item.
func itemError(rec Record, a *Annotation, i int, format string, args ...any) error {
	return fmt.Errorf("document %s: layer %s (%s): item %d: %s", rec.ID, a.Layer, annotatorLabel(a.Annotator), i, fmt.Sprintf(format, args...))
}

// span checks an item's span against the text and the text it recorded.
func span(rec Record, a *Annotation, i int, it Item, x *TextIndex) (int64, int64, error) {
	if !it.IsSpan() {
		if it.Start != nil || it.End != nil {
			return 0, 0, itemError(rec, a, i, "span has only one end")
		}
		return -1, -1, checkScore(rec, a, i, it)
	}
	if err := checkScore(rec, a, i, it); err != nil {
		return 0, 0, err
	}
	if err := CheckSpan(*it.Start, *it.End, x.Len()); err != nil {
		return 0, 0, itemError(rec, a, i, "%v", err)
	}
	if it.Text != "" {
		got, err := x.Slice(*it.Start, *it.End)
		if err != nil {
			return 0, 0, itemError(rec, a, i, "%v", err)
		}
		if got != it.Text {
			return 0, 0, itemError(rec, a, i, "span [%d,%d) is %q in the text but the annotation says %q", *it.Start, *it.End, got, it.Text)
		}
	}
	return int64(*it.Start), int64(*it.End), nil
}

func checkScore(rec Record, a *Annotation, i int, it Item) error {
	if it.Score != nil && (math.IsNaN(*it.Score) || math.IsInf(*it.Score, 0)) {
		return itemError(rec, a, i, "score %v is not a finite number", *it.Score)
	}
	return nil
}

func label(rec Record, a *Annotation, i int, labels []string, l string) (int64, error) {
	id := ClassID(labels, l)
	if id < 0 {
		return 0, itemError(rec, a, i, "label %q is not one of %v", l, labels)
	}
	return id, nil
}

func intAttr(rec Record, a *Annotation, i int, it Item, key string) (int64, bool, error) {
	s, ok := it.Attrs[key]
	if !ok {
		return 0, false, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, itemError(rec, a, i, "attribute %s=%q is not an integer", key, s)
	}
	return v, true, nil
}

func qaTurns(rec Record, a *Annotation, x *TextIndex) ([]QATurn, error) {
	out := make([]QATurn, 0, len(a.Items))
	for i, it := range a.Items {
		start, end, err := span(rec, a, i, it, x)
		if err != nil {
			return nil, err
		}
		if start < 0 {
			return nil, itemError(rec, a, i, "a turn needs a span")
		}
		role, err := label(rec, a, i, QARoles, it.Label)
		if err != nil {
			return nil, err
		}
		idx, ok, err := intAttr(rec, a, i, it, AttrTurn)
		if err != nil {
			return nil, err
		}
		if !ok {
			idx = int64(i + 1)
		}
		sr := int64(-1)
		if s := it.Attrs[AttrSpeakerRole]; s != "" {
			if sr, err = label(rec, a, i, SpeakerRoles, s); err != nil {
				return nil, err
			}
		}
		out = append(out, QATurn{Index: idx, Role: role, Speaker: it.Attrs[AttrSpeaker], SpeakerRole: sr,
			Start: start, End: end, Annotator: annotatorLabel(a.Annotator)})
	}
	slices.SortStableFunc(out, func(x, y QATurn) int { return cmp.Compare(x.Index, y.Index) })
	return out, nil
}

// sentiments fills the document and paragraph sentiment of row and returns the answer
// sentiments by turn index.
func sentiments(rec Record, a *Annotation, x *TextIndex, row *ArticleRow) (map[int64]*Sentiment, error) {
	answers := map[int64]*Sentiment{}
	who := annotatorLabel(a.Annotator)
	for i, it := range a.Items {
		start, end, err := span(rec, a, i, it, x)
		if err != nil {
			return nil, err
		}
		l, err := label(rec, a, i, SentimentLabels, it.Label)
		if err != nil {
			return nil, err
		}
		scope := it.Attrs[AttrScope]
		if scope == "" {
			scope = ScopeDocument
			if it.IsSpan() {
				scope = ScopeParagraph
			}
		}
		switch scope {
		case ScopeDocument:
			if row.Sentiment != nil {
				return nil, itemError(rec, a, i, "a second document-level sentiment")
			}
			row.Sentiment = &Sentiment{Label: l, Score: it.Score, Annotator: who}
		case ScopeParagraph:
			p, ok, err := intAttr(rec, a, i, it, AttrParagraph)
			if err != nil {
				return nil, err
			}
			if !ok {
				p = -1
			}
			row.ParagraphSentiment = append(row.ParagraphSentiment, ParagraphSentiment{
				Paragraph: p, Start: start, End: end, Label: l, Score: it.Score, Annotator: who})
		case ScopeAnswer:
			t, ok, err := intAttr(rec, a, i, it, AttrTurn)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, itemError(rec, a, i, "answer sentiment without a %s attribute", AttrTurn)
			}
			answers[t] = &Sentiment{Label: l, Score: it.Score}
		default:
			return nil, itemError(rec, a, i, "scope %q is not one of %v", scope, SentimentScopes)
		}
	}
	return answers, nil
}

func stances(rec Record, a *Annotation, x *TextIndex) ([]Stance, error) {
	out := make([]Stance, 0, len(a.Items))
	for i, it := range a.Items {
		start, end, err := span(rec, a, i, it, x)
		if err != nil {
			return nil, err
		}
		l, err := label(rec, a, i, StanceLabels, it.Label)
		if err != nil {
			return nil, err
		}
		out = append(out, Stance{Target: it.Attrs[AttrTarget], Label: l, Score: it.Score,
			Start: start, End: end, Annotator: annotatorLabel(a.Annotator)})
	}
	return out, nil
}

// pairTurns pairs each question turn with the answer turns that follow it up to the next
// question; consecutive answer turns form one answer span. A question with no answer
// makes no row.
func pairTurns(row *ArticleRow, x *TextIndex, answerSent map[int64]*Sentiment) ([]TurnRow, error) {
	var out []TurnRow
	qa := row.QATurns
	for i := 0; i < len(qa); i++ {
		q := qa[i]
		if q.Role != 0 {
			continue
		}
		j := i + 1
		for j < len(qa) && qa[j].Role == 1 {
			j++
		}
		if j == i+1 {
			continue
		}
		first, last := qa[i+1], qa[j-1]
		question, err := x.Slice(int(q.Start), int(q.End))
		if err != nil {
			return nil, fmt.Errorf("document %s: question turn %d: %w", row.ID, q.Index, err)
		}
		answer, err := x.Slice(int(first.Start), int(last.End))
		if err != nil {
			return nil, fmt.Errorf("document %s: answer turn %d: %w", row.ID, first.Index, err)
		}
		t := TurnRow{
			ArticleID: row.ID, Index: int64(len(out) + 1), Question: question, Answer: answer,
			Interviewer: q.Speaker, Interviewee: first.Speaker,
			QuestionStart: q.Start, QuestionEnd: q.End, AnswerStart: first.Start, AnswerEnd: last.End,
			AnswerSentiment: answerSent[first.Index],
		}
		for _, s := range row.Stance {
			if s.Start >= t.AnswerStart && s.End <= t.AnswerEnd && s.Start >= 0 {
				t.AnswerStance = append(t.AnswerStance, Stance{Target: s.Target, Label: s.Label, Score: s.Score, Start: -1, End: -1})
			}
		}
		out = append(out, t)
		i = j - 1
	}
	return out, nil
}

// The builders below append rows field by field in schema order; the column indices
// are the positions in articleFields and turnFields.

func appendString(b array.Builder, s string) {
	sb := b.(*array.StringBuilder)
	if s == "" {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

func appendRequiredString(b array.Builder, s string) { b.(*array.StringBuilder).Append(s) }

func appendInt(b array.Builder, v int64) { b.(*array.Int64Builder).Append(v) }

// appendOptInt writes a negative value (the Go side's "none") as null.
func appendOptInt(b array.Builder, v int64) {
	if v < 0 {
		b.AppendNull()
		return
	}
	b.(*array.Int64Builder).Append(v)
}

func appendScore(b array.Builder, f *float64) {
	if f == nil {
		b.AppendNull()
		return
	}
	b.(*array.Float64Builder).Append(*f)
}

// AppendArticle appends the articles row of rec to b, which must be built on
// ArticlesSchema.
func AppendArticle(b *array.RecordBuilder, rec Record) error {
	row, _, err := FromRecord(rec)
	if err != nil {
		return err
	}
	AppendArticleRow(b, row)
	return nil
}

// AppendArticleRow appends row to b, which must be built on ArticlesSchema.
func AppendArticleRow(b *array.RecordBuilder, row ArticleRow) {
	appendRequiredString(b.Field(0), row.ID)
	appendString(b.Field(1), row.URL)
	appendString(b.Field(2), row.Source)
	appendString(b.Field(3), row.SiteName)
	appendString(b.Field(4), row.Title)
	bl := b.Field(5).(*array.ListBuilder)
	bl.Append(true)
	for _, s := range row.Byline {
		bl.ValueBuilder().(*array.StringBuilder).Append(s)
	}
	if row.Published == nil {
		b.Field(6).AppendNull()
	} else {
		b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(row.Published.UnixMicro()))
	}
	appendString(b.Field(7), row.PublishedLocal)
	appendString(b.Field(8), row.Section)
	appendString(b.Field(9), row.Lang)
	appendRequiredString(b.Field(10), row.Text)
	appendRequiredString(b.Field(11), row.ContentHash)

	ql := b.Field(12).(*array.ListBuilder)
	ql.Append(true)
	qs := ql.ValueBuilder().(*array.StructBuilder)
	for _, t := range row.QATurns {
		qs.Append(true)
		appendInt(qs.FieldBuilder(0), t.Index)
		appendInt(qs.FieldBuilder(1), t.Role)
		appendString(qs.FieldBuilder(2), t.Speaker)
		appendOptInt(qs.FieldBuilder(3), t.SpeakerRole)
		appendInt(qs.FieldBuilder(4), t.Start)
		appendInt(qs.FieldBuilder(5), t.End)
		appendString(qs.FieldBuilder(6), t.Annotator)
		appendString(qs.FieldBuilder(7), LabelName(QARoles, t.Role))
		appendString(qs.FieldBuilder(8), LabelName(SpeakerRoles, t.SpeakerRole))
	}

	ss := b.Field(13).(*array.StructBuilder)
	if row.Sentiment == nil {
		ss.AppendNull()
	} else {
		ss.Append(true)
		appendInt(ss.FieldBuilder(0), row.Sentiment.Label)
		appendScore(ss.FieldBuilder(1), row.Sentiment.Score)
		appendString(ss.FieldBuilder(2), row.Sentiment.Annotator)
		appendString(ss.FieldBuilder(3), LabelName(SentimentLabels, row.Sentiment.Label))
	}

	pl := b.Field(14).(*array.ListBuilder)
	pl.Append(true)
	ps := pl.ValueBuilder().(*array.StructBuilder)
	for _, p := range row.ParagraphSentiment {
		ps.Append(true)
		appendOptInt(ps.FieldBuilder(0), p.Paragraph)
		appendOptInt(ps.FieldBuilder(1), p.Start)
		appendOptInt(ps.FieldBuilder(2), p.End)
		appendInt(ps.FieldBuilder(3), p.Label)
		appendScore(ps.FieldBuilder(4), p.Score)
		appendString(ps.FieldBuilder(5), p.Annotator)
		appendString(ps.FieldBuilder(6), LabelName(SentimentLabels, p.Label))
	}

	sl := b.Field(15).(*array.ListBuilder)
	sl.Append(true)
	st := sl.ValueBuilder().(*array.StructBuilder)
	for _, s := range row.Stance {
		st.Append(true)
		appendString(st.FieldBuilder(0), s.Target)
		appendInt(st.FieldBuilder(1), s.Label)
		appendScore(st.FieldBuilder(2), s.Score)
		appendOptInt(st.FieldBuilder(3), s.Start)
		appendOptInt(st.FieldBuilder(4), s.End)
		appendString(st.FieldBuilder(5), s.Annotator)
		appendString(st.FieldBuilder(6), LabelName(StanceLabels, s.Label))
	}

	pv := b.Field(16).(*array.StructBuilder)
	if p := row.Provenance; p == nil {
		pv.AppendNull()
	} else {
		pv.Append(true)
		appendString(pv.FieldBuilder(0), p.Path)
		appendString(pv.FieldBuilder(1), p.Format)
		appendString(pv.FieldBuilder(2), p.WARCRecordID)
		if p.WARCOffset == nil {
			pv.FieldBuilder(3).AppendNull()
		} else {
			appendInt(pv.FieldBuilder(3), *p.WARCOffset)
		}
		appendPositive(pv.FieldBuilder(4), p.Line)
		appendPositive(pv.FieldBuilder(5), p.Item)
	}
	appendString(b.Field(17), row.Split)
}

// LabelName is the label of class id in labels, "" (written as null) for an id outside
// the set, such as -1 for none.
func LabelName(labels []string, id int64) string {
	if id < 0 || id >= int64(len(labels)) {
		return ""
	}
	return labels[id]
}

// appendPositive writes 0, the Go side's "not given" for 1-based numbers, as null.
func appendPositive(b array.Builder, v int64) {
	if v <= 0 {
		b.AppendNull()
		return
	}
	b.(*array.Int64Builder).Append(v)
}

// AppendTurnRow appends t to b, which must be built on TurnsSchema.
func AppendTurnRow(b *array.RecordBuilder, t TurnRow) {
	appendRequiredString(b.Field(0), t.ArticleID)
	appendInt(b.Field(1), t.Index)
	appendRequiredString(b.Field(2), t.Question)
	appendRequiredString(b.Field(3), t.Answer)
	appendString(b.Field(4), t.Interviewer)
	appendString(b.Field(5), t.Interviewee)
	appendInt(b.Field(6), t.QuestionStart)
	appendInt(b.Field(7), t.QuestionEnd)
	appendInt(b.Field(8), t.AnswerStart)
	appendInt(b.Field(9), t.AnswerEnd)
	ss := b.Field(10).(*array.StructBuilder)
	if t.AnswerSentiment == nil {
		ss.AppendNull()
	} else {
		ss.Append(true)
		appendInt(ss.FieldBuilder(0), t.AnswerSentiment.Label)
		appendScore(ss.FieldBuilder(1), t.AnswerSentiment.Score)
		appendString(ss.FieldBuilder(2), LabelName(SentimentLabels, t.AnswerSentiment.Label))
	}
	sl := b.Field(11).(*array.ListBuilder)
	sl.Append(true)
	st := sl.ValueBuilder().(*array.StructBuilder)
	for _, s := range t.AnswerStance {
		st.Append(true)
		appendString(st.FieldBuilder(0), s.Target)
		appendInt(st.FieldBuilder(1), s.Label)
		appendScore(st.FieldBuilder(2), s.Score)
		appendString(st.FieldBuilder(3), LabelName(StanceLabels, s.Label))
	}
	appendString(b.Field(12), t.Split)
}

// Decoding: the inverse of the builders, for readers of a release. Batches must have the
// config's schema (CheckSchema).

// CheckSchema reports whether got has the fields of the config's schema, in order with
// the same types (metadata is ignored).
func CheckSchema(config string, got *arrow.Schema) error {
	want, err := ConfigSchema(config)
	if err != nil {
		return err
	}
	if got.NumFields() != want.NumFields() {
		return fmt.Errorf("%s: %d columns, want %d", config, got.NumFields(), want.NumFields())
	}
	for i, f := range want.Fields() {
		g := got.Field(i)
		if g.Name != f.Name || !sameType(g.Type, f.Type) {
			return fmt.Errorf("%s: column %d is %s %s, want %s %s", config, i, g.Name, g.Type, f.Name, f.Type)
		}
	}
	return nil
}

// sameType compares types ignoring the names of list elements, which Parquet writers
// rename ("item", "element").
func sameType(a, b arrow.DataType) bool {
	switch at := a.(type) {
	case *arrow.ListType:
		bt, ok := b.(*arrow.ListType)
		return ok && sameType(at.Elem(), bt.Elem())
	case *arrow.StructType:
		bt, ok := b.(*arrow.StructType)
		if !ok || at.NumFields() != bt.NumFields() {
			return false
		}
		for i, f := range at.Fields() {
			if f.Name != bt.Field(i).Name || !sameType(f.Type, bt.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return arrow.TypeEqual(a, b)
}

func str(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	return a.(*array.String).Value(i)
}

func i64(a arrow.Array, i int) int64 {
	if a.IsNull(i) {
		return -1
	}
	return a.(*array.Int64).Value(i)
}

func f64(a arrow.Array, i int) *float64 {
	if a.IsNull(i) {
		return nil
	}
	v := a.(*array.Float64).Value(i)
	return &v
}

// listRange returns the child index range of list row i, empty for a null list.
func listRange(a arrow.Array, i int) (int, int) {
	if a.IsNull(i) {
		return 0, 0
	}
	s, e := a.(*array.List).ValueOffsets(i)
	return int(s), int(e)
}

func listStruct(a arrow.Array) *array.Struct { return a.(*array.List).ListValues().(*array.Struct) }

// ArticleRows decodes every row of a batch of the articles config.
func ArticleRows(rec arrow.RecordBatch) ([]ArticleRow, error) {
	if err := CheckSchema("articles", rec.Schema()); err != nil {
		return nil, err
	}
	c := rec.Columns()
	out := make([]ArticleRow, rec.NumRows())
	byline := c[5].(*array.List).ListValues()
	qa, ps, st := listStruct(c[12]), listStruct(c[14]), listStruct(c[15])
	sent := c[13].(*array.Struct)
	prov := c[16].(*array.Struct)
	for i := range out {
		r := &out[i]
		r.ID, r.URL, r.Source, r.SiteName, r.Title = str(c[0], i), str(c[1], i), str(c[2], i), str(c[3], i), str(c[4], i)
		s, e := listRange(c[5], i)
		for j := s; j < e; j++ {
			r.Byline = append(r.Byline, str(byline, j))
		}
		if !c[6].IsNull(i) {
			t := time.UnixMicro(int64(c[6].(*array.Timestamp).Value(i))).UTC()
			r.Published = &t
		}
		r.PublishedLocal, r.Section, r.Lang = str(c[7], i), str(c[8], i), str(c[9], i)
		r.Text, r.ContentHash = str(c[10], i), str(c[11], i)
		s, e = listRange(c[12], i)
		for j := s; j < e; j++ {
			r.QATurns = append(r.QATurns, QATurn{Index: i64(qa.Field(0), j), Role: i64(qa.Field(1), j),
				Speaker: str(qa.Field(2), j), SpeakerRole: i64(qa.Field(3), j), Start: i64(qa.Field(4), j),
				End: i64(qa.Field(5), j), Annotator: str(qa.Field(6), j)})
		}
		if !sent.IsNull(i) {
			r.Sentiment = &Sentiment{Label: i64(sent.Field(0), i), Score: f64(sent.Field(1), i), Annotator: str(sent.Field(2), i)}
		}
		s, e = listRange(c[14], i)
		for j := s; j < e; j++ {
			r.ParagraphSentiment = append(r.ParagraphSentiment, ParagraphSentiment{Paragraph: i64(ps.Field(0), j),
				Start: i64(ps.Field(1), j), End: i64(ps.Field(2), j), Label: i64(ps.Field(3), j),
				Score: f64(ps.Field(4), j), Annotator: str(ps.Field(5), j)})
		}
		s, e = listRange(c[15], i)
		for j := s; j < e; j++ {
			r.Stance = append(r.Stance, Stance{Target: str(st.Field(0), j), Label: i64(st.Field(1), j),
				Score: f64(st.Field(2), j), Start: i64(st.Field(3), j), End: i64(st.Field(4), j), Annotator: str(st.Field(5), j)})
		}
		if !prov.IsNull(i) {
			p := &Provenance{Path: str(prov.Field(0), i), Format: str(prov.Field(1), i),
				WARCRecordID: str(prov.Field(2), i), Line: max(i64(prov.Field(4), i), 0), Item: max(i64(prov.Field(5), i), 0)}
			if off := prov.Field(3); !off.IsNull(i) {
				v := off.(*array.Int64).Value(i)
				p.WARCOffset = &v
			}
			r.Provenance = p
		}
		r.Split = str(c[17], i)
	}
	return out, nil
}

// TurnRows decodes every row of a batch of the turns config.
func TurnRows(rec arrow.RecordBatch) ([]TurnRow, error) {
	if err := CheckSchema("turns", rec.Schema()); err != nil {
		return nil, err
	}
	c := rec.Columns()
	out := make([]TurnRow, rec.NumRows())
	sent := c[10].(*array.Struct)
	st := listStruct(c[11])
	for i := range out {
		t := &out[i]
		t.ArticleID, t.Index, t.Question, t.Answer = str(c[0], i), i64(c[1], i), str(c[2], i), str(c[3], i)
		t.Interviewer, t.Interviewee = str(c[4], i), str(c[5], i)
		t.QuestionStart, t.QuestionEnd, t.AnswerStart, t.AnswerEnd = i64(c[6], i), i64(c[7], i), i64(c[8], i), i64(c[9], i)
		if !sent.IsNull(i) {
			t.AnswerSentiment = &Sentiment{Label: i64(sent.Field(0), i), Score: f64(sent.Field(1), i)}
		}
		s, e := listRange(c[11], i)
		for j := s; j < e; j++ {
			t.AnswerStance = append(t.AnswerStance, Stance{Target: str(st.Field(0), j), Label: i64(st.Field(1), j),
				Score: f64(st.Field(2), j), Start: -1, End: -1})
		}
		t.Split = str(c[12], i)
	}
	return out, nil
}

// LabelNameError is a label-name column that disagrees with its class id.
type LabelNameError struct {
	// Row is the row of the batch; Column the class-id column's dotted path.
	Row    int
	Column string
	// ID is the class id (-1 for null), Got the name column's value and Want the label
	// of ID ("" for none).
	ID        int64
	Got, Want string
}

func (e *LabelNameError) Error() string {
	return fmt.Sprintf("row %d: %s%s is %q but %s is class id %d, whose label is %q",
		e.Row, e.Column, LabelNameSuffix, e.Got, e.Column, e.ID, e.Want)
}

// CheckLabelNames reports (as a *LabelNameError) the first value of a batch (of a config's schema) whose label
// name column disagrees with its class id: <c>_name must be the label of <c>'s id, and
// null when the id is null or outside the label set. The error names the row, the
// column and both values.
func CheckLabelNames(rec arrow.RecordBatch) error {
	for i, f := range rec.Schema().Fields() {
		if err := checkNames(f.Name, rec.Column(i), func(j int) int { return j }); err != nil {
			return err
		}
	}
	return nil
}

// checkNames walks one column; rowOf maps an index of a (a list's child array) back to
// the batch row.
func checkNames(path string, a arrow.Array, rowOf func(int) int) error {
	switch a := a.(type) {
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		for k, f := range st.Fields() {
			p := path + "." + f.Name
			if labels, ok := classLabels[p]; ok {
				idx, ok := st.FieldIdx(f.Name + LabelNameSuffix)
				if !ok {
					return fmt.Errorf("column %s has no %s%s column beside it", p, f.Name, LabelNameSuffix)
				}
				ids, names := a.Field(k), a.Field(idx)
				for j := range a.Len() {
					if a.IsNull(j) {
						continue
					}
					want := ""
					if !ids.IsNull(j) {
						want = LabelName(labels, ids.(*array.Int64).Value(j))
					}
					if got := str(names, j); got != want || names.IsNull(j) != (want == "") {
						return &LabelNameError{Row: rowOf(j), Column: p, ID: i64(ids, j), Got: got, Want: want}
					}
				}
			}
			if err := checkNames(p, a.Field(k), rowOf); err != nil {
				return err
			}
		}
	case *array.List:
		// List items are not named in a column path (see classLabels).
		return checkNames(path, a.ListValues(), func(j int) int {
			return rowOf(sort.Search(a.Len(), func(i int) bool { _, e := a.ValueOffsets(i); return e > int64(j) }))
		})
	}
	return nil
}
