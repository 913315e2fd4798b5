package plugin

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// fakeControlPlane answers from fixed lists; err, when set, is returned by
// every call. It is only for the dispatch tests: handlers are tested against
// the real client and recorded control-plane responses elsewhere.
type fakeControlPlane struct {
	meshes     []kuma.Mesh
	services   []kuma.Service
	dataplanes []kuma.Dataplane
	gateways   []kuma.MeshGateway
	err        error
}

func (f *fakeControlPlane) Info(context.Context) (kuma.ControlPlaneInfo, error) {
	return kuma.ControlPlaneInfo{Index: kuma.Index{Product: "Kuma", Version: "2.14.3"}, Mode: kuma.ModeZone}, f.err
}
func (f *fakeControlPlane) Meshes(context.Context) ([]kuma.Mesh, error) { return f.meshes, f.err }
func (f *fakeControlPlane) Mesh(_ context.Context, name string) (kuma.Mesh, error) {
	return kuma.Mesh{Name: name}, f.err
}
func (f *fakeControlPlane) Zones(context.Context) ([]kuma.Zone, error) { return nil, f.err }
func (f *fakeControlPlane) ServiceInsights(context.Context, string) ([]kuma.Service, error) {
	return f.services, f.err
}
func (f *fakeControlPlane) MeshServices(context.Context, string) ([]kuma.Service, error) {
	return nil, f.err
}
func (f *fakeControlPlane) MeshGateways(context.Context, string) ([]kuma.MeshGateway, error) {
	return f.gateways, f.err
}
func (f *fakeControlPlane) Dataplanes(context.Context, string) ([]kuma.Dataplane, error) {
	return append([]kuma.Dataplane(nil), f.dataplanes...), f.err
}

type fakeMetrics struct{ err error }

func (f *fakeMetrics) QueryVector(context.Context, string, time.Time, []string) (*prometheus.Vector, []string, error) {
	return nil, nil, f.err
}
func (f *fakeMetrics) Query(context.Context, string, time.Time) (model.Vector, []string, error) {
	return nil, nil, f.err
}
func (f *fakeMetrics) QueryRange(context.Context, string, v1.Range) (model.Matrix, []string, error) {
	return nil, nil, f.err
}
func (f *fakeMetrics) Ping(context.Context) error                        { return f.err }
func (f *fakeMetrics) SeriesExist(context.Context, string) (bool, error) { return f.err == nil, f.err }

func newTestDatasource(cp ControlPlane, m Metrics) *Datasource {
	d := &Datasource{settings: models.Settings{LabelNames: models.DefaultLabelNames}, cp: cp, metrics: m}
	d.resources = newResourceHandler(d)
	return d
}

// replayedDatasource is a datasource whose control plane replays the
// recorded fixture; its Prometheus is an empty fake.
func replayedDatasource(t *testing.T, fixture string, opts ...cpreplay.Option) *Datasource {
	t.Helper()
	client, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, fixture, opts...).URL})
	require.NoError(t, err)
	return newTestDatasource(client, &fakeMetrics{})
}

// openDatasource starts the datasource as Grafana does, from its instance
// settings, and disposes of it when the test ends.
func openDatasource(t *testing.T, settings backend.DataSourceInstanceSettings) *Datasource {
	t.Helper()
	ds, err := NewDatasource(context.Background(), settings)
	require.NoError(t, err, "a datasource starts whatever its settings, so it can say what is wrong")
	d := ds.(*Datasource)
	t.Cleanup(d.Dispose)
	return d
}

func query(refID, queryType, json string) backend.DataQuery {
	now := time.Now()
	return backend.DataQuery{RefID: refID, QueryType: queryType, JSON: []byte(json), TimeRange: backend.TimeRange{From: now.Add(-time.Hour), To: now}}
}

func TestQueryDataAnswersEveryQueryOnItsOwn(t *testing.T) {
	d := newTestDatasource(&fakeControlPlane{meshes: []kuma.Mesh{{Name: "default"}, {Name: "payments"}}}, &fakeMetrics{})
	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("good", "", `{"queryType":"meshes"}`),
		query("badjson", "", `{"queryType":`),
		query("unknown", "", `{"queryType":"pods"}`),
		query("nomesh", "", `{"queryType":"services"}`),
		query("badzone", "", `{"queryType":"mesh-graph","mesh":"default","zone":"(["}`),
		query("badrollup", "", `{"queryType":"mesh-graph","mesh":"default","rollupRegEx":"(["}`),
		query("badgroupby", "", `{"queryType":"mesh-graph","mesh":"default","groupBy":"pod"}`),
	}})
	require.NoError(t, err)
	require.Len(t, res.Responses, 7)

	good := res.Responses["good"]
	require.NoError(t, good.Error)
	require.Len(t, good.Frames, 1)
	assert.Equal(t, "meshes", good.Frames[0].Name)
	assert.Equal(t, "good", good.Frames[0].RefID)
	assert.Equal(t, []string{"default", "payments"}, []string{good.Frames[0].Fields[0].At(0).(string), good.Frames[0].Fields[0].At(1).(string)})

	cases := map[string]struct {
		source backend.ErrorSource
		status backend.Status
		text   string
	}{
		"badjson":   {backend.ErrorSourcePlugin, backend.StatusBadRequest, "not valid JSON"},
		"unknown":   {backend.ErrorSourceDownstream, backend.StatusBadRequest, `unknown query type "pods"`},
		"nomesh":    {backend.ErrorSourceDownstream, backend.StatusBadRequest, "no mesh selected"},
		"badzone":   {backend.ErrorSourceDownstream, backend.StatusBadRequest, "zone filter is not a valid regular expression"},
		"badrollup": {backend.ErrorSourceDownstream, backend.StatusBadRequest, "rollup regex is not a valid regular expression"},
		"badgroupby": {backend.ErrorSourceDownstream, backend.StatusBadRequest,
			`groupBy is not valid: "pod": use "service" or "workload"`},
	}
	for refID, want := range cases {
		r := res.Responses[refID]
		require.Error(t, r.Error, refID)
		assert.Contains(t, r.Error.Error(), want.text, refID)
		assert.Equal(t, want.source, r.ErrorSource, refID)
		assert.Equal(t, want.status, r.Status, refID)
	}
}

