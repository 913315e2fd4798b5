package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/nodegraph"
)

// Mesh is the "Kuma Mesh" dashboard: the service map and per-service
// health of one mesh.
func Mesh() (dashboard.Dashboard, error) {
	in := sel(meshZone, inbound)
	answered := sel(meshZone, inboundHCM)
	out := sel(meshZone, outbound)
	svcLink := serviceLink("${__field.labels.kuma_io_service}")

	b := newBoard(UIDMesh, "Kuma Mesh", "Services, traffic and health of one Kuma mesh.", commonVars()...)
	zoneProxyLinks(b)
	b.add(nodegraph.NewPanelBuilder().
		Title("Service Map").
		Description("Services of the mesh and the traffic between them, from the control plane and Prometheus.").
		Datasource(kumaDS()).
		WithTarget(kumaTarget(map[string]any{"queryType": "mesh-graph", "mesh": "$mesh", "zone": "$zone"})).
		Span(full).Height(14))

	b.row("Overview").add(
		single("Dataplanes online", "Dataplanes whose Envoy reports live.", unitShort, quarter,
			q(`sum(envoy_server_live{`+meshZone+`})`, "online")),
		alarm(single("Dataplanes not live", "Scraped dataplanes whose Envoy is not live (draining or starting): red from one.", unitShort, quarter,
			q(`count(envoy_server_live{`+meshZone+`} == 0) or vector(0)`, "not live")), 1, 1),
		single("Connected to the CP", "Dataplanes holding an xDS stream to a control plane.", unitShort, quarter,
			q(`sum(envoy_control_plane_connected_state{`+meshZone+`})`, "connected")),
		single("Inbound requests", "Requests per second received by all services.", unitReqPerSec, quarter,
			q(sumRate("envoy_http_downstream_rq_total", answered, ""), "requests")),
	)
	b.add(
		kumaTable("Services", "Services of the mesh in the selected zones, as the control plane sees them; click a name for its dashboard.", third,
			map[string]any{"queryType": "services", "mesh": "$mesh", "zone": "$zone"}).
			DataLinks(serviceLink("${__data.fields.name}")),
		kumaTable("Gateways", "Builtin and delegated gateways of the mesh with proxies in the selected zones; click a name for the MeshGateway dashboard.", third,
			map[string]any{"queryType": "gateways", "mesh": "$mesh", "zone": "$zone"}).
			DataLinks(gatewayLink("${__data.fields.name}")),
		promTable("Service to service traffic", "Requests per second from each service to each destination over the time range; click a row for the pair.", third,
			tq(`sum by (${service_label}, envoy_cluster_name) (rate(envoy_cluster_upstream_rq_total{`+out+`}[$__range]))`)).
			Unit(unitReqPerSec).
			DataLinks(pairLink("${__data.fields.kuma_io_service}", "${__data.fields.envoy_cluster_name}")),
	)

	b.row("Services (inbound)").add(
		ts("Latency p99", "99th percentile of the time services take to answer, measured by their own sidecar.", unitMillis, half,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", in, "${service_label}"), "{{kuma_io_service}}")).DataLinks(svcLink),
		ts("Traffic", "Requests per second received by each service.", unitReqPerSec, half,
			q(sumRate("envoy_http_downstream_rq_total", answered, "${service_label}"), "{{kuma_io_service}}")).DataLinks(svcLink),
		ts("4xx error rate", "Share of requests answered with 4xx, as clients got them: including Envoy's own 403 (traffic permissions) and 429 (rate limits).", unitPercent, half,
			q(ratio(sumRate("envoy_http_downstream_rq_xx", sel(answered, `envoy_response_code_class="4"`), "${service_label}"),
				sumRate("envoy_http_downstream_rq_total", answered, "${service_label}")), "{{kuma_io_service}} 4xx")).DataLinks(svcLink),
		ts("5xx error rate", "Share of requests answered with 5xx, as clients got them: including Envoy's own 503 (overflow, no healthy upstream) and injected faults.", unitPercent, half,
			q(ratio(sumRate("envoy_http_downstream_rq_xx", sel(answered, `envoy_response_code_class="5"`), "${service_label}"),
				sumRate("envoy_http_downstream_rq_total", answered, "${service_label}")), "{{kuma_io_service}} 5xx")).DataLinks(svcLink),
	)

	b.row("Health and resilience").add(
		ts("Health checks", "Active health checks per second by result (needs a HealthCheck or MeshHealthCheck policy).", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_health_check_success", out, "${service_label}"), "{{kuma_io_service}} success"),
			q(sumRate("envoy_cluster_health_check_failure", out, "${service_label}"), "{{kuma_io_service}} failure")).DataLinks(svcLink),
		ts("Circuit breaker overflows", "Requests and connections rejected because a circuit breaker was open.", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_pending_overflow", out, "${service_label}"), "{{kuma_io_service}} pending requests"),
			q(sumRate("envoy_cluster_upstream_cx_overflow", out, "${service_label}"), "{{kuma_io_service}} connections"),
			q(sumRate("envoy_cluster_upstream_rq_retry_overflow", out, "${service_label}"), "{{kuma_io_service}} retries")).DataLinks(svcLink),
		ts("Outlier ejections", "Endpoints ejected by outlier detection (needs a CircuitBreaker or MeshCircuitBreaker policy).", unitShort, third,
			q(`sum by (${service_label}) (envoy_cluster_outlier_detection_ejections_active{`+out+`})`, "{{kuma_io_service}} ejected now"),
			q(sumRate("envoy_cluster_outlier_detection_ejections_enforced_total", out, "${service_label}"), "{{kuma_io_service}} ejections/s")).DataLinks(svcLink),
	)

	b.row("Traffic through Envoy").add(
		ts("Bytes", "Bytes per second through the outbound clusters of each service.", unitBytesSec, half,
			q(sumRate("envoy_cluster_upstream_cx_tx_bytes_total", out, "${service_label}"), "{{kuma_io_service}} sent"),
			q(sumRate("envoy_cluster_upstream_cx_rx_bytes_total", out, "${service_label}"), "{{kuma_io_service}} received")).DataLinks(svcLink),
		ts("Connection and request errors", "Timeouts and resets seen by callers, per calling service.", unitOpsPerSec, half,
			q(sumRate("envoy_cluster_upstream_cx_connect_timeout", out, "${service_label}"), "{{kuma_io_service}} connect timeout"),
			q(sumRate("envoy_cluster_upstream_rq_timeout", out, "${service_label}"), "{{kuma_io_service}} request timeout"),
			q(sumRate("envoy_cluster_upstream_cx_destroy_remote_with_active_rq", out, "${service_label}"), "{{kuma_io_service}} closed by remote"),
			q(sumRate("envoy_cluster_upstream_rq_rx_reset", out, "${service_label}"), "{{kuma_io_service}} response reset"),
			q(sumRate("envoy_cluster_upstream_rq_pending_failure_eject", out, "${service_label}"), "{{kuma_io_service}} pending failure")).DataLinks(svcLink),
	)

	b.row("Dataplanes").add(
		ts("Dataplanes live and connected", "Live Envoys versus those connected to a control plane.", unitShort, half,
			q(`sum(envoy_server_live{`+meshZone+`})`, "live"),
			q(`sum(envoy_control_plane_connected_state{`+meshZone+`})`, "connected to the CP"),
			q(`count(envoy_server_live{`+meshZone+`})`, "scraped")),
		promTable("Dataplanes", "Dataplanes seen by Prometheus; click a row for its dashboard.", half,
			tq(`max by (${dataplane_label}, ${service_label}, ${zone_label}) (envoy_server_live{`+meshZone+`})`)).
			DataLinks(dataplaneLink("${__data.fields.dataplane}", "${__data.fields.kuma_io_zone}")),
	)
	return b.build()
}
