package models

import (
	"errors"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryRequestHasABoundedTimeout(t *testing.T) {
	tests := []struct {
		jsonData string
		want     time.Duration
	}{
		{`{}`, 30 * time.Second},
		{`{"timeout":0}`, 30 * time.Second},
		{`{"timeout":-5}`, 30 * time.Second},
		{`{"timeout":""}`, 30 * time.Second},
		{`{"timeout":null}`, 30 * time.Second},
		{`{"timeout":"5"}`, 5 * time.Second},
		{`{"timeout":" 12 "}`, 12 * time.Second},
		{`{"timeout":7}`, 7 * time.Second},
		{`{"timeout":0.2}`, time.Second},
		{`{"timeout":1.5}`, 1500 * time.Millisecond},
		{`{"timeout":1e12}`, 300 * time.Second},
		{`{"timeout":"1e308"}`, 300 * time.Second},
		{`{"timeout":301}`, 300 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.jsonData, func(t *testing.T) {
			s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(tt.jsonData)})
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.RequestTimeout())
		})
	}
}

func TestPrometheusResponseCap(t *testing.T) {
	for jsonData, want := range map[string]int64{
		`{}`: 256 << 20, `{"prometheusMaxResponseMiB":"512"}`: 512 << 20, `{"prometheusMaxResponseMiB":0.5}`: 1 << 20,
		`{"prometheusMaxResponseMiB":1e9}`: 4096 << 20, `{"prometheusMaxResponseMiB":-1}`: 256 << 20,
	} {
		s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(jsonData)})
		require.NoError(t, err)
		assert.Equal(t, want, s.PrometheusMaxResponseBytes(), jsonData)
	}
}

func TestMalformedJSONDataIsAUserErrorNamingTheSetting(t *testing.T) {
	tests := map[string]string{
		`"a string"`:                      "jsonData must be a JSON object, not a string",
		`[1,2]`:                           "jsonData must be a JSON object, not an array",
		`{`:                               "jsonData must be a JSON object",
		`{"prometheusUrl":5}`:             "jsonData: prometheusUrl must be a string, not a JSON number",
		`{"meshLabel":[1]}`:               "jsonData: meshLabel must be a string, not a JSON array",
		`{"access":5}`:                    "jsonData.access must be a string, not a number",
		`{"basicAuthUser":{}}`:            "jsonData.basicAuthUser must be a string, not an object",
		`{"serverName":true}`:             "jsonData.serverName must be a string, not a boolean",
		`{"httpHeaderName1":1}`:           "jsonData.httpHeaderName1 must be a string, not a number",
		`{"timeout":"soon"}`:              `jsonData.timeout must be a number of seconds, not "soon"`,
		`{"prometheusMaxResponseMiB":[]}`: "jsonData.prometheusMaxResponseMiB must be a number of MiB, not []",
	}
	for jsonData, want := range tests {
		t.Run(jsonData, func(t *testing.T) {
			_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(jsonData)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
			assert.True(t, errors.Is(err, ErrUser))
			assert.True(t, errors.Is(err, ErrInvalidSettings))
			assert.NotContains(t, err.Error(), "Go ")
			assert.NotContains(t, err.Error(), "models.")
		})
	}
}

func TestURLsInSettingsErrorsAreRedacted(t *testing.T) {
	for _, raw := range []string{
		"ftp://admin:PASS@h", "http://admin:PASS#x@h", "http://admin:PASS@h x", "ftp://h/?token=PASS", "ftp://h/#PASS",
	} {
		t.Run(raw, func(t *testing.T) {
			s, err := LoadSettings(backend.DataSourceInstanceSettings{URL: raw, JSONData: []byte(`{"prometheusUrl":"` + raw + `"}`)})
			require.NoError(t, err)
			for _, e := range []error{s.ValidateControlPlane(), s.ValidatePrometheus()} {
				require.Error(t, e)
				assert.NotContains(t, e.Error(), "PASS")
				assert.NotContains(t, e.Error(), "admin")
				assert.True(t, errors.Is(e, ErrUser))
			}
		})
	}
}
