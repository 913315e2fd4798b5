//go:build integration

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

// scaleStep is the sample interval of the scale data: four samples per
// series over the hour keep the import of 1,000 services small, and fewer
// samples make Prometheus' share of the time smaller, so the QueryData to
// bare ratio is, if anything, overstated.
const scaleStep = 20 * time.Minute

// scale is the plugin binary querying a synthetic mesh (envoysim.Synthetic,
// ten calls per service) in a real Prometheus and a replayed control plane
// whose service list is generated from the same scenario, together with the
// requests one mesh-graph query makes, to replay them bare.
type scale struct {
	scenario envoysim.Scenario
	stack    *stack
	query    backend.DataQuery
	bare     []recorded
	client   *http.Client
}

// recorded is one HTTP request the plugin made.
type recorded struct {
	method, url, contentType string
	body                     []byte
}

func startScale(tb testing.TB, services int) *scale {
	tb.Helper()
	sc := envoysim.Synthetic(services, 10, windowStart, windowEnd)
	sc.Step = scaleStep
	prom := promtest.StartOnce(tb, fmt.Sprintf("synthetic-%d", services), sc.OpenMetrics)
	cp := cpreplay.StartDir(tb, syntheticRecording(tb, sc), "2.14.3")

	// A second data source of the same process reaches Prometheus through a
	// recording proxy, to learn the requests of one query; the measured one
	// talks to Prometheus directly.
	promCalls := &recorder{target: prom.URL}
	proxy := httptest.NewServer(promCalls)
	tb.Cleanup(proxy.Close)
	s := &scale{scenario: sc, stack: startStack(tb, cp.URL, prom.URL, nil), client: &http.Client{}}
	jsonData, err := json.Marshal(map[string]any{"prometheusUrl": prom.URL, "timeout": 300})
	require.NoError(tb, err)
	s.stack.pc.DataSourceInstanceSettings.JSONData = jsonData
	s.query = backend.DataQuery{RefID: "graph", JSON: []byte(`{"queryType":"mesh-graph","mesh":"default"}`),
		TimeRange: backend.TimeRange{From: windowStart, To: windowEnd}}

	recPC := s.stack.pc
	settings := *recPC.DataSourceInstanceSettings
	settings.UID, settings.ID = "kuma-recording", 2
	settings.JSONData, err = json.Marshal(map[string]any{"prometheusUrl": proxy.URL, "timeout": 300})
	require.NoError(tb, err)
	recPC.DataSourceInstanceSettings = &settings
	for range 2 { // the second query is the steady state, after the instance is made
		promCalls.reset()
		cp.Reset()
		res, err := s.stack.host.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: recPC, Queries: []backend.DataQuery{s.query}})
		require.NoError(tb, err)
		require.NoError(tb, res.Responses["graph"].Error)
	}
	s.bare = promCalls.requests()
	base := strings.TrimSuffix(cp.URL, "/")
	for _, r := range cp.Requests() {
		s.bare = append(s.bare, recorded{method: r.Method, url: base + r.Path + "?" + r.RawQuery})
	}
	require.NotEmpty(tb, s.bare)
	return s
}

// syntheticRecording is a copy of the 2.14.3 recording's index and meshes
// with the service insights of mesh default generated from sc.
func syntheticRecording(tb testing.TB, sc envoysim.Scenario) string {
	tb.Helper()
	root, err := repo.Root()
	require.NoError(tb, err)
	dir := tb.TempDir()
	for _, name := range []string{"index.json", "meshes.json"} {
		body, err := os.ReadFile(filepath.Join(root, "testdata", "kuma-cp-2.14.3", name))
		require.NoError(tb, err)
		require.NoError(tb, os.WriteFile(filepath.Join(dir, name), body, 0o600))
	}
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "service-insights_default.json"), sc.ServiceInsights("default"), 0o600))
	return dir
}

// queryData runs the mesh-graph query through the plugin binary.
func (s *scale) queryData(tb testing.TB) backend.DataResponse {
	res, err := s.stack.host.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: s.stack.pc, Queries: []backend.DataQuery{s.query}})
	if err != nil {
		tb.Fatal(err)
	}
	return res.Responses["graph"]
}

