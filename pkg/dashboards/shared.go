package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// cxErrors are the connection and request failures Kuma's dashboards show,
// per Envoy cluster (and whatever else by adds, for data links).
func cxErrors(selector, by string) []query {
	return []query{
		q(sumRate("envoy_cluster_upstream_cx_connect_timeout", selector, by), "{{envoy_cluster_name}} connect timeout"),
		q(sumRate("envoy_cluster_upstream_cx_connect_fail", selector, by), "{{envoy_cluster_name}} connect failure"),
		q(sumRate("envoy_cluster_upstream_rq_timeout", selector, by), "{{envoy_cluster_name}} request timeout"),
		q(sumRate("envoy_cluster_upstream_cx_destroy_remote_with_active_rq", selector, by), "{{envoy_cluster_name}} closed by remote with active request"),
		q(sumRate("envoy_cluster_upstream_cx_destroy_local_with_active_rq", selector, by), "{{envoy_cluster_name}} closed by Envoy with active request"),
		q(sumRate("envoy_cluster_upstream_rq_rx_reset", selector, by), "{{envoy_cluster_name}} response reset"),
		q(sumRate("envoy_cluster_upstream_rq_tx_reset", selector, by), "{{envoy_cluster_name}} request reset by Envoy"),
		q(sumRate("envoy_cluster_upstream_rq_pending_failure_eject", selector, by), "{{envoy_cluster_name}} pending failure ejection"),
	}
}

// latencyQueries are p50, p95 and p99 of the request time, grouped by the
// given labels (none: one line per percentile).
func latencyQueries(selector, by string) []query {
	prefix := ""
	if by != "" {
		prefix = "{{" + by + "}} "
	}
	var qs []query
	for _, p := range []struct{ q, name string }{{"0.5", "p50"}, {"0.95", "p95"}, {"0.99", "p99"}} {
		qs = append(qs, q(quantile(p.q, "envoy_cluster_upstream_rq_time", selector, by), prefix+p.name))
	}
	return qs
}

// healthAndBreakers are the health-check, circuit-breaker and outlier
// panels, per destination cluster. Gauges (endpoints) sit on a right axis
// of their own, apart from the rates.
func healthAndBreakers(selector string) []cog.Builder[dashboard.Panel] {
	by := "envoy_cluster_name"
	return []cog.Builder[dashboard.Panel]{
		ts("Health checks", "Active health checks per second by result (needs a health-check policy); healthy endpoints on the right axis.", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_health_check_success", selector, by), "{{envoy_cluster_name}} success"),
			q(sumRate("envoy_cluster_health_check_failure", selector, by), "{{envoy_cluster_name}} failure"),
			q(`sum by (envoy_cluster_name) (`+vec("envoy_cluster_health_check_healthy", selector)+`)`, "{{envoy_cluster_name}} healthy endpoints")).
			OverrideByRegexp(".* healthy endpoints", unitOverride(unitShort)),
		ts("Circuit breakers", "Requests and connections rejected because a circuit breaker was open.", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_pending_overflow", selector, by), "{{envoy_cluster_name}} pending requests"),
			q(sumRate("envoy_cluster_upstream_cx_overflow", selector, by), "{{envoy_cluster_name}} connections"),
			q(sumRate("envoy_cluster_upstream_rq_retry_overflow", selector, by), "{{envoy_cluster_name}} retries")),
		ts("Outlier detection", "Ejections per second enforced by outlier detection; endpoints ejected now on the right axis.", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_outlier_detection_ejections_enforced_total", selector, by), "{{envoy_cluster_name}} ejections/s"),
			q(`sum by (envoy_cluster_name) (`+vec("envoy_cluster_outlier_detection_ejections_active", selector)+`)`, "{{envoy_cluster_name}} ejected now")).
			OverrideByRegexp(".* ejected now", unitOverride(unitShort)),
	}
}

// k8sPanels are the Kubernetes resource panels per dataplane; outside
// Kubernetes they show noK8s instead of an empty graph.
func k8sPanels(selector string) []cog.Builder[dashboard.Panel] {
	return []cog.Builder[dashboard.Panel]{
		ts("CPU", "CPU used by the pod of each dataplane (cAdvisor).", unitCores, third,
			q(k8sCPU(selector), "{{dataplane}}")).NoValue(noK8s),
		ts("Memory", "Working set of the pod of each dataplane (cAdvisor).", unitBytes, third,
			q(k8sMemory(selector), "{{dataplane}}")).NoValue(noK8s),
		ts("Memory saturation", "Working set over the memory limit (cAdvisor and kube-state-metrics).", unitPercent, third,
			q(ratio(k8sMemory(selector), k8sMemoryLimit(selector)), "{{dataplane}}")).NoValue(noK8s),
	}
}

