package meshgraph

import (
	"context"
	"sync"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// run executes every query concurrently at ts. The first error cancels the
// others; warnings are returned de-duplicated in query order.
func (q queries) run(ctx context.Context, m Metrics, ts time.Time, labels [queryCount][]string) ([queryCount]*prometheus.Vector, []string, error) {
	var (
		out      [queryCount]*prometheus.Vector
		warns    [queryCount][]string
		errs     [queryCount]error
		wg       sync.WaitGroup
		cctx, cf = context.WithCancel(ctx)
	)
	defer cf()
	for i := range q {
		wg.Go(func() {
			var (
				v *prometheus.Vector
				w []string
			)
			err := recovery.Call("running a Prometheus query", func() (err error) {
				v, w, err = m.QueryVector(cctx, q[i], ts, labels[i])
				return err
			})
			if err != nil {
				errs[i] = withLimit(queryKind(i), err)
				cf()
				return
			}
			out[i], warns[i] = v, w
		})
	}
	wg.Wait()
	// Report the error that caused the cancellations, not a context error.
	if err := causeOf(errs[:]...); err != nil {
		return out, nil, err
	}
	var all []string
	seen := map[string]bool{}
	for _, ws := range warns {
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				all = append(all, w)
			}
		}
	}
	return out, all, nil
}
