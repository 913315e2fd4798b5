package traffic

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// key is a service or gateway (dst only) or an edge.
type key struct{ src, dst string }

// counters are one group's rates, one value per grid time.
type counters struct {
	byClass [][meshgraph.ClassCount]float64 // 2xx…5xx
	classes []float64                       // every class, 1xx included, to repair a lagging rq_total
	total   []float64
	// les are the latency bucket bounds seen, buckets[j] the counts of
	// bound les[j] at every time: one slice per bound, not a histogram per
	// point, so a long range costs no allocation per point.
	les     []float64
	buckets [][]float64
	cx      []float64
	bytes   []float64
}

func newCounters(n int) *counters {
	return &counters{
		byClass: make([][meshgraph.ClassCount]float64, n), classes: make([]float64, n), total: make([]float64, n),
		cx: make([]float64, n), bytes: make([]float64, n),
	}
}

// accumulator sums the series of every query into groups named by Naming.
type accumulator struct {
	naming *meshgraph.Naming
	opts   Options
	grid   grid
	times  int
	labels struct{ src, zone, gateway model.LabelName }
	groups map[key]*counters
	// known are the groups of the series with traffic, by their labels
	// without the class or bucket (seriesLabels).
	known map[string]key
	// gateways are the listener counters of builtin gateways, kept apart
	// from the edges into them: the map shows a gateway's listener numbers.
	gateways map[key]*counters
	// invalid counts points dropped by meshgraph.ValidSample or
	// ValidBucketBound, as the service map does.
	invalid int
}

func newAccumulator(n *meshgraph.Naming, opts Options, g grid) *accumulator {
	a := &accumulator{naming: n, opts: opts, grid: g, times: len(g.times()), groups: map[key]*counters{}, known: map[string]key{}, gateways: map[key]*counters{}}
	a.labels.src = model.LabelName(opts.Labels.Service)
	a.labels.zone = model.LabelName(opts.Labels.Zone)
	a.labels.gateway = model.LabelName(opts.Labels.Gateway)
	return a
}

// add sums the series of one query. Series without any traffic are
// skipped, so that, as in the graph, they make no service active; but an
// empty latency bucket of a series whose labels did carry traffic is kept,
// as the graph keeps it: it bounds the next bucket from below, as in
// histogram_quantile.
func (a *accumulator) add(kind queryKind, m model.Matrix) {
	latency := kind == kindLatency || kind == kindGatewayLatency
	var empty []*model.SampleStream
	for _, s := range m {
		if !hasTraffic(s.Values) {
			if latency {
				empty = append(empty, s)
			}
			continue
		}
		k, ok := a.key(kind, s.Metric)
		if !ok {
			continue
		}
		a.known[seriesLabels(s.Metric)] = k
		a.sum(kind, k, s)
	}
	for _, s := range empty {
		if k, ok := a.known[seriesLabels(s.Metric)]; ok {
			a.sum(kind, k, s)
		}
	}
}

// seriesLabels identifies the labels a series is named by: all of them but
// the class or bucket.
func seriesLabels(m model.Metric) string {
	l := model.LabelSet(m).Clone()
	delete(l, model.BucketLabel)
	delete(l, "envoy_response_code_class")
	return l.String()
}

// sum adds the points of one series to group k.
func (a *accumulator) sum(kind queryKind, k key, s *model.SampleStream) {
	groups := a.groups
	if kind == kindGatewayClasses || kind == kindGatewayLatency {
		groups = a.gateways
	}
	c := groups[k]
	if c == nil {
		c = newCounters(a.times)
		groups[k] = c
	}
	if kind == kindLatency || kind == kindGatewayLatency {
		if _, ok := meshgraph.ValidBucketBound(string(s.Metric[model.BucketLabel])); !ok {
			a.invalid += len(s.Values)
			return
		}
	}
	// What a series adds to is decided once, not per point.
	addPoint := c.adderOf(kind, s.Metric)
	if addPoint == nil {
		return
	}
	for _, p := range s.Values {
		i, v := a.grid.index(p.Timestamp), float64(p.Value)
		if i < 0 {
			continue
		}
		if !meshgraph.ValidSample(v) {
			a.invalid++
			continue
		}
		addPoint(c, i, v)
	}
}