// resilience are the retry, circuit-breaker and endpoint-health panels of
// outbound clusters (by envoy_cluster_name plus extra labels for links).
func resilience(selector string) []cog.Builder[dashboard.Panel] {
	by := "envoy_cluster_name"
	return []cog.Builder[dashboard.Panel]{
		ts("Retries", "Retries per second, those that succeeded, and attempts cut by the per-try timeout (MeshRetry, MeshTimeout).", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_retry", selector, by), "{{envoy_cluster_name}} retries"),
			q(sumRate("envoy_cluster_upstream_rq_retry_success", selector, by), "{{envoy_cluster_name}} succeeded"),
			q(sumRate("envoy_cluster_upstream_rq_per_try_timeout", selector, by), "{{envoy_cluster_name}} per-try timeouts")),
		ts("Circuit breakers open", "1 while a circuit breaker of the destination is open (MeshCircuitBreaker thresholds): connections, requests, pending requests.", unitShort, third,
			q(`max by (envoy_cluster_name) (`+vec("envoy_cluster_circuit_breakers_default_cx_open", selector)+`)`, "{{envoy_cluster_name}} connections"),
			q(`max by (envoy_cluster_name) (`+vec("envoy_cluster_circuit_breakers_default_rq_open", selector)+`)`, "{{envoy_cluster_name}} requests"),
			q(`max by (envoy_cluster_name) (`+vec("envoy_cluster_circuit_breakers_default_rq_pending_open", selector)+`)`, "{{envoy_cluster_name}} pending")).
			Max(1),
		ts("Healthy endpoints", "Share of each destination's endpoints Envoy considers healthy, and degraded (used only when too few are healthy); panic-mode load balancing (too few healthy, traffic spread over all) on the right axis.", unitPercent, third,
			q(ratio(`sum by (envoy_cluster_name) (`+vec("envoy_cluster_membership_healthy", selector)+`)`,
				`sum by (envoy_cluster_name) (`+vec("envoy_cluster_membership_total", selector)+`)`), "{{envoy_cluster_name}} healthy"),
			q(ratio(`sum by (envoy_cluster_name) (`+vec("envoy_cluster_membership_degraded", selector)+`)`,
				`sum by (envoy_cluster_name) (`+vec("envoy_cluster_membership_total", selector)+`)`), "{{envoy_cluster_name}} degraded"),
			q(sumRate("envoy_cluster_lb_healthy_panic", selector, by), "{{envoy_cluster_name}} panic/s")).
			OverrideByRegexp(".* panic/s", unitOverride(unitOpsPerSec)),
		ts("Circuit breaker headroom", "Connections, pending requests and requests each destination can still take before its circuit breaker opens (lowest over the proxies).", unitShort, half,
			q(`min by (envoy_cluster_name) (`+vec("envoy_cluster_circuit_breakers_default_remaining_cx", selector)+`)`, "{{envoy_cluster_name}} connections"),
			q(`min by (envoy_cluster_name) (`+vec("envoy_cluster_circuit_breakers_default_remaining_pending", selector)+`)`, "{{envoy_cluster_name}} pending"),
			q(`min by (envoy_cluster_name) (`+vec("envoy_cluster_circuit_breakers_default_remaining_rq", selector)+`)`, "{{envoy_cluster_name}} requests")),
		ts("Requests cut short", "Requests per second the client cancelled, and requests ended by the maximum stream duration (MeshTimeout).", unitOpsPerSec, half,
			q(sumRate("envoy_cluster_upstream_rq_cancelled", selector, by), "{{envoy_cluster_name}} cancelled"),
			q(sumRate("envoy_cluster_upstream_rq_max_duration_reached", selector, by), "{{envoy_cluster_name}} max duration")),
	}
}

// proxySecurity are the certificate, mTLS and configuration panels of the
// selected proxies, per dataplane.
func proxySecurity(selector string) []cog.Builder[dashboard.Panel] {
	by := "${dataplane_label}, ${zone_label}"
	return []cog.Builder[dashboard.Panel]{
		ts("Certificate expiry", "Days until each proxy's first certificate expires, and until each listener certificate expires "+
			"(envoy_listener_ssl_certificate_expiration_unix_time_seconds, empty on Envoy versions that do not export it); kuma-dp renews them well before.", "d", third,
			q(`min by (`+by+`) (`+vec("envoy_server_days_until_first_cert_expiring", selector)+`)`, "{{dataplane}} ({{kuma_io_zone}})"),
			q(`(min by (`+by+`, envoy_tls_certificate) (`+vec("envoy_listener_ssl_certificate_expiration_unix_time_seconds", selector)+`) - time()) / 86400`,
				"{{dataplane}} ({{kuma_io_zone}}) {{envoy_tls_certificate}}")),
		ts("mTLS handshakes", "TLS handshakes per second on the proxies' listeners (inbound) and clusters (outbound), TLS connection errors, and certificate rotations pushed over SDS.", unitOpsPerSec, third,
			q(sumRate("envoy_listener_ssl_handshake", selector, ""), "inbound handshakes"),
			q(sumRate("envoy_cluster_ssl_handshake", selector, ""), "outbound handshakes"),
			q(sumRate("envoy_listener_ssl_connection_error", selector, ""), "errors"),
			q(sumRate("envoy_listener_server_ssl_socket_factory_ssl_context_update_by_sds", selector, ""), "certificate rotations")),
		ts("Configuration rejected", "Cluster (CDS) and listener (LDS) updates the proxies rejected: they keep running the previous configuration.", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_manager_cds_update_rejected", selector, by), "{{dataplane}} clusters"),
			q(sumRate("envoy_listener_manager_lds_update_rejected", selector, by), "{{dataplane}} listeners")),
	}
}
