package dashboards

import (
	"regexp"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
)

// TestServiceMapLinksOpenGeneratedDashboards follows every data link of the
// service map's frames, for a service, a gateway and a cross-zone edge, and
// checks that the dashboard it opens is one the generator writes.
func TestServiceMapLinksOpenGeneratedDashboards(t *testing.T) {
	g := &meshgraph.Graph{
		Nodes: []meshgraph.Node{
			{ID: "api (zone-2)", Kind: kuma.ServiceMeshService, Zones: []string{"zone-2"}},
			{ID: "edge", Kind: kuma.ServiceGatewayBuiltin, Gateway: "edge"},
			{ID: "web", Kind: kuma.ServiceInternal, Zones: []string{"zone-1"}},
		},
		Edges: []meshgraph.Edge{
			{Source: "edge", Target: "web", SourceZones: []string{"zone-1"}, DestinationZones: []string{"zone-1"}},
			{Source: "web", Target: "api (zone-2)", SourceZones: []string{"zone-1"}, DestinationZones: []string{"zone-2"}},
		},
	}
	generated := map[string]bool{}
	for _, s := range All() {
		generated[s.UID] = true
	}
	opened := map[string]bool{}
	for _, f := range g.Frames(meshgraph.FrameOptions{Mesh: "default"}) {
		for _, field := range f.Fields {
			if field.Config == nil {
				continue
			}
			for _, link := range field.Config.Links {
				for row := 0; row < f.Rows(); row++ {
					uid := linkedUID(t, f, link.URL, row)
					assert.True(t, generated[uid], "link %q of frame %s opens %q, which no generated dashboard has", link.Title, f.Name, uid)
					opened[uid] = true
				}
			}
		}
	}
	for _, uid := range []string{UIDService, UIDGateway, UIDServiceToService, UIDZoneIngress, UIDZoneEgress} {
		assert.True(t, opened[uid], "the map links to %s", uid)
	}
}

var dashboardPath = regexp.MustCompile(`^/d/([^/?]+)`)

// linkedUID is the dashboard uid of a link URL in one row, with a
// ${__data.fields.x} uid replaced by that row's value.
func linkedUID(t *testing.T, f *data.Frame, url string, row int) string {
	t.Helper()
	m := dashboardPath.FindStringSubmatch(url)
	require.NotNil(t, m, "link %q names no dashboard", url)
	uid := m[1]
	if ref := regexp.MustCompile(`^\$\{__data\.fields\.(\w+)\}$`).FindStringSubmatch(uid); ref != nil {
		field, _ := f.FieldByName(ref[1])
		require.NotNil(t, field, "link %q reads field %s", url, ref[1])
		uid = field.At(row).(string)
	}
	return uid
}
