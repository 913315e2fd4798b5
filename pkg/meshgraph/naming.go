package meshgraph

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// Naming is the service map's naming of one mesh for use outside the graph:
// the control plane's services, cluster-name mapping, zone filter and
// rollup. pkg/traffic names its series with it, so that a series carries
// the name of the node or edge it belongs to. It is not safe for
// concurrent use.
type Naming struct {
	j *joiner
}

// NewNaming reads the services of opts.Mesh from the control plane. Only
// Mesh, Zone, Rollup, HideIdle and Labels of opts are used.
func NewNaming(ctx context.Context, cp ControlPlane, opts Options) (*Naming, error) {
	opts.Labels = opts.Labels.WithDefaults()
	cat, err := fetchCatalog(ctx, cp, opts.Mesh)
	if err != nil {
		return nil, err
	}
	return &Naming{j: newJoiner(cat, opts)}, nil
}

// Edge names the caller-side series of a call, from its source service
// label, zone label, envoy_cluster_name, kuma_workload and kuma_proxy_role,
// as the graph's edge after rollup. A series without a source label is
// named by its workload (the MeshMetric path with unified naming; see
// ResolveWorkloads), or, with neither, by its zone proxy role, as the
// graph's series key does. It returns false for series the zone filter
// drops and for clusters that map to no service (see Unmapped). Call it
// only for series with traffic: it marks both ends as active.
func (n *Naming) Edge(source, zone, cluster, workload, role string) (src, dst string, ok bool) {
	if source == "" && workload == "" && zoneProxyRoles[role] {
		source = role
	}
	src, dst, ok = n.j.names(source, zone, cluster, workload)
	if !ok {
		return "", "", false
	}
	return n.j.rollup(src), n.j.rollup(dst), true
}

// ResolveWorkloads reads the mesh's proxies so that Edge names callers
// known by their kuma_workload alone, as the graph does: one request, to
// be made only when such series have traffic.
func (n *Naming) ResolveWorkloads(ctx context.Context, cp ControlPlane) error {
	return n.j.cat.resolveWorkloads(ctx, cp, n.j.opts.Mesh)
}

// ResolveOtherMeshes reads the mesh list when one of the clusters with
// traffic may be a cross-mesh gateway's <service>_<other mesh>, so that
// Edge names it as the graph does: one request, only then. Call it before
// Edge.
func (n *Naming) ResolveOtherMeshes(ctx context.Context, cp ControlPlane, clusters []string) error {
	ml, ok := cp.(MeshLister)
	if !ok || !slices.ContainsFunc(clusters, n.j.cat.crossMeshCandidate) {
		return nil
	}
	return n.j.cat.readOtherMeshes(ctx, ml)
}

// MeshMetricGroupBy is what a query groups by, after the service, zone and
// cluster labels, so that Edge can name the callers kuma-dp labels with
// kuma_workload (zone proxies kuma_proxy_role) and zone only
// (docs/kuma-naming.md). These labels are absent on other paths, so they
// add no series.
func MeshMetricGroupBy(l models.LabelNames) string {
	if l.Zone == meshMetricZoneLabel {
		return "," + workloadLabel + "," + proxyRoleLabel
	}
	return "," + workloadLabel + "," + proxyRoleLabel + "," + meshMetricZoneLabel
}

// Labels kuma-dp puts on a proxy's metrics on the MeshMetric path with
// unified naming, in place of kuma_io_service and kuma_io_zone.
const (
	WorkloadLabel       = workloadLabel
	ProxyRoleLabel      = proxyRoleLabel
	MeshMetricZoneLabel = meshMetricZoneLabel
)

// Gateway names the builtin gateway whose listener series carry the HTTP
// connection manager stat prefix and MeshGateway label, after rollup. Like
// Edge it applies the zone filter and marks the gateway as active.
func (n *Naming) Gateway(prefix, gateway, zone string) (string, bool) {
	if !n.j.inZone(zone) {
		return "", false
	}
	svc, ok := n.j.cat.gatewayService(prefix, gateway)
	if !ok {
		return "", false
	}
	n.j.seen[svc] = true
	return n.j.rollup(svc), true
}

// Nodes returns the nodes the graph would show after the Edge and Gateway
// calls so far, sorted by id, without numbers: every service the control
// plane knows in the selected zones and every service with traffic, idle
// ones dropped when HideIdle is set.
func (n *Naming) Nodes() []Node {
	return n.j.nodes(1)
}

// Unmapped reports the destination clusters Edge could not name.
func (n *Naming) Unmapped() UnmappedSeries { return n.j.unmappedSeries() }

// Histogram holds cumulative buckets summed per upper bound, the same way
// the graph merges the latency of rolled-up edges.
type Histogram struct{ h histogram }

// Add adds count to the bucket with upper bound le.
func (h *Histogram) Add(le, count float64) { h.h.add(le, count) }

// Reset empties h, keeping its storage for the next Adds.
func (h *Histogram) Reset() { h.h = h.h[:0] }

// Quantile returns the q-quantile as PromQL's histogram_quantile computes
// it, and false without a +Inf bucket or observations.
func (h *Histogram) Quantile(q float64) (float64, bool) { return h.h.quantile(q) }

// Window is the range the graph's queries cover for a time range: To-From
// in whole seconds, at least a minute.
func Window(from, to time.Time) time.Duration { return windowOf(from, to) }

// UpstreamSelector selects the caller-side cluster series of a mesh that
// the graph reads, without system clusters.
func UpstreamSelector(mesh string, l models.LabelNames) string {
	l = l.WithDefaults()
	return fmt.Sprintf(`{%s="%s",envoy_cluster_name!~"%s"}`, l.Mesh, prometheus.EscapeLabelValue(mesh), systemClusters)
}
