package dashboards

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// promParser is Prometheus's own PromQL parser with default options.
var promParser = parser.NewParser(parser.Options{})

// sample values for substitution: what Grafana would put in a query.
var sampleValues = map[string]string{
	"__rate_interval": "1m", "__interval": "30s", "__range": "1h",
	"mesh": "default", "zone": ".*", "service": "backend", "dataplane": "backend-1",
	"gateway": "edge-gateway", "source_service": "frontend", "destination_service": "backend",
	"instance":   ".*",
	"mesh_label": "mesh", "service_label": "kuma_io_service", "services_label": "kuma_io_services",
	"zone_label": "kuma_io_zone", "dataplane_label": "dataplane", "gateway_label": "kuma_io_mesh_gateway",
	"zone_proxy_selector": `job="kuma-zone-proxies",proxy="ingress"`,
}

var anyVar = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)`)

// substitute replaces template variables the way Grafana's Prometheus
// datasource does before sending a query; label_replace's "$1" stays.
func substitute(expr string) string {
	return anyVar.ReplaceAllStringFunc(expr, func(m string) string {
		s := anyVar.FindStringSubmatch(m)
		if v, ok := sampleValues[s[1]+s[2]]; ok {
			return v
		}
		return m
	})
}

// promExprs lists every Prometheus expression of a dashboard: panel
// targets and label_values variable queries, by panel title.
type promExpr struct{ where, expr string }

func promExprs(t *testing.T, uid string) []promExpr {
	t.Helper()
	d := decode(t, uid)
	var out []promExpr
	for _, p := range d.Panels {
		targets, _ := p["targets"].([]any)
		for _, raw := range targets {
			tg := raw.(map[string]any)
			if e, ok := tg["expr"].(string); ok {
				out = append(out, promExpr{where: p["title"].(string) + "/" + tg["refId"].(string), expr: e})
			}
		}
	}
	for _, v := range d.Templating.List {
		if q, ok := v["query"].(string); ok && v["type"] == "query" {
			m := regexp.MustCompile(`^label_values\((.*), *[\w${}]+\)$`).FindStringSubmatch(q)
			require.NotNil(t, m, "variable %s: %q is not label_values(selector, label)", v["name"], q)
			out = append(out, promExpr{where: "variable " + v["name"].(string), expr: m[1]})
		}
	}
	return out
}

func TestSubstituteLeavesCaptureGroups(t *testing.T) {
	got := substitute(`label_replace(x{m="$mesh",z=~"${zone:regex}"}[$__rate_interval], "p", "$1", "d", "(.+)")`)
	assert.Equal(t, `label_replace(x{m="default",z=~".*"}[1m], "p", "$1", "d", "(.+)")`, got)
}

func TestEveryPromQLExpressionParses(t *testing.T) {
	for _, s := range All() {
		t.Run(s.UID, func(t *testing.T) {
			exprs := promExprs(t, s.UID)
			require.NotEmpty(t, exprs)
			for _, e := range exprs {
				_, err := promParser.ParseExpr(substitute(e.expr))
				assert.NoError(t, err, "%s: %s", e.where, e.expr)
			}
		})
	}
}

// TestEnvoySelectorsAreScopedToMeshAndZone guards against a panel that
// forgets the mesh or zone filter and silently shows every mesh.
func TestEnvoySelectorsAreScopedToMeshAndZone(t *testing.T) {
	for _, s := range All() {
		if s.UID == UIDCP {
			continue
		}
		t.Run(s.UID, func(t *testing.T) {
			for _, e := range promExprs(t, s.UID) {
				ast, err := promParser.ParseExpr(substitute(e.expr))
				require.NoError(t, err)
				zoneProxies := s.UID == UIDZoneIngress || s.UID == UIDZoneEgress
				parser.Inspect(ast, func(n parser.Node, _ []parser.Node) error {
					vs, ok := n.(*parser.VectorSelector)
					if !ok || !regexp.MustCompile(`^envoy_`).MatchString(vs.Name) {
						return nil
					}
					if zoneProxies { // not in a mesh: scoped by their job and zone
						assert.True(t, hasMatcher(vs.LabelMatchers, "job", labels.MatchEqual), "%s: %s has no job matcher", e.where, vs)
						if e.where == "variable zone" {
							return nil // lists the zones
						}
						assert.True(t, hasMatcher(vs.LabelMatchers, "zone", labels.MatchRegexp), "%s: %s has no zone matcher", e.where, vs)
						return nil
					}
					assert.True(t, hasMatcher(vs.LabelMatchers, "mesh", labels.MatchEqual), "%s: %s has no mesh matcher", e.where, vs)
					// zone is the MeshMetric path's zone attribute (ofWorkloads).
					assert.True(t, hasMatcher(vs.LabelMatchers, "kuma_io_zone", labels.MatchRegexp) || hasMatcher(vs.LabelMatchers, meshMetricZone, labels.MatchRegexp),
						"%s: %s has no zone matcher", e.where, vs)
					return nil
				})
			}
		})
	}
}

// TestRatesUseGrafanaIntervals rejects fixed windows such as [1m], which
// break at scrape intervals above 15s.
func TestRatesUseGrafanaIntervals(t *testing.T) {
	fixed := regexp.MustCompile(`\[\d+[smhd]\]`)
	for _, s := range All() {
		raw := committed(t, s.UID)
		var tree any
		require.NoError(t, json.Unmarshal(raw, &tree))
		for _, e := range promExprs(t, s.UID) {
			assert.False(t, fixed.MatchString(e.expr), "%s/%s: %s", s.UID, e.where, e.expr)
		}
	}
}

func hasMatcher(ms []*labels.Matcher, name string, typ labels.MatchType) bool {
	for _, m := range ms {
		if m.Name == name && m.Type == typ {
			return true
		}
	}
	return false
}
