//go:build integration

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/logbuf"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/pluginhost"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/sseread"
)

const pluginID = "kumahq-kuma-datasource"

// The last whole hour, so the health check's "metrics in the last hour"
// probe sees the data too (the meshgraph integration test covers a past hour).
var (
	windowEnd   = time.Now().UTC().Truncate(time.Minute)
	windowStart = windowEnd.Add(-time.Hour)
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kuma-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "gpx_kuma")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build plugin binary:", err)
		os.Exit(1)
	}
	code := m.Run()
	promtest.StopAll()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// stack is one plugin process with its settings.
type stack struct {
	host *pluginhost.Host
	pc   backend.PluginContext
	logs *logbuf.Buffer
}

func startStack(t testing.TB, cpURL, promURL string, secure map[string]string) *stack {
	t.Helper()
	logs := &logbuf.Buffer{}
	host, err := pluginhost.Start(binary, logs)
	require.NoError(t, err)
	t.Cleanup(func() {
		host.Stop()
		if t.Failed() {
			t.Logf("plugin log:\n%s", logs)
		}
	})
	jsonData, err := json.Marshal(map[string]any{"prometheusUrl": promURL, "timeout": 5})
	require.NoError(t, err)
	return &stack{host: host, logs: logs, pc: backend.PluginContext{
		PluginID: pluginID,
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			UID: "kuma", Name: "Kuma", URL: cpURL, JSONData: jsonData, DecryptedSecureJSONData: secure, Updated: time.Now(),
		},
	}}
}

func (s *stack) query(t *testing.T, queries ...backend.DataQuery) *backend.QueryDataResponse {
	t.Helper()
	res, err := s.host.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: s.pc, Queries: queries})
	require.NoError(t, err)
	return res
}

func (s *stack) health(t *testing.T) *backend.CheckHealthResult {
	t.Helper()
	res, err := s.host.CheckHealth(context.Background(), s.pc)
	require.NoError(t, err)
	return res
}

func q(refID, model string) backend.DataQuery {
	return backend.DataQuery{RefID: refID, JSON: []byte(model), TimeRange: backend.TimeRange{From: windowStart, To: windowEnd}}
}

func demoPrometheus(t *testing.T) *promtest.Server {
	return promtest.StartOnce(t, "demo", func() []byte { return envoysim.Demo(windowStart, windowEnd).OpenMetrics() })
}

func TestPluginAnswersEveryHandlerOverGRPC(t *testing.T) {
	for _, version := range []string{"2.14.3", "2.2.9"} {
		t.Run("kuma-cp "+version, func(t *testing.T) {
			cp := cpreplay.Start(t, version, cpreplay.WithPrefix("/kuma"), cpreplay.WithToken("cp-secret-token"))
			prom := demoPrometheus(t)
			s := startStack(t, cp.URL, prom.URL, map[string]string{"cpToken": "cp-secret-token"})

			health := s.health(t)
			assert.Equal(t, backend.HealthStatusOk, health.Status, health.Message)
			assert.Contains(t, health.Message, "Kuma control plane OK: Kuma")
			assert.Contains(t, health.Message, "Prometheus OK")

			res := s.query(t,
				q("meshes", `{"queryType":"meshes"}`),
				q("zones", `{"queryType":"zones"}`),
				q("services", `{"queryType":"services","mesh":"default"}`),
				q("dataplanes", `{"queryType":"dataplanes","mesh":"default","service":"frontend"}`),
				q("gateways", `{"queryType":"gateways","mesh":"default"}`),
				q("graph", `{"queryType":"mesh-graph","mesh":"default"}`),
				q("broken", `{"queryType":"mesh-graph","mesh":"default","rollupRegEx":"(["}`),
			)
			assert.Equal(t, []string{"default", "payments"}, names(t, res, "meshes"))
			assert.Equal(t, []string{"backend", "edge-gateway", "frontend", "httpbin", "kong-gateway", "redis"}, names(t, res, "services"))
			assert.Equal(t, []string{"frontend-1", "frontend-2"}, names(t, res, "dataplanes"))
			assert.Equal(t, []string{"edge-gateway", "kong-gateway"}, names(t, res, "gateways"))
			if version == "2.14.3" {
				assert.Equal(t, []string{"default"}, names(t, res, "zones"))
			}
			assert.ErrorContains(t, res.Responses["broken"].Error, "rollup regex is not a valid regular expression")

			checkGraph(t, res.Responses["graph"], envoysim.Demo(windowStart, windowEnd).ExpectedFor("default"))
			checkTraffic(t, s, envoysim.Demo(windowStart, windowEnd).ExpectedFor("default"))

			body := resource(t, s, "services?mesh=default")
			var services []struct{ Name, Kind string }
			require.NoError(t, json.Unmarshal(body, &services))
			require.Len(t, services, 6)
			assert.Equal(t, "edge-gateway", services[1].Name)
			assert.Equal(t, "gateway_builtin", services[1].Kind)

			for _, r := range cp.Requests() {
				assert.True(t, strings.HasPrefix(r.Path, "/kuma/"), "request left the configured path prefix: %s", r.Path)
			}
			assert.NotContains(t, s.logs.String(), "cp-secret-token", "the token must never be logged")
			assert.False(t, s.host.Exited(), "the plugin must survive every query")
		})
	}
}

