//go:build integration

package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/plugin"
)

func TestMain(m *testing.M) { promtest.Main(m) }

// The demo data covers one hour; dashboards are queried over its last 30
// minutes, as Grafana would with "Last 30 minutes" at testEnd.
var (
	testEnd   = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	testStart = testEnd.Add(-time.Hour)
	viewStart = testEnd.Add(-30 * time.Minute)
)

// stack is what Grafana would talk to: a real Prometheus with generated
// data and the Kuma datasource (in process) on the recorded control plane.
type stack struct {
	prom v1.API
	kuma *plugin.Datasource
}

// newStack starts both; jsonData are more datasource settings (label names).
func newStack(t *testing.T, key string, scenario func(start, end time.Time) envoysim.Scenario, jsonData ...map[string]any) stack {
	t.Helper()
	return newStackOn(t, key, "2.14.3", scenario, jsonData...)
}

// newStackOn is newStack on another recorded control plane (cpreplay).
func newStackOn(t *testing.T, key, fixture string, scenario func(start, end time.Time) envoysim.Scenario, jsonData ...map[string]any) stack {
	t.Helper()
	srv := promtest.StartOnce(t, key, func() []byte { return scenario(testStart, testEnd).OpenMetrics() })
	c, err := api.NewClient(api.Config{Address: srv.URL})
	require.NoError(t, err)
	cp := cpreplay.Start(t, fixture)
	js := map[string]any{"prometheusUrl": srv.URL}
	for _, more := range jsonData {
		maps.Copy(js, more)
	}
	settings, err := json.Marshal(js)
	require.NoError(t, err)
	inst, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: cp.URL, JSONData: settings})
	require.NoError(t, err)
	return stack{prom: v1.NewAPI(c), kuma: inst.(*plugin.Datasource)}
}

// variable is a template variable as the committed JSON holds it, and the
// value Grafana would give it.
type variable struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"`
	Datasource struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	Multi      bool   `json:"multi"`
	IncludeAll bool   `json:"includeAll"`
	AllValue   string `json:"allValue"`

	values []string
	all    bool
}

// view is one way of looking at a dashboard: the values a user picks.
// Variables not listed take Grafana's default: All where offered, else the
// first option.
type view struct {
	name  string
	picks map[string]string
	// expectEmpty are the panels that legitimately show no data in this
	// view, with the reason.
	expectEmpty map[string]string
}

const (
	k8sOnly    = "Kubernetes only: needs cAdvisor and kube-state-metrics"
	noGlobal   = "a standalone CP is not a global CP"
	delegateIn = "a delegated gateway's own proxy receives the requests"
)

var k8sPanelsEmpty = map[string]string{"CPU": k8sOnly, "Memory": k8sOnly, "Memory saturation": k8sOnly}

// workloadPanelsEmpty are the Service panels grouped by kuma_workload,
// which scenarios of older Kuma (or without MeshMetric) do not carry.
var workloadPanelsEmpty = map[string]string{
	"Inbound requests per workload": noWorkload, "Inbound latency p99 per workload": noWorkload, "Inbound 5xx per workload": noWorkload,
}

const noWorkload = "empty: older Kuma / no kuma_workload"

func with(m map[string]string, more map[string]string) map[string]string {
	out := map[string]string{}
	maps.Copy(out, m)
	maps.Copy(out, more)
	return out
}

