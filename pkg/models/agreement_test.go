package models

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

// The cases in testdata/agreement/ are also run by src/agreement.test.ts
// against the config editor's rules, so both languages answer them alike.

type ruleCase struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Valid bool   `json:"valid"`
}

type zoneCase struct {
	Name    string   `json:"name"`
	Written string   `json:"written"`
	Zones   []string `json:"zones"`
}

func readAgreement[T any](t *testing.T, file string) []T {
	t.Helper()
	root, err := repo.Root()
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(root, "testdata", "agreement", file))
	require.NoError(t, err)
	var doc struct{ Cases []T }
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.Cases)
	return doc.Cases
}

func TestURLSettingsAgreeWithTheConfigEditor(t *testing.T) {
	for _, tt := range readAgreement[ruleCase](t, "urls.json") {
		t.Run(tt.Name, func(t *testing.T) {
			require.NotEmpty(t, strings.TrimSpace(tt.Value), "empty URLs are the missing-URL error, not a case here")
			jsonData, err := json.Marshal(map[string]string{"prometheusUrl": tt.Value})
			require.NoError(t, err)
			s, err := LoadSettings(backend.DataSourceInstanceSettings{URL: tt.Value, JSONData: jsonData})
			require.NoError(t, err)
			if tt.Valid {
				assert.NoError(t, s.ValidateControlPlane())
				assert.NoError(t, s.ValidatePrometheus())
			} else {
				assert.ErrorIs(t, s.ValidateControlPlane(), ErrInvalidControlPlaneURL)
				assert.ErrorIs(t, s.ValidatePrometheus(), ErrInvalidPrometheusURL)
			}
		})
	}
}

func TestLabelNameSettingsAgreeWithTheConfigEditor(t *testing.T) {
	for _, tt := range readAgreement[ruleCase](t, "labels.json") {
		t.Run(tt.Name, func(t *testing.T) {
			jsonData, err := json.Marshal(map[string]string{"prometheusUrl": "http://prometheus:9090", "zoneLabel": tt.Value})
			require.NoError(t, err)
			s, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "http://kuma-cp:5681", JSONData: jsonData})
			require.NoError(t, err)
			if tt.Valid {
				assert.NoError(t, s.ValidatePrometheus())
			} else {
				assert.ErrorIs(t, s.ValidatePrometheus(), ErrInvalidLabelName)
			}
		})
	}
}

func TestZoneNamesReadWhatTheFrontendWrites(t *testing.T) {
	for _, tt := range readAgreement[zoneCase](t, "zones.json") {
		t.Run(tt.Name, func(t *testing.T) {
			assert.Equal(t, tt.Zones, ZoneNames(tt.Written))
			anchored := regexp.MustCompile("^(?:" + tt.Written + ")$")
			for _, z := range tt.Zones {
				assert.True(t, anchored.MatchString(z), "the filter %q must match zone %q", tt.Written, z)
			}
		})
	}
	assert.Nil(t, ZoneNames(""), "no filter names no zone")
	assert.Nil(t, ZoneNames("zone-.*"), "a pattern cannot be passed on as zone values")
	assert.Equal(t, []string{"eu.west"}, ZoneNames("eu.west"), "an unescaped dot, as typed by hand, is read as a dot")
}