// checkTraffic runs the traffic query as a panel (time series of every
// edge) and as an alert rule does (one number per edge into backend), reads
// the frames back as Grafana's server-side expressions do and compares
// them with the truth.
func checkTraffic(t *testing.T, s *stack, truth map[[2]string]envoysim.EdgeTruth) {
	t.Helper()
	panel := q("series", `{"queryType":"traffic","mesh":"default","groupBy":"edge","metrics":["requests"]}`)
	panel.Interval = time.Minute
	res := s.query(t, panel)
	dr := res.Responses["series"]
	require.NoError(t, dr.Error)
	series, err := sseread.Read(dr.Frames)
	require.NoError(t, err)
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, dr.Frames[0].Meta.Type)
	found := 0
	for _, v := range series {
		want, ok := truth[[2]string{v.Labels["source"], v.Labels["destination"]}]
		if !ok || want.TCP {
			continue
		}
		found++
		last := v.Values[len(v.Values)-1]
		require.NotNil(t, last)
		assert.InEpsilon(t, want.Rps, *last, 0.02, "%s req/s at the end", v.Labels)
	}
	assert.Equal(t, 4, found, "a series for every mapped HTTP edge of the demo")

	rule, err := s.host.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: s.pc, Headers: map[string]string{"FromAlert": "true"},
		Queries: []backend.DataQuery{q("rule", `{"queryType":"traffic","mesh":"default","groupBy":"edge","service":"backend","metrics":["success"]}`)},
	})
	require.NoError(t, err)
	require.NoError(t, rule.Responses["rule"].Error)
	numbers, err := sseread.Read(rule.Responses["rule"].Frames)
	require.NoError(t, err)
	require.NoError(t, sseread.UniqueForAlerting(numbers))
	require.Len(t, numbers, 1, "frontend -> backend")
	assert.InDelta(t, truth[[2]string{"frontend", "backend"}].SuccessPct, *numbers[0].Values[0], 0.2)
}

// checkGraph compares the edges of the graph with what the generator put in.
func checkGraph(t *testing.T, dr backend.DataResponse, truth map[[2]string]envoysim.EdgeTruth) {
	t.Helper()
	checked := checkGraphEdges(t, dr, truth)
	assert.GreaterOrEqual(t, checked, 5, "the demo has at least five mapped edges")

	var notices []string
	for _, n := range dr.Frames[0].Meta.Notices {
		notices = append(notices, n.Text)
	}
	assert.Contains(t, strings.Join(notices, "\n"), "mystery-svc", "series that map to no service are reported")
}

