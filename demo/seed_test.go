package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestResourcePath(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    string
		wantErr bool
	}{
		{name: "a mesh is global", body: `{"type":"Mesh","name":"default"}`, want: "/meshes/default"},
		{name: "a gateway lives in its mesh", body: `{"type":"MeshGateway","mesh":"default","name":"edge-gateway"}`,
			want: "/meshes/default/meshgateways/edge-gateway"},
		{name: "a route lives in its mesh", body: `{"type":"MeshHTTPRoute","mesh":"default","name":"r"}`,
			want: "/meshes/default/meshhttproutes/r"},
		{name: "an unknown type is refused", body: `{"type":"Dataplane","mesh":"default","name":"x"}`, wantErr: true},
		{name: "a mesh-scoped type without mesh is refused", body: `{"type":"MeshGateway","name":"x"}`, wantErr: true},
		{name: "a resource without name is refused", body: `{"type":"Mesh"}`, wantErr: true},
		{name: "YAML is refused", body: "type: Mesh\nname: default\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resourcePath([]byte(tt.body))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("resourcePath = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// fakeCP answers like Kuma's API: 503 on GET / until ready, then 200; 201 on
// the first PUT of a path and 200 after. It records the PUT paths in order.
type fakeCP struct {
	mu       sync.Mutex
	notReady int
	puts     []string
	seen     map[string]bool
}

func (f *fakeCP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/":
		if f.notReady > 0 {
			f.notReady--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"product":"Kuma"}`)
	case r.Method == http.MethodPut:
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "application/json" || !json.Valid(body) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.puts = append(f.puts, r.URL.Path)
		if f.seen[r.URL.Path] {
			_, _ = io.WriteString(w, "{}")
			return
		}
		f.seen[r.URL.Path] = true
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "{}")
	default:
		http.NotFound(w, r)
	}
}

func TestSeedDirWritesTheDemoResourcesInOrder(t *testing.T) {
	cp := &fakeCP{notReady: 2, seen: map[string]bool{}}
	srv := httptest.NewServer(cp)
	defer srv.Close()
	s := &seeder{base: srv.URL, client: srv.Client(), retryEvery: 10 * time.Millisecond}

	// The real resources the stack seeds, twice: the second run updates.
	dir := filepath.Join("kuma", "resources")
	for range 2 {
		if err := s.seedDir(t.Context(), dir); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(cp.puts) != 2*len(files) || len(files) < 3 {
		t.Fatalf("PUT %v for %d files", cp.puts, len(files))
	}
	if cp.puts[0] != "/meshes/default" {
		t.Errorf("first PUT is %s, want the mesh before what lives in it", cp.puts[0])
	}
	for _, want := range []string{"/meshes/default/meshgateways/edge-gateway", "/meshes/default/meshhttproutes/edge-gateway-route"} {
		if !cp.seen[want] {
			t.Errorf("no PUT of %s in %v", want, cp.puts)
		}
	}
}

func TestSeedDirFailsOnARejectedResource(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "00-bad.json"), []byte(`{"type":"Mesh","name":"m"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"title":"Could not process a resource"}`)
		}
	}))
	defer srv.Close()
	s := &seeder{base: srv.URL, client: srv.Client(), retryEvery: 10 * time.Millisecond}
	if err := s.seedDir(t.Context(), dir); err == nil {
		t.Error("seeding succeeded although the CP answered 400")
	}
}

func TestWaitReadyGivesUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	s := &seeder{base: srv.URL, client: srv.Client(), retryEvery: 10 * time.Millisecond}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if err := s.waitReady(ctx); err == nil {
		t.Error("waitReady returned nil for a CP that never got ready")
	}
}
