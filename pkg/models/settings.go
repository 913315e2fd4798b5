package models

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/redact"
)

// Keys of secureJsonData. Grafana stores them encrypted and hands them to the
// plugin decrypted; they never appear in logs or error messages.
const (
	SecureKeyControlPlaneToken           = "cpToken"
	SecureKeyPrometheusBasicAuthPassword = "prometheusBasicAuthPassword"
	SecureKeyPrometheusToken             = "prometheusToken"
	// The control plane's TLS client key and basic auth password: Grafana's
	// own keys, read by the SDK's HTTP client options; the plugin only
	// masks them.
	SecureKeyTLSClientKey      = "tlsClientKey"
	SecureKeyBasicAuthPassword = "basicAuthPassword"
)

// LabelNames are the Prometheus label names that the user's relabeling gave
// the Kuma scrape target labels. Empty fields take the defaults of the Kuma
// docs (see DefaultLabelNames).
type LabelNames struct {
	Mesh      string `json:"meshLabel,omitempty"`
	Service   string `json:"serviceLabel,omitempty"`
	Services  string `json:"servicesLabel,omitempty"`
	Zone      string `json:"zoneLabel,omitempty"`
	Dataplane string `json:"dataplaneLabel,omitempty"`
	Gateway   string `json:"gatewayLabel,omitempty"`
}

// DefaultLabelNames are the labels that kuma_sd_configs plus the relabeling of
// the Kuma docs and of `kumactl install observability` produce.
var DefaultLabelNames = LabelNames{
	Mesh:      "mesh",
	Service:   "kuma_io_service",
	Services:  "kuma_io_services",
	Zone:      "kuma_io_zone",
	Dataplane: "dataplane",
	Gateway:   "kuma_io_mesh_gateway",
}

// WithDefaults fills every empty name with its default.
func (l LabelNames) WithDefaults() LabelNames {
	pick := func(v, d string) string {
		if strings.TrimSpace(v) == "" {
			return d
		}
		return strings.TrimSpace(v)
	}
	d := DefaultLabelNames
	return LabelNames{
		Mesh:      pick(l.Mesh, d.Mesh),
		Service:   pick(l.Service, d.Service),
		Services:  pick(l.Services, d.Services),
		Zone:      pick(l.Zone, d.Zone),
		Dataplane: pick(l.Dataplane, d.Dataplane),
		Gateway:   pick(l.Gateway, d.Gateway),
	}
}

// Settings is the datasource configuration: the control-plane URL is the
// datasource URL, the rest comes from jsonData and secureJsonData. TLS,
// timeout and custom headers for the control plane are read by the SDK's
// HTTP client options from the same jsonData (tlsSkipVerify, tlsAuth, …).
type Settings struct {
	// ControlPlaneURL is the Kuma API: the global CP in multizone, or a zone or
	// standalone CP. It may carry a path prefix of a reverse proxy.
	ControlPlaneURL string `json:"-"`
	// PrometheusURL is any Prometheus-compatible query API (Prometheus, Thanos
	// Query, Mimir's /prometheus, VictoriaMetrics).
	PrometheusURL string `json:"prometheusUrl,omitempty"`
	// PrometheusBasicAuthUser turns on basic auth to Prometheus with the secret
	// prometheusBasicAuthPassword.
	PrometheusBasicAuthUser string `json:"prometheusBasicAuthUser,omitempty"`
	// LegacyPrometheusDataSourceID is what the older plugin saved instead of a
	// URL: the numeric id of a Prometheus datasource, which a backend plugin
	// cannot query. Kept only to tell the user what to set.
	LegacyPrometheusDataSourceID json.RawMessage `json:"prometheusDataSourceId,omitempty"`

	LabelNames

	// Timeout is jsonData.timeout in seconds, a number or a numeric string;
	// RequestTimeout applies the default and the bounds.
	Timeout FlexNumber `json:"timeout,omitempty"`
	// PrometheusMaxResponseMiB caps one Prometheus answer after
	// decompression; PrometheusMaxResponseBytes applies the default.
	PrometheusMaxResponseMiB FlexNumber `json:"prometheusMaxResponseMiB,omitempty"`

	ControlPlaneToken           string `json:"-"`
	PrometheusBasicAuthPassword string `json:"-"`
	PrometheusToken             string `json:"-"`
}

// LoadSettings reads the instance settings. It fails only on jsonData that
// is not an object of the expected types (an ErrInvalidSettings); missing
// values are reported by Validate.
func LoadSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	var cfg Settings
	if err := checkJSONData(s.JSONData); err != nil {
		return Settings{}, err
	}
	if len(s.JSONData) > 0 {
		if err := json.Unmarshal(s.JSONData, &cfg); err != nil {
			return Settings{}, fmt.Errorf("%w: jsonData: %s", ErrInvalidSettings, describeJSONError(err))
		}
	}
	cfg.ControlPlaneURL = strings.TrimSpace(s.URL)
	cfg.PrometheusURL = strings.TrimSpace(cfg.PrometheusURL)
	cfg.LabelNames = cfg.LabelNames.WithDefaults() //nolint:staticcheck // QF1008: cfg.WithDefaults() would read as defaults for all settings
	cfg.ControlPlaneToken = s.DecryptedSecureJSONData[SecureKeyControlPlaneToken]
	cfg.PrometheusBasicAuthPassword = s.DecryptedSecureJSONData[SecureKeyPrometheusBasicAuthPassword]
	cfg.PrometheusToken = s.DecryptedSecureJSONData[SecureKeyPrometheusToken]
	return cfg, nil
}

// ValidateControlPlane checks the control-plane URL.
func (s Settings) ValidateControlPlane() error {
	if s.ControlPlaneURL == "" {
		return ErrMissingControlPlaneURL
	}
	if !IsHTTPURL(s.ControlPlaneURL) {
		return fmt.Errorf("%w: %s", ErrInvalidControlPlaneURL, redact.URL(s.ControlPlaneURL))
	}
	return nil
}

// ValidatePrometheus checks the Prometheus URL. Settings saved by the older
// plugin name a Prometheus datasource id instead; the error says what to set.
func (s Settings) ValidatePrometheus() error {
	if s.PrometheusURL == "" {
		if id := strings.Trim(string(s.LegacyPrometheusDataSourceID), `"`); id != "" && id != "null" {
			return fmt.Errorf("%w (this datasource was saved by the older Kuma plugin, which used the Prometheus datasource with id %s; "+
				"set Prometheus URL to that datasource's URL)", ErrMissingPrometheusURL, id)
		}
		return ErrMissingPrometheusURL
	}
	if !IsHTTPURL(s.PrometheusURL) {
		return fmt.Errorf("%w: %s", ErrInvalidPrometheusURL, redact.URL(s.PrometheusURL))
	}
	// In the config editor's order, so two bad names always report the same one.
	for _, l := range [][2]string{
		{"meshLabel", s.Mesh}, {"serviceLabel", s.Service}, {"servicesLabel", s.Services},
		{"zoneLabel", s.Zone}, {"dataplaneLabel", s.Dataplane}, {"gatewayLabel", s.Gateway},
	} {
		if setting, name := l[0], l[1]; !IsLabelName(name) {
			return fmt.Errorf("%w: %s is %q", ErrInvalidLabelName, setting, name)
		}
	}
	return nil
}
