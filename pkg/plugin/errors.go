package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// errorResponse is the one exit for query errors: it keeps the error source
// the error was marked with and picks the status Grafana shows.
func errorResponse(err error) backend.DataResponse {
	res := backend.ErrorResponseWithErrorSource(err)
	res.Status = statusOf(err)
	if res.ErrorSource == "" && backend.IsDownstreamHTTPError(err) {
		res.ErrorSource = backend.ErrorSourceDownstream
	}
	return res
}

func statusOf(err error) backend.Status {
	var (
		kerr *kuma.Error
		perr *prometheus.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return backend.StatusTimeout
	case errors.Is(err, context.Canceled):
		return backend.StatusTimeout
	case errors.As(err, &kerr):
		return statusFromHTTP(kerr.StatusCode)
	case errors.As(err, &perr) && perr.StatusCode != 0:
		return statusFromHTTP(perr.StatusCode)
	case errors.Is(err, models.ErrInvalidQueryJSON), errors.Is(err, models.ErrUnknownQueryType),
		errors.Is(err, models.ErrMissingMesh), errors.Is(err, models.ErrInvalidRollupRegEx),
		errors.Is(err, models.ErrInvalidZoneRegEx), errors.Is(err, models.ErrInvalidServiceRegEx),
		errors.Is(err, models.ErrInvalidTrafficQuery), errors.Is(err, models.ErrInvalidValueColumn):
		return backend.StatusBadRequest
	case backend.IsDownstreamError(err):
		return backend.StatusBadGateway
	}
	return backend.StatusInternal
}

func statusFromHTTP(code int) backend.Status {
	switch code {
	case 400:
		return backend.StatusBadRequest
	case 401:
		return backend.StatusUnauthorized
	case 403:
		return backend.StatusForbidden
	case 404:
		return backend.StatusNotFound
	case 429:
		return backend.StatusTooManyRequests
	}
	return backend.StatusBadGateway
}
