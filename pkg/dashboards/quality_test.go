package dashboards

import (
	"regexp"
	"slices"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// officialUIDs are the uids of Kuma's own dashboards: kumactl install
// observability (2.2–2.14) and the set Kuma 2.14 ships in dashboards/grafana.
var officialUIDs = []string{"z6C1v-NGk", "-SZYLFyWz", "FkJ7AxyMz", "GW0DqjsWz", "QdCgOqyWz", "FkJ7AxwMz",
	"kuma-cp-v2", "kuma-mesh", "kuma-service-debug", "kuma-service-health", "kuma-zone-egress", "kuma-zone-ingress"}

func TestUIDsAndTagDifferFromKumasOfficialDashboards(t *testing.T) {
	for _, s := range All() {
		assert.NotContains(t, officialUIDs, s.UID, "importing both sets would replace one with the other")
		assert.NotEqual(t, "kuma", decode(t, s.UID).Tags[0])
		assert.NotContains(t, decode(t, s.UID).Tags, "kuma", "the link bar would list the official dashboards")
	}
}

// colourOf is the colour Grafana gives a stat value: none when colouring
// is off, else the highest threshold step at or below the value, with
// Grafana's default thresholds (green, red from 80) when none are set.
func colourOf(p map[string]any, v float64) string {
	if opts, _ := p["options"].(map[string]any); opts["colorMode"] == "none" {
		return "none"
	}
	defaults := p["fieldConfig"].(map[string]any)["defaults"].(map[string]any)
	th, _ := defaults["thresholds"].(map[string]any)
	if th == nil {
		th = map[string]any{"steps": []any{map[string]any{"color": "green"}, map[string]any{"color": "red", "value": 80.0}}}
	}
	colour := ""
	for _, raw := range th["steps"].([]any) {
		st := raw.(map[string]any)
		if from, ok := st["value"].(float64); !ok || v >= from {
			colour = st["color"].(string)
		}
	}
	return colour
}

func panelNamed(t *testing.T, uid, title string) map[string]any {
	t.Helper()
	for _, p := range decode(t, uid).Panels {
		if p["title"] == title {
			return p
		}
	}
	require.Failf(t, "no such panel", "%s has no panel %q", uid, title)
	return nil
}

func TestStatColoursMeanSomething(t *testing.T) {
	tests := []struct {
		name, uid, panel string
		value            float64
		want             string
	}{
		{"a healthy mesh of 120 dataplanes is not red", UIDMesh, "Dataplanes online", 120, "none"},
		{"one dataplane not live is red", UIDMesh, "Dataplanes not live", 1, "red"},
		{"no dataplane not live is green", UIDMesh, "Dataplanes not live", 0, "green"},
		{"10% 5xx to gateway clients is red", UIDGateway, "5xx sent to clients", 0.1, "red"},
		{"2% 5xx to gateway clients is orange", UIDGateway, "5xx sent to clients", 0.02, "orange"},
		{"no 5xx to gateway clients is green", UIDGateway, "5xx sent to clients", 0, "green"},
		{"no gateway instance is red", UIDGateway, "Instances", 0, "red"},
		{"no control plane is red", UIDCP, "Control planes up", 0, "red"},
		{"100 req/s is just a number", UIDGateway, "Requests entering", 100, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, colourOf(panelNamed(t, tt.uid, tt.panel), tt.value))
		})
	}
	for _, s := range All() {
		for _, p := range decode(t, s.UID).Panels {
			if p["type"] == "stat" {
				defaults := p["fieldConfig"].(map[string]any)["defaults"].(map[string]any)
				assert.NotNil(t, defaults["thresholds"], "%s/%v: a stat without thresholds gets Grafana's red from 80", s.UID, p["title"])
			}
		}
	}
}

func TestTimeSeriesTooltipsAndLegendsAreSorted(t *testing.T) {
	for _, s := range All() {
		for _, p := range decode(t, s.UID).Panels {
			if p["type"] != "timeseries" {
				continue
			}
			opts := p["options"].(map[string]any)
			assert.Equal(t, map[string]any{"mode": "multi", "sort": "desc"}, opts["tooltip"], "%s/%v", s.UID, p["title"])
			assert.Equal(t, true, opts["legend"].(map[string]any)["sortDesc"], "%s/%v", s.UID, p["title"])
		}
	}
}

func TestRowsFewVisitsNeedStartCollapsed(t *testing.T) {
	want := map[string][]string{
		UIDCP:      {"HDS: health checks", "KDS: multizone", "Kubernetes", "Go runtime"},
		UIDService: {"Kubernetes"},
		UIDGateway: {"Kubernetes"},
	}
	for uid, rows := range want {
		for _, row := range rows {
			assert.Equal(t, true, panelNamed(t, uid, row)["collapsed"], "%s: row %q", uid, row)
		}
	}
}

// TestCPQueriesAreScopedToControlPlanes: with the instance variable at All
// (".*"), a selector such as go_goroutines{instance=~".*"} also matches
// every kuma-dp and Prometheus itself, so each CP series must be joined on
// instance with cp_info.
func TestCPQueriesAreScopedToControlPlanes(t *testing.T) {
	for _, e := range promExprs(t, UIDCP) {
		if regexp.MustCompile(`^variable `).MatchString(e.where) {
			continue
		}
		ast, err := promParser.ParseExpr(substitute(e.expr))
		require.NoError(t, err)
		parser.Inspect(ast, func(n parser.Node, path []parser.Node) error {
			vs, ok := n.(*parser.VectorSelector)
			if !ok || vs.Name == "cp_info" {
				return nil
			}
			assert.True(t, joinedWithCPInfo(vs, path), "%s: %s is not joined with cp_info on instance", e.where, vs)
			return nil
		})
	}
}

// joinedWithCPInfo reports whether an ancestor of vs is "<x> and on
// (instance) cp_info{…}" with vs on the left.
func joinedWithCPInfo(vs *parser.VectorSelector, path []parser.Node) bool {
	for i, p := range slices.Backward(path) {
		b, ok := p.(*parser.BinaryExpr)
		if !ok || b.Op != parser.LAND || b.VectorMatching == nil || !b.VectorMatching.On ||
			len(b.VectorMatching.MatchingLabels) != 1 || b.VectorMatching.MatchingLabels[0] != "instance" {
			continue
		}
		rhs, ok := b.RHS.(*parser.VectorSelector)
		if !ok || rhs.Name != "cp_info" {
			continue
		}
		if i+1 < len(path) && path[i+1] == b.LHS || i+1 == len(path) && b.LHS == vs {
			return true
		}
	}
	return false
}
