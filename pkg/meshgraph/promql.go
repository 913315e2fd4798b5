package meshgraph

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// minWindow is the shortest window: shorter ranges hold too few scrapes for
// increase() to see anything.
const minWindow = 60 * time.Second

// systemClusters are Envoy clusters that are not traffic between services:
// inbound, admin, xDS, access log, passthrough, tracing and OTel clusters.
const systemClusters = `localhost_.*|self_.*|kuma_.*|system_.*|ads_cluster|access_log_sink|.*passthrough.*|tracing_.*|_kuma_.*`

// workloadLabel and meshMetricZoneLabel are the labels kuma-dp gives a
// proxy's metrics on the MeshMetric path with unified naming, in place of
// the MADS labels (docs/kuma-naming.md). Absent elsewhere, so grouping by
// them adds no series.
const (
	workloadLabel       = "kuma_workload"
	meshMetricZoneLabel = "zone"
	// proxyRoleLabel tells zone ingress and egress proxies, which carry
	// neither kuma_io_service nor kuma_workload on that path.
	proxyRoleLabel = "kuma_proxy_role"
)

// tcpStatLabel tells the three counters of the TCP query apart.
const tcpStatLabel = "kuma_graph_stat"

// Values of tcpStatLabel.
const (
	tcpStatConnections = "cx"
	tcpStatTx          = "tx"
	tcpStatRx          = "rx"
)

// windowOf is To-From in whole seconds, at least minWindow, so a past hour
// is queried as increase(x[3600s]) at its end.
func windowOf(from, to time.Time) time.Duration {
	w := to.Sub(from).Truncate(time.Second)
	if w < minWindow {
		return minWindow
	}
	return w
}

// RangeSelector is the range selector of a window in whole seconds,
// "[3600s]"; the traffic query uses it too.
func RangeSelector(window time.Duration) string {
	return fmt.Sprintf("[%ds]", int64(window/time.Second))
}

// queryKind names one of the fixed queries of a Build.
type queryKind int

const (
	queryClasses queryKind = iota
	queryTotal
	queryLatency
	queryTCP
	queryGateway
	queryCount
)

// queries are the PromQL texts of one Build, indexed by queryKind.
type queries [queryCount]string

// newQueries builds the fixed set of queries for a mesh and window. Label
// names were validated by the settings, so only the mesh needs escaping.
func newQueries(mesh string, window time.Duration, l models.LabelNames, zone *regexp.Regexp) queries {
	rangeSelector := RangeSelector(window)
	// kuma_io_mesh_traffic is not required: the MeshMetric policy path does
	// not add it, and systemClusters already drops what it would exclude.
	meshMatchers := fmt.Sprintf(`%s="%s"`, l.Mesh, prometheus.EscapeLabelValue(mesh)) + zoneMatcher(zone, l.Zone)
	if l.Zone != meshMetricZoneLabel {
		// The MeshMetric path's zone label narrows those series the same way;
		// series without it (the MADS path) pass its empty alternative.
		meshMatchers += zoneMatcher(zone, meshMetricZoneLabel)
	}
	upstream := fmt.Sprintf(`{%s,envoy_cluster_name!~"%s"}`, meshMatchers, systemClusters)
	by := fmt.Sprintf("%s,%s,envoy_cluster_name,%s,%s", l.Service, l.Zone, workloadLabel, proxyRoleLabel)
	if l.Zone != meshMetricZoneLabel {
		by += "," + meshMetricZoneLabel
	}
	sumIncrease := func(metric, groupBy string) string {
		return fmt.Sprintf("sum by (%s) (increase(%s%s%s))", groupBy, metric, upstream, rangeSelector)
	}
	tcp := func(metric, stat string) string {
		return fmt.Sprintf(`label_replace(%s, "%s", "%s", "", "")`, sumIncrease(metric, by), tcpStatLabel, stat)
	}
	var q queries
	q[queryClasses] = sumIncrease("envoy_cluster_upstream_rq_xx", by+",envoy_response_code_class")
	q[queryTotal] = sumIncrease("envoy_cluster_upstream_rq_total", by)
	q[queryLatency] = strings.Replace(sumIncrease("envoy_cluster_upstream_rq_time_bucket", by+",le"), upstream,
		upstream[:len(upstream)-1]+`,le!~"`+slowBuckets+`"}`, 1)
	q[queryTCP] = tcp("envoy_cluster_upstream_cx_total", tcpStatConnections) +
		" or " + tcp("envoy_cluster_upstream_cx_tx_bytes_total", tcpStatTx) +
		" or " + tcp("envoy_cluster_upstream_cx_rx_bytes_total", tcpStatRx)
	q[queryGateway] = fmt.Sprintf(
		`sum by (%s,%s,envoy_http_conn_manager_prefix,envoy_response_code_class) (increase(envoy_http_downstream_rq_xx{%s,%s!=""}%s))`,
		l.Gateway, l.Zone, meshMatchers, l.Gateway, rangeSelector)
	return q
}

// The labels of the gateway query's answer, in the order asked for.
const (
	gwGatewayLabel = iota
	gwZoneLabel
	gwPrefixLabel
	gwClassLabel
)

// answerLabels are the labels the join reads from each query's answer: the
// upstream queries' group-by labels in the order srcLabel … extraLabel, and
// the gateway query's in gw*Label order.
func answerLabels(l models.LabelNames) [queryCount][]string {
	upstream := func(extra ...string) []string {
		// meshMetricZoneLabel may be l.Zone: then only zoneLabel is filled.
		return append([]string{l.Service, l.Zone, "envoy_cluster_name", workloadLabel, proxyRoleLabel, meshMetricZoneLabel}, extra...)
	}
	var out [queryCount][]string
	out[queryClasses] = upstream("envoy_response_code_class")
	out[queryTotal] = upstream()
	out[queryLatency] = upstream("le")
	out[queryTCP] = upstream(tcpStatLabel)
	out[queryGateway] = []string{l.Gateway, l.Zone, "envoy_http_conn_manager_prefix", "envoy_response_code_class"}
	return out
}

// slowBuckets matches the le of Envoy's latency buckets of 300 s and more
// (docs: Envoy's default bounds end 60 s, 300 s, 600 s, 1800 s, 3600 s, in
// ms), with or without the ".0" Prometheus 3 adds. They cannot move a p50
// or p99 that is under a minute, and leaving them out cuts the latency
// answer by a fifth; a quantile beyond 60 s shows as 60 s (the highest
// finite bound left), as histogram_quantile does for ranks in +Inf.
const slowBuckets = `(300000|600000|1800000|3600000)([.]0)?`

// zoneMatcher turns a zone filter made by the query handler (^(?:expr)$)
// that is a plain alternation of names into a label matcher, so that
// Prometheus leaves other zones' series out. Prometheus' regex matchers are
// anchored RE2 like the filter, so the answer keeps every series the join
// keeps; the empty alternative keeps series without the zone label (the
// MeshMetric path's "zone"), which the join filters itself. Other filters
// are applied in Go only.
func zoneMatcher(zone *regexp.Regexp, label string) string {
	if zone == nil {
		return ""
	}
	expr, ok := strings.CutPrefix(zone.String(), "^(?:")
	if ok {
		expr, ok = strings.CutSuffix(expr, ")$")
	}
	if !ok || models.ZoneNames(expr) == nil {
		return ""
	}
	return fmt.Sprintf(`,%s=~"%s|"`, label, prometheus.EscapeLabelValue(expr))
}

// list returns the queries in a fixed order, for ExecutedQueryString.
func (q queries) list() []string {
	return append([]string(nil), q[:]...)
}
