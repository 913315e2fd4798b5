//go:build integration

package promtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// sample is one hour of a counter growing from 0 to 360 in steps of 60 s,
// ending a day ago, so queries must use past timestamps.
func sample(end time.Time) []byte {
	out := "# HELP demo_requests Requests.\n# TYPE demo_requests counter\n"
	start := end.Add(-time.Hour)
	for ts := start; !ts.After(end); ts = ts.Add(time.Minute) {
		v := ts.Sub(start).Seconds() / 10
		out += fmt.Sprintf("demo_requests_total{job=\"demo\"} %g %d\n", v, ts.Unix())
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
	end := time.Now().Add(-24 * time.Hour).Truncate(time.Minute)
	s := Start(t, sample(end))
	t.Logf("Prometheus ready after %s", s.Startup)

	tests := []struct {
		name  string
		query string
		at    time.Time
		want  []float64
	}{
		{name: "the last sample is visible at the end of the data", query: "demo_requests_total", at: end, want: []float64{360}},
		{name: "increase over the whole window is the total", query: "increase(demo_requests_total[1h])", at: end, want: []float64{360}},
		{name: "rate is the total per second", query: "rate(demo_requests_total[10m])", at: end, want: []float64{0.1}},
		{name: "nothing is visible long after the data", query: "demo_requests_total", at: end.Add(time.Hour), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := query(t, s, tt.query, tt.at)
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
	assert.Equal(t, []float64{360}, query(t, a, "demo_requests_total", end))
}

// TestBlockCacheConvertsADataSetOnce stands for the packages of one run:
// servers on the same data share one cache entry, and the entry still loads
// after a server that used it has stopped.
func TestBlockCacheConvertsADataSetOnce(t *testing.T) {
	cache := t.TempDir()
	t.Setenv(CacheEnv, cache)
	end := time.Now().Add(-24 * time.Hour).Truncate(time.Minute)
	a := Start(t, sample(end))
	b := Start(t, sample(end))
	a.Stop()
	c := Start(t, sample(end))
	for _, s := range []*Server{b, c} {
		assert.Equal(t, []float64{360}, query(t, s, "demo_requests_total", end))
	}
	other := Start(t, sample(end.Add(-time.Minute)))
	assert.Equal(t, []float64{360}, query(t, other, "demo_requests_total", end.Add(-time.Minute)))

	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	assert.Len(t, dirs, 2, "one entry per data set, no temporary left: %v", dirs)
	blocks, err := filepath.Glob(filepath.Join(cache, dirs[0], "*", "meta.json"))
	require.NoError(t, err)
	assert.NotEmpty(t, blocks, "an entry holds the blocks")
}

func TestStartRejectsInputWithoutEOF(t *testing.T) {
	bins := lookBinaries(t)
	_, err := start(bins, t.TempDir(), []byte("x 1 1\n"))
	require.ErrorContains(t, err, "# EOF")
}

func TestStopIsIdempotentAndStopsTheServer(t *testing.T) {
	s := Start(t, sample(time.Now().Truncate(time.Minute)))
	s.Stop()
	s.Stop()
	_, err := http.Get(s.URL + "/-/ready")
	assert.Error(t, err, "the server no longer answers")
}
