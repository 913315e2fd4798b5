//go:build integration

package dashboards

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
)

// linkMode is one way Kuma names a mesh's services and labels its proxies:
// the map's nodes whose links the test follows, and which proxies serve
// each node's service, for the truth of its inbound requests.
type linkMode struct {
	name, key, fixture, mesh string
	scenario                 func(start, end time.Time) envoysim.Scenario
	groupBy                  string
	// served are the proxies whose inbound the dashboard a node's link
	// opens shows, by node id.
	served map[string]func(envoysim.Proxy) bool
	// empty are the Service panels without data in this mode, with why;
	// pairEmpty those of Service to Service. "<title>@<node or edge id>"
	// is for that one only.
	empty, pairEmpty map[string]string
}

// servedIn are the proxies of service tag in zone ("": every zone).
func servedIn(tag, zone string) func(envoysim.Proxy) bool {
	return func(p envoysim.Proxy) bool { return p.PrimaryService() == tag && (zone == "" || p.Zone == zone) }
}

const backendTag = "backend_kuma-demo_svc_3001"

const no5xx = "this copy answered no 5xx"

func linkModes() []linkMode {
	k8sEmpty := with(kubernetesEmpty, nil)
	unifiedEmpty := with(k8sPanelsEmpty, map[string]string{
		"Outbound requests per destination": tcpOnly, "Outbound latency p99 per destination": tcpOnly, "Outbound status codes per destination": tcpOnly,
	})
	return []linkMode{
		{
			name: "Exclusive universal on a global CP (recorded)", key: "links-exclusive", fixture: "2.14.3-exclusive", mesh: "modern",
			scenario: envoysim.Exclusive,
			// api (zone-1) also gets half of web's calls to the MeshMultiZoneService api-mz,
			// whose dashboard shows the proxies of the MeshServices it selects.
			served: map[string]func(envoysim.Proxy) bool{
				"api (zone-1)": servedIn("api", "zone-1"), "api (zone-2)": servedIn("api", "zone-2"), "api-mz": servedIn("api", ""),
			},
			empty: with(with(k8sPanelsEmpty, workloadPanelsEmpty), map[string]string{
				"Outbound requests per destination@api (zone-2)": "api-2 calls only db, over TCP", "Outbound latency p99 per destination@api (zone-2)": "api-2 calls only db, over TCP",
				"Outbound status codes per destination@api (zone-2)": "api-2 calls only db, over TCP",
				"Inbound 5xx per dataplane@api (zone-2)":             no5xx,
			}),
		},
		{
			name: "Exclusive Kubernetes on a global CP (built)", key: "kubernetes", fixture: "2.14.3-k8s-built", mesh: "default",
			scenario: envoysim.Kubernetes,
			served:   map[string]func(envoysim.Proxy) bool{"backend (zone-1)": servedIn(backendTag, "zone-1"), "backend (zone-2)": servedIn(backendTag, "zone-2")},
			empty:    with(k8sEmpty, map[string]string{"Inbound 5xx per dataplane@backend (zone-2)": no5xx}),
		},
		{
			name: "Unified naming on the MeshMetric path: no kuma_io_service (built)", key: "links-unified", fixture: "2.14.3-k8s-built", mesh: "default",
			scenario: envoysim.UnifiedMeshMetric,
			served:   map[string]func(envoysim.Proxy) bool{"backend (zone-1)": servedIn(backendTag, "zone-1"), "backend (zone-2)": servedIn(backendTag, "zone-2")},
			empty:    unifiedEmpty,
		},
		{
			name: "MeshMetric path with legacy naming and kuma_workload (built)", key: "meshmetric-workloads", fixture: "2.14.3-k8s-built", mesh: "default",
			scenario: envoysim.MeshMetricWorkloads,
			served:   map[string]func(envoysim.Proxy) bool{"backend (zone-1)": servedIn(backendTag, "zone-1"), "backend (zone-2)": servedIn(backendTag, "zone-2")},
			empty:    with(unifiedEmpty, map[string]string{"Inbound 5xx per dataplane@backend (zone-2)": no5xx, "Inbound 5xx per workload@backend (zone-2)": no5xx}),
		},
		{
			name: "Grouped by workload on the MeshMetric path (built)", key: "links-workloads", fixture: "2.14.3-k8s-built", mesh: "default",
			scenario: envoysim.Workloads, groupBy: "workload",
			// A workload node opens the service it backs, in every zone.
			served: map[string]func(envoysim.Proxy) bool{"backend (zone-1)": servedIn(backendTag, "zone-1"), "backend": servedIn(backendTag, "")},
			empty:  unifiedEmpty,
		},
	}
}

