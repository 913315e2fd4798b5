//go:build integration

package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/logbuf"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/pluginhost"
)

// Secrets planted in the settings; none may reach an answer or a log line.
const (
	plantedCPToken      = "PLANTED-cp-token-7f3a9c"
	plantedPromUser     = "grafana"
	plantedPromPassword = "PLANTED-prom-pass-51d2"
	plantedPromToken    = "PLANTED-prom-token-88e1"
)

var planted = []string{plantedCPToken, plantedPromPassword, plantedPromToken}

// faultStack starts the plugin binary with jsonData and secrets as given.
func faultStack(t *testing.T, cpURL string, jsonData any, secure map[string]string) *stack {
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
	raw, ok := jsonData.([]byte)
	if !ok {
		raw, err = json.Marshal(jsonData)
		require.NoError(t, err)
	}
	return &stack{host: host, logs: logs, pc: backend.PluginContext{
		PluginID: pluginID,
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			UID: "kuma", Name: "Kuma", URL: cpURL, JSONData: raw, DecryptedSecureJSONData: secure, Updated: time.Now(),
		},
	}}
}

// texts returns every text of a response a user can see: errors and notices.
func texts(res *backend.QueryDataResponse) string {
	var b strings.Builder
	for _, r := range res.Responses {
		if r.Error != nil {
			b.WriteString(r.Error.Error() + "\n")
		}
		for _, f := range r.Frames {
			if f.Meta != nil {
				for _, n := range f.Meta.Notices {
					b.WriteString(n.Text + "\n")
				}
			}
		}
	}
	return b.String()
}

// assertNoSecret checks the answers and everything the plugin logged.
func assertNoSecret(t *testing.T, s *stack, answers ...string) {
	t.Helper()
	all := strings.Join(answers, "\n") + s.logs.String()
	for _, p := range planted {
		assert.NotContains(t, all, p, "a planted secret leaked")
	}
}

func fakeServer(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func promAnswer(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(body))
}

