package meshgraph

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// FrameOptions are what the frames need beyond the graph.
type FrameOptions struct {
	Mesh string
	// Zones are the selected zone names, passed on by links; nil means all.
	Zones []string
	RefID string
}

// Dashboards the data links open.
const (
	serviceDashboard          = "kuma-service"
	gatewayDashboard          = "kuma-gateway"
	serviceToServiceDashboard = "kuma-service-to-service"
	zoneIngressDashboard      = "kuma-zone-ingress-proxies"
	zoneEgressDashboard       = "kuma-zone-egress-proxies"
)

// arcColors are the ring colours of the response classes; a node without
// HTTP requests gets a grey "idle" ring instead of an empty one.
var arcColors = [ClassCount]string{"green", "blue", "orange", "red"}

// arcColumns are the ring shares of the node rows: one arc per response
// class, then the idle arc.
type arcColumns [ClassCount + 1][]float64

// idleArc is the index of the idle arc in arcColumns and arcShares.
const idleArc = ClassCount

// countColumns are the request counts of the rows: one column per response
// class, then the total.
type countColumns [ClassCount + 1][]float64

// totalColumn is the index of the total in countColumns.
const totalColumn = ClassCount

func newCountColumns(rows int) countColumns {
	var c countColumns
	for i := range c {
		c[i] = make([]float64, rows)
	}
	return c
}

// set fills row with the counts of r.
func (c countColumns) set(row int, r Requests) {
	for class, v := range r.ByClass {
		c[class][row] = v
	}
	c[totalColumn][row] = r.Total
}

// Frames returns the nodes and edges frames of the node graph panel.
//
// Edge mainstat is always requests/s so the unit is the same for every
// edge; a TCP-only edge shows 0 req/s and carries its connections/s and
// bytes/s in its details.
func (g *Graph) Frames(opts FrameOptions) data.Frames {
	nodes := g.nodesFrame(opts)
	edges := g.edgesFrame(opts)
	for _, f := range []*data.Frame{nodes, edges} {
		f.RefID = opts.RefID
		// numeric-long: expressions read every numeric cell labelled by the
		// row's strings; the node graph panel goes by the field names.
		f.Meta = &data.FrameMeta{
			Type:                   data.FrameTypeNumericLong,
			TypeVersion:            data.FrameTypeVersion{0, 1},
			PreferredVisualization: data.VisTypeNodeGraph,
			ExecutedQueryString:    strings.Join(g.Queries, "\n"),
		}
	}
	nodes.Meta.Notices = g.notices(opts.Mesh)
	return data.Frames{nodes, edges}
}

