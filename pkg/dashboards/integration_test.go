//go:build integration

package dashboards

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
)

func TestMain(m *testing.M) { promtest.Main(m) }

// The demo data covers one hour; dashboards are queried over its last 30
// minutes, as Grafana would with "Last 30 minutes" at testEnd.
var (
	testEnd   = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	testStart = testEnd.Add(-time.Hour)
)

// selections are the variable values a user would pick on each dashboard
// for the demo scenario (envoysim.Demo).
var selections = map[string]map[string]string{
	UIDMesh:             {"mesh": "default", "zone": ".*"},
	UIDDataplane:        {"mesh": "default", "zone": ".*", "dataplane": "frontend-1"},
	UIDServiceToService: {"mesh": "default", "zone": ".*", "source_service": "frontend", "destination_service": "backend"},
	UIDCP:               {"zone": ".*", "instance": ".*"},
	UIDService:          {"mesh": "default", "zone": "default", "service": "frontend"},
	UIDGateway:          {"mesh": "default", "zone": ".*", "gateway": "edge-gateway"},
}

// keyPanels must show data on the demo scenario: traffic, latency, status
// codes and the CP's xDS panels.
var keyPanels = map[string][]string{
	UIDMesh: {"Inbound requests", "Latency p99", "Traffic", "4xx error rate", "5xx error rate", "Service to service traffic",
		"Dataplanes online", "Connected to the CP", "Bytes"},
	UIDDataplane: {"Status", "Connection to the control plane", "Inbound latency", "Inbound traffic", "Inbound status codes", "Outbound traffic per destination",
		"Outbound latency p99 per destination", "Outbound status codes per destination", "Bytes per destination"},
	UIDServiceToService: {"Latency", "Traffic", "Status codes", "Bytes", "Active connections"},
	UIDCP: {"Control planes up", "xDS active connections", "xDS message exchange", "xDS config generations",
		"xDS generation latency p99", "xDS delivery latency p99", "Caches", "API server latency p99", "Store latency p99",
		"Store cache", "Threads"},
	UIDService: {"Live instances", "Inbound requests", "Inbound latency", "Inbound status codes",
		"Outbound requests per destination", "Outbound latency p99 per destination", "Inbound requests per dataplane"},
	UIDGateway: {"Instances", "Requests entering", "Requests to the mesh", "5xx sent to clients", "Traffic", "Latency", "Status codes per listener",
		"Status codes per destination"},
}

// interpolate does what Grafana's Prometheus datasource does with a panel
// query: template variables by value, built-in intervals by duration.
func interpolate(expr string, values map[string]string) string {
	builtins := map[string]string{"__rate_interval": "1m", "__interval": "30s", "__range": "30m"}
	return anyVar.ReplaceAllStringFunc(expr, func(m string) string {
		s := anyVar.FindStringSubmatch(m)
		name := s[1] + s[2]
		if v, ok := builtins[name]; ok {
			return v
		}
		if v, ok := values[name]; ok {
			return v
		}
		return m
	})
}

func demoPrometheus(t *testing.T) v1.API {
	srv := promtest.StartOnce(t, "demo", func() []byte { return envoysim.Demo(testStart, testEnd).OpenMetrics() })
	c, err := api.NewClient(api.Config{Address: srv.URL})
	require.NoError(t, err)
	return v1.NewAPI(c)
}

// run evaluates a panel query the way the panel asks for it and returns
// the number of series with at least one sample.
func run(t *testing.T, prom v1.API, expr string, instant bool) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if instant {
		res, _, _, err := prom.Query(ctx, expr, testEnd)
		if err != nil {
			return 0, err
		}
		if v, ok := res.(model.Vector); ok {
			return len(v), nil
		}
		return 0, nil
	}
	res, _, _, err := prom.QueryRange(ctx, expr, v1.Range{Start: testEnd.Add(-30 * time.Minute), End: testEnd, Step: time.Minute})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range res.(model.Matrix) {
		if len(s.Values) > 0 {
			n++
		}
	}
	return n, nil
}

func TestPanelQueriesRunOnRealPrometheus(t *testing.T) {
	prom := demoPrometheus(t)
	for _, s := range All() {
		t.Run(s.UID, func(t *testing.T) {
			withData := map[string]bool{}
			var queries, errs int
			for _, p := range decode(t, s.UID).Panels {
				targets, _ := p["targets"].([]any)
				for _, raw := range targets {
					tg := raw.(map[string]any)
					expr, ok := tg["expr"].(string)
					if !ok {
						continue // a Kuma datasource query
					}
					title := p["title"].(string)
					q := interpolate(expr, selections[s.UID])
					require.NotContains(t, q, "$__", "uninterpolated built-in in %s", title)
					instant, _ := tg["instant"].(bool)
					n, err := run(t, prom, q, instant)
					queries++
					if err != nil {
						errs++
					}
					if assert.NoError(t, err, "%s/%s: %s", title, tg["refId"], q) && n > 0 {
						withData[title] = true
					}
				}
			}
			var empty []string
			for _, p := range decode(t, s.UID).Panels {
				if title, _ := p["title"].(string); p["type"] != "row" && !withData[title] && hasPromTarget(p) {
					empty = append(empty, title)
				}
			}
			t.Logf("%d queries, %d errors; Prometheus panels without demo data: %s", queries, errs, strings.Join(empty, "; "))
			for _, title := range keyPanels[s.UID] {
				assert.True(t, withData[title], "key panel %q shows no data", title)
			}
		})
	}
}

// TestPrometheusVariablesListTheDemoValues runs each label_values variable
// as Grafana would and checks it offers the values the scenario has.
func TestPrometheusVariablesListTheDemoValues(t *testing.T) {
	prom := demoPrometheus(t)
	want := map[string]string{
		"dataplane": "frontend-1", "source_service": "frontend", "destination_service": "backend", "instance": "kuma-control-plane:5680",
	}
	labelValues := regexp.MustCompile(`^label_values\((.*), *(\w+)\)$`)
	for _, s := range All() {
		for _, v := range decode(t, s.UID).Templating.List {
			query, ok := v["query"].(string)
			name := v["name"].(string)
			if !ok || want[name] == "" {
				continue
			}
			t.Run(s.UID+"/"+name, func(t *testing.T) {
				m := labelValues.FindStringSubmatch(query)
				require.NotNil(t, m)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				selector := interpolate(m[1], selections[s.UID])
				got, _, _, err := prom.LabelValues(ctx, m[2], []string{selector}, testEnd.Add(-30*time.Minute), testEnd)
				require.NoError(t, err, selector)
				var values []string
				for _, lv := range got {
					values = append(values, string(lv))
				}
				assert.Contains(t, values, want[name], "values: %s", strings.Join(values, ", "))
			})
		}
	}
}

func hasPromTarget(p map[string]any) bool {
	targets, _ := p["targets"].([]any)
	for _, raw := range targets {
		if _, ok := raw.(map[string]any)["expr"]; ok {
			return true
		}
	}
	return false
}
