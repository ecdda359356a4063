package schema

import (
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestToRecordRoundTrip pins ToRecord as FromRecord's inverse: a row made from a
// record, turned back into a record and into a row again, is the same row, and the
// record made from it gives the same turns (answer sentiment aside, which lives in the
// turns rows).
func TestToRecordRoundTrip(t *testing.T) {
	for name, rec := range map[string]Record{
		"interview": interview(t),
		"bare":      {Document: Document{ID: "d2", Text: "no annotations", ContentHash: ContentHash("no annotations")}},
		"provenance and no date": {Document: Document{ID: "d3", Text: "x", ContentHash: ContentHash("x"),
			Provenance: &Provenance{Path: "a/b.warc.gz", Format: "warc", WARCRecordID: "<urn:uuid:1>", WARCOffset: new(int64)}}},
	} {
		t.Run(name, func(t *testing.T) {
			row, turns, err := FromRecord(rec)
			if err != nil {
				t.Fatal(err)
			}
			row.Split = "train"
			back := ToRecord(row)
			row2, turns2, err := FromRecord(back)
			if err != nil {
				t.Fatalf("FromRecord(ToRecord(row)): %v", err)
			}
			row2.Split = row.Split
			if !reflect.DeepEqual(normalize(row2), normalize(row)) {
				t.Errorf("row after the round trip:\n got %+v\nwant %+v", row2, row)
			}
			if len(turns2) != len(turns) {
				t.Fatalf("%d turns after the round trip, want %d", len(turns2), len(turns))
			}
			for i := range turns {
				want := turns[i]
				want.AnswerSentiment = nil
				if !reflect.DeepEqual(turns2[i], want) {
					t.Errorf("turn %d:\n got %+v\nwant %+v", i, turns2[i], want)
				}
			}
		})
	}
}

// TestToRecordKeepsUnknownClassIDs: an id outside its label set must surface as an
// error of FromRecord (and a label finding of validate), not turn into a valid label.
func TestToRecordKeepsUnknownClassIDs(t *testing.T) {
	row, _, err := FromRecord(interview(t))
	if err != nil {
		t.Fatal(err)
	}
	row.Sentiment.Label = 7
	rec := ToRecord(row)
	var labels []string
	for _, a := range rec.Annotations {
		for _, it := range a.Items {
			labels = append(labels, it.Label)
		}
	}
	if !strings.Contains(strings.Join(labels, ","), "class id 7") {
		t.Errorf("labels %v: class id 7 was lost", labels)
	}
	if _, _, err := FromRecord(rec); err == nil || !strings.Contains(err.Error(), "class id 7") {
		t.Errorf("FromRecord = %v, want an error naming class id 7", err)
	}
}

// TestLabelNameColumns: every class-id column has a string twin holding its label, so
// that readers without the Hugging Face features see names, and the writer fills it.
func TestLabelNameColumns(t *testing.T) {
	for _, config := range []string{"articles", "turns"} {
		s, _ := ConfigSchema(config)
		n := 0
		var walk func(path string, dt arrow.DataType)
		walk = func(path string, dt arrow.DataType) {
			switch dt := dt.(type) {
			case *arrow.ListType:
				walk(path, dt.Elem())
			case *arrow.StructType:
				for _, f := range dt.Fields() {
					p := path + "." + f.Name
					if _, ok := classLabels[p]; ok {
						n++
						g, ok := dt.FieldByName(f.Name + LabelNameSuffix)
						if !ok || g.Type.ID() != arrow.STRING {
							t.Errorf("%s: class-id column %s has no string %s%s", config, p, f.Name, LabelNameSuffix)
						}
					}
					walk(p, f.Type)
				}
			}
		}
		for _, f := range s.Fields() {
			walk(f.Name, f.Type)
		}
		if n == 0 {
			t.Errorf("%s: no class-id column found", config)
		}
		if f, ok := s.FieldsByName(ColumnSplit); !ok || f[0].Type.ID() != arrow.STRING {
			t.Errorf("%s has no string %s column", config, ColumnSplit)
		}
	}

	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	row, turns, err := FromRecord(interview(t))
	if err != nil {
		t.Fatal(err)
	}
	row.Split = "test"
	b := array.NewRecordBuilder(mem, ArticlesSchema())
	defer b.Release()
	AppendArticleRow(b, row)
	batch := b.NewRecordBatch()
	defer batch.Release()
	if err := CheckLabelNames(batch); err != nil {
		t.Errorf("written batch: %v", err)
	}
	sent := batch.Column(13).(*array.Struct)
	if got := sent.Field(3).(*array.String).Value(0); got != "positive" {
		t.Errorf("sentiment.label_name = %q, want positive", got)
	}
	qa := batch.Column(12).(*array.List).ListValues().(*array.Struct)
	if got := qa.Field(7).(*array.String).Value(1); got != "answer" {
		t.Errorf("qa_turns[1].role_name = %q, want answer", got)
	}
	if got := batch.Column(17).(*array.String).Value(0); got != "test" {
		t.Errorf("split = %q, want test", got)
	}

	tb := array.NewRecordBuilder(mem, TurnsSchema())
	defer tb.Release()
	for _, tr := range turns {
		AppendTurnRow(tb, tr)
	}
	tbatch := tb.NewRecordBatch()
	defer tbatch.Release()
	if err := CheckLabelNames(tbatch); err != nil {
		t.Errorf("written turns batch: %v", err)
	}
}

// TestCheckLabelNamesFindsDisagreement: a name column that contradicts its id (a file
// edited by hand, or written by another tool) is reported with its row and column.
func TestCheckLabelNamesFindsDisagreement(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	row, _, err := FromRecord(interview(t))
	if err != nil {
		t.Fatal(err)
	}
	bare, _, _ := FromRecord(Record{Document: Document{ID: "d0", Text: "t", ContentHash: ContentHash("t")}})
	b := array.NewRecordBuilder(mem, ArticlesSchema())
	defer b.Release()
	AppendArticleRow(b, bare)
	AppendArticleRow(b, row)
	good := b.NewRecordBatch()
	defer good.Release()

	// Rebuild the qa_turns column with role_name of the second turn of row 1 changed.
	cols := good.Columns()
	lb := array.NewBuilder(mem, cols[12].DataType()).(*array.ListBuilder)
	defer lb.Release()
	for i := range int(good.NumRows()) {
		lb.Append(true)
		sb := lb.ValueBuilder().(*array.StructBuilder)
		s, e := cols[12].(*array.List).ValueOffsets(i)
		items := cols[12].(*array.List).ListValues().(*array.Struct)
		for j := s; j < e; j++ {
			sb.Append(true)
			for k := range items.NumField() {
				fb := sb.FieldBuilder(k)
				v := items.Field(k)
				switch {
				case v.IsNull(int(j)):
					fb.AppendNull()
				case k == 7 && j == s+1:
					fb.(*array.StringBuilder).Append("question")
				default:
					if err := fb.AppendValueFromString(v.ValueStr(int(j))); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	bad := lb.NewArray()
	defer bad.Release()
	cols = append([]arrow.Array(nil), cols...)
	cols[12] = bad
	batch := array.NewRecordBatch(good.Schema(), cols, good.NumRows())
	defer batch.Release()
	err = CheckLabelNames(batch)
	if err == nil || !strings.Contains(err.Error(), "row 1") || !strings.Contains(err.Error(), "qa_turns.role_name") {
		t.Errorf("CheckLabelNames = %v, want an error naming row 1 and qa_turns.role_name", err)
	}
}