func (g *Graph) nodesFrame(opts FrameOptions) *data.Frame {
	n := len(g.Nodes)
	ids, kinds, statuses, zones, uids, gateways := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	services, linkZones, kris := make([]string, n), make([]string, n), make([]string, n)
	online, offline, total := make([]int64, n), make([]int64, n), make([]int64, n)
	known := make([]bool, n)
	rps, success, bps := make([]float64, n), make([]float64, n), make([]float64, n)
	var arcs arcColumns
	for i := range arcs {
		arcs[i] = make([]float64, n)
	}
	counts := newCountColumns(n)
	for i, node := range g.Nodes {
		ids[i], kinds[i], statuses[i] = node.ID, string(node.Kind), node.Status
		if statuses[i] == "" {
			statuses[i] = "unknown"
		}
		zones[i], gateways[i] = strings.Join(node.Zones, ", "), node.Gateway
		services[i], linkZones[i], kris[i] = linkService(node), linkZone(node, opts), node.KRI
		uids[i] = serviceDashboard
		if node.Kind.IsGateway() {
			uids[i] = gatewayDashboard
		}
		online[i], offline[i], total[i] = int64(node.Online), int64(node.Offline), int64(node.Total)
		known[i] = node.KnownToCP
		rps[i], success[i], bps[i] = node.RequestsPerSecond, node.Received.SuccessPercent(), node.TCPBytesPerSecond
		for arc, share := range arcShares(node.Received) {
			arcs[arc][i] = share
		}
		counts.set(i, node.Received)
	}
	link := nodeLink(opts)
	fields := []*data.Field{
		field("id", "Service", "", ids).SetConfig(&data.FieldConfig{DisplayName: "Service", Links: []data.DataLink{link}}),
		field("title", "Service", "", ids).SetConfig(&data.FieldConfig{DisplayName: "Service", Links: []data.DataLink{link}}),
		field("subtitle", "Kind", "", kinds),
		field("mainstat", "Requests/s", "reqps", rps),
		field("secondarystat", "Success", "percent", success),
	}
	for c, name := range Classes {
		fields = append(fields, arcField("arc__"+name, name, arcColors[c], arcs[c]))
	}
	fields = append(fields,
		arcField("arc__idle", "No HTTP requests", "grey", arcs[idleArc]),
		field("detail__kind", "Kind", "", kinds),
		field("detail__status", "Status", "", statuses),
		field("detail__dataplanes_online", "Dataplanes online", "", online),
		field("detail__dataplanes_offline", "Dataplanes offline", "", offline),
		field("detail__dataplanes_total", "Dataplanes", "", total),
		field("detail__zones", "Zones", "", zones),
		field("detail__known_to_cp", "Known to the control plane", "", known),
		field("detail__kri", "KRI", "", kris),
	)
	fields = append(fields, requestFields("Requests received", counts)...)
	fields = append(fields,
		field("detail__tcp_bytes_per_second", "TCP received", "Bps", bps),
		field("dashboard_uid", "Dashboard", "", uids),
		field("gateway", "Gateway", "", gateways),
		field("service", "Service", "", services),
		field("link_zone", "Zone", "", linkZones),
	)
	return data.NewFrame("nodes", fields...)
}

func (g *Graph) edgesFrame(opts FrameOptions) *data.Frame {
	n := len(g.Edges)
	ids, sources, targets := make([]string, n), make([]string, n), make([]string, n)
	sourceServices := make([]string, n)
	serviceOf := make(map[string]string, len(g.Nodes))
	for _, node := range g.Nodes {
		if node.Service != "" {
			serviceOf[node.ID] = node.Service
		}
	}
	srcZones, dstZones := make([]string, n), make([]string, n)
	ingressZones, egressZones := make([]string, n), make([]string, n)
	crossZone := false
	rps, success, cx, cxps, bps := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	p50, p99 := make([]*float64, n), make([]*float64, n)
	counts := newCountColumns(n)
	for i, e := range g.Edges {
		sources[i], targets[i] = e.Source, e.Target
		if sourceServices[i] = serviceOf[e.Source]; sourceServices[i] == "" {
			sourceServices[i] = e.Source
		}
		srcZones[i], dstZones[i] = strings.Join(e.SourceZones, ", "), strings.Join(e.DestinationZones, ", ")
		ingressZones[i], egressZones[i] = zoneValue(e.DestinationZones), zoneValue(e.SourceZones)
		crossZone = crossZone || crossesZones(e)
		if len(g.edgeIDs) == n {
			ids[i] = g.edgeIDs[i]
		} else {
			ids[i] = e.ID()
		}
		rps[i], success[i] = e.RequestsPerSecond, e.Requests.SuccessPercent()
		p50[i], p99[i] = e.P50Ms, e.P99Ms
		cx[i], cxps[i], bps[i] = e.TCP.Connections, e.TCPConnectionsPerSecond, e.TCPBytesPerSecond
		counts.set(i, e.Requests)
	}
	links := []data.DataLink{edgeLink(opts)}
	if crossZone {
		links = append(links, zoneProxyLinks()...)
	}
	fields := []*data.Field{
		field("id", "Edge", "", ids).SetConfig(&data.FieldConfig{DisplayName: "Edge", Links: links}),
		field("source", "Source", "", sources),
		field("target", "Target", "", targets),
		field("mainstat", "Requests/s", "reqps", rps),
		field("secondarystat", "Success", "percent", success),
	}
	fields = append(fields, requestFields("Requests", counts)...)
	fields = append(fields,
		field("detail__latency_p50", "Latency p50", "ms", p50),
		field("detail__latency_p99", "Latency p99", "ms", p99),
		field("detail__tcp_connections", "TCP connections", "", cx),
		field("detail__tcp_connections_per_second", "TCP connections/s", "cps", cxps),
		field("detail__tcp_bytes_per_second", "TCP traffic", "Bps", bps),
		field("detail__source_zones", "Source zones", "", srcZones),
		field("detail__destination_zones", "Destination zones", "", dstZones),
		field("source_service", "Source service", "", sourceServices),
	)
	if crossZone {
		fields = append(fields, field("ingress_zone", "Zone Ingress zone", "", ingressZones), field("egress_zone", "Zone Egress zone", "", egressZones))
	}
	return data.NewFrame("edges", fields...)
}

