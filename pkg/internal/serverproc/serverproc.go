// Package serverproc runs a server binary for a test harness: on a free
// 127.0.0.1 port, with its output captured, until it answers. promtest and
// vmtest start their servers with it.
package serverproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/logbuf"
)

// ReadyTimeout bounds each WaitFor.
const ReadyTimeout = 30 * time.Second

// Process is a running server.
type Process struct {
	// URL is the base URL it serves, e.g. http://127.0.0.1:40123.
	URL string

	name  string
	cmd   *exec.Cmd
	log   *logbuf.Buffer
	begin time.Time
	done  chan struct{}
}

// Start runs bin in dir with the command line args returns for the address
// to listen on, and returns once ready does. If the server exits or ready
// fails, it is stopped and the error holds its log. (On Linux the server is
// also killed if the test binary dies.)
func Start(bin, dir string, args func(addr string) []string, ready func(*Process) error) (*Process, error) {
	// A free port can be taken between Listen and the server binding it;
	// retry a few times rather than fail flakily.
	var err error
	for range 3 {
		var p *Process
		if p, err = launch(bin, dir, args); err != nil {
			continue
		}
		if err = ready(p); err != nil {
			p.Stop()
			err = fmt.Errorf("%w\n%s log:\n%s", err, p.name, p.Log())
			continue
		}
		return p, nil
	}
	return nil, err
}

func launch(bin, dir string, args func(addr string) []string) (*Process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p := &Process{
		URL:   "http://" + addr,
		name:  filepath.Base(bin),
		log:   &logbuf.Buffer{},
		begin: time.Now(),
		done:  make(chan struct{}),
	}
	p.cmd = exec.Command(bin, args(addr)...)
	p.cmd.Dir = dir
	p.cmd.Stdout = p.log
	p.cmd.Stderr = p.log
	setProcAttr(p.cmd)
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", p.name, err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Stop kills the server and waits for it to exit. It is safe to call twice.
func (p *Process) Stop() {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// Log returns what the server wrote to stdout and stderr so far.
func (p *Process) Log() string { return p.log.String() }

// WaitFor polls path until it answers 200 with a body ok accepts (any body
// if ok is nil), for at most ReadyTimeout.
func (p *Process) WaitFor(path string, ok func(body string) bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), ReadyTimeout)
	defer cancel()
	for {
		body, err := p.get(ctx, path)
		if err == nil && (ok == nil || ok(body)) {
			return nil
		}
		if err == nil {
			err = errors.New("not loaded yet")
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before it was ready (%s)", p.name, p.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("%s not ready %s after it started: GET %s: %w",
				p.name, time.Since(p.begin).Round(time.Second), path, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (p *Process) get(ctx context.Context, path string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+path, nil)
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

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