// replayBare makes the query's Prometheus and control-plane requests
// concurrently with a plain HTTP client that reads the bodies and throws
// them away, as curl would, and returns the bytes read.
func (s *scale) replayBare(ctx context.Context) (int64, error) {
	var total int64
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	for _, r := range s.bare {
		g.Go(func() error {
			req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
			if err != nil {
				return err
			}
			if r.contentType != "" {
				req.Header.Set("Content-Type", r.contentType)
			}
			resp, err := s.client.Do(req)
			if err != nil {
				return err
			}
			defer func() { _ = resp.Body.Close() }()
			n, err := io.Copy(io.Discard, resp.Body)
			if err == nil && resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("%s %s: status %d", r.method, r.url, resp.StatusCode)
			}
			mu.Lock()
			total += n
			mu.Unlock()
			return err
		})
	}
	err := g.Wait()
	return total, err
}

// peakRSS is the plugin process's peak resident set (VmHWM) in bytes.
func (s *scale) peakRSS() (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.stack.host.PID()))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", s.stack.host.PID())
}

// recorder forwards requests to target and keeps a copy of each.
type recorder struct {
	target string
	mu     sync.Mutex
	seen   []recorded
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := recorded{method: r.Method, url: rec.target + r.URL.RequestURI(), contentType: r.Header.Get("Content-Type"), body: body}
	rec.mu.Lock()
	rec.seen = append(rec.seen, call)
	rec.mu.Unlock()
	req, err := http.NewRequestWithContext(r.Context(), call.method, call.url, bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	maps.Copy(w.Header(), resp.Header)
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func (rec *recorder) reset() {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.seen = nil
}

func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.seen...)
}

// TestScaleHarnessMatchesTheTruth runs the end-to-end benchmark's harness on
// a small synthetic mesh, so that the harness cannot rot: every node and
// edge against the generated truth, and the replayed requests are the
// query's five Prometheus queries and its control-plane reads.
func TestScaleHarnessMatchesTheTruth(t *testing.T) {
	const services = 20
	s := startScale(t, services)
	dr := s.queryData(t)
	truth := s.scenario.Expected()
	require.Len(t, truth, services*10)
	assert.Equal(t, services*10, checkGraphEdges(t, dr, truth))
	assert.Equal(t, services, dr.Frames[0].Rows(), "one node per service")
	assert.Equal(t, services*10, dr.Frames[1].Rows(), "one edge per call")

	var prom, cp int
	for _, r := range s.bare {
		if strings.Contains(r.url, "/api/v1/query") {
			prom++
		} else {
			cp++
		}
	}
	assert.Equal(t, 5, prom, "one mesh graph makes five Prometheus queries")
	assert.Positive(t, cp, "and reads the control plane")
	n, err := s.replayBare(context.Background())
	require.NoError(t, err)
	assert.Positive(t, n)
	rss, err := s.peakRSS()
	require.NoError(t, err)
	assert.Positive(t, rss)
}

// BenchmarkMeshGraphEndToEnd measures one mesh-graph QueryData through the
// plugin binary over go-plugin against a real Prometheus holding a
// 1,000-service, 10,000-edge mesh, interleaved with the same Prometheus and
// control-plane requests made bare (see replayBare). It reports both times,
// their ratio and the plugin process's peak RSS over its whole life.
//
//	go test -tags integration -run '^$' -bench BenchmarkMeshGraphEndToEnd -benchtime 5x ./pkg/e2e/
func BenchmarkMeshGraphEndToEnd(b *testing.B) {
	const services = 1000
	s := startScale(b, services)
	s.queryData(b) // makes the measured data source's instance
	var query, bare time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Alternate the order so neither side always runs on a warmer machine.
		for j := range 2 {
			begin := time.Now()
			if (i+j)%2 == 0 {
				dr := s.queryData(b)
				if dr.Error != nil || len(dr.Frames) != 2 || dr.Frames[0].Rows() != services || dr.Frames[1].Rows() != 10*services {
					b.Fatalf("unexpected graph: %v", dr.Error)
				}
				query += time.Since(begin)
			} else {
				if _, err := s.replayBare(context.Background()); err != nil {
					b.Fatal(err)
				}
				bare += time.Since(begin)
			}
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(query.Milliseconds())/n, "querydata-ms/op")
	b.ReportMetric(float64(bare.Milliseconds())/n, "bare-ms/op")
	b.ReportMetric(float64(query)/float64(bare), "querydata/bare")
	rss, err := s.peakRSS()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(rss)/(1<<20), "plugin-peak-rss-MB")
}
