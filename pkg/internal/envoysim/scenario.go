// Package envoysim generates synthetic Envoy and Kuma control-plane metrics,
// as Prometheus stores them after scraping Kuma data plane proxies through
// kuma_sd_configs and the relabeling of the Kuma docs, together with the truth
// they encode, so that tests can compare the service map's numbers with what
// was generated. Output is OpenMetrics text for promtool (see promtest).
package envoysim

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// DefaultStep is the sample interval when Scenario.Step is zero, the usual
// Prometheus scrape interval.
const DefaultStep = 15 * time.Second

// Scenario describes proxies and the traffic between them over a window.
// Counters grow linearly from Start to End, so increase(x[End-Start]) at End
// is the configured total and rate(x[any]) at End is total/(End-Start).
type Scenario struct {
	// Mesh is the mesh of proxies that leave Proxy.Mesh empty.
	Mesh       string
	Start, End time.Time
	// Step is the sample interval; zero means DefaultStep.
	Step    time.Duration
	Proxies []Proxy
	Calls   []Call
	// ControlPlane, when set, adds kuma-cp metrics.
	ControlPlane *ControlPlane
	// ControlPlanes add more kuma-cp instances, e.g. a global and zone CPs.
	// With any CP, Prometheus's own Go metrics are added too, as a real
	// Prometheus that scrapes itself has them.
	ControlPlanes []ControlPlane
	// ZoneProxies are Zone Ingress and Zone Egress proxies.
	ZoneProxies []ZoneProxy
	// RenameLabels renames proxies' target labels (default name → name), as
	// a relabeling other than the Kuma docs' does.
	RenameLabels map[string]string
	// Lean writes only the families the service map reads: the callers'
	// request totals, response classes, latency buckets and TCP counters,
	// and the gateway listeners' response classes. Large meshes then fit
	// in an import of reasonable size; dashboards need the full output.
	Lean bool
}

// Proxy is one data plane proxy.
type Proxy struct {
	Name string
	// Service is the kuma.io/service of the proxy's first inbound. Services
	// lists every inbound service when there are several; kuma_io_service is
	// then the alphabetically first, as MADS labels it.
	Service  string
	Services []string
	Zone     string
	// Mesh overrides Scenario.Mesh.
	Mesh string
	// Gateway is the MeshGateway name of a builtin gateway proxy.
	Gateway string
	// Delegated marks a delegated gateway (e.g. Kong): a sidecar with no
	// inbound, so no localhost_<port> cluster.
	Delegated bool
	// Port is the inbound port of the first service (default 8080); service i
	// of AllServices listens on Port+i. It names the inbound cluster
	// localhost_<port>.
	Port int
	// MeshMetric marks a proxy whose metrics come through the MeshMetric
	// policy (2.6+), where kuma-dp adds no kuma_io_mesh_traffic label.
	MeshMetric bool
	// UnifiedNaming marks a proxy with Kuma's unified resource naming: its
	// inbound clusters are self_inbound_dp_<port> and its admin cluster
	// system_envoy_admin.
	UnifiedNaming bool
	// Workload is the proxy's kuma.io/workload, emitted as kuma_workload
	// when MeshMetric is set. With UnifiedNaming too, kuma-dp labels the
	// proxy's metrics only with mesh, zone, kuma_proxy_role and
	// kuma_workload (plus the scrape target's dataplane), not with the MADS
	// labels; without it, kuma_workload comes next to the MADS labels.
	Workload string
	// Role is the kuma_proxy_role of a zone proxy on the MeshMetric path
	// with unified naming ("zone-ingress", "zone-egress"): with no
	// workload, it is the only label that tells what the proxy is.
	Role string
	// Node is the service-map node the proxy's calls start from when it is
	// not the primary service (a Kubernetes tag backend_ns_svc_80 belongs
	// to the MeshService node "backend"); truth is keyed by it.
	Node string
}

// Call is the traffic one proxy sends to one Envoy cluster over the window.
type Call struct {
	// From is the calling proxy's Name.
	From string
	// ClusterName is envoy_cluster_name as emitted on the caller, e.g.
	// "backend", "backend-0123456789abcdef", "default_backend___msvc_80".
	ClusterName string
	// To is the destination service. The proxies with that service (in the
	// caller's mesh) get the server-side metrics. Empty for clusters that no
	// proxy serves (external services, unknown clusters): the truth then
	// names the destination after ClusterName.
	To string
	// Requests is the number of requests per response code class (1–5) over
	// the whole window. Ignored when TCP is set.
	Requests map[int]float64
	// LatencyMs is the median request latency (default 10 ms); see
	// latencyShape for the distribution.
	LatencyMs float64
	// ToZone limits the callees to the proxies of To in that zone, as a
	// MeshService cluster reaches one zone's copy.
	ToZone string
	// Node is the service-map node the call lands on when it is not To
	// (one zone's MeshService copy "api (zone-2)", a MeshMultiZoneService);
	// truth is keyed by it.
	Node string
	// TCP makes this a TCP-only call: only connection and byte counters.
	TCP bool
	// Connections is the number of connections opened over the window
	// (default: one per 10 requests, at least 1).
	Connections float64
	// TxBytes and RxBytes are the bytes sent and received by the caller over
	// the window (HTTP default: 500 and 2000 per request).
	TxBytes, RxBytes float64
}

