package plugin

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/sseread"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// TestEveryFrameReadsBackAsServerSideExpressionsReadIt sends every query
// type through QueryData and reads each response the way Grafana's
// server-side expressions do. Queries meant for alert rules must also give
// results whose labels are unique, as alert evaluation requires.
func TestEveryFrameReadsBackAsServerSideExpressionsReadIt(t *testing.T) {
	tests := []struct {
		name, json string
		fromAlert  bool
		// alertable queries must give unique labels per result.
		alertable bool
		vis       data.VisType
	}{
		{name: "meshes", json: `{"queryType":"meshes"}`, vis: data.VisTypeTable},
		{name: "zones", json: `{"queryType":"zones"}`, vis: data.VisTypeTable},
		{name: "zones online", json: `{"queryType":"zones","valueColumn":"online"}`, alertable: true, vis: data.VisTypeTable},
		{name: "services", json: `{"queryType":"services","mesh":"default"}`, vis: data.VisTypeTable},
		{name: "services offline", json: `{"queryType":"services","mesh":"default","valueColumn":"dataplanes_offline"}`, alertable: true, vis: data.VisTypeTable},
		{name: "dataplanes online", json: `{"queryType":"dataplanes","mesh":"default","valueColumn":"online"}`, alertable: true, vis: data.VisTypeTable},
		{name: "gateways", json: `{"queryType":"gateways","mesh":"default","valueColumn":"dataplanes_online"}`, alertable: true, vis: data.VisTypeTable},
		{name: "mesh-graph", json: `{"queryType":"mesh-graph","mesh":"default"}`, vis: data.VisTypeNodeGraph},
		{name: "traffic series", json: `{"queryType":"traffic","mesh":"default","groupBy":"edge","metrics":["requests","p99"]}`},
		{name: "traffic services", json: `{"queryType":"traffic","mesh":"default","metrics":["success"],"format":"instant"}`, alertable: true},
		{name: "traffic in a rule", json: `{"queryType":"traffic","mesh":"default","groupBy":"service","metrics":["requests"]}`, fromAlert: true, alertable: true},
		{name: "traffic gateways", json: `{"queryType":"traffic","mesh":"default","groupBy":"gateway","metrics":["requests"],"format":"instant"}`, alertable: true},
	}
	for _, version := range []string{"2.14.3", "2.2.9"} {
		d := replayedDatasource(t, version)
		for _, tt := range tests {
			t.Run(version+" "+tt.name, func(t *testing.T) {
				req := &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", tt.json)}}
				if tt.fromAlert {
					req.Headers = map[string]string{"FromAlert": "true"}
				}
				res, err := d.QueryData(context.Background(), req)
				require.NoError(t, err)
				dr := res.Responses["A"]
				require.NoError(t, dr.Error)
				require.NotEmpty(t, dr.Frames)
				for _, f := range dr.Frames {
					require.NotNil(t, f.Meta, f.Name)
					assert.NotEmpty(t, f.Meta.Type, "every frame states its type")
					assert.Equal(t, sseread.Version, f.Meta.TypeVersion)
					if tt.vis != "" {
						assert.Equal(t, tt.vis, f.Meta.PreferredVisualization, f.Name)
					}
				}
				values, err := sseread.Read(dr.Frames)
				require.NoError(t, err)
				if tt.alertable {
					if dr.Frames[0].Rows() > 0 {
						require.NotEmpty(t, values)
					}
					assert.NoError(t, sseread.UniqueForAlerting(values))
				}
			})
		}
	}
}

func TestValueColumnsGiveTheExampleAlertsTheirNumbers(t *testing.T) {
	d := replayedDatasource(t, "2.14.3")
	read := func(json string) []sseread.Value {
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", json)}})
		require.NoError(t, err)
		require.NoError(t, res.Responses["A"].Error)
		values, err := sseread.Read(res.Responses["A"].Frames)
		require.NoError(t, err)
		return values
	}
	for _, v := range read(`{"queryType":"services","mesh":"default","valueColumn":"dataplanes_offline"}`) {
		assert.Equal(t, []string{"kind", "name"}, keys(v.Labels), "only the columns that name a service")
		assert.Equal(t, "dataplanes_offline", v.Name)
	}
	zones := read(`{"queryType":"zones","valueColumn":"online"}`)
	require.NotEmpty(t, zones)
	for _, v := range zones {
		assert.Equal(t, []string{"name"}, keys(v.Labels))
		if v.Values[0] != nil { // null where the CP does not report it
			assert.Contains(t, []float64{0, 1}, *v.Values[0])
		}
	}
}

func TestTrafficAndValueColumnBadInput(t *testing.T) {
	d := newTestDatasource(&fakeControlPlane{}, &fakeMetrics{})
	tests := []struct {
		name, json string
		fromAlert  bool
		want       string
	}{
		{"an unknown value column", `{"queryType":"meshes","valueColumn":"size"}`, false, `unknown value column "size" for meshes: use one of []`},
		{"a bad service regex", `{"queryType":"traffic","mesh":"default","service":"(["}`, false, "service filter is not a valid regular expression"},
		{"an unknown format", `{"queryType":"traffic","mesh":"default","format":"table"}`, false, `unknown format "table"`},
		{"several metrics in a rule", `{"queryType":"traffic","mesh":"default","metrics":["requests","success"]}`, true, "an alert rule reads one metric per query"},
		{"an unknown metric", `{"queryType":"traffic","mesh":"default","metrics":["rps"]}`, false, `unknown metric "rps"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "", tt.json)}}
			if tt.fromAlert {
				req.Headers = map[string]string{"FromAlert": "true"}
			}
			res, err := d.QueryData(context.Background(), req)
			require.NoError(t, err)
			r := res.Responses["A"]
			require.Error(t, r.Error)
			assert.Contains(t, r.Error.Error(), tt.want)
			assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
			assert.Equal(t, backend.StatusBadRequest, r.Status)
		})
	}
}

func TestTrafficZoneLabelOnlyWhereZonesAreFiltered(t *testing.T) {
	d := replayedDatasource(t, "2.14.3")
	for zone, want := range map[string]string{".*": "", "default": "default", "(default|zone-2)": "(default|zone-2)"} {
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
			query("A", "", `{"queryType":"traffic","mesh":"default","metrics":["requests"],"zone":"`+zone+`"}`)}})
		require.NoError(t, err)
		require.NoError(t, res.Responses["A"].Error)
		labels := res.Responses["A"].Frames[0].Fields[1].Labels
		assert.Equal(t, want, labels["zone"], zone)
		assert.Equal(t, "default", labels["mesh"])
	}
}

func TestTrafficStepFollowsThePanelInterval(t *testing.T) {
	dq := query("A", "", `{}`)
	dq.Interval, dq.MaxDataPoints = 30*time.Second, 100
	opts, err := trafficOptions(models.Query{Mesh: "default"}, dq, false)
	require.NoError(t, err)
	assert.Equal(t, 36*time.Second, opts.Step, "an hour in at most 100 points")
	assert.Equal(t, models.GroupByService, opts.GroupBy)
	assert.Equal(t, models.DefaultTrafficMetrics, opts.Metrics)

	alert, err := trafficOptions(models.Query{Mesh: "default", Metrics: []models.TrafficMetric{"success"}}, dq, true)
	require.NoError(t, err)
	assert.Zero(t, alert.Step, "a rule gets one number per series over its range")
}

func keys(l data.Labels) []string {
	var out []string
	for k := range l {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
