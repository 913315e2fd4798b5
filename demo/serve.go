package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// service answers HTTP requests. Each request first calls every upstream (so
// the mesh sees a call per edge), then fails if an upstream failed or the
// failure injector says so.
type service struct {
	name         string
	upstreams    []string
	tcpUpstreams []string
	fail         *failureInjector
	client       *http.Client
}

func (s *service) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", s.handle)
	return mux
}

func (s *service) handle(w http.ResponseWriter, r *http.Request) {
	var failures []string
	for _, u := range s.upstreams {
		if err := callHTTP(r.Context(), s.client, u); err != nil {
			failures = append(failures, err.Error())
		}
	}
	for _, addr := range s.tcpUpstreams {
		if err := callTCP(r.Context(), addr); err != nil {
			failures = append(failures, err.Error())
		}
	}
	if len(failures) > 0 {
		http.Error(w, s.name+": upstream failed: "+strings.Join(failures, "; "), http.StatusBadGateway)
		return
	}
	if s.fail.next() {
		http.Error(w, s.name+": injected failure", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintf(w, "%s: ok\n", s.name)
}

// callHTTP sends one GET and treats transport errors and 5xx as failures.
func callHTTP(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 500 {
		return fmt.Errorf("%s answered %d", url, resp.StatusCode)
	}
	return nil
}

// splitList turns "a, b,,c" into [a b c].
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve on; 127.0.0.1 so that other services reach it only through the data plane proxy")
	name := fs.String("name", "demo", "service name used in responses and logs")
	upstreams := fs.String("upstreams", "", "comma-separated HTTP URLs called on every request (local DP outbounds such as http://127.0.0.1:10001/)")
	tcpUpstreams := fs.String("tcp-upstreams", "", "comma-separated host:port of TCP echo servers called on every request")
	failShare := fs.Float64("fail-share", 0, "share of requests answered with 503, between 0 and 1")
	load := fs.String("load", "", "comma-separated URLs this process requests continuously (traffic generator)")
	rps := fs.Float64("rps", 5, "requests per second sent to each -load URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fail, err := newFailureInjector(*failShare)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 5 * time.Second}
	svc := &service{
		name: *name, upstreams: splitList(*upstreams), tcpUpstreams: splitList(*tcpUpstreams),
		fail: fail, client: client,
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	for _, target := range splitList(*load) {
		go generateLoad(ctx, client, target, *rps)
	}

	srv := &http.Server{Addr: *listen, Handler: svc.routes(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("%s: serving on %s (upstreams %v, tcp %v, fail share %v)", *name, *listen, svc.upstreams, svc.tcpUpstreams, *failShare)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// generateLoad requests url at rps until ctx ends and logs a summary every
// 30 seconds, which is the quickest way to see from `docker compose logs`
// whether traffic flows.
func generateLoad(ctx context.Context, c *http.Client, url string, rps float64) {
	if rps <= 0 {
		return
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / rps))
	defer tick.Stop()
	report := time.NewTicker(30 * time.Second)
	defer report.Stop()
	var ok, failed int
	for {
		select {
		case <-ctx.Done():
			return
		case <-report.C:
			log.Printf("load %s: %d ok, %d failed in the last 30s", url, ok, failed)
			ok, failed = 0, 0
		case <-tick.C:
			if err := callHTTP(ctx, c, url); err != nil {
				failed++
			} else {
				ok++
			}
		}
	}
}
