package meshgraph

import (
	"regexp"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

func TestWindow(t *testing.T) {
	to := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		from time.Time
		want time.Duration
	}{
		{"a past hour is 3600s", to.Add(-time.Hour), time.Hour},
		{"fractions of a second are cut", to.Add(-90*time.Second - 700*time.Millisecond), 90 * time.Second},
		{"a short window is widened to 60s", to.Add(-10 * time.Second), time.Minute},
		{"a reversed range is 60s", to.Add(time.Hour), time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, windowOf(tt.from, to)) })
	}
	q := newQueries("default", time.Hour, models.DefaultLabelNames, nil)
	assert.Contains(t, q[queryClasses], "increase(envoy_cluster_upstream_rq_xx{")
	assert.Contains(t, q[queryClasses], "}[3600s])")
}

// TestMeshNameCannotChangeQueries parses every query with Prometheus's own
// parser and checks that each selector matches exactly the mesh given.
func TestMeshNameCannotChangeQueries(t *testing.T) {
	meshes := []string{"default", `a"b`, `a\`, `a}b`, "a\nb", `x",mesh=~".*`, `\"} or vector(1) #`}
	p := parser.NewParser(parser.Options{})
	for _, mesh := range meshes {
		t.Run(mesh, func(t *testing.T) {
			for _, q := range newQueries(mesh, time.Hour, models.DefaultLabelNames, nil) {
				expr, err := p.ParseExpr(q)
				require.NoError(t, err, q)
				selectors := 0
				parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
					vs, ok := node.(*parser.VectorSelector)
					if !ok {
						return nil
					}
					selectors++
					var meshMatchers []*labels.Matcher
					for _, m := range vs.LabelMatchers {
						if m.Name == "mesh" {
							meshMatchers = append(meshMatchers, m)
						}
					}
					require.Len(t, meshMatchers, 1, q)
					assert.Equal(t, labels.MatchEqual, meshMatchers[0].Type)
					assert.Equal(t, mesh, meshMatchers[0].Value)
					return nil
				})
				assert.Positive(t, selectors)
			}
		})
	}
}

func TestQueriesUseLabelOverrides(t *testing.T) {
	l := models.LabelNames{Mesh: "k_mesh", Service: "service", Zone: "zone", Gateway: "gw"}.WithDefaults()
	q := newQueries("default", time.Hour, l, nil)
	assert.Contains(t, q[queryTotal], `sum by (service,zone,envoy_cluster_name,kuma_workload,kuma_proxy_role) (`, "the MeshMetric zone label is the configured one")
	assert.Contains(t, newQueries("default", time.Hour, models.LabelNames{}.WithDefaults(), nil)[queryTotal],
		`sum by (kuma_io_service,kuma_io_zone,envoy_cluster_name,kuma_workload,kuma_proxy_role,zone) (`, "MeshMetric proxies with unified naming carry kuma_workload (zone proxies kuma_proxy_role) and zone")
	assert.Contains(t, q[queryTotal], `k_mesh="default"`)
	assert.Contains(t, q[queryGateway], `gw!=""`)
	assert.Len(t, q.list(), 5)
}

func TestSystemClustersAreExcluded(t *testing.T) {
	re := regexp.MustCompile(`^(?:` + systemClusters + `)$`)
	for _, name := range []string{
		"localhost_3000", "self_inbound_dp_http", "kuma_envoy_admin", "kuma_metrics_hijacker", "kuma_readiness",
		"system_envoy_admin", "system_ads", "ads_cluster", "access_log_sink", "outbound_passthrough_ipv4",
		"inbound_passthrough_ipv6", "tracing_zipkin", "_kuma_metrics_opentelemetry_otel",
	} {
		assert.True(t, re.MatchString(name), name)
	}
	for _, name := range []string{"backend", "backend_kuma-demo_svc_3001", "default_backend___msvc_80", "kri_msvc_default_zone-1_ns_backend_80", "httpbin"} {
		assert.False(t, re.MatchString(name), name)
	}
}

// matchersOf parses q with Prometheus' parser and returns the matchers of
// label name in each of its selectors.
func matchersOf(t *testing.T, q, name string) []*labels.Matcher {
	t.Helper()
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(q)
	require.NoError(t, err, q)
	var out []*labels.Matcher
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			for _, m := range vs.LabelMatchers {
				if m.Name == name {
					out = append(out, m)
				}
			}
		}
		return nil
	})
	return out
}

func TestPlainZoneAlternationsArePushedIntoTheQueries(t *testing.T) {
	tests := []struct {
		name string
		expr string // as the handler compiles it: ^(?:expr)$
		// match and miss are zone label values Prometheus must keep and drop.
		match, miss []string
	}{
		{name: "one zone", expr: "zone-2", match: []string{"zone-2", ""}, miss: []string{"zone-1", "zone-22"}},
		{name: "a multi-value variable", expr: "(zone-1|eu\\.west)", match: []string{"zone-1", "eu.west", ""}, miss: []string{"zone-2", "euxwest"}},
		{name: "an unescaped dot keeps its regex meaning", expr: "eu.west", match: []string{"eu.west", "eu-west"}, miss: []string{"us.west"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := regexp.MustCompile("^(?:" + tt.expr + ")$")
			for i, q := range newQueries("default", time.Hour, models.DefaultLabelNames, re) {
				ms := matchersOf(t, q, "kuma_io_zone")
				require.NotEmpty(t, ms, "query %d: %s", i, q)
				for _, m := range ms {
					for _, z := range tt.match {
						assert.True(t, m.Matches(z), "%q is kept by %s", z, m)
					}
					for _, z := range tt.miss {
						assert.False(t, m.Matches(z), "%q is dropped by %s", z, m)
						assert.False(t, re.MatchString(z), "the join drops %q too", z)
					}
				}
			}
		})
	}
	for _, expr := range []string{"zone-.*", "zone-[12]", "(?i)zone-1"} {
		t.Run(expr+" stays in Go", func(t *testing.T) {
			for _, q := range newQueries("default", time.Hour, models.DefaultLabelNames, regexp.MustCompile("^(?:"+expr+")$")) {
				assert.Empty(t, matchersOf(t, q, "kuma_io_zone"), q)
			}
		})
	}
}

func TestLatencyQueryLeavesOutBucketsOfFiveMinutesAndMore(t *testing.T) {
	q := newQueries("default", time.Hour, models.DefaultLabelNames, nil)
	ms := matchersOf(t, q[queryLatency], "le")
	require.Len(t, ms, 1)
	for _, le := range []string{"300000", "600000", "1800000", "3600000", "300000.0", "3600000.0"} {
		assert.False(t, ms[0].Matches(le), "le=%s is left out", le)
	}
	for _, le := range []string{"0.5", "1", "5", "100", "30000", "60000", "60000.0", "+Inf", "3000000"} {
		assert.True(t, ms[0].Matches(le), "le=%s is kept", le)
	}
	assert.Empty(t, matchersOf(t, q[queryTotal], "le"), "only the latency query filters buckets")
}
