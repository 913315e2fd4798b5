package meshgraph

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

func TestFrameLinksEscapeMeshAndZones(t *testing.T) {
	g := &Graph{Nodes: []Node{{ID: "a", Kind: kuma.ServiceInternal}}}
	// A node's link passes its row's zone (one zone's MeshService copy, or
	// the map's one zone), except when the map has several zones.
	tests := []struct {
		name             string
		opts             FrameOptions
		scope, nodeScope string
	}{
		{"all zones", FrameOptions{Mesh: "default"}, "var-mesh=default&var-zone=$__all", "var-mesh=default&var-zone=${__data.fields.link_zone}"},
		{"selected zones", FrameOptions{Mesh: "default", Zones: []string{"zone-1", "zone-2"}}, "var-mesh=default&var-zone=zone-1&var-zone=zone-2",
			"var-mesh=default&var-zone=zone-1&var-zone=zone-2"},
		{"characters that would break the URL", FrameOptions{Mesh: "a b&c=#", Zones: []string{"z?1"}}, "var-mesh=a+b%26c%3D%23&var-zone=z%3F1",
			"var-mesh=a+b%26c%3D%23&var-zone=${__data.fields.link_zone}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames := g.Frames(tt.opts)
			nodeLinks := frames[0].Fields[0].Config.Links
			require.Len(t, nodeLinks, 1)
			assert.Equal(t, "/d/${__data.fields.dashboard_uid}?"+tt.nodeScope+
				"&var-service=${__data.fields.service}&var-gateway=${__data.fields.gateway}&${__url_time_range}", nodeLinks[0].URL)
			assert.Contains(t, nodeLinks[0].Title, "Kuma/")
			title, _ := frames[0].FieldByName("title")
			assert.Equal(t, nodeLinks, title.Config.Links)
			edgeLinks := frames[1].Fields[0].Config.Links
			require.Len(t, edgeLinks, 1)
			assert.Equal(t, "/d/kuma-service-to-service?"+tt.scope+
				"&var-source_service=${__data.fields.source_service}&var-destination_service=${__data.fields.destination_service}&${__url_time_range}", edgeLinks[0].URL)
		})
	}
}

// TestNodeLinksPassTheNamesTheDashboardsOffer: the Service dashboard's
// $service lists a MeshService by its display name and $zone by zone, so a
// copy's link passes those, not its proxies' tag or its node id.
func TestNodeLinksPassTheNamesTheDashboardsOffer(t *testing.T) {
	g := &Graph{Nodes: []Node{
		{ID: "backend (zone-1)", Kind: kuma.ServiceMeshService, Zones: []string{"zone-1"}, Service: "backend_kuma-demo_svc_3001", ListName: "backend"},
		{ID: "backend", Kind: KindWorkload, Zones: []string{"zone-1", "zone-2"}, Service: "backend_kuma-demo_svc_3001", ListName: "backend"},
		{ID: "web", Kind: kuma.ServiceInternal, Zones: []string{"zone-1"}},
	}}
	for _, tt := range []struct {
		zones     []string
		wantZones []string
	}{
		{nil, []string{"zone-1", "$__all", "$__all"}},
		{[]string{"zone-2"}, []string{"zone-1", "zone-2", "zone-2"}},
	} {
		nodes := g.Frames(FrameOptions{Mesh: "default", Zones: tt.zones})[0]
		service, _ := nodes.FieldByName("service")
		zone, _ := nodes.FieldByName("link_zone")
		assert.Equal(t, []string{"backend", "backend", "web"}, values[string](service))
		assert.Equal(t, tt.wantZones, values[string](zone), "map zones %v", tt.zones)
	}
}

func TestFrameNodesPickTheirDashboardAndArcs(t *testing.T) {
	g := &Graph{Nodes: []Node{
		{ID: "api", Kind: kuma.ServiceInternal, Received: Requests{ByClass: [4]float64{6, 2, 1, 1}, Total: 10}},
		{ID: "edge", Kind: kuma.ServiceGatewayBuiltin, Gateway: "edge-gw"},
		{ID: "kong", Kind: kuma.ServiceGatewayDelegated},
	}}
	nodes := g.Frames(FrameOptions{Mesh: "default"})[0]
	uid, _ := nodes.FieldByName("dashboard_uid")
	assert.Equal(t, []string{"kuma-service", "kuma-gateway", "kuma-gateway"}, values[string](uid))
	for row := 0; row < nodes.Rows(); row++ {
		var sum float64
		for _, f := range nodes.Fields {
			if len(f.Name) > 5 && f.Name[:5] == "arc__" {
				sum += f.At(row).(float64)
			}
		}
		assert.InDelta(t, 1, sum, 1e-9, "arcs of row %d sum to 1", row)
	}
	arc5, _ := nodes.FieldByName("arc__5xx")
	assert.Equal(t, map[string]any{"mode": "fixed", "fixedColor": "red"}, arc5.Config.Color)
	idle, _ := nodes.FieldByName("arc__idle")
	assert.Equal(t, []float64{0, 1, 1}, values[float64](idle))
	success, _ := nodes.FieldByName("secondarystat")
	assert.Equal(t, "percent", success.Config.Unit)
	assert.Equal(t, []float64{90, 100, 100}, values[float64](success))
}

func values[T any](f *data.Field) []T {
	out := make([]T, f.Len())
	for i := range out {
		out[i] = f.At(i).(T)
	}
	return out
}