// adderOf returns how one series of a query adds a value at time i, or nil
// for a series the query's result cannot use.
func (c *counters) adderOf(kind queryKind, m model.Metric) func(c *counters, i int, v float64) {
	switch kind {
	case kindClasses, kindGatewayClasses:
		if class := meshgraph.ClassIndex(string(m["envoy_response_code_class"])); class >= 0 {
			return func(c *counters, i int, v float64) { c.byClass[i][class] += v; c.classes[i] += v }
		}
		return func(c *counters, i int, v float64) { c.classes[i] += v }
	case kindTotal:
		return func(c *counters, i int, v float64) { c.total[i] += v }
	case kindLatency, kindGatewayLatency:
		le, ok := meshgraph.ValidBucketBound(string(m[model.BucketLabel]))
		if !ok {
			return nil
		}
		j := c.bucket(le)
		return func(c *counters, i int, v float64) { c.buckets[j][i] += v }
	case kindTCP:
		if m[tcpStatLabel] == "cx" {
			return func(c *counters, i int, v float64) { c.cx[i] += v }
		}
		return func(c *counters, i int, v float64) { c.bytes[i] += v }
	}
	return nil
}

// bucket returns the index of bound le in les, adding it when new.
func (c *counters) bucket(le float64) int {
	for j, b := range c.les {
		if b == le {
			return j
		}
	}
	c.les = append(c.les, le)
	c.buckets = append(c.buckets, make([]float64, len(c.total)))
	return len(c.les) - 1
}

// key names the group a series belongs to.
func (a *accumulator) key(kind queryKind, m model.Metric) (key, bool) {
	zone := string(m[a.labels.zone])
	if kind == kindGatewayClasses || kind == kindGatewayLatency {
		gw, ok := a.naming.Gateway(string(m["envoy_http_conn_manager_prefix"]), string(m[a.labels.gateway]), zone)
		return key{dst: gw}, ok
	}
	if zone == "" {
		zone = string(m[meshgraph.MeshMetricZoneLabel])
	}
	src, dst, ok := a.naming.Edge(string(m[a.labels.src]), zone, string(m["envoy_cluster_name"]), string(m[meshgraph.WorkloadLabel]), string(m[meshgraph.ProxyRoleLabel]))
	if a.opts.GroupBy == models.GroupByEdge {
		return key{src, dst}, ok
	}
	return key{dst: dst}, ok
}

func hasTraffic(values []model.SamplePair) bool {
	for _, p := range values {
		if p.Value != 0 && !math.IsNaN(float64(p.Value)) {
			return true
		}
	}
	return false
}

