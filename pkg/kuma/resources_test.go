package kuma

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
)

// serveFile answers with a file of testdata/.
func serveFile(t *testing.T, name string) http.HandlerFunc {
	body, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return respond(http.StatusOK, "application/json", string(body))
}

func TestZonesOfAGlobalControlPlane(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /zones+insights", serveFile(t, "zones+insights_global.json"))
	zones, err := c.Zones(context.Background())
	require.NoError(t, err)
	yes, no := true, false
	assert.Equal(t, []Zone{
		{Name: "zone-1", Enabled: true, Online: &yes, Version: "2.14.3", Environment: "kubernetes"},
		{Name: "zone-2", Enabled: true, Online: &no, Version: "2.14.3"},
		{Name: "zone-3", Enabled: false},
	}, zones)
}

func TestDataplaneStatusFollowsInsightsAndInbounds(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /meshes/default/dataplanes+insights", serveFile(t, "dataplanes+insights_online.json"))
	dps, err := c.Dataplanes(context.Background(), "default")
	require.NoError(t, err)
	assert.Equal(t, []Dataplane{
		{Mesh: "default", Name: "backend-7d9f.kuma-demo", DisplayName: "backend-7d9f", Zone: "zone-1", Address: "10.0.0.1",
			Services: []string{"backend_kuma-demo_svc_3001"}, Online: true, Status: "online", KumaDPVersion: "2.14.3", EnvoyVersion: "1.36.2"},
		{Mesh: "default", Name: "ledger-1", Zone: "zone-2", Address: "10.0.0.2",
			Services: []string{"admin", "ledger"}, Online: true, Status: "partially_degraded"},
		{Mesh: "default", Name: "redis-1", Address: "10.0.0.3",
			Services: []string{"redis"}, Online: true, Status: "offline"},
		{Mesh: "default", Name: "edge-1", Address: "10.0.0.4", Services: []string{"edge"}, Gateway: "builtin",
			Online: true, Status: "online", KumaDPVersion: "2.14.3", EnvoyVersion: "1.36.2"},
		{Mesh: "default", Name: "gone-1", Address: "10.0.0.5", Services: []string{"web"}, Status: "offline"},
	}, dps)
}

func TestMeshServicesOfAnExclusiveMesh(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /meshes/excl/meshservices", serveFile(t, "meshservices_exclusive.json"))
	mux.HandleFunc("GET /meshes/excl/meshexternalservices", serveFile(t, "meshexternalservices.json"))
	mux.HandleFunc("GET /meshes/excl/meshmultizoneservices", serveFile(t, "meshmultizoneservices.json"))
	services, err := c.MeshServices(context.Background(), "excl")
	require.NoError(t, err)
	assert.Equal(t, []Service{
		{Mesh: "excl", Name: "redis", ResourceName: "redis", Kind: ServiceMeshService, Status: "online",
			Online: 1, Total: 1, Zone: "zone-1", Zones: []string{"zone-1"}, Ports: []Port{{Name: "tcp-port", Port: 6379}},
			KRI:          "kri_msvc_excl_zone-1__redis_",
			Labels:       map[string]string{"kuma.io/display-name": "redis", "kuma.io/managed-by": "meshservice-generator", "kuma.io/zone": "zone-1"},
			SelectorTags: map[string]string{"kuma.io/service": "redis"}},
		{Mesh: "excl", Name: "backend", ResourceName: "backend-5c7b8d6f9d", Kind: ServiceMeshService, Status: "partially_degraded",
			Online: 1, Offline: 2, Total: 3, Zone: "zone-2", Zones: []string{"zone-2"}, Namespace: "kuma-demo", Ports: []Port{{Name: "http", Port: 80}, {Port: 8080}},
			Labels: map[string]string{"k8s.kuma.io/namespace": "kuma-demo", "kuma.io/display-name": "backend", "kuma.io/origin": "global", "kuma.io/zone": "zone-2"}},
		{Mesh: "excl", Name: "idle", ResourceName: "idle", Kind: ServiceMeshService, Status: "offline", Ports: []Port{{Port: 80}}},
		{Mesh: "excl", Name: "httpbin", ResourceName: "httpbin", Kind: ServiceMeshExternalService, Status: "not_available",
			Ports: []Port{{Port: 443}}},
		// A MeshMultiZoneService counts the MeshServices its selector matches.
		{Mesh: "excl", Name: "multi-backend", ResourceName: "multi-backend", Kind: ServiceMeshMultiZoneService,
			Status: "partially_degraded", Online: 1, Offline: 2, Total: 3, Zones: []string{"zone-2"},
			Ports: []Port{{Name: "http", Port: 80}}, MeshServiceLabels: map[string]string{"kuma.io/display-name": "backend"}},
	}, services)
}

func TestMeshReadsOneMesh(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /meshes/excl", respond(200, "application/json",
		`{"type":"Mesh","name":"excl","meshServices":{"mode":"Exclusive"}}`))
	m, err := c.Mesh(context.Background(), "excl")
	require.NoError(t, err)
	assert.Equal(t, Mesh{Name: "excl", MeshServicesMode: MeshServicesExclusive}, m)
	assert.True(t, m.Exclusive())
}

