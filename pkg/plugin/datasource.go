// Package plugin is the Grafana datasource: it answers queries, health checks
// and resource calls by combining the Kuma control plane and Prometheus.
package plugin

import (
	"context"
	"fmt"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
	"github.com/kumahq/kuma-grafana-datasource/pkg/traffic"
)

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// ControlPlane is what the datasource reads from the Kuma control plane.
// *kuma.Client implements it.
type ControlPlane interface {
	meshgraph.ControlPlane
	Info(ctx context.Context) (kuma.ControlPlaneInfo, error)
	Meshes(ctx context.Context) ([]kuma.Mesh, error)
	Zones(ctx context.Context) ([]kuma.Zone, error)
	Dataplanes(ctx context.Context, mesh string) ([]kuma.Dataplane, error)
}

// Metrics is what the datasource asks Prometheus. *prometheus.Client
// implements it.
type Metrics interface {
	meshgraph.Metrics
	traffic.Metrics
	Ping(ctx context.Context) error
	SeriesExist(ctx context.Context, selector string) (bool, error)
}

// Datasource is one configured Kuma datasource. Settings problems do not
// fail the instance: they are kept and reported by every query and by the
// health check, so the user sees the same message everywhere.
type Datasource struct {
	settings models.Settings
	cp       ControlPlane
	metrics  Metrics
	// cpErr and promErr are the settings errors of each side; nil when usable.
	cpErr, promErr error
	resources      backend.CallResourceHandler
	clients        []*http.Client
}

// NewDatasource is the instance factory Grafana calls once per datasource
// version: it loads the settings and builds both HTTP clients.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	cfg, err := models.LoadSettings(s)
	if err != nil {
		return nil, backend.DownstreamError(err)
	}
	d := &Datasource{settings: cfg}
	opts, err := s.HTTPClientOptions(ctx)
	if err != nil {
		return nil, backend.DownstreamError(fmt.Errorf("control plane HTTP settings: %w", err))
	}

	if d.cpErr = cfg.ValidateControlPlane(); d.cpErr == nil {
		client, err := httpclient.New(opts)
		if err != nil {
			return nil, backend.DownstreamError(fmt.Errorf("control plane HTTP client: %w", err))
		}
		d.clients = append(d.clients, client)
		d.cp, d.cpErr = kuma.NewClient(kuma.Config{Address: cfg.ControlPlaneURL, Client: client, Token: cfg.ControlPlaneToken})
	}

	if d.promErr = cfg.ValidatePrometheus(); d.promErr == nil {
		// Prometheus gets its own client: the TLS and header settings of the
		// datasource belong to the control plane.
		client, err := httpclient.New(httpclient.Options{Timeouts: prometheusTimeouts(opts)})
		if err != nil {
			return nil, backend.PluginError(fmt.Errorf("prometheus HTTP client: %w", err))
		}
		d.clients = append(d.clients, client)
		d.metrics, d.promErr = prometheus.New(prometheus.Config{
			Address:           cfg.PrometheusURL,
			Client:            client,
			BasicAuthUser:     cfg.PrometheusBasicAuthUser,
			BasicAuthPassword: cfg.PrometheusBasicAuthPassword,
			Token:             cfg.PrometheusToken,
		})
	}
	d.resources = newResourceHandler(d)
	return d, nil
}

// prometheusTimeouts reuses the datasource's timeout setting for Prometheus.
func prometheusTimeouts(cpOpts httpclient.Options) *httpclient.TimeoutOptions {
	timeouts := httpclient.DefaultTimeoutOptions
	if cpOpts.Timeouts != nil && cpOpts.Timeouts.Timeout > 0 {
		timeouts.Timeout = cpOpts.Timeouts.Timeout
	}
	return &timeouts
}

// Dispose closes the idle connections of the instance's HTTP clients.
func (d *Datasource) Dispose() {
	for _, c := range d.clients {
		c.CloseIdleConnections()
	}
}

// controlPlane returns the CP client, or the settings error that prevents it.
func (d *Datasource) controlPlane() (ControlPlane, error) {
	if d.cpErr != nil {
		return nil, backend.DownstreamError(d.cpErr)
	}
	return d.cp, nil
}

// prometheus returns the Prometheus client, or the settings error that prevents it.
func (d *Datasource) prometheus() (Metrics, error) {
	if d.promErr != nil {
		return nil, backend.DownstreamError(d.promErr)
	}
	return d.metrics, nil
}
