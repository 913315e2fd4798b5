package dashboards

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

func TestCommittedPublicVariantsMatchGenerated(t *testing.T) {
	root, err := repo.Root()
	require.NoError(t, err)
	for _, s := range Public(DefaultPublicOptions) {
		t.Run(s.UID, func(t *testing.T) {
			want, err := Render(s)
			require.NoError(t, err)
			got, err := os.ReadFile(filepath.Join(root, PublicFileName(s.UID)))
			require.NoError(t, err, "run: go generate ./pkg/dashboards")
			assert.Equal(t, string(want), string(got), "%s is stale: run go generate ./pkg/dashboards", PublicFileName(s.UID))
		})
	}
}

// userVariable matches a reference to a template variable ($x, ${x}, [[x]]);
// Grafana's global variables ($__range, ${__data…}) resolve in public
// dashboards too and are allowed.
var userVariable = regexp.MustCompile(`\$\{?[A-Za-z]|\[\[`)

// TestPublicVariantsNeedNoTemplateVariables checks what a public dashboard
// needs: no variables, every panel and query on a datasource named by the
// given uid, the given mesh, and Kuma queries the plugin accepts.
func TestPublicVariantsNeedNoTemplateVariables(t *testing.T) {
	opts := PublicOptions{KumaUID: "kuma-prod", PrometheusUID: "mimir", Mesh: "payments"}
	for _, s := range Public(opts) {
		t.Run(s.UID, func(t *testing.T) {
			b, err := Render(s)
			require.NoError(t, err)
			assert.Empty(t, userVariable.FindAllString(string(b), -1), "template variables a public dashboard cannot resolve")
			var d decoded
			require.NoError(t, json.Unmarshal(b, &d))
			assert.Empty(t, d.Templating.List)
			require.NotEmpty(t, d.Panels)
			for _, p := range d.Panels {
				ds := p["datasource"].(map[string]any)
				assert.Contains(t, []string{"kuma-prod", "mimir"}, ds["uid"], p["title"])
				for _, raw := range p["targets"].([]any) {
					target := raw.(map[string]any)
					tds := target["datasource"].(map[string]any)
					assert.Equal(t, ds["uid"], tds["uid"], "panel and query name one datasource")
					if tds["uid"] != "kuma-prod" {
						assert.Contains(t, target["expr"], `mesh="payments"`)
						continue
					}
					raw, err := json.Marshal(target)
					require.NoError(t, err)
					q, err := models.ParseQuery(raw, "")
					require.NoError(t, err)
					assert.Contains(t, models.QueryTypes, q.QueryType)
					assert.Equal(t, "payments", q.Mesh)
					for _, m := range q.Metrics {
						assert.True(t, slices.Contains(models.TrafficMetrics, m), m)
					}
				}
			}
		})
	}
}

func TestPublicVariantsCoverTheServiceMapAndTraffic(t *testing.T) {
	b, err := Render(Public(DefaultPublicOptions)[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"queryType": "mesh-graph"`)
	assert.Contains(t, string(b), `"queryType": "traffic"`)
}
