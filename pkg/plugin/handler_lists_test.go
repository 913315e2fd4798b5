package plugin

import (
	"context"
	"flag"
	"fmt"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
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
		cp := cpreplay.Start(t, version, cpreplay.WithPrefix("/api"))
		client, err := kuma.NewClient(kuma.Config{Address: cp.URL})
		require.NoError(t, err)
		d := newTestDatasource(client, &fakeMetrics{})
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
