package meshgraph

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// meshServiceIDs names the node of each MeshService-family resource as
// operators read it: the display name, followed by the namespace and zone
// in parentheses when two resources of one kind share that display name and
// differ there ("api (zone-1)", "api (zone-2)"). A global CP keeps one
// MeshService per zone, each named <display name>-<hash>
// (docs/kuma-naming.md). Outside Exclusive meshes the display name is the
// id, so copies merge into the kuma.io/service node they share a name with.
func meshServiceIDs(msvcs []kuma.Service, exclusive bool) []string {
	ids := make([]string, len(msvcs))
	type group struct{ zones, namespaces map[string]bool }
	groups := map[string]*group{}
	key := func(s kuma.Service) string { return string(s.Kind) + "\x00" + s.Name }
	for _, s := range msvcs {
		g := groups[key(s)]
		if g == nil {
			g = &group{zones: map[string]bool{}, namespaces: map[string]bool{}}
			groups[key(s)] = g
		}
		g.zones[s.Zone] = true
		g.namespaces[s.Namespace] = true
	}
	for i, s := range msvcs {
		ids[i] = s.Name
		if !exclusive {
			continue
		}
		g := groups[key(s)]
		var qual []string
		if len(g.namespaces) > 1 && s.Namespace != "" {
			qual = append(qual, s.Namespace)
		}
		if len(g.zones) > 1 && s.Zone != "" {
			qual = append(qual, s.Zone)
		}
		if len(qual) > 0 {
			ids[i] = s.Name + " (" + strings.Join(qual, ", ") + ")"
		}
	}
	return ids
}

// serviceTagOf is the kuma.io/service its proxies carry, which dashboards
// filter on: a ServiceTag identity, the selector's tag (universal), or the
// Kubernetes tag of its first port; the display name otherwise.
func serviceTagOf(s kuma.Service) string {
	switch {
	case len(s.ServiceTags) > 0:
		return s.ServiceTags[0]
	case s.SelectorTags[serviceTag] != "":
		return s.SelectorTags[serviceTag]
	case s.Namespace != "" && len(s.Ports) > 0:
		return s.Name + "_" + s.Namespace + "_svc_" + strconv.Itoa(s.Ports[0].Port)
	}
	return s.Name
}

// matchesLabels reports whether labels hold every key and value of want.
func matchesLabels(labels, want map[string]string) bool {
	for k, v := range want {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// kubernetesServiceTag splits a Kubernetes kuma.io/service value
// <service>_<namespace>_svc_<port> (docs/kuma-naming.md).
func kubernetesServiceTag(tag string) (name, namespace, port string, ok bool) {
	rest, port, found := cutLast(tag, "_")
	if !found || !isDigits(port) {
		return "", "", "", false
	}
	rest, svc, found := cutLast(rest, "_")
	if !found || svc != "svc" {
		return "", "", "", false
	}
	name, namespace, found = cutLast(rest, "_")
	if !found || name == "" || namespace == "" {
		return "", "", "", false
	}
	return name, namespace, port, true
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// addWorkloads maps the kuma.io/workload of each proxy to the node of the
// services it backs: in Exclusive meshes the MeshServices of its zone whose
// selector its inbound tags match, elsewhere its kuma.io/service. A
// workload backing several services takes the first node by name, as MADS
// picks the first service. It also records, for groupBy workload, the
// workloads behind each node and one node per workload.
func (c *catalog) addWorkloads(dps []kuma.DataplaneIdentity) {
	for _, dp := range dps {
		targets := c.nodesBackedBy(dp)
		sort.Strings(targets)
		for _, t := range targets {
			c.workloads.back(t, dp.Workload)
		}
		if dp.Workload == "" || len(targets) == 0 {
			continue
		}
		c.names.addWorkload(dp.Workload, dp.Zone, targets[0])
		c.workloads.addProxy(dp.Workload, dp.Zone, c.nodeOf(targets[0]))
	}
}

// nodesBackedBy returns the nodes of the services a proxy backs, unsorted.
func (c *catalog) nodesBackedBy(dp kuma.DataplaneIdentity) []string {
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, tags := range dp.InboundTags {
		if !c.exclusive {
			if t, ok := c.names.bySanitized[sanitize(tags[serviceTag])]; ok {
				add(t)
			}
			continue
		}
		for i, s := range c.msvcs {
			if s.Kind == kuma.ServiceMeshService && (s.Zone == "" || s.Zone == dp.Zone) &&
				len(s.SelectorTags) > 0 && matchesLabels(tags, s.SelectorTags) {
				add(c.msvcIDs[i])
			}
		}
	}
	return out
}

// nodeOf is the node the CP knows by id, or a bare node of that id.
func (c *catalog) nodeOf(id string) *Node {
	if n, ok := c.lookup(id); ok {
		return n
	}
	return &Node{ID: id}
}
