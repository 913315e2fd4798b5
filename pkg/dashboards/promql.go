package dashboards

import (
	"fmt"
	"strings"
)

// Label matchers shared by the Envoy panels. Label names are the defaults of
// the Kuma docs; inbound clusters are `localhost_<port>` (legacy naming) or
// `self_inbound_*` (unified naming).
const (
	meshZone = `mesh="$mesh",kuma_io_zone=~"$zone"`
	inbound  = `envoy_cluster_name=~"localhost_.*|self_inbound_.*"`
	// outbound drops inbound, bootstrap, admin, passthrough and tracing
	// clusters, so what remains are destinations in or outside the mesh.
	outbound = `envoy_cluster_name!~"` + nonMeshClusters + `"`
	// userHCM drops the admin and metrics listeners of Envoy and kuma-dp.
	userHCM = `envoy_http_conn_manager_prefix!~"admin|kuma_.*|system_.*"`
	// inboundHCM is the HTTP connection manager of an inbound listener. Its
	// downstream_rq_xx counts every answer clients got, including those
	// Envoy gave itself (403 by MeshTrafficPermission, 429 by rate limits,
	// 503 on overflow, injected faults), which the localhost_* cluster never
	// sees.
	inboundHCM = `envoy_http_conn_manager_prefix=~"localhost_.*|self_inbound_.*"`

	nonMeshClusters = `localhost_.*|self_.*|system_.*|kuma_.*|_kuma_.*|ads_cluster|access_log_sink|.*passthrough.*|tracing_.*`
)

// sel joins label matchers into a selector body.
func sel(matchers ...string) string {
	return strings.Join(matchers, ",")
}

// rate is the per-second rate of a counter over Grafana's rate interval.
func rate(metric, selector string) string {
	return fmt.Sprintf("rate(%s{%s}[$__rate_interval])", metric, selector)
}

// sumRate sums rate() by the given labels (none: one total series).
func sumRate(metric, selector, by string) string {
	if by == "" {
		return "sum(" + rate(metric, selector) + ")"
	}
	return fmt.Sprintf("sum by (%s) (%s)", by, rate(metric, selector))
}

// quantile is a histogram quantile of an Envoy or Go histogram.
func quantile(q, metric, selector, by string) string {
	group := "le"
	if by != "" {
		group = by + ", le"
	}
	return fmt.Sprintf("histogram_quantile(%s, sum by (%s) (%s))", q, group, rate(metric+"_bucket", selector))
}

// ratio divides two sum-rates with the same grouping; a zero denominator
// gives no point rather than NaN.
func ratio(num, den string) string {
	return fmt.Sprintf("(%s) / (%s > 0)", num, den)
}

// k8sPods attaches the dataplane name to cAdvisor and kube-state-metrics
// series. Kuma names a Kubernetes dataplane `<pod>.<namespace>`; outside
// Kubernetes the join is empty and the panel shows its no-value text.
func k8sPods(selector string) string {
	return fmt.Sprintf(`label_replace(label_replace(max by (dataplane) (envoy_server_live{%s}), "pod", "$1", "dataplane", "(.+)\\.[^.]+"), "namespace", "$1", "dataplane", ".+\\.([^.]+)")`, selector)
}

func k8sCPU(selector string) string {
	return `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",container!="POD"}[$__rate_interval]))` +
		" * on (namespace, pod) group_left (dataplane) " + k8sPods(selector)
}

func k8sMemory(selector string) string {
	return `sum by (namespace, pod) (container_memory_working_set_bytes{container!="",container!="POD"})` +
		" * on (namespace, pod) group_left (dataplane) " + k8sPods(selector)
}

func k8sMemoryLimit(selector string) string {
	return `sum by (namespace, pod) (kube_pod_container_resource_limits{resource="memory"})` +
		" * on (namespace, pod) group_left (dataplane) " + k8sPods(selector)
}
