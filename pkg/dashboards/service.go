package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// ofService selects the dataplanes with an inbound of $service. The plural
// label ",a,b," covers dataplanes serving several services, whose singular
// kuma_io_service holds only the alphabetically first one.
const ofService = `kuma_io_services=~".*,$service,.*"`

// Service is the "Kuma Service" dashboard: one service's dataplanes and
// its inbound and outbound traffic.
func Service() (dashboard.Dashboard, error) {
	svc := sel(meshZone, ofService)
	in := sel(svc, inbound)
	out := sel(svc, outbound)
	dpLink := dataplaneLink("${__field.labels.dataplane}")
	destLink := pairLink("$service", "${__field.labels.envoy_cluster_name}")

	b := newBoard(UIDService, "Kuma Service", "One service of a Kuma mesh: its dataplanes and traffic.", commonVars(serviceVar())...)

	b.row("Dataplanes").add(
		kumaTable("Dataplanes of the service", "From the control plane; click a name for its dashboard.", 16,
			map[string]any{"queryType": "dataplanes", "mesh": "$mesh", "service": "$service"}).
			DataLinks(dataplaneLink("${__data.fields.name}")),
		single("Live instances", "Dataplanes of the service whose Envoy reports live.", unitShort, quarter+2,
			q(`sum(envoy_server_live{`+svc+`}) or vector(0)`, "live")),
	)

	b.row("Inbound").add(
		ts("Inbound requests", "Requests per second received by the service.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_total", in, ""), "requests")),
		ts("Inbound latency", "Time the service takes to answer.", unitMillis, third,
			latencyQueries(in, "")...),
		ts("Inbound status codes", "Responses per second by status class.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_xx", in, "envoy_response_code_class"), "{{envoy_response_code_class}}xx")),
	)

	b.row("Outbound").add(
		ts("Outbound requests per destination", "Requests per second the service sends.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_total", out, "envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Outbound latency p99 per destination", "", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", out, "envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Outbound status codes per destination", "", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_xx", out, "envoy_cluster_name, envoy_response_code_class"), "{{envoy_cluster_name}} {{envoy_response_code_class}}xx")).DataLinks(destLink),
	)

	b.row("Per dataplane").add(
		ts("Inbound requests per dataplane", "", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_total", in, "dataplane"), "{{dataplane}}")).DataLinks(dpLink),
		ts("Inbound latency p99 per dataplane", "", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", in, "dataplane"), "{{dataplane}}")).DataLinks(dpLink),
		ts("Inbound 5xx per dataplane", "", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_xx", sel(in, `envoy_response_code_class="5"`), "dataplane"), "{{dataplane}}")).DataLinks(dpLink),
	)

	b.row("Kubernetes").add(k8sPanels(svc)...)
	return b.build()
}
