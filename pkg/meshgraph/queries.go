package meshgraph

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// run executes every query concurrently at ts. The first error cancels the
// others and is the one reported; warnings are returned de-duplicated in
// query order.
func (q queries) run(ctx context.Context, m Metrics, ts time.Time, labels [queryCount][]string) ([queryCount]*prometheus.Vector, []string, error) {
	var (
		out   [queryCount]*prometheus.Vector
		warns [queryCount][]string
	)
	g, gctx := errgroup.WithContext(ctx)
	for i := range q {
		recovery.Go(g, "running a Prometheus query", func() (err error) {
			out[i], warns[i], err = m.QueryVector(gctx, q[i], ts, labels[i])
			return withLimit(queryKind(i), err)
		})
	}
	if err := g.Wait(); err != nil {
		return out, nil, err
	}
	return out, MergeWarnings(warns[:]), nil
}

// MergeWarnings joins lists of Prometheus warnings in order, each warning
// once; the traffic query merges its queries' warnings with it too.
func MergeWarnings(lists [][]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range lists {
		for _, w := range list {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}
