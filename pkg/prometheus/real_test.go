//go:build integration

package prometheus

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
)

func TestMain(m *testing.M) { promtest.Main(m) }

// awkwardMesh needs every escape EscapeLabelValue does.
const awkwardMesh = `pay"ments\eu` + "\nwest"

var (
	realEnd   = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	realStart = realEnd.Add(-30 * time.Minute)
)

// realClient returns a client for a real Prometheus holding a small
// scenario in a mesh with an awkward name, whose clock is the data's end.
func realClient(t *testing.T) *Client {
	srv := promtest.StartOnce(t, "awkward", func() []byte {
		return envoysim.Scenario{
			Mesh: awkwardMesh, Start: realStart, End: realEnd,
			Proxies: []envoysim.Proxy{
				{Name: "web-1", Service: "web", Zone: "eu"},
				{Name: "api-1", Service: "api.v1", Zone: "eu"},
			},
			Calls: []envoysim.Call{{From: "web-1", ClusterName: "api.v1", To: "api.v1", Requests: map[int]float64{2: 1800}}},
		}.OpenMetrics()
	})
	c := newClient(t, Config{Address: srv.URL})
	c.now = func() time.Time { return realEnd }
	return c
}

func TestRealPrometheusQuery(t *testing.T) {
	c := realClient(t)
	sel := `{mesh="` + EscapeLabelValue(awkwardMesh) + `",envoy_cluster_name=~"` + EscapeLabelValue(regexp.QuoteMeta("api.v1")) + `"}`
	vec, warnings, err := c.Query(context.Background(), `sum(rate(envoy_cluster_upstream_rq_total`+sel+`[5m]))`, realEnd)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	require.Len(t, vec, 1)
	assert.InEpsilon(t, 1.0, float64(vec[0].Value), 0.02, "1800 requests in 30 minutes")

	_, _, err = c.Query(context.Background(), `sum(rate(up[5m])`, realEnd)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "Prometheus: query failed: bad_data: "), err.Error())
}

func TestRealPrometheusSeriesExist(t *testing.T) {
	c := realClient(t)
	tests := []struct {
		name     string
		selector string
		now      time.Time
		want     bool
	}{
		{name: "proxies of the mesh exist", selector: `envoy_server_live{mesh="` + EscapeLabelValue(awkwardMesh) + `"}`, now: realEnd, want: true},
		{name: "a mesh without proxies has none", selector: `envoy_server_live{mesh="nope"}`, now: realEnd, want: false},
		{name: "series older than the window are not found", selector: `envoy_server_live`, now: realEnd.Add(2 * time.Hour), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.now = func() time.Time { return tt.now }
			got, err := c.SeriesExist(context.Background(), tt.selector)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRealPrometheusPing(t *testing.T) {
	c := realClient(t)
	assert.NoError(t, c.Ping(context.Background()))
}
