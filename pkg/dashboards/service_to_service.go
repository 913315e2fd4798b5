package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// ServiceToService is the "Kuma Service to Service" dashboard: the traffic
// from one service to one destination, measured on the caller's sidecars.
// The source is the kuma.io/service its proxies carry, as the service map's
// edges and the Service dashboard's panels pass it.
// It is keyed on service names: the hidden destination_clusters variable
// holds every cluster name Envoy uses for the destination (MeshService,
// KRI, split and truncated forms), resolved by the Kuma datasource.
func ServiceToService() (dashboard.Dashboard, error) {
	// Callers on the MeshMetric path with unified naming have no
	// kuma_io_service: source_workloads finds them by kuma_workload.
	pair := sel(either(sel(meshZone, `${service_label}="$source_service"`), ofWorkloads("$source_workloads")),
		`envoy_cluster_name=~"$destination_clusters"`)

	b := newBoard(UIDServiceToService, "Kuma Service to Service",
		"Traffic from a source service to a destination service, as the source's sidecars see it.",
		commonVars(sourceServiceVar(), sourceWorkloadsVar(), destinationServiceVar(), destinationClustersVar())...)
	b.b.Link(dashboard.NewDashboardLinkBuilder("Source service").Type(dashboard.DashboardLinkTypeLink).
		Url(dashURL(UIDService, param("service", "${source_service}")))).
		Link(dashboard.NewDashboardLinkBuilder("Destination service").Type(dashboard.DashboardLinkTypeLink).
			Url(dashURL(UIDService, param("service", "${destination_service}"))))

	b.row("Connections").add(
		ts("Bytes", "Bytes per second sent to and received from the destination.", unitBytesSec, third,
			q(sumRate("envoy_cluster_upstream_cx_tx_bytes_total", pair, ""), "sent"),
			q(sumRate("envoy_cluster_upstream_cx_rx_bytes_total", pair, ""), "received")),
		ts("Active connections", "Connections open from the source's sidecars to the destination.", unitShort, third,
			q(`sum(`+vec("envoy_cluster_upstream_cx_active", pair)+`)`, "active connections")),
		ts("Connection and request errors", "Timeouts, connect failures and resets per destination cluster.", unitOpsPerSec, third,
			cxErrors(pair, "envoy_cluster_name")...),
		ts("Connection time", "Time to open a connection to the destination, p50 and p99.", unitMillis, half,
			q(quantile("0.5", "envoy_cluster_upstream_cx_connect_ms", pair, ""), "p50"),
			q(quantile("0.99", "envoy_cluster_upstream_cx_connect_ms", pair, ""), "p99")),
		ts("Connection length", "How long connections to the destination last, p50 and p99.", unitMillis, half,
			q(quantile("0.5", "envoy_cluster_upstream_cx_length_ms", pair, ""), "p50"),
			q(quantile("0.99", "envoy_cluster_upstream_cx_length_ms", pair, ""), "p99")),
	)

	b.row("HTTP").add(
		ts("Latency", "Request time including the destination's answer and the network.", unitMillis, third,
			latencyQueries(pair, "")...),
		ts("Traffic", "Requests per second, and per source dataplane.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_total", pair, ""), "total"),
			q(sumRate("envoy_cluster_upstream_rq_total", pair, "${dataplane_label}, ${zone_label}"), "{{dataplane}} ({{kuma_io_zone}})")).
			DataLinks(dataplaneLink("${__field.labels.dataplane}", "${__field.labels.kuma_io_zone}")),
		ts("Status codes", "Responses per second by status class.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_xx", pair, "envoy_response_code_class"), "{{envoy_response_code_class}}xx")),
	)

	b.row("Health checks and circuit breakers").add(healthAndBreakers(pair)...)
	b.row("Resilience").add(resilience(pair)...)
	return b.build()
}
