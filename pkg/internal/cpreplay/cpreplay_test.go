package cpreplay

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

func get(t *testing.T, url string, header ...string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

func fixture(t *testing.T, version, name string) string {
	t.Helper()
	root, err := repo.Root()
	require.NoError(t, err)
	body, err := os.ReadFile(filepath.Join(root, "testdata", "kuma-cp-"+version, name))
	require.NoError(t, err)
	return string(body)
}

func TestReplayServesRecordedBodies(t *testing.T) {
	for _, version := range []string{"2.14.3", "2.2.9"} {
		t.Run(version, func(t *testing.T) {
			s := Start(t, version, WithPrefix("/prefix/"))
			require.True(t, strings.HasSuffix(s.URL, "/prefix"))
			for path, file := range map[string]string{
				"/":                                          "index.json",
				"/meshes":                                    "meshes.json",
				"/zones+insights":                            "zones+insights.json",
				"/meshes/default/service-insights":           "service-insights_default.json",
				"/meshes/default/dataplanes+insights":        "dataplanes+insights_default.json",
				"/meshes/payments/dataplanes?size=1000":      "dataplanes_payments.json",
				"/meshes/default/meshgateways":               "meshgateways_default.json",
				"/meshes/default/external-services":          "external-services_default.json",
				"/meshes/default/service-insights?size=5000": "error_400_page_size.json",
			} {
				code, _, body := get(t, s.URL+path)
				assert.Contains(t, []int{200, 400}, code, path)
				assert.Equal(t, fixture(t, version, file), body, path)
			}
		})
	}
}

func TestReplayPaginatesLikeTheRecordedServer(t *testing.T) {
	for _, version := range []string{"2.14.3", "2.2.9"} {
		t.Run(version, func(t *testing.T) {
			s := Start(t, version, WithPrefix("/prefix"))
			host := strings.TrimPrefix(strings.TrimSuffix(s.URL, "/prefix"), "http://")
			for i, offset := range []string{"", "offset=2&", "offset=4&"} {
				_, _, body := get(t, s.URL+"/meshes/default/service-insights?"+offset+"size=2")
				var got, want envelope
				require.NoError(t, json.Unmarshal([]byte(body), &got))
				require.NoError(t, json.Unmarshal([]byte(fixture(t, version, "service-insights_default_page"+string(rune('1'+i))+"_size2.json")), &want))
				assert.Equal(t, want.Total, got.Total)
				require.Len(t, got.Items, len(want.Items))
				for j := range want.Items {
					assert.JSONEq(t, string(want.Items[j]), string(got.Items[j]))
				}
				if want.Next == nil {
					assert.Nil(t, got.Next)
					continue
				}
				// Rebuilt from the request's Host, without the prefix, as kuma-cp does.
				require.NotNil(t, got.Next)
				assert.Equal(t, "http://"+host+"/meshes/default/service-insights?offset="+string(rune('2'+2*i))+"&size=2", *got.Next)
			}
			// Following next leaves the prefix: the server answers a plain 404.
			code, ctype, body := get(t, strings.TrimSuffix(s.URL, "/prefix")+"/meshes/default/service-insights?offset=2&size=2")
			assert.Equal(t, http.StatusNotFound, code)
			assert.Contains(t, ctype, "text/plain")
			assert.Equal(t, "404: Page Not Found", body)
		})
	}
}

func TestReplayVersionBehaviour(t *testing.T) {
	tests := []struct {
		name, version, path string
		wantCode            int
		wantBody            string // substring
	}{
		{"2.14 answers a list under a missing mesh with 404", "2.14.3", "/meshes/nope/dataplanes+insights", 404, `"title": "Failed to retrieve Mesh"`},
		{"2.2 answers service-insights of a missing mesh with items null", "2.2.9", "/meshes/nope/service-insights", 200, `"items": null`},
		{"2.2 answers other lists of a missing mesh with an empty list", "2.2.9", "/meshes/nope/dataplanes+insights", 200, `"total": 0`},
		{"2.2 has no meshservices route", "2.2.9", "/meshes/default/meshservices", 404, "404: Page Not Found"},
		{"2.2 has no _overview routes", "2.2.9", "/zones/_overview", 404, "404: Page Not Found"},
		{"2.14 serves meshservices", "2.14.3", "/meshes/default/meshservices", 200, `"items": []`},
		{"2.14 serves an empty meshmultizoneservices list", "2.14.3", "/meshes/payments/meshmultizoneservices", 200, `"total": 0`},
		{"2.14 derives the payments overview from its dataplanes", "2.14.3", "/meshes/payments/dataplanes/_overview", 200, `"type": "DataplaneOverview"`},
		{"2.14 rejects size=0", "2.14.3", "/meshes?size=0", 400, "Invalid page size"},
		{"2.2 loops on size=0 in service-insights", "2.2.9", "/meshes/default/service-insights?offset=2&size=0", 200, "offset=2&size=0"},
		{"2.14 config is a zone CP", "2.14.3", "/config", 200, `"mode":"zone"`},
		{"2.2 config is standalone", "2.2.9", "/config", 200, `"mode":"standalone"`},
		{"a missing mesh is a 404", "2.14.3", "/meshes/nope", 404, "Could not retrieve a resource"},
		{"a 2.2 error body has details", "2.2.9", "/meshes/nope", 404, `"details": "Not found"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Start(t, tt.version)
			code, _, body := get(t, s.URL+tt.path)
			assert.Equal(t, tt.wantCode, code)
			assert.Contains(t, body, tt.wantBody)
		})
	}
}

func TestReplayTokenAndRecording(t *testing.T) {
	s := Start(t, "2.14.3", WithToken("s3cret"), WithPrefix("kuma"))
	code, _, body := get(t, s.URL+"/meshes")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, body, "Invalid authentication data")
	code, _, _ = get(t, s.URL+"/meshes", "Authorization", "Bearer s3cret")
	assert.Equal(t, http.StatusOK, code)
	code, _, _ = get(t, s.URL+"/")
	assert.Equal(t, http.StatusOK, code, "GET / is public in Kuma")

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "/kuma/meshes", reqs[1].Path)
	assert.Equal(t, "Bearer s3cret", reqs[1].Header.Get("Authorization"))
	s.Reset()
	assert.Empty(t, s.Requests())
}

func TestReplayRootPrefixIsNoPrefix(t *testing.T) {
	s := Start(t, "2.2.9", WithPrefix("/"))
	code, _, _ := get(t, s.URL+"/meshes")
	assert.Equal(t, http.StatusOK, code)
}

func TestReplayConfigStatus(t *testing.T) {
	s := Start(t, "2.14.3", WithConfigStatus(http.StatusForbidden))
	code, _, body := get(t, s.URL+"/config")
	assert.Equal(t, http.StatusForbidden, code)
	assert.Contains(t, body, "cannot access")
}

func TestReplayServesAManifestRecording(t *testing.T) {
	const version = "2.14.3-exclusive"
	s := Start(t, version, WithPrefix("/kuma"))
	for path, want := range map[string]struct {
		code int
		file string
	}{
		"/meshes/modern/meshservices":                                  {200, "meshes__modern__meshservices.json"},
		"/meshes/modern/dataplanes?size=3":                             {200, "meshes__modern__dataplanes.q-size-3.json"},
		"/meshes/modern/meshservices/api-c24f4x84ww4v4d96/_dataplanes": {200, "meshes__modern__meshservices__api-c24f4x84ww4v4d96___dataplanes.json"},
		"/meshes/modern/dataplanes/web-1-6z6cbwcw7c7f7v4v/_layout":     {200, "meshes__modern__dataplanes__web-1-6z6cbwcw7c7f7v4v___layout.json"},
		"/meshes/no-such-mesh/meshservices":                            {404, "meshes__no-such-mesh__meshservices.json"},
		"/config":                                                      {200, "config.json"},
	} {
		code, _, body := get(t, s.URL+path)
		assert.Equal(t, want.code, code, path)
		assert.Equal(t, fixture(t, version, want.file), body, path)
	}

	// Lists are paged by the server when no recorded answer matches.
	code, _, body := get(t, s.URL+"/meshes/modern/meshservices?offset=1&size=2")
	require.Equal(t, http.StatusOK, code)
	var page envelope
	require.NoError(t, json.Unmarshal([]byte(body), &page))
	assert.Equal(t, 4, page.Total)
	assert.Len(t, page.Items, 2)
	assert.Equal(t, "api-c24f4x84ww4v4d96", itemName(page.Items[0]))

	code, _, _ = get(t, s.URL+"/meshes/modern/no-such-route")
	assert.Equal(t, http.StatusNotFound, code)
}