// gzipMembers builds a gzip body that inflates to about size bytes of a
// vector answer, from concatenated members, so it is cheap to build.
func gzipMembers(t *testing.T, size int) []byte {
	member := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(b)
		require.NoError(t, zw.Close())
		return buf.Bytes()
	}
	out := member([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"x":"`))
	pad := member(bytes.Repeat([]byte("a"), 1<<20))
	for n := 0; n < size; n += 1 << 20 {
		out = append(out, pad...)
	}
	return append(out, member([]byte(`"},"value":[1,"1"]}]}}`))...)
}

// peakRSS is the plugin process's high-water resident memory, from /proc.
func peakRSS(t *testing.T, pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

func TestPrometheusFaults(t *testing.T) {
	cp := cpreplay.Start(t, "2.14.3", cpreplay.WithToken(plantedCPToken))
	bomb := gzipMembers(t, 1<<30)
	otherHost := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		promAnswer(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
	})
	invalidValues := func(w http.ResponseWriter, r *http.Request) {
		var result []string
		for i, v := range []string{"+Inf", "NaN", "-5", "10"} {
			result = append(result, fmt.Sprintf(`{"metric":{"kuma_io_service":"frontend","kuma_io_zone":"default","envoy_cluster_name":"backend%s","envoy_response_code_class":"2","le":"%s"},"value":[1700000000,%q]}`,
				strings.Repeat("", i), map[bool]string{true: "-1", false: "+Inf"}[i == 3], v))
		}
		promAnswer(w, `{"status":"success","data":{"resultType":"vector","result":[`+strings.Join(result, ",")+`]}}`)
	}
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		status   backend.Status
		text     string // in the graph's error; "" means the graph is answered
		health   string
		maxRSS   int64
		withUser bool
		settings map[string]any
	}{
		{name: "success without data", handler: func(w http.ResponseWriter, r *http.Request) { promAnswer(w, `{"status":"success"}`) },
			status: backend.StatusBadGateway, text: "the answer has no result", health: "Cannot reach Prometheus"},
		{name: "an empty object", handler: func(w http.ResponseWriter, r *http.Request) { promAnswer(w, `{}`) },
			status: backend.StatusBadGateway, text: "Prometheus: query", health: "Cannot reach Prometheus"},
		{name: "null", handler: func(w http.ResponseWriter, r *http.Request) { promAnswer(w, `null`) },
			status: backend.StatusBadGateway, text: "Prometheus: query", health: "Cannot reach Prometheus"},
		{name: "data null", handler: func(w http.ResponseWriter, r *http.Request) { promAnswer(w, `{"status":"success","data":null}`) },
			status: backend.StatusBadGateway, text: "the answer has no result", health: "Cannot reach Prometheus"},
		{name: "a matrix where a vector was expected", handler: func(w http.ResponseWriter, r *http.Request) {
			promAnswer(w, `{"status":"success","data":{"resultType":"matrix","result":[]}}`)
		}, status: backend.StatusBadGateway, text: "returned a matrix, not a vector"},
		{name: "a 401 whose body echoes the Authorization header", withUser: true, handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, "denied: Authorization: %s (user %s)", r.Header.Get("Authorization"), plantedPromPassword)
		}, status: backend.StatusUnauthorized, text: "check the Prometheus basic auth user and password or token", health: "Cannot reach Prometheus"},
		{name: "an API error that echoes the token", handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnprocessableEntity)
			promAnswer(w, `{"status":"error","errorType":"execution","error":"bad token `+r.Header.Get("Authorization")+`"}`)
		}, status: backend.StatusBadGateway, text: "Prometheus: query failed"},
		{name: "a redirect to another host", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, otherHost+"/api/v1/query?token="+plantedPromToken, http.StatusFound)
		}, status: backend.StatusBadGateway, text: "refusing redirect to " + otherHost + "/api/v1/query?token=xxxxx"},
		{name: "a gzip answer that inflates to 1 GiB", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb)
		}, status: backend.StatusBadGateway, text: "256 MiB cap", maxRSS: 2 << 30},
		{name: "a gzip answer that inflates to 1 GiB, with a 32 MiB cap", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb)
		}, status: backend.StatusBadGateway, text: "32 MiB cap", maxRSS: 512 << 20, settings: map[string]any{"prometheusMaxResponseMiB": "32"}},
		{name: "+Inf, NaN and negative values", handler: invalidValues},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jsonData := map[string]any{"prometheusUrl": fakeServer(t, tt.handler), "timeout": 120} // a loaded CI machine inflates slowly
			secure := map[string]string{"cpToken": plantedCPToken, "prometheusToken": plantedPromToken}
			maps.Copy(jsonData, tt.settings)
			if tt.withUser {
				jsonData["prometheusBasicAuthUser"] = plantedPromUser
				secure["prometheusBasicAuthPassword"] = plantedPromPassword
			}
			s := faultStack(t, cp.URL, jsonData, secure)
			res := s.query(t, q("graph", `{"queryType":"mesh-graph","mesh":"default"}`), q("list", `{"queryType":"meshes"}`))
			graph := res.Responses["graph"]
			if tt.text == "" {
				require.NoError(t, graph.Error)
				nodes, edges := graph.Frames[0], graph.Frames[1]
				assert.Contains(t, texts(res), "cannot be a count (+Inf, NaN or negative) or an invalid bucket bound")
				for i := 0; i < edges.Rows(); i++ {
					v := num(t, edges, "mainstat", i)
					assert.False(t, math.IsInf(v, 0) || math.IsNaN(v) || v < 0, "edge req/s %v", v)
				}
				for i := 0; i < nodes.Rows(); i++ {
					v := num(t, nodes, "mainstat", i)
					assert.False(t, math.IsInf(v, 0) || math.IsNaN(v) || v < 0, "node req/s %v", v)
				}
			} else {
				require.Error(t, graph.Error)
				assert.Contains(t, graph.Error.Error(), tt.text)
				assert.Equal(t, tt.status, graph.Status)
				assert.Equal(t, backend.ErrorSourceDownstream, graph.ErrorSource)
			}
			assert.NoError(t, res.Responses["list"].Error, "the other query of the request is answered")
			health := s.health(t)
			if tt.health != "" {
				assert.Equal(t, backend.HealthStatusError, health.Status)
				assert.Contains(t, health.Message, tt.health)
				assert.NotContains(t, health.Message, "panic")
			}
			assert.False(t, s.host.Exited(), "the plugin process must survive")
			assertNoSecret(t, s, texts(res), health.Message)
			if tt.maxRSS > 0 {
				rss := peakRSS(t, s.host.PID())
				t.Logf("peak RSS of the plugin: %d MiB", rss>>20)
				assert.Less(t, rss, tt.maxRSS)
			}
		})
	}
}

