package prometheus

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// QueryRange runs a range query and returns the matrix result and the
// server's warnings. Results of another type are a plugin error.
func (c *Client) QueryRange(ctx context.Context, query string, r v1.Range) (model.Matrix, []string, error) {
	var status int
	val, warnings, _, err := c.api.QueryRange(withStatus(ctx, &status), query, r)
	if err != nil {
		return nil, warnings, c.fail("range query", "/api/v1/query_range", status, err)
	}
	m, ok := val.(model.Matrix)
	if !ok {
		return nil, warnings, backend.PluginError(fmt.Errorf("Prometheus: range query %q returned a %s, not a matrix", query, val.Type()))
	}
	return m, warnings, nil
}
