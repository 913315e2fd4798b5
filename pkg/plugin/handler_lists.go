package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// The list queries read a list (lists.go) and answer it as a table
// (frames_lists.go).

func (d *Datasource) handleMeshes(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	meshes, err := d.listMeshes(ctx)
	if err != nil {
		return errorResponse(err)
	}
	return listResponse(q, dq, meshesFrame(meshes))
}

func (d *Datasource) handleZones(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	zones, err := d.listZones(ctx)
	if err != nil {
		return errorResponse(err)
	}
	return listResponse(q, dq, zonesFrame(zones))
}

func (d *Datasource) handleServices(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	zone, err := compileNameFilter(q.Zone, models.ErrInvalidZoneRegEx)
	if err != nil {
		return errorResponse(err)
	}
	services, err := d.listServices(ctx, q.Mesh, zone)
	if err != nil {
		return errorResponse(err)
	}
	return listResponse(q, dq, servicesFrame(services))
}

func (d *Datasource) handleDataplanes(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	zone, err := compileNameFilter(q.Zone, models.ErrInvalidZoneRegEx)
	if err != nil {
		return errorResponse(err)
	}
	dps, err := d.listDataplanes(ctx, q.Mesh, q.Service, zone)
	if err != nil {
		return errorResponse(err)
	}
	return listResponse(q, dq, dataplanesFrame(dps))
}

func (d *Datasource) handleGateways(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	zone, err := compileNameFilter(q.Zone, models.ErrInvalidZoneRegEx)
	if err != nil {
		return errorResponse(err)
	}
	rows, err := d.listGateways(ctx, q.Mesh, zone)
	if err != nil {
		return errorResponse(err)
	}
	return listResponse(q, dq, gatewaysFrame(rows))
}

// listResponse answers a list query with its table, narrowed to one value
// column when the query asks for one.
func listResponse(q models.Query, dq backend.DataQuery, f *data.Frame) backend.DataResponse {
	f, err := withValueColumn(f, q.ValueColumn)
	if err != nil {
		return errorResponse(err)
	}
	return frameResponse(dq, f)
}