// views lists, per dashboard, the selections the test runs, each with
// zone All and with the single zone "default".
var views = map[string][]view{
	UIDMesh:      {{name: "mesh default", picks: map[string]string{"mesh": "default"}}},
	UIDDataplane: {{name: "frontend-1", picks: map[string]string{"mesh": "default", "dataplane": "frontend-1"}}},
	UIDServiceToService: {{name: "frontend to backend", picks: map[string]string{"mesh": "default", "source_service": "frontend", "destination_service": "backend"},
		expectEmpty: map[string]string{}}},
	UIDService: {{name: "frontend", picks: map[string]string{"mesh": "default", "service": "frontend"}, expectEmpty: with(k8sPanelsEmpty, workloadPanelsEmpty)}},
	UIDGateway: {
		{name: "builtin edge-gateway", picks: map[string]string{"mesh": "default", "gateway": "edge-gateway"}, expectEmpty: k8sPanelsEmpty},
		{name: "delegated kong-gateway", picks: map[string]string{"mesh": "default", "gateway": "kong-gateway"},
			expectEmpty: with(k8sPanelsEmpty, map[string]string{
				"Requests entering": delegateIn, "5xx sent to clients": delegateIn, "Status codes sent to clients": delegateIn,
				"Active downstream connections per instance": delegateIn,
			})},
	},
	UIDCP:          {{name: "every CP", picks: map[string]string{}}},
	UIDZoneIngress: {{name: "ingress", picks: map[string]string{}}},
	UIDZoneEgress:  {{name: "egress", picks: map[string]string{}}},
}

// zoneViews are the two zone selections every view runs with; in the
// second, panels of other zones' objects may be empty.
var zoneViews = []struct {
	name, zone  string
	expectEmpty map[string]map[string]string
}{
	{name: "zone All", zone: "$__all"},
	{name: "zone default", zone: "default", expectEmpty: map[string]map[string]string{
		UIDCP: {
			"Global: KDS active connections": "the global CP's zone is Global", "Global: KDS message exchange": "the global CP's zone is Global",
			"Global: KDS generations and latency": "the global CP's zone is Global",
			"Global: zone connections":            "the global CP's zone is Global", "Global: KDS NACKs by zone": "the global CP's zone is Global",
			"Global: zone watch p99": "the global CP's zone is Global",
		},
	}},
}

func TestEveryPanelShowsDataInAMultizoneMesh(t *testing.T) {
	st := newStack(t, "multizone", envoysim.Multizone)
	for _, s := range All() {
		for _, v := range views[s.UID] {
			for _, zv := range zoneViews {
				t.Run(s.UID+"/"+v.name+"/"+zv.name, func(t *testing.T) {
					expect := with(v.expectEmpty, zv.expectEmpty[s.UID])
					zone := zv.zone
					if s.UID == UIDZoneEgress && zone == "default" {
						zone = "zone-2" // the scenario's egress runs there
					}
					runView(t, st, s.UID, with(v.picks, map[string]string{"zone": zone}), expect)
				})
			}
		}
	}
}

// TestPanelsFollowTheLabelNameVariables runs the Envoy dashboards on data
// whose relabeling named the Kuma labels differently, with the label-name
// constants set as the README says and the datasource's label settings to
// match: every panel must show what it shows with the default names.
func TestPanelsFollowTheLabelNameVariables(t *testing.T) {
	settings := map[string]any{}
	constants := map[string]string{}
	for _, l := range labelVars {
		settings[l.setting] = envoysim.CustomLabels[l.def]
		constants[l.name] = envoysim.CustomLabels[l.def]
	}
	st := newStack(t, "relabeled", envoysim.Relabeled, settings)
	for _, s := range All() {
		if s.UID == UIDCP || s.UID == UIDZoneIngress || s.UID == UIDZoneEgress {
			continue // kuma-cp's and the zone proxies' labels are not kuma_sd's
		}
		for _, v := range views[s.UID] {
			t.Run(s.UID+"/"+v.name, func(t *testing.T) {
				runView(t, st, s.UID, with(with(v.picks, constants), map[string]string{"zone": "$__all"}), v.expectEmpty)
			})
		}
	}
}

// TestTheCPDashboardReadsKuma213Summaries runs the CP dashboard on a kuma-cp
// that exports its latencies as summaries, as Kuma up to 2.13 does.
func TestTheCPDashboardReadsKuma213Summaries(t *testing.T) {
	st := newStack(t, "cp-2.13", envoysim.LegacyControlPlane)
	runView(t, st, UIDCP, map[string]string{"zone": "$__all"}, map[string]string{
		"Global: KDS active connections": noGlobal, "Global: KDS message exchange": noGlobal, "Global: KDS generations and latency": noGlobal,
		"Global: zone connections": noGlobal, "Global: KDS NACKs by zone": noGlobal, "Global: zone watch p99": noGlobal,
	})
}

