package dashboards

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

// committed reads dashboards/<uid>.json from the repository.
func committed(t *testing.T, uid string) []byte {
	t.Helper()
	root, err := repo.Root()
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(root, FileName(uid)))
	require.NoError(t, err, "run: go generate ./pkg/dashboards")
	return b
}

// decoded is a dashboard as Grafana reads it: plain JSON.
type decoded struct {
	UID           string           `json:"uid"`
	Title         string           `json:"title"`
	SchemaVersion int              `json:"schemaVersion"`
	Tags          []string         `json:"tags"`
	Panels        []map[string]any `json:"panels"`
	Templating    struct {
		List []map[string]any `json:"list"`
	} `json:"templating"`
	Links []map[string]any `json:"links"`
}

// decode reads a committed dashboard. Panels lists every panel in order,
// the panels of a collapsed row right after the row (which keeps them in
// its own "panels" too).
func decode(t *testing.T, uid string) decoded {
	t.Helper()
	var d decoded
	require.NoError(t, json.Unmarshal(committed(t, uid), &d))
	var flat []map[string]any
	for _, p := range d.Panels {
		flat = append(flat, p)
		nested, _ := p["panels"].([]any)
		for _, n := range nested {
			flat = append(flat, n.(map[string]any))
		}
	}
	d.Panels = flat
	return d
}

func TestCommittedJSONMatchesGenerated(t *testing.T) {
	for _, s := range All() {
		t.Run(s.UID, func(t *testing.T) {
			want, err := Render(s)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(committed(t, s.UID)),
				"dashboards/%s.json is stale: run go generate ./pkg/dashboards", s.UID)
		})
	}
}

func TestDashboardsHaveTheFixedUIDsAndTitles(t *testing.T) {
	want := map[string]string{
		"kuma-mesh-map": "Kuma Mesh", "kuma-dataplane": "Kuma Dataplane",
		"kuma-service-to-service": "Kuma Service to Service", "kuma-cp": "Kuma CP",
		"kuma-service": "Kuma Service", "kuma-gateway": "Kuma MeshGateway",
		"kuma-zone-ingress-proxies": "Kuma Zone Ingress", "kuma-zone-egress-proxies": "Kuma Zone Egress",
	}
	got := map[string]string{}
	for _, s := range All() {
		d := decode(t, s.UID)
		assert.Equal(t, s.UID, d.UID)
		assert.Equal(t, s.Title, d.Title)
		assert.GreaterOrEqual(t, d.SchemaVersion, 41, "current schema version")
		assert.Contains(t, d.Tags, Tag, "the link bar finds dashboards by this tag")
		got[d.UID] = d.Title
	}
	assert.Equal(t, want, got)
}

// modernPanels are the panel types the dashboards may use: no Angular
// graph / table-old / singlestat.
var modernPanels = map[string]bool{
	"row": true, "timeseries": true, "stat": true, "gauge": true, "table": true, "bargauge": true, "nodeGraph": true,
}

func TestPanelsAreModernWithDatasourceIDAndUnit(t *testing.T) {
	for _, s := range All() {
		t.Run(s.UID, func(t *testing.T) {
			d := decode(t, s.UID)
			ids := map[float64]bool{}
			for _, p := range d.Panels {
				typ, title := p["type"].(string), p["title"]
				assert.True(t, modernPanels[typ], "panel %q has type %q", title, typ)
				id, ok := p["id"].(float64)
				require.True(t, ok, "panel %q has no id", title)
				assert.False(t, ids[id], "panel id %v is used twice", id)
				ids[id] = true
				if typ == "row" {
					if p["collapsed"] != true {
						assert.Empty(t, p["panels"], "an expanded row must not nest panels: Grafana ignores them")
					} else {
						assert.NotEmpty(t, p["panels"], "a collapsed row keeps its panels")
					}
					continue
				}
				assert.NotEmpty(t, p["description"], "panel %q has no description", title)
				grid := p["gridPos"].(map[string]any)
				assert.LessOrEqual(t, grid["x"].(float64)+grid["w"].(float64), 24.0, "panel %q overflows the grid", title)
				ds := dsOf(t, p)
				targets, _ := p["targets"].([]any)
				require.NotEmpty(t, targets, "panel %q has no query", title)
				refIDs := map[string]bool{}
				for _, raw := range targets {
					tg := raw.(map[string]any)
					assert.Equal(t, ds, dsOf(t, tg), "panel %q: target datasource differs from the panel's", title)
					ref, _ := tg["refId"].(string)
					assert.NotEmpty(t, ref, "panel %q: target without refId", title)
					assert.False(t, refIDs[ref], "panel %q: refId %s twice", title, ref)
					refIDs[ref] = true
					if typ == "timeseries" {
						assert.NotEmpty(t, tg["legendFormat"], "panel %q: every line needs a legend", title)
					}
				}
				if typ == "timeseries" || typ == "stat" || typ == "bargauge" {
					unit, _ := p["fieldConfig"].(map[string]any)["defaults"].(map[string]any)["unit"].(string)
					assert.NotEmpty(t, unit, "panel %q has no unit", title)
				}
			}
		})
	}
}

