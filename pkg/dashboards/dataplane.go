package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Dataplane is the "Kuma Dataplane" dashboard: one data plane proxy, its
// connection to the control plane and its inbound and outbound traffic.
func Dataplane() (dashboard.Dashboard, error) {
	dp := sel(meshZone, `${dataplane_label}="$dataplane"`)
	in := sel(dp, inbound)
	out := sel(dp, outbound)
	destLink := pairLink("${__field.labels.kuma_io_service}", "${__field.labels.envoy_cluster_name}")

	b := newBoard(UIDDataplane, "Kuma Dataplane", "One Kuma data plane proxy (Envoy) in detail.", commonVars(dataplaneVar())...)

	b.row("Dataplane").add(
		single("Status", "LIVE while Envoy reports live, DOWN otherwise.", unitShort, quarter,
			q(`sum(envoy_server_live{`+dp+`}) or vector(0)`, "live")).
			Mappings(liveMappings()).ColorMode(common.BigValueColorModeBackground),
		single("Uptime", "Time since Envoy started.", unitSeconds, quarter,
			q(`max(envoy_server_uptime{`+dp+`})`, "uptime")),
		single("Heap size", "Memory reserved by Envoy's allocator.", unitBytes, quarter,
			q(`max(envoy_server_memory_heap_size{`+dp+`})`, "heap")),
		single("Memory allocated", "Memory in use by Envoy.", unitBytes, quarter,
			q(`max(envoy_server_memory_allocated{`+dp+`})`, "allocated")),
	)
	b.add(
		ts("Connection to the control plane", "1 while the xDS stream is up. If the CP dies without closing the stream, Envoy still reports connected until it notices.", unitShort, half,
			q(`max(envoy_control_plane_connected_state{`+dp+`})`, "connected")),
		promTable("Control plane connected to", "The CP instance that serves this proxy (Envoy text readout, Envoy 1.26+).", half,
			tq(`max by (text_value) (envoy_control_plane_identifier{`+dp+`})`)),
	)

	b.row("Incoming traffic").add(
		ts("Active connections", "Connections from this proxy to the local application, per inbound.", unitShort, third,
			q(`sum by (envoy_cluster_name) (envoy_cluster_upstream_cx_active{`+in+`})`, "{{envoy_cluster_name}}")),
		ts("Connection time p99", "Time to connect to the application.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_cx_connect_ms", in, "envoy_cluster_name"), "{{envoy_cluster_name}}")),
		ts("Connection length p99", "How long connections to the application last.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_cx_length_ms", in, "envoy_cluster_name"), "{{envoy_cluster_name}}")),
		ts("Bytes in and out", "Bytes per second of requests received and responses sent.", unitBytesSec, third,
			q(sumRate("envoy_cluster_upstream_cx_tx_bytes_total", in, "envoy_cluster_name"), "{{envoy_cluster_name}} received from clients"),
			q(sumRate("envoy_cluster_upstream_cx_rx_bytes_total", in, "envoy_cluster_name"), "{{envoy_cluster_name}} sent in responses")),
		ts("Traffic permissions", "Connections allowed and denied by RBAC (MeshTrafficPermission / TrafficPermission).", unitOpsPerSec, third,
			q(sumRate("envoy_rbac_allowed", dp, ""), "allowed"),
			q(sumRate("envoy_rbac_denied", dp, ""), "denied"),
			q(sumRate("envoy_http_rbac_allowed", dp, ""), "HTTP allowed"),
			q(sumRate("envoy_http_rbac_denied", dp, ""), "HTTP denied")),
		ts("Connection and request errors", "Errors between this proxy and the local application.", unitOpsPerSec, third,
			cxErrors(in, "envoy_cluster_name")...),
	)

	b.row("Outgoing traffic").add(
		ts("Active connections per destination", "Connections open to each destination cluster.", unitShort, third,
			q(`sum by (${service_label}, envoy_cluster_name) (envoy_cluster_upstream_cx_active{`+out+`})`, "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Connection time p99 per destination", "99th percentile of the time to open a connection, per destination.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_cx_connect_ms", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Connection length p99 per destination", "99th percentile of how long connections last, per destination.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_cx_length_ms", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Bytes per destination", "Bytes per second sent to and received from each destination.", unitBytesSec, half,
			q(sumRate("envoy_cluster_upstream_cx_tx_bytes_total", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}} sent"),
			q(sumRate("envoy_cluster_upstream_cx_rx_bytes_total", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}} received")).DataLinks(destLink),
		ts("Connection and request errors per destination", "Timeouts, connect failures and resets per destination.", unitOpsPerSec, half,
			cxErrors(out, "${service_label}, envoy_cluster_name")...).DataLinks(destLink),
	)

	b.row("HTTP").add(
		ts("Inbound latency", "Time the application takes to answer (p50, p95, p99), and p99 as clients see it, Envoy's own time included.", unitMillis, half,
			append(latencyQueries(in, ""),
				q(quantile("0.99", "envoy_http_downstream_rq_time", sel(dp, inboundHCM), ""), "p99 as clients see it"))...),
		ts("Outbound latency p99 per destination", "99th percentile of each destination's answer time.", unitMillis, half,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Inbound traffic", "Requests per second received, per inbound listener.", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_total", sel(dp, inboundHCM), "envoy_http_conn_manager_prefix"), "{{envoy_http_conn_manager_prefix}}")),
		ts("Outbound traffic per destination", "Requests per second sent to each destination.", unitReqPerSec, half,
			q(sumRate("envoy_cluster_upstream_rq_total", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Inbound status codes", "Responses per second by status class, as sent to clients (including Envoy's own 403, 429 and 503).", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_xx", sel(dp, inboundHCM), "envoy_response_code_class"), "{{envoy_response_code_class}}xx")),
		ts("Outbound status codes per destination", "Responses per second from each destination, by status class.", unitReqPerSec, half,
			q(sumRate("envoy_cluster_upstream_rq_xx", out, "${service_label}, envoy_cluster_name, envoy_response_code_class"), "{{envoy_cluster_name}} {{envoy_response_code_class}}xx")).DataLinks(destLink),
		ts("Requests in flight", "Requests being served now: received from clients, sent to each destination, and waiting for a connection to it.", unitShort, half,
			q(`sum(envoy_http_downstream_rq_active{`+sel(dp, inboundHCM)+`})`, "inbound"),
			q(`sum by (envoy_cluster_name) (envoy_cluster_upstream_rq_active{`+out+`})`, "{{envoy_cluster_name}} active"),
			q(`sum by (envoy_cluster_name) (envoy_cluster_upstream_rq_pending_active{`+out+`})`, "{{envoy_cluster_name}} pending")),
		ts("Inbound protocols", "Requests per second received over HTTP/1.1 and HTTP/2, and requests no route matched (answered 404 by Envoy).", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_http1_total", sel(dp, inboundHCM), ""), "HTTP/1.1"),
			q(sumRate("envoy_http_downstream_rq_http2_total", sel(dp, inboundHCM), ""), "HTTP/2"),
			q(sumRate("envoy_http_no_route", sel(dp, inboundHCM), ""), "no route")),
		ts("Inbound connections closed", "Client connections closed per second, by the proxy (local) or by the client (remote).", unitOpsPerSec, half,
			q(sumRate("envoy_http_downstream_cx_destroy_local", sel(dp, inboundHCM), ""), "closed by the proxy"),
			q(sumRate("envoy_http_downstream_cx_destroy_remote", sel(dp, inboundHCM), ""), "closed by the client")),
		ts("Outbound connections closed per destination", "Connections to each destination closed per second, and those the destination closed.", unitOpsPerSec, half,
			q(sumRate("envoy_cluster_upstream_cx_destroy", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}} closed"),
			q(sumRate("envoy_cluster_upstream_cx_destroy_remote", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}} closed by the destination")).DataLinks(destLink),
		ts("Requests per connection p99 per destination", "99th percentile of the requests a connection to each destination carries before it closes: 1 means no connection reuse.", unitShort, half,
			q(quantile("0.99", "envoy_cluster_upstream_rq_per_cx", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Inbound bytes", "Bytes per second received from and sent to clients on the inbound HTTP listeners.", unitBytesSec, half,
			q(sumRate("envoy_http_downstream_cx_rx_bytes_total", sel(dp, inboundHCM), ""), "received"),
			q(sumRate("envoy_http_downstream_cx_tx_bytes_total", sel(dp, inboundHCM), ""), "sent")),
	)

	b.row("Health checks and circuit breakers").add(healthAndBreakers(out)...)
	b.row("Resilience").add(resilience(out)...)
	b.row("Security and configuration").add(proxySecurity(dp)...)
	return b.build()
}

// liveMappings shows 1/0 as words on status stats.
func liveMappings() []dashboard.ValueMapping {
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{
		Type: dashboard.MappingTypeValueToText,
		Options: map[string]dashboard.ValueMappingResult{
			"0": {Text: new("DOWN"), Color: new("red"), Index: cog.ToPtr[int32](0)},
			"1": {Text: new("LIVE"), Color: new("green"), Index: cog.ToPtr[int32](1)},
		},
	}}}
}