// runView resolves the dashboard's variables as Grafana would, runs every
// panel's queries and checks that each panel shows data unless expected
// empty, naming the panel and the reason otherwise.
func runView(t *testing.T, st stack, uid string, picks, expectEmpty map[string]string) {
	t.Helper()
	vars := resolveVariables(t, st, uid, picks)
	var data, empty, failed []string
	for _, p := range decode(t, uid).Panels {
		if p["type"] == "row" {
			continue
		}
		title := p["title"].(string)
		n, err := runPanel(t, st, p, vars)
		switch {
		case err != nil:
			failed = append(failed, title)
			t.Errorf("panel %q: %v", title, err)
		case n > 0:
			data = append(data, title)
			if reason, ok := expectEmpty[title]; ok {
				t.Errorf("panel %q has data, though expected empty (%s): update the expectation", title, reason)
			}
		default:
			empty = append(empty, title)
			if _, ok := expectEmpty[title]; !ok {
				t.Errorf("panel %q shows no data", title)
			}
		}
	}
	var reasons []string
	for _, title := range empty {
		reasons = append(reasons, title+" ("+expectEmpty[title]+")")
	}
	t.Logf("%s: %d panels with data, %d empty, %d errors; empty: %s", uid, len(data), len(empty), len(failed), strings.Join(reasons, "; "))
}

// resolveVariables fills the variables in order: Kuma queries through the
// datasource, label_values through Prometheus, hidden ones with their one
// value; picks choose among the options (and must be offered), except a
// pick starting with "=", which a link put in the URL: Grafana keeps it.
func resolveVariables(t *testing.T, st stack, uid string, picks map[string]string) map[string]*variable {
	t.Helper()
	var list struct {
		Templating struct{ List []*variable } `json:"templating"`
	}
	require.NoError(t, json.Unmarshal(committed(t, uid), &list))
	vars := map[string]*variable{}
	for _, v := range list.Templating.List {
		vars[v.Name] = v
		var options []string
		switch {
		case v.Type == "datasource":
			continue
		case v.Type == "constant":
			var value string
			require.NoError(t, json.Unmarshal(v.Query, &value))
			if pick, ok := picks[v.Name]; ok {
				value = pick // set in the dashboard's settings
			}
			v.values = []string{value}
			continue
		case v.Datasource.UID == "${kuma}":
			var q map[string]any
			require.NoError(t, json.Unmarshal(v.Query, &q))
			frames := runKuma(t, st, interpolateKuma(q, vars))
			require.NotEmpty(t, frames, "variable %s", v.Name)
			for i := 0; i < frames[0].Rows(); i++ {
				options = append(options, fmt.Sprint(frames[0].Fields[0].At(i)))
			}
		default:
			var q string
			require.NoError(t, json.Unmarshal(v.Query, &q))
			m := regexp.MustCompile(`^label_values\((.*), *([\w${}]+)\)$`).FindStringSubmatch(q)
			require.NotNil(t, m, "variable %s: %s", v.Name, q)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			got, _, _, err := st.prom.LabelValues(ctx, interpolateProm(m[2], vars), []string{interpolateProm(m[1], vars)}, viewStart, testEnd)
			cancel()
			require.NoError(t, err, "variable %s", v.Name)
			for _, lv := range got {
				options = append(options, string(lv))
			}
		}
		pick, ok := picks[v.Name]
		if !ok || !strings.HasPrefix(pick, "=") {
			require.NotEmpty(t, options, "variable %s offers nothing", v.Name)
		}
		switch {
		case ok && pick == "$__all":
			v.all, v.values = true, options
		case ok && strings.HasPrefix(pick, "="):
			v.values = []string{pick[1:]}
		case ok:
			require.Contains(t, options, pick, "variable %s", v.Name)
			v.values = []string{pick}
		case v.IncludeAll:
			v.all, v.values = true, options
		default:
			v.values = options[:1]
		}
	}
	return vars
}

