package plugin

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowControlPlane answers a valid empty list after delay, unless the client
// gives up first: a call that ignores timeouts succeeds, late.
func slowControlPlane(t *testing.T, delay time.Duration) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only once the body is read does the server notice a client that
		// gave up (Prometheus queries are POSTs), and end the handler early.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-time.After(delay):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"total":0,"items":[],"next":null}`))
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTheTimeoutSettingBoundsControlPlaneCalls(t *testing.T) {
	cp := slowControlPlane(t, 5*time.Second)
	d := openDatasource(t, backend.DataSourceInstanceSettings{
		URL: cp.URL, JSONData: []byte(`{"timeout":1,"prometheusUrl":"http://127.0.0.1:1"}`),
	})

	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "meshes", `{}`)}})
	require.NoError(t, err)
	r := res.Responses["A"]
	require.Error(t, r.Error, "a control plane slower than the timeout setting must fail the query")
	assert.Contains(t, r.Error.Error(), "control plane: GET /meshes: timed out")
	assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
}

func TestTheTimeoutSettingBoundsPrometheusCalls(t *testing.T) {
	slow := slowControlPlane(t, 5*time.Second) // too late, and not Prometheus' JSON anyway
	d := openDatasource(t, backend.DataSourceInstanceSettings{
		URL: slow.URL, JSONData: []byte(`{"timeout":1,"prometheusUrl":"` + slow.URL + `"}`),
	})

	start := time.Now()
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	_, promLine, ok := strings.Cut(res.Message, "\n")
	require.True(t, ok, res.Message)
	assert.Contains(t, promLine, healthPromUnreachable+": Prometheus: ")
	assert.Contains(t, promLine, "timed out")
	assert.Less(t, time.Since(start), 4*time.Second, "both sides give up after the 1 s setting")
}

func TestACanceledRequestStopsControlPlaneCalls(t *testing.T) {
	cp := slowControlPlane(t, 5*time.Second)
	d := openDatasource(t, backend.DataSourceInstanceSettings{URL: cp.URL, JSONData: []byte(`{"timeout":60}`)})

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res, err := d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "zones", `{}`)}})
	require.NoError(t, err)
	r := res.Responses["A"]
	require.Error(t, r.Error, "Grafana cancelling the request must end the call")
	assert.ErrorIs(t, r.Error, context.DeadlineExceeded)
	assert.Equal(t, backend.StatusTimeout, r.Status)
}

func TestEveryClientHasABoundedTimeout(t *testing.T) {
	for jsonData, want := range map[string]time.Duration{
		`{"prometheusUrl":"http://p:9090"}`:                  30 * time.Second,
		`{"prometheusUrl":"http://p:9090","timeout":0}`:      30 * time.Second,
		`{"prometheusUrl":"http://p:9090","timeout":-3}`:     30 * time.Second,
		`{"prometheusUrl":"http://p:9090","timeout":"5"}`:    5 * time.Second,
		`{"prometheusUrl":"http://p:9090","timeout":1e12}`:   300 * time.Second,
		`{"prometheusUrl":"http://p:9090","timeout":"0.01"}`: time.Second,
	} {
		t.Run(jsonData, func(t *testing.T) {
			d := openDatasource(t, backend.DataSourceInstanceSettings{URL: "http://cp:5681", JSONData: []byte(jsonData)})
			require.Len(t, d.clients, 2, "one client per side")
			for _, c := range d.clients {
				assert.Equal(t, want, c.Timeout)
			}
		})
	}
}

func TestANumericStringTimeoutBoundsControlPlaneCalls(t *testing.T) {
	cp := slowControlPlane(t, 5*time.Second)
	d := openDatasource(t, backend.DataSourceInstanceSettings{
		URL: cp.URL, JSONData: []byte(`{"timeout":"1","prometheusUrl":"http://127.0.0.1:1"}`),
	})
	start := time.Now()
	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "meshes", `{}`)}})
	require.NoError(t, err)
	assert.ErrorContains(t, res.Responses["A"].Error, "timed out")
	assert.Less(t, time.Since(start), 4*time.Second)
}

// TestCheckHealthChecksBothSidesAtOnce runs Save & test against a control
// plane and a Prometheus that each hold their first request until the other
// side's first request has arrived (or 3 s pass): only a concurrent check
// sees both requests overlap.
func TestCheckHealthChecksBothSidesAtOnce(t *testing.T) {
	cpArrived, promArrived := make(chan struct{}), make(chan struct{})
	var cpOnce, promOnce sync.Once
	overlapped := func(mine, other chan struct{}, once *sync.Once) bool {
		once.Do(func() { close(mine) })
		select {
		case <-other:
			return true
		case <-time.After(3 * time.Second):
			return false
		}
	}
	var cpSawProm, promSawCP atomic.Bool
	var promCalls atomic.Int32
	cp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cpSawProm.Store(overlapped(cpArrived, promArrived, &cpOnce))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"product":"Kuma","version":"2.14.0","basedOnKuma":"2.14.0","instanceId":"cp","clusterId":"c","gui":"/gui","mode":"zone"}`))
	}))
	t.Cleanup(cp.Close)
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if promCalls.Add(1) == 1 {
			promSawCP.Store(overlapped(promArrived, cpArrived, &promOnce))
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"1"]}]}}`))
	}))
	t.Cleanup(prom.Close)
	d := openDatasource(t, backend.DataSourceInstanceSettings{
		URL: cp.URL, JSONData: []byte(`{"timeout":10,"prometheusUrl":"` + prom.URL + `"}`),
	})

	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	cpLine, promLine, ok := strings.Cut(res.Message, "\n")
	require.True(t, ok, res.Message)
	assert.True(t, strings.HasPrefix(cpLine, healthCPOK+": "), cpLine)
	assert.True(t, strings.HasPrefix(promLine, healthPromOK+":") || strings.HasPrefix(promLine, healthPromNoMetrics+":"), promLine)
	assert.True(t, cpSawProm.Load(), "the control plane's request must arrive while Prometheus' is open")
	assert.True(t, promSawCP.Load(), "Prometheus' first request must arrive while the control plane's is open")
}
