package kuma

import (
	"context"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
)

const testToken = "s3cret-token"

// replay starts the recorded CP under /prefix, requiring testToken, and a
// client for it.
func replay(t *testing.T, version string, opts ...cpreplay.Option) (*cpreplay.Server, *Client) {
	t.Helper()
	opts = append([]cpreplay.Option{cpreplay.WithPrefix("/prefix"), cpreplay.WithToken(testToken)}, opts...)
	srv := cpreplay.Start(t, version, opts...)
	c, err := NewClient(Config{Address: srv.URL + "/", Token: testToken})
	require.NoError(t, err)
	return srv, c
}

// assertRequests checks that every request was a GET to wantPaths in order,
// under the prefix, with the token, and paged with size=1000 from offset 0
// when it is a list.
func assertRequests(t *testing.T, srv *cpreplay.Server, wantPaths ...string) {
	t.Helper()
	reqs := srv.Requests()
	require.Len(t, reqs, len(wantPaths))
	for i, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method)
		assert.Equal(t, "/prefix"+wantPaths[i], r.Path)
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		wantQuery := "offset=0&size=1000"
		if wantPaths[i] == "/" || wantPaths[i] == "/config" {
			wantQuery = ""
		}
		assert.Equal(t, wantQuery, r.RawQuery, wantPaths[i])
	}
}

func TestClientReadsBothRecordedVersions(t *testing.T) {
	for _, version := range []string{"2.14.3", "2.2.9"} {
		modern := version == "2.14.3"
		t.Run(version, func(t *testing.T) {
			ctx := context.Background()

			t.Run("Info reads / and /config", func(t *testing.T) {
				srv, c := replay(t, version)
				info, err := c.Info(ctx)
				require.NoError(t, err)
				assert.Equal(t, "Kuma", info.Product)
				assert.Equal(t, "unknown", info.Version)
				assert.Equal(t, "kuma-control-plane-0", info.Hostname)
				assert.Equal(t, map[bool]Mode{true: ModeZone, false: ModeStandalone}[modern], info.Mode)
				assert.Equal(t, "universal", info.Environment)
				assert.False(t, info.Federated)
				assertRequests(t, srv, "/", "/config")
			})

			t.Run("Meshes lists both meshes with their backends", func(t *testing.T) {
				srv, c := replay(t, version)
				meshes, err := c.Meshes(ctx)
				require.NoError(t, err)
				assert.Equal(t, []Mesh{
					{Name: "default"},
					{Name: "payments", MTLSBackend: "ca-1", MetricsBackend: "prometheus-1"},
				}, meshes)
				assertRequests(t, srv, "/meshes")
			})

			t.Run("Zones lists the zone CP's own zone without Online", func(t *testing.T) {
				srv, c := replay(t, version)
				zones, err := c.Zones(ctx)
				require.NoError(t, err)
				if modern {
					assert.Equal(t, []Zone{{Name: "default", Enabled: true}}, zones)
				} else {
					assert.Empty(t, zones, "2.2 standalone lists no zone")
				}
				assertRequests(t, srv, "/zones+insights")
			})

			t.Run("ServiceInsights maps kinds and counters", func(t *testing.T) {
				srv, c := replay(t, version)
				services, err := c.ServiceInsights(ctx, "default")
				require.NoError(t, err)
				require.Len(t, services, 6)
				var zones []string
				if modern {
					zones = []string{"default"}
				}
				assert.Equal(t, Service{Mesh: "default", Name: "backend", ResourceName: "backend", Kind: ServiceInternal,
					Status: "offline", Offline: 2, Total: 2, AddressPort: "backend.mesh:80", Zones: zones}, services[0])
				kinds := map[string]ServiceKind{}
				for _, s := range services {
					kinds[s.Name] = s.Kind
				}
				assert.Equal(t, map[string]ServiceKind{
					"backend": ServiceInternal, "edge-gateway": ServiceGatewayBuiltin, "frontend": ServiceInternal,
					"httpbin": ServiceExternal, "kong-gateway": ServiceGatewayDelegated, "redis": ServiceInternal,
				}, kinds)
				assert.Equal(t, "not_available", services[3].Status)
				assertRequests(t, srv, "/meshes/default/service-insights")
			})

			t.Run("ServiceInsights of a missing mesh follow the version", func(t *testing.T) {
				_, c := replay(t, version)
				services, err := c.ServiceInsights(ctx, "nope")
				if !modern {
					require.NoError(t, err, "2.2 answers 200 with items null")
					assert.Empty(t, services)
					return
				}
				var kerr *Error
				require.ErrorAs(t, err, &kerr)
				assert.True(t, kerr.MeshNotFound())
				assert.True(t, backend.IsDownstreamError(err))
				assert.Equal(t, `control plane: GET /meshes/nope/service-insights: 404 Failed to retrieve Mesh: Not found; the mesh "nope" does not exist`, err.Error())
			})

			t.Run("Dataplanes maps gateways, services and zones", func(t *testing.T) {
				srv, c := replay(t, version)
				dps, err := c.Dataplanes(ctx, "default")
				require.NoError(t, err)
				require.Len(t, dps, 8)
				gatewayZone := ""
				if modern {
					gatewayZone = "default"
				}
				assert.Equal(t, Dataplane{Mesh: "default", Name: "edge-gateway-1", Zone: gatewayZone, Address: "127.0.0.9",
					Services: []string{"edge-gateway"}, Gateway: "builtin", Status: "offline"}, dps[2])
				assert.Equal(t, "delegated", dps[5].Gateway)
				assert.Equal(t, []string{"kong-gateway"}, dps[5].Services)
				assert.Equal(t, Dataplane{Mesh: "default", Name: "backend-1", Zone: "default", Address: "127.0.0.1",
					Services: []string{"backend"}, Status: "offline"}, dps[0])

				payments, err := c.Dataplanes(ctx, "payments")
				require.NoError(t, err)
				require.Len(t, payments, 1)
				assert.Equal(t, []string{"ledger-admin", "ledger_payments_svc_9000"}, payments[0].Services)
				assertRequests(t, srv, "/meshes/default/dataplanes+insights", "/meshes/payments/dataplanes+insights")
			})

			t.Run("MeshGateways reads selectors and listeners", func(t *testing.T) {
				srv, c := replay(t, version)
				gws, err := c.MeshGateways(ctx, "default")
				require.NoError(t, err)
				zone := "default" // the kuma.io/zone label Kuma 2.14 sets on a zone's resources
				if version == "2.2.9" {
					zone = ""
				}
				assert.Equal(t, []MeshGateway{{Mesh: "default", Name: "edge-gateway", Zone: zone, Services: []string{"edge-gateway"},
					Listeners: []Listener{{Hostname: "*", Port: 8080, Protocol: "HTTP"}}}}, gws)
				assertRequests(t, srv, "/meshes/default/meshgateways")
			})

			t.Run("MeshServices are empty, and a CP without the routes is no error", func(t *testing.T) {
				srv, c := replay(t, version)
				services, err := c.MeshServices(ctx, "default")
				require.NoError(t, err)
				assert.Empty(t, services)
				assertRequests(t, srv, "/meshes/default/meshservices", "/meshes/default/meshexternalservices",
					"/meshes/default/meshmultizoneservices")
			})
		})
	}
}

