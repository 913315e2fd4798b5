package meshgraph

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

var update = flag.Bool("update", false, "update golden files")

// fixtureMetrics is traffic between the services of the recorded mesh
// "default" (frontend, backend, redis, httpbin, edge-gateway, kong-gateway),
// plus a source and a destination the control plane does not know.
func fixtureMetrics(zone string) *fakeMetrics {
	latency := func(n float64) map[string]float64 {
		return map[string]float64{"1": 0.1 * n, "5": 0.6 * n, "25": 0.95 * n, "100": n, "+Inf": n}
	}
	f := metricsFor(
		traffic{src: "edge-gateway", zone: zone, cluster: "frontend-0123456789abcdef", classes: [4]float64{3600, 0, 0, 36}, buckets: latency(3636)},
		traffic{src: "kong-gateway", zone: zone, cluster: "backend", classes: [4]float64{720}, buckets: latency(720)},
		traffic{src: "frontend", zone: zone, cluster: "backend", classes: [4]float64{7200, 360, 180, 72}, buckets: latency(7812)},
		traffic{src: "frontend", zone: zone, cluster: "httpbin", classes: [4]float64{360}},
		traffic{src: "backend", zone: zone, cluster: "redis", cx: 36, tx: 360000, rx: 3600000},
		traffic{src: "batch-job", zone: zone, cluster: "backend", classes: [4]float64{0, 0, 36}},
		traffic{src: "frontend", zone: zone, cluster: "old-service", classes: [4]float64{36}},
	)
	f.gateway = model.Vector{
		sample(3600, "kuma_io_mesh_gateway", "edge-gateway", "kuma_io_zone", zone, "envoy_http_conn_manager_prefix", "edge-gateway", "envoy_response_code_class", "2"),
		sample(72, "kuma_io_mesh_gateway", "edge-gateway", "kuma_io_zone", zone, "envoy_http_conn_manager_prefix", "edge-gateway", "envoy_response_code_class", "5"),
	}
	f.warnings = []string{"PromQL info: metric might not be a counter"}
	return f
}

func TestGoldenFramesFromRecordedControlPlanes(t *testing.T) {
	to := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		version, zone string
		frameZones    []string
	}{
		{version: "2.14.3", zone: "default", frameZones: []string{"default"}},
		{version: "2.2.9", zone: ""},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			srv := cpreplay.Start(t, tt.version)
			client, err := kuma.NewClient(kuma.Config{Address: srv.URL})
			require.NoError(t, err)
			g, err := Build(context.Background(), client, fixtureMetrics(tt.zone), Options{Mesh: "default", From: to.Add(-time.Hour), To: to})
			require.NoError(t, err)

			frames := g.Frames(FrameOptions{Mesh: "default", Zones: tt.frameZones, RefID: "A"})
			require.Len(t, frames, 2)
			assertNodeGraphContract(t, frames)
			dr := backend.DataResponse{Frames: frames}
			experimental.CheckGoldenJSONResponse(t, "testdata", "mesh_graph_kuma_"+tt.version, &dr, *update)
		})
	}
}

// assertNodeGraphContract checks what the node graph panel needs: named
// frames with the meta, and every edge end present as a node id.
func assertNodeGraphContract(t *testing.T, frames data.Frames) {
	t.Helper()
	nodes, edges := frames[0], frames[1]
	assert.Equal(t, "nodes", nodes.Name)
	assert.Equal(t, "edges", edges.Name)
	ids := map[string]bool{}
	idField, _ := nodes.FieldByName("id")
	require.NotNil(t, idField)
	for i := 0; i < idField.Len(); i++ {
		ids[idField.At(i).(string)] = true
	}
	for _, name := range []string{"source", "target"} {
		f, _ := edges.FieldByName(name)
		require.NotNil(t, f)
		for i := 0; i < f.Len(); i++ {
			assert.True(t, ids[f.At(i).(string)], "edge %s %q has no node", name, f.At(i))
		}
	}
	for _, f := range frames {
		assert.Equal(t, data.VisTypeNodeGraph, string(f.Meta.PreferredVisualization))
		assert.NotEmpty(t, f.Meta.ExecutedQueryString)
	}
}

// TestGoldenFramesOfTheExclusiveRecording draws the recorded Exclusive mesh
// "modern" of a global CP, with traffic on the cluster names its Envoys were
// given (testdata/kuma-cp-2.14.3-exclusive/envoy-names*.json) and the labels
// MADS gave its proxies.
func TestGoldenFramesOfTheExclusiveRecording(t *testing.T) {
	to := time.Date(2026, 11, 29, 21, 0, 0, 0, time.UTC)
	client, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, "2.14.3-exclusive").URL})
	require.NoError(t, err)
	m := metricsFor(
		traffic{src: "web", zone: "zone-1", cluster: "modern_api__zone-1_msvc_8080", classes: [4]float64{3600, 0, 0, 36}},
		traffic{src: "web", zone: "zone-1", cluster: "kri_msvc_modern_zone-2__api_8080", classes: [4]float64{720}},
		traffic{src: "web", zone: "zone-1", cluster: "modern_api-mz___mzsvc_8080", classes: [4]float64{360}},
		traffic{src: "api", zone: "zone-2", cluster: "modern_db__zone-1_msvc_5432", cx: 36, tx: 3600, rx: 36000},
		traffic{src: "api", zone: "zone-1", cluster: "kri_extsvc_modern___payments-ext_443", classes: [4]float64{36}},
	)
	g, err := Build(context.Background(), client, m, Options{Mesh: "modern", From: to.Add(-time.Hour), To: to})
	require.NoError(t, err)
	assert.Equal(t, []string{"api (zone-1)", "api (zone-2)", "api-mz", "db", "payments-ext", "web"}, nodeIDs(g))
	assert.Equal(t, []string{"api (zone-1)->payments-ext", "api (zone-2)->db", "web->api (zone-1)", "web->api (zone-2)", "web->api-mz"}, edgeIDs(g))
	assert.Zero(t, g.Unmapped.Count)

	frames := g.Frames(FrameOptions{Mesh: "modern", RefID: "A"})
	assertNodeGraphContract(t, frames)
	dr := backend.DataResponse{Frames: frames}
	experimental.CheckGoldenJSONResponse(t, "testdata", "mesh_graph_kuma_2.14.3-exclusive", &dr, *update)
}