// arcShares returns the 2xx–5xx shares of the class counts, or an idle ring
// (index idleArc) for a node without classified requests; either way they
// sum to 1.
func arcShares(r Requests) [ClassCount + 1]float64 {
	var sum float64
	for _, v := range r.ByClass {
		sum += v
	}
	var out [ClassCount + 1]float64
	if sum <= 0 {
		out[idleArc] = 1
		return out
	}
	for i, v := range r.ByClass {
		out[i] = v / sum
	}
	return out
}

// requestFields are the request counts over the window, per class and total.
func requestFields(label string, counts countColumns) []*data.Field {
	out := make([]*data.Field, 0, len(counts))
	for c, name := range Classes {
		out = append(out, field("detail__requests_"+name, fmt.Sprintf("%s %s", label, name), "", counts[c]))
	}
	return append(out, field("detail__requests_total", label, "", counts[totalColumn]))
}

func field(name, display, unit string, values any) *data.Field {
	return data.NewField(name, nil, values).SetConfig(&data.FieldConfig{DisplayName: display, Unit: unit})
}

func arcField(name, display, color string, values []float64) *data.Field {
	return data.NewField(name, nil, values).SetConfig(&data.FieldConfig{
		DisplayName: display,
		Color:       map[string]any{"mode": "fixed", "fixedColor": color},
	})
}

// nodeLink opens the service dashboard, or the gateway dashboard for
// gateways: links are per field, so the dashboard uid is a field of its own,
// and so are the service and zone the dashboard's variables offer (a
// MeshService copy's id carries its zone, its name is the display name).
// Grafana encodes a field's value as one parameter value, so a map scoped
// to several zones keeps them and leaves the copy's zone out.
func nodeLink(opts FrameOptions) data.DataLink {
	scope := "var-mesh=" + url.QueryEscape(opts.Mesh) + "&var-zone=${__data.fields.link_zone}"
	if len(opts.Zones) > 1 {
		scope = scopeParams(opts)
	}
	return data.DataLink{
		Title: "Kuma/Open dashboard",
		URL: "/d/${__data.fields.dashboard_uid}?" + scope +
			"&var-service=${__data.fields.service}&var-gateway=${__data.fields.gateway}&${__url_time_range}",
	}
}

// linkService is the $service a node's link passes: the name the services
// list shows (docs/kuma-naming.md).
func linkService(n Node) string {
	for _, name := range []string{n.ListName, n.Service} {
		if name != "" {
			return name
		}
	}
	return n.ID
}

// linkZone is the $zone a node's link passes: the zone of a MeshService
// that lives in one (one zone's copy), else the map's zone, or All.
func linkZone(n Node, opts FrameOptions) string {
	if n.Kind == kuma.ServiceMeshService && len(n.Zones) == 1 {
		return n.Zones[0]
	}
	return zoneValue(opts.Zones)
}

