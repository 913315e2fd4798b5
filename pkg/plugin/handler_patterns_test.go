package plugin

import (
	"context"
	"regexp"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// TestPatternQueriesAgainstTheRecordedControlPlane checks the one-row
// answers dashboards use as hidden variables: which label values each
// pattern selects once Prometheus anchors it.
func TestPatternQueriesAgainstTheRecordedControlPlane(t *testing.T) {
	tests := []struct {
		name, json     string
		matches, never []string
	}{
		{"a destination matches its split and truncated cluster names", `{"queryType":"destination-clusters","mesh":"default","service":"backend"}`,
			[]string{"backend", "backend-0123456789abcdef", "backend-_1_"}, []string{"frontend", "backend-1", "backend2"}},
		{"a destination given as a cluster name resolves to its service", `{"queryType":"destination-clusters","mesh":"default","service":"backend-0123456789abcdef"}`,
			[]string{"backend", "backend-fedcba9876543210"}, []string{"frontend"}},
		{"a regex-escaped name from the frontend is unescaped", `{"queryType":"destination-clusters","mesh":"default","service":"web\\.ns"}`,
			[]string{"web_ns"}, []string{"web\\.ns", "webxns"}},
		{"an unknown destination matches itself", `{"queryType":"destination-clusters","mesh":"default","service":"mystery-svc"}`,
			[]string{"mystery-svc"}, []string{"mystery"}},
		{"a builtin gateway selects its services, not its zone-hashed name", `{"queryType":"gateway-services","mesh":"default","gateway":"edge-gateway"}`,
			[]string{"edge-gateway"}, []string{"edge-gateway-8b8f45f5242vbz24", "frontend"}},
		{"a delegated gateway is its own service", `{"queryType":"gateway-services","mesh":"default","gateway":"kong-gateway"}`,
			[]string{"kong-gateway"}, []string{"edge-gateway"}},
	}
	cp := cpreplay.Start(t, "2.14.3")
	client, err := kuma.NewClient(kuma.Config{Address: cp.URL})
	require.NoError(t, err)
	d := newTestDatasource(client, &fakeMetrics{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", tt.json)}})
			require.NoError(t, err)
			dr := res.Responses["A"]
			require.NoError(t, dr.Error)
			require.Len(t, dr.Frames, 1)
			require.Equal(t, 1, dr.Frames[0].Rows(), "one row: the variable's single value")
			pattern := dr.Frames[0].Fields[0].At(0).(string)
			re := regexp.MustCompile("^(?:" + pattern + ")$")
			for _, v := range tt.matches {
				assert.True(t, re.MatchString(v), "%q should match %s", v, pattern)
			}
			for _, v := range tt.never {
				assert.False(t, re.MatchString(v), "%q should not match %s", v, pattern)
			}
		})
	}
}

func TestPatternQueriesNeedTheirName(t *testing.T) {
	d := newTestDatasource(nil, &fakeMetrics{})
	for json, want := range map[string]error{
		`{"queryType":"destination-clusters","mesh":"default"}`: models.ErrMissingService,
		`{"queryType":"gateway-services","mesh":"default"}`:     models.ErrMissingGateway,
	} {
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", json)}})
		require.NoError(t, err)
		assert.ErrorIs(t, res.Responses["A"].Error, want)
		assert.Equal(t, backend.ErrorSourceDownstream, res.Responses["A"].ErrorSource)
	}
}
