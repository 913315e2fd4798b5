package meshgraph

import (
	"time"

	"github.com/prometheus/common/model"
)

// edgeKey is an edge before or after rollup.
type edgeKey struct{ src, dst string }

// edgeAcc accumulates one edge's series.
type edgeAcc struct {
	req     Requests
	classes float64 // sum of ByClass plus 1xx, to repair a missing rq_total
	hist    histogram
	tcp     TCP
	// srcZones are the zones of the calling proxies; dstZones the zones of
	// MeshService copies the edge reaches (cross-zone traffic names them).
	srcZones, dstZones []string
}

// joiner maps series to edges. It caches every per-string decision (zone
// match, name mapping, rollup), since the same values repeat across series.
type joiner struct {
	cat    *catalog
	opts   Options
	labels struct{ src, zone, gateway model.LabelName }

	slots    map[seriesKey]slot
	zoneOK   map[string]bool
	clusters map[string]clusterTarget
	rolled   map[string]string
	edges    map[edgeKey]*edgeAcc
	// received counts requests and TCP traffic per destination before
	// rollup; gateway counts requests entering builtin gateways.
	received map[string]*edgeAcc
	gateway  map[string]*Requests
	// seen are the pre-rollup names that carry traffic, with the zones of
	// the series for services known only from metrics.
	seen     map[string]bool
	unknown  map[string][]string
	unmapped map[string]bool
	// invalid counts samples dropped by ValidSample or ValidBucketBound.
	invalid int
}

type clusterTarget struct {
	name string
	ok   bool
}

func newJoiner(cat *catalog, opts Options) *joiner {
	j := &joiner{
		cat: cat, opts: opts,
		slots: map[seriesKey]slot{}, zoneOK: map[string]bool{}, clusters: map[string]clusterTarget{}, rolled: map[string]string{},
		edges: map[edgeKey]*edgeAcc{}, received: map[string]*edgeAcc{}, gateway: map[string]*Requests{},
		seen: map[string]bool{}, unknown: map[string][]string{}, unmapped: map[string]bool{},
	}
	j.labels.src = model.LabelName(opts.Labels.Service)
	j.labels.zone = model.LabelName(opts.Labels.Zone)
	j.labels.gateway = model.LabelName(opts.Labels.Gateway)
	return j
}

// join builds the graph from the catalog and the query results.
func join(cat *catalog, res [queryCount]model.Vector, opts Options, window time.Duration) *Graph {
	j := newJoiner(cat, opts)
	j.each(res[queryClasses], true, func(a *edgeAcc, s *model.Sample, v float64) {
		if i := classIndex(s.Metric["envoy_response_code_class"]); i >= 0 {
			a.req.ByClass[i] += v
		}
		a.classes += v
	})
	j.each(res[queryTotal], true, func(a *edgeAcc, _ *model.Sample, v float64) { a.req.Total += v })
	j.each(res[queryLatency], false, func(a *edgeAcc, s *model.Sample, v float64) {
		le, ok := ValidBucketBound(string(s.Metric[model.BucketLabel]))
		if !ok {
			j.invalid++
			return
		}
		a.hist.add(le, v)
	})
	j.each(res[queryTCP], true, func(a *edgeAcc, s *model.Sample, v float64) {
		switch s.Metric[tcpStatLabel] {
		case tcpStatConnections:
			a.tcp.Connections += v
		case tcpStatTx, tcpStatRx:
			a.tcp.Bytes += v
		}
	})
	j.gatewayRequests(res[queryGateway])
	return j.graph(window)
}

// each calls add for every sample of v that passes the zone filter and has
// a mapped destination, for the edge and, when perNode is set, for the
// destination node (latency is kept per edge only). Zero samples are no
// traffic: they make no edge, but latency buckets of an edge that exists
// are kept.
func (j *joiner) each(v model.Vector, perNode bool, add func(*edgeAcc, *model.Sample, float64)) {
	for _, s := range v {
		val := float64(s.Value)
		if !ValidSample(val) {
			j.invalid++
			continue
		}
		k := j.key(s.Metric)
		var sl slot
		if val != 0 {
			sl = j.slot(k)
		} else if perNode {
			continue
		} else {
			// An empty latency bucket of an edge with traffic is the lower
			// bound of the next one, as in histogram_quantile; dropping it
			// would stretch that bucket down to the previous non-empty one.
			sl = j.slots[k]
		}
		if sl.edge == nil {
			continue
		}
		add(sl.edge, s, val)
		if perNode {
			add(sl.dst, s, val)
		}
	}
}

// seriesKey is what the queries group by, less the class or bucket.
// workload is set on the MeshMetric path with unified naming, where proxies
// carry kuma_workload and zone instead of kuma_io_service and kuma_io_zone.
type seriesKey struct{ src, zone, cluster, workload string }

// key reads the series key of a sample's labels.
func (j *joiner) key(m model.Metric) seriesKey {
	k := seriesKey{
		src:     string(m[j.labels.src]),
		zone:    string(m[j.labels.zone]),
		cluster: string(m["envoy_cluster_name"]),
	}
	if k.src == "" {
		k.workload = string(m[workloadLabel])
	}
	if k.zone == "" {
		k.zone = string(m[meshMetricZoneLabel])
	}
	return k
}