// edgeLink opens the service-to-service dashboard: the source as the
// kuma.io/service its proxies carry, the target as its node id, which the
// destination_clusters pattern resolves (a MeshService copy's id included).
func edgeLink(opts FrameOptions) data.DataLink {
	return data.DataLink{
		Title: "Kuma/Open service to service dashboard",
		URL: "/d/" + serviceToServiceDashboard + "?" + scopeParams(opts) +
			"&var-source_service=${__data.fields.source_service}&var-destination_service=${__data.fields.target}&${__url_time_range}",
	}
}

// zoneProxyLinks open the zone proxies a cross-zone edge's traffic passes:
// the Zone Ingress of the destination's zone and the Zone Egress of the
// callers' zone (used when the mesh routes through zone egress). Links are
// per field, so the zones are fields of their own. Only graphs with a
// cross-zone edge carry them.
func zoneProxyLinks() []data.DataLink {
	return []data.DataLink{{
		Title: "Kuma/Open Zone Ingress dashboard of the destination zone",
		URL:   "/d/" + zoneIngressDashboard + "?var-zone=${__data.fields.ingress_zone}&${__url_time_range}",
	}, {
		Title: "Kuma/Open Zone Egress dashboard of the source zone",
		URL:   "/d/" + zoneEgressDashboard + "?var-zone=${__data.fields.egress_zone}&${__url_time_range}",
	}}
}

// zoneValue is the value of a zone variable that selects zones: the zone,
// or All when there are several or none.
func zoneValue(zones []string) string {
	if len(zones) == 1 {
		return zones[0]
	}
	return "$__all"
}

// crossesZones reports whether some caller of the edge is in another zone
// than some destination.
func crossesZones(e Edge) bool {
	for _, s := range e.SourceZones {
		for _, d := range e.DestinationZones {
			if s != d {
				return true
			}
		}
	}
	return false
}

// scopeParams are the escaped mesh and zone variables of a link; no zones
// means All.
func scopeParams(opts FrameOptions) string {
	var b strings.Builder
	b.WriteString("var-mesh=" + url.QueryEscape(opts.Mesh))
	if len(opts.Zones) == 0 {
		b.WriteString("&var-zone=$__all")
	}
	for _, z := range opts.Zones {
		b.WriteString("&var-zone=" + url.QueryEscape(z))
	}
	return b.String()
}

// notices turn unmapped clusters and Prometheus warnings into warnings on
// the panel.
func (g *Graph) notices(mesh string) []data.Notice {
	return append(Notices(mesh, g.Unmapped, g.InvalidSamples, g.Warnings), g.workloadNotices()...)
}

// Notices are the warnings about what Prometheus answered, shown by the
// service map and the traffic query alike: destination clusters of mesh that
// match no service, samples left out by ValidSample or ValidBucketBound, and
// Prometheus' own warnings.
func Notices(mesh string, u UnmappedSeries, invalid int, warnings []string) []data.Notice {
	var out []data.Notice
	if u.Count > 0 {
		more := ""
		if u.Count > len(u.Examples) {
			more = ", …"
		}
		out = append(out, data.Notice{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf(
			"%d destination cluster(s) with traffic match no service of mesh %q and are not shown: %s%s",
			u.Count, mesh, strings.Join(u.Examples, ", "), more)})
	}
	if invalid > 0 {
		out = append(out, data.Notice{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf(
			"Prometheus returned %d sample(s) with a value that cannot be a count (+Inf, NaN or negative) or an invalid bucket bound; they are left out",
			invalid)})
	}
	for _, w := range warnings {
		out = append(out, data.Notice{Severity: data.NoticeSeverityWarning, Text: "Prometheus: " + w})
	}
	return out
}
