package meshgraph

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// testCatalog has every kind of cluster name of docs/kuma-naming.md.
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
			wantNodes: []string{"edge-gateway", "kong", "redis (zone-1)", "redis (zone-2)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCatalog("default", tt.exclusive, tt.insights, tt.msvcs, gws)
			assert.ElementsMatch(t, tt.wantNodes, keys(c.nodes))
			assert.ElementsMatch(t, tt.wantLazy, keys(c.onDemand))
			assert.Equal(t, "edge", c.nodes["edge-gateway"].Gateway)
			if r, ok := c.nodes["redis (zone-2)"]; ok {
				assert.Equal(t, []string{"zone-2"}, r.Zones, "each zone's copy is a node of its own")
				assert.Equal(t, "redis", r.Service)
				assert.Equal(t, 1, r.Offline)
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

// TestCallerResolution checks that a caller's proxy labels lead to the node
// it belongs to in each mode, with no phantom node.
func TestCallerResolution(t *testing.T) {
	msvcs := []kuma.Service{
		// Universal, generated from the tag (the recorded global CP).
		{Name: "api", ResourceName: "api-c24f4x84ww4v4d96", Kind: kuma.ServiceMeshService, Zone: "zone-1",
			SelectorTags: map[string]string{"kuma.io/service": "api"}, Ports: []kuma.Port{{Name: "8080", Port: 8080}}},
		{Name: "api", ResourceName: "api-c24f4w84ww4v4bf4", Kind: kuma.ServiceMeshService, Zone: "zone-2",
			SelectorTags: map[string]string{"kuma.io/service": "api"}, Ports: []kuma.Port{{Name: "8080", Port: 8080}}},
		{Name: "web", Kind: kuma.ServiceMeshService, Zone: "zone-1", ServiceTags: []string{"web"}, Ports: []kuma.Port{{Port: 8080}}},
		// Kubernetes, generated from a Service.
		{Name: "backend", Kind: kuma.ServiceMeshService, Zone: "zone-1", Namespace: "kuma-demo",
			SelectorTags: map[string]string{"app": "backend", "k8s.kuma.io/namespace": "kuma-demo"}, Ports: []kuma.Port{{Name: "http", Port: 3001}}},
	}
	r := newCatalog("modern", true, nil, msvcs, nil).names
	tests := []struct {
		name, tag, zone, want string
		wantOK                bool
	}{
		{"a universal tag resolves to its zone's copy", "api", "zone-2", "api (zone-2)", true},
		{"the same tag in the other zone", "api", "zone-1", "api (zone-1)", true},
		{"a tag of one copy resolves from a zone without it", "web", "zone-2", "web", true},
		{"a Kubernetes tag resolves to the MeshService of its name and namespace", "backend_kuma-demo_svc_3001", "zone-1", "backend", true},
		{"a Kubernetes tag with a port the list lacks", "backend_kuma-demo_svc_9090", "zone-1", "backend", true},
		{"a Kubernetes tag of another namespace is not that service", "backend_other_svc_3001", "zone-1", "backend_other_svc_3001", false},
		{"an unknown tag stays as it is", "batch", "zone-1", "batch", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := r.source(tt.tag, tt.zone)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestKubernetesServiceTag(t *testing.T) {
	name, ns, port, ok := kubernetesServiceTag("backend_kuma-demo_svc_3001")
	assert.True(t, ok)
	assert.Equal(t, []string{"backend", "kuma-demo", "3001"}, []string{name, ns, port})
	for _, tag := range []string{"backend", "backend_svc_80", "backend_ns_svc_http", "_ns_svc_80", "a_b_c_80"} {
		_, _, _, ok := kubernetesServiceTag(tag)
		assert.False(t, ok, tag)
	}
}

func TestWorkloadResolution(t *testing.T) {
	backend := kuma.Service{Name: "backend", Kind: kuma.ServiceMeshService, Zone: "zone-1", Namespace: "kuma-demo",
		SelectorTags: map[string]string{"app": "backend", "k8s.kuma.io/namespace": "kuma-demo"}, Ports: []kuma.Port{{Port: 3001}}}
	remote := backend
	remote.Zone = "zone-2"
	dps := []kuma.DataplaneIdentity{
		{Name: "backend-1", Zone: "zone-1", Workload: "backend", InboundTags: []map[string]string{
			{"app": "backend", "k8s.kuma.io/namespace": "kuma-demo", "kuma.io/service": "backend_kuma-demo_svc_3001"}}},
		{Name: "backend-2", Zone: "zone-2", Workload: "backend", InboundTags: []map[string]string{
			{"app": "backend", "k8s.kuma.io/namespace": "kuma-demo", "kuma.io/service": "backend_kuma-demo_svc_3001"}}},
		{Name: "job-1", Zone: "zone-1", Workload: "job", InboundTags: []map[string]string{{"app": "job"}}},
	}
	c := newCatalog("default", true, nil, []kuma.Service{backend, remote}, nil)
	c.addWorkloads(dps)
	for _, tt := range []struct{ workload, zone, want string }{
		{"backend", "zone-1", "backend (zone-1)"},
		{"backend", "zone-2", "backend (zone-2)"},
	} {
		got, ok := c.names.workload(tt.workload, tt.zone)
		assert.True(t, ok)
		assert.Equal(t, tt.want, got)
	}
	_, ok := c.names.workload("backend", "zone-3")
	assert.False(t, ok, "two zones back the workload: a third zone cannot pick one")
	_, ok = c.names.workload("job", "zone-1")
	assert.False(t, ok, "a workload that backs no MeshService stays unknown")

	legacy := newCatalog("default", false, []kuma.Service{svc("backend_kuma-demo_svc_3001", kuma.ServiceInternal, 1, 0)}, nil, nil)
	legacy.addWorkloads(dps[:1])
	got, ok := legacy.names.workload("backend", "zone-1")
	assert.True(t, ok)
	assert.Equal(t, "backend_kuma-demo_svc_3001", got, "outside Exclusive meshes a workload maps to its kuma.io/service")
}
