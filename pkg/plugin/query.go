package plugin

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// maxConcurrentQueries bounds how many queries of one request run at once;
// each mesh-graph query already runs its Prometheus requests concurrently.
const maxConcurrentQueries = 4

// queryHandler answers one query of a known type.
type queryHandler func(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse

// handlers lists every query type and the function that answers it.
// fromAlert says the request comes from an alert or recording rule.
func (d *Datasource) handlers(fromAlert bool) map[models.QueryType]queryHandler {
	return map[models.QueryType]queryHandler{
		models.QueryTypeMeshes:     d.handleMeshes,
		models.QueryTypeZones:      d.handleZones,
		models.QueryTypeServices:   d.handleServices,
		models.QueryTypeDataplanes: d.handleDataplanes,
		models.QueryTypeGateways:   d.handleGateways,
		models.QueryTypeMeshGraph:  d.handleMeshGraph,
		models.QueryTypeTraffic: func(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
			return d.handleTraffic(ctx, q, dq, fromAlert)
		},
		models.QueryTypeDestinationClusters: d.handleDestinationClusters,
		models.QueryTypeGatewayServices:     d.handleGatewayServices,
		models.QueryTypeProxyServices:       d.handleProxyServices,
		models.QueryTypeProxyWorkloads:      d.handleProxyWorkloads,
	}
}

// QueryData answers every query of the request on its own: one failing query
// never fails the others, so errors travel inside each DataResponse.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	handlers := d.handlers(isFromAlert(req.Headers))
	return concurrent.QueryData(ctx, req, func(ctx context.Context, cq concurrent.Query) backend.DataResponse {
		var res backend.DataResponse
		err := recovery.Call("answering a query", func() error {
			res = d.answer(ctx, handlers, cq.DataQuery)
			return nil
		})
		if err != nil {
			res = errorResponse(err)
		}
		return d.scrubResponse(res)
	}, maxConcurrentQueries)
}

// answer runs the handler of one query after the checks every type shares.
func (d *Datasource) answer(ctx context.Context, handlers map[models.QueryType]queryHandler, dq backend.DataQuery) backend.DataResponse {
	if d.settingsErr != nil {
		return errorResponse(d.settingsErr)
	}
	q, err := models.ParseQuery(dq.JSON, dq.QueryType)
	if err != nil {
		return errorResponse(err)
	}
	handle, ok := handlers[q.QueryType]
	if !ok {
		return errorResponse(fmt.Errorf("%w %q: use one of %v", models.ErrUnknownQueryType, q.QueryType, models.QueryTypes))
	}
	if q.QueryType.NeedsMesh() {
		if err := checkMesh(q.Mesh); err != nil {
			return errorResponse(err)
		}
	}
	return handle(ctx, q, dq)
}

// frameResponse is the one exit for answers: the frames tagged with the
// query's refID.
func frameResponse(dq backend.DataQuery, frames ...*data.Frame) backend.DataResponse {
	for _, f := range frames {
		f.RefID = dq.RefID
	}
	return backend.DataResponse{Frames: frames}
}

// checkMesh refuses names that would change the control-plane path.
func checkMesh(mesh string) error {
	switch mesh {
	case "":
		return models.ErrMissingMesh
	case ".", "..":
		return fmt.Errorf("%w: %q", models.ErrInvalidMesh, mesh)
	}
	return nil
}

// scrubResponse masks the configured secrets in the error and the notices
// of a response, whatever an upstream echoed into them.
func (d *Datasource) scrubResponse(res backend.DataResponse) backend.DataResponse {
	res.Error = d.scrub.Error(res.Error)
	for _, f := range res.Frames {
		if f.Meta == nil {
			continue
		}
		for i := range f.Meta.Notices {
			f.Meta.Notices[i].Text = d.scrub.String(f.Meta.Notices[i].Text)
		}
	}
	return res
}

// isFromAlert reports Grafana's FromAlert request header, which alerting
// sets as a plain key (not http_-prefixed); the key's case is not relied on.
func isFromAlert(headers map[string]string) bool {
	for k, v := range headers {
		if strings.EqualFold(k, "FromAlert") {
			return strings.EqualFold(v, "true")
		}
	}
	return false
}
