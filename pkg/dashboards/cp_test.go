package dashboards

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCPQueriesFollowKumaSemantics pins what kumahq/kuma's source says
// about a few CP metrics whose names mislead.
func TestCPQueriesFollowKumaSemantics(t *testing.T) {
	tests := []struct {
		name, panel, exprHas, legend string
	}{
		// pkg/kds/mux/client.go: the zone CP dials the global with the
		// gRPC client interceptors, so it has no KDS server metrics.
		{"zone KDS errors are client-side", "Zone: KDS message exchange", "grpc_client_handled_total", "RPC errors"},
		{"global KDS errors are server-side", "Global: KDS message exchange", "grpc_server_handled_total", "RPC errors"},
		// pkg/hds/metrics: hds_responses_sent counts EndpointHealthResponses
		// received from Envoy, hds_requests_received its HealthCheckRequests.
		{"hds_responses_sent is received endpoint health", "HDS message exchange", "hds_responses_sent", "endpoint health reports received"},
		{"hds_requests_received is received health check requests", "HDS message exchange", "hds_requests_received", "health check requests received"},
		// pkg/xds/metrics observes milliseconds.
		{"xDS generation is read in ms", "xDS generation latency", "xds_generation_bucket", "{{instance}} p99"},
	}
	panels := decode(t, UIDCP).Panels
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var legends []string
			for _, p := range panels {
				if p["title"] != tt.panel {
					continue
				}
				targets, _ := p["targets"].([]any)
				for _, raw := range targets {
					tg := raw.(map[string]any)
					if expr, _ := tg["expr"].(string); strings.Contains(expr, tt.exprHas) {
						legends = append(legends, tg["legendFormat"].(string))
					}
				}
			}
			assert.Equal(t, []string{tt.legend}, legends, "targets of %q using %s", tt.panel, tt.exprHas)
		})
	}
}
