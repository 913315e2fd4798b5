package kuma

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setup serves mux under /prefix/ (go-github's harness) and fails the test
// on any request outside it.
func setup(t *testing.T, cfg Config) (*http.ServeMux, *Client) {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle("/prefix/", http.StripPrefix("/prefix", mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the prefix: %s", r.URL)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(outer)
	t.Cleanup(srv.Close)
	cfg.Address = srv.URL + "/prefix/"
	c, err := NewClient(cfg)
	require.NoError(t, err)
	return mux, c
}

func respond(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

const dataplanesPath = "GET /meshes/default/dataplanes+insights"

func TestClientErrors(t *testing.T) {
	dataplanes := func(c *Client) error { _, err := c.Dataplanes(context.Background(), "default"); return err }
	tests := []struct {
		name    string
		route   string // mux pattern; the handler answers there
		handler http.HandlerFunc
		cfg     Config
		call    func(*Client) error // default: Dataplanes of mesh "default"
		want    string              // exact message, or a substring with wantSub
		wantSub bool
		status  int // *Error status, 0 when not an *Error
	}{
		{
			name: "a 2.14 unknown-mesh body says the mesh does not exist", route: "GET /meshes/nope/dataplanes+insights",
			handler: respond(404, "application/json", `{"type":"/std-errors","status":404,"title":"Failed to retrieve Mesh","detail":"Not found","details":"Not found"}`),
			call:    func(c *Client) error { _, err := c.Dataplanes(context.Background(), "nope"); return err },
			want:    `control plane: GET /meshes/nope/dataplanes+insights: 404 Failed to retrieve Mesh: Not found; the mesh "nope" does not exist`, status: 404,
		},
		{
			name: "a 2.2 body falls back to details", route: "GET /meshes/nope",
			handler: respond(404, "application/json", `{"title":"Could not retrieve a resource","details":"Not found"}`),
			call:    func(c *Client) error { _, err := c.Mesh(context.Background(), "nope"); return err },
			want:    `control plane: GET /meshes/nope: 404 Could not retrieve a resource: Not found; the mesh "nope" does not exist`, status: 404,
		},
		{
			name: "a 2.3 body with a string status decodes", route: dataplanesPath,
			handler: respond(500, "application/json", `{"type":"/std-errors","status":"500","title":"Could not retrieve resources","detail":"Internal Server Error"}`),
			want:    "control plane: GET /meshes/default/dataplanes+insights: 500 Could not retrieve resources: Internal Server Error", status: 500,
		},
		{
			name: "2.2 causes are part of the detail", route: dataplanesPath,
			handler: respond(400, "application/json", `{"title":"Could not paginate resources","details":"Invalid page size","causes":[{"field":"size","message":"Invalid page size of 5000. Maximum page size is 1000"}]}`),
			want:    "control plane: GET /meshes/default/dataplanes+insights: 400 Could not paginate resources: Invalid page size (size: Invalid page size of 5000. Maximum page size is 1000)", status: 400,
		},
		{
			name: "401 with a token says to check it", route: dataplanesPath, cfg: Config{Token: testToken},
			handler: respond(401, "application/json", `{"type":"/std-errors","status":401,"title":"Invalid authentication data","detail":"Unauthenticated"}`),
			want:    "control plane: GET /meshes/default/dataplanes+insights: 401 Invalid authentication data: Unauthenticated; check the control-plane token (cpToken): it is invalid or expired", status: 401,
		},
		{
			name: "401 without a token says to set one", route: dataplanesPath,
			handler: respond(401, "application/json", `{"type":"/std-errors","status":401,"title":"Invalid authentication data","detail":"Unauthenticated"}`),
			want:    "set a control-plane token (cpToken)", wantSub: true, status: 401,
		},
		{
			name: "403 points at the token's access", route: dataplanesPath, cfg: Config{Token: testToken},
			handler: respond(403, "application/json", `{"type":"/std-errors","status":403,"title":"Access Denied","detail":"user \"grafana\" cannot access the resource"}`),
			want:    `403 Access Denied: user "grafana" cannot access the resource; the control-plane token (cpToken) lacks read access`, wantSub: true, status: 403,
		},
		{
			name: "a plain-text 404 is an unknown route", route: "GET /meshes",
			handler: respond(404, "text/plain; charset=utf-8", "404: Page Not Found"),
			call:    func(c *Client) error { _, err := c.Meshes(context.Background()); return err },
			want:    "control plane: GET /meshes: 404 Not Found: 404: Page Not Found; the control plane does not serve this path: check that the URL is the Kuma API (port 5681) with the right path prefix", status: 404,
		},
		{
			name: "an HTML error page is not quoted", route: dataplanesPath,
			handler: respond(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
			want:    "control plane: GET /meshes/default/dataplanes+insights: 502 Bad Gateway: an HTML page, not the Kuma API", status: 502,
		},
		{
			name: "an HTML page with 200 is not JSON", route: dataplanesPath,
			handler: respond(200, "text/html; charset=utf-8", "<!doctype html><title>Kuma GUI</title>"),
			want:    "control plane: GET /meshes/default/dataplanes+insights: the response is not JSON (text/html): check that the URL is the Kuma API (port 5681), not the GUI or a proxy page",
		},
		{
			name: "truncated JSON is invalid", route: dataplanesPath,
			handler: respond(200, "application/json", `{"total": 8, "items": [{"name": "backend-1"`),
			want:    "control plane: GET /meshes/default/dataplanes+insights: invalid JSON in the response: unexpected end of JSON input",
		},
		{
			name: "a body over the cap is refused", route: dataplanesPath, cfg: Config{MaxBodyBytes: 1024},
			handler: respond(200, "application/json", `{"total":0,"items":[],"next":null}`+strings.Repeat(" ", 2048)),
			want:    "control plane: GET /meshes/default/dataplanes+insights: response is larger than the 1024 bytes cap",
		},
		{
			name: "a timeout names the control plane and the path", route: dataplanesPath,
			cfg: Config{Client: &http.Client{Timeout: 50 * time.Millisecond}},
			handler: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(2 * time.Second):
				}
			},
			want: "control plane: GET /meshes/default/dataplanes+insights: timed out waiting for http://127.0.0.1:", wantSub: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux, c := setup(t, tt.cfg)
			mux.HandleFunc(tt.route, tt.handler)
			call := tt.call
			if call == nil {
				call = dataplanes
			}
			err := call(c)
			require.Error(t, err)
			if tt.wantSub {
				assert.Contains(t, err.Error(), tt.want)
			} else {
				assert.Equal(t, tt.want, err.Error())
			}
			assert.True(t, backend.IsDownstreamError(err), "a CP fault is downstream")
			assert.NotContains(t, err.Error(), testToken)
			var kerr *Error
			if tt.status == 0 {
				assert.False(t, errors.As(err, &kerr))
				return
			}
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.status, kerr.StatusCode)
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c, err := NewClient(Config{Address: addr, Token: testToken})
	require.NoError(t, err)
	_, err = c.Meshes(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "control plane: GET /meshes: cannot reach "+addr)
	assert.Contains(t, err.Error(), "connection refused")
	assert.True(t, backend.IsDownstreamError(err))
	assert.True(t, backend.IsDownstreamHTTPError(err))
	assert.NotContains(t, err.Error(), testToken)
}

func TestContextCancellationIsReturnedAsIs(t *testing.T) {
	mux, c := setup(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	mux.HandleFunc("GET /meshes", func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	_, err := c.Meshes(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "control plane: GET /meshes: context canceled", err.Error())
}

func TestItemsNullIsAnEmptyList(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /meshes/default/service-insights", respond(200, "application/json", `{"total":0,"items":null,"next":null}`))
	services, err := c.ServiceInsights(context.Background(), "default")
	require.NoError(t, err)
	assert.Empty(t, services)
}

func TestMeshServicesKeepsJSONNotFound(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /meshes/nope/meshservices", respond(404, "application/json",
		`{"type":"/std-errors","status":404,"title":"Failed to retrieve Mesh","detail":"Not found"}`))
	_, err := c.MeshServices(context.Background(), "nope")
	var kerr *Error
	require.ErrorAs(t, err, &kerr, "only the plain-text route 404 means the API is missing")
	assert.True(t, kerr.MeshNotFound())
}
