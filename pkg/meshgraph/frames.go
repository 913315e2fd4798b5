package meshgraph

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
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

// idleArc is the index of the idle arc in arcShares.
const idleArc = ClassCount

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

// The node graph's frames list their fields in the order the panel and
// the goldens expect. Each field is defined in one place: its name, display
// name, unit and what it holds of a row.

func (g *Graph) nodesFrame(opts FrameOptions) *data.Frame {
	nodes := g.Nodes
	links := []data.DataLink{nodeLink(opts)}
	id := func(n *Node) string { return n.ID }
	kind := func(n *Node) string { return string(n.Kind) }
	fields := []*data.Field{
		linked(column(nodes, "id", "Service", "", id), links),
		linked(column(nodes, "title", "Service", "", id), links),
		column(nodes, "subtitle", "Kind", "", kind),
		column(nodes, "mainstat", "Requests/s", "reqps", func(n *Node) float64 { return n.RequestsPerSecond }),
		column(nodes, "secondarystat", "Success", "percent", func(n *Node) float64 { return n.Received.SuccessPercent() }),
	}
	for c, name := range Classes {
		fields = append(fields, arcField(nodes, c, "arc__"+name, name, arcColors[c]))
	}
	fields = append(fields,
		arcField(nodes, idleArc, "arc__idle", "No HTTP requests", "grey"),
		column(nodes, "detail__kind", "Kind", "", kind),
		column(nodes, "detail__status", "Status", "", func(n *Node) string {
			if n.Status == "" {
				return "unknown"
			}
			return n.Status
		}),
		column(nodes, "detail__dataplanes_online", "Dataplanes online", "", func(n *Node) int64 { return int64(n.Online) }),
		column(nodes, "detail__dataplanes_offline", "Dataplanes offline", "", func(n *Node) int64 { return int64(n.Offline) }),
		column(nodes, "detail__dataplanes_total", "Dataplanes", "", func(n *Node) int64 { return int64(n.Total) }),
		column(nodes, "detail__zones", "Zones", "", func(n *Node) string { return strings.Join(n.Zones, ", ") }),
		column(nodes, "detail__known_to_cp", "Known to the control plane", "", func(n *Node) bool { return n.KnownToCP }),
		column(nodes, "detail__kri", "KRI", "", func(n *Node) string { return n.KRI }),
	)
	fields = append(fields, requestFields(nodes, "Requests received", func(n *Node) *Requests { return &n.Received })...)
	fields = append(fields,
		column(nodes, "detail__tcp_bytes_per_second", "TCP received", "Bps", func(n *Node) float64 { return n.TCPBytesPerSecond }),
		column(nodes, "dashboard_uid", "Dashboard", "", func(n *Node) string {
			if n.Kind.IsGateway() {
				return gatewayDashboard
			}
			return serviceDashboard
		}),
		column(nodes, "gateway", "Gateway", "", func(n *Node) string { return n.Gateway }),
		column(nodes, "service", "Service", "", linkService),
		column(nodes, "link_zone", "Zone", "", func(n *Node) string { return linkZone(n, opts) }),
	)
	return data.NewFrame("nodes", fields...)
}

