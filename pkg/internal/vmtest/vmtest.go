// Package vmtest starts a real single-node VictoriaMetrics, loaded with the
// same OpenMetrics samples promtest loads into Prometheus, so that a test can
// run once against each engine. It needs the victoria-metrics binary on PATH:
// without it tests are skipped, unless KUMA_REQUIRE_PROMETHEUS=1 (set in CI),
// which turns the skip into a failure so CI cannot pass vacuously.
package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/logbuf"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
)

// binary is the name of the Debian package's server binary.
const binary = "victoria-metrics"

// readyTimeout bounds how long Start waits for the server and the import.
const readyTimeout = 30 * time.Second

// Server is a running VictoriaMetrics.
type Server struct {
	// URL is the base URL of the Prometheus-compatible API, e.g.
	// http://127.0.0.1:40123 (queries are under /api/v1/, as in Prometheus).
	URL string
	// Startup is how long startup plus import until visible took.
	Startup time.Duration

	cmd  *exec.Cmd
	log  *logbuf.Buffer
	done chan struct{}
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

// Stop kills VictoriaMetrics and waits for it to exit. It is safe to call
// twice.
func (s *Server) Stop() {
	select {
	case <-s.done:
	default:
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// Log returns what VictoriaMetrics wrote to stdout and stderr so far.
func (s *Server) Log() string { return s.log.String() }

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
	// A free port can be taken between Listen and VictoriaMetrics binding
	// it; retry a few times rather than fail flakily.
	var s *Server
	for range 3 {
		if s, err = launch(bin, dir, flags); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.load(text, span); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\nVictoriaMetrics log:\n%s", err, s.Log())
	}
	s.Startup = time.Since(begin)
	return s, nil
}

func launch(bin, dir string, flags []string) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + addr, log: &logbuf.Buffer{}, done: make(chan struct{})}
	args := []string{
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
	}
	s.cmd = exec.Command(bin, append(args, flags...)...)
	s.cmd.Dir = dir
	s.cmd.Stdout = s.log
	s.cmd.Stderr = s.log
	setProcAttr(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", binary, err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.done)
	}()
	if err := s.waitFor("/health", func(string) bool { return true }); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\nVictoriaMetrics log:\n%s", err, s.Log())
	}
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
	if err := s.waitFor("/internal/force_flush", func(string) bool { return true }); err != nil {
		return err
	}
	// The data's own span: VictoriaMetrics reads start=0 as "not given".
	series := fmt.Sprintf(`/api/v1/series?match[]=%%7B__name__%%3D~%%22.%%2B%%22%%7D&start=%d&end=%d`,
		span[0]/1000, span[1]/1000+1)
	return s.waitFor(series, func(body string) bool { return !strings.Contains(body, `"data":[]`) })
}

// waitFor polls path until it answers 200 with a body ok accepts.
func (s *Server) waitFor(path string, ok func(body string) bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	for {
		body, err := s.get(ctx, path)
		if err == nil && ok(body) {
			return nil
		}
		if err == nil {
			err = errors.New("not loaded yet")
		}
		select {
		case <-s.done:
			return fmt.Errorf("%s exited before it was ready (%s)", binary, s.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("%s not ready after %s: GET %s: %w", binary, readyTimeout, path, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Server) get(ctx context.Context, path string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return string(body), nil
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

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
