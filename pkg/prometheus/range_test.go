package prometheus

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueryRangeSendsTheRangeAndReturnsTheMatrix(t *testing.T) {
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/prometheus/api/v1/query_range", r.URL.Path)
		require.NoError(t, r.ParseForm())
		assert.Equal(t, "1700000000", r.Form.Get("start"))
		assert.Equal(t, "1700000060", r.Form.Get("end"))
		assert.Equal(t, "60", r.Form.Get("step"))
		_, _ = w.Write([]byte(`{"status":"success","warnings":["partial"],"data":{"resultType":"matrix","result":[{"metric":{"mesh":"default"},"values":[[1700000000,"1"],[1700000060,"2"]]}]}}`))
	})
	start := time.Unix(1700000000, 0)
	m, warnings, err := newClient(t, Config{Address: srv.URL + "/prometheus"}).QueryRange(context.Background(), "up",
		v1.Range{Start: start, End: start.Add(time.Minute), Step: time.Minute})
	require.NoError(t, err)
	require.Len(t, m, 1)
	assert.Len(t, m[0].Values, 2)
	assert.Equal(t, []string{"partial"}, warnings)
}

func TestQueryRangeErrorsNamePrometheusAndAreDownstream(t *testing.T) {
	srv := fakeAPI(t, reply(400, `{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries"}`))
	_, _, err := newClient(t, Config{Address: srv.URL + "/prometheus"}).QueryRange(context.Background(), "up",
		v1.Range{Start: time.Unix(0, 0), End: time.Unix(3600, 0), Step: time.Millisecond})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Prometheus: range query failed: bad_data: exceeded maximum resolution")
	assert.True(t, backend.IsDownstreamError(err))
}

// Prometheus answers a query timeout with 503 and its error JSON: the
// message is the API's error, as for instant queries, not "server error: 503".
func TestQueryRangeTimeoutIsTheAPIsError(t *testing.T) {
	srv := fakeAPI(t, reply(503, `{"status":"error","errorType":"timeout","error":"query timed out in query queue"}`))
	_, _, err := newClient(t, Config{Address: srv.URL + "/prometheus"}).QueryRange(context.Background(), "up",
		v1.Range{Start: time.Unix(0, 0), End: time.Unix(3600, 0), Step: time.Minute})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Prometheus: range query failed: timeout: query timed out in query queue")
	apiErr, ok := errors.AsType[*v1.Error](err)
	require.True(t, ok)
	assert.Equal(t, v1.ErrTimeout, apiErr.Type)
	perr, ok := errors.AsType[*Error](err)
	require.True(t, ok)
	assert.Equal(t, 503, perr.StatusCode)
	assert.True(t, backend.IsDownstreamError(err))
}
