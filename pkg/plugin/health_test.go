package plugin

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noMetrics is a Prometheus that answers but has no Kuma series.
type noMetrics struct{ fakeMetrics }

func (*noMetrics) SeriesExist(context.Context, string) (bool, error) { return false, nil }

func TestCheckHealthNamesThePartThatFailed(t *testing.T) {
	down := errors.New("connection refused")
	tests := []struct {
		name   string
		cp     ControlPlane
		prom   Metrics
		status backend.HealthStatus
		lines  [2]string
	}{
		{"both answer", &fakeControlPlane{}, &fakeMetrics{}, backend.HealthStatusOk, [2]string{healthCPOK + ": Kuma 2.14.3 (zone)", healthPromOK}},
		{"the control plane is down", &fakeControlPlane{err: down}, &fakeMetrics{}, backend.HealthStatusError, [2]string{healthCPUnreachable, healthPromOK}},
		{"Prometheus is down", &fakeControlPlane{}, &fakeMetrics{err: down}, backend.HealthStatusError, [2]string{healthCPOK, healthPromUnreachable}},
		{"Prometheus has no Kuma metrics", &fakeControlPlane{}, &noMetrics{}, backend.HealthStatusError, [2]string{healthCPOK, healthPromNoMetrics}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := newTestDatasource(tt.cp, tt.prom).CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			require.NoError(t, err, "CheckHealth reports problems in its result, never as an error")
			assert.Equal(t, tt.status, res.Status)
			lines := strings.Split(res.Message, "\n")
			require.Len(t, lines, 2, "one line for the control plane, one for Prometheus")
			assert.True(t, strings.HasPrefix(lines[0], tt.lines[0]), lines[0])
			assert.True(t, strings.HasPrefix(lines[1], tt.lines[1]), lines[1])
			assert.NotEmpty(t, res.JSONDetails)
		})
	}
}