// result computes every metric of every group. Services and gateways
// without traffic get zero rates (100 % success, no latency) unless
// HideIdle is set, so they are there when an alert asks for them.
func (a *accumulator) result() (*Result, error) {
	keys := a.keys()
	metrics := uniqueMetrics(a.opts.Metrics)
	limit := a.opts.MaxSeries
	if limit <= 0 {
		limit = DefaultMaxSeries
	}
	if n := len(keys) * len(metrics); n > limit {
		return nil, fmt.Errorf("%w: %d series (%d %ss × %d metrics) exceed the limit of %d: narrow the query with service, zone or rollup",
			models.ErrInvalidTrafficQuery, n, len(keys), a.opts.GroupBy, len(metrics), limit)
	}
	idle := newCounters(a.times)
	res := &Result{Times: a.grid.times(), Metrics: metrics, GroupBy: a.opts.GroupBy, Unmapped: a.naming.Unmapped(), Numeric: a.grid.numeric, InvalidSamples: a.invalid}
	for _, k := range keys {
		c := a.groups[k]
		if c == nil {
			c = idle
		}
		s := Series{Name: k.dst, Values: make([][]*float64, len(metrics))}
		if a.opts.GroupBy == models.GroupByEdge {
			s = Series{Source: k.src, Destination: k.dst, Values: s.Values}
		}
		gw := a.gateways[k]
		for mi, mt := range metrics {
			if gw != nil && !mt.IsTCP() {
				s.Values[mi] = gw.values(mt, true)
			} else {
				s.Values[mi] = c.values(mt, false)
			}
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// keys are the groups to report, sorted, after the service filter.
func (a *accumulator) keys() []key {
	set := map[key]bool{}
	for k := range a.groups {
		set[k] = true
	}
	for k := range a.gateways {
		set[k] = true
	}
	// listName is the name the services list and the editors' picker give
	// a node when it differs from its id: a MeshService copy "api (zone-1)"
	// is listed as "api", so the filter "api" keeps every copy.
	listName := map[string]string{}
	for _, n := range a.naming.Nodes() {
		if n.ListName != "" {
			listName[n.ID] = n.ListName
		}
		if a.opts.GroupBy != models.GroupByEdge && (a.opts.GroupBy == models.GroupByService || n.Kind == kuma.ServiceGatewayBuiltin) {
			set[key{dst: n.ID}] = true
		}
	}
	out := make([]key, 0, len(set))
	for k := range set {
		if a.opts.Service == nil || a.opts.Service.MatchString(k.dst) || (listName[k.dst] != "" && a.opts.Service.MatchString(listName[k.dst])) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(x, y key) int {
		if c := strings.Compare(x.src, y.src); c != 0 {
			return c
		}
		return strings.Compare(x.dst, y.dst)
	})
	return out
}

// values computes one metric at every time. Gateways count requests from
// their listeners' classes only; services take the larger of rq_total and
// the class sum, as the graph does.
func (c *counters) values(mt models.TrafficMetric, gateway bool) []*float64 {
	out := make([]*float64, len(c.total))
	// One slab for the values instead of an allocation per point.
	slab := make([]float64, len(c.total))
	var h meshgraph.Histogram
	for i := range out {
		total := c.classes[i]
		if !gateway {
			total = max(total, c.total[i])
		}
		v := &slab[i]
		switch mt {
		case models.MetricRequests:
			*v = total
		case models.MetricErrors:
			*v = c.byClass[i][meshgraph.Class5xx]
		case models.MetricSuccess:
			*v = meshgraph.Requests{ByClass: c.byClass[i], Total: total}.SuccessPercent()
		case models.MetricP50, models.MetricP90, models.MetricP99:
			h.Reset()
			for j, le := range c.les {
				h.Add(le, c.buckets[j][i])
			}
			q, ok := h.Quantile(quantileOf[mt])
			if !ok {
				continue
			}
			*v = math.Round(q*1000) / 1000
		case models.MetricTCPBytes:
			*v = c.bytes[i]
		case models.MetricTCPConnections:
			*v = c.cx[i]
		}
		out[i] = v
	}
	return out
}

var quantileOf = map[models.TrafficMetric]float64{models.MetricP50: 0.5, models.MetricP90: 0.9, models.MetricP99: 0.99}

func uniqueMetrics(ms []models.TrafficMetric) []models.TrafficMetric {
	var out []models.TrafficMetric
	for _, m := range ms {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// needsWorkloads reports whether a caller series with traffic is known by
// its kuma_workload alone, so that the naming must read the mesh's proxies.
func needsWorkloads(src model.LabelName, results []model.Matrix) bool {
	for _, m := range results {
		for _, s := range m {
			if s.Metric[src] == "" && s.Metric[meshgraph.WorkloadLabel] != "" && hasTraffic(s.Values) {
				return true
			}
		}
	}
	return false
}

// clustersWithTraffic lists the distinct destination clusters of the
// caller-side series with traffic.
func clustersWithTraffic(results []model.Matrix) []string {
	seen := map[model.LabelValue]bool{}
	var out []string
	for _, m := range results {
		for _, s := range m {
			c := s.Metric["envoy_cluster_name"]
			if c != "" && !seen[c] && hasTraffic(s.Values) {
				seen[c] = true
				out = append(out, string(c))
			}
		}
	}
	return out
}
