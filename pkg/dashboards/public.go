package dashboards

import (
	"maps"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/nodegraph"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// PublicOptions fix what a public dashboard cannot ask its viewer: public
// (shared externally) dashboards resolve no template variables, so the
// datasources are named by uid and the mesh is written in.
type PublicOptions struct {
	// KumaUID and PrometheusUID are the datasources' uids; the defaults are
	// the ones provisioning/datasources/kuma.yml sets.
	KumaUID, PrometheusUID string
	Mesh                   string
}

// DefaultPublicOptions match the provisioned demo stack.
var DefaultPublicOptions = PublicOptions{KumaUID: "kuma", PrometheusUID: "prometheus", Mesh: "default"}

// PublicFileName is where a public variant lives; outside dashboards/*.json
// so that the plugin archive, which ships that folder, leaves it out.
func PublicFileName(uid string) string { return "dashboards/public/" + uid + ".json" }

// Public lists the variants for public dashboards.
func Public(o PublicOptions) []Spec {
	return []Spec{
		{UIDMesh + "-public", "Kuma Mesh (public)", func() (dashboard.Dashboard, error) { return publicMesh(o) }},
		{UIDService + "-public", "Kuma Services (public)", func() (dashboard.Dashboard, error) { return publicServices(o) }},
	}
}

// publicBoard is a board without variables and without links to the other
// dashboards, which a public viewer cannot open.
func publicBoard(uid, title, description string) *board {
	return &board{b: dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags([]string{Tag, "service-mesh", "public"}).
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Time("now-1h", "now").
		Refresh("1m")}
}

func publicMesh(o PublicOptions) (dashboard.Dashboard, error) {
	b := publicBoard(UIDMesh+"-public", "Kuma Mesh (public)",
		"The service map and traffic of mesh "+o.Mesh+", for sharing as a public dashboard.")
	b.add(nodegraph.NewPanelBuilder().
		Title("Service Map").
		Description("Services of the mesh and the traffic between them.").
		Datasource(o.kuma()).
		WithTarget(o.kumaTarget("A", map[string]any{"queryType": "mesh-graph", "mesh": o.Mesh})).
		Span(full).Height(14))
	b.add(
		stat.NewPanelBuilder().Title("Dataplanes online").Description("Dataplanes whose Envoy reports live.").
			Datasource(o.prometheus()).
			WithTarget(prometheus.NewDataqueryBuilder().Datasource(o.prometheus()).RefId("A").
				Expr(`sum(envoy_server_live{mesh="`+o.Mesh+`"})`).Range()).
			Unit(unitShort).Span(quarter).Height(height).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})),
		o.traffic("Requests received", "Requests per second each service received.", unitReqPerSec, (full-quarter)/2,
			"service", "requests"),
		o.traffic("Success rate", "Share of requests each service answered without 5xx.", "percent", (full-quarter)/2,
			"service", "success"),
	)
	b.add(
		o.traffic("Traffic between services", "Requests per second from each source to each destination.", unitReqPerSec, half,
			"edge", "requests"),
		o.traffic("Latency p99 between services", "99th percentile latency of each source → destination.", unitMillis, half,
			"edge", "p99"),
		o.traffic("Requests entering gateways", "Requests per second entering each builtin gateway.", unitReqPerSec, half,
			"gateway", "requests"),
		o.table("Services", "Services of the mesh as the control plane sees them.", half,
			map[string]any{"queryType": "services", "mesh": o.Mesh}),
	)
	return b.build()
}

func publicServices(o PublicOptions) (dashboard.Dashboard, error) {
	b := publicBoard(UIDService+"-public", "Kuma Services (public)",
		"Every service of mesh "+o.Mesh+": traffic, errors and latency, for sharing as a public dashboard.")
	b.add(
		o.traffic("Requests received", "Requests per second each service received.", unitReqPerSec, half, "service", "requests"),
		o.traffic("5xx responses", "Responses per second with a 5xx status.", unitReqPerSec, half, "service", "errors"),
		o.traffic("Latency p50", "Median latency of the requests each service received.", unitMillis, third, "service", "p50"),
		o.traffic("Latency p90", "90th percentile latency.", unitMillis, third, "service", "p90"),
		o.traffic("Latency p99", "99th percentile latency.", unitMillis, third, "service", "p99"),
		o.traffic("Success rate by caller", "Share of each caller's requests answered without 5xx.", "percent", half, "edge", "success"),
		o.traffic("TCP traffic", "Bytes per second each service received over TCP.", unitBytesSec, half, "service", "tcp_bytes"),
		o.table("Dataplanes", "Data plane proxies of the mesh and their state.", full,
			map[string]any{"queryType": "dataplanes", "mesh": o.Mesh}),
	)
	return b.build()
}

func (o PublicOptions) kuma() common.DataSourceRef {
	return common.DataSourceRef{Type: new(kumaType), Uid: new(o.KumaUID)}
}

func (o PublicOptions) prometheus() common.DataSourceRef {
	return common.DataSourceRef{Type: new(prometheusType), Uid: new(o.PrometheusUID)}
}

func (o PublicOptions) kumaTarget(refID string, query map[string]any) cog.Builder[variants.Dataquery] {
	t := variants.UnknownDataquery{"refId": refID, "datasource": map[string]any{"type": kumaType, "uid": o.KumaUID}}
	maps.Copy(t, query)
	return variants.NewUnknownDataqueryBuilderFromObject(t)
}

// traffic is a time-series panel of one traffic metric of the mesh.
func (o PublicOptions) traffic(title, description, unit string, span uint32, groupBy, metric string) *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(o.kuma()).
		WithTarget(o.kumaTarget("A", map[string]any{
			"queryType": "traffic", "mesh": o.Mesh, "groupBy": groupBy, "metrics": []string{metric},
		})).
		Unit(unit).
		Min(0).
		Span(span).
		Height(height).
		FillOpacity(10).
		Legend(legend())
}

func (o PublicOptions) table(title, description string, span uint32, query map[string]any) *table.PanelBuilder {
	return table.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(o.kuma()).
		WithTarget(o.kumaTarget("A", query)).
		Span(span).
		Height(height)
}
