package kuma

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Error is a non-2xx answer of the control plane, decoded from Kuma's error
// body (2.2 {title, details, causes} or 2.3+ {type, status, title, detail}).
type Error struct {
	StatusCode int
	Title      string
	Detail     string
	// Path is the request path relative to the configured URL.
	Path string

	// routeNotFound is set for go-restful's plain-text 404 of an unknown
	// route, which an older CP gives for APIs it lacks.
	routeNotFound bool
	tokenSet      bool
}

// Error reads like "control plane: GET /meshes/nope/dataplanes: 404 Failed to
// retrieve Mesh: Not found", followed by advice when there is some.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "control plane: GET %s: %d %s", e.Path, e.StatusCode, e.Title)
	if e.Detail != "" && e.Detail != e.Title {
		b.WriteString(": " + e.Detail)
	}
	if hint := e.hint(); hint != "" {
		b.WriteString("; " + hint)
	}
	return b.String()
}

func (e *Error) hint() string {
	switch {
	case e.StatusCode == http.StatusUnauthorized && e.tokenSet:
		return "check the control-plane token (cpToken): it is invalid or expired"
	case e.StatusCode == http.StatusUnauthorized:
		return "set a control-plane token (cpToken)"
	case e.StatusCode == http.StatusForbidden:
		return "the control-plane token (cpToken) lacks read access to this resource; set or check it"
	case e.routeNotFound:
		return "the control plane does not serve this path: check that the URL is the Kuma API (port 5681) with the right path prefix"
	case e.MeshNotFound():
		mesh, _ := meshOf(e.Path)
		return fmt.Sprintf("the mesh %q does not exist", mesh)
	}
	return ""
}

// MeshNotFound reports whether the error says the requested mesh does not
// exist (Kuma 2.7+ answers lists under a missing mesh with 404).
func (e *Error) MeshNotFound() bool {
	_, ok := meshOf(e.Path)
	return ok && e.StatusCode == http.StatusNotFound && !e.routeNotFound
}

// meshOf returns the mesh of a /meshes/{mesh}[/...] path.
func meshOf(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/meshes/")
	if !ok || rest == "" {
		return "", false
	}
	seg, _, _ := strings.Cut(rest, "/")
	mesh, err := url.PathUnescape(seg)
	return mesh, err == nil
}

// apiError is Kuma's error body in both shapes.
type apiError struct {
	Title   string `json:"title"`
	Detail  string `json:"detail"`
	Details string `json:"details"` // 2.2 only has this
	Causes  []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"causes"`
	// Status is a number, or a string in 2.3; the HTTP status is used instead.
	Status json.RawMessage `json:"status"`
}

func newError(resp *http.Response, path string, body []byte, tokenSet bool) *Error {
	e := &Error{StatusCode: resp.StatusCode, Path: path, tokenSet: tokenSet}
	var ae apiError
	if looksJSON(resp.Header.Get("Content-Type"), body) && json.Unmarshal(body, &ae) == nil && ae.Title != "" {
		e.Title = ae.Title
		e.Detail = ae.Detail
		if e.Detail == "" {
			e.Detail = ae.Details
		}
		for _, c := range ae.Causes {
			e.Detail += fmt.Sprintf(" (%s: %s)", c.Field, c.Message)
		}
		return e
	}
	e.Title = http.StatusText(resp.StatusCode)
	text := strings.TrimSpace(string(body))
	switch {
	case strings.HasPrefix(text, "<"):
		e.Detail = "an HTML page, not the Kuma API"
	case len(text) > 200:
		e.Detail = strings.Join(strings.Fields(text[:200]), " ") + "…"
	default:
		e.Detail = strings.Join(strings.Fields(text), " ")
	}
	e.routeNotFound = resp.StatusCode == http.StatusNotFound && strings.HasPrefix(text, "404: Page Not Found")
	return e
}

// downstream marks an error as the control plane's fault, so Grafana reports
// it as a downstream error rather than a plugin bug.
func downstream(err error) error { return backend.DownstreamError(err) }
