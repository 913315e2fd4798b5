package kuma

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAListStopsAtItsTotalBytesCap(t *testing.T) {
	// Every page is under the body cap; together they pass the list cap.
	mux, c := setup(t, Config{MaxBodyBytes: 1 << 20, MaxListBytes: 2 << 20})
	c.pageSize = 1
	pad := strings.Repeat("x", 600<<10)
	var pages int
	mux.HandleFunc("GET /meshes", func(w http.ResponseWriter, r *http.Request) {
		pages++
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		_, _ = fmt.Fprintf(w, `{"total":100,"items":[{"name":"m%d","labels":{"pad":%q}}],"next":"x"}`, offset, pad)
	})
	_, err := c.Meshes(context.Background())
	require.Error(t, err)
	assert.EqualError(t, err, "control plane: GET /meshes: the list is larger than the 2 MiB cap for one list")
	assert.True(t, backend.IsDownstreamError(err))
	assert.Equal(t, 4, pages, "reading stops at the page that passes the cap")
}

func TestZonesOnlineFromKDSStreams(t *testing.T) {
	tests := []struct {
		name    string
		insight string
		want    *bool
	}{
		{"connected streams without subscriptions are online",
			`{"kdsStreams":{"globalToZone":{"globalInstanceId":"g","connectTime":"2026-01-01T00:00:00Z"}}}`, new(true)},
		{"disconnected streams are offline",
			`{"kdsStreams":{"globalToZone":{"connectTime":"2026-01-01T00:00:00Z","disconnectTime":"2026-01-01T01:00:00Z"}}}`, new(false)},
		{"an empty insight is unknown", `{}`, nil},
		{"a disconnected subscription is offline",
			`{"subscriptions":[{"connectTime":"2026-01-01T00:00:00Z","disconnectTime":"2026-01-01T01:00:00Z"}]}`, new(false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux, c := setup(t, Config{})
			mux.HandleFunc("GET /zones+insights", respond(200, "application/json",
				`{"total":1,"items":[{"name":"zone-1","zone":{},"zoneInsight":`+tt.insight+`}],"next":null}`))
			zones, err := c.Zones(context.Background())
			require.NoError(t, err)
			require.Len(t, zones, 1)
			assert.Equal(t, tt.want, zones[0].Online)
		})
	}
}

func TestDecodingErrorsNameNoGoTypes(t *testing.T) {
	mux, c := setup(t, Config{})
	mux.HandleFunc("GET /meshes", respond(200, "application/json", `{"total":"many","items":[]}`))
	_, err := c.Meshes(context.Background())
	require.Error(t, err)
	assert.EqualError(t, err, `control plane: GET /meshes: invalid JSON in the response: field "total" is a JSON string, which the plugin cannot read there (offset 15)`)
	assert.NotContains(t, err.Error(), "Go struct")
}

func TestInvalidAddressesNeverShowCredentials(t *testing.T) {
	for _, addr := range []string{
		"ftp://admin:PASS@h", "http://admin:PASS#x@h", "http://admin:PASS@h x", "http://h/?token=PASS", "http://admin:PASS@/",
	} {
		t.Run(addr, func(t *testing.T) {
			_, err := NewClient(Config{Address: addr})
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "PASS")
			assert.NotContains(t, err.Error(), "admin")
		})
	}
}
