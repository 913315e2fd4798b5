package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/traffic"
)

// handleTraffic answers a traffic query: time series in a panel, numbers
// with format "instant" or, unless the query asks for time series, in an
// alert rule.
func (d *Datasource) handleTraffic(ctx context.Context, q models.Query, dq backend.DataQuery, fromAlert bool) backend.DataResponse {
	opts, err := trafficOptions(q, dq, fromAlert)
	if err != nil {
		return errorResponse(err)
	}
	opts.Labels = d.settings.LabelNames
	cp, err := d.controlPlane()
	if err != nil {
		return errorResponse(err)
	}
	prom, err := d.prometheus()
	if err != nil {
		return errorResponse(err)
	}
	res, err := traffic.Run(ctx, cp, prom, opts)
	if err != nil {
		return errorResponse(err)
	}
	zoneLabel := "" // match-all values such as All's ".*" filter nothing
	if opts.Zone != nil {
		zoneLabel = q.Zone
	}
	return frameResponse(dq, res.Frames(traffic.FrameOptions{Mesh: q.Mesh, Zone: zoneLabel, RefID: dq.RefID})...)
}

// trafficOptions checks the query's fields; every mistake is the user's
// (models.ErrUser), which errorResponse marks downstream.
func trafficOptions(q models.Query, dq backend.DataQuery, fromAlert bool) (traffic.Options, error) {
	zone, err := compileNameFilter(q.Zone, models.ErrInvalidZoneRegEx)
	if err != nil {
		return traffic.Options{}, err
	}
	rollup, err := compileRollup(q.RollupRegEx)
	if err != nil {
		return traffic.Options{}, err
	}
	service, err := compileNameFilter(q.Service, models.ErrInvalidServiceRegEx)
	if err != nil {
		return traffic.Options{}, err
	}
	opts := traffic.Options{
		Mesh: q.Mesh, From: dq.TimeRange.From, To: dq.TimeRange.To,
		Zone: zone, Rollup: rollup, HideIdle: q.HideIdle, Service: service,
		GroupBy: q.GroupBy, Metrics: q.Metrics,
	}
	if opts.GroupBy == "" {
		opts.GroupBy = models.GroupByService
	}
	if len(opts.Metrics) == 0 {
		opts.Metrics = models.DefaultTrafficMetrics
	}
	switch {
	case q.Format == models.FormatInstant, q.Format == "" && fromAlert:
		// One number per series: an alert instance is identified by its
		// labels alone, so two metrics of one series would collide.
		if fromAlert && len(opts.Metrics) > 1 {
			return opts, fmt.Errorf("%w: an alert rule reads one metric per query, this one asks for %v", models.ErrInvalidTrafficQuery, opts.Metrics)
		}
	case q.Format == "" || q.Format == models.FormatTimeSeries:
		opts.Step = dq.Interval
		if opts.Step <= 0 {
			opts.Step = dq.TimeRange.Duration() / 1000
		}
		if dq.MaxDataPoints > 0 {
			opts.Step = max(opts.Step, dq.TimeRange.Duration()/time.Duration(dq.MaxDataPoints))
		}
	default:
		return opts, fmt.Errorf("%w: unknown format %q: use %q or %q", models.ErrInvalidTrafficQuery, q.Format, models.FormatTimeSeries, models.FormatInstant)
	}
	return opts, nil
}
