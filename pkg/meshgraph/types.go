package meshgraph

import (
	"context"
	"regexp"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// ControlPlane is what the join needs from the Kuma control plane;
// *kuma.Client satisfies it.
type ControlPlane interface {
	Mesh(ctx context.Context, name string) (kuma.Mesh, error)
	ServiceInsights(ctx context.Context, mesh string) ([]kuma.Service, error)
	// MeshServices returns MeshServices, MeshExternalServices and
	// MeshMultiZoneServices; it is empty on control planes older than 2.7.
	MeshServices(ctx context.Context, mesh string) ([]kuma.Service, error)
	MeshGateways(ctx context.Context, mesh string) ([]kuma.MeshGateway, error)
}

// DataplaneLister is implemented by control planes that list a mesh's
// proxies with their labels and tags (*kuma.Client does). Build uses it
// only when some proxies are known by their kuma_workload alone.
type DataplaneLister interface {
	DataplaneIdentities(ctx context.Context, mesh string) ([]kuma.DataplaneIdentity, error)
}

// Metrics runs instant PromQL queries; *prometheus.Client satisfies it.
type Metrics interface {
	// QueryVector evaluates query at ts and returns the vector, keeping
	// only the given labels, and Prometheus warnings.
	QueryVector(ctx context.Context, query string, ts time.Time, labels []string) (*prometheus.Vector, []string, error)
}

// Options says which graph to build.
type Options struct {
	Mesh string
	// From and To bound the window; the queries run at To over To-From.
	From, To time.Time
	// Zone keeps traffic from proxies in matching zones and services present
	// there; nil means all zones. It should be anchored.
	Zone *regexp.Regexp
	// Rollup shows a matching service name as its first capture group.
	Rollup *regexp.Regexp
	// HideIdle drops nodes that neither send nor receive traffic.
	HideIdle bool
	// Labels are the Prometheus label names; empty fields take the defaults.
	Labels models.LabelNames
	// ByWorkload draws one node per kuma_workload instead of one per
	// service (see workloadView); it reads the mesh's dataplane list.
	ByWorkload bool
}

// KindUnknown is the kind of services seen only in metrics.
const KindUnknown kuma.ServiceKind = "unknown"

// The HTTP response code classes the graph counts, as indexes of Classes
// and Requests.ByClass. 1xx responses count in totals only.
const (
	Class2xx = iota
	Class3xx
	Class4xx
	Class5xx
	// ClassCount is the number of classes counted.
	ClassCount
)

// Classes names the response code classes in index order.
var Classes = [ClassCount]string{"2xx", "3xx", "4xx", "5xx"}

// ClassIndex maps an envoy_response_code_class value, "2" to "5", to its
// index in Classes, and any other value (1xx included) to -1.
func ClassIndex(v string) int {
	if len(v) == 1 && v[0] >= '2' && v[0] <= '5' {
		return int(v[0] - '2')
	}
	return -1
}

// Requests counts requests over the window.
type Requests struct {
	// ByClass holds 2xx, 3xx, 4xx and 5xx in the order of Classes.
	ByClass [ClassCount]float64
	Total   float64
}

// add sums o into r.
func (r *Requests) add(o Requests) {
	for i := range r.ByClass {
		r.ByClass[i] += o.ByClass[i]
	}
	r.Total += o.Total
}

// SuccessPercent is 100·(total−5xx)/total, and 100 without requests.
func (r Requests) SuccessPercent() float64 {
	if r.Total <= 0 {
		return 100
	}
	return 100 * (r.Total - r.ByClass[Class5xx]) / r.Total
}

// TCP counts connections and bytes over the window.
type TCP struct {
	Connections float64
	// Bytes is sent plus received, seen from the client.
	Bytes float64
}

// Node is one service of the map.
type Node struct {
	// ID is the service name after rollup.
	ID string
	// Kind is the CP's service kind, KindUnknown for services only in metrics.
	Kind kuma.ServiceKind
	// Status is online, offline, partially_degraded or not_available; "" when unknown.
	Status                 string
	Online, Offline, Total int
	Zones                  []string
	KnownToCP              bool
	// Gateway is the MeshGateway name of a builtin gateway, the service name
	// of a delegated one, "" otherwise.
	Gateway string
	// Service is the name dashboards know the node by when it differs from
	// ID: the kuma.io/service of a MeshService copy's proxies ("api" for
	// "api (zone-1)", "backend_kuma-demo_svc_3001" on Kubernetes).
	Service string
	// ListName is the name the services list, and so the Service
	// dashboard's $service, shows when it differs from Service: a
	// MeshService's display name ("backend" for the copy whose proxies
	// carry backend_kuma-demo_svc_3001). Node links pass it.
	ListName string
	// Destination is the destination service edges into the node pass to
	// dashboards when it differs from ID: the service node a workload node
	// is drawn for (its only backer).
	Destination string
	// KRI is the control plane's resource identifier of a MeshService-family
	// node; Namespace its Kubernetes namespace.
	KRI       string
	Namespace string
	// Received are the requests the service received: the sum of its incoming
	// edges, or for a builtin gateway the requests entering it.
	Received Requests
	// ReceivedTCP sums the TCP counters of incoming edges.
	ReceivedTCP TCP
	// RequestsPerSecond and TCPBytesPerSecond are Received over the window.
	RequestsPerSecond float64
	TCPBytesPerSecond float64
	// Active is true when the node sends or receives any traffic.
	Active bool
}

// Edge is the traffic from one service to another.
type Edge struct {
	Source, Target string
	// SourceZones are the zones of the calling proxies; DestinationZones the
	// zones of the MeshService copies called, which differ from the source
	// zones on cross-zone traffic. Both sorted.
	SourceZones, DestinationZones []string
	Requests                      Requests
	RequestsPerSecond             float64
	// P50Ms and P99Ms are latency quantiles; nil without histogram data.
	P50Ms, P99Ms *float64
	TCP          TCP
	// TCPConnectionsPerSecond and TCPBytesPerSecond are TCP over the window.
	TCPConnectionsPerSecond float64
	TCPBytesPerSecond       float64
}

// ID is "source->target".
func (e Edge) ID() string { return e.Source + "->" + e.Target }

// UnmappedSeries reports destination clusters that map to no known service.
type UnmappedSeries struct {
	// Count is the number of distinct cluster names.
	Count int
	// Examples are up to five of them, sorted.
	Examples []string
}

// Graph is the service map of one mesh for one window.
type Graph struct {
	// Nodes and Edges are sorted by id.
	Nodes    []Node
	Edges    []Edge
	Unmapped UnmappedSeries
	// WithoutWorkload are the callers drawn by service in a map grouped by
	// workload because their series carry no kuma_workload, sorted.
	WithoutWorkload []string
	// InvalidSamples counts samples left out because their value was +Inf,
	// NaN or negative, or their bucket bound was (see ValidSample).
	InvalidSamples int
	// Warnings are Prometheus warnings.
	Warnings []string
	// Queries are the PromQL queries that ran.
	Queries []string
	// Window is the range the queries covered.
	Window time.Duration

	// edgeIDs caches Edges[i].ID() from sorting, for the frames.
	edgeIDs []string
}
