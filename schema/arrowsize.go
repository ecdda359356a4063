package schema

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// ArrowBytes is the num_bytes newsds writes for release splits: the in-memory size of
// the values in rec — fixed-width values at their width, strings and binaries at their
// byte length plus a 4-byte offset (8 for large types), lists at a 4-byte offset plus
// their elements, structs at the sum of their fields — without validity bitmaps and
// padding. Unlike the sum of buffer lengths it does not depend on how rows were cut
// into batches, so a validator reading the shards back gets exactly the writer's number.
func ArrowBytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += arrayBytes(c)
	}
	return n
}

func arrayBytes(a arrow.Array) int64 {
	switch a := a.(type) {
	case *array.String:
		return span32(a.ValueOffsets()) + 4*int64(a.Len())
	case *array.LargeString:
		return span64(a.ValueOffsets()) + 8*int64(a.Len())
	case *array.Binary:
		return span32(a.ValueOffsets()) + 4*int64(a.Len())
	case *array.List:
		return 4*int64(a.Len()) + listValuesBytes(a.Len(), a.ValueOffsets, a.ListValues())
	case *array.LargeList:
		return 8*int64(a.Len()) + listValuesBytes(a.Len(), a.ValueOffsets, a.ListValues())
	case *array.Struct:
		var n int64
		for i := range a.NumField() {
			n += arrayBytes(a.Field(i)) // fields come sliced to the struct's rows
		}
		return n
	case *array.Boolean:
		return int64(a.Len())
	}
	if fw, ok := a.DataType().(arrow.FixedWidthDataType); ok {
		return int64(a.Len()) * int64(fw.BitWidth()/8)
	}
	return 0
}

// span32 is how many value bytes an offsets slice (len+1 entries) covers.
func span32(offs []int32) int64 {
	if len(offs) < 2 {
		return 0
	}
	return int64(offs[len(offs)-1] - offs[0])
}

func span64(offs []int64) int64 {
	if len(offs) < 2 {
		return 0
	}
	return offs[len(offs)-1] - offs[0]
}

// listValuesBytes counts the elements a (possibly sliced) list array refers to.
func listValuesBytes(n int, offsets func(int) (int64, int64), values arrow.Array) int64 {
	if n == 0 {
		return 0
	}
	start, _ := offsets(0)
	_, end := offsets(n - 1)
	child := array.NewSlice(values, start, end)
	defer child.Release()
	return arrayBytes(child)
}
