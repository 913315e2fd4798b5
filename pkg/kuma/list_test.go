package kuma

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPaginationNeverFollowsNext(t *testing.T) {
	for _, version := range []string{"2.14.3", "2.2.9"} {
		t.Run(version, func(t *testing.T) {
			srv, c := replay(t, version)
			c.pageSize = 2 // the replay's next links are absolute and leave /prefix
			services, err := c.ServiceInsights(context.Background(), "default")
			require.NoError(t, err)
			names := make([]string, 0, len(services))
			for _, s := range services {
				names = append(names, s.Name)
			}
			assert.Equal(t, []string{"backend", "edge-gateway", "frontend", "httpbin", "kong-gateway", "redis"}, names)
			var queries []string
			for _, r := range srv.Requests() {
				assert.Equal(t, "/prefix/meshes/default/service-insights", r.Path)
				assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
				queries = append(queries, r.RawQuery)
			}
			assert.Equal(t, []string{"offset=0&size=2", "offset=2&size=2", "offset=4&size=2"}, queries)
		})
	}
}

// pages answers each request from items by offset/size with the given
// total and a next link built by nextFn (nil next when it returns "").
func pages(t *testing.T, items []string, total int, nextFn func(offset, n int) string) (http.HandlerFunc, *[]url.Values) {
	var seen []url.Values
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		seen = append(seen, q)
		offset, _ := strconv.Atoi(q.Get("offset"))
		size, err := strconv.Atoi(q.Get("size"))
		require.NoError(t, err)
		require.Positive(t, size, "size=0 must never be sent")
		var page []string
		for i := offset; i < len(items) && i < offset+size; i++ {
			page = append(page, fmt.Sprintf(`{"mesh":"default","name":%q}`, items[i]))
		}
		next := "null"
		if n := nextFn(offset, len(page)); n != "" {
			next = strconv.Quote(n)
		}
		_, _ = fmt.Fprintf(w, `{"total":%d,"items":[%s],"next":%s}`, total, strings.Join(page, ","), next)
	}, &seen
}

func TestPagination(t *testing.T) {
	evil := func(offset, n int) string { return fmt.Sprintf("https://evil.example/steal?offset=%d", offset+n) }
	tests := []struct {
		name      string
		items     []string
		total     int
		next      func(offset, n int) string
		maxPages  int
		want      []string
		wantErr   string
		wantPages int
	}{
		{
			name: "pages are rebuilt against the base, reading only next's offset", items: []string{"a", "b", "c", "d", "e"}, total: 5,
			next: func(o, n int) string {
				if o+n >= 5 {
					return ""
				}
				return evil(o, n)
			},
			want: []string{"a", "b", "c", "d", "e"}, wantPages: 3,
		},
		{
			name: "an empty page stops even when next is set", items: []string{"a", "b"}, total: 10, next: evil,
			want: []string{"a", "b"}, wantPages: 2,
		},
		{
			name: "offset at total stops even when next is set", items: []string{"a", "b", "c", "d"}, total: 4, next: evil,
			want: []string{"a", "b", "c", "d"}, wantPages: 2,
		},
		{
			name: "a next that does not advance is an error", items: []string{"a", "b", "c"}, total: 3,
			next:    func(int, int) string { return "http://x/meshes?offset=0&size=2" },
			wantErr: "control plane: GET /meshes: pagination does not advance past offset 0", wantPages: 1,
		},
		{
			name: "an unparsable next falls back to offset plus items", items: []string{"a", "b", "c"}, total: 3,
			next: func(int, int) string { return "::" },
			want: []string{"a", "b", "c"}, wantPages: 2,
		},
		{
			name: "too many pages is a clear error", items: []string{"a", "b", "c", "d", "e", "f", "g"}, total: 7, next: evil, maxPages: 3,
			wantErr: "control plane: GET /meshes: more than 3 pages of 2 items: raise the page cap (MaxPages)", wantPages: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux, c := setup(t, Config{MaxPages: tt.maxPages})
			c.pageSize = 2
			h, seen := pages(t, tt.items, tt.total, tt.next)
			mux.HandleFunc("GET /meshes", h)
			meshes, err := c.Meshes(context.Background())
			assert.Len(t, *seen, tt.wantPages)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			var names []string
			for _, m := range meshes {
				names = append(names, m.Name)
			}
			assert.Equal(t, tt.want, names)
		})
	}
}

