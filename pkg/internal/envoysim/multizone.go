package envoysim

import "time"

// HashedGateway is the name a zone CP gives MeshGateway edge-gateway synced
// from the global CP (KDS appends a hash), as its proxies' kuma_io_mesh_gateway
// label carries it.
const HashedGateway = "edge-gateway-8b8f45f5242vbz24"

// Multizone is Demo in a multizone deployment, the data the dashboard tests
// run every panel against: a global CP serving the zone CPs of "default"
// and "zone-2" (kuma-cp 2.14, histograms), and a second proxy of the builtin
// gateway in zone-2 whose kuma_io_mesh_gateway is the zone's hashed name,
// a Zone Ingress in "default" and a Zone Egress in "zone-2".
// The delegated gateway kong-1 of Demo stays.
func Multizone(start, end time.Time) Scenario {
	s := Demo(start, end)
	w := end.Sub(start).Seconds()
	s.Proxies = append(s.Proxies, Proxy{Name: "edge-gateway-2", Service: "edge-gateway", Zone: "zone-2", Gateway: HashedGateway})
	s.Calls = append(s.Calls, Call{From: "edge-gateway-2", ClusterName: "frontend", To: "frontend",
		Requests: map[int]float64{2: 3 * w, 5: 0.3 * w}, LatencyMs: 25})
	// frontend-3 in zone-2 calls backend in default: out through zone-2's
	// egress, in through default's ingress.
	s.ZoneProxies = []ZoneProxy{
		{Name: "zone-ingress-1", Zone: "default", Role: "ingress", Destinations: []string{"backend"}, ConnectionsPerSec: 0.2},
		{Name: "zone-egress-1", Zone: "zone-2", Role: "egress", Destinations: []string{"backend", "httpbin"}, ConnectionsPerSec: 0.3},
	}
	s.ControlPlane = nil
	s.ControlPlanes = []ControlPlane{
		{Instance: "kuma-global:5680", Zone: "Global", Zones: 2},
		{Instance: "kuma-control-plane:5680", Zone: "default", Zones: 1},
		{Instance: "kuma-zone-2:5680", Zone: "zone-2", Zones: 1},
	}
	return s
}

// LegacyControlPlane is one kuma-cp 2.13 (latencies as summaries) of zone
// "default" with Demo's proxies: the data the CP dashboard must also read.
func LegacyControlPlane(start, end time.Time) Scenario {
	s := Demo(start, end)
	s.ControlPlane = &ControlPlane{Version: "2.13.2", Summaries: true}
	return s
}

// CustomLabels are the target label names of Relabeled.
var CustomLabels = map[string]string{
	"mesh": "kmesh", "kuma_io_service": "service", "kuma_io_services": "services", "kuma_io_zone": "kzone",
	"dataplane": "dp", "kuma_io_mesh_gateway": "gateway",
}

// Relabeled is Multizone scraped with a relabeling that gives the Kuma
// labels other names (CustomLabels).
func Relabeled(start, end time.Time) Scenario {
	s := Multizone(start, end)
	s.RenameLabels = CustomLabels
	return s
}

// relabel renames the labels of RenameLabels.
func (s Scenario) relabel(l labels) labels {
	for from, to := range s.RenameLabels {
		if v, ok := l[from]; ok {
			delete(l, from)
			l[to] = v
		}
	}
	return l
}
