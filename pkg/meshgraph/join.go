package meshgraph

import (
	"slices"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// edgeKey is an edge before or after rollup.
type edgeKey struct{ src, dst string }

// trafficSum sums the series of one edge, or of one destination before
// rollup.
type trafficSum struct {
	req     Requests
	classes float64 // sum of ByClass plus 1xx, to repair a missing rq_total
	hist    histogram
	tcp     TCP
	// srcZones are the zones of the calling proxies; dstZones the zones of
	// MeshService copies the edge reaches (cross-zone traffic names them).
	srcZones, dstZones []string
}

// joiner maps series to edges. It caches every per-string decision (zone
// match, name mapping, rollup), since the same values repeat across series,
// and keys series on label-value ids shared by all answers.
type joiner struct {
	cat  *catalog
	opts Options

	// ids and strs intern the label values of every answer.
	ids      map[string]int32
	strs     []string
	sums     map[seriesKey]seriesSums // by series key, see sumsFor
	zoneOK   map[string]bool
	clusters map[string]clusterTarget
	rolled   map[string]string
	edges    map[edgeKey]*trafficSum
	// received counts requests and TCP traffic per destination before
	// rollup; gateway counts requests entering builtin gateways.
	received map[string]*trafficSum
	gateway  map[string]*Requests
	// seen are the pre-rollup names that carry traffic, with the zones of
	// the series for services known only from metrics.
	seen     map[string]bool
	unknown  map[string][]string
	unmapped map[string]bool
	// zoneSlab holds the zone lists of one zone, see withZone.
	zoneSlab []string
	// invalid counts samples dropped by ValidSample or ValidBucketBound.
	invalid int
	// view is the node set of a map grouped by workload, nil otherwise;
	// withoutWorkload are the callers it draws by service.
	view            *workloadView
	withoutWorkload map[string]bool
}

type clusterTarget struct {
	name string
	ok   bool
}

func newJoiner(cat *catalog, opts Options) *joiner {
	return &joiner{
		cat: cat, opts: opts, ids: map[string]int32{"": 0}, strs: []string{""},
		sums: map[seriesKey]seriesSums{}, zoneOK: map[string]bool{}, clusters: map[string]clusterTarget{}, rolled: map[string]string{},
		edges: map[edgeKey]*trafficSum{}, received: map[string]*trafficSum{}, gateway: map[string]*Requests{},
		seen: map[string]bool{}, unknown: map[string][]string{}, unmapped: map[string]bool{},
	}
}

// newGraphJoiner is newJoiner with the view of the map's grouping, made
// once the catalog knows the workloads.
func newGraphJoiner(cat *catalog, opts Options) *joiner {
	j := newJoiner(cat, opts)
	if opts.ByWorkload {
		j.view, j.withoutWorkload = newWorkloadView(cat), map[string]bool{}
	}
	return j
}

// join builds the graph from the catalog and the query results.
func join(cat *catalog, res [queryCount]*prometheus.Vector, opts Options, window time.Duration) *Graph {
	j := newGraphJoiner(cat, opts)
	if v := res[queryTotal]; v != nil {
		// One series per pair: size the maps once instead of growing them.
		j.sums, j.edges = make(map[seriesKey]seriesSums, v.Len()), make(map[edgeKey]*trafficSum, v.Len())
	}
	if v := res[queryClasses]; v != nil {
		class := perValue(v, ClassIndex)
		j.each(v, true, func(a *trafficSum, i int, val float64) {
			if c := class[v.ID(i, extraLabel)]; c >= 0 {
				a.req.ByClass[c] += val
			}
			a.classes += val
		})
	}
	j.each(res[queryTotal], true, func(a *trafficSum, _ int, val float64) { a.req.Total += val })
	if v := res[queryLatency]; v != nil {
		type bound struct {
			le float64
			ok bool
		}
		les := perValue(v, func(s string) bound {
			le, ok := ValidBucketBound(s)
			return bound{le, ok}
		})
		// Every edge has at most one bucket per distinct bound of the
		// answer: carve the histograms from shared slabs of that size.
		bounds := 0
		for _, b := range les {
			if b.ok {
				bounds++
			}
		}
		var slab histogram
		j.each(v, false, func(a *trafficSum, i int, val float64) {
			b := les[v.ID(i, extraLabel)]
			if !b.ok {
				j.invalid++
				return
			}
			if a.hist == nil {
				if len(slab)+bounds > cap(slab) {
					slab = make(histogram, 0, bounds*histogramsPerSlab)
				}
				a.hist = slab[len(slab) : len(slab) : len(slab)+bounds]
				slab = slab[:len(slab)+bounds]
			}
			a.hist.add(b.le, val)
		})
	}
	if v := res[queryTCP]; v != nil {
		stat := perValue(v, func(s string) string { return s })
		j.each(v, true, func(a *trafficSum, i int, val float64) {
			switch stat[v.ID(i, extraLabel)] {
			case tcpStatConnections:
				a.tcp.Connections += val
			case tcpStatTx, tcpStatRx:
				a.tcp.Bytes += val
			}
		})
	}
	j.gatewayRequests(res[queryGateway])
	return j.graph(window)
}

// histogramsPerSlab is how many edges' histograms one allocation holds.
const histogramsPerSlab = 1024

// perValue computes f once per distinct label value of v, indexed by id.
func perValue[T any](v *prometheus.Vector, f func(string) T) []T {
	out := make([]T, len(v.Strings))
	for id, s := range v.Strings {
		out[id] = f(s)
	}
	return out
}

// The labels of the upstream queries' answers, in the order asked for.
const (
	srcLabel = iota
	zoneLabel
	clusterLabel
	workloadLabelAt
	proxyRoleAt
	meshMetricZoneAt
	extraLabel // the class, bucket or TCP counter, where the query has one
)

// each calls add for every sample of v that passes the zone filter and has
// a mapped destination, for the edge and, when perNode is set, for the
// destination node (latency is kept per edge only). Zero samples are no
// traffic: they make no edge, but latency buckets of an edge that exists
// are kept.
func (j *joiner) each(v *prometheus.Vector, perNode bool, add func(a *trafficSum, i int, val float64)) {
	if v == nil {
		return
	}
	// Map this answer's label-value ids to the join's, once per value.
	ids := perValue(v, j.intern)
	// The series of one pair mostly come together (its classes, buckets
	// or counters): reuse the previous series' sums for the same key.
	var lastKey seriesKey
	var lastSums seriesSums
	haveLast := false
	for i := range v.Len() {
		val := v.Value(i)
		if !ValidSample(val) {
			j.invalid++
			continue
		}
		k := j.key(v, ids, i)
		var sums seriesSums
		switch {
		case haveLast && k == lastKey:
			if val == 0 && perNode {
				continue
			}
			sums = lastSums
		case val != 0:
			sums = j.sumsFor(k)
			lastKey, lastSums, haveLast = k, sums, true
		case perNode:
			continue
		default:
			// An empty latency bucket of an edge with traffic is the lower
			// bound of the next one, as in histogram_quantile; dropping it
			// would stretch that bucket down to the previous non-empty one.
			sums = j.sums[k]
		}
		if sums.edge == nil {
			continue
		}
		add(sums.edge, i, val)
		if perNode {
			add(sums.received, i, val)
		}
	}
}

func (j *joiner) intern(s string) int32 {
	id, ok := j.ids[s]
	if !ok {
		id = int32(len(j.strs))
		j.strs = append(j.strs, s)
		j.ids[s] = id
	}
	return id
}

// seriesKey is what the queries group by, less the class or bucket, as
// interned ids: source, zone, cluster and workload. The workload is set on
// the MeshMetric path with unified naming, where proxies carry
// kuma_workload and zone instead of kuma_io_service and kuma_io_zone.
type seriesKey [4]int32

// key reads the series key of series i of v; ids maps v's label-value ids
// to the join's.
func (j *joiner) key(v *prometheus.Vector, ids []int32, i int) seriesKey {
	k := seriesKey{ids[v.ID(i, srcLabel)], ids[v.ID(i, zoneLabel)], ids[v.ID(i, clusterLabel)]}
	if k[0] == 0 || j.view != nil {
		k[3] = ids[v.ID(i, workloadLabelAt)]
	}
	if k[1] == 0 {
		k[1] = ids[v.ID(i, meshMetricZoneAt)]
	}
	if k[0] == 0 && k[3] == 0 {
		// A zone proxy on the MeshMetric path is known by its role alone:
		// it becomes the node its kuma_io_service names on other paths.
		if role := ids[v.ID(i, proxyRoleAt)]; zoneProxyRoles[j.strs[role]] {
			k[0] = role
		}
	}
	return k
}

// zoneProxyRoles are the kuma_proxy_role values of zone proxies
// (docs/kuma-naming.md); the legacy path labels them with the same names
// as kuma_io_service.
var zoneProxyRoles = map[string]bool{"zone-ingress": true, "zone-egress": true}

// seriesSums are where the series of one seriesKey are added: the edge's
// sums and the destination's; edge is nil for series that are filtered out
// or unmapped.
type seriesSums struct{ edge, received *trafficSum }

// sumsFor resolves a series key once: the same key repeats for every class,
// bucket and TCP counter of a pair, so this keeps the per-sample work to
// one map lookup.
func (j *joiner) sumsFor(k seriesKey) seriesSums {
	if sums, ok := j.sums[k]; ok {
		return sums
	}
	sums := seriesSums{}
	defer func() { j.sums[k] = sums }()
	src, dst, dstZone, ok := j.resolve(j.strs[k[0]], j.strs[k[1]], j.strs[k[2]], j.strs[k[3]])
	if !ok {
		return sums
	}
	ek := edgeKey{j.rollup(src), j.rollup(dst)}
	if sums.edge = j.edges[ek]; sums.edge == nil {
		sums.edge = &trafficSum{}
		j.edges[ek] = sums.edge
	}
	j.addZones(sums.edge, j.strs[k[1]], dstZone)
	if sums.received = j.received[dst]; sums.received == nil {
		sums.received = &trafficSum{}
		j.received[dst] = sums.received
	}
	return sums
}

// addZones records a caller zone and a destination copy's zone.
func (j *joiner) addZones(a *trafficSum, src, dst string) {
	if src != "" {
		a.srcZones = j.withZone(a.srcZones, src)
	}
	if dst != "" {
		a.dstZones = j.withZone(a.dstZones, dst)
	}
}

// withZone returns the sorted zones with zone added. Most edges have one
// zone on each side: those come from a shared slab, each slice capped so
// that no append can reach its neighbour.
func (j *joiner) withZone(zones []string, zone string) []string {
	i, found := slices.BinarySearch(zones, zone)
	switch {
	case found:
		return zones
	case len(zones) > 0:
		return slices.Insert(slices.Clip(zones), i, zone)
	}
	if len(j.zoneSlab) == cap(j.zoneSlab) {
		j.zoneSlab = make([]string, 0, zoneSlabSize)
	}
	j.zoneSlab = append(j.zoneSlab, zone)
	n := len(j.zoneSlab)
	return j.zoneSlab[n-1 : n : n]
}

// zoneSlabSize is how many single-zone lists one allocation holds.
const zoneSlabSize = 1024

// names maps a series' source label, zone and cluster to its source and
// destination before rollup and marks both as carrying traffic. It returns
// false for series the zone filter drops and for unmapped destinations,
// which it records.
func (j *joiner) names(source, zone, cluster, workload string) (src, dst string, ok bool) {
	src, dst, _, ok = j.resolve(source, zone, cluster, workload)
	return src, dst, ok
}

// resolve is names, with the zone of the MeshService copy the destination
// cluster reaches ("" for other destinations).
func (j *joiner) resolve(source, zone, cluster, workload string) (src, dst, dstZone string, ok bool) {
	if !j.inZone(zone) {
		return "", "", "", false
	}
	dst, ok = j.cluster(cluster)
	if !ok {
		c, found := j.cat.zoneProxyCopy(cluster, source, zone)
		if !found {
			j.unmapped[dst] = true
			return "", "", "", false
		}
		dst = c
	}
	dstZone = j.cat.zoneOf(dst)
	switch {
	case j.view != nil:
		src, dst = j.byWorkload(source, zone, workload), j.view.id(dst)
	case source == "" && workload != "":
		src = j.workload(workload, zone)
	default:
		src = j.source(source, zone)
	}
	j.seen[src], j.seen[dst] = true, true
	return src, dst, dstZone, true
}

// gatewayRequests counts requests entering builtin gateways from their
// listeners' HTTP connection managers, whose stat prefix is the sanitized
// gateway service.
func (j *joiner) gatewayRequests(v *prometheus.Vector) {
	if v == nil {
		return
	}
	for i := range v.Len() {
		val := v.Value(i)
		if !ValidSample(val) {
			j.invalid++
			continue
		}
		if val == 0 || !j.inZone(v.Label(i, gwZoneLabel)) {
			continue
		}
		svc, ok := j.cat.gatewayService(v.Label(i, gwPrefixLabel), v.Label(i, gwGatewayLabel))
		if !ok {
			continue
		}
		r := j.gateway[svc]
		if r == nil {
			r = &Requests{}
			j.gateway[svc] = r
		}
		if c := ClassIndex(v.Label(i, gwClassLabel)); c >= 0 {
			r.ByClass[c] += val
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
		if !t.ok {
			if zt, zok := j.cat.zoneProxyTarget(t.name); zok {
				t.name, t.ok = zt, true
			}
		}
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
	return j.unknownSource(label, zone)
}

// unknownSource records a caller known only from metrics together with the
// zone it was seen in.
func (j *joiner) unknownSource(label, zone string) string {
	zones, seen := j.unknown[label]
	if !seen || zone != "" && !slices.Contains(zones, zone) {
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

// byWorkload names a caller in the map grouped by workload: its workload,
// or, for series without kuma_workload, its service node as the view shows
// it (a service backed by one workload is that workload).
func (j *joiner) byWorkload(source, zone, workload string) string {
	if workload != "" {
		if _, ok := j.view.idx.nodes[workload]; ok {
			return workload
		}
		return j.unknownSource(workload, zone)
	}
	j.withoutWorkload[source] = true
	if name, ok := j.cat.names.source(source, zone); ok {
		return j.view.id(name)
	}
	return j.unknownSource(source, zone)
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
