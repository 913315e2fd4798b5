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
		return errorResponse(models.ErrMissingService)
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
		return errorResponse(models.ErrMissingGateway)
	}
	rows, err := d.listGateways(ctx, q.Mesh, nil)
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

// handleProxyServices resolves a service to the regex of the
// kuma_io_service values its proxies carry: the name itself (legacy
// meshes, gateways, a tag a link passed), or on Exclusive meshes also the
// tags of the MeshService's proxies (backend → backend_kuma-demo_svc_3001
// on Kubernetes). service arrives as a regex, as list queries take it.
func (d *Datasource) handleProxyServices(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	if q.Service == "" {
		return errorResponse(models.ErrMissingService)
	}
	filter, err := compileNameFilter(q.Service, nil)
	if err != nil {
		return errorResponse(err)
	}
	if filter == nil {
		return frameResponse(dq, patternFrame("proxy_services", ".*"))
	}
	tags, err := d.proxyServices(ctx, q.Mesh, filter)
	if err != nil {
		return errorResponse(err)
	}
	self := q.Service
	if _, err := regexp.Compile(self); err != nil {
		self = regexp.QuoteMeta(self) // compileNameFilter matched it literally
	}
	alts := []string{"(?:" + self + ")"}
	for _, t := range tags {
		alts = append(alts, regexp.QuoteMeta(t))
	}
	return frameResponse(dq, patternFrame("proxy_services", strings.Join(alts, "|")))
}

// handleProxyWorkloads resolves a service to the regex of the kuma_workload
// values its proxies carry on the MeshMetric path (their kuma.io/workload
// labels). With none it answers "", which a dashboard's
// kuma_workload!="" matcher turns into no series. service arrives as a
// regex, as list queries take it.
func (d *Datasource) handleProxyWorkloads(ctx context.Context, q models.Query, dq backend.DataQuery) backend.DataResponse {
	if q.Service == "" {
		return errorResponse(backend.DownstreamError(models.ErrMissingService))
	}
	filter, err := compileNameFilter(q.Service, nil)
	if err != nil {
		return errorResponse(err)
	}
	if filter == nil {
		return frameResponse(dq, patternFrame("proxy_workloads", ".*"))
	}
	cp, err := d.controlPlane()
	if err != nil {
		return errorResponse(err)
	}
	workloads, err := meshgraph.ProxyWorkloads(ctx, cp, q.Mesh, filter.MatchString)
	if err != nil {
		return errorResponse(err)
	}
	for i, w := range workloads {
		workloads[i] = regexp.QuoteMeta(w)
	}
	return frameResponse(dq, patternFrame("proxy_workloads", strings.Join(workloads, "|")))
}

// proxyServices are the kuma_io_service values of the proxies of the
// Exclusive mesh's MeshServices whose names match filter; none elsewhere.
func (d *Datasource) proxyServices(ctx context.Context, mesh string, filter *regexp.Regexp) ([]string, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return nil, err
	}
	return meshgraph.ProxyServices(ctx, cp, mesh, filter.MatchString)
}

// proxyTagFilter matches the kuma_io_service values of the proxies of the
// MeshServices filter names (see proxyServices), so a dataplane list
// filtered by a MeshService name finds its proxies; nil when there are none.
func (d *Datasource) proxyTagFilter(ctx context.Context, mesh string, filter *regexp.Regexp) (*regexp.Regexp, error) {
	tags, err := d.proxyServices(ctx, mesh, filter)
	if err != nil || len(tags) == 0 {
		return nil, err
	}
	for i, t := range tags {
		tags[i] = regexp.QuoteMeta(t)
	}
	return regexp.Compile("^(?:" + strings.Join(tags, "|") + ")$")
}

// regexEscapes are the backslash escapes of the frontend's regex format.
var regexEscapes = regexp.MustCompile(`\\([\\^$*+?.()|[\]{}/])`)

func patternFrame(name, pattern string) *data.Frame {
	return listFrame(name, data.NewField("regex", nil, []string{pattern}))
}
