package traffic

import (
	"context"
	"fmt"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// Prometheus refuses range queries of more than 11,000 points per series.
const maxPoints = 11000

// minRateWindow is the shortest rate() window: at the usual 15 s scrape
// interval it holds four samples, as Grafana's $__rate_interval does.
const minRateWindow = time.Minute

// grid is where the queries are evaluated: every step from start to end,
// or only at end for a numeric result.
type grid struct {
	start, end time.Time
	step       time.Duration
	// rate is the rate() window: the whole range for a numeric result, so
	// its numbers are the mesh-graph's over the same range.
	rate    time.Duration
	numeric bool
}

func newGrid(opts Options) grid {
	if opts.Step <= 0 {
		return grid{end: opts.To, rate: meshgraph.Window(opts.From, opts.To), numeric: true}
	}
	step := max(opts.Step.Truncate(time.Second), time.Second)
	if n := opts.To.Sub(opts.From) / step; n >= maxPoints {
		step = (opts.To.Sub(opts.From)/(maxPoints-1) + time.Second).Truncate(time.Second)
	}
	g := grid{start: opts.From.Truncate(step), end: opts.To, step: step, rate: max(step, minRateWindow)}
	return g
}

// times are the timestamps the results are aligned to.
func (g grid) times() []time.Time {
	if g.numeric {
		return []time.Time{g.end}
	}
	var out []time.Time
	for t := g.start; !t.After(g.end); t = t.Add(g.step) {
		out = append(out, t)
	}
	return out
}

// index maps a sample time to its position in times, or -1. It works on
// Prometheus's millisecond timestamps: it runs once per point.
func (g grid) index(ts model.Time) int {
	if g.numeric {
		return 0
	}
	d := int64(ts) - g.start.UnixMilli()
	step := g.step.Milliseconds()
	if d < 0 || ts.Time().After(g.end) || d%step != 0 {
		return -1
	}
	return int(d / step)
}

// run evaluates one query on the grid; an instant vector is returned as a
// matrix of one point per series.
func (g grid) run(ctx context.Context, m Metrics, q string) (model.Matrix, []string, error) {
	if !g.numeric {
		return m.QueryRange(ctx, q, v1.Range{Start: g.start, End: g.end, Step: g.step})
	}
	vec, warns, err := m.Query(ctx, q, g.end)
	if err != nil {
		return nil, warns, err
	}
	out := make(model.Matrix, 0, len(vec))
	for _, s := range vec {
		out = append(out, &model.SampleStream{Metric: s.Metric, Values: []model.SamplePair{{Timestamp: s.Timestamp, Value: s.Value}}})
	}
	return out, warns, nil
}

// queryKind names one of the queries.
type queryKind int

const (
	kindClasses queryKind = iota
	kindTotal
	kindLatency
	kindTCP
	kindGatewayClasses
	kindGatewayLatency
)

// kindNames name the queries in messages.
var kindNames = [...]string{
	kindClasses:        "requests by status class",
	kindTotal:          "requests",
	kindLatency:        "latency",
	kindTCP:            "TCP",
	kindGatewayClasses: "gateway requests by status class",
	kindGatewayLatency: "gateway latency",
}

// tcpStatLabel tells the three counters of the TCP query apart.
const tcpStatLabel = "kuma_traffic_stat"

type query struct {
	kind queryKind
	text string
}

// newQueries returns the queries the metrics need: at most six, whatever
// the mesh size. Label names were validated by the settings, so only the
// mesh is escaped.
func newQueries(opts Options, window time.Duration) []query {
	l := opts.Labels
	rangeSelector := meshgraph.RangeSelector(window)
	need := map[string]bool{}
	for _, m := range opts.Metrics {
		switch {
		case m.IsLatency():
			need["latency"] = true
		case m.IsTCP():
			need["tcp"] = true
		default:
			need["requests"] = true
		}
	}
	var out []query
	// Builtin gateways count the requests entering them on their listeners,
	// as the map's gateway nodes do: for gateways, and for services, of
	// which gateways are some.
	if opts.GroupBy != models.GroupByEdge {
		sel := fmt.Sprintf(`{%s="%s",%s!=""}`, l.Mesh, prometheus.EscapeLabelValue(opts.Mesh), l.Gateway)
		by := fmt.Sprintf("%s,%s,envoy_http_conn_manager_prefix", l.Gateway, l.Zone)
		if need["requests"] {
			out = append(out, query{kindGatewayClasses, fmt.Sprintf("sum by (%s,envoy_response_code_class) (rate(envoy_http_downstream_rq_xx%s%s))", by, sel, rangeSelector)})
		}
		if need["latency"] {
			out = append(out, query{kindGatewayLatency, fmt.Sprintf("sum by (%s,le) (rate(envoy_http_downstream_rq_time_bucket%s%s))", by, sel, rangeSelector)})
		}
	}
	if opts.GroupBy == models.GroupByGateway {
		return out
	}
	sel := meshgraph.UpstreamSelector(opts.Mesh, l)
	by := fmt.Sprintf("%s,%s,envoy_cluster_name", l.Service, l.Zone) + meshgraph.MeshMetricGroupBy(l)
	rate := func(metric, groupBy string) string {
		return fmt.Sprintf("sum by (%s) (rate(%s%s%s))", groupBy, metric, sel, rangeSelector)
	}
	if need["requests"] {
		out = append(out,
			query{kindClasses, rate("envoy_cluster_upstream_rq_xx", by+",envoy_response_code_class")},
			query{kindTotal, rate("envoy_cluster_upstream_rq_total", by)})
	}
	if need["latency"] {
		out = append(out, query{kindLatency, rate("envoy_cluster_upstream_rq_time_bucket", by+",le")})
	}
	if need["tcp"] {
		tcp := func(metric, stat string) string {
			return fmt.Sprintf(`label_replace(%s, "%s", "%s", "", "")`, rate(metric, by), tcpStatLabel, stat)
		}
		out = append(out, query{kindTCP, tcp("envoy_cluster_upstream_cx_total", "cx") +
			" or " + tcp("envoy_cluster_upstream_cx_tx_bytes_total", "tx") +
			" or " + tcp("envoy_cluster_upstream_cx_rx_bytes_total", "rx")})
	}
	return out
}
