// Package cpreplay serves the recorded Kuma control-plane responses of
// testdata/kuma-cp-<version>/ on 127.0.0.1 so that tests of any package can
// run against real API bodies instead of hand-written fakes.
//
// The server behaves like the recorded version where it matters to a client:
// offset/size pagination with absolute `next` links built from the request's
// Host (as kuma-cp does, so a client that follows them leaves a path prefix
// and is caught), the version's unknown-mesh behaviour, the recorded 400 body
// for size > 1000, plain-text 404s for routes the version lacks, and an
// optional Bearer token check. Every request is recorded.
package cpreplay

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

// Option changes how the replay server behaves.
type Option func(*options)

type options struct {
	prefix       string
	token        string
	configStatus int
}

// WithPrefix mounts the API under a path prefix such as "/kuma", as a reverse
// proxy that strips the prefix would. Server.URL then ends with the prefix.
func WithPrefix(prefix string) Option {
	return func(o *options) {
		o.prefix = ""
		if p := strings.Trim(prefix, "/"); p != "" {
			o.prefix = "/" + p
		}
	}
}

// WithToken makes every route except GET / (public in Kuma) answer 401 with
// Kuma's error body unless the request carries "Authorization: Bearer <token>".
func WithToken(token string) Option {
	return func(o *options) { o.token = token }
}

// WithConfigStatus makes GET /config answer with the given error status
// (for example 403, as Kong Mesh RBAC can) instead of the synthesized config.
func WithConfigStatus(status int) Option {
	return func(o *options) { o.configStatus = status }
}

// Request is one request the server received.
type Request struct {
	Method string
	// Path is the escaped request path, including any prefix.
	Path     string
	RawQuery string
	Header   http.Header
}

// Server is a running replay server.
type Server struct {
	// URL is the base URL to configure a client with, including the prefix.
	URL string
	// Version is the replayed kuma-cp version, for example "2.14.3".
	Version string

	srv  *httptest.Server
	dir  string
	opts options
	feat features
	// manifest is set for recordings indexed by manifest.json.
	manifest *manifest

	mu       sync.Mutex
	requests []Request
}

// Start replays the fixtures of testdata/kuma-cp-<version>/ (found by walking
// up from the working directory to the module root) and closes the server
// when the test ends. A directory with a manifest.json (such as
// "2.14.3-exclusive") is served from its manifest.
func Start(t testing.TB, version string, opts ...Option) *Server {
	t.Helper()
	s, err := New(version, opts...)
	if err != nil {
		t.Fatalf("cpreplay: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// New is Start without a testing.TB; the caller must call Close.
func New(version string, opts ...Option) (*Server, error) {
	root, err := repo.Root()
	if err != nil {
		return nil, err
	}
	return NewDir(filepath.Join(root, "testdata", "kuma-cp-"+version), version, opts...)
}

// StartDir is Start for recordings in dir, such as a copy of a recording
// with generated lists added (a mesh larger than any recording); version
// selects the behaviour to reproduce.
func StartDir(t testing.TB, dir, version string, opts ...Option) *Server {
	t.Helper()
	s, err := NewDir(dir, version, opts...)
	if err != nil {
		t.Fatalf("cpreplay: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// NewDir is StartDir without a testing.TB; the caller must call Close.
func NewDir(dir, version string, opts ...Option) (*Server, error) {
	if _, err := os.Stat(filepath.Join(dir, "index.json")); err != nil {
		return nil, err
	}
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	s := &Server{Version: version, dir: dir, feat: featuresOf(version), manifest: m}
	for _, o := range opts {
		o(&s.opts)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL + s.opts.prefix
	return s, nil
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Requests returns a copy of the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Reset forgets the recorded requests.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(),
	})
	s.mu.Unlock()

	path := r.URL.EscapedPath()
	if s.opts.prefix != "" {
		rest, ok := strings.CutPrefix(path, s.opts.prefix)
		if !ok || (rest != "" && rest[0] != '/') {
			pageNotFound(w)
			return
		}
		path = rest
	}
	if path == "" {
		path = "/"
	}
	if r.Method != http.MethodGet {
		writeError(w, s.feat, http.StatusMethodNotAllowed, "Method not allowed", "Method not allowed")
		return
	}
	if s.opts.token != "" && path != "/" && r.Header.Get("Authorization") != "Bearer "+s.opts.token {
		writeError(w, s.feat, http.StatusUnauthorized, "Invalid authentication data", "Unauthenticated")
		return
	}
	if s.manifest != nil {
		s.serveManifest(w, r, path)
		return
	}
	s.route(w, r, path)
}

// features are the version differences the replay reproduces.
type features struct {
	newErrors      bool // {type,status,title,detail} bodies (2.3+), else {title,details}
	unknownMesh404 bool // mesh-scoped lists under a missing mesh answer 404 (2.7+)
	overview       bool // /zones/_overview and /dataplanes/_overview (2.5+)
	meshServices   bool // meshservices & co. (2.9+ here; 2.7/2.8 had them partially)
	nullEmpty      bool // empty service-insights are "items": null (2.2)
	rejectSizeZero bool // size<=0 is a 400 (2.14+)
	mode, zone     string
}

func featuresOf(version string) features {
	minor := 0
	if parts := strings.Split(version, "."); len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	f := features{
		newErrors:      minor >= 3,
		unknownMesh404: minor >= 7,
		overview:       minor >= 5,
		meshServices:   minor >= 9,
		nullEmpty:      minor < 3,
		rejectSizeZero: minor >= 14,
		mode:           "standalone",
	}
	if minor >= 6 {
		f.mode, f.zone = "zone", "default"
	}
	return f
}