// checkGraphEdges checks the nodes and edges frames and every mapped edge
// of truth against them, and returns how many edges it checked.
func checkGraphEdges(t *testing.T, dr backend.DataResponse, truth map[[2]string]envoysim.EdgeTruth) int {
	t.Helper()
	require.NoError(t, dr.Error)
	require.Len(t, dr.Frames, 2)
	nodes, edges := dr.Frames[0], dr.Frames[1]
	require.Equal(t, "nodes", nodes.Name)
	require.Equal(t, "edges", edges.Name)
	assert.Equal(t, data.VisTypeNodeGraph, string(edges.Meta.PreferredVisualization))

	nodeIDs := map[string]bool{}
	for i := 0; i < nodes.Rows(); i++ {
		nodeIDs[str(t, nodes, "id", i)] = true
	}
	gotEdges := map[string]int{}
	for i := 0; i < edges.Rows(); i++ {
		gotEdges[str(t, edges, "id", i)] = i
		assert.True(t, nodeIDs[str(t, edges, "source", i)], "edge source must be a node")
		assert.True(t, nodeIDs[str(t, edges, "target", i)], "edge target must be a node")
	}
	checked := 0
	for key, want := range truth {
		if want.Destination == "mystery-svc" {
			continue // unmapped: reported in a notice, not drawn
		}
		row, ok := gotEdges[key[0]+"->"+key[1]]
		if !assert.True(t, ok, "edge %s->%s is missing", key[0], key[1]) {
			continue
		}
		checked++
		if want.TCP {
			assert.InEpsilon(t, want.TxBytesPerSec+want.RxBytesPerSec, num(t, edges, "detail__tcp_bytes_per_second", row), 0.02, "%v bytes/s", key)
			continue
		}
		assert.InEpsilon(t, want.Rps, num(t, edges, "mainstat", row), 0.02, "%v req/s", key)
		assert.InDelta(t, want.SuccessPct, num(t, edges, "secondarystat", row), 0.2, "%v success %%", key)
		lo, hi := envoysim.BucketOf(want.P99)
		p99 := num(t, edges, "detail__latency_p99", row)
		assert.True(t, p99 > lo && p99 <= hi, "%v p99 %.2f ms not in (%v, %v]", key, p99, lo, hi)
	}
	return checked
}

