package plugin

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// TestPatternQueriesAgainstTheRecordedControlPlane checks the one-row
// answers dashboards use as hidden variables: which label values each
// pattern selects once Prometheus anchors it.
func TestPatternQueriesAgainstTheRecordedControlPlane(t *testing.T) {
	tests := []struct {
		name, json     string
		matches, never []string
	}{
		{"a destination matches its split and truncated cluster names", `{"queryType":"destination-clusters","mesh":"default","service":"backend"}`,
			[]string{"backend", "backend-0123456789abcdef", "backend-_1_"}, []string{"frontend", "backend-1", "backend2"}},
		{"a destination given as a cluster name resolves to its service", `{"queryType":"destination-clusters","mesh":"default","service":"backend-0123456789abcdef"}`,
			[]string{"backend", "backend-fedcba9876543210"}, []string{"frontend"}},
		{"a regex-escaped name from the frontend is unescaped", `{"queryType":"destination-clusters","mesh":"default","service":"web\\.ns"}`,
			[]string{"web_ns"}, []string{"web\\.ns", "webxns"}},
		{"an unknown destination matches itself", `{"queryType":"destination-clusters","mesh":"default","service":"mystery-svc"}`,
			[]string{"mystery-svc"}, []string{"mystery"}},
		{"a builtin gateway selects its services, not its zone-hashed name", `{"queryType":"gateway-services","mesh":"default","gateway":"edge-gateway"}`,
			[]string{"edge-gateway"}, []string{"edge-gateway-8b8f45f5242vbz24", "frontend"}},
		{"a delegated gateway is its own service", `{"queryType":"gateway-services","mesh":"default","gateway":"kong-gateway"}`,
			[]string{"kong-gateway"}, []string{"edge-gateway"}},
	}
	d := replayedDatasource(t, "2.14.3")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertPatternMatches(t, patternOf(t, d, tt.json), tt.matches, tt.never)
		})
	}
}

func TestPatternQueriesNeedTheirName(t *testing.T) {
	d := newTestDatasource(nil, &fakeMetrics{})
	for json, want := range map[string]error{
		`{"queryType":"destination-clusters","mesh":"default"}`: models.ErrMissingService,
		`{"queryType":"gateway-services","mesh":"default"}`:     models.ErrMissingGateway,
		`{"queryType":"proxy-services","mesh":"default"}`:       models.ErrMissingService,
		`{"queryType":"proxy-workloads","mesh":"default"}`:      models.ErrMissingService,
	} {
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", json)}})
		require.NoError(t, err)
		assert.ErrorIs(t, res.Responses["A"].Error, want)
		assert.Equal(t, backend.ErrorSourceDownstream, res.Responses["A"].ErrorSource)
	}
}

// TestProxyServicesResolvesAServiceToItsProxiesTags checks the hidden
// variable the Service dashboard selects proxies by, on every kind of mesh:
// on a Kubernetes Exclusive mesh the MeshService name differs from the tag
// its proxies carry; elsewhere the name is the tag.
func TestProxyServicesResolvesAServiceToItsProxiesTags(t *testing.T) {
	tests := []struct {
		name, fixture, mesh, service string
		matches, never               []string
	}{
		{"a Kubernetes MeshService resolves to its proxies' tag", "2.14.3-k8s-built", "default", "backend",
			[]string{"backend_kuma-demo_svc_3001", "backend"}, []string{"frontend_kuma-demo_svc_8080", "redis_kuma-demo_svc_6379"}},
		{"one zone's copy, as the map names its node, resolves to the same tag", "2.14.3-k8s-built", "default", `backend \(zone-2\)`,
			[]string{"backend_kuma-demo_svc_3001"}, []string{"frontend_kuma-demo_svc_8080"}},
		{"a tag a link passed matches itself", "2.14.3-k8s-built", "default", "redis_kuma-demo_svc_6379",
			[]string{"redis_kuma-demo_svc_6379"}, []string{"backend_kuma-demo_svc_3001"}},
		{"several services of a multi-value variable resolve together", "2.14.3-k8s-built", "default", "(frontend|redis)",
			[]string{"frontend_kuma-demo_svc_8080", "redis_kuma-demo_svc_6379"}, []string{"backend_kuma-demo_svc_3001"}},
		{"a universal Exclusive MeshService is its tag", "2.14.3-exclusive", "modern", "api",
			[]string{"api"}, []string{"web", "db"}},
		{"a MeshMultiZoneService is the tag of the MeshServices it selects", "2.14.3-exclusive", "modern", "api-mz",
			[]string{"api", "api-mz"}, []string{"web", "db"}},
		{"a legacy service is its own tag", "2.14.3", "default", "backend",
			[]string{"backend"}, []string{"backend_kuma-demo_svc_3001", "frontend", "backend-1"}},
		{"a regex-escaped legacy name matches only itself", "2.14.3", "default", `web\.ns`,
			[]string{"web.ns"}, []string{"webxns"}},
		{"a Kuma 2.2 service is its own tag", "2.2.9", "default", "backend",
			[]string{"backend"}, []string{"frontend"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pattern := patternOf(t, replayedDatasource(t, tt.fixture), serviceQuery("proxy-services", tt.mesh, tt.service))
			assertPatternMatches(t, pattern, tt.matches, tt.never)
		})
	}
}

