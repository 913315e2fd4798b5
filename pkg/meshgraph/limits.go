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

// LimitError is a query that one of Prometheus' query limits stopped: a
// query of the service map, or of the traffic query type (pkg/traffic uses
// WithLimit). It says which query, which limit and what to do; it wraps the
// Prometheus error, so the error stays downstream.
type LimitError struct {
	// Query names the query: "requests", "latency", "TCP", ….
	Query string
	// Flag is the limit: FlagMaxSamples or FlagTimeout.
	Flag string
	// Traffic marks a query of the traffic query type, Range one of its
	// time series (a range query, whose samples grow with the steps)
	// rather than its one number per series.
	Traffic, Range bool
	Err            error
}

func (e *LimitError) Error() string {
	said := e.Err.Error()
	if apiErr, ok := errors.AsType[*v1.Error](e.Err); ok {
		said = apiErr.Msg
	}
	what := "the service map's " + e.Query + " query"
	if e.Traffic {
		what = "the traffic query's " + e.Query + " query"
	}
	if e.Flag == FlagMaxSamples {
		need := "it needs about 3 per series it reads, whatever the time range, so filter by zone"
		if e.Range {
			need = "it needs some for every step of the time range, so shorten the time range, raise the step (Min interval), filter by zone"
		}
		return fmt.Sprintf("Prometheus: %s would load more samples than Prometheus allows (%s, default 50000000): "+
			"%s or raise %s (README: Performance); Prometheus said: %s", what, FlagMaxSamples, need, FlagMaxSamples, said)
	}
	return fmt.Sprintf("Prometheus: %s ran past Prometheus' query timeout (%s, default 2m): "+
		"shorten the time range, filter by zone or raise %s (README: Performance); Prometheus said: %s",
		what, FlagTimeout, FlagTimeout, said)
}

// Unwrap returns the Prometheus error.
func (e *LimitError) Unwrap() error { return e.Err }

// withLimit wraps err of the map's query q as WithLimit does.
func withLimit(q queryKind, err error) error {
	return WithLimit(&LimitError{Query: queryNames[q]}, err)
}

// WithLimit returns err wrapped in limit, its Flag and Err set, when a
// Prometheus query limit caused err; else err. Too many samples is an
// "execution" error like any other, so its message is matched, as a last
// resort; the tests hold both against a real Prometheus.
func WithLimit(limit *LimitError, err error) error {
	var apiErr *v1.Error
	if !errors.As(err, &apiErr) {
		return err
	}
	switch {
	case strings.Contains(apiErr.Msg, "too many samples"):
		limit.Flag = FlagMaxSamples
	case apiErr.Type == v1.ErrTimeout || strings.Contains(apiErr.Msg, "query timed out"):
		limit.Flag = FlagTimeout
	default:
		return err
	}
	limit.Err = err
	return limit
}
