package plugin

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// TestValueColumnsAreTheListTablesNumericColumns holds models.ValueColumns,
// which the query editor offers (src/generated/models.ts), to what the list
// tables really hold: every numeric or true/false column, in table order,
// and no other. A column added to a table without listing it fails here.
func TestValueColumnsAreTheListTablesNumericColumns(t *testing.T) {
	frames := map[models.QueryType]*data.Frame{
		models.QueryTypeMeshes:     meshesFrame(nil),
		models.QueryTypeZones:      zonesFrame(nil),
		models.QueryTypeServices:   servicesFrame(nil),
		models.QueryTypeDataplanes: dataplanesFrame(nil),
		models.QueryTypeGateways:   gatewaysFrame(nil),
	}
	for qt, f := range frames {
		var valued []string
		for _, fld := range f.Fields {
			if ft := fld.Type(); ft.Numeric() || ft == data.FieldTypeBool || ft == data.FieldTypeNullableBool {
				valued = append(valued, fld.Name)
			}
		}
		assert.Equal(t, models.ValueColumns[qt], valued, "%s", qt)
	}
	for qt := range models.ValueColumns {
		assert.Contains(t, frames, qt, "models.ValueColumns lists %s, which has no list table", qt)
	}
}
