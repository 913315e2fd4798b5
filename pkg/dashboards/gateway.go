package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// delegatedNote explains the panels a delegated gateway leaves empty.
const delegatedNote = "No data for a delegated gateway: its own proxy (e.g. Kong) receives the requests, Envoy only forwards them into the mesh"

// Gateway is the "Kuma MeshGateway" dashboard: the proxies of a builtin
// MeshGateway or a delegated gateway, the requests entering them and those
// they send into the mesh. Proxies are selected by service through the
// hidden gateway_services variable, which works in every zone and for
// delegated gateways.
func Gateway() (dashboard.Dashboard, error) {
	gw := sel(meshZone, `${service_label}=~"$gateway_services"`)
	entering := sel(gw, userHCM)
	leaving := sel(gw, outbound)
	destLink := pairLink("${__field.labels.kuma_io_service}", "${__field.labels.envoy_cluster_name}")
	dpLink := dataplaneLink("${__field.labels.dataplane}", "${__field.labels.kuma_io_zone}")

	b := newBoard(UIDGateway, "Kuma MeshGateway",
		"A builtin MeshGateway or a delegated gateway: its proxies in every zone, the requests entering it and those it sends into the mesh.",
		commonVars(gatewayVar(), gatewayServicesVar())...)

	b.row("Overview").add(
		atLeastOne(single("Instances", "Gateway proxies whose Envoy reports live, in the selected zones.", unitShort, quarter,
			q(`sum(envoy_server_live{`+gw+`})`, "live"))).
			NoValue("No proxy of this gateway in Prometheus"),
		single("Requests entering", "Requests per second received by the gateway's listeners.", unitReqPerSec, quarter,
			q(sumRate("envoy_http_downstream_rq_total", entering, ""), "entering")).NoValue(delegatedNote),
		single("Requests to the mesh", "Requests per second the gateway sends to services.", unitReqPerSec, quarter,
			q(sumRate("envoy_cluster_upstream_rq_total", leaving, ""), "to the mesh")),
		alarm(single("5xx sent to clients", "Share of requests answered with 5xx: orange from 1%, red from 5%.", unitPercent, quarter,
			q(ratio(sumRate("envoy_http_downstream_rq_xx", sel(entering, `envoy_response_code_class="5"`), "")+" or vector(0)",
				sumRate("envoy_http_downstream_rq_total", entering, "")), "5xx")), 0.01, 0.05).NoValue(delegatedNote),
	)
	b.add(promTable("Gateway dataplanes", "The gateway's proxies in each zone; click a row for its dashboard.", full,
		tq(`max by (${dataplane_label}, ${zone_label}, ${gateway_label}) (envoy_server_live{`+gw+`})`)).
		DataLinks(dataplaneLink("${__data.fields.dataplane}", "${__data.fields.kuma_io_zone}")))

	b.row("HTTP").add(
		ts("Traffic", "Requests per second entering the gateway and leaving it to the mesh.", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_total", entering, ""), "entering"),
			q(sumRate("envoy_cluster_upstream_rq_total", leaving, ""), "to the mesh")),
		ts("Latency", "Time services take to answer the gateway.", unitMillis, half,
			latencyQueries(leaving, "")...),
		ts("Status codes sent to clients", "Responses per second sent to clients by status class, per HTTP connection manager "+
			"(Envoy's stat prefix: one per gateway, not per listener address).", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_xx", entering, "envoy_http_conn_manager_prefix, envoy_response_code_class"),
				"{{envoy_http_conn_manager_prefix}} {{envoy_response_code_class}}xx")).NoValue(delegatedNote),
		ts("Status codes per destination", "Responses per second from each service, by status class.", unitReqPerSec, half,
			q(sumRate("envoy_cluster_upstream_rq_xx", leaving, "${service_label}, envoy_cluster_name, envoy_response_code_class"),
				"{{envoy_cluster_name}} {{envoy_response_code_class}}xx")).DataLinks(destLink),
		ts("Requests per destination", "Requests per second the gateway sends to each service.", unitReqPerSec, half,
			q(sumRate("envoy_cluster_upstream_rq_total", leaving, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Latency p99 per destination", "99th percentile of each service's answer time to the gateway.", unitMillis, half,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", leaving, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
	)

	b.row("Per instance").add(
		ts("Requests to the mesh per instance", "Requests per second each gateway proxy sends to services.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_total", leaving, "${dataplane_label}, ${zone_label}"), "{{dataplane}} ({{kuma_io_zone}})")).DataLinks(dpLink),
		ts("Latency p99 per instance", "99th percentile of the services' answer time, per gateway proxy.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", leaving, "${dataplane_label}, ${zone_label}"), "{{dataplane}} ({{kuma_io_zone}})")).DataLinks(dpLink),
		ts("Active downstream connections per instance", "Client connections open on each gateway proxy's listeners.", unitShort, third,
			q(`sum by (${dataplane_label}, ${zone_label}) (envoy_http_downstream_cx_active{`+entering+`})`, "{{dataplane}} ({{kuma_io_zone}})")).
			DataLinks(dpLink).NoValue(delegatedNote),
	)

	b.collapsedRow("Kubernetes").add(k8sPanels(gw)...)
	return b.build()
}