func (g *Graph) edgesFrame(opts FrameOptions) *data.Frame {
	edges := g.Edges
	ids := g.edgeIDs
	if len(ids) != len(edges) { // a graph not sorted by Build
		ids = make([]string, len(edges))
		for i, e := range edges {
			ids[i] = e.ID()
		}
	}
	serviceOf, destinationOf := make(map[string]string, len(g.Nodes)), map[string]string{}
	for _, node := range g.Nodes {
		if node.Service != "" {
			serviceOf[node.ID] = node.Service
		}
		if node.Destination != "" {
			destinationOf[node.ID] = node.Destination
		}
	}
	crossZone := slices.ContainsFunc(edges, crossesZones)
	links := []data.DataLink{edgeLink(opts)}
	if crossZone {
		links = append(links, zoneProxyLinks()...)
	}
	fields := []*data.Field{
		linked(field("id", "Edge", "", ids), links),
		column(edges, "source", "Source", "", func(e *Edge) string { return e.Source }),
		column(edges, "target", "Target", "", func(e *Edge) string { return e.Target }),
		column(edges, "mainstat", "Requests/s", "reqps", func(e *Edge) float64 { return e.RequestsPerSecond }),
		column(edges, "secondarystat", "Success", "percent", func(e *Edge) float64 { return e.Requests.SuccessPercent() }),
	}
	fields = append(fields, requestFields(edges, "Requests", func(e *Edge) *Requests { return &e.Requests })...)
	fields = append(fields,
		column(edges, "detail__latency_p50", "Latency p50", "ms", func(e *Edge) *float64 { return e.P50Ms }),
		column(edges, "detail__latency_p99", "Latency p99", "ms", func(e *Edge) *float64 { return e.P99Ms }),
		column(edges, "detail__tcp_connections", "TCP connections", "", func(e *Edge) float64 { return e.TCP.Connections }),
		column(edges, "detail__tcp_connections_per_second", "TCP connections/s", "cps", func(e *Edge) float64 { return e.TCPConnectionsPerSecond }),
		column(edges, "detail__tcp_bytes_per_second", "TCP traffic", "Bps", func(e *Edge) float64 { return e.TCPBytesPerSecond }),
		column(edges, "detail__source_zones", "Source zones", "", func(e *Edge) string { return strings.Join(e.SourceZones, ", ") }),
		column(edges, "detail__destination_zones", "Destination zones", "", func(e *Edge) string { return strings.Join(e.DestinationZones, ", ") }),
		column(edges, "source_service", "Source service", "", func(e *Edge) string { return cmp.Or(serviceOf[e.Source], e.Source) }),
		column(edges, "destination_service", "Destination service", "", func(e *Edge) string { return cmp.Or(destinationOf[e.Target], e.Target) }),
	)
	if crossZone {
		fields = append(fields,
			column(edges, "ingress_zone", "Zone Ingress zone", "", func(e *Edge) string { return zoneValue(e.DestinationZones) }),
			column(edges, "egress_zone", "Zone Egress zone", "", func(e *Edge) string { return zoneValue(e.SourceZones) }),
		)
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
func requestFields[R any](rows []R, label string, requests func(*R) *Requests) []*data.Field {
	out := make([]*data.Field, 0, ClassCount+1)
	for c, name := range Classes {
		out = append(out, column(rows, "detail__requests_"+name, fmt.Sprintf("%s %s", label, name), "",
			func(r *R) float64 { return requests(r).ByClass[c] }))
	}
	return append(out, column(rows, "detail__requests_total", label, "", func(r *R) float64 { return requests(r).Total }))
}

// column is the field name, shown as display in unit, holding value(row)
// for every row, typed by what value returns.
func column[R, V any](rows []R, name, display, unit string, value func(*R) V) *data.Field {
	values := make([]V, len(rows))
	for i := range rows {
		values[i] = value(&rows[i])
	}
	return field(name, display, unit, values)
}

func field(name, display, unit string, values any) *data.Field {
	return data.NewField(name, nil, values).SetConfig(&data.FieldConfig{DisplayName: display, Unit: unit})
}

// linked gives f the data links.
func linked(f *data.Field, links []data.DataLink) *data.Field {
	f.Config.Links = links
	return f
}

// arcField is one arc of the nodes' rings, coloured color: arcShares' share
// of index arc.
func arcField(nodes []Node, arc int, name, display, color string) *data.Field {
	f := column(nodes, name, display, "", func(n *Node) float64 { return arcShares(n.Received)[arc] })
	f.Config.Color = map[string]any{"mode": "fixed", "fixedColor": color}
	return f
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
func linkService(n *Node) string { return cmp.Or(n.ListName, n.Service, n.ID) }

// linkZone is the $zone a node's link passes: the zone of a MeshService
// that lives in one (one zone's copy), else the map's zone, or All.
func linkZone(n *Node, opts FrameOptions) string {
	if n.Kind == kuma.ServiceMeshService && len(n.Zones) == 1 {
		return n.Zones[0]
	}
	return zoneValue(opts.Zones)
}

// edgeLink opens the service-to-service dashboard: the source as the
// kuma.io/service its proxies carry, the target as its node id (or, for a
// workload node, the service node it stands for), which the
// destination_clusters pattern resolves (a MeshService copy's id included).
func edgeLink(opts FrameOptions) data.DataLink {
	return data.DataLink{
		Title: "Kuma/Open service to service dashboard",
		URL: "/d/" + serviceToServiceDashboard + "?" + scopeParams(opts) +
			"&var-source_service=${__data.fields.source_service}&var-destination_service=${__data.fields.destination_service}&${__url_time_range}",
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
