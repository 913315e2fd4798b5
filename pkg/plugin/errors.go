package plugin

import (
	"context"
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// errorResponse is the one exit for query errors. It classifies by who can
// fix the error: the user (models.ErrUser: status 400, source downstream),
// the control plane or Prometheus (their status or 502, downstream), or the
// plugin (500, plugin). A query body that is not valid JSON is a 400 of
// source plugin: the query editor writes that JSON, so a bad one is a fault
// of the plugin's frontend (or of an API client), not a downstream service.
func errorResponse(err error) backend.DataResponse {
	status, source := classify(err)
	return backend.DataResponse{Error: err, Status: status, ErrorSource: source}
}

// classify returns the status and error source of err.
func classify(err error) (backend.Status, backend.ErrorSource) {
	var (
		kerr *kuma.Error
		perr *prometheus.Error
	)
	switch {
	case errors.Is(err, models.ErrInvalidQueryJSON):
		return backend.StatusBadRequest, backend.ErrorSourcePlugin
	case errors.Is(err, models.ErrUser):
		return backend.StatusBadRequest, backend.ErrorSourceDownstream
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return backend.StatusTimeout, backend.ErrorSourceDownstream
	case errors.As(err, &kerr):
		return statusFromHTTP(kerr.StatusCode), backend.ErrorSourceDownstream
	case errors.As(err, &perr) && perr.StatusCode >= 400:
		return statusFromHTTP(perr.StatusCode), backend.ErrorSourceDownstream
	case backend.IsDownstreamError(err), backend.IsDownstreamHTTPError(err):
		return backend.StatusBadGateway, backend.ErrorSourceDownstream
	}
	return backend.StatusInternal, backend.ErrorSourcePlugin
}

// httpStatus is classify's status for a resource call.
func httpStatus(err error) int {
	status, _ := classify(err)
	return int(status)
}

// statusFromHTTP keeps the statuses the user acts on and reports any other
// upstream failure as a bad gateway.
func statusFromHTTP(code int) backend.Status {
	switch code {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests:
		return backend.Status(code)
	}
	return backend.StatusBadGateway
}
