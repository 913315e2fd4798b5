// Package sharedserver keeps one test server per data set for the lifetime
// of a test binary, so that the tests of a package share a loaded server
// instead of each loading the same data. promtest and vmtest use it.
package sharedserver

import (
	"os"
	"sync"
	"testing"
)

// Server is what the pool needs of a server.
type Server interface {
	Stop()
	Log() string
}

// Pool holds the servers started by Get, one per data set key.
type Pool[S Server] struct {
	prefix, product string
	mu              sync.Mutex
	servers         map[string]*entry[S]
}

type entry[S Server] struct {
	once    sync.Once
	srv     S
	started bool
	dir     string
	err     error
}

// New returns an empty pool; prefix names the harness and product the server
// in messages ("promtest", "Prometheus").
func New[S Server](prefix, product string) *Pool[S] {
	return &Pool[S]{prefix: prefix, product: product, servers: map[string]*entry[S]{}}
}

// Get returns the server loaded with the data set named key, calling start
// with a new data directory on first use. The server outlives the calling
// test: StopAll stops it.
func (p *Pool[S]) Get(t testing.TB, key string, start func(dir string) (S, error)) S {
	t.Helper()
	p.mu.Lock()
	e, ok := p.servers[key]
	if !ok {
		e = &entry[S]{}
		p.servers[key] = e
	}
	p.mu.Unlock()

	e.once.Do(func() {
		e.dir, e.err = os.MkdirTemp("", p.prefix+"-")
		if e.err != nil {
			return
		}
		e.srv, e.err = start(e.dir)
		e.started = e.err == nil
	})
	if e.err != nil {
		t.Fatalf("%s: data set %q: %v", p.prefix, key, e.err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s: %s log (data set %q):\n%s", p.prefix, p.product, key, e.srv.Log())
		}
	})
	return e.srv
}

// StopAll stops every server of the pool and removes its data.
func (p *Pool[S]) StopAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for key, e := range p.servers {
		if e.started {
			e.srv.Stop()
		}
		if e.dir != "" {
			_ = os.RemoveAll(e.dir)
		}
		delete(p.servers, key)
	}
}