// slot is where the series of one seriesKey are added; edge is nil for
// series that are filtered out or unmapped.
type slot struct{ edge, dst *edgeAcc }

// slot resolves a series key once: the same key repeats for every class,
// bucket and TCP counter of a pair, so this keeps the per-sample work to
// one map lookup.
func (j *joiner) slot(k seriesKey) slot {
	if sl, ok := j.slots[k]; ok {
		return sl
	}
	sl := slot{}
	defer func() { j.slots[k] = sl }()
	src, dst, ok := j.names(k)
	if !ok {
		return sl
	}
	ek := edgeKey{j.rollup(src), j.rollup(dst)}
	if sl.edge = j.edges[ek]; sl.edge == nil {
		sl.edge = &edgeAcc{}
		j.edges[ek] = sl.edge
	}
	sl.edge.addZones(k.zone, j.cat.zoneOf(dst))
	if sl.dst = j.received[dst]; sl.dst == nil {
		sl.dst = &edgeAcc{}
		j.received[dst] = sl.dst
	}
	return sl
}

// addZones records a caller zone and a destination copy's zone.
func (a *edgeAcc) addZones(src, dst string) {
	if src != "" && !contains(a.srcZones, src) {
		a.srcZones = unionSorted(a.srcZones, []string{src})
	}
	if dst != "" && !contains(a.dstZones, dst) {
		a.dstZones = unionSorted(a.dstZones, []string{dst})
	}
}

// names maps a series key to its source and destination before rollup and
// marks both as carrying traffic. It returns false for series the zone
// filter drops and for unmapped destinations, which it records.
func (j *joiner) names(k seriesKey) (src, dst string, ok bool) {
	if !j.inZone(k.zone) {
		return "", "", false
	}
	dst, ok = j.cluster(k.cluster)
	if !ok {
		j.unmapped[dst] = true
		return "", "", false
	}
	if k.src == "" && k.workload != "" {
		src = j.workload(k.workload, k.zone)
	} else {
		src = j.source(k.src, k.zone)
	}
	j.seen[src], j.seen[dst] = true, true
	return src, dst, true
}

// gatewayRequests counts requests entering builtin gateways from their
// listeners' HTTP connection managers, whose stat prefix is the sanitized
// gateway service.
func (j *joiner) gatewayRequests(v model.Vector) {
	for _, s := range v {
		val := float64(s.Value)
		if !ValidSample(val) {
			j.invalid++
			continue
		}
		if val == 0 || !j.inZone(string(s.Metric[j.labels.zone])) {
			continue
		}
		svc, ok := j.cat.gatewayService(string(s.Metric["envoy_http_conn_manager_prefix"]), string(s.Metric[j.labels.gateway]))
		if !ok {
			continue
		}
		r := j.gateway[svc]
		if r == nil {
			r = &Requests{}
			j.gateway[svc] = r
		}
		if i := classIndex(s.Metric["envoy_response_code_class"]); i >= 0 {
			r.ByClass[i] += val
		}
		r.Total += val
		j.seen[svc] = true
	}
}

// inZone applies the zone filter to the zone label of a series.
func (j *joiner) inZone(zone string) bool {
	if j.opts.Zone == nil {
		return true
	}
	ok, cached := j.zoneOK[zone]
	if !cached {
		ok = j.opts.Zone.MatchString(zone)
		j.zoneOK[zone] = ok
	}
	return ok
}

func (j *joiner) cluster(name string) (string, bool) {
	t, ok := j.clusters[name]
	if !ok {
		t.name, t.ok = j.cat.names.cluster(name)
		j.clusters[name] = t
	}
	return t.name, t.ok
}

// source maps a source label to a known service, or records a service known
// only from metrics together with the zone it was seen in.
func (j *joiner) source(label, zone string) string {
	if name, ok := j.cat.names.source(label, zone); ok {
		return name
	}
	zones, seen := j.unknown[label]
	if !seen || zone != "" && !contains(zones, zone) {
		if zone != "" {
			zones = unionSorted(zones, []string{zone})
		}
		j.unknown[label] = zones
	}
	return label
}

// workload maps a kuma_workload label to the node of the services its
// proxies back, or records the workload as a node known only from metrics.
func (j *joiner) workload(name, zone string) string {
	if t, ok := j.cat.names.workload(name, zone); ok {
		return t
	}
	return j.source(name, zone)
}

// rollup renames a service to the first capture group of the rollup regex
// when it matches; other names stay as they are.
func (j *joiner) rollup(name string) string {
	if j.opts.Rollup == nil {
		return name
	}
	r, ok := j.rolled[name]
	if !ok {
		r = name
		if m := j.opts.Rollup.FindStringSubmatch(name); len(m) > 1 && m[1] != "" {
			r = m[1]
		}
		j.rolled[name] = r
	}
	return r
}

// classIndex maps envoy_response_code_class "2"…"5" to its Classes index.
func classIndex(v model.LabelValue) int {
	if len(v) == 1 && v[0] >= '2' && v[0] <= '5' {
		return int(v[0] - '2')
	}
	return -1
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
