package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Gateway is the "Kuma MeshGateway" dashboard: a builtin gateway, the
// requests entering it and those it sends into the mesh.
func Gateway() (dashboard.Dashboard, error) {
	gw := sel(meshZone, `kuma_io_mesh_gateway="$gateway"`)
	entering := sel(gw, userHCM)
	leaving := sel(gw, outbound)
	destLink := serviceLink("${__field.labels.envoy_cluster_name}")
	dpLink := dataplaneLink("${__field.labels.dataplane}")

	b := newBoard(UIDGateway, "Kuma MeshGateway",
		"A builtin MeshGateway: instances and traffic. Delegated gateways are ordinary sidecars: see Kuma Service.",
		commonVars(gatewayVar())...)

	b.row("Instances").add(
		single("Instances", "Gateway dataplanes whose Envoy reports live.", unitShort, quarter,
			q(`sum(envoy_server_live{`+gw+`}) or vector(0)`, "live")),
		single("Requests entering", "Requests per second received by the gateway.", unitReqPerSec, quarter,
			q(sumRate("envoy_http_downstream_rq_total", entering, ""), "entering")),
		single("Requests to the mesh", "Requests per second the gateway sends to services.", unitReqPerSec, quarter,
			q(sumRate("envoy_cluster_upstream_rq_total", leaving, ""), "to the mesh")),
		single("5xx sent to clients", "Share of requests answered with 5xx.", unitPercent, quarter,
			q(ratio(sumRate("envoy_http_downstream_rq_xx", sel(entering, `envoy_response_code_class="5"`), "")+" or vector(0)",
				sumRate("envoy_http_downstream_rq_total", entering, "")), "5xx")),
	)
	b.add(promTable("Instances", "Gateway dataplanes; click a row for its dashboard.", full,
		tq(`max by (dataplane, kuma_io_zone) (envoy_server_live{`+gw+`})`)).
		DataLinks(dataplaneLink("${__data.fields.dataplane}")))

	b.row("HTTP").add(
		ts("Traffic", "Requests per second entering the gateway and leaving it to the mesh.", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_total", entering, ""), "entering"),
			q(sumRate("envoy_cluster_upstream_rq_total", leaving, ""), "to the mesh")),
		ts("Latency", "Time services take to answer the gateway.", unitMillis, half,
			latencyQueries(leaving, "")...),
		ts("Status codes per listener", "Responses per second sent to clients, by listener and status class.", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_xx", entering, "envoy_http_conn_manager_prefix, envoy_response_code_class"),
				"{{envoy_http_conn_manager_prefix}} {{envoy_response_code_class}}xx")),
		ts("Status codes per destination", "Responses per second from each service, by status class.", unitReqPerSec, half,
			q(sumRate("envoy_cluster_upstream_rq_xx", leaving, "envoy_cluster_name, envoy_response_code_class"),
				"{{envoy_cluster_name}} {{envoy_response_code_class}}xx")).DataLinks(destLink),
		ts("Requests per destination", "", unitReqPerSec, half,
			q(sumRate("envoy_cluster_upstream_rq_total", leaving, "envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Latency p99 per destination", "", unitMillis, half,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", leaving, "envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
	)

	b.row("Per instance").add(
		ts("Requests entering per instance", "", unitReqPerSec, third,
			q(sumRate("envoy_http_downstream_rq_total", entering, "dataplane"), "{{dataplane}}")).DataLinks(dpLink),
		ts("Latency p99 per instance", "", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", leaving, "dataplane"), "{{dataplane}}")).DataLinks(dpLink),
		ts("Active downstream connections per instance", "", unitShort, third,
			q(`sum by (dataplane) (envoy_http_downstream_cx_active{`+entering+`})`, "{{dataplane}}")).DataLinks(dpLink),
	)

	b.row("Kubernetes").add(k8sPanels(gw)...)
	return b.build()
}
