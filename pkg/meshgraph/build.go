package meshgraph

import (
	"context"
	"errors"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
)

// Build fetches the mesh's services and its traffic in the window and joins
// them into a Graph.
func Build(ctx context.Context, cp ControlPlane, m Metrics, opts Options) (*Graph, error) {
	opts.Labels = opts.Labels.WithDefaults()
	window := windowOf(opts.From, opts.To)
	queries := newQueries(opts.Mesh, window, opts.Labels, opts.Zone)

	// The control plane and Prometheus are read at the same time; a failure
	// of either cancels the other.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		cat    *catalog
		catErr error
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		catErr = recovery.Call("reading the control plane", func() (err error) {
			cat, err = fetchCatalog(ctx, cp, opts.Mesh)
			return err
		})
		if catErr != nil {
			cancel()
		}
	}()
	results, warnings, err := queries.run(ctx, m, opts.To, answerLabels(opts.Labels))
	if err != nil {
		cancel()
	}
	<-done
	if catErr != nil || err != nil {
		return nil, causeOf(catErr, err)
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

// causeOf picks the failure that canceled the other side, so a dead
// Prometheus is reported as such and not as a canceled control-plane call.
// It returns nil when every error is nil.
func causeOf(errs ...error) error {
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}
