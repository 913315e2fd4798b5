package kuma

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/bytesize"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/redact"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/urlscope"
)

const (
	// DefaultMaxPages caps how many pages one list may take.
	DefaultMaxPages = 100
	// DefaultMaxBodyBytes caps one response body (32 MiB).
	DefaultMaxBodyBytes int64 = 32 << 20
	// DefaultMaxListBytes caps the bytes of all pages of one list (64 MiB),
	// so one query cannot hold MaxPages × MaxBodyBytes.
	DefaultMaxListBytes int64 = 64 << 20
	// DefaultTimeout bounds a request when the given client has no timeout.
	DefaultTimeout = 30 * time.Second
	// pageSize is Kuma's maximum page size: larger is a 400, so fewer
	// round trips cannot be had.
	pageSize = 1000
)

// Config configures a Client.
type Config struct {
	// Address is the control-plane API URL, for example
	// http://kuma-control-plane:5681 or https://host/kuma/ behind a proxy.
	Address string
	// Client sends the requests; nil means http.DefaultClient. Redirects that
	// leave Address are refused.
	Client *http.Client
	// Token is sent as "Authorization: Bearer <Token>" when set.
	Token string
	// MaxPages caps the pages read for one list (default DefaultMaxPages).
	MaxPages int
	// MaxBodyBytes caps one response body (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// MaxListBytes caps the pages of one list together (default
	// DefaultMaxListBytes).
	MaxListBytes int64
}

// errRedirect refuses a redirect that would carry the token elsewhere.
var errRedirect = errors.New("refusing redirect")

// Client reads the Kuma control-plane API. It is safe for concurrent use.
type Client struct {
	base     *url.URL
	hc       *http.Client
	token    string
	maxPages int
	maxBody  int64
	maxList  int64
	// pageSize is a field so tests can paginate small fixtures.
	pageSize int
}

// NewClient validates cfg and returns a Client.
func NewClient(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.Address))
	if err != nil {
		// url.Parse's error quotes the URL, password included.
		return nil, errors.New("control plane: invalid URL: it does not parse")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("control plane: invalid URL %s: want http(s)://host[:port][/path]", redact.Parsed(u))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("control plane: invalid URL %s: remove the query or fragment", redact.Parsed(u))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	c := &Client{base: u, token: cfg.Token, maxPages: cfg.MaxPages, maxBody: cfg.MaxBodyBytes, maxList: cfg.MaxListBytes, pageSize: pageSize}
	if c.maxPages <= 0 {
		c.maxPages = DefaultMaxPages
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	if c.maxList <= 0 {
		c.maxList = DefaultMaxListBytes
	}
	hc := http.DefaultClient
	if cfg.Client != nil {
		hc = cfg.Client
	}
	// A copy, so the caller's client keeps its own redirect policy.
	copied := *hc
	if copied.Timeout <= 0 {
		copied.Timeout = DefaultTimeout
	}
	next := copied.CheckRedirect
	copied.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !urlscope.Under(c.base, req.URL) {
			return fmt.Errorf("%w to %s: it leaves the control-plane URL", errRedirect, redact.Parsed(req.URL))
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	c.hc = &copied
	return c, nil
}

// segment escapes one path segment taken from user input, so that a name
// with "/", "?" or "%" cannot change which resource is read.
func segment(name string) (string, error) {
	if name == "" || name == "." || name == ".." {
		return "", fmt.Errorf("control plane: invalid name %q", name)
	}
	return url.PathEscape(name), nil
}

// get reads path (escaped, relative to the base) with query into out.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	_, err := c.getCapped(ctx, path, query, out, c.maxBody)
	return err
}

// getCapped is get with the body capped at limit when that is below
// maxBody (what a list has left); it returns the body's size.
func (c *Client) getCapped(ctx context.Context, path string, query url.Values, out any, limit int64) (int64, error) {
	limit = min(limit, c.maxBody)
	u := *c.base
	u.RawPath = c.base.EscapedPath() + path
	unescaped, err := url.PathUnescape(u.RawPath)
	if err != nil {
		return 0, fmt.Errorf("control plane: GET %s: %w", path, err)
	}
	u.Path = unescaped
	u.RawQuery = query.Encode()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, fmt.Errorf("control plane: GET %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, c.transportError(ctx, path, err)
	}
	defer func() { _ = resp.Body.Close() }()

	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	n := int64(len(body))
	if err != nil {
		return n, c.transportError(ctx, path, err)
	}
	if n > limit {
		if limit < c.maxBody {
			return n, downstream(fmt.Errorf("control plane: GET %s: the list is larger than the %s cap for one list", path, bytesize.Format(c.maxList)))
		}
		return n, downstream(fmt.Errorf("control plane: GET %s: response is larger than the %s cap", path, bytesize.Format(c.maxBody)))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return n, downstream(newError(resp, path, body, c.token != ""))
	}
	if err := decodeJSON(resp.Header.Get("Content-Type"), body, out); err != nil {
		return n, downstream(fmt.Errorf("control plane: GET %s: %w", path, err))
	}
	return n, nil
}

// transportError explains a failed round trip. Context cancellation stays
// unmarked: the caller gave up, the control plane did not fail.
func (c *Client) transportError(ctx context.Context, path string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("control plane: GET %s: %w", path, ctx.Err())
	}
	if urlErr, ok := errors.AsType[*url.Error](err); ok {
		err = urlErr.Err // the URL is said once, below
	}
	if errors.Is(err, errRedirect) {
		return downstream(fmt.Errorf("control plane: GET %s: %w", path, err))
	}
	// The SDK's HTTP client enforces the timeout setting with a context
	// deadline, which surfaces as DeadlineExceeded rather than a net timeout.
	if os.IsTimeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return downstream(fmt.Errorf("control plane: GET %s: timed out waiting for %s (raise the timeout setting for a slow control plane): %w",
			path, redact.Parsed(c.base), err))
	}
	return downstream(fmt.Errorf("control plane: GET %s: cannot reach %s: %w", path, redact.Parsed(c.base), err))
}

// decodeJSON decodes body, saying clearly when it is not JSON at all (a
// login page, a proxy error, the GUI instead of the API).
func decodeJSON(contentType string, body []byte, out any) error {
	if !looksJSON(contentType, body) {
		mt, _, _ := mime.ParseMediaType(contentType)
		if mt == "" {
			mt = "unknown content type"
		}
		return fmt.Errorf("the response is not JSON (%s): check that the URL is the Kuma API (port 5681), not the GUI or a proxy page", mt)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("invalid JSON in the response: %s", describeJSONError(err))
	}
	return nil
}

// describeJSONError says what is wrong with a body without naming the Go
// types it was decoded into, which mean nothing to the user.
func describeJSONError(err error) string {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("field %q is a JSON %s, which the plugin cannot read there (offset %d)", typeErr.Field, typeErr.Value, typeErr.Offset)
	case errors.As(err, &typeErr):
		return fmt.Sprintf("a JSON %s where the plugin expects another type (offset %d)", typeErr.Value, typeErr.Offset)
	case errors.As(err, &syntaxErr):
		return syntaxErr.Error()
	}
	return "it cannot be decoded"
}

func looksJSON(contentType string, body []byte) bool {
	trimmed := strings.TrimSpace(string(body[:min(len(body), 64)]))
	if strings.HasPrefix(trimmed, "<") {
		return false
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "" || mt == "application/json" || strings.HasSuffix(mt, "+json") ||
		strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[")
}
