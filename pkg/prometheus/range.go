package prometheus

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// QueryRange runs a range query and returns the matrix result and the
// server's warnings. An answer without a result, or of another type, is
// Prometheus's fault (or a proxy's).
func (c *Client) QueryRange(ctx context.Context, query string, r v1.Range) (model.Matrix, []string, error) {
	var st callState
	val, warnings, _, err := c.api.QueryRange(withState(ctx, &st), query, r)
	if err != nil {
		return nil, warnings, backend.DownstreamError(&Error{
			Op: "range query", Query: query, URL: c.address + "/api/v1/query_range", StatusCode: st.status, Err: apiErrorOf(err),
		})
	}
	if val == nil {
		return nil, warnings, backend.DownstreamError(fmt.Errorf(
			"Prometheus: range query %s: the answer has no result (HTTP %d without data.result): check that the Prometheus URL is a query API",
			shorten(query), st.status))
	}
	m, ok := val.(model.Matrix)
	if !ok {
		return nil, warnings, backend.DownstreamError(fmt.Errorf("Prometheus: range query %s returned a %s, not a matrix", shorten(query), val.Type()))
	}
	return m, warnings, nil
}

// apiErrorOf returns the API's own error where client_golang saw only an
// HTTP status: Prometheus answers a query timeout with a 503 whose body is
// its error JSON (errorType "timeout"), read as errorAnswer reads it for
// the instant queries.
func apiErrorOf(err error) error {
	apiErr, ok := errors.AsType[*v1.Error](err)
	if !ok || apiErr.Type != v1.ErrServer && apiErr.Type != v1.ErrClient {
		return err
	}
	if own := apiErrorIn([]byte(apiErr.Detail)); own != nil {
		return own
	}
	return err
}
