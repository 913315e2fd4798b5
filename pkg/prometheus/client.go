// Package prometheus is a thin client for the parts of the Prometheus HTTP
// API the datasource needs, built on client_golang's api/prometheus/v1. It
// works with any Prometheus-compatible API, including ones behind a path
// prefix (Mimir's /prometheus, Thanos Query, VictoriaMetrics).
package prometheus

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/redact"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/urlscope"
)

// Config configures a Client.
type Config struct {
	// Address is the base URL of the API, e.g. http://prometheus:9090 or
	// http://mimir/prometheus.
	Address string
	// Client is the HTTP client (TLS, timeout, proxy); nil means
	// http.DefaultClient. Its Transport is wrapped, not modified.
	Client *http.Client
	// BasicAuthUser turns on basic auth with BasicAuthPassword. Otherwise a
	// non-empty Token is sent as "Authorization: Bearer <token>".
	BasicAuthUser     string
	BasicAuthPassword string
	Token             string
	// MaxResponseBytes caps each response body after decompression
	// (default DefaultMaxResponseBytes).
	MaxResponseBytes int64
}

const (
	// DefaultMaxResponseBytes is the default cap of one response body.
	DefaultMaxResponseBytes int64 = 256 << 20
	// DefaultTimeout bounds a request when the given client has no timeout.
	DefaultTimeout = 30 * time.Second
)

// errRedirect refuses a redirect that leaves the configured URL.
var errRedirect = errors.New("refusing redirect")

// Client queries Prometheus. It is safe for concurrent use.
type Client struct {
	api v1.API
	// raw and hc serve QueryVector, which streams the answer itself.
	raw     api.Client
	hc      *http.Client
	address string // redacted, for messages
	now     func() time.Time
}

// NewClient returns a client for cfg.
func NewClient(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.Address))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, backend.DownstreamError(fmt.Errorf("Prometheus: the URL %s is not a valid http(s) URL", redact.URL(cfg.Address)))
	}
	hc := http.Client{}
	if cfg.Client != nil {
		hc = *cfg.Client
	}
	if hc.Timeout <= 0 {
		hc.Timeout = DefaultTimeout
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	maxBody := cfg.MaxResponseBytes
	if maxBody <= 0 {
		maxBody = DefaultMaxResponseBytes
	}
	hc.Transport = &transport{
		next: next, host: u.Host, maxBody: maxBody,
		user: cfg.BasicAuthUser, password: cfg.BasicAuthPassword, token: cfg.Token,
	}
	base := *u
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !urlscope.Under(&base, req.URL) {
			return fmt.Errorf("%w to %s: it leaves the Prometheus URL", errRedirect, redact.Parsed(req.URL))
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	c, err := api.NewClient(api.Config{Address: u.String(), Client: &hc})
	if err != nil {
		return nil, backend.PluginError(fmt.Errorf("Prometheus: %w", err))
	}
	return &Client{api: v1.NewAPI(c), raw: c, hc: &hc, address: strings.TrimRight(redact.Parsed(u), "/"), now: time.Now}, nil
}

// Query runs an instant query at ts (the server's now when ts is zero) and
// returns the vector result and the server's warnings. An answer without a
// result, or with a result of another type, is Prometheus's fault (or a
// proxy's): the datasource only sends vector queries.
func (c *Client) Query(ctx context.Context, query string, ts time.Time) (model.Vector, []string, error) {
	var st callState
	val, warnings, _, err := c.api.Query(withState(ctx, &st), query, ts)
	if err != nil {
		return nil, warnings, c.failQuery(query, st.status, err)
	}
	if val == nil {
		return nil, warnings, backend.DownstreamError(fmt.Errorf(
			"Prometheus: query %s: the answer has no result (HTTP %d without data.result): check that the Prometheus URL is a query API",
			shorten(query), st.status))
	}
	vec, ok := val.(model.Vector)
	if !ok {
		return nil, warnings, backend.DownstreamError(fmt.Errorf("Prometheus: query %s returned a %s, not a vector", shorten(query), val.Type()))
	}
	return vec, warnings, nil
}

// shorten quotes a query for a message, at most 120 bytes of it.
func shorten(query string) string {
	if len(query) > 120 {
		query = query[:120] + "…"
	}
	return fmt.Sprintf("%q", query)
}

// Ping checks that the query API answers, with the trivial query vector(1).
func (c *Client) Ping(ctx context.Context) error {
	vec, _, err := c.Query(ctx, "vector(1)", time.Time{})
	if err != nil {
		return err
	}
	if len(vec) != 1 || vec[0].Value != 1 {
		return backend.DownstreamError(fmt.Errorf("Prometheus: vector(1) returned %v; %s does not behave like a Prometheus query API", vec, c.address))
	}
	return nil
}

// SeriesExistWindow is how far back SeriesExist looks.
const SeriesExistWindow = time.Hour

// SeriesExist reports whether any series matching selector (a PromQL
// vector selector such as envoy_server_live{mesh="default"}) has a sample in
// the last hour. It runs an instant query, which every compatible API
// serves, rather than /api/v1/series, which some restrict.
func (c *Client) SeriesExist(ctx context.Context, selector string) (bool, error) {
	q := fmt.Sprintf("count(last_over_time(%s[%s]))", selector, model.Duration(SeriesExistWindow))
	vec, _, err := c.Query(ctx, q, c.now())
	if err != nil {
		return false, err
	}
	return len(vec) > 0 && vec[0].Value > 0, nil
}
