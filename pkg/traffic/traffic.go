// Package traffic turns the service map's traffic into numbers and time
// series: per service, per source → destination edge or per builtin
// gateway, named exactly as the nodes and edges of pkg/meshgraph.
//
// Like the graph it runs a fixed number of PromQL queries whatever the
// mesh size (at most six) and does the cluster-name mapping, zone filter,
// rollup and quantiles in Go, with meshgraph.Naming.
package traffic

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"golang.org/x/sync/errgroup"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// Metrics runs PromQL; *prometheus.Client satisfies it.
type Metrics interface {
	Query(ctx context.Context, query string, ts time.Time) (model.Vector, []string, error)
	QueryRange(ctx context.Context, query string, r v1.Range) (model.Matrix, []string, error)
}

// Options says which series to compute.
type Options struct {
	Mesh     string
	From, To time.Time
	// Step is the interval of a range result; zero asks for one number per
	// series over the whole range (From–To, at least a minute).
	Step time.Duration
	// Zone, Rollup and HideIdle work as in meshgraph.Options.
	Zone     *regexp.Regexp
	Rollup   *regexp.Regexp
	HideIdle bool
	// GroupBy says what a series is: a service, an edge or a gateway.
	GroupBy models.TrafficGroupBy
	// Service keeps the series of matching services (the destination of an
	// edge); nil keeps all. It should be anchored.
	Service *regexp.Regexp
	Metrics []models.TrafficMetric
	Labels  models.LabelNames
	// MaxSeries bounds the number of series (groups × metrics); zero means
	// DefaultMaxSeries.
	MaxSeries int
}

// DefaultMaxSeries bounds the series of one query so that a mesh of
// thousands of edges cannot fill the plugin's memory.
const DefaultMaxSeries = 5000

// Result is the series of one query.
type Result struct {
	// Times are the timestamps of every series (one for a numeric result).
	Times []time.Time
	// Series are sorted by key, each with one value slice per metric.
	Series   []Series
	Metrics  []models.TrafficMetric
	GroupBy  models.TrafficGroupBy
	Unmapped meshgraph.UnmappedSeries
	// InvalidSamples counts points left out because their value or bucket
	// bound cannot be a count (+Inf, NaN, negative), as in the service map.
	InvalidSamples int
	Warnings       []string
	Queries        []string
	// Numeric is true when Times has the one end of the range.
	Numeric bool
}

// Series is one service, edge or gateway.
type Series struct {
	// Name is the service or gateway; Source and Destination name an edge.
	Name, Source, Destination string
	// Values holds, per metric of Result.Metrics, a value per time (nil
	// where there is none, as latency without requests).
	Values [][]*float64
}

// Run reads the mesh's services and its traffic and computes the series.
func Run(ctx context.Context, cp meshgraph.ControlPlane, m Metrics, opts Options) (*Result, error) {
	if err := validate(opts); err != nil {
		return nil, err
	}
	opts.Labels = opts.Labels.WithDefaults()
	grid := newGrid(opts)
	qs := newQueries(opts, grid.rate)

	var (
		naming  *meshgraph.Naming
		results = make([]model.Matrix, len(qs))
		warns   = make([][]string, len(qs))
	)
	g, gctx := errgroup.WithContext(ctx)
	recovery.Go(g, "reading the control plane", func() (err error) {
		naming, err = meshgraph.NewNaming(gctx, cp, meshgraph.Options{
			Mesh: opts.Mesh, Zone: opts.Zone, Rollup: opts.Rollup, HideIdle: opts.HideIdle, Labels: opts.Labels,
		})
		return err
	})
	for i, q := range qs {
		recovery.Go(g, "running a Prometheus query", func() (err error) {
			results[i], warns[i], err = grid.run(gctx, m, q.text)
			if err != nil {
				// The map's explanation of Prometheus' query limits.
				return meshgraph.WithLimit(&meshgraph.LimitError{Query: kindNames[q.kind], Traffic: true, Range: !grid.numeric}, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if needsWorkloads(model.LabelName(opts.Labels.Service), results) {
		// Proxies on the MeshMetric path with unified naming carry no
		// service label: one more list, as the map reads it.
		if err := naming.ResolveWorkloads(ctx, cp); err != nil {
			return nil, err
		}
	}
	// A cluster <service>_<other mesh> of a cross-mesh gateway: one more
	// list, as the map reads it.
	if err := naming.ResolveOtherMeshes(ctx, cp, clustersWithTraffic(results)); err != nil {
		return nil, err
	}
	acc := newAccumulator(naming, opts, grid)
	for i, q := range qs {
		acc.add(q.kind, results[i])
	}
	res, err := acc.result()
	if err != nil {
		return nil, err
	}
	for _, q := range qs {
		res.Queries = append(res.Queries, q.text)
	}
	res.Warnings = meshgraph.MergeWarnings(warns)
	return res, nil
}

// validate rejects metrics a grouping cannot compute.
func validate(opts Options) error {
	if !opts.To.After(opts.From) {
		return fmt.Errorf("%w: the time range is empty", models.ErrInvalidTrafficQuery)
	}
	if len(opts.Metrics) == 0 {
		return fmt.Errorf("%w: no metrics selected", models.ErrInvalidTrafficQuery)
	}
	for _, mt := range opts.Metrics {
		if !slices.Contains(models.TrafficMetrics, mt) {
			return fmt.Errorf("%w: unknown metric %q: use one of %v", models.ErrInvalidTrafficQuery, mt, models.TrafficMetrics)
		}
		if opts.GroupBy == models.GroupByGateway && mt.IsTCP() {
			return fmt.Errorf("%w: metric %q is not available with groupBy gateway: a gateway's listeners count requests, not upstream TCP traffic", models.ErrInvalidTrafficQuery, mt)
		}
	}
	switch opts.GroupBy {
	case models.GroupByService, models.GroupByEdge, models.GroupByGateway:
		return nil
	}
	return fmt.Errorf("%w: unknown groupBy %q: use service, edge or gateway", models.ErrInvalidTrafficQuery, opts.GroupBy)
}
