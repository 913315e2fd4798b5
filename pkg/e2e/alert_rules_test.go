//go:build integration

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/sseread"
)

// ruleFile is the part of Grafana's alert rule provisioning format the
// test evaluates.
type ruleFile struct {
	Groups []struct {
		Rules []struct {
			UID       string `yaml:"uid"`
			Condition string `yaml:"condition"`
			Data      []struct {
				RefID             string `yaml:"refId"`
				DatasourceUID     string `yaml:"datasourceUid"`
				RelativeTimeRange struct {
					From int `yaml:"from"`
				} `yaml:"relativeTimeRange"`
				Model map[string]any `yaml:"model"`
			} `yaml:"data"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// TestExampleAlertRulesEvaluate runs the queries of the README's example
// rules (examples/alerting/kuma-rules.yml) as Grafana's alerting sends them
// (FromAlert header, the rule's relative time range), reads the answer as
// server-side expressions do and applies the rule's threshold. The demo
// has no billing service, so the first rule runs with backend in its place.
func TestExampleAlertRulesEvaluate(t *testing.T) {
	root, err := repo.Root()
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(root, "examples", "alerting", "kuma-rules.yml"))
	require.NoError(t, err)
	var file ruleFile
	require.NoError(t, yaml.Unmarshal(raw, &file))
	require.Len(t, file.Groups, 1)

	cp := cpreplay.Start(t, "2.14.3")
	s := startStack(t, cp.URL, demoPrometheus(t).URL, nil)
	services := s.query(t, q("A", `{"queryType":"services","mesh":"default"}`)).Responses["A"].Frames[0]
	var withOffline []string
	for i := 0; i < services.Rows(); i++ {
		if services.Fields[4].At(i).(int64) > 0 {
			withOffline = append(withOffline, services.Fields[0].At(i).(string))
		}
	}

	want := map[string][]string{
		"kuma-billing-success":    {"frontend->backend"},
		"kuma-offline-dataplanes": withOffline,
		"kuma-zone-offline":       nil, // the recorded CP does not report zone state
	}
	for _, rule := range file.Groups[0].Rules {
		t.Run(rule.UID, func(t *testing.T) {
			require.Len(t, rule.Data, 2)
			query, threshold := rule.Data[0], rule.Data[1]
			require.Equal(t, "kuma", query.DatasourceUID)
			require.Equal(t, "__expr__", threshold.DatasourceUID)
			require.Equal(t, threshold.RefID, rule.Condition)
			if query.Model["service"] == "billing" {
				query.Model["service"] = "backend"
			}
			model, err := json.Marshal(query.Model)
			require.NoError(t, err)
			res, err := s.host.QueryData(context.Background(), &backend.QueryDataRequest{
				PluginContext: s.pc, Headers: map[string]string{"FromAlert": "true"},
				Queries: []backend.DataQuery{{RefID: query.RefID, JSON: model, TimeRange: backend.TimeRange{
					From: windowEnd.Add(-time.Duration(query.RelativeTimeRange.From) * time.Second), To: windowEnd,
				}}},
			})
			require.NoError(t, err)
			dr := res.Responses[query.RefID]
			require.NoError(t, dr.Error)
			values, err := sseread.Read(dr.Frames)
			require.NoError(t, err)
			require.NoError(t, sseread.UniqueForAlerting(values))

			var firing []string
			for _, v := range values {
				if v.Values[0] != nil && fires(t, threshold.Model, *v.Values[0]) {
					firing = append(firing, instance(v))
				}
			}
			assert.ElementsMatch(t, want[rule.UID], firing)
		})
	}
}

// fires applies a threshold expression's first condition.
func fires(t *testing.T, model map[string]any, v float64) bool {
	t.Helper()
	ev := model["conditions"].([]any)[0].(map[string]any)["evaluator"].(map[string]any)
	limit := float64(ev["params"].([]any)[0].(int))
	switch ev["type"] {
	case "lt":
		return v < limit
	case "gt":
		return v > limit
	}
	t.Fatalf("evaluator %v", ev["type"])
	return false
}

func instance(v sseread.Value) string {
	if v.Labels["source"] != "" {
		return v.Labels["source"] + "->" + v.Labels["destination"]
	}
	return strings.TrimSpace(v.Labels["name"])
}
