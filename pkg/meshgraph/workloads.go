package meshgraph

import (
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// KindWorkload is the kind of a node of the map grouped by workload: the
// proxies sharing one kuma.io/workload label (kuma_workload in metrics).
const KindWorkload kuma.ServiceKind = "workload"

// workloadIndex is what the dataplane list tells about workloads: the
// workloads behind each service node and one node per workload.
type workloadIndex struct {
	// backers maps a service node to the workloads of its proxies; "" is a
	// proxy without a kuma.io/workload label.
	backers map[string]map[string]bool
	// nodes has one node per workload: its zones and proxies, and the
	// kuma.io/service of the first service it backs, for dashboard links.
	nodes map[string]*Node
}

func newWorkloadIndex() *workloadIndex {
	return &workloadIndex{backers: map[string]map[string]bool{}, nodes: map[string]*Node{}}
}

// back records that a proxy of workload backs node.
func (w *workloadIndex) back(node, workload string) {
	set := w.backers[node]
	if set == nil {
		set = map[string]bool{}
		w.backers[node] = set
	}
	set[workload] = true
}

// addProxy counts a proxy of workload in zone; backs is the node of the
// service it backs, whose names the workload node's links pass. The
// dataplane list carries no online state, so a workload node's status
// stays unknown.
func (w *workloadIndex) addProxy(workload, zone string, backs *Node) {
	n := w.nodes[workload]
	if n == nil {
		n = &Node{ID: workload, Kind: KindWorkload, KnownToCP: true, Service: backs.Service, ListName: backs.ListName}
		if n.Service == "" {
			n.Service = backs.ID
		}
		w.nodes[workload] = n
	}
	n.Total++
	if zone != "" {
		n.Zones = unionSorted(n.Zones, []string{zone})
	}
}

// sole returns the workload whose proxies alone back a service node.
func (w *workloadIndex) sole(node string) (string, bool) {
	if len(w.backers[node]) != 1 {
		return "", false
	}
	for wl := range w.backers[node] {
		return wl, wl != ""
	}
	return "", false
}

// workloadView is the node set of the map grouped by workload. Client-side
// metrics tell which service a request went to, not which of its proxies
// served it, so a destination is drawn as a workload only when one
// workload alone backs it; a service backed by several workloads (or by
// proxies without the label) stays a service node, renamed "<id>
// (service)" when a workload has its name.
type workloadView struct {
	idx *workloadIndex
	// always are the nodes shown without traffic, onDemand those shown
	// with it (MeshServices of meshes that are not Exclusive).
	always, onDemand map[string]*Node
	// ids maps a service node to its id in this view.
	ids map[string]string
}

func newWorkloadView(c *catalog) *workloadView {
	v := &workloadView{idx: c.workloads, always: map[string]*Node{}, onDemand: map[string]*Node{}, ids: map[string]string{}}
	// Gateways keep their nodes: their requests are counted per gateway.
	for name, n := range c.nodes {
		if n.Kind.IsGateway() {
			v.ids[name] = name
		}
	}
	for id, n := range c.workloads.nodes {
		cp := *n
		v.always[id] = &cp
	}
	// stands counts the service nodes each workload node is drawn for.
	stands := map[string]int{}
	for _, set := range []struct{ from, to map[string]*Node }{{c.nodes, v.always}, {c.onDemand, v.onDemand}} {
		for name, n := range set.from {
			id := v.id(name)
			if _, isWorkload := c.workloads.nodes[id]; isWorkload {
				// Links into the workload node pass the service node it
				// stands for, which dashboards resolve; not when it stands
				// for several.
				w := v.always[id]
				if stands[id]++; stands[id] == 1 {
					w.Destination = name
				} else {
					w.Destination = ""
				}
				continue
			}
			cp := *n
			if id != name {
				cp.ID = id
				if cp.Service == "" {
					cp.Service = name
				}
			}
			set.to[id] = &cp
		}
	}
	return v
}

// id is the id of service node name in the view.
func (v *workloadView) id(name string) string {
	if id, ok := v.ids[name]; ok {
		return id
	}
	id, ok := v.idx.sole(name)
	if !ok {
		id = name
		if _, clash := v.idx.nodes[name]; clash {
			id = name + " (service)"
		}
	}
	v.ids[name] = id
	return id
}

// lookup returns the node the control plane knows by id in the view.
func (v *workloadView) lookup(id string) (*Node, bool) {
	if n, ok := v.always[id]; ok {
		return n, true
	}
	n, ok := v.onDemand[id]
	return n, ok
}

// workloadNotices warn, in a map grouped by workload, about the callers
// drawn by service because Prometheus has no kuma_workload for them.
func (g *Graph) workloadNotices() []data.Notice {
	n := len(g.WithoutWorkload)
	if n == 0 {
		return nil
	}
	names := g.WithoutWorkload[:min(n, maxUnmappedExamples)]
	more := ""
	if n > len(names) {
		more = ", …"
	}
	return []data.Notice{{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf(
		"Grouped by workload, but the metrics of %d caller(s) carry no kuma_workload label, so they are drawn by service: %s%s. "+
			"Prometheus gets kuma_workload from the MeshMetric policy of Kuma 2.14 and later; proxies scraped through "+
			"the mesh's Prometheus metrics backend, and older Kuma, do not have it.",
		n, strings.Join(names, ", "), more)}}
}
