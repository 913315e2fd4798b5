package plugin

import (
	"fmt"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// identityColumns are the string columns kept with a value column: they
// name a row and do not change with its state, so an alert instance keeps
// its labels when, say, a service's status changes.
var identityColumns = []string{"name", "kind", "zone"}

// withValueColumn narrows a list table to its identity columns and one
// numeric or boolean column (true is 1), for alert rules: Grafana tells
// alert instances apart by labels alone, so a row must give one number.
// An empty column leaves the table as it is.
func withValueColumn(f *data.Frame, column string) (*data.Frame, error) {
	if column == "" {
		return f, nil
	}
	var value *data.Field
	var usable []string
	for _, fld := range f.Fields {
		if ft := fld.Type(); ft.Numeric() || ft == data.FieldTypeBool || ft == data.FieldTypeNullableBool {
			usable = append(usable, fld.Name)
			if fld.Name == column {
				value = fld
			}
		}
	}
	if value == nil {
		return nil, fmt.Errorf("%w %q for %s: use one of %v", models.ErrInvalidValueColumn, column, f.Name, usable)
	}
	out := data.NewFrame(f.Name).SetMeta(f.Meta)
	for _, fld := range f.Fields {
		if fld.Type() == data.FieldTypeString && slices.Contains(identityColumns, fld.Name) {
			out.Fields = append(out.Fields, fld)
		}
	}
	values := make([]*float64, value.Len())
	for i := range values {
		switch v := value.At(i).(type) {
		case bool:
			values[i] = boolNumber(v)
		case *bool:
			if v != nil {
				values[i] = boolNumber(*v)
			}
		default:
			values[i], _ = value.NullableFloatAt(i)
		}
	}
	out.Fields = append(out.Fields, data.NewField(value.Name, nil, values))
	return out, nil
}

func boolNumber(b bool) *float64 {
	v := 0.0
	if b {
		v = 1
	}
	return &v
}
