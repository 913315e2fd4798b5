package prometheus

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const vectorBody = `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"mesh":"default"},"value":[1700000000,"3"]}]}}`

// fakeAPI serves handler under the /prometheus prefix, as Mimir does, so
// the tests catch clients that drop the Address path.
func fakeAPI(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/prometheus/", handler)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the path prefix: %s", r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	require.NoError(t, err)
	return c
}

func TestNewRejectsBadAddresses(t *testing.T) {
	for _, addr := range []string{"", "prometheus:9090", "ftp://prometheus", "http://"} {
		t.Run(addr, func(t *testing.T) {
			_, err := NewClient(Config{Address: addr})
			require.Error(t, err)
			assert.True(t, backend.IsDownstreamError(err), "a settings error is the user's")
		})
	}
}

func TestQuerySendsCredentials(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:s3cret"))
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{name: "no credentials send no Authorization", cfg: Config{}, want: ""},
		{name: "a user turns on basic auth", cfg: Config{BasicAuthUser: "alice", BasicAuthPassword: "s3cret"}, want: basic},
		{name: "a token is sent as bearer", cfg: Config{Token: "tok"}, want: "Bearer tok"},
		{name: "basic auth wins over a token", cfg: Config{BasicAuthUser: "alice", BasicAuthPassword: "s3cret", Token: "tok"}, want: basic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, path, query string
			srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				got, path = r.Header.Get("Authorization"), r.URL.Path
				require.NoError(t, r.ParseForm())
				query = r.Form.Get("query")
				_, _ = w.Write([]byte(vectorBody))
			})
			tt.cfg.Address = srv.URL + "/prometheus/"
			vec, warnings, err := newClient(t, tt.cfg).Query(context.Background(), `up{mesh="default"}`, time.Unix(1700000000, 0))
			require.NoError(t, err)
			assert.Empty(t, warnings)
			require.Len(t, vec, 1)
			assert.EqualValues(t, 3, vec[0].Value)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, "/prometheus/api/v1/query", path)
			assert.Equal(t, `up{mesh="default"}`, query)
		})
	}
}

func TestQueryReturnsWarnings(t *testing.T) {
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","warnings":["partial response"],` + vectorBody[len(`{"status":"success",`):]))
	})
	vec, warnings, err := newClient(t, Config{Address: srv.URL + "/prometheus"}).Query(context.Background(), "up", time.Time{})
	require.NoError(t, err)
	assert.Len(t, vec, 1)
	assert.Equal(t, []string{"partial response"}, warnings)
}

