package prometheus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// Error is a failed call to Prometheus. Its message names Prometheus and
// what failed; it never contains credentials. Errors returned by Client wrap
// it as a downstream error (backend.DownstreamError).
type Error struct {
	// Op is what failed, such as "query".
	Op string
	// Query is the PromQL of a failed query, named when a cap stopped it.
	Query string
	// URL is the endpoint, without credentials.
	URL string
	// StatusCode is the HTTP status, 0 when there was no response.
	StatusCode int
	// Err is the underlying error: a *v1.Error from the API or a transport
	// error (context.Canceled and friends stay detectable with errors.Is).
	Err error
}

func (e *Error) Error() string {
	var (
		apiErr   *v1.Error
		tooLarge *TooLargeError
	)
	switch {
	case errors.As(e.Err, &tooLarge):
		what := e.Op
		if e.Query != "" {
			what += " " + shorten(e.Query)
		}
		return fmt.Sprintf("Prometheus: %s: %v: narrow it (a zone filter, a shorter time range) or raise the cap", what, tooLarge)
	case errors.Is(e.Err, errRedirect):
		return fmt.Sprintf("Prometheus: %s failed: %s", e.Op, rootCause(e.Err))
	case e.StatusCode == 0 && errors.Is(e.Err, context.Canceled):
		return fmt.Sprintf("Prometheus: %s canceled", e.Op)
	case e.StatusCode == 0 && timedOut(e.Err):
		return fmt.Sprintf("Prometheus: %s: timed out waiting for %s (%s)", e.Op, e.URL, timeoutAdvice)
	case e.StatusCode == 0:
		return fmt.Sprintf("Prometheus: cannot reach %s: %s", e.URL, rootCause(e.Err))
	case errors.As(e.Err, &apiErr) && (apiErr.Type == v1.ErrClient || apiErr.Type == v1.ErrServer):
		// A plain HTTP error, not the API's JSON error.
		msg := fmt.Sprintf("Prometheus: %s failed: HTTP %d %s from %s", e.Op, e.StatusCode, http.StatusText(e.StatusCode), e.URL)
		if body := snippet(apiErr.Detail); body != "" {
			msg += ": " + body
		}
		return msg + hint(e.StatusCode)
	case errors.As(e.Err, &apiErr) && apiErr.Type == v1.ErrBadResponse:
		return fmt.Sprintf("Prometheus: %s failed: %v (the response is not Prometheus API JSON: check the Prometheus URL)", e.Op, e.Err)
	}
	return fmt.Sprintf("Prometheus: %s failed: %v%s", e.Op, e.Err, hint(e.StatusCode))
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// failQuery wraps err from an instant query as a downstream *Error, which
// names the query when useful.
func (c *Client) failQuery(query string, status int, err error) error {
	return backend.DownstreamError(&Error{Op: "query", Query: query, URL: c.address + "/api/v1/query", StatusCode: status, Err: err})
}

// timeoutAdvice says what a user can change when Prometheus does not answer
// within the datasource's timeout.
const timeoutAdvice = "raise the datasource's timeout setting for a slow Prometheus, or narrow the query: a shorter time range, a zone filter"

// timedOut reports whether err is the request's deadline (the datasource's
// timeout setting, enforced by the HTTP client or a context).
func timedOut(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err)
}

// rootCause reduces a transport error to its innermost useful message:
// "connection refused" rather than `Post "…": dial tcp …: connect: …`.
func rootCause(err error) string {
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok {
		return dnsErr.Error()
	}
	if timedOut(err) {
		return "timed out"
	}
	if urlErr, ok := errors.AsType[*url.Error](err); ok {
		err = urlErr.Err
	}
	if opErr, ok := errors.AsType[*net.OpError](err); ok {
		err = opErr.Err
	}
	if sysErr, ok := errors.AsType[*os.SyscallError](err); ok {
		err = sysErr.Err
	}
	return err.Error()
}

// snippet shortens a response body for a message: one line, 200 bytes.
func snippet(body string) string {
	body = strings.Join(strings.Fields(body), " ")
	if len(body) > 200 {
		body = body[:200] + "…"
	}
	return body
}

// hint turns statuses a user can fix into advice.
func hint(status int) string {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return " (check the Prometheus basic auth user and password or token)"
	case http.StatusNotFound:
		return " (check the Prometheus URL: it must be the query API's base, with any path prefix such as /prometheus for Mimir)"
	}
	return ""
}