// TestServiceMapNodeLinksOpenTheServiceDashboardOfThatNode follows the link
// of each MeshService node of the map, in every naming mode, to the Service
// dashboard: the link must pass a service and zone the dashboard's
// variables offer, every panel must show data unless a reason says why,
// and the inbound requests must be what the scenario generated for the
// node's proxies.
func TestServiceMapNodeLinksOpenTheServiceDashboardOfThatNode(t *testing.T) {
	for _, m := range linkModes() {
		t.Run(m.name, func(t *testing.T) {
			st, nodes := mapFrame(t, m, 0, "nodes")
			scenario := m.scenario(testStart, testEnd)
			for id, served := range m.served {
				t.Run(id, func(t *testing.T) {
					picks := followNodeLink(t, nodes, id)
					require.NotContains(t, picks["service"], "_svc_", "the link passes the name the services list shows, not a proxy tag")
					runView(t, st, UIDService, picks, emptyFor(m.empty, id))
					got := valueOf(t, st, UIDService, "Inbound requests", picks)
					require.Len(t, got, 1)
					want := scenario.InboundRps(served)
					require.Positive(t, want)
					assert.InEpsilon(t, want, got[0], 0.02, "inbound requests of %s", id)
				})
			}
		})
	}
}

// mapFrame starts the mode's stack and runs its map query over every zone,
// grouped as the mode says; it returns the stack and the map's frame at
// index, checked to be the one called name.
func mapFrame(t *testing.T, m linkMode, index int, name string) (stack, *data.Frame) {
	t.Helper()
	st := newStackOn(t, m.key, m.fixture, m.scenario)
	q := map[string]any{"queryType": "mesh-graph", "mesh": m.mesh, "zone": ".*"}
	if m.groupBy != "" {
		q["groupBy"] = m.groupBy
	}
	f := runKuma(t, st, q)[index]
	require.Equal(t, name, f.Name)
	return st, f
}

// emptyFor are the panels expected empty for a node or edge id: those of
// every one and those marked "<title>@<id>".
func emptyFor(all map[string]string, id string) map[string]string {
	out := map[string]string{}
	for k, why := range all {
		title, node, found := strings.Cut(k, "@")
		if !found || node == id {
			out[title] = why
		}
	}
	return out
}

var fieldRef = regexp.MustCompile(`\$\{__data\.fields\.(\w+)\}`)

// followNodeLink fills the node's data link with its row, as Grafana does,
// checks that it opens the Service dashboard and returns its var- values.
func followNodeLink(t *testing.T, nodes *data.Frame, id string) map[string]string {
	t.Helper()
	picks := followLink(t, nodes, id, UIDService)
	delete(picks, "gateway")
	return picks
}

// followLink fills the first data link of a frame's id field with the row
// of id, as Grafana does, checks the dashboard it opens and returns its
// var- values.
func followLink(t *testing.T, f *data.Frame, id, uid string) map[string]string {
	t.Helper()
	idField, _ := f.FieldByName("id")
	require.NotNil(t, idField)
	row := -1
	for i := 0; i < f.Rows(); i++ {
		if idField.At(i) == id {
			row = i
		}
	}
	require.GreaterOrEqual(t, row, 0, "frame %s has a row %q", f.Name, id)
	require.NotEmpty(t, idField.Config.Links)
	link := fieldRef.ReplaceAllStringFunc(idField.Config.Links[0].URL, func(ref string) string {
		return url.QueryEscape(fieldAt(t, f, fieldRef.FindStringSubmatch(ref)[1], row))
	})
	u, err := url.Parse(link)
	require.NoError(t, err)
	require.Equal(t, "/d/"+uid, u.Path, "%s opens %s", id, uid)
	picks := map[string]string{}
	for name, values := range u.Query() {
		if v, ok := strings.CutPrefix(name, "var-"); ok {
			require.Len(t, values, 1, "one value of %s", name)
			picks[v] = values[0]
		}
	}
	return picks
}

// TestServiceMapEdgeLinksOpenServiceToServiceOfThatEdge follows the link of
// every HTTP edge of the map, in every naming mode, to Service to Service:
// every panel must show data unless a reason says why, and its request
// rate must be the edge's generated truth. The link passes the source's
// kuma.io/service and the target's node id (a workload node's: the service
// node it stands for), values the dashboard's lists do not offer (a tag,
// "api (zone-2)"): Grafana keeps a URL value, and the hidden variables
// resolve them.
func TestServiceMapEdgeLinksOpenServiceToServiceOfThatEdge(t *testing.T) {
	for _, m := range linkModes() {
		t.Run(m.name, func(t *testing.T) {
			st, edges := mapFrame(t, m, 1, "edges")
			for key, truth := range m.scenario(testStart, testEnd).Expected() {
				if truth.TCP {
					continue
				}
				id := key[0] + "->" + key[1]
				t.Run(id, func(t *testing.T) {
					picks := followLink(t, edges, id, UIDServiceToService)
					for _, v := range []string{"source_service", "destination_service"} {
						picks[v] = "=" + picks[v]
					}
					runView(t, st, UIDServiceToService, picks, emptyFor(m.pairEmpty, id))
					got := valueOf(t, st, UIDServiceToService, "Traffic", picks)
					require.Len(t, got, 1)
					assert.InEpsilon(t, truth.Rps, got[0], 0.02, "requests of %s", id)
				})
			}
		})
	}
}
