//go:build integration

package meshgraph

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// TestConcurrentGraphsLeaveNoGoroutine builds many graphs at once against
// the real Prometheus and the recorded control plane, some of them
// canceled midway, and checks that no goroutine a Build started is left.
func TestConcurrentGraphsLeaveNoGoroutine(t *testing.T) {
	srv := promtest.StartOnce(t, "meshgraph-demo", func() []byte { return envoysim.Demo(itStart, itEnd).OpenMetrics() })
	cpSrv := cpreplay.Start(t, "2.14.3")
	promTransport := http.DefaultTransport.(*http.Transport).Clone()
	cpTransport := http.DefaultTransport.(*http.Transport).Clone()
	prom, err := prometheus.NewClient(prometheus.Config{Address: srv.URL, Client: &http.Client{Transport: promTransport}})
	require.NoError(t, err)
	cp, err := kuma.NewClient(kuma.Config{Address: cpSrv.URL, Client: &http.Client{Transport: cpTransport}})
	require.NoError(t, err)
	opts := Options{Mesh: "default", From: itStart, To: itEnd}

	want, err := Build(context.Background(), cp, prom, opts)
	require.NoError(t, err)
	promTransport.CloseIdleConnections()
	cpTransport.CloseIdleConnections()
	// The servers' own goroutines exist now; anything new is the plugin's.
	before := goleak.IgnoreCurrent()

	const graphs = 20
	var wg sync.WaitGroup
	errs := make([]error, graphs)
	edges := make([]int, graphs)
	for i := range graphs {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if i%5 == 4 {
				cancel() // a dashboard closed before the answer
			}
			g, err := Build(ctx, cp, prom, opts)
			errs[i] = err
			if err == nil {
				edges[i] = len(g.Edges)
			}
		})
	}
	wg.Wait()
	for i := range graphs {
		if i%5 == 4 {
			assert.ErrorIs(t, errs[i], context.Canceled)
			continue
		}
		require.NoError(t, errs[i], "graph %d", i)
		assert.Equal(t, len(want.Edges), edges[i], "graph %d", i)
	}
	promTransport.CloseIdleConnections()
	cpTransport.CloseIdleConnections()
	goleak.VerifyNone(t, before)
}
