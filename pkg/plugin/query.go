package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// maxConcurrentQueries bounds how many queries of one request run at once;
// each mesh-graph query already runs its Prometheus requests concurrently.
const maxConcurrentQueries = 4

// queryHandler answers one query of a known type.
type queryHandler func(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse

// handlers lists every query type and the function that answers it.
func (d *Datasource) handlers() map[models.QueryType]queryHandler {
	return map[models.QueryType]queryHandler{
		models.QueryTypeMeshes:              d.handleMeshes,
		models.QueryTypeZones:               d.handleZones,
		models.QueryTypeServices:            d.handleServices,
		models.QueryTypeDataplanes:          d.handleDataplanes,
		models.QueryTypeGateways:            d.handleGateways,
		models.QueryTypeMeshGraph:           d.handleMeshGraph,
		models.QueryTypeDestinationClusters: d.handleDestinationClusters,
		models.QueryTypeGatewayServices:     d.handleGatewayServices,
	}
}

// QueryData answers every query of the request on its own: one failing query
// never fails the others, so errors travel inside each DataResponse.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	handlers := d.handlers()
	return concurrent.QueryData(ctx, req, func(ctx context.Context, cq concurrent.Query) backend.DataResponse {
		q, err := models.ParseQuery(cq.DataQuery.JSON, cq.DataQuery.QueryType)
		if err != nil {
			return errorResponse(backend.PluginError(err))
		}
		handle, ok := handlers[q.QueryType]
		if !ok {
			return errorResponse(backend.PluginError(fmt.Errorf("%w %q: use one of %v", models.ErrUnknownQueryType, q.QueryType, models.QueryTypes)))
		}
		if q.QueryType.NeedsMesh() && q.Mesh == "" {
			return errorResponse(backend.DownstreamError(models.ErrMissingMesh))
		}
		return handle(ctx, q, cq.DataQuery)
	}, maxConcurrentQueries)
}
