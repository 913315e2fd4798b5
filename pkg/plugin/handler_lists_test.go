package plugin

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
)

var update = flag.Bool("update", false, "update golden files")

// TestListQueriesAgainstRecordedControlPlanes runs every list query through
// the real client against the recorded responses of both Kuma versions and
// compares the frames with golden files.
func TestListQueriesAgainstRecordedControlPlanes(t *testing.T) {
	queries := []struct{ name, json string }{
		{"meshes", `{"queryType":"meshes"}`},
		{"zones", `{"queryType":"zones"}`},
		{"services", `{"queryType":"services","mesh":"default"}`},
		{"services_zone", `{"queryType":"services","mesh":"default","zone":"(default|zone-2)"}`},
		{"dataplanes", `{"queryType":"dataplanes","mesh":"default"}`},
		{"dataplanes_service", `{"queryType":"dataplanes","mesh":"default","service":"redis"}`},
		{"dataplanes_payments", `{"queryType":"dataplanes","mesh":"payments","service":"ledger-admin"}`},
		{"gateways", `{"queryType":"gateways","mesh":"default"}`},
	}
	for _, version := range []string{"2.14.3", "2.2.9"} {
		d := replayedDatasource(t, version, cpreplay.WithPrefix("/api"))
		for _, q := range queries {
			t.Run(fmt.Sprintf("%s %s", version, q.name), func(t *testing.T) {
				res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", q.json)}})
				require.NoError(t, err)
				dr := res.Responses["A"]
				require.NoError(t, dr.Error)
				experimental.CheckGoldenJSONResponse(t, "testdata", fmt.Sprintf("%s_kuma_%s", q.name, version), &dr, *update)
			})
		}
	}
}

// TestListQueriesOfAnExclusiveMeshOnAGlobalCP answers list queries from the
// recorded global CP whose mesh "modern" is Exclusive: the two zones' copies
// of MeshService api are two rows told apart by their zone and KRI, and
// the editors' picker lists api once with both zones.
func TestListQueriesOfAnExclusiveMeshOnAGlobalCP(t *testing.T) {
	d := replayedDatasource(t, "2.14.3-exclusive")
	for name, q := range map[string]string{
		"services":           `{"queryType":"services","mesh":"modern"}`,
		"services_zone":      `{"queryType":"services","mesh":"modern","zone":"zone-2"}`,
		"dataplanes_service": `{"queryType":"dataplanes","mesh":"modern","service":"api"}`,
	} {
		t.Run(name, func(t *testing.T) {
			res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", q)}})
			require.NoError(t, err)
			dr := res.Responses["A"]
			require.NoError(t, dr.Error)
			experimental.CheckGoldenJSONResponse(t, "testdata", name+"_kuma_2.14.3-exclusive", &dr, *update)
		})
	}

	var sender fakeSender
	require.NoError(t, d.CallResource(context.Background(), &backend.CallResourceRequest{
		Method: http.MethodGet, Path: "services", URL: "services?mesh=modern",
	}, &sender))
	require.Equal(t, http.StatusOK, sender.status, string(sender.body))
	var items []serviceItem
	require.NoError(t, json.Unmarshal(sender.body, &items))
	assert.Contains(t, items, serviceItem{Name: "api", Kind: "mesh_service", Status: "online", Zones: []string{"zone-1", "zone-2"}})
	assert.Len(t, items, 5, "api, db, web, payments-ext and api-mz, each once")
}

// fakeSender keeps a resource response.
type fakeSender struct {
	status int
	body   []byte
}

func (f *fakeSender) Send(r *backend.CallResourceResponse) error {
	f.status = r.Status
	f.body = append(f.body, r.Body...)
	return nil
}
