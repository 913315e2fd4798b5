package meshgraph

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// TestClusterPatternIsTheInverseOfTheMapping: the pattern of a service
// matches exactly the cluster names the service map maps to it, among
// every name form of TestClusterNameMapping.
func TestClusterPatternIsTheInverseOfTheMapping(t *testing.T) {
	clusters := []string{
		"backend", "backend-0123456789abcdef", "backend-_2_", "backend_kuma-demo_svc_3001", "web_ns", "httpbin",
		"default_backend-api_demo-app__msvc_80", "default_backend-api_demo-app_zone-1_msvc_80",
		"kri_msvc_default_zone-1_demo-app_backend-api_httpport", "kri_msvc_default_zone-2_demo-app_backend-api_grpc",
		"kri_msvc_default_zone-1_demo-app_backend-api-w6c864z644zvc85x_80", "default_backend-api_demo-app__msvc_80-0123456789abcdef",
		"default_remote__remote-zone_msvc_80", "default_example___extsvc_9090", "default_multi-backend___mzsvc_80",
		"api", "redis", "redis-0", "my", "somewhere", "backend-0123",
	}
	r := testCatalog(true).names
	for _, service := range []string{"backend", "backend-api", "web.ns", "api-cafe", "redis-0", "remote", "example", "multi-backend", "httpbin"} {
		t.Run(service, func(t *testing.T) {
			re, err := regexp.Compile("^(?:" + r.clusterPattern(service) + ")$")
			require.NoError(t, err)
			matched := 0
			for _, c := range clusters {
				got, ok := r.cluster(c)
				want := ok && got == service
				assert.Equal(t, want, re.MatchString(c), "cluster %q (maps to %q, %v)", c, got, ok)
				if want {
					matched++
				}
			}
			assert.Positive(t, matched)
		})
	}
}

func TestClusterPatternAcceptsAClusterNameOrAnUnknownName(t *testing.T) {
	r := testCatalog(true).names
	assert.Equal(t, r.clusterPattern("backend-api"), r.clusterPattern("kri_msvc_default_zone-1_demo-app_backend-api_80"),
		"a link that passes a cluster name resolves to the service's clusters")
	assert.Equal(t, `somewhere(?:-[0-9a-f]{16}|-_[0-9]+_)?`, r.clusterPattern("somewhere-0123456789abcdef"))
}

func TestClusterPatternOfMeshServiceCopies(t *testing.T) {
	msvcs := []kuma.Service{
		{Name: "api", Kind: kuma.ServiceMeshService, Zone: "zone-1", Ports: []kuma.Port{{Name: "8080", Port: 8080}}},
		{Name: "api", Kind: kuma.ServiceMeshService, Zone: "zone-2", Ports: []kuma.Port{{Name: "8080", Port: 8080}}},
	}
	r := newCatalog("modern", true, nil, msvcs, nil).names
	both := regexp.MustCompile("^" + r.clusterPattern("api") + "$")
	one := regexp.MustCompile("^" + r.clusterPattern("api (zone-2)") + "$")
	for _, name := range []string{"modern_api__zone-1_msvc_8080", "kri_msvc_modern_zone-1__api_8080"} {
		assert.True(t, both.MatchString(name), "the display name covers every copy: %s", name)
		assert.False(t, one.MatchString(name), "a node id covers its own copy only: %s", name)
	}
	for _, name := range []string{"modern_api__zone-2_msvc_8080", "kri_msvc_modern_zone-2__api_8080"} {
		assert.True(t, both.MatchString(name), name)
		assert.True(t, one.MatchString(name), name)
	}
}
