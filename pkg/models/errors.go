package models

import "errors"

// Sentinel errors for settings and queries. Callers wrap them with the
// error source (plugin or downstream) where they are returned.
var (
	ErrMissingControlPlaneURL = errors.New("the control plane URL is empty: set URL to the Kuma API, for example http://kuma-control-plane:5681")
	ErrInvalidControlPlaneURL = errors.New("the control plane URL is not a valid http(s) URL")
	ErrMissingPrometheusURL   = errors.New("the Prometheus URL is empty: set Prometheus URL (jsonData.prometheusUrl) to a Prometheus-compatible query API, for example http://prometheus:9090")
	ErrInvalidPrometheusURL   = errors.New("the Prometheus URL is not a valid http(s) URL")
	ErrInvalidLabelName       = errors.New("a Prometheus label name setting is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)")
	ErrInvalidQueryJSON       = errors.New("the query is not valid JSON")
	ErrUnknownQueryType       = errors.New("unknown query type")
	ErrMissingMesh            = errors.New("no mesh selected: choose a mesh in the query editor")
	ErrMissingService         = errors.New("no service selected: set the query's service")
	ErrMissingGateway         = errors.New("no gateway selected: set the query's gateway")
	ErrInvalidRollupRegEx     = errors.New("the rollup regex is not a valid regular expression")
	ErrInvalidZoneRegEx       = errors.New("the zone filter is not a valid regular expression")
)