// ControlPlane describes the kuma-cp whose metrics are generated.
type ControlPlane struct {
	// Instance is the scrape target, default "kuma-control-plane:5680".
	Instance string
	// Version is the cp_info version, default "2.14.3".
	Version string
	// Zone is the zone label kuma-cp puts on all its metrics: the zone
	// name, "Global" on a global CP; default "default".
	Zone string
	// Summaries exports latencies as summaries, as kuma-cp up to 2.13 does;
	// 2.14 exports histograms. One data set cannot hold both, because a
	// metric family has one type.
	Summaries bool
	// Zones are the zone CPs connected to a global CP (for KDS metrics).
	Zones int
}

// step returns the sample interval.
func (s Scenario) step() time.Duration {
	if s.Step <= 0 {
		return DefaultStep
	}
	return s.Step
}

// window is End-Start in seconds.
func (s Scenario) window() float64 { return s.End.Sub(s.Start).Seconds() }

// Validate reports scenario mistakes: an empty window, duplicate proxies,
// calls from unknown proxies.
func (s Scenario) Validate() error {
	if !s.End.After(s.Start) {
		return fmt.Errorf("envoysim: End %s is not after Start %s", s.End, s.Start)
	}
	seen := map[string]bool{}
	for _, p := range s.Proxies {
		if p.Name == "" || len(p.AllServices()) == 0 {
			return fmt.Errorf("envoysim: proxy %q needs a name and a service", p.Name)
		}
		if seen[p.Name] {
			return fmt.Errorf("envoysim: duplicate proxy %q", p.Name)
		}
		seen[p.Name] = true
	}
	for _, c := range s.Calls {
		if !seen[c.From] {
			return fmt.Errorf("envoysim: call from unknown proxy %q", c.From)
		}
		if c.ClusterName == "" {
			return fmt.Errorf("envoysim: call from %q has no cluster name", c.From)
		}
	}
	return nil
}

// proxy returns the proxy called name.
func (s Scenario) proxy(name string) Proxy {
	for _, p := range s.Proxies {
		if p.Name == name {
			return p
		}
	}
	panic("envoysim: unknown proxy " + name)
}

// meshOf returns the proxy's mesh.
func (s Scenario) meshOf(p Proxy) string {
	if p.Mesh != "" {
		return p.Mesh
	}
	return s.Mesh
}

// AllServices returns the proxy's inbound services, sorted.
func (p Proxy) AllServices() []string {
	set := map[string]bool{}
	if p.Service != "" {
		set[p.Service] = true
	}
	for _, s := range p.Services {
		set[s] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// PrimaryService is the kuma_io_service label: the alphabetically first
// service, as MADS picks it.
func (p Proxy) PrimaryService() string { return p.AllServices()[0] }

// Source is the node a proxy's calls are keyed by in the truth.
func (p Proxy) Source() string {
	if p.Node != "" {
		return p.Node
	}
	return p.PrimaryService()
}

// port returns the inbound port of service svc of the proxy.
func (p Proxy) port(svc string) int {
	base := p.Port
	if base == 0 {
		base = 8080
	}
	for i, s := range p.AllServices() {
		if s == svc {
			return base + i
		}
	}
	return base
}

// Destination is the service a call's truth is keyed by.
func (c Call) Destination() string {
	if c.Node != "" {
		return c.Node
	}
	if c.To != "" {
		return c.To
	}
	return c.ClusterName
}

// totalRequests sums Requests over all classes.
func (c Call) totalRequests() float64 {
	var n float64
	for _, v := range c.Requests {
		n += v
	}
	return n
}

// traffic returns connections and bytes with defaults filled in.
func (c Call) traffic() (cx, tx, rx float64) {
	n := c.totalRequests()
	cx, tx, rx = c.Connections, c.TxBytes, c.RxBytes
	if cx == 0 {
		cx = max(1, n/10)
	}
	if !c.TCP {
		if tx == 0 {
			tx = 500 * n
		}
		if rx == 0 {
			rx = 2000 * n
		}
	}
	return cx, tx, rx
}

// servicesLabel renders kuma_io_services: ",a,b,".
func servicesLabel(svcs []string) string { return "," + strings.Join(svcs, ",") + "," }
