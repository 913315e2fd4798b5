//go:build !integration

package meshgraph

import (
	"net/http/httptest"
	"testing"
)

// startAnswerServer serves the answers of the synthetic mesh from this
// process: the unit tier starts no process.
func startAnswerServer(b *testing.B, services, edges int) answerServer {
	b.Helper()
	a, err := renderAnswers(services, edges)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a)
	b.Cleanup(srv.Close)
	return answerServer{url: srv.URL, size: a.size, sent: a.sent}
}
