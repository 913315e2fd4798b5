package meshgraph

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// testCatalog has every kind of name of kuma-control-plane.md §10.5.
func testCatalog(exclusive bool) *catalog {
	insights := []kuma.Service{
		svc("backend", kuma.ServiceInternal, 1, 0),
		svc("backend_kuma-demo_svc_3001", kuma.ServiceInternal, 1, 0),
		svc("web.ns", kuma.ServiceInternal, 1, 0),
		svc("httpbin", kuma.ServiceExternal, 0, 0),
		svc("api-cafe", kuma.ServiceInternal, 1, 0),
		svc("my-db", kuma.ServiceInternal, 1, 0),
		svc("my-dc", kuma.ServiceInternal, 1, 0),
		svc("redis-0", kuma.ServiceInternal, 1, 0),
	}
	msvcs := []kuma.Service{
		{Name: "backend-api", ResourceName: "backend-api-w6c864z644zvc85x", Kind: kuma.ServiceMeshService, Zone: "zone-1",
			Namespace: "demo-app", Ports: []kuma.Port{{Name: "httpport", Port: 80}}},
		{Name: "remote", Kind: kuma.ServiceMeshService, Zone: "remote-zone", Ports: []kuma.Port{{Port: 80}}},
		{Name: "example", Kind: kuma.ServiceMeshExternalService, Ports: []kuma.Port{{Port: 9090}}},
		{Name: "multi-backend", Kind: kuma.ServiceMeshMultiZoneService, Ports: []kuma.Port{{Port: 80}}},
	}
	return newCatalog("default", exclusive, insights, msvcs, nil)
}

func TestClusterNameMapping(t *testing.T) {
	tests := []struct {
		name, cluster, want string
		wantOK              bool
	}{
		{"an outbound to a service is its sanitized name", "backend", "backend", true},
		{"a Kubernetes service tag maps to itself", "backend_kuma-demo_svc_3001", "backend_kuma-demo_svc_3001", true},
		{"characters outside [a-zA-Z0-9_-] were sanitized to _", "web_ns", "web.ns", true},
		{"a split cluster's 16-hex suffix is stripped", "backend-0123456789abcdef", "backend", true},
		{"a 2.2 TrafficRoute split suffix is stripped", "backend-_2_", "backend", true},
		{"an external service maps by name", "httpbin", "httpbin", true},
		{"a local legacy MeshService cluster leaves the zone empty", "default_backend-api_demo-app__msvc_80", "backend-api", true},
		{"a legacy MeshService cluster may carry its zone", "default_backend-api_demo-app_zone-1_msvc_80", "backend-api", true},
		{"a remote zone's MeshService copy names the zone", "default_remote__remote-zone_msvc_80", "remote", true},
		{"a MeshExternalService legacy cluster", "default_example___extsvc_9090", "example", true},
		{"a MeshMultiZoneService legacy cluster", "default_multi-backend___mzsvc_80", "multi-backend", true},
		{"a KRI with the port name as section", "kri_msvc_default_zone-1_demo-app_backend-api_httpport", "backend-api", true},
		{"a KRI with the port number as section", "kri_msvc_default_zone-1_demo-app_backend-api_80", "backend-api", true},
		{"a KRI of a hashed copy uses the resource name", "kri_msvc_default_zone-1_demo-app_backend-api-w6c864z644zvc85x_80", "backend-api", true},
		{"a KRI with an unlisted section is parsed by slot", "kri_msvc_default_zone-2_demo-app_backend-api_grpc", "backend-api", true},
		{"a KRI of an unknown MeshService is unmapped", "kri_msvc_default_zone-1_demo-app_nope_80", "kri_msvc_default_zone-1_demo-app_nope_80", false},
		{"an unknown legacy MeshService is unmapped", "default_nope___msvc_80", "default_nope___msvc_80", false},
		{"2.2–2.4 truncation of -<hex> is accepted when unique", "api", "api-cafe", true},
		{"2.2–2.4 truncation of a numeric suffix", "redis", "redis-0", true},
		{"an ambiguous truncation is unmapped", "my", "my", false},
		{"a split suffix of the wrong length is kept", "backend-0123", "backend-0123", false},
		{"an unknown cluster is unmapped under its name", "somewhere", "somewhere", false},
		{"an unknown split cluster is reported without the suffix", "somewhere-0123456789abcdef", "somewhere", false},
	}
	r := testCatalog(true).names
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := r.cluster(tt.cluster)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSanitize(t *testing.T) {
	tests := map[string]string{
		"backend":                    "backend",
		"backend_kuma-demo_svc_3001": "backend_kuma-demo_svc_3001",
		"web.ns:80":                  "web_ns_80",
		"outbound:passthrough:ipv4":  "outbound_passthrough_ipv4",
		"café":                       "caf_", // one rune, one underscore, as Go's regexp replaces
	}
	for in, want := range tests {
		assert.Equal(t, want, sanitize(in), in)
	}
}

func TestCatalogNodes(t *testing.T) {
	gws := []kuma.MeshGateway{{Name: "edge", Services: []string{"edge-gateway"}}}
	tests := []struct {
		name      string
		exclusive bool
		insights  []kuma.Service
		msvcs     []kuma.Service
		wantNodes []string
		wantLazy  []string
	}{
		{
			name:     "a mesh that is not Exclusive shows service-insights and keeps MeshServices for traffic only",
			insights: []kuma.Service{svc("backend", "", 1, 0), svc("edge-gateway", kuma.ServiceGatewayBuiltin, 1, 0)},
			msvcs: []kuma.Service{
				{Name: "backend", Kind: kuma.ServiceMeshService, Ports: []kuma.Port{{Port: 80}}},
				{Name: "other", Kind: kuma.ServiceMeshService, Ports: []kuma.Port{{Port: 80}}},
			},
			wantNodes: []string{"backend", "edge-gateway"}, wantLazy: []string{"other"},
		},
		{
			name: "an Exclusive mesh shows MeshServices, delegated gateways and MeshGateway services", exclusive: true,
			insights: []kuma.Service{svc("kong", kuma.ServiceGatewayDelegated, 1, 0)},
			msvcs: []kuma.Service{
				{Name: "redis", Kind: kuma.ServiceMeshService, Zone: "zone-1", Online: 1, Total: 1},
				{Name: "redis", Kind: kuma.ServiceMeshService, Zone: "zone-2", Offline: 1, Total: 1},
			},
			wantNodes: []string{"edge-gateway", "kong", "redis"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCatalog("default", tt.exclusive, tt.insights, tt.msvcs, gws)
			assert.ElementsMatch(t, tt.wantNodes, keys(c.nodes))
			assert.ElementsMatch(t, tt.wantLazy, keys(c.onDemand))
			assert.Equal(t, "edge", c.nodes["edge-gateway"].Gateway)
			if r, ok := c.nodes["redis"]; ok {
				assert.Equal(t, []string{"zone-1", "zone-2"}, r.Zones, "copies of one MeshService merge")
				assert.Equal(t, 2, r.Total)
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
