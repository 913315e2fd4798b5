package meshgraph

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// maxUnmappedExamples caps the cluster names a notice shows.
const maxUnmappedExamples = 5

// graph turns the accumulated series into sorted nodes and edges.
func (j *joiner) graph(window time.Duration) *Graph {
	secs := window.Seconds()
	g := &Graph{Edges: make([]Edge, 0, len(j.edges))}
	// One slab for the latency pointers instead of two allocations per edge.
	latency := make([]float64, 0, 2*len(j.edges))
	quantile := func(h histogram, q float64) *float64 {
		v, ok := h.quantile(q)
		if !ok {
			return nil
		}
		latency = append(latency, math.Round(v*1000)/1000)
		return &latency[len(latency)-1]
	}
	// Sort small records by edge id, then build the edges in that order:
	// cheaper than sorting the edges themselves.
	type drawn struct {
		id     string // source->target
		srcLen int
		a      *trafficSum
	}
	order := make([]drawn, 0, len(j.edges))
	for k, a := range j.edges {
		if req := a.totalRequests(); req.Total == 0 && a.tcp.Connections == 0 && a.tcp.Bytes == 0 {
			continue
		}
		order = append(order, drawn{k.src + "->" + k.dst, len(k.src), a})
	}
	slices.SortFunc(order, func(x, y drawn) int { return strings.Compare(x.id, y.id) })
	g.edgeIDs = make([]string, len(order))
	for i, d := range order {
		a, req := d.a, d.a.totalRequests()
		e := Edge{
			Source: d.id[:d.srcLen], Target: d.id[d.srcLen+len("->"):], SourceZones: a.srcZones, DestinationZones: a.dstZones,
			Requests: req, RequestsPerSecond: req.Total / secs,
			TCP: a.tcp, TCPConnectionsPerSecond: a.tcp.Connections / secs, TCPBytesPerSecond: a.tcp.Bytes / secs,
		}
		e.P50Ms, e.P99Ms = quantile(a.hist, 0.5), quantile(a.hist, 0.99)
		g.Edges = append(g.Edges, e)
		g.edgeIDs[i] = d.id
	}
	g.Nodes = j.nodes(secs)
	g.Unmapped = j.unmappedSeries()
	g.WithoutWorkload = sortedKeys(j.withoutWorkload)
	g.InvalidSamples = j.invalid
	return g
}

// totalRequests repairs a missing or lagging rq_total with the class sum.
func (a *trafficSum) totalRequests() Requests {
	r := a.req
	if r.Total < a.classes {
		r.Total = a.classes
	}
	return r
}

// nodes returns the nodes after rollup: the services the CP knows in the
// selected zones (all of them for services without zones), and every
// service that sends or receives traffic.
func (j *joiner) nodes(secs float64) []Node {
	always, lookup := j.cat.nodes, j.cat.lookup
	if j.view != nil {
		always, lookup = j.view.always, j.view.lookup
	}
	beforeRollup := make(map[string]*Node, len(always)+len(j.seen))
	for name, n := range always {
		if j.seen[name] || j.presentInZones(n.Zones) {
			c := *n
			beforeRollup[name] = &c
		}
	}
	for name := range j.seen {
		if _, ok := beforeRollup[name]; ok {
			continue
		}
		if n, ok := lookup(name); ok {
			c := *n
			beforeRollup[name] = &c
			continue
		}
		beforeRollup[name] = &Node{ID: name, Kind: KindUnknown, Zones: j.unknown[name]}
	}
	names := make([]string, 0, len(beforeRollup))
	for name, n := range beforeRollup {
		names = append(names, name)
		n.Active = j.seen[name]
		if r := j.received[name]; r != nil {
			n.Received, n.ReceivedTCP = r.totalRequests(), r.tcp
		}
		if gw := j.gateway[name]; gw != nil && n.Kind == kuma.ServiceGatewayBuiltin {
			n.Received = *gw
		}
	}
	// Merge in name order so that the first part's kind and gateway win.
	sort.Strings(names)
	merged := make(map[string]*Node, len(beforeRollup))
	out := make([]Node, 0, len(beforeRollup))
	for _, name := range names {
		n := beforeRollup[name]
		id := j.rollup(name)
		if m, ok := merged[id]; ok {
			m.merge(n)
			continue
		}
		if id != name {
			n.Service, n.ListName, n.Destination = id, "", ""
		}
		n.ID = id
		merged[id] = n
	}
	for _, n := range merged {
		if j.opts.HideIdle && !n.Active {
			continue
		}
		n.RequestsPerSecond = n.Received.Total / secs
		n.TCPBytesPerSecond = n.ReceivedTCP.Bytes / secs
		out = append(out, *n)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// merge adds o, a node rolled up into n, to n.
func (n *Node) merge(o *Node) {
	if n.Kind == KindUnknown {
		n.Kind = o.Kind
	}
	n.Status = mergeStatus(n.Status, o.Status)
	n.Online += o.Online
	n.Offline += o.Offline
	n.Total += o.Total
	n.Zones = unionSorted(n.Zones, o.Zones)
	n.KnownToCP = n.KnownToCP || o.KnownToCP
	if n.Gateway == "" {
		n.Gateway = o.Gateway
	}
	if n.KRI != o.KRI {
		n.KRI = "" // a rolled-up node stands for several resources
	}
	n.Received.add(o.Received)
	n.ReceivedTCP.Connections += o.ReceivedTCP.Connections
	n.ReceivedTCP.Bytes += o.ReceivedTCP.Bytes
	n.Active = n.Active || o.Active
}

// presentInZones reports whether a service with these zones is shown under
// the zone filter. Services whose zones the CP does not report (2.2–2.6,
// external services) are kept.
func (j *joiner) presentInZones(zones []string) bool {
	if j.opts.Zone == nil || len(zones) == 0 {
		return true
	}
	return slices.ContainsFunc(zones, j.inZone)
}

// sortedKeys returns the keys of m sorted, nil when m is empty.
func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (j *joiner) unmappedSeries() UnmappedSeries {
	if len(j.unmapped) == 0 {
		return UnmappedSeries{}
	}
	names := make([]string, 0, len(j.unmapped))
	for n := range j.unmapped {
		names = append(names, n)
	}
	sort.Strings(names)
	return UnmappedSeries{Count: len(names), Examples: names[:min(len(names), maxUnmappedExamples)]}
}
