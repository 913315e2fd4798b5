package plugin

import (
	"testing"

	"github.com/stretchr/testify/assert"

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
