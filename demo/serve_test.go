package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func newTestService(t *testing.T, share float64, upstreams, tcp []string) *httptest.Server {
	t.Helper()
	fail, err := newFailureInjector(share)
	if err != nil {
		t.Fatal(err)
	}
	svc := &service{name: "frontend", upstreams: upstreams, tcpUpstreams: tcp, fail: fail,
		client: &http.Client{Timeout: 2 * time.Second}}
	srv := httptest.NewServer(svc.routes())
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func startEcho(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = serveEcho(ln) }()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

func TestServiceAnswers(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer healthy.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer broken.Close()
	echo := startEcho(t)

	tests := []struct {
		name       string
		share      float64
		upstreams  []string
		tcp        []string
		wantStatus int
		wantBody   string
	}{
		{name: "no upstreams and no failures answers 200", wantStatus: 200, wantBody: "frontend: ok"},
		{name: "healthy HTTP and TCP upstreams answer 200", upstreams: []string{healthy.URL}, tcp: []string{echo},
			wantStatus: 200, wantBody: "frontend: ok"},
		{name: "a failing HTTP upstream turns into 502", upstreams: []string{healthy.URL, broken.URL},
			wantStatus: 502, wantBody: "answered 503"},
		{name: "an unreachable TCP upstream turns into 502", tcp: []string{"127.0.0.1:1"},
			wantStatus: 502, wantBody: "upstream failed"},
		{name: "a share of one injects 503", share: 1, wantStatus: 503, wantBody: "injected failure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestService(t, tt.share, tt.upstreams, tt.tcp)
			status, body := get(t, srv.URL+"/")
			if status != tt.wantStatus || !strings.Contains(body, tt.wantBody) {
				t.Errorf("got %d %q, want %d containing %q", status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestServiceHealthzIgnoresInjectedFailures(t *testing.T) {
	srv := newTestService(t, 1, nil, nil)
	if status, _ := get(t, srv.URL+"/healthz"); status != 200 {
		t.Errorf("healthz answered %d, want 200", status)
	}
}

func TestCallTCPEchoes(t *testing.T) {
	if err := callTCP(t.Context(), startEcho(t)); err != nil {
		t.Errorf("echo call failed: %v", err)
	}
}

func TestProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ready" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	if err := probe(t.Context(), srv.URL+"/ready"); err != nil {
		t.Errorf("probe of a ready endpoint failed: %v", err)
	}
	if err := probe(t.Context(), srv.URL+"/missing"); err == nil {
		t.Error("probe of a 404 succeeded, want an error")
	}
	if err := probe(t.Context(), "tcp://"+startEcho(t)); err != nil {
		t.Errorf("probe of a listening TCP port failed: %v", err)
	}
	if err := probe(t.Context(), "tcp://127.0.0.1:1"); err == nil {
		t.Error("probe of a closed TCP port succeeded, want an error")
	}
}

func TestSplitList(t *testing.T) {
	got := splitList(" a, b,,c ,")
	if strings.Join(got, "|") != "a|b|c" {
		t.Errorf("splitList = %q", got)
	}
	if splitList("") != nil {
		t.Error("splitList of an empty string is not empty")
	}
}

func TestRunRejectsUnknownCommands(t *testing.T) {
	var out strings.Builder
	if code := run([]string{"nope"}, &out); code != 2 || !strings.Contains(out.String(), "unknown command") {
		t.Errorf("run(nope) = %d, %q", code, out.String())
	}
	if code := run([]string{"serve", "-fail-share=2"}, &out); code != 1 {
		t.Errorf("serve with a share of 2 exited %d, want 1", code)
	}
}
