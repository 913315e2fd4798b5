package promtest

import (
	"os"
	"testing"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/sharedserver"
)

// shared holds the servers of StartOnce, one per data set key, for the
// lifetime of the test binary.
var shared = sharedserver.New[*Server]("promtest", "Prometheus")

// StartOnce returns the Prometheus loaded with the data set named key,
// starting it on first use, so that the tests of a package share one server
// per data set. openMetrics is called only on first use. The server outlives
// the calling test: call StopAll from TestMain after m.Run. (On Linux the
// server is also killed if the test binary dies.)
func StartOnce(t testing.TB, key string, openMetrics func() []byte) *Server {
	t.Helper()
	bins := lookBinaries(t)
	return shared.Get(t, key, func(dir string) (*Server, error) { return start(bins, dir, openMetrics()) })
}

// Main runs a package's tests and then stops the servers they shared:
//
//	func TestMain(m *testing.M) { promtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// StopAll stops every server started by StartOnce and removes its data.
// Main calls it; a TestMain that does more calls it after m.Run.
func StopAll() { shared.StopAll() }
