package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// The first words of each health message. Each is a troubleshooting heading
// of the README, word for word (a test keeps them in step).
const (
	healthCPOK            = "Kuma control plane OK"
	healthCPSettings      = "Control plane URL is not set or not valid"
	healthCPUnreachable   = "Cannot reach the Kuma control plane"
	healthPromOK          = "Prometheus OK"
	healthPromSettings    = "Prometheus URL is not set or not valid"
	healthPromUnreachable = "Cannot reach Prometheus"
	healthPromNoMetrics   = "Prometheus has no Kuma dataplane metrics"
)

// healthMessages lists them all, for the test against the README.
var healthMessages = []string{
	healthCPOK, healthCPSettings, healthCPUnreachable,
	healthPromOK, healthPromSettings, healthPromUnreachable, healthPromNoMetrics,
}

// CheckHealth checks both sides, concurrently, and says which one failed and what to set.
// The first line of each message matches a troubleshooting heading of the
// README word for word.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	var (
		cpMsg, promMsg string
		info           kuma.ControlPlaneInfo
		cpErr, promErr error
	)
	// Both at once, so Save & test takes one timeout setting, not two.
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := recovery.Call("checking the control plane", func() error {
			cpMsg, info, cpErr = d.checkControlPlane(ctx)
			return nil
		}); err != nil {
			cpMsg, cpErr = healthCPUnreachable+": "+err.Error(), err
		}
	})
	wg.Go(func() {
		if err := recovery.Call("checking Prometheus", func() error {
			promMsg, promErr = d.checkPrometheus(ctx)
			return nil
		}); err != nil {
			promMsg, promErr = healthPromUnreachable+": "+err.Error(), err
		}
	})
	wg.Wait()
	cpMsg, promMsg = d.scrub.String(cpMsg), d.scrub.String(promMsg)

	status := backend.HealthStatusOk
	if cpErr != nil || promErr != nil {
		status = backend.HealthStatusError
	}
	details, _ := json.Marshal(map[string]any{
		"controlPlane": map[string]any{"ok": cpErr == nil, "message": cpMsg, "product": info.Product, "version": info.Version, "mode": info.Mode},
		"prometheus":   map[string]any{"ok": promErr == nil, "message": promMsg},
	})
	return &backend.CheckHealthResult{Status: status, Message: cpMsg + "\n" + promMsg, JSONDetails: details}, nil
}

func (d *Datasource) checkControlPlane(ctx context.Context) (string, kuma.ControlPlaneInfo, error) {
	cp, err := d.controlPlane()
	if err != nil {
		return healthCPSettings + ": " + err.Error(), kuma.ControlPlaneInfo{}, err
	}
	info, err := cp.Info(ctx)
	if err != nil {
		return healthCPUnreachable + ": " + err.Error(), info, err
	}
	mode := string(info.Mode)
	if info.Federated {
		mode = "federated zone"
	}
	return fmt.Sprintf("%s: %s %s (%s)", healthCPOK, info.Product, info.Version, mode), info, nil
}

func (d *Datasource) checkPrometheus(ctx context.Context) (string, error) {
	prom, err := d.prometheus()
	if err != nil {
		return healthPromSettings + ": " + err.Error(), err
	}
	if err := prom.Ping(ctx); err != nil {
		return healthPromUnreachable + ": " + err.Error(), err
	}
	selector := fmt.Sprintf(`envoy_server_live{%s!=""}`, d.settings.Mesh)
	found, err := prom.SeriesExist(ctx, selector)
	if err != nil {
		return healthPromUnreachable + ": " + err.Error(), err
	}
	if !found {
		err := fmt.Errorf("no series match %s in the last hour", selector)
		return fmt.Sprintf("%s: %v; check that Prometheus scrapes the data planes with kuma_sd_configs and that the "+
			"mesh label name (setting meshLabel, now %q) matches your relabeling", healthPromNoMetrics, err, d.settings.Mesh), err
	}
	return healthPromOK + ": Kuma dataplane metrics found", nil
}
