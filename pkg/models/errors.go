package models

import (
	"errors"
	"fmt"
)

// ErrUser is the parent of every error the user fixes in the query or the
// datasource settings: errors.Is(err, ErrUser) holds for each sentinel
// below, so the plugin classifies them (status 400, source downstream)
// without a hand-kept list. ErrInvalidQueryJSON is the one exception the
// plugin names: its source is the plugin, whose editor writes the JSON.
var ErrUser = errors.New("the query or the datasource settings need a change")

// Sentinel errors for settings and queries.
var (
	ErrInvalidSettings        = userError("the datasource settings are not valid")
	ErrMissingControlPlaneURL = userError("the control plane URL is empty: set URL to the Kuma API, for example http://kuma-control-plane:5681")
	ErrInvalidControlPlaneURL = userError("the control plane URL is not a valid http(s) URL")
	ErrMissingPrometheusURL   = userError("the Prometheus URL is empty: set Prometheus URL (jsonData.prometheusUrl) to a Prometheus-compatible query API, for example http://prometheus:9090")
	ErrInvalidPrometheusURL   = userError("the Prometheus URL is not a valid http(s) URL")
	ErrInvalidLabelName       = userError("a Prometheus label name setting is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)")
	ErrInvalidQueryJSON       = userError("the query is not valid JSON")
	ErrUnknownQueryType       = userError("unknown query type")
	ErrMissingMesh            = userError("no mesh selected: choose a mesh in the query editor")
	ErrMissingService         = userError("no service selected: set the query's service")
	ErrMissingGateway         = userError("no gateway selected: set the query's gateway")
	ErrInvalidMesh            = userError("the mesh name is not valid")
	ErrInvalidRollupRegEx     = userError("the rollup regex is not a valid regular expression")
	ErrInvalidZoneRegEx       = userError("the zone filter is not a valid regular expression")
	ErrInvalidServiceFilter   = userError("the service filter is not valid")
)

// userError is a sentinel that is also an ErrUser.
type userError string

func (e userError) Error() string { return string(e) }

// Is makes every user error match ErrUser.
func (e userError) Is(target error) bool { return target == ErrUser }

// Because is sentinel followed by cause as text. The sentinel alone
// classifies the error: the cause (a JSON, URL, TLS or regexp error) is
// not wrapped, so its type cannot change the status or the source.
func Because(sentinel, cause error) error {
	return fmt.Errorf("%w: %s", sentinel, cause.Error())
}
