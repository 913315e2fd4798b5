package plugin

import (
	"context"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

func TestGatewayRowsJoinBuiltinAndDelegatedGateways(t *testing.T) {
	rows := gatewayRows(
		[]kuma.MeshGateway{{Name: "edge-gateway", Services: []string{"edge-gateway"}, Listeners: []kuma.Listener{{Port: 8080, Protocol: "HTTP"}}}},
		[]kuma.Service{
			{Name: "edge-gateway", Kind: kuma.ServiceGatewayBuiltin, Status: "online", Online: 1, Total: 2},
			{Name: "kong-gateway", Kind: kuma.ServiceGatewayDelegated, Status: "offline", Total: 1},
			{Name: "backend", Kind: kuma.ServiceInternal, Total: 2},
		})
	assert.Equal(t, []gateway{
		{Name: "edge-gateway", Kind: "builtin", Services: "edge-gateway", Listeners: "HTTP:8080", Status: "online", Online: 1, Total: 2},
		{Name: "kong-gateway", Kind: "delegated", Services: "kong-gateway", Status: "offline", Total: 1},
	}, rows)
}

// TestGatewaysFollowTheZone checks the zone filter of the gateways query on
// a multizone mesh: a builtin gateway is in every zone its proxies run in
// (its service's zones) and in the zone it was created in; a delegated
// gateway in its service's zones; one with no known zone is always listed.
func TestGatewaysFollowTheZone(t *testing.T) {
	cp := &fakeControlPlane{
		gateways: []kuma.MeshGateway{
			{Name: "edge", Services: []string{"edge"}},                    // created on global, proxies in zone-1 and zone-2
			{Name: "internal", Zone: "zone-3", Services: []string{"int"}}, // created in zone-3, no proxy yet
			{Name: "planned", Services: []string{"planned"}},              // no proxy, no zone
		},
		services: []kuma.Service{
			{Name: "edge", Kind: kuma.ServiceGatewayBuiltin, Zones: []string{"zone-2", "zone-1"}},
			{Name: "kong", Kind: kuma.ServiceGatewayDelegated, Zones: []string{"zone-1"}},
		},
	}
	d := newTestDatasource(cp, &fakeMetrics{})
	for zone, want := range map[string][]string{
		"":                {"edge", "internal", "kong", "planned"},
		".*":              {"edge", "internal", "kong", "planned"},
		"zone-1":          {"edge", "kong", "planned"},
		"zone-2":          {"edge", "planned"},
		"zone-3":          {"internal", "planned"},
		"(zone-2|zone-3)": {"edge", "internal", "planned"},
	} {
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
			query("A", "", `{"queryType":"gateways","mesh":"default","zone":"`+zone+`"}`)}})
		require.NoError(t, err)
		dr := res.Responses["A"]
		require.NoError(t, dr.Error, zone)
		var names []string
		for i := 0; i < dr.Frames[0].Rows(); i++ {
			names = append(names, dr.Frames[0].Fields[0].At(i).(string))
		}
		assert.Equal(t, want, names, "zone %q", zone)
	}
}

// TestGatewaysOfTheRecordedControlPlaneFollowTheZone runs the same filter
// on the recorded Kuma 2.14.3 zone "default", where edge-gateway (builtin)
// and kong-gateway (delegated) run.
func TestGatewaysOfTheRecordedControlPlaneFollowTheZone(t *testing.T) {
	d := replayedDatasource(t, "2.14.3")
	for zone, want := range map[string]int{"default": 2, "(default|zone-2)": 2, "zone-2": 0} {
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
			query("A", "", `{"queryType":"gateways","mesh":"default","zone":"`+zone+`"}`)}})
		require.NoError(t, err)
		require.NoError(t, res.Responses["A"].Error)
		assert.Equal(t, want, res.Responses["A"].Frames[0].Rows(), "zone %q", zone)
	}
}
