package plugin

import (
	"context"
	"regexp"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// The pattern queries answer one row whose value is a regex for a
// Prometheus =~ matcher. Dashboards use them as hidden variables, so a
// panel selects what a Kuma name stands for in Envoy's labels, which only
// the control plane knows.

// handleDestinationClusters resolves a destination service to the regex of
// its cluster names, with the service map's cluster-name mapping.
func (d *Datasource) handleDestinationClusters(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	if q.Service == "" {
		return errorResponse(backend.DownstreamError(models.ErrMissingService))
	}
	cp, err := d.controlPlane()
	if err != nil {
		return errorResponse(err)
	}
	// The frontend regex-escapes service (web.ns arrives as web\.ns).
	pattern, err := meshgraph.ClusterPattern(ctx, cp, q.Mesh, regexEscapes.ReplaceAllString(q.Service, "$1"))
	if err != nil {
		return errorResponse(err)
	}
	return frameResponse(dq, patternFrame("destination_clusters", pattern))
}

// handleGatewayServices resolves a gateway to the regex of its proxies'
// kuma_io_service: a builtin MeshGateway's selected services (the same in
// every zone, where the gateway itself carries a KDS-hashed name), or a
// delegated gateway's own service. An unknown name matches itself.
func (d *Datasource) handleGatewayServices(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	if q.Gateway == "" {
		return errorResponse(backend.DownstreamError(models.ErrMissingGateway))
	}
	rows, err := d.listGateways(ctx, q.Mesh)
	if err != nil {
		return errorResponse(err)
	}
	services := []string{q.Gateway}
	for _, r := range rows {
		if r.Name == q.Gateway && r.Services != "" {
			services = strings.Split(r.Services, ",")
		}
	}
	for i, s := range services {
		services[i] = regexp.QuoteMeta(s)
	}
	return frameResponse(dq, patternFrame("gateway_services", strings.Join(services, "|")))
}

// regexEscapes are the backslash escapes of the frontend's regex format.
var regexEscapes = regexp.MustCompile(`\\([\\^$*+?.()|[\]{}/])`)

func patternFrame(name, pattern string) *data.Frame {
	return listFrame(name, data.NewField("regex", nil, []string{pattern}))
}
