package dashboards

import (
	"maps"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// Units, as Grafana names them.
const (
	unitReqPerSec = "reqps"
	unitMillis    = "ms"
	unitSeconds   = "s"
	unitBytes     = "bytes"
	unitBytesSec  = "Bps"
	unitPercent   = "percentunit"
	unitShort     = "short"
	unitOpsPerSec = "ops"
	unitCores     = "cores"
)

// Panel sizes on Grafana's 24-column grid.
const (
	third   = 8
	half    = 12
	full    = 24
	quarter = 6
	height  = 8
)

// noK8s is shown by Kubernetes panels where cAdvisor series are missing.
const noK8s = "No data: needs cAdvisor / kube-state-metrics (Kubernetes only)"

// query is one Prometheus target of a panel.
type query struct {
	expr   string
	legend string
	// instant asks for one value per series at the end of the range, as a
	// table (for table panels and stats that must not be summed over time).
	instant bool
}

// q is a range query whose legend names the line.
func q(expr, legend string) query { return query{expr: expr, legend: legend} }

// table query: instant, one row per series.
func tq(expr string) query { return query{expr: expr, instant: true} }

// promTargets turns queries into Prometheus targets with refIds A, B, …
// (set explicitly so the JSON diffs stay stable).
func promTargets(qs []query) []cog.Builder[variants.Dataquery] {
	out := make([]cog.Builder[variants.Dataquery], 0, len(qs))
	for i, qq := range qs {
		if strings.Contains(qq.expr, orForm) {
			panic("dashboards: a two-form selector reached a query without vec or rate: " + qq.expr)
		}
		t := prometheus.NewDataqueryBuilder().
			Datasource(promDS()).
			RefId(string(rune('A' + i))).
			Expr(canonical(qq.expr))
		if qq.legend != "" {
			t.LegendFormat(qq.legend)
		}
		if qq.instant {
			t.Instant().Format(prometheus.PromQueryFormatTable)
		} else {
			t.Range()
		}
		out = append(out, t)
	}
	return out
}

// legend is a table under the graph, busiest series first.
func legend() *common.VizLegendOptionsBuilder {
	return common.NewVizLegendOptionsBuilder().
		ShowLegend(true).
		DisplayMode(common.LegendDisplayModeTable).
		Placement(common.LegendPlacementBottom).
		Calcs([]string{"mean", "max", "lastNotNull"}).
		SortBy("Mean").
		SortDesc(true)
}

// tooltip lists every series at the cursor, highest first, so a hover
// compares destinations or instances at one instant.
func tooltip() *common.VizTooltipOptionsBuilder {
	return common.NewVizTooltipOptionsBuilder().Mode(common.TooltipDisplayModeMulti).Sort(common.SortOrderDescending)
}

// step is one colour threshold: from this value up, this colour.
type step struct {
	from  float64
	color string
}

// colours are absolute thresholds starting with base. Every stat sets its
// own, because Grafana's default (green, red from 80) means nothing for
// counts, rates or shares.
func colours(base string, steps ...step) *dashboard.ThresholdsConfigBuilder {
	out := []dashboard.Threshold{{Color: base}}
	for _, s := range steps {
		out = append(out, dashboard.Threshold{Value: new(s.from), Color: s.color})
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(out)
}

// alarm colours a stat where higher is worse: orange from warn, red from
// crit.
func alarm(p *stat.PanelBuilder, warn, crit float64) *stat.PanelBuilder {
	return p.Thresholds(colours("green", step{warn, "orange"}, step{crit, "red"})).ColorMode(common.BigValueColorModeValue)
}

// atLeastOne colours a stat red at zero and green from one, for counts of
// things that must exist (control planes, gateway instances).
func atLeastOne(p *stat.PanelBuilder) *stat.PanelBuilder {
	return p.Thresholds(colours("red", step{1, "green"})).ColorMode(common.BigValueColorModeValue)
}

// ts is a time-series panel on Prometheus.
func ts(title, description, unit string, span uint32, qs ...query) *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(promDS()).
		Targets(promTargets(qs)).
		Unit(unit).
		Min(0).
		Span(span).
		Height(height).
		FillOpacity(10).
		Legend(legend()).
		Tooltip(tooltip())
}

// single is a stat panel on Prometheus showing the last value, uncoloured
// (one neutral threshold) unless alarm or atLeastOne colours it.
func single(title, description, unit string, span uint32, qs ...query) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(promDS()).
		Targets(promTargets(qs)).
		Unit(unit).
		Span(span).
		Height(4).
		GraphMode(common.BigValueGraphModeArea).
		Thresholds(colours("text")).
		ColorMode(common.BigValueColorModeNone).
		Orientation(common.VizOrientationAuto).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}))
}

// promTable is a table of instant Prometheus results, one row per series.
func promTable(title, description string, span uint32, qs ...query) *table.PanelBuilder {
	return table.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(promDS()).
		Targets(promTargets(qs)).
		Span(span).
		Height(height).
		Transformations([]dashboard.DataTransformerConfig{
			{Id: "merge", Options: map[string]any{}},
			{Id: "organize", Options: map[string]any{"excludeByName": map[string]any{"Time": true}}},
		})
}

// kumaTarget is a query of the Kuma datasource; the SDK has no type for it.
func kumaTarget(query map[string]any) cog.Builder[variants.Dataquery] {
	t := variants.UnknownDataquery{
		"refId":      "A",
		"datasource": map[string]any{"type": kumaType, "uid": "${kuma}"},
	}
	maps.Copy(t, query)
	return variants.NewUnknownDataqueryBuilderFromObject(t)
}

// kumaTable is a table panel on one Kuma datasource list query.
func kumaTable(title, description string, span uint32, query map[string]any) *table.PanelBuilder {
	return table.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(kumaDS()).
		WithTarget(kumaTarget(query)).
		Span(span).
		Height(height)
}
