package schema

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Hugging Face feature types, as written in the "_type" key.
const (
	FeatureValue      = "Value"
	FeatureClassLabel = "ClassLabel"
	// FeatureSequence is a list of scalars, {"feature": ..., "_type": "Sequence"}: read
	// as Sequence by datasets 3.x and as List by 4.x.
	FeatureSequence = "Sequence"
	// FeatureList is a list of structs, written as a JSON list [{...}]: the one form both
	// datasets 3.x and 4.x read as a list of structs (Sequence over a struct would mean a
	// struct of lists).
	FeatureList   = "List"
	FeatureStruct = "Struct"
)

// Feature is one node of a Hugging Face features tree.
type Feature struct {
	// Type is one of the Feature* constants.
	Type string
	// Dtype is the Value dtype: "string", "int64", "float64", "timestamp[us, tz=UTC]".
	Dtype string
	// Names are the ClassLabel names, in class-id order.
	Names []string
	// Item is the element of a Sequence or List.
	Item *Feature
	// Fields are the fields of a Struct, in column order.
	Fields []FeatureField
}

// FeatureField is a named feature; a config's features are a list of them in column
// order.
type FeatureField struct {
	Name    string
	Feature *Feature
}

// Features returns the features of a release config, derived from its Arrow schema:
// int64 columns listed as class labels become ClassLabel, everything else maps to its
// Value dtype.
func Features(config string) ([]FeatureField, error) {
	s, err := ConfigSchema(config)
	if err != nil {
		return nil, err
	}
	return structFeatures("", s.Fields())
}

func structFeatures(prefix string, fields []arrow.Field) ([]FeatureField, error) {
	out := make([]FeatureField, 0, len(fields))
	for _, f := range fields {
		ft, err := feature(prefix+f.Name, f.Type)
		if err != nil {
			return nil, err
		}
		out = append(out, FeatureField{Name: f.Name, Feature: ft})
	}
	return out, nil
}

func feature(path string, t arrow.DataType) (*Feature, error) {
	switch t := t.(type) {
	case *arrow.StringType:
		return &Feature{Type: FeatureValue, Dtype: "string"}, nil
	case *arrow.Int64Type:
		if names, ok := classLabels[path]; ok {
			return &Feature{Type: FeatureClassLabel, Names: names}, nil
		}
		return &Feature{Type: FeatureValue, Dtype: "int64"}, nil
	case *arrow.Float64Type:
		return &Feature{Type: FeatureValue, Dtype: "float64"}, nil
	case *arrow.TimestampType:
		dtype := "timestamp[" + t.Unit.String()
		if t.TimeZone != "" {
			dtype += ", tz=" + t.TimeZone
		}
		return &Feature{Type: FeatureValue, Dtype: dtype + "]"}, nil
	case *arrow.StructType:
		fields, err := structFeatures(path+".", t.Fields())
		if err != nil {
			return nil, err
		}
		return &Feature{Type: FeatureStruct, Fields: fields}, nil
	case *arrow.ListType:
		item, err := feature(path, t.Elem())
		if err != nil {
			return nil, err
		}
		if item.Type == FeatureStruct {
			return &Feature{Type: FeatureList, Item: item}, nil
		}
		return &Feature{Type: FeatureSequence, Item: item}, nil
	}
	return nil, fmt.Errorf("column %s: no Hugging Face feature for Arrow type %s", path, t)
}

// FeaturesJSON is the Hugging Face features object of a config ({"id": {"dtype":
// "string", "_type": "Value"}, ...}), keys in column order.
func FeaturesJSON(config string) ([]byte, error) {
	fields, err := Features(config)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	writeFields(&b, fields)
	return b.Bytes(), nil
}

// HFFeatures is the value of the "huggingface" key of the Parquet and Arrow schema
// metadata, {"info": {"features": ...}}, from which datasets restores the features
// (ClassLabel names above all) when it loads the files.
func HFFeatures(config string) ([]byte, error) {
	f, err := FeaturesJSON(config)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"info": {"features": `)
	b.Write(f)
	b.WriteString(`}}`)
	return b.Bytes(), nil
}

// jsonString writes s as a JSON string; encoding a string cannot fail.
func jsonString(b *bytes.Buffer, s string) {
	out, _ := json.Marshal(s)
	b.Write(out)
}

func writeFields(b *bytes.Buffer, fields []FeatureField) {
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		jsonString(b, f.Name)
		b.WriteString(": ")
		writeFeature(b, f.Feature)
	}
	b.WriteByte('}')
}

// writeFeature writes the JSON of one feature with keys in the order datasets writes
// them, so that the bytes are stable.
func writeFeature(b *bytes.Buffer, f *Feature) {
	switch f.Type {
	case FeatureValue:
		b.WriteString(`{"dtype": `)
		jsonString(b, f.Dtype)
		b.WriteString(`, "_type": "Value"}`)
	case FeatureClassLabel:
		b.WriteString(`{"names": [`)
		for i, n := range f.Names {
			if i > 0 {
				b.WriteString(", ")
			}
			jsonString(b, n)
		}
		b.WriteString(`], "_type": "ClassLabel"}`)
	case FeatureSequence:
		b.WriteString(`{"feature": `)
		writeFeature(b, f.Item)
		b.WriteString(`, "_type": "Sequence"}`)
	case FeatureList:
		b.WriteByte('[')
		writeFeature(b, f.Item)
		b.WriteByte(']')
	case FeatureStruct:
		writeFields(b, f.Fields)
	}
}