func TestControlPlaneFaults(t *testing.T) {
	prom := demoPrometheus(t)
	t.Run("an error body that echoes the token", func(t *testing.T) {
		cpURL := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				promAnswer(w, `{"product":"Kuma","version":"2.14.3"}`)
				return
			}
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = fmt.Fprintf(w, "upstream failed for %s", r.Header.Get("Authorization"))
		})
		s := faultStack(t, cpURL, map[string]any{"prometheusUrl": prom.URL}, map[string]string{"cpToken": plantedCPToken})
		res := s.query(t, q("A", `{"queryType":"meshes"}`), q("B", `{"queryType":"zones"}`))
		for _, ref := range []string{"A", "B"} {
			r := res.Responses[ref]
			require.Error(t, r.Error)
			assert.Equal(t, backend.StatusBadGateway, r.Status)
			assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
			assert.Contains(t, r.Error.Error(), "500 Internal Server Error: upstream failed for Bearer xxxxx")
		}
		body := resourceCall(t, s, "meshes")
		assert.Equal(t, http.StatusBadGateway, body.Status)
		health := s.health(t)
		assert.Contains(t, health.Message, "Cannot reach the Kuma control plane")
		assertNoSecret(t, s, texts(res), string(body.Body), health.Message)
	})
	t.Run("a missing or wrong token fails the health check", func(t *testing.T) {
		cp := cpreplay.Start(t, "2.14.3", cpreplay.WithToken(plantedCPToken))
		for token, want := range map[string]string{"": "set a control-plane token (cpToken)", "wrong": "check the control-plane token (cpToken)"} {
			s := faultStack(t, cp.URL, map[string]any{"prometheusUrl": prom.URL}, map[string]string{"cpToken": token})
			health := s.health(t)
			assert.Equal(t, backend.HealthStatusError, health.Status)
			assert.Contains(t, health.Message, "Cannot reach the Kuma control plane: control plane: GET /config: 401")
			assert.Contains(t, health.Message, want)
		}
	})
}

