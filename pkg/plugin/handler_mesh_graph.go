package plugin

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

func (d *Datasource) handleMeshGraph(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	zone, err := compileNameFilter(q.Zone, models.ErrInvalidZoneRegEx)
	if err != nil {
		return errorResponse(err)
	}
	rollup, err := compileRollup(q.RollupRegEx)
	if err != nil {
		return errorResponse(err)
	}
	groupBy, err := q.GraphGroupBy()
	if err != nil {
		return errorResponse(err)
	}
	cp, err := d.controlPlane()
	if err != nil {
		return errorResponse(err)
	}
	prom, err := d.prometheus()
	if err != nil {
		return errorResponse(err)
	}
	g, err := meshgraph.Build(ctx, cp, prom, meshgraph.Options{
		Mesh:     q.Mesh,
		From:     dq.TimeRange.From,
		To:       dq.TimeRange.To,
		Zone:     zone,
		Rollup:   rollup,
		HideIdle: q.HideIdle,
		Labels:   d.settings.LabelNames,
		// The query's groupBy was validated above.
		ByWorkload: groupBy == models.GroupByWorkload,
	})
	if err != nil {
		return errorResponse(err)
	}
	return frameResponse(dq, g.Frames(meshgraph.FrameOptions{Mesh: q.Mesh, Zones: models.ZoneNames(q.Zone), RefID: dq.RefID})...)
}

// compileRollup compiles the rollup regex as the user wrote it (unanchored,
// like the older plugin), so "^(.*)-v[0-9]+$" and "(.*)_svc" both work.
func compileRollup(expr string) (*regexp.Regexp, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", models.ErrInvalidRollupRegEx, expr, err) //nolint:errorlint // the sentinel alone classifies the error; the cause is text, so its type cannot change the status
	}
	return re, nil
}
