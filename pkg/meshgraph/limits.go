package meshgraph

import (
	"errors"
	"fmt"
	"strings"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// queryNames name the fixed queries in messages.
var queryNames = [queryCount]string{
	queryClasses: "requests by status class",
	queryTotal:   "requests",
	queryLatency: "latency",
	queryTCP:     "TCP",
	queryGateway: "gateway requests",
}

// The Prometheus flags of the query limits a graph can hit.
const (
	FlagMaxSamples = "--query.max-samples"
	FlagTimeout    = "--query.timeout"
)

// LimitError is a query of the graph that one of Prometheus' query limits
// stopped. It says which query, which limit and what to do; it wraps the
// Prometheus error, so the error stays downstream.
type LimitError struct {
	// Query names the query: "requests", "latency", "TCP", ….
	Query string
	// Flag is the limit: FlagMaxSamples or FlagTimeout.
	Flag string
	Err  error
}

func (e *LimitError) Error() string {
	said := e.Err.Error()
	if apiErr, ok := errors.AsType[*v1.Error](e.Err); ok {
		said = apiErr.Msg
	}
	if e.Flag == FlagMaxSamples {
		return fmt.Sprintf("Prometheus: the service map's %s query would load more samples than Prometheus allows (%s, "+
			"default 50000000): it needs about 3 per series it reads, whatever the time range, so filter by zone "+
			"or raise %s (README: Performance); Prometheus said: %s", e.Query, FlagMaxSamples, FlagMaxSamples, said)
	}
	return fmt.Sprintf("Prometheus: the service map's %s query ran past Prometheus' query timeout (%s, default 2m): "+
		"shorten the time range, filter by zone or raise %s (README: Performance); Prometheus said: %s",
		e.Query, FlagTimeout, FlagTimeout, said)
}

// Unwrap returns the Prometheus error.
func (e *LimitError) Unwrap() error { return e.Err }

// withLimit wraps err of query q in a *LimitError when a Prometheus query
// limit caused it. Too many samples is an "execution" error like any other,
// so its message is matched, as a last resort; the tests hold both against
// a real Prometheus.
func withLimit(q queryKind, err error) error {
	var apiErr *v1.Error
	if !errors.As(err, &apiErr) {
		return err
	}
	switch {
	case strings.Contains(apiErr.Msg, "too many samples"):
		return &LimitError{Query: queryNames[q], Flag: FlagMaxSamples, Err: err}
	case apiErr.Type == v1.ErrTimeout || strings.Contains(apiErr.Msg, "query timed out"):
		return &LimitError{Query: queryNames[q], Flag: FlagTimeout, Err: err}
	}
	return err
}