func runKuma(t *testing.T, st stack, q map[string]any) []*data.Frame {
	t.Helper()
	raw, err := json.Marshal(q)
	require.NoError(t, err)
	res, err := st.kuma.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: raw, TimeRange: backend.TimeRange{From: viewStart, To: testEnd},
	}}})
	require.NoError(t, err)
	dr := res.Responses["A"]
	require.NoError(t, dr.Error, "Kuma query %s", raw)
	return dr.Frames
}

// runPanel runs a panel's targets and returns how many series (or rows)
// they gave.
func runPanel(t *testing.T, st stack, p map[string]any, vars map[string]*variable) (int, error) {
	t.Helper()
	n := 0
	targets, _ := p["targets"].([]any)
	for _, raw := range targets {
		tg := raw.(map[string]any)
		expr, ok := tg["expr"].(string)
		if !ok {
			for _, f := range runKuma(t, st, interpolateKuma(tg, vars)) {
				n += f.Rows()
			}
			continue
		}
		instant, _ := tg["instant"].(bool)
		got, err := runProm(st.prom, interpolateProm(expr, vars), instant)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", tg["refId"], err)
		}
		n += len(got)
	}
	return n, nil
}

// runProm evaluates a panel query as the panel asks for it and returns the
// last value of each series with samples.
func runProm(prom v1.API, expr string, instant bool) ([]float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out []float64
	if instant {
		res, _, _, err := prom.Query(ctx, expr, testEnd)
		if err != nil {
			return nil, err
		}
		for _, s := range res.(model.Vector) {
			out = append(out, float64(s.Value))
		}
		return out, nil
	}
	res, _, _, err := prom.QueryRange(ctx, expr, v1.Range{Start: viewStart, End: testEnd, Step: time.Minute})
	if err != nil {
		return nil, err
	}
	for _, s := range res.(model.Matrix) {
		if len(s.Values) > 0 {
			out = append(out, float64(s.Values[len(s.Values)-1].Value))
		}
	}
	return out, nil
}

var varPattern = regexp.MustCompile(`\$\{(\w+)(?::(\w+))?\}|\$(\w+)`)