func TestPrometheusErrorsKeepTheirStatus(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status backend.Status
	}{
		{"a 401 from Prometheus", backend.DownstreamError(&prometheus.Error{Op: "query", StatusCode: 401}), backend.StatusUnauthorized},
		{"Prometheus unreachable", backend.DownstreamError(&prometheus.Error{Op: "query", Err: errors.New("connection refused")}), backend.StatusBadGateway},
		{"a 503 from Prometheus", backend.DownstreamError(&prometheus.Error{Op: "query", StatusCode: 503}), backend.StatusBadGateway},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(&fakeControlPlane{}, &fakeMetrics{err: tt.err})
			res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
				query("A", "mesh-graph", `{"mesh":"default"}`),
			}})
			require.NoError(t, err)
			r := res.Responses["A"]
			require.Error(t, r.Error)
			assert.Equal(t, tt.status, r.Status)
			assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
		})
	}
}

func TestControlPlaneErrorsAreDownstreamWithTheirStatus(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status backend.Status
	}{
		{"a 401 from the control plane", backend.DownstreamError(&kuma.Error{StatusCode: 401, Title: "Invalid authentication data", Path: "/meshes"}), backend.StatusUnauthorized},
		{"a 404 for an unknown mesh", backend.DownstreamError(&kuma.Error{StatusCode: 404, Title: "Failed to retrieve Mesh", Path: "/meshes/nope/dataplanes"}), backend.StatusNotFound},
		{"a 503 from the control plane", backend.DownstreamError(&kuma.Error{StatusCode: 503, Path: "/meshes"}), backend.StatusBadGateway},
		{"a timeout", backend.DownstreamError(context.DeadlineExceeded), backend.StatusTimeout},
		{"an unexpected fault", errors.New("boom"), backend.StatusInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(&fakeControlPlane{err: tt.err}, &fakeMetrics{})
			res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
				query("A", "services", `{"mesh":"default"}`),
			}})
			require.NoError(t, err)
			r := res.Responses["A"]
			require.Error(t, r.Error)
			assert.Equal(t, tt.status, r.Status)
			if backend.IsDownstreamError(tt.err) {
				assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
			}
		})
	}
}

func TestSettingsErrorsReachEveryQuery(t *testing.T) {
	d := openDatasource(t, backend.DataSourceInstanceSettings{JSONData: []byte(`{}`)})
	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "meshes", `{}`)}})
	require.NoError(t, err)
	assert.ErrorIs(t, res.Responses["A"].Error, models.ErrMissingControlPlaneURL)
	assert.Equal(t, backend.ErrorSourceDownstream, res.Responses["A"].ErrorSource)

	health, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusError, health.Status)
	assert.Contains(t, health.Message, "Control plane URL is not set or not valid")
	assert.Contains(t, health.Message, "Prometheus URL is not set or not valid")
}

// panickingMetrics fails the way the nil-data bug did: a panic inside a
// goroutine the plugin started.
type panickingMetrics struct{ fakeMetrics }

func (panickingMetrics) Query(context.Context, string, time.Time) (model.Vector, []string, error) {
	var v model.Value
	_ = v.Type() // nil dereference
	return nil, nil, nil
}

func (panickingMetrics) QueryVector(context.Context, string, time.Time, []string) (*prometheus.Vector, []string, error) {
	var v model.Value
	_ = v.Type() // nil dereference
	return nil, nil, nil
}

func (panickingMetrics) Ping(context.Context) error {
	var v model.Value
	_ = v.Type()
	return nil
}

func TestAPanicIsThatQuerysPluginError(t *testing.T) {
	d := newTestDatasource(&fakeControlPlane{meshes: []kuma.Mesh{{Name: "default"}}}, &panickingMetrics{})
	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("graph", "mesh-graph", `{"mesh":"default"}`),
		query("list", "meshes", `{}`),
	}})
	require.NoError(t, err)
	graph := res.Responses["graph"]
	require.Error(t, graph.Error)
	assert.Contains(t, graph.Error.Error(), "internal error while running a Prometheus query")
	assert.Equal(t, backend.ErrorSourcePlugin, graph.ErrorSource)
	assert.Equal(t, backend.StatusInternal, graph.Status)
	assert.NoError(t, res.Responses["list"].Error)

	health, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusError, health.Status)
	assert.Contains(t, health.Message, "Cannot reach Prometheus: internal error while checking Prometheus")
}
