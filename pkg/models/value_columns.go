package models

// The numeric and true/false columns of the list tables, named here so the
// backend's frames (pkg/plugin/frames_lists.go) and the query editor's
// value-column choice (src/generated/models.ts) use the same strings.
const (
	ColumnEnabled           = "enabled"
	ColumnOnline            = "online"
	ColumnDataplanesOnline  = "dataplanes_online"
	ColumnDataplanesOffline = "dataplanes_offline"
	ColumnDataplanesTotal   = "dataplanes_total"
)

// ValueColumns are, per list query type, the columns a query's ValueColumn
// can pick, in table order. A type not listed has none.
var ValueColumns = map[QueryType][]string{
	QueryTypeZones:      {ColumnEnabled, ColumnOnline},
	QueryTypeServices:   {ColumnDataplanesOnline, ColumnDataplanesOffline, ColumnDataplanesTotal},
	QueryTypeDataplanes: {ColumnOnline},
	QueryTypeGateways:   {ColumnDataplanesOnline, ColumnDataplanesTotal},
}
