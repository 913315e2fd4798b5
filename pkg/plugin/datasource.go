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

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/redact"
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
// fail the instance: they are kept and reported by every query, resource
// call and health check, so the user sees the same message everywhere (the
// SDK would otherwise answer only the first query of a request).
type Datasource struct {
	settings models.Settings
	cp       ControlPlane
	metrics  Metrics
	// settingsErr makes both sides unusable (jsonData that does not load);
	// cpErr and promErr are the settings errors of each side. nil when usable.
	settingsErr, cpErr, promErr error
	// scrub masks the configured secrets in every message and log line.
	scrub     redact.Scrubber
	resources backend.CallResourceHandler
	clients   []*http.Client
}

// NewDatasource is the instance factory Grafana calls once per datasource
// version: it loads the settings and builds both HTTP clients. It never
// fails: a settings error is kept for every call to report.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	d := &Datasource{scrub: redact.NewScrubber(
		s.DecryptedSecureJSONData[models.SecureKeyControlPlaneToken],
		s.DecryptedSecureJSONData[models.SecureKeyPrometheusBasicAuthPassword],
		s.DecryptedSecureJSONData[models.SecureKeyPrometheusToken],
		s.DecryptedSecureJSONData[models.SecureKeyTLSClientKey],
		s.DecryptedSecureJSONData[models.SecureKeyBasicAuthPassword],
	)}
	d.resources = newResourceHandler(d)
	cfg, err := models.LoadSettings(s)
	if err != nil {
		d.settingsErr = err
		return d, nil
	}
	d.settings = cfg
	d.scrub = redact.NewScrubber(cfg.ControlPlaneToken, cfg.PrometheusBasicAuthPassword, cfg.PrometheusToken,
		redact.BasicAuth(cfg.PrometheusBasicAuthUser, cfg.PrometheusBasicAuthPassword),
		s.DecryptedSecureJSONData[models.SecureKeyTLSClientKey], s.DecryptedSecureJSONData[models.SecureKeyBasicAuthPassword])
	opts, err := httpClientOptions(ctx, s)
	if err != nil {
		d.settingsErr = err
		return d, nil
	}
	timeouts := opts.Timeouts
	if timeouts == nil {
		timeouts = &httpclient.TimeoutOptions{}
		*timeouts = httpclient.DefaultTimeoutOptions
	}
	timeouts.Timeout = cfg.RequestTimeout()
	opts.Timeouts = timeouts

	if d.cpErr = cfg.ValidateControlPlane(); d.cpErr == nil {
		client, err := httpclient.New(opts)
		if err != nil {
			d.cpErr = models.Because(models.ErrInvalidSettings, fmt.Errorf("control plane TLS or HTTP settings: %w", err))
		} else {
			d.clients = append(d.clients, client)
			if d.cp, err = kuma.NewClient(kuma.Config{Address: cfg.ControlPlaneURL, Client: client, Token: cfg.ControlPlaneToken}); err != nil {
				d.cpErr = models.Because(models.ErrInvalidControlPlaneURL, err)
			}
		}
	}

	if d.promErr = cfg.ValidatePrometheus(); d.promErr == nil {
		// Prometheus gets its own client: the TLS and header settings of the
		// datasource belong to the control plane.
		promTimeouts := httpclient.DefaultTimeoutOptions
		promTimeouts.Timeout = cfg.RequestTimeout()
		client, err := httpclient.New(httpclient.Options{Timeouts: &promTimeouts})
		if err != nil {
			d.promErr = backend.PluginError(fmt.Errorf("prometheus HTTP client: %w", err))
			return d, nil
		}
		d.clients = append(d.clients, client)
		d.metrics, err = prometheus.NewClient(prometheus.Config{
			Address:           cfg.PrometheusURL,
			Client:            client,
			BasicAuthUser:     cfg.PrometheusBasicAuthUser,
			BasicAuthPassword: cfg.PrometheusBasicAuthPassword,
			Token:             cfg.PrometheusToken,
			MaxResponseBytes:  cfg.PrometheusMaxResponseBytes(),
		})
		if err != nil {
			d.promErr = models.Because(models.ErrInvalidPrometheusURL, err)
		}
	}
	return d, nil
}

// httpClientOptions reads the SDK's HTTP settings (TLS, headers, proxy).
// LoadSettings has checked the types the SDK asserts; the recover is the
// last line against a panic in its parsing, such as an unparsable PEM
// handled differently by a future SDK.
func httpClientOptions(ctx context.Context, s backend.DataSourceInstanceSettings) (opts httpclient.Options, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the HTTP settings of jsonData cannot be read: %v", models.ErrInvalidSettings, r)
		}
	}()
	opts, err = s.HTTPClientOptions(ctx)
	if err != nil {
		return opts, models.Because(models.ErrInvalidSettings, fmt.Errorf("control plane HTTP settings: %w", err))
	}
	return opts, nil
}

// Dispose closes the idle connections of the instance's HTTP clients.
func (d *Datasource) Dispose() {
	for _, c := range d.clients {
		c.CloseIdleConnections()
	}
}

// controlPlane returns the CP client, or the settings error that prevents it.
// Settings errors are models.ErrUser, which classify marks downstream; the
// plugin's own failure to build a client stays a plugin error.
func (d *Datasource) controlPlane() (ControlPlane, error) {
	if d.settingsErr != nil {
		return nil, d.settingsErr
	}
	if d.cpErr != nil {
		return nil, d.cpErr
	}
	return d.cp, nil
}

// prometheus returns the Prometheus client, or the settings error that
// prevents it, classified as controlPlane's.
func (d *Datasource) prometheus() (Metrics, error) {
	if d.settingsErr != nil {
		return nil, d.settingsErr
	}
	if d.promErr != nil {
		return nil, d.promErr
	}
	return d.metrics, nil
}