func TestSettingsFaultsAnswerEveryCall(t *testing.T) {
	cp := cpreplay.Start(t, "2.14.3")
	tests := []struct {
		name     string
		url      string
		jsonData []byte
		secure   map[string]string
		text     string
	}{
		{name: "jsonData is a string", jsonData: []byte(`"x"`), text: "jsonData must be a JSON object, not a string"},
		{name: "jsonData is an array", jsonData: []byte(`[1]`), text: "jsonData must be a JSON object, not an array"},
		{name: "prometheusUrl is a number", jsonData: []byte(`{"prometheusUrl":5}`), text: "prometheusUrl must be a string"},
		{name: "access is a number", jsonData: []byte(`{"access":5}`), text: "jsonData.access must be a string"},
		{name: "basicAuthUser is a number", jsonData: []byte(`{"basicAuth":true,"basicAuthUser":5}`), text: "jsonData.basicAuthUser must be a string"},
		{name: "serverName is a number", jsonData: []byte(`{"tlsAuthWithCACert":true,"serverName":5}`), text: "jsonData.serverName must be a string"},
		{name: "an unparsable CA PEM", jsonData: []byte(`{"tlsAuthWithCACert":true}`), secure: map[string]string{"tlsCACert": "not a PEM"},
			text: "control plane TLS or HTTP settings"},
		{name: "a URL with a password", url: "ftp://admin:" + plantedCPToken + "@h", jsonData: []byte(`{}`), text: "the control plane URL is not a valid http(s) URL: ftp://xxxxx@h"},
		{name: "a URL with a password after a fragment", url: "http://admin:" + plantedCPToken + "#x@h", jsonData: []byte(`{}`),
			text: "the control plane URL is not a valid http(s) URL: (an unparsable URL)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := tt.url
			if url == "" {
				url = cp.URL
			}
			secure := map[string]string{"cpToken": plantedCPToken}
			maps.Copy(secure, tt.secure)
			s := faultStack(t, url, tt.jsonData, secure)
			res := s.query(t, q("A", `{"queryType":"meshes"}`), q("B", `{"queryType":"zones"}`), q("C", `{"queryType":"services","mesh":"default"}`))
			require.Len(t, res.Responses, 3, "every query is answered")
			for _, ref := range []string{"A", "B", "C"} {
				r := res.Responses[ref]
				require.Error(t, r.Error, ref)
				assert.Contains(t, r.Error.Error(), tt.text, ref)
				assert.Equal(t, backend.StatusBadRequest, r.Status, ref)
				assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource, ref)
			}
			body := resourceCall(t, s, "meshes")
			assert.Equal(t, http.StatusBadRequest, body.Status)
			assert.Contains(t, string(body.Body), tt.text)
			health := s.health(t)
			assert.Equal(t, backend.HealthStatusError, health.Status)
			assert.Contains(t, health.Message, "Control plane URL is not set or not valid")
			assert.Contains(t, health.Message, tt.text)
			assert.False(t, s.host.Exited())
			assertNoSecret(t, s, texts(res), string(body.Body), health.Message)
		})
	}
}

func TestUserErrorsAreTheUsers(t *testing.T) {
	cp := cpreplay.Start(t, "2.14.3")
	s := faultStack(t, cp.URL, map[string]any{"prometheusUrl": demoPrometheus(t).URL}, nil)
	res := s.query(t,
		q("json", `{"queryType":`),
		q("type", `{"queryType":"pods"}`),
		q("dot", `{"queryType":"services","mesh":".."}`),
		q("regex", `{"queryType":"services","mesh":"default","zone":"(["}`),
		q("escape", `{"queryType":"mesh-graph","mesh":"default","zone":"x)|(.*"}`),
		q("rollup", `{"queryType":"mesh-graph","mesh":"default","rollupRegEx":"(["}`),
		q("ok", `{"queryType":"meshes"}`),
	)
	for _, ref := range []string{"type", "dot", "regex", "escape", "rollup"} {
		r := res.Responses[ref]
		require.Error(t, r.Error, ref)
		assert.Equal(t, backend.StatusBadRequest, r.Status, ref)
		assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource, ref)
	}
	// The query editor writes the query JSON, so an unparsable one is the
	// plugin's fault, though still a bad request.
	require.Error(t, res.Responses["json"].Error)
	assert.Equal(t, backend.StatusBadRequest, res.Responses["json"].Status)
	assert.Equal(t, backend.ErrorSourcePlugin, res.Responses["json"].ErrorSource)
	assert.NoError(t, res.Responses["ok"].Error)
	bad := resourceCall(t, s, "dataplanes?mesh=default&service=%ff%fe")
	assert.Equal(t, http.StatusBadRequest, bad.Status, "%s", bad.Body)
	assert.Contains(t, string(bad.Body), "not valid UTF-8")
	assert.False(t, s.host.Exited(), "invalid UTF-8 must not crash the plugin")
}

// resourceCall sends a resource request and returns the answer, whatever
// its status.
func resourceCall(t *testing.T, s *stack, path string) *backend.CallResourceResponse {
	t.Helper()
	res, err := s.host.CallResource(context.Background(), &backend.CallResourceRequest{
		PluginContext: s.pc, Path: strings.SplitN(path, "?", 2)[0], Method: "GET", URL: "/" + path,
	})
	require.NoError(t, err)
	return res
}
