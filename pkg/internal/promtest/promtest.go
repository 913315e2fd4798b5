// Package promtest starts a real Prometheus server, loaded with OpenMetrics
// samples, for tests. It needs the prometheus and promtool binaries on PATH:
// without them tests are skipped, unless KUMA_REQUIRE_PROMETHEUS=1 (set in
// CI), which turns the skip into a failure so CI cannot pass vacuously.
package promtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/serverproc"
)

// RequireEnv is the environment variable that makes a missing Prometheus a
// test failure instead of a skip.
const RequireEnv = "KUMA_REQUIRE_PROMETHEUS"

// config has no scrape targets: the only data is the imported blocks.
const config = "global:\n  scrape_interval: 1h\n  evaluation_interval: 1h\nscrape_configs: []\n"

// Server is a running Prometheus; URL is the base URL of its HTTP API.
type Server struct {
	*serverproc.Process
	// Startup is how long block creation plus startup until ready took.
	Startup time.Duration
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
	p, err := serverproc.Start(bins.prometheus, dir, func(addr string) []string {
		return append([]string{
			"--config.file=" + cfg,
			"--storage.tsdb.path=" + data,
			"--web.listen-address=" + addr,
			// Retention counts back from the newest block, so a long one keeps
			// every imported block whatever its age.
			"--storage.tsdb.retention.time=100y",
		}, flags...)
	}, waitReady)
	if err != nil {
		return nil, err
	}
	return &Server{Process: p, Startup: time.Since(begin)}, nil
}

// waitReady waits for /-/ready and then for the imported series to be
// visible through the query API.
func waitReady(p *serverproc.Process) error {
	if err := p.WaitFor("/-/ready", nil); err != nil {
		return err
	}
	// Wide enough for any test data, from 1970 to 2100. The metric names
	// come from the blocks' index, cheap even when a benchmark loads a
	// quarter of a million series (listing the series took over 30 s).
	return p.WaitFor(`/api/v1/label/__name__/values?start=0&end=4102444800`,
		func(body string) bool { return !strings.Contains(body, `"data":[]`) })
}