func TestInfoModes(t *testing.T) {
	tests := []struct {
		name          string
		index, config string // config "" means 403
		zones         int
		meshes        int
		meshInsights  int
		wantMode      Mode
		wantFederated bool
		wantEnv       string
	}{
		{name: "a federated zone from /config", index: `{"product":"Kuma","version":"2.14.3","gui":""}`,
			config:   `{"mode":"zone","environment":"kubernetes","multizone":{"zone":{"name":"zone-1","globalAddress":"grpcs://global:5685"}}}`,
			wantMode: ModeZone, wantFederated: true, wantEnv: "kubernetes"},
		{name: "a global from /config", index: `{"product":"Kuma","version":"2.14.3","gui":"/gui"}`,
			config: `{"mode":"global","environment":"universal"}`, wantMode: ModeGlobal, wantEnv: "universal"},
		{name: "forbidden /config and an empty gui on 2.9+ mean a federated zone",
			index: `{"product":"Kong Mesh","version":"2.9.1","gui":""}`, wantMode: ModeZone, wantFederated: true},
		{name: "forbidden /config and several zones mean a global",
			index: `{"product":"Kong Mesh","version":"2.9.1","gui":"/gui"}`, zones: 3, wantMode: ModeGlobal},
		{name: "forbidden /config and meshes without insights mean a federated zone",
			index: `{"product":"Kong Mesh","version":"2.4.0"}`, zones: 0, meshes: 2, wantMode: ModeZone, wantFederated: true},
		{name: "forbidden /config and nothing conclusive is unknown",
			index: `{"product":"Kong Mesh","version":"unknown","gui":""}`, zones: 1, meshes: 2, meshInsights: 2, wantMode: ModeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux, c := setup(t, Config{})
			mux.HandleFunc("GET /{$}", respond(200, "application/json", tt.index))
			if tt.config == "" {
				mux.HandleFunc("GET /config", respond(403, "application/json",
					`{"type":"/std-errors","status":403,"title":"Access Denied","detail":"forbidden"}`))
			} else {
				mux.HandleFunc("GET /config", respond(200, "application/json", tt.config))
			}
			total := func(n int) http.HandlerFunc {
				return respond(200, "application/json", fmt.Sprintf(`{"total":%d,"items":[],"next":null}`, n))
			}
			mux.HandleFunc("GET /zones", total(tt.zones))
			mux.HandleFunc("GET /meshes", total(tt.meshes))
			mux.HandleFunc("GET /mesh-insights", total(tt.meshInsights))
			info, err := c.Info(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.wantMode, info.Mode)
			assert.Equal(t, tt.wantFederated, info.Federated)
			assert.Equal(t, tt.wantEnv, info.Environment)
		})
	}
}

func TestInfoFailsWhenConfigFails(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /{$}", respond(200, "application/json", `{"product":"Kuma","version":"2.14.3"}`))
	mux.HandleFunc("GET /config", respond(500, "text/plain", "boom"))
	_, err := c.Info(context.Background())
	assert.EqualError(t, err, "control plane: GET /config: 500 Internal Server Error: boom")
}

func TestInfoFailsWithoutAValidToken(t *testing.T) {
	tests := []struct {
		name, token, wantErr string
		configStatus         int
	}{
		{name: "no token against a CP that needs one",
			wantErr: "control plane: GET /config: 401 Invalid authentication data: Unauthenticated; set a control-plane token (cpToken)"},
		{name: "a wrong token", token: "wrong", wantErr: "check the control-plane token (cpToken): it is invalid or expired"},
		{name: "a wrong token where /config is forbidden to everyone", token: "wrong", configStatus: http.StatusForbidden,
			wantErr: "check the control-plane token (cpToken): it is invalid or expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []cpreplay.Option{cpreplay.WithToken(testToken)}
			if tt.configStatus != 0 {
				opts = append(opts, cpreplay.WithConfigStatus(tt.configStatus))
			}
			srv := cpreplay.Start(t, "2.14.3", opts...)
			c, err := NewClient(Config{Address: srv.URL, Token: tt.token})
			require.NoError(t, err)
			_, err = c.Info(context.Background())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.True(t, backend.IsDownstreamError(err))
		})
	}
}

func TestInfoFailsWhenMeshesAreForbidden(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /{$}", respond(200, "application/json", `{"product":"Kong Mesh","version":"2.9.1"}`))
	forbidden := respond(403, "application/json", `{"type":"/std-errors","status":403,"title":"Access Denied","detail":"forbidden"}`)
	mux.HandleFunc("GET /config", forbidden)
	mux.HandleFunc("GET /meshes", forbidden)
	_, err := c.Info(context.Background())
	assert.EqualError(t, err, "control plane: GET /meshes: 403 Access Denied: forbidden; "+
		"the control-plane token (cpToken) lacks read access to this resource; set or check it")
}
