package prometheus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// Vector is an instant vector reduced to the labels its reader asked for.
// Label values are interned: series i has the value Strings[ID(i, k)] for
// Labels[k], and id 0 is "" (the label is absent), so a reader can key
// maps and slices on small integers instead of strings.
type Vector struct {
	// Labels are the label names kept, in the order asked for.
	Labels []string
	// Strings are the distinct label values; Strings[0] is "".
	Strings []string
	// chunks hold the series in blocks of chunkSeries, so a big answer
	// grows without copying: a slice grown by append would allocate about
	// five times its final size on the way.
	chunks []chunk
	n      int
	intern map[string]uint32
}

// chunkSeries is the number of series per chunk.
const chunkSeries = 4096

type chunk struct {
	values []float64
	ids    []uint32 // len(values)*len(Labels)
}

func newVector(labels []string) *Vector {
	return &Vector{Labels: labels, Strings: []string{""}, intern: map[string]uint32{"": 0}}
}

// next makes room for one more series and returns its chunk; the series'
// ids are appended to it, then its value.
func (v *Vector) next() *chunk {
	if len(v.chunks) == 0 || len(v.chunks[len(v.chunks)-1].values) == chunkSeries {
		var c chunk
		if len(v.chunks) > 0 {
			// The first chunk grows as needed; the others are full size.
			c = chunk{values: make([]float64, 0, chunkSeries), ids: make([]uint32, 0, chunkSeries*len(v.Labels))}
		}
		v.chunks = append(v.chunks, c)
	}
	return &v.chunks[len(v.chunks)-1]
}

// NewVector returns an empty Vector of the given labels, for fakes.
func NewVector(labels ...string) *Vector { return newVector(labels) }

// Append adds a series with the values of Labels in order; missing
// trailing values are absent labels. Fakes build answers with it.
func (v *Vector) Append(value float64, labelValues ...string) {
	c := v.next()
	for k := range v.Labels {
		var id uint32
		if k < len(labelValues) {
			id = v.internString(labelValues[k])
		}
		c.ids = append(c.ids, id)
	}
	c.values = append(c.values, value)
	v.n++
}

func (v *Vector) internString(s string) uint32 {
	if id, ok := v.intern[s]; ok {
		return id
	}
	id := uint32(len(v.Strings))
	v.Strings = append(v.Strings, s)
	v.intern[s] = id
	return id
}

// Len is the number of series.
func (v *Vector) Len() int { return v.n }

// Value is series i's sample value.
func (v *Vector) Value(i int) float64 { return v.chunks[i/chunkSeries].values[i%chunkSeries] }

// ID is the interned id of series i's value of Labels[k].
func (v *Vector) ID(i, k int) uint32 {
	return v.chunks[i/chunkSeries].ids[i%chunkSeries*len(v.Labels)+k]
}

// Label is series i's value of Labels[k], "" when absent.
func (v *Vector) Label(i, k int) string { return v.Strings[v.ID(i, k)] }

func (v *Vector) labelIndex(name []byte) int {
	for k, l := range v.Labels {
		if l == string(name) {
			return k
		}
	}
	return -1
}

// QueryVector runs an instant query at ts (the server's now when ts is
// zero) and returns its vector with only the given labels, and the
// server's warnings. It decodes the answer while it streams in, so a
// graph's answers never sit in memory as text or as one map per series.
// It goes through the same HTTP client as Query (credentials, caps,
// redirect policy) and reports errors the same way.
func (c *Client) QueryVector(ctx context.Context, query string, ts time.Time, labels []string) (*Vector, []string, error) {
	args := url.Values{"query": {query}}
	if !ts.IsZero() {
		args.Set("time", strconvTime(ts))
	}
	u := c.raw.URL("/api/v1/query", nil)
	// POST like client_golang, falling back to GET where POST is refused.
	resp, err := c.post(ctx, u, args)
	if err == nil && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented) {
		drain(resp)
		u.RawQuery = args.Encode()
		var req *http.Request
		if req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil); err == nil {
			resp, err = c.hc.Do(req)
		}
	}
	if err != nil {
		return nil, nil, c.failQuery(query, 0, err)
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 {
		return nil, nil, c.failQuery(query, resp.StatusCode, errorAnswer(resp))
	}
	vec, env, err := decodeAnswer(resp.Body, labels)
	switch {
	case errors.Is(err, errSyntax):
		return nil, env.warnings, c.failQuery(query, resp.StatusCode, &v1.Error{Type: v1.ErrBadResponse, Msg: err.Error()})
	case err != nil:
		return nil, env.warnings, c.failQuery(query, resp.StatusCode, err)
	case env.status == "error":
		return nil, env.warnings, c.failQuery(query, resp.StatusCode, &v1.Error{Type: v1.ErrorType(env.errorType), Msg: env.errorMsg})
	case env.resultType != "" && env.resultType != "vector":
		return nil, env.warnings, backend.DownstreamError(fmt.Errorf("Prometheus: query %s returned a %s, not a vector", shorten(query), env.resultType))
	case !env.hasResult:
		return nil, env.warnings, backend.DownstreamError(fmt.Errorf(
			"Prometheus: query %s: the answer has no result (HTTP %d without data.result): check that the Prometheus URL is a query API",
			shorten(query), resp.StatusCode))
	}
	return vec, env.warnings, nil
}

func (c *Client) post(ctx context.Context, u *url.URL, args url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(args.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// An empty Idempotency-Key lets net/http retry the POST on a broken
	// keep-alive connection, as client_golang does.
	req.Header["Idempotency-Key"] = nil
	return c.hc.Do(req)
}

// maxErrorBody caps what is read of an error answer.
const maxErrorBody = 1 << 20

// errorAnswer turns a non-2xx answer into client_golang's *v1.Error: the
// API's own error when the body is Prometheus' error JSON (as for 400, 422
// and the 503 of a query timeout), else a plain HTTP error with the body.
func errorAnswer(resp *http.Response) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return err
	}
	if apiErr := apiErrorIn(body); apiErr != nil {
		return apiErr
	}
	typ, msg := v1.ErrServer, fmt.Sprintf("server error: %d", resp.StatusCode)
	if resp.StatusCode/100 == 4 {
		typ, msg = v1.ErrClient, fmt.Sprintf("client error: %d", resp.StatusCode)
	}
	return &v1.Error{Type: typ, Msg: msg, Detail: string(body)}
}

// apiErrorIn returns the API's own error when body is Prometheus' error
// JSON, else nil.
func apiErrorIn(body []byte) *v1.Error {
	_, env, err := decodeAnswer(bytes.NewReader(body), nil)
	if err != nil || env.status != "error" || env.errorType == "" {
		return nil
	}
	return &v1.Error{Type: v1.ErrorType(env.errorType), Msg: env.errorMsg}
}

// drain reads a little of what is left of a body, so the connection can be
// reused, and closes it.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	_ = resp.Body.Close()
}

// strconvTime formats t as client_golang does.
func strconvTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.Unix())+float64(t.Nanosecond())/1e9, 'f', -1, 64)
}
