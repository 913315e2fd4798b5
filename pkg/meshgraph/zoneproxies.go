package meshgraph

import (
	"context"
	"fmt"
	"strings"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// KindCrossMesh is the kind of a service of another mesh that a gateway of
// this mesh calls through a cluster X_<mesh>.
const KindCrossMesh kuma.ServiceKind = "cross_mesh"

// MeshLister is implemented by control planes that list meshes
// (*kuma.Client does). Build uses it only when some cluster names may end
// in another mesh's name.
type MeshLister interface {
	Meshes(ctx context.Context) ([]kuma.Mesh, error)
}

// zoneProxyTarget maps the cluster names that zone ingress and egress
// proxies use, <mesh>_<service> (docs/kuma-naming.md), and the cross-mesh
// gateway clusters <service>_<other mesh>, to a node. The zone proxy form
// names a service of this mesh; the cross-mesh form becomes a node of its
// own, "<service> (mesh <other mesh>)".
func (c *catalog) zoneProxyTarget(name string) (string, bool) {
	if rest, ok := strings.CutPrefix(name, c.mesh+"_"); ok {
		if t, ok := c.names.bySanitized[rest]; ok {
			return t, true
		}
		if ts := c.names.copies[rest]; len(ts) == 1 {
			return ts[0], true
		}
	}
	if i := strings.LastIndexByte(name, '_'); i > 0 && c.otherMeshes[name[i+1:]] {
		id := name[:i] + " (mesh " + name[i+1:] + ")"
		if _, ok := c.onDemand[id]; !ok {
			c.onDemand[id] = &Node{ID: id, Kind: KindCrossMesh, Service: name[:i]}
		}
		return id, true
	}
	return name, false
}

// zoneProxyCopy maps a zone proxy's <mesh>_<service> cluster when the
// service has a MeshService copy in several zones, which the name alone
// cannot tell apart: a zone ingress forwards to the copy of its own zone,
// a zone egress to another zone's, so the copy is known when exactly one
// fits. Other callers, or several fitting copies, stay unmapped.
func (c *catalog) zoneProxyCopy(cluster, source, zone string) (string, bool) {
	rest, ok := strings.CutPrefix(cluster, c.mesh+"_")
	if !ok || zone == "" || !zoneProxyRoles[source] {
		return "", false
	}
	found := ""
	for _, id := range c.names.copies[rest] {
		z := c.zoneOf(id)
		if z == "" || (z == zone) != (source == "zone-ingress") {
			continue
		}
		if found != "" {
			return "", false
		}
		found = id
	}
	return found, found != ""
}

// resolveOtherMeshes reads the mesh list, when the control plane can list
// meshes and a cluster of the results maps to no service but could end in
// a mesh name: one request, whatever the traffic.
func (c *catalog) resolveOtherMeshes(ctx context.Context, cp ControlPlane, results [queryCount]*prometheus.Vector) error {
	ml, ok := cp.(MeshLister)
	if !ok || !c.hasCrossMeshCandidate(results) {
		return nil
	}
	return c.readOtherMeshes(ctx, ml)
}

// readOtherMeshes reads the names of the meshes other than this one.
func (c *catalog) readOtherMeshes(ctx context.Context, ml MeshLister) error {
	meshes, err := ml.Meshes(ctx)
	if err != nil {
		return fmt.Errorf("reading the meshes: %w", err)
	}
	c.otherMeshes = map[string]bool{}
	for _, m := range meshes {
		if m.Name != c.mesh {
			c.otherMeshes[sanitize(m.Name)] = true
		}
	}
	return nil
}

// hasCrossMeshCandidate reports whether a cluster with traffic is a
// crossMeshCandidate. It looks at each distinct cluster name once.
func (c *catalog) hasCrossMeshCandidate(results [queryCount]*prometheus.Vector) bool {
	for _, q := range []queryKind{queryTotal, queryTCP} {
		v := results[q]
		if v == nil {
			continue
		}
		checked := make([]bool, len(v.Strings))
		for i := range v.Len() {
			id := v.ID(i, clusterLabel)
			if checked[id] || v.Value(i) == 0 {
				continue
			}
			checked[id] = true
			if c.crossMeshCandidate(v.Strings[id]) {
				return true
			}
		}
	}
	return false
}

// crossMeshCandidate reports whether a cluster maps to no service and has
// an "_" that could separate a mesh name.
func (c *catalog) crossMeshCandidate(name string) bool {
	if !strings.Contains(name, "_") {
		return false
	}
	if _, ok := c.names.cluster(name); ok {
		return false
	}
	_, ok := c.zoneProxyTarget(name)
	return !ok
}