func TestBadInputGivesClearErrorsAndNothingCrashes(t *testing.T) {
	prom := demoPrometheus(t)
	cp := cpreplay.Start(t, "2.14.3", cpreplay.WithToken("right-token"))

	t.Run("a wrong control-plane token is a downstream 401 that names the token setting", func(t *testing.T) {
		s := startStack(t, cp.URL, prom.URL, map[string]string{"cpToken": "wrong-token"})
		res := s.query(t, q("A", `{"queryType":"meshes"}`))
		r := res.Responses["A"]
		require.Error(t, r.Error)
		assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
		assert.Equal(t, backend.StatusUnauthorized, r.Status)
		assert.Contains(t, r.Error.Error(), "cpToken")
		assert.NotContains(t, r.Error.Error(), "wrong-token")
		assert.NotContains(t, s.logs.String(), "wrong-token")
	})

	t.Run("an unknown mesh is a 404 that says the mesh does not exist", func(t *testing.T) {
		s := startStack(t, cp.URL, prom.URL, map[string]string{"cpToken": "right-token"})
		res := s.query(t, q("A", `{"queryType":"dataplanes","mesh":"nope"}`), q("B", `{"queryType":"meshes"}`))
		assert.Equal(t, backend.StatusNotFound, res.Responses["A"].Status)
		assert.ErrorContains(t, res.Responses["A"].Error, "nope")
		assert.NoError(t, res.Responses["B"].Error, "other queries are still answered")
	})

	t.Run("an unreachable Prometheus fails the graph and the health check, not the lists", func(t *testing.T) {
		s := startStack(t, cp.URL, "http://127.0.0.1:1", map[string]string{"cpToken": "right-token"})
		res := s.query(t, q("graph", `{"queryType":"mesh-graph","mesh":"default"}`), q("list", `{"queryType":"meshes"}`))
		assert.Equal(t, backend.ErrorSourceDownstream, res.Responses["graph"].ErrorSource)
		assert.ErrorContains(t, res.Responses["graph"].Error, "Prometheus")
		assert.NoError(t, res.Responses["list"].Error)
		health := s.health(t)
		assert.Equal(t, backend.HealthStatusError, health.Status)
		assert.Contains(t, health.Message, "Kuma control plane OK")
		assert.Contains(t, health.Message, "Cannot reach Prometheus")
	})

	t.Run("an unreachable control plane is named in the health check", func(t *testing.T) {
		s := startStack(t, "http://127.0.0.1:1", prom.URL, nil)
		health := s.health(t)
		assert.Equal(t, backend.HealthStatusError, health.Status)
		assert.Contains(t, health.Message, "Cannot reach the Kuma control plane")
		assert.Contains(t, health.Message, "Prometheus OK")
	})

	t.Run("settings of the older plugin say what to set", func(t *testing.T) {
		s := startStack(t, cp.URL, "", map[string]string{"cpToken": "right-token"})
		s.pc.DataSourceInstanceSettings.JSONData = []byte(`{"prometheusDataSourceId": 3}`)
		health := s.health(t)
		assert.Equal(t, backend.HealthStatusError, health.Status)
		assert.Contains(t, health.Message, "Prometheus URL is not set or not valid")
		assert.Contains(t, health.Message, "with id 3")
	})

	t.Run("malformed query JSON and unknown types fail only their own query", func(t *testing.T) {
		s := startStack(t, cp.URL, prom.URL, map[string]string{"cpToken": "right-token"})
		res := s.query(t, q("A", `{"queryType":`), q("B", `{"queryType":"pods"}`), q("C", `{"queryType":"zones"}`))
		assert.Equal(t, backend.ErrorSourcePlugin, res.Responses["A"].ErrorSource, "the query editor writes the query JSON, so a malformed one is the plugin's fault")
		assert.Equal(t, backend.StatusBadRequest, res.Responses["A"].Status)
		assert.ErrorContains(t, res.Responses["B"].Error, "unknown query type")
		assert.NoError(t, res.Responses["C"].Error)
		assert.False(t, s.host.Exited())
	})
}

func resource(t *testing.T, s *stack, path string) []byte {
	t.Helper()
	// Grafana sends the path without the query string, and the whole URL.
	res, err := s.host.CallResource(context.Background(), &backend.CallResourceRequest{
		PluginContext: s.pc, Path: strings.SplitN(path, "?", 2)[0], Method: "GET", URL: "/" + path,
	})
	require.NoError(t, err)
	require.Equal(t, 200, res.Status, "%s", res.Body)
	return res.Body
}

func names(t *testing.T, res *backend.QueryDataResponse, refID string) []string {
	t.Helper()
	dr := res.Responses[refID]
	require.NoError(t, dr.Error, refID)
	require.Len(t, dr.Frames, 1, refID)
	f := dr.Frames[0]
	require.Equal(t, "name", f.Fields[0].Name, "the first field is the name, so the query works as a variable")
	out := make([]string, f.Rows())
	for i := range out {
		out[i] = str(t, f, "name", i)
	}
	return out
}

func str(t *testing.T, f *data.Frame, field string, row int) string {
	t.Helper()
	fld, _ := f.FieldByName(field)
	require.NotNil(t, fld, "field %s", field)
	v, _ := fld.ConcreteAt(row)
	s, ok := v.(string)
	require.True(t, ok, "field %s is a string", field)
	return s
}

func num(t *testing.T, f *data.Frame, field string, row int) float64 {
	t.Helper()
	fld, _ := f.FieldByName(field)
	require.NotNil(t, fld, "field %s", field)
	v, ok := fld.ConcreteAt(row)
	if !ok {
		return math.NaN()
	}
	n, err := fld.FloatAt(row)
	require.NoError(t, err, "field %s value %v", field, v)
	return n
}