func TestQueryErrors(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		address    string // overrides the fake server
		cancel     bool
		timeout    time.Duration // of the HTTP client, as the timeout setting sets it
		want       []string
		status     int
		downstream bool
		canceled   bool
	}{
		{
			name: "a refused connection names the endpoint", address: "http://127.0.0.1:9",
			want: []string{"Prometheus: cannot reach http://127.0.0.1:9/api/v1/query: connection refused"}, downstream: true,
		},
		{
			name: "a PromQL error is reported as Prometheus gives it", handler: reply(400, `{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}`),
			want: []string{"Prometheus: query failed: bad_data: 1:5: parse error: unexpected end of input"}, status: 400, downstream: true,
		},
		{
			name: "401 gets a hint and no secrets", handler: reply(401, "Unauthorized\n"),
			want: []string{"Prometheus: query failed: HTTP 401 Unauthorized from http://127.0.0.1:", "/prometheus/api/v1/query: Unauthorized", "check the Prometheus basic auth"}, status: 401, downstream: true,
		},
		{
			name: "404 hints at the path prefix", handler: reply(404, "404 page not found"),
			want: []string{"HTTP 404 Not Found", "path prefix"}, status: 404, downstream: true,
		},
		{
			name: "a 502 from a proxy is downstream", handler: reply(502, "<html><body>Bad Gateway</body></html>"),
			want: []string{"Prometheus: query failed: HTTP 502 Bad Gateway", "Bad Gateway</body>"}, status: 502, downstream: true,
		},
		{
			name: "an unparsable body is downstream", handler: reply(200, "<html>Grafana</html>"),
			want: []string{"Prometheus: query failed: bad_response:", "check the Prometheus URL"}, status: 200, downstream: true,
		},
		{
			name: "status error in a 200 is downstream", handler: reply(200, `{"status":"error","errorType":"execution","error":"query timed out"}`),
			want: []string{"Prometheus: query failed: execution: query timed out"}, status: 200, downstream: true,
		},
		{
			name: "a timeout says which setting to raise", handler: hang, timeout: 100 * time.Millisecond,
			want:       []string{"Prometheus: query: timed out waiting for http://127.0.0.1:", "/prometheus/api/v1/query (raise the datasource's timeout setting for a slow Prometheus, or narrow the query: a shorter time range, a zone filter)"},
			downstream: true,
		},
		{
			name: "a canceled context stays detectable", handler: reply(200, vectorBody), cancel: true,
			want: []string{"Prometheus: query canceled"}, downstream: true, canceled: true,
		},
		{
			name: "a non-vector result is Prometheus's fault", handler: reply(200, `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"1"]}}`),
			want: []string{`Prometheus: query "up" returned a scalar, not a vector`}, downstream: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := tt.address
			if addr == "" {
				addr = fakeAPI(t, tt.handler).URL + "/prometheus"
			}
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			}
			defer cancel()
			cfg := Config{Address: addr, BasicAuthUser: "alice", BasicAuthPassword: "s3cret"}
			if tt.timeout > 0 {
				cfg.Client = &http.Client{Timeout: tt.timeout}
			}
			_, _, err := newClient(t, cfg).Query(ctx, "up", time.Time{})
			require.Error(t, err)
			t.Log(err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "s3cret")
			assert.Equal(t, tt.downstream, backend.IsDownstreamError(err), "downstream")
			assert.Equal(t, tt.canceled, errors.Is(err, context.Canceled), "canceled")
			if perr, ok := errors.AsType[*Error](err); ok {
				assert.Equal(t, tt.status, perr.StatusCode)
			}
		})
	}
}

// hang never answers. It reads the body first: the server notices that the
// client gave up (and ends r's context) only once the body is read.
func hang(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

func TestPing(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr string
	}{
		{name: "vector(1) answered with 1 is healthy", body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"1"]}]}}`},
		{name: "an empty answer is not a query API", body: `{"status":"success","data":{"resultType":"vector","result":[]}}`, wantErr: "does not behave like a Prometheus query API"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				require.NoError(t, r.ParseForm())
				assert.Equal(t, "vector(1)", r.Form.Get("query"))
				_, _ = w.Write([]byte(tt.body))
			})
			err := newClient(t, Config{Address: srv.URL + "/prometheus"}).Ping(context.Background())
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestRedirectsThatLeaveTheURLAreRefused(t *testing.T) {
	var called bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called = true
		_, _ = w.Write([]byte(vectorBody))
	}))
	t.Cleanup(other.Close)
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/v1/query?query=up&token=planted", http.StatusTemporaryRedirect)
	})
	_, _, err := newClient(t, Config{Address: srv.URL + "/prometheus", Token: "tok"}).Query(context.Background(), "up", time.Time{})
	require.Error(t, err)
	assert.ErrorContains(t, err, "refusing redirect to "+other.URL+"/api/v1/query?query=xxxxx&token=xxxxx: it leaves the Prometheus URL")
	assert.True(t, backend.IsDownstreamError(err))
	assert.False(t, called, "the other host must not be asked")
}

func TestRedirectsUnderTheURLAreFollowed(t *testing.T) {
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/prometheus/api/v1/query" {
			http.Redirect(w, r, "/prometheus/v2/api/v1/query?query=up", http.StatusTemporaryRedirect)
			return
		}
		_, _ = w.Write([]byte(vectorBody))
	})
	_, _, err := newClient(t, Config{Address: srv.URL + "/prometheus", Token: "tok"}).Query(context.Background(), "up", time.Time{})
	require.NoError(t, err)
}
