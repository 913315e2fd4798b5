package meshgraph

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// Build fetches the mesh's services and its traffic in the window and joins
// them into a Graph.
func Build(ctx context.Context, cp ControlPlane, m Metrics, opts Options) (*Graph, error) {
	opts.Labels = opts.Labels.WithDefaults()
	window := windowOf(opts.From, opts.To)
	queries := newQueries(opts.Mesh, window, opts.Labels, opts.Zone)

	// The control plane and Prometheus are read at the same time; the first
	// failure cancels the other side and is the one reported.
	var (
		cat      *catalog
		results  [queryCount]*prometheus.Vector
		warnings []string
	)
	group, gctx := errgroup.WithContext(ctx)
	recovery.Go(group, "reading the control plane", func() (err error) {
		cat, err = fetchCatalog(gctx, cp, opts.Mesh)
		return err
	})
	recovery.Go(group, "running the Prometheus queries", func() (err error) {
		results, warnings, err = queries.run(gctx, m, opts.To, answerLabels(opts.Labels))
		return err
	})
	if err := group.Wait(); err != nil {
		return nil, err
	}
	if opts.ByWorkload || needsWorkloads(results) {
		// Proxies on the MeshMetric path with unified naming are known only
		// by their workload, and the map grouped by workload needs the
		// workloads behind each service: one more list, whatever the mesh
		// size.
		if err := cat.resolveWorkloads(ctx, cp, opts.Mesh); err != nil {
			return nil, err
		}
	}
	if err := cat.resolveOtherMeshes(ctx, cp, results); err != nil {
		return nil, err
	}
	g := join(cat, results, opts, window)
	g.Warnings = warnings
	g.Queries = queries.list()
	g.Window = window
	return g, nil
}
