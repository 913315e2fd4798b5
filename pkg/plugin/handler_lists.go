package plugin

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

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
	rows, err := d.listGateways(ctx, q.Mesh)
	if err != nil {
		return errorResponse(err)
	}
	return listResponse(q, dq, gatewaysFrame(rows))
}

func (d *Datasource) listMeshes(ctx context.Context) ([]kuma.Mesh, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	return cp.Meshes(ctx)
}

func (d *Datasource) listZones(ctx context.Context) ([]kuma.Zone, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	return cp.Zones(ctx)
}

// listServices returns the services of a mesh: service insights, plus the
// MeshService family when the mesh is Exclusive (its insights then list only
// delegated gateways).
func (d *Datasource) listServices(ctx context.Context, mesh string, zone *regexp.Regexp) ([]kuma.Service, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	m, err := cp.Mesh(ctx, mesh)
	if err != nil {
		return nil, err
	}
	services, err := cp.ServiceInsights(ctx, mesh)
	if err != nil {
		return nil, err
	}
	if m.Exclusive() {
		more, err := cp.MeshServices(ctx, mesh)
		if err != nil {
			return nil, err
		}
		services = append(services, more...)
	}
	if zone == nil {
		return services, nil
	}
	kept := services[:0]
	for _, s := range services {
		if len(s.Zones) == 0 || anyMatch(zone, s.Zones...) {
			kept = append(kept, s)
		}
	}
	return kept, nil
}

func (d *Datasource) listDataplanes(ctx context.Context, mesh, service string, zone *regexp.Regexp) ([]kuma.Dataplane, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	serviceFilter, err := compileNameFilter(service, nil)
	if err != nil {
		return nil, err
	}
	dps, err := cp.Dataplanes(ctx, mesh)
	if err != nil {
		return nil, err
	}
	kept := dps[:0]
	for _, dp := range dps {
		if (serviceFilter == nil || anyMatch(serviceFilter, dp.Services...)) && (zone == nil || zone.MatchString(dp.Zone)) {
			kept = append(kept, dp)
		}
	}
	return kept, nil
}

func (d *Datasource) listGateways(ctx context.Context, mesh string) ([]gateway, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	gws, err := cp.MeshGateways(ctx, mesh)
	if err != nil {
		return nil, err
	}
	services, err := cp.ServiceInsights(ctx, mesh)
	if err != nil {
		return nil, err
	}
	return gatewayRows(gws, services), nil
}

// compileNameFilter turns a name or regex (as a multi-value variable
// interpolates it) into a regex that must match a whole name; "" and
// match-all values give nil. The value is parsed on its own first, so that
// one such as `x)|(.*` cannot close the anchoring group around it. A value
// that is not a valid regex is matched literally when invalidErr is nil, and
// is that (user) error otherwise.
func compileNameFilter(expr string, invalidErr error) (*regexp.Regexp, error) {
	switch expr {
	case "", ".*", ".+", "$__all", "All":
		return nil, nil
	}
	if !utf8.ValidString(expr) {
		if invalidErr == nil {
			invalidErr = models.ErrInvalidServiceFilter
		}
		return nil, fmt.Errorf("%w: it is not valid UTF-8", invalidErr)
	}
	if _, err := regexp.Compile(expr); err != nil {
		if invalidErr == nil {
			return regexp.Compile("^" + regexp.QuoteMeta(expr) + "$")
		}
		return nil, fmt.Errorf("%w: %v", invalidErr, err) //nolint:errorlint // the sentinel alone classifies the error; the cause is text, so its type cannot change the status
	}
	return regexp.Compile("^(?:" + expr + ")$")
}

func anyMatch(re *regexp.Regexp, values ...string) bool {
	return slices.ContainsFunc(values, re.MatchString)
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

// frameResponse wraps frames into a response tagged with the query's refID.
func frameResponse(dq backend.DataQuery, frames ...*data.Frame) backend.DataResponse {
	for _, f := range frames {
		f.RefID = dq.RefID
	}
	return backend.DataResponse{Frames: frames}
}
