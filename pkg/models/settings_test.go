package models

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadSettings(t *testing.T) {
	tests := []struct {
		name       string
		url        string
		jsonData   string
		secure     map[string]string
		want       Settings
		wantLoad   bool // LoadSettings fails
		wantCP     error
		wantProm   error
		promSubstr string
	}{
		{
			name:     "a complete configuration loads with its secrets and default labels",
			url:      " http://kuma-cp:5681/prefix ",
			jsonData: `{"prometheusUrl":"http://prometheus:9090","prometheusBasicAuthUser":"grafana"}`,
			secure:   map[string]string{"cpToken": "cp-secret", "prometheusBasicAuthPassword": "pw", "prometheusToken": "tok"},
			want: Settings{
				ControlPlaneURL: "http://kuma-cp:5681/prefix", PrometheusURL: "http://prometheus:9090", PrometheusBasicAuthUser: "grafana",
				LabelNames: DefaultLabelNames, ControlPlaneToken: "cp-secret", PrometheusBasicAuthPassword: "pw", PrometheusToken: "tok",
			},
		},
		{
			name:     "label overrides replace only the labels they name",
			url:      "https://kuma.example.com",
			jsonData: `{"prometheusUrl":"https://mimir/prometheus","serviceLabel":"service","zoneLabel":" zone "}`,
			want: Settings{
				ControlPlaneURL: "https://kuma.example.com", PrometheusURL: "https://mimir/prometheus",
				LabelNames: LabelNames{Mesh: "mesh", Service: "service", Services: "kuma_io_services", Zone: "zone", Dataplane: "dataplane", Gateway: "kuma_io_mesh_gateway"},
			},
		},
		{name: "jsonData that is not JSON fails to load", url: "http://cp", jsonData: `{`, wantLoad: true},
		{name: "a missing control-plane URL says what to set", jsonData: `{"prometheusUrl":"http://p:9090"}`, wantCP: ErrMissingControlPlaneURL},
		{name: "a control-plane URL without scheme is invalid", url: "kuma-cp:5681", jsonData: `{"prometheusUrl":"http://p:9090"}`, wantCP: ErrInvalidControlPlaneURL},
		{name: "a missing Prometheus URL says what to set", url: "http://cp", wantProm: ErrMissingPrometheusURL},
		{
			name: "settings of the older plugin name the Prometheus datasource id to replace", url: "http://cp",
			jsonData: `{"prometheusDataSourceId":7}`, wantProm: ErrMissingPrometheusURL, promSubstr: "with id 7",
		},
		{name: "a Prometheus URL with another scheme is invalid", url: "http://cp", jsonData: `{"prometheusUrl":"ftp://p"}`, wantProm: ErrInvalidPrometheusURL},
		{
			name: "a label name that could change PromQL is refused", url: "http://cp",
			jsonData: `{"prometheusUrl":"http://p:9090","meshLabel":"mesh\"}"}`, wantProm: ErrInvalidLabelName, promSubstr: "meshLabel",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadSettings(backend.DataSourceInstanceSettings{URL: tt.url, JSONData: []byte(tt.jsonData), DecryptedSecureJSONData: tt.secure})
			if tt.wantLoad {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			if tt.want.ControlPlaneURL != "" {
				tt.want.LegacyPrometheusDataSourceID = got.LegacyPrometheusDataSourceID
				assert.Equal(t, tt.want, got)
			}
			assert.ErrorIs(t, got.ValidateControlPlane(), tt.wantCP)
			if tt.wantCP == nil {
				assert.NoError(t, got.ValidateControlPlane())
			}
			promErr := got.ValidatePrometheus()
			if tt.wantProm == nil {
				assert.NoError(t, promErr)
				return
			}
			assert.ErrorIs(t, promErr, tt.wantProm)
			assert.Contains(t, promErr.Error(), tt.promSubstr)
		})
	}
}

func TestSecretsNeverAppearInErrors(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{
		URL: "not a url", JSONData: []byte(`{"prometheusUrl":"::"}`),
		DecryptedSecureJSONData: map[string]string{"cpToken": "cp-secret", "prometheusToken": "prom-secret"},
	})
	require.NoError(t, err)
	for _, e := range []error{s.ValidateControlPlane(), s.ValidatePrometheus()} {
		require.Error(t, e)
		assert.NotContains(t, e.Error(), "secret")
	}
}
