// Package vmtest starts a real single-node VictoriaMetrics, loaded with the
// same OpenMetrics samples promtest loads into Prometheus, so that a test can
// run once against each engine. It needs the victoria-metrics binary on PATH:
// without it tests are skipped, unless KUMA_REQUIRE_PROMETHEUS=1 (set in CI),
// which turns the skip into a failure so CI cannot pass vacuously.
package vmtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/serverproc"
)

// binary is the name of the Debian package's server binary.
const binary = "victoria-metrics"

// Server is a running VictoriaMetrics; URL is the base URL of its
// Prometheus-compatible API (queries are under /api/v1/, as in Prometheus).
type Server struct {
	*serverproc.Process
	// Startup is how long startup plus import until visible took.
	Startup time.Duration
}

// Start starts VictoriaMetrics on a fresh data directory with any extra
// command-line flags (such as "-search.maxSamplesPerQuery=100"), imports
// openMetrics (OpenMetrics text ending in "# EOF") and stops it when the
// test ends. On failure the VictoriaMetrics log is printed.
func Start(t testing.TB, openMetrics []byte, flags ...string) *Server {
	t.Helper()
	bin := lookBinary(t)
	s, err := start(bin, t.TempDir(), openMetrics, flags...)
	if err != nil {
		t.Fatalf("vmtest: %v", err)
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("vmtest: VictoriaMetrics log:\n%s", s.Log())
		}
	})
	return s
}

func lookBinary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath(binary)
	if err != nil {
		msg := "vmtest: " + binary + " not found on PATH; install VictoriaMetrics (e.g. apt-get install victoria-metrics) to run this test"
		if os.Getenv(promtest.RequireEnv) == "1" {
			t.Fatal(msg + " (" + promtest.RequireEnv + "=1 requires it)")
		}
		t.Skip(msg)
	}
	return bin
}

func start(bin, dir string, openMetrics []byte, flags ...string) (*Server, error) {
	begin := time.Now()
	text, span, err := PrometheusText(openMetrics)
	if err != nil {
		return nil, err
	}
	p, err := serverproc.Start(bin, dir, func(addr string) []string {
		return append([]string{
			"-httpListenAddr=" + addr,
			"-storageDataPath=" + dir + "/data",
			// Samples older than the retention are dropped on import: keep any
			// test data whatever its timestamps.
			"-retentionPeriod=100y",
			// Imported samples must be visible at once, with no answer cached
			// from before the import.
			"-search.disableCache",
			"-search.latencyOffset=0",
			"-loggerLevel=WARN",
		}, flags...)
	}, func(p *serverproc.Process) error { return p.WaitFor("/health", nil) })
	if err != nil {
		return nil, err
	}
	s := &Server{Process: p}
	if err := s.load(text, span); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\nVictoriaMetrics log:\n%s", err, s.Log())
	}
	s.Startup = time.Since(begin)
	return s, nil
}

// load imports the samples, flushes them to searchable storage and waits
// until the series API lists them over span.
func (s *Server) load(text []byte, span [2]int64) error {
	resp, err := http.Post(s.URL+"/api/v1/import/prometheus", "text/plain", bytes.NewReader(text))
	if err != nil {
		return fmt.Errorf("importing into VictoriaMetrics: %w", err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("importing into VictoriaMetrics: status %d: %s", resp.StatusCode, body)
	}
	if err := s.WaitFor("/internal/force_flush", nil); err != nil {
		return err
	}
	// The data's own span: VictoriaMetrics reads start=0 as "not given".
	series := fmt.Sprintf(`/api/v1/series?match[]=%%7B__name__%%3D~%%22.%%2B%%22%%7D&start=%d&end=%d`,
		span[0]/1000, span[1]/1000+1)
	return s.WaitFor(series, func(body string) bool { return !strings.Contains(body, `"data":[]`) })
}

// PrometheusText turns OpenMetrics text, as envoysim writes it, into the
// Prometheus text format VictoriaMetrics' import API reads: it drops the
// comment lines (HELP, TYPE, EOF) and writes each sample's timestamp,
// seconds in OpenMetrics, as integer milliseconds. It also returns the
// first and last timestamps, in milliseconds.
func PrometheusText(openMetrics []byte) (text []byte, span [2]int64, err error) {
	if !bytes.HasSuffix(bytes.TrimRight(openMetrics, "\n"), []byte("# EOF")) {
		return nil, span, errors.New("the OpenMetrics input must end with \"# EOF\"")
	}
	span = [2]int64{math.MaxInt64, math.MinInt64}
	out := make([]byte, 0, len(openMetrics))
	sc := bufio.NewScanner(bytes.NewReader(openMetrics))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		// The timestamp is the last field: label values may hold spaces,
		// a number may not.
		i := bytes.LastIndexByte(line, ' ')
		if i < 0 || bytes.IndexByte(line[:i], ' ') < 0 {
			return nil, span, fmt.Errorf("line %d: a sample without a timestamp: %q", n, line)
		}
		secs, err := strconv.ParseFloat(string(line[i+1:]), 64)
		if err != nil {
			return nil, span, fmt.Errorf("line %d: timestamp: %w", n, err)
		}
		ms := int64(math.Round(secs * 1000))
		span[0], span[1] = min(span[0], ms), max(span[1], ms)
		out = append(out, line[:i+1]...)
		out = strconv.AppendInt(out, ms, 10)
		out = append(out, '\n')
	}
	if len(out) == 0 {
		return nil, span, errors.New("the OpenMetrics input holds no samples")
	}
	return out, span, sc.Err()
}