func TestPaginationDeduplicatesShiftedItems(t *testing.T) {
	mux, c := setup(t, Config{})
	c.pageSize = 2
	// An item inserted before offset 2 between the two calls shifts "b" onto page 2.
	mux.HandleFunc("GET /meshes/default/dataplanes+insights", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "0" {
			_, _ = fmt.Fprint(w, `{"total":4,"items":[{"mesh":"default","name":"a"},{"mesh":"default","name":"b"}],"next":"http://h/?offset=2&size=2"}`)
			return
		}
		_, _ = fmt.Fprint(w, `{"total":4,"items":[{"mesh":"default","name":"b"},{"mesh":"default","name":"c"}],"next":null}`)
	})
	dps, err := c.Dataplanes(context.Background(), "default")
	require.NoError(t, err)
	var names []string
	for _, d := range dps {
		names = append(names, d.Name)
	}
	assert.Equal(t, []string{"a", "b", "c"}, names)
}

func TestUserInputIsOneEscapedPathSegment(t *testing.T) {
	for _, mesh := range []string{"a/b", `a"b`, `a\b`, "a}b", "a\nb", "a?b#c", "a%2Fb", "../x"} {
		t.Run(strconv.Quote(mesh), func(t *testing.T) {
			mux, c := setup(t, Config{})
			var rawPath, path string
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				rawPath, path = r.URL.EscapedPath(), r.URL.Path
				_, _ = fmt.Fprint(w, `{"total":0,"items":[],"next":null}`)
			})
			_, err := c.Dataplanes(context.Background(), mesh)
			require.NoError(t, err)
			assert.Equal(t, "/meshes/"+url.PathEscape(mesh)+"/dataplanes+insights", rawPath)
			assert.Equal(t, "/meshes/"+mesh+"/dataplanes+insights", path)
		})
	}
	for _, mesh := range []string{"", ".", ".."} {
		t.Run("refuses "+strconv.Quote(mesh), func(t *testing.T) {
			_, c := setup(t, Config{})
			_, err := c.MeshGateways(context.Background(), mesh)
			assert.ErrorContains(t, err, "invalid name")
		})
	}
}

func TestRedirectsStayUnderTheBase(t *testing.T) {
	mux, c := setup(t, Config{Token: testToken})
	mux.HandleFunc("GET /meshes", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere/meshes", http.StatusFound) // outside /prefix
	})
	_, err := c.Meshes(context.Background())
	require.Error(t, err)
	assert.Regexp(t, `^control plane: GET /meshes: refusing redirect to http://127\.0\.0\.1:\d+/elsewhere/meshes: it leaves the control-plane URL$`, err.Error())

	mux2, c2 := setup(t, Config{Token: testToken})
	mux2.HandleFunc("GET /zones+insights", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/prefix/zones/_overview?"+r.URL.RawQuery, http.StatusMovedPermanently)
	})
	mux2.HandleFunc("GET /zones/_overview", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		_, _ = fmt.Fprint(w, `{"total":1,"items":[{"name":"z","zone":{}}],"next":null}`)
	})
	zones, err := c2.Zones(context.Background())
	require.NoError(t, err)
	assert.Len(t, zones, 1)
}

func TestNoTokenNoAuthorizationHeader(t *testing.T) {
	mux, c := setup(t, Config{})
	answer := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			_, present := r.Header["Authorization"]
			assert.False(t, present, r.URL.Path)
			_, _ = fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("GET /{$}", answer(`{"product":"Kong Mesh","version":"2.9.1","basedOnKuma":"2.9.1"}`))
	mux.HandleFunc("GET /config", answer(`{"mode":"standalone"}`))
	info, err := c.Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Index{Product: "Kong Mesh", Version: "2.9.1", BasedOnKuma: "2.9.1"}, info.Index)
}