// dsOf returns the datasource uid of a panel or target and checks that the
// uid is a datasource variable of the matching plugin type.
func dsOf(t *testing.T, obj map[string]any) string {
	t.Helper()
	ds, ok := obj["datasource"].(map[string]any)
	require.True(t, ok, "%v has no datasource", obj["title"])
	uid, typ := ds["uid"], ds["type"]
	switch uid {
	case "${prometheus}":
		assert.Equal(t, prometheusType, typ)
	case "${kuma}":
		assert.Equal(t, kumaType, typ)
	default:
		t.Errorf("datasource uid %v is not ${prometheus} or ${kuma}", uid)
	}
	return uid.(string)
}

var varRef = regexp.MustCompile(`\$\{(\w+)(?:[.:][^}]*)?\}|\$(\w+)|\[\[(\w+)(?::\w+)?\]\]`)

// references returns the template variables a string uses, leaving out
// Grafana's built-ins ($__rate_interval, ${__field.labels.x}, …) and the
// capture-group references of label_replace ("$1").
func references(s string) []string {
	var out []string
	for _, m := range varRef.FindAllStringSubmatch(s, -1) {
		name := m[1] + m[2] + m[3]
		if strings.HasPrefix(name, "__") || regexp.MustCompile(`^\d+$`).MatchString(name) {
			continue
		}
		out = append(out, name)
	}
	return out
}

// strings collects every string value of a JSON tree.
func allStrings(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case []any:
		for _, e := range x {
			allStrings(e, out)
		}
	case map[string]any:
		for _, e := range x {
			allStrings(e, out)
		}
	}
}

func TestEveryReferencedVariableIsDefined(t *testing.T) {
	for _, s := range All() {
		t.Run(s.UID, func(t *testing.T) {
			var tree map[string]any
			require.NoError(t, json.Unmarshal(committed(t, s.UID), &tree))
			defined := map[string]bool{}
			for _, v := range decode(t, s.UID).Templating.List {
				defined[v["name"].(string)] = true
			}
			var texts []string
			allStrings(tree, &texts)
			used := 0
			for _, text := range texts {
				for _, name := range references(text) {
					used++
					assert.True(t, defined[name], "$%s is used in %q but not defined", name, text)
				}
			}
			assert.Positive(t, used)
		})
	}
}

func TestReferencesFindsVariablesButNotBuiltins(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain and braced forms", `{mesh="$mesh",z=~"${zone:regex}"} [[service]]`, []string{"mesh", "zone", "service"}},
		{"built-ins and capture groups", `rate(x[$__rate_interval]) ${__field.labels.a} "$1"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, references(tt.in))
		})
	}
}

func TestVariablesUseTheSharedNamesAndDatasources(t *testing.T) {
	for _, s := range All() {
		t.Run(s.UID, func(t *testing.T) {
			vars := map[string]map[string]any{}
			for _, v := range decode(t, s.UID).Templating.List {
				vars[v["name"].(string)] = v
			}
			require.Contains(t, vars, "prometheus")
			assert.Equal(t, "datasource", vars["prometheus"]["type"])
			assert.Equal(t, prometheusType, vars["prometheus"]["query"])
			require.Contains(t, vars, "kuma")
			assert.Equal(t, kumaType, vars["kuma"]["query"])
			require.Contains(t, vars, "zone")
			assert.Equal(t, true, vars["zone"]["multi"])
			assert.Equal(t, true, vars["zone"]["includeAll"])
			assert.Equal(t, ".*", vars["zone"]["allValue"])
			if mesh, ok := vars["mesh"]; ok {
				assert.Equal(t, map[string]any{"queryType": "meshes"}, mesh["query"])
				assert.Equal(t, "${kuma}", mesh["datasource"].(map[string]any)["uid"])
			}
		})
	}
}

func TestDataLinksCarryMeshZoneAndTimeRange(t *testing.T) {
	uids := map[string]bool{}
	for _, s := range All() {
		uids[s.UID] = true
	}
	targets := map[string]bool{}
	for _, s := range All() {
		for _, p := range decode(t, s.UID).Panels {
			fc, _ := p["fieldConfig"].(map[string]any)
			if fc == nil {
				continue
			}
			links, _ := fc["defaults"].(map[string]any)["links"].([]any)
			for _, raw := range links {
				url := raw.(map[string]any)["url"].(string)
				m := regexp.MustCompile(`^/d/([a-z-]+)/\?`).FindStringSubmatch(url)
				require.NotNil(t, m, "link %q is not a dashboard link", url)
				assert.True(t, uids[m[1]], "link %q targets an unknown dashboard", url)
				targets[m[1]] = true
				for _, part := range []string{"var-mesh=${mesh}", "${__url_time_range}", "var-prometheus=${prometheus}"} {
					assert.Contains(t, url, part, "panel %q", p["title"])
				}
				assert.Regexp(t, `\$\{zone:queryparam\}|var-zone=\$\{__(field\.labels\.kuma_io_zone|data\.fields\.(kuma_io_)?zone)\}`, url,
					"panel %q: the zone selection, or the zone of the clicked dataplane", p["title"])
			}
		}
	}
	for _, uid := range []string{UIDService, UIDServiceToService, UIDGateway, UIDDataplane} {
		assert.True(t, targets[uid], "no panel links to %s", uid)
	}
}
