package dashboards

import (
	"fmt"
	"regexp"
	"strings"
)

// labelVar is a hidden constant variable holding the Prometheus name of a
// Kuma target label, set once to match the relabeling (default: the Kuma
// docs' name, the datasource's label-name settings say the same).
type labelVar struct {
	name, setting, def string
}

// labelVars are the Kuma labels the Envoy panels select and group by.
var labelVars = []labelVar{
	{"mesh_label", "meshLabel", "mesh"},
	{"service_label", "serviceLabel", "kuma_io_service"},
	{"services_label", "servicesLabel", "kuma_io_services"},
	{"zone_label", "zoneLabel", "kuma_io_zone"},
	{"dataplane_label", "dataplaneLabel", "dataplane"},
	{"gateway_label", "gatewayLabel", "kuma_io_mesh_gateway"},
}

// canonical copies every Kuma label that expr groups by from its configured
// name to the default one, so legends ({{kuma_io_service}}) and data links
// (${__field.labels.kuma_io_service}), which cannot name a variable, work
// whatever the relabeling. With the default names the copy is a no-op.
func canonical(expr string) string {
	for _, l := range labelVars {
		ref := "${" + l.name + "}"
		// forms' copy of the MeshMetric zone into ${zone_label} is a target,
		// not a use: it needs no copy back unless the query also groups by it.
		uses := strings.Count(expr, ref) - strings.Count(expr, `"`+ref+`", "$1", "`+meshMetricZone+`"`)
		matchers := len(regexp.MustCompile(regexp.QuoteMeta(ref)+`\s*(=|!=|=~|!~)"`).FindAllStringIndex(expr, -1))
		if uses > matchers {
			expr = fmt.Sprintf(`label_replace(%s, "%s", "$1", "%s", "(.*)")`, expr, l.def, ref)
		}
	}
	return expr
}

// Label matchers shared by the Envoy panels. Label names come from the
// label variables; inbound clusters are `localhost_<port>` (legacy naming)
// or `self_inbound_*` (unified naming).
const (
	meshZone = `${mesh_label}="$mesh",${zone_label}=~"$zone"`
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

// orForm separates the two forms of a selector built by either: series
// match one form or the other. Every query turns it into PromQL `or`
// (vec, rate), and promTargets refuses an expression that still holds it.
const orForm = "\x1f"

// either is a selector matching series of one form or the other, for
// proxies that the same dashboard finds by different labels (see
// ofService). Matchers sel adds later go to both forms.
func either(a, b string) string { return a + orForm + b }

// meshMetricZone is the zone attribute of the MeshMetric path, which kuma-dp
// sets in place of kuma_io_zone with unified naming; like kuma_workload it
// is no kuma_sd target label, so the label-name settings do not rename it.
const meshMetricZone = "zone"

// sel joins label matchers into a selector body; a matcher built by either
// makes the result two-formed.
func sel(matchers ...string) string {
	forms := []string{""}
	for _, m := range matchers {
		parts := strings.Split(m, orForm)
		if len(parts) == 2 && len(forms) == 1 {
			forms = []string{forms[0], forms[0]}
		}
		for i := range forms {
			forms[i] = joinMatchers(forms[i], parts[min(i, len(parts)-1)])
		}
	}
	return strings.Join(forms, orForm)
}

func joinMatchers(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "," + b
}

// vec is the instant vector of metric under selector: metric{selector}, or
// for a two-form selector both forms joined by `or`, the second with its
// MeshMetric zone copied to the zone label, so panels grouped or labelled
// by zone show it.
func vec(metric, selector string) string {
	return forms(selector, func(s string) string { return metric + "{" + s + "}" })
}

// rate is the per-second rate of a counter over Grafana's rate interval.
func rate(metric, selector string) string {
	return forms(selector, func(s string) string { return fmt.Sprintf("rate(%s{%s}[$__rate_interval])", metric, s) })
}

// forms renders one expression per form of selector; two are joined by
// `or`, which keeps series of both since their label sets differ (the
// second form's series have no services label).
func forms(selector string, expr func(string) string) string {
	a, b, two := strings.Cut(selector, orForm)
	if !two {
		return expr(a)
	}
	return fmt.Sprintf(`(%s or label_replace(%s, "${zone_label}", "$1", "%s", "(.+)"))`, expr(a), expr(b), meshMetricZone)
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
	return fmt.Sprintf(`label_replace(label_replace(max by (${dataplane_label}) (%s), "pod", "$1", "${dataplane_label}", "(.+)\\.[^.]+"), "namespace", "$1", "${dataplane_label}", ".+\\.([^.]+)")`, vec("envoy_server_live", selector))
}

func k8sCPU(selector string) string {
	return `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",container!="POD"}[$__rate_interval]))` +
		" * on (namespace, pod) group_left (${dataplane_label}) " + k8sPods(selector)
}

func k8sMemory(selector string) string {
	return `sum by (namespace, pod) (container_memory_working_set_bytes{container!="",container!="POD"})` +
		" * on (namespace, pod) group_left (${dataplane_label}) " + k8sPods(selector)
}

func k8sMemoryLimit(selector string) string {
	return `sum by (namespace, pod) (kube_pod_container_resource_limits{resource="memory"})` +
		" * on (namespace, pod) group_left (${dataplane_label}) " + k8sPods(selector)
}
