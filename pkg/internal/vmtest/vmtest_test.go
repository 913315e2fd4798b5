//go:build integration

package vmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { Main(m) }

// sample is one hour of a counter growing from 0 to 360 in steps of 60 s,
// ending at end, in OpenMetrics with second timestamps as envoysim writes.
func sample(end time.Time) []byte {
	out := "# HELP demo_requests Requests.\n# TYPE demo_requests counter\n"
	start := end.Add(-time.Hour)
	for ts := start; !ts.After(end); ts = ts.Add(time.Minute) {
		v := ts.Sub(start).Seconds() / 10
		out += fmt.Sprintf("demo_requests_total{job=\"demo\",path=\"/a b\"} %g %d.5\n", v, ts.Unix())
	}
	return []byte(out + "# EOF\n")
}

func query(t *testing.T, s *Server, q string, ts time.Time) []float64 {
	t.Helper()
	u := s.URL + "/api/v1/query?" + url.Values{"query": {q}, "time": {fmt.Sprint(ts.Unix())}}.Encode()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		Status string
		Data   struct {
			Result []struct {
				Value [2]any
			}
		}
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(t, "success", body.Status)
	var vals []float64
	for _, r := range body.Data.Result {
		var f float64
		_, err := fmt.Sscan(r.Value[1].(string), &f)
		require.NoError(t, err)
		vals = append(vals, f)
	}
	return vals
}

func TestStartLoadsPastData(t *testing.T) {
	// Ten years back: older than VictoriaMetrics' default retention.
	end := time.Now().AddDate(-10, 0, 0).Truncate(time.Minute)
	s := Start(t, sample(end))
	t.Logf("VictoriaMetrics ready after %s", s.Startup)
	at := end.Add(time.Second) // past the last sample, at end + 0.5 s

	tests := []struct {
		name  string
		query string
		want  []float64
	}{
		{name: "the last sample is visible after the end of the data", query: "demo_requests_total", want: []float64{360}},
		{name: "increase over the whole window is the total", query: "increase(demo_requests_total[1h])", want: []float64{360}},
		{name: "rate is the total per second", query: "rate(demo_requests_total[10m])", want: []float64{0.1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := query(t, s, tt.query, at)
			require.Len(t, got, len(tt.want))
			for i := range tt.want {
				assert.InDelta(t, tt.want[i], got[i], 1e-9)
			}
		})
	}
}

func TestStartOnceSharesOneServerPerDataSet(t *testing.T) {
	end := time.Now().Add(-time.Hour).Truncate(time.Minute)
	calls := 0
	data := func() []byte { calls++; return sample(end) }

	a := StartOnce(t, "demo", data)
	b := StartOnce(t, "demo", data)
	assert.Same(t, a, b)
	assert.Equal(t, 1, calls, "the data set is generated once")
	assert.Equal(t, []float64{360}, query(t, a, "demo_requests_total", end.Add(time.Second)))
}

func TestStopIsIdempotentAndStopsTheServer(t *testing.T) {
	s := Start(t, sample(time.Now().Truncate(time.Minute)))
	s.Stop()
	s.Stop()
	_, err := http.Get(s.URL + "/health")
	assert.Error(t, err, "the server no longer answers")
}