// TestProxyWorkloadsResolvesAServiceToItsProxiesWorkloads checks the hidden
// variable the Service dashboard selects MeshMetric proxies by: the
// kuma.io/workload labels of the proxies a MeshService selects, whatever
// name of it a link or the list passes; nothing for a service whose
// proxies carry no workload.
func TestProxyWorkloadsResolvesAServiceToItsProxiesWorkloads(t *testing.T) {
	tests := []struct {
		name, fixture, mesh, service, want string
	}{
		{"a Kubernetes MeshService's workloads, canary included", "2.14.3-k8s-built", "default", "backend", `backend|backend-canary`},
		{"one zone's copy by its node id", "2.14.3-k8s-built", "default", `backend \(zone-2\)`, `backend`},
		{"its proxies' tag", "2.14.3-k8s-built", "default", "redis_kuma-demo_svc_6379", `redis`},
		{"several services of a multi-value variable", "2.14.3-k8s-built", "default", "(frontend|redis)", `frontend|redis`},
		{"All", "2.14.3-k8s-built", "default", ".*", `.*`},
		{"proxies without a workload label", "2.14.3-exclusive", "modern", "api", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, patternOf(t, replayedDatasource(t, tt.fixture), serviceQuery("proxy-workloads", tt.mesh, tt.service)))
		})
	}
}

// TestDataplanesOfAMeshServiceAreItsProxies checks the Service dashboard's
// dataplane table on a Kubernetes Exclusive mesh, where no proxy carries
// the MeshService name as kuma.io/service.
func TestDataplanesOfAMeshServiceAreItsProxies(t *testing.T) {
	d := replayedDatasource(t, "2.14.3-k8s-built")
	for service, want := range map[string][]string{
		// backend-canary-6f8d2 is a second workload behind backend in zone-1.
		"backend":                    {"backend-5b6c7", "backend-canary-6f8d2", "backend-9e8f7"},
		"backend_kuma-demo_svc_3001": {"backend-5b6c7", "backend-canary-6f8d2", "backend-9e8f7"},
		"redis":                      {"redis-0"},
	} {
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
			query("A", "", serviceQuery("dataplanes", "default", service))}})
		require.NoError(t, err)
		dr := res.Responses["A"]
		require.NoError(t, dr.Error, service)
		var names []string
		for i := 0; i < dr.Frames[0].Rows(); i++ {
			names = append(names, dr.Frames[0].Fields[0].At(i).(string))
		}
		assert.ElementsMatch(t, want, names, service)
	}
}

// serviceQuery is the JSON of a query for one service of a mesh.
func serviceQuery(queryType, mesh, service string) string {
	return `{"queryType":"` + queryType + `","mesh":"` + mesh + `","service":` + strconv.Quote(service) + `}`
}

// patternOf runs a query that answers one regex, a variable's single
// value, and returns it.
func patternOf(t *testing.T, d *Datasource, js string) string {
	t.Helper()
	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", js)}})
	require.NoError(t, err)
	dr := res.Responses["A"]
	require.NoError(t, dr.Error)
	require.Len(t, dr.Frames, 1)
	require.Equal(t, 1, dr.Frames[0].Rows(), "one row: the variable's single value")
	pattern, ok := dr.Frames[0].Fields[0].At(0).(string)
	require.True(t, ok, "the pattern is a string")
	return pattern
}

// assertPatternMatches checks that pattern, anchored as Prometheus anchors
// a regex matcher, matches every name of matches and none of never.
func assertPatternMatches(t *testing.T, pattern string, matches, never []string) {
	t.Helper()
	re := regexp.MustCompile("^(?:" + pattern + ")$")
	for _, v := range matches {
		assert.True(t, re.MatchString(v), "%q should match %s", v, pattern)
	}
	for _, v := range never {
		assert.False(t, re.MatchString(v), "%q should not match %s", v, pattern)
	}
}
