//go:build integration

package meshgraph

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// answerServerEnv, set to "services,edges", makes the test binary serve
// the answers of that synthetic mesh instead of running tests.
const answerServerEnv = "KUMA_BENCH_ANSWER_SERVER"

// startAnswerServer runs this test binary again as the answers' server,
// so that the benchmark process's CPU time is the plugin's alone. The
// child reads its stdin until it closes, so it ends with the benchmark.
func startAnswerServer(b *testing.B, services, edges int) answerServer {
	b.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d,%d", answerServerEnv, services, edges))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = stdin.Close()
		stopped := time.AfterFunc(10*time.Second, func() { _ = cmd.Process.Kill() })
		defer stopped.Stop()
		if err := cmd.Wait(); err != nil {
			b.Errorf("the answer server: %v", err)
		}
	})
	var srv answerServer
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if _, scanErr := fmt.Sscanf(line, "serving %s %d %d", &srv.url, &srv.size, &srv.sent); err != nil || scanErr != nil {
		b.Fatalf("the answer server did not start: %q, %v, %v", line, err, scanErr)
	}
	srv.cpu = func(b *testing.B) time.Duration { return childCPU(b, srv.url) }
	return srv
}

// childCPU asks the answer server for its CPU time so far.
func childCPU(b *testing.B, url string) time.Duration {
	b.Helper()
	resp, err := http.Get(url + "/cpu")
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(body)), 10, 64)
	if err != nil {
		b.Fatalf("the answer server's CPU time %q: %v", body, err)
	}
	return time.Duration(ns)
}

// serveAnswersIfAsked serves the answers and exits when the test binary was
// started by startAnswerServer; otherwise it returns.
func serveAnswersIfAsked() {
	spec := os.Getenv(answerServerEnv)
	if spec == "" {
		return
	}
	if err := serveAnswers(spec); err != nil {
		fmt.Fprintln(os.Stderr, "answer server:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func serveAnswers(spec string) error {
	var services, edges int
	if _, err := fmt.Sscanf(spec, "%d,%d", &services, &edges); err != nil {
		return fmt.Errorf("%s=%q: %w", answerServerEnv, spec, err)
	}
	a, err := renderAnswers(services, edges)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/query", a)
	mux.HandleFunc("/cpu", func(w http.ResponseWriter, _ *http.Request) {
		cpu, _ := processCPU()
		_, _ = fmt.Fprintln(w, int64(cpu))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("serving http://%s %d %d\n", ln.Addr(), a.size, a.sent)
	// The benchmark closes stdin when it is done, or dies.
	_, _ = io.Copy(io.Discard, os.Stdin)
	return srv.Shutdown(context.Background())
}