// interpolateProm does what Grafana's Prometheus datasource does: a
// multi-value or All variable becomes its regex-escaped values joined with
// "|" (All: its allValue), any other variable its value with backslashes
// doubled; built-in intervals become durations.
func interpolateProm(expr string, vars map[string]*variable) string {
	builtins := map[string]string{"__rate_interval": "1m", "__interval": "30s", "__range": "30m"}
	return varPattern.ReplaceAllStringFunc(expr, func(m string) string {
		s := varPattern.FindStringSubmatch(m)
		name := s[1] + s[3]
		if b, ok := builtins[name]; ok {
			return b
		}
		v, ok := vars[name]
		if !ok || v.values == nil {
			return m
		}
		if !v.Multi && !v.IncludeAll {
			return strings.ReplaceAll(v.values[0], `\`, `\\`)
		}
		if v.all && v.AllValue != "" {
			return v.AllValue
		}
		escaped := make([]string, len(v.values))
		for i, x := range v.values {
			escaped[i] = strings.ReplaceAll(regexp.QuoteMeta(x), `\`, `\\`)
		}
		if len(escaped) == 1 {
			return escaped[0]
		}
		return "(" + strings.Join(escaped, "|") + ")"
	})
}

// interpolateKuma does what the plugin's frontend does (src/interpolate.ts):
// mesh and gateway as text, zone and service as regexes (All: ".*").
func interpolateKuma(q map[string]any, vars map[string]*variable) map[string]any {
	out := map[string]any{}
	for k, val := range q {
		s, ok := val.(string)
		if !ok || k == "refId" {
			out[k] = val
			continue
		}
		out[k] = varPattern.ReplaceAllStringFunc(s, func(m string) string {
			sm := varPattern.FindStringSubmatch(m)
			v, ok := vars[sm[1]+sm[3]]
			if !ok || v.values == nil {
				return m
			}
			if k != "zone" && k != "service" {
				return v.values[0]
			}
			if v.all {
				return ".*"
			}
			if len(v.values) == 1 {
				return regexp.QuoteMeta(v.values[0])
			}
			return "(" + strings.Join(v.values, "|") + ")"
		})
	}
	return out
}

// valueOf runs one panel's first query in a view and returns its values,
// sorted, for the checks of specific numbers.
func valueOf(t *testing.T, st stack, uid, title string, picks map[string]string) []float64 {
	t.Helper()
	vars := resolveVariables(t, st, uid, picks)
	p := panelNamed(t, uid, title)
	tg := p["targets"].([]any)[0].(map[string]any)
	instant, _ := tg["instant"].(bool)
	got, err := runProm(st.prom, interpolateProm(tg["expr"].(string), vars), instant)
	require.NoError(t, err)
	sort.Float64s(got)
	return got
}

// TestPanelsShowTheGeneratedNumbers pins the issues each fix addresses with
// the numbers the scenario generated.
func TestPanelsShowTheGeneratedNumbers(t *testing.T) {
	st := newStack(t, "multizone", envoysim.Multizone)
	all := map[string]string{"mesh": "default", "zone": "$__all"}

	t.Run("CP Go panels sum only kuma-cp instances, not Prometheus itself", func(t *testing.T) {
		assert.Equal(t, []float64{350, 350, 350}, valueOf(t, st, UIDCP, "Goroutines", map[string]string{"zone": "$__all"}))
	})
	t.Run("a builtin gateway is found in every zone, whatever its zone-local name", func(t *testing.T) {
		assert.Equal(t, []float64{2}, valueOf(t, st, UIDGateway, "Instances", with(all, map[string]string{"gateway": "edge-gateway"})))
	})
	t.Run("a delegated gateway shows the traffic its sidecar sends", func(t *testing.T) {
		got := valueOf(t, st, UIDGateway, "Requests to the mesh", with(all, map[string]string{"gateway": "kong-gateway"}))
		require.Len(t, got, 1)
		assert.InEpsilon(t, 4.1, got[0], 0.02, "kong → frontend generates 4.1 req/s")
	})
	t.Run("service to service counts every cluster name of the destination", func(t *testing.T) {
		got := valueOf(t, st, UIDServiceToService, "Traffic", with(all, map[string]string{"source_service": "frontend", "destination_service": "backend"}))
		require.NotEmpty(t, got)
		// frontend-1 (backend), frontend-2 (split name) and frontend-3 (zone-2): 6.9 + 5.5 + 2 req/s.
		assert.InEpsilon(t, 14.4, got[len(got)-1], 0.02)
	})
	t.Run("a link that passes a cluster name resolves to the same destination", func(t *testing.T) {
		got := valueOf(t, st, UIDServiceToService, "Traffic", with(all, map[string]string{"source_service": "frontend", "destination_service": "=backend-0123456789abcdef"}))
		require.NotEmpty(t, got)
		assert.InEpsilon(t, 14.4, got[len(got)-1], 0.02)
	})
	t.Run("a listener certificate's expiry time reads as the days Envoy counts down", func(t *testing.T) {
		picks := with(all, map[string]string{"dataplane": "frontend-1"})
		vars := resolveVariables(t, st, UIDDataplane, picks)
		targets := panelNamed(t, UIDDataplane, "Certificate expiry")["targets"].([]any)
		require.Len(t, targets, 2)
		var got [2][]float64
		for i, tg := range targets {
			v, err := runProm(st.prom, interpolateProm(tg.(map[string]any)["expr"].(string), vars), false)
			require.NoError(t, err)
			require.Len(t, v, 1)
			got[i] = v
		}
		assert.InDelta(t, got[0][0], got[1][0], 0.001, "expiration_unix_time_seconds - time() in days equals days_until_first_cert_expiring at the end")
	})
	t.Run("one zone keeps the other zone's gateway proxy out", func(t *testing.T) {
		assert.Equal(t, []float64{1}, valueOf(t, st, UIDGateway, "Instances", map[string]string{"mesh": "default", "zone": "default", "gateway": "edge-gateway"}))
	})
}

// TestTheServiceDashboardShowsAKubernetesMeshService opens the Service
// dashboard on a Kubernetes Exclusive mesh (envoysim.Kubernetes over the
// built fixture), where $service offers the MeshService name backend and
// the proxies carry kuma_io_service="backend_kuma-demo_svc_3001": picked
// from the list, and through the service map's node link of one copy.
func TestTheServiceDashboardShowsAKubernetesMeshService(t *testing.T) {
	st := newStackOn(t, "kubernetes", "2.14.3-k8s-built", envoysim.Kubernetes)
	all := map[string]string{"mesh": "default", "zone": "$__all"}
	// backend receives frontend's 6.3 req/s in zone-1 and 2.2 in zone-2.
	const backendRPS = 8.5

	t.Run("picked from the list, every panel shows data", func(t *testing.T) {
		runView(t, st, UIDService, with(all, map[string]string{"service": "backend"}), kubernetesEmpty)
		got := valueOf(t, st, UIDService, "Inbound requests", with(all, map[string]string{"service": "backend"}))
		require.Len(t, got, 1)
		assert.InEpsilon(t, backendRPS, got[0], 0.02)
	})
	t.Run("the service map's node link opens the dashboard on that zone's copy", func(t *testing.T) {
		frames := runKuma(t, st, map[string]any{"queryType": "mesh-graph", "mesh": "default", "zone": ".*"})
		picks := followNodeLink(t, frames[0], "backend (zone-1)")
		assert.Equal(t, map[string]string{"mesh": "default", "zone": "zone-1", "service": "backend"}, picks)
		runView(t, st, UIDService, picks, kubernetesEmpty)
		got := valueOf(t, st, UIDService, "Inbound requests", picks)
		require.Len(t, got, 1)
		assert.InEpsilon(t, 6.3, got[0], 0.02, "frontend's 6.3 req/s to zone-1")
	})
}

// kubernetesEmpty are the Service panels envoysim.Kubernetes has no data
// for, with the reason.
var kubernetesEmpty = with(with(k8sPanelsEmpty, workloadPanelsEmpty), map[string]string{
	"Outbound requests per destination": tcpOnly, "Outbound latency p99 per destination": tcpOnly, "Outbound status codes per destination": tcpOnly,
})

const tcpOnly = "backend calls only redis, over TCP: no HTTP requests"

func fieldAt(t *testing.T, f *data.Frame, name string, i int) string {
	t.Helper()
	field, _ := f.FieldByName(name)
	require.NotNil(t, field, "field %s", name)
	return fmt.Sprint(field.At(i))
}

// TestTheServiceDashboardSplitsByWorkload opens the Service dashboard on
// proxies of the Kuma 2.14 MeshMetric path, which carry kuma_workload
// (envoysim.MeshMetricWorkloads): the per-workload panels show backend and
// its canary apart, with the numbers the scenario generated.
func TestTheServiceDashboardSplitsByWorkload(t *testing.T) {
	st := newStackOn(t, "meshmetric-workloads", "2.14.3-k8s-built", envoysim.MeshMetricWorkloads)
	picks := map[string]string{"mesh": "default", "zone": "$__all", "service": "backend"}
	empty := with(k8sPanelsEmpty, map[string]string{
		"Outbound requests per destination": tcpOnly, "Outbound latency p99 per destination": tcpOnly, "Outbound status codes per destination": tcpOnly,
	})
	runView(t, st, UIDService, picks, empty)

	// frontend's 6.3 req/s to zone-1 split between backend and
	// backend-canary; zone-2's backend gets the unified frontend's 2.2.
	got := valueOf(t, st, UIDService, "Inbound requests per workload", picks)
	require.Len(t, got, 3)
	assert.InEpsilon(t, 2.2, got[0], 0.02)
	assert.InEpsilon(t, 3.15, got[1], 0.02)
	assert.InEpsilon(t, 3.15, got[2], 0.02)
	fivexx := valueOf(t, st, UIDService, "Inbound 5xx per workload", picks)
	require.Len(t, fivexx, 2, "only zone-1's workloads answered 5xx")
	assert.InEpsilon(t, 0.15, fivexx[0], 0.02)
	assert.InEpsilon(t, 0.15, fivexx[1], 0.02)
}
