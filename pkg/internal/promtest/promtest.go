// Package promtest starts a real Prometheus server, loaded with OpenMetrics
// samples, for tests. It needs the prometheus and promtool binaries on PATH:
// without them tests are skipped, unless KUMA_REQUIRE_PROMETHEUS=1 (set in
// CI), which turns the skip into a failure so CI cannot pass vacuously.
package promtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/logbuf"
)

// RequireEnv is the environment variable that makes a missing Prometheus a
// test failure instead of a skip.
const RequireEnv = "KUMA_REQUIRE_PROMETHEUS"

// readyTimeout bounds how long Start waits for Prometheus to load the blocks.
const readyTimeout = 30 * time.Second

// config has no scrape targets: the only data is the imported blocks.
const config = "global:\n  scrape_interval: 1h\n  evaluation_interval: 1h\nscrape_configs: []\n"

// Server is a running Prometheus.
type Server struct {
	// URL is the base URL of the HTTP API, e.g. http://127.0.0.1:40123.
	URL string
	// Startup is how long block creation plus startup until ready took.
	Startup time.Duration

	cmd  *exec.Cmd
	log  *logbuf.Buffer
	dir  string
	done chan struct{}
}

// Start imports openMetrics (OpenMetrics text ending in "# EOF") into a fresh
// TSDB, starts Prometheus on it with any extra command-line flags (such as
// "--query.max-samples=100") and stops it when the test ends. On failure
// the Prometheus log is printed.
func Start(t testing.TB, openMetrics []byte, flags ...string) *Server {
	t.Helper()
	bins := lookBinaries(t)
	dir := t.TempDir()
	s, err := start(bins, dir, openMetrics, flags...)
	if err != nil {
		t.Fatalf("promtest: %v", err)
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("promtest: Prometheus log:\n%s", s.Log())
		}
	})
	return s
}

// Stop kills Prometheus and waits for it to exit. It is safe to call twice.
func (s *Server) Stop() {
	select {
	case <-s.done:
	default:
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// Log returns what Prometheus wrote to stdout and stderr so far.
func (s *Server) Log() string { return s.log.String() }

type binaries struct{ prometheus, promtool string }

func lookBinaries(t testing.TB) binaries {
	t.Helper()
	var b binaries
	var missing []string
	var err error
	if b.prometheus, err = exec.LookPath("prometheus"); err != nil {
		missing = append(missing, "prometheus")
	}
	if b.promtool, err = exec.LookPath("promtool"); err != nil {
		missing = append(missing, "promtool")
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("promtest: %s not found on PATH; install Prometheus (e.g. apt-get install prometheus) to run this test",
			strings.Join(missing, " and "))
		if os.Getenv(RequireEnv) == "1" {
			t.Fatal(msg + " (" + RequireEnv + "=1 requires it)")
		}
		t.Skip(msg)
	}
	return b
}

func start(bins binaries, dir string, openMetrics []byte, flags ...string) (*Server, error) {
	if !bytes.HasSuffix(bytes.TrimRight(openMetrics, "\n"), []byte("# EOF")) {
		return nil, errors.New("the OpenMetrics input must end with \"# EOF\"")
	}
	begin := time.Now()
	data := filepath.Join(dir, "data")
	if err := makeBlocks(bins.promtool, openMetrics, data); err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		return nil, err
	}
	// A free port can be taken between Listen and Prometheus binding it;
	// retry a few times rather than fail flakily.
	var lastErr error
	for range 3 {
		s, err := launch(bins.prometheus, dir, data, cfg, flags)
		if err == nil {
			s.Startup = time.Since(begin)
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func launch(bin, dir, data, cfg string, flags []string) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + addr, log: &logbuf.Buffer{}, dir: dir, done: make(chan struct{})}
	args := []string{
		"--config.file=" + cfg,
		"--storage.tsdb.path=" + data,
		"--web.listen-address=" + addr,
		// Retention counts back from the newest block, so a long one keeps
		// every imported block whatever its age.
		"--storage.tsdb.retention.time=100y",
	}
	s.cmd = exec.Command(bin, append(args, flags...)...)
	s.cmd.Dir = dir
	s.cmd.Stdout = s.log
	s.cmd.Stderr = s.log
	setProcAttr(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting prometheus: %w", err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\nPrometheus log:\n%s", err, s.Log())
	}
	return s, nil
}

// waitReady polls /-/ready and then checks that the imported series are
// visible through the query API.
func (s *Server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	// Wide enough for any test data, from 1970 to 2100. The metric names
	// come from the blocks' index, cheap even when a benchmark loads a
	// quarter of a million series (listing the series took over 30 s).
	check := []string{
		"/-/ready",
		`/api/v1/label/__name__/values?start=0&end=4102444800`,
	}
	for _, path := range check {
		for {
			ok, err := s.get(ctx, path)
			if ok {
				break
			}
			select {
			case <-s.done:
				return fmt.Errorf("prometheus exited before it was ready (%s)", s.cmd.ProcessState)
			case <-ctx.Done():
				return fmt.Errorf("prometheus not ready after %s: GET %s: %w", readyTimeout, path, err)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	return nil
}

// get reports whether path answers 200 with a non-empty data list.
func (s *Server) get(ctx context.Context, path string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if err != nil {
		return false, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, err
	}
	defer func() { _ = resp.Body.Close() }()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("status %d: %s", resp.StatusCode, body.String())
	}
	if strings.HasPrefix(path, "/api/") && strings.Contains(body.String(), `"data":[]`) {
		return false, errors.New("no series loaded yet")
	}
	return true, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
