package vmtest

import (
	"os"
	"sync"
	"testing"
)

// shared holds the servers of StartOnce, one per data set key, for the
// lifetime of the test binary.
var shared = struct {
	sync.Mutex
	servers map[string]*sharedServer
}{servers: map[string]*sharedServer{}}

type sharedServer struct {
	once sync.Once
	srv  *Server
	dir  string
	err  error
}

// StartOnce returns the VictoriaMetrics loaded with the data set named key,
// starting it on first use, so that the tests of a package share one server
// per data set. openMetrics is called only on first use. The server outlives
// the calling test: call StopAll from TestMain after m.Run. (On Linux the
// server is also killed if the test binary dies.)
func StartOnce(t testing.TB, key string, openMetrics func() []byte) *Server {
	t.Helper()
	bin := lookBinary(t)
	shared.Lock()
	s, ok := shared.servers[key]
	if !ok {
		s = &sharedServer{}
		shared.servers[key] = s
	}
	shared.Unlock()

	s.once.Do(func() {
		s.dir, s.err = os.MkdirTemp("", "vmtest-")
		if s.err != nil {
			return
		}
		s.srv, s.err = start(bin, s.dir, openMetrics())
	})
	if s.err != nil {
		t.Fatalf("vmtest: data set %q: %v", key, s.err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("vmtest: VictoriaMetrics log (data set %q):\n%s", key, s.srv.Log())
		}
	})
	return s.srv
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
func StopAll() {
	shared.Lock()
	defer shared.Unlock()
	for key, s := range shared.servers {
		if s.srv != nil {
			s.srv.Stop()
		}
		if s.dir != "" {
			_ = os.RemoveAll(s.dir)
		}
		delete(shared.servers, key)
	}
}