func TestInfoFallsBackWhenConfigIsForbidden(t *testing.T) {
	srv, c := replay(t, "2.14.3", cpreplay.WithConfigStatus(http.StatusForbidden))
	info, err := c.Info(context.Background())
	require.NoError(t, err)
	// One zone, mesh insights present: nothing tells the mode apart.
	assert.Equal(t, ModeUnknown, info.Mode)
	assert.Equal(t, "Kuma", info.Product)
	assert.Len(t, srv.Requests(), 5)
}

func TestNewClientValidatesTheAddress(t *testing.T) {
	tests := []struct {
		name, address, wantErr string
	}{
		{"an empty address is refused", "", "invalid URL"},
		{"a scheme other than http(s) is refused", "ftp://kuma:5681", "want http(s)"},
		{"a missing host is refused", "http://", "want http(s)"},
		{"a query is refused", "http://kuma:5681/?a=b", "remove the query"},
		{"a plain address is fine", "http://kuma:5681", ""},
		{"a path prefix is fine", "https://host/kuma/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(Config{Address: tt.address})
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestClientIsSafeForConcurrentUse(t *testing.T) {
	srv, c := replay(t, "2.14.3")
	c.pageSize = 2
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			services, err := c.ServiceInsights(context.Background(), "default")
			if err == nil && len(services) != 6 {
				err = assert.AnError
			}
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	assert.Len(t, srv.Requests(), 24)
}
