package kuma

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// bodyTransport answers every request with body and status, as a control
// plane (or a proxy in front of it) might; no socket is involved.
type bodyTransport struct {
	status int
	body   []byte
}

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: b.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(b.body)), Request: r,
	}, nil
}

// FuzzControlPlaneDecoding answers every call of the client with the same
// arbitrary body, with a success and an error status. No call may panic,
// every error must name the control plane and be downstream, and no
// message may show Go types. The seed corpus (testdata/fuzz/) holds the
// recorded answers of kuma-cp.
func FuzzControlPlaneDecoding(f *testing.F) {
	f.Add(200, []byte(`{"total":1,"items":[{"type":"Mesh","name":"default"}],"next":null}`))
	f.Add(404, []byte(`{"type":"/std-errors","status":404,"title":"Not found","detail":"x"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 || status/100 == 3 {
			status = 200 // redirects and invalid codes are net/http's business
		}
		c, err := NewClient(Config{Address: "http://kuma.invalid:5681", Client: &http.Client{Transport: bodyTransport{status, body}}, MaxPages: 3})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		calls := []func() error{
			func() error { _, err := c.Info(ctx); return err },
			func() error { _, err := c.Meshes(ctx); return err },
			func() error { _, err := c.Mesh(ctx, "default"); return err },
			func() error { _, err := c.Zones(ctx); return err },
			func() error { _, err := c.ServiceInsights(ctx, "default"); return err },
			func() error { _, err := c.MeshServices(ctx, "default"); return err },
			func() error { _, err := c.MeshGateways(ctx, "default"); return err },
			func() error { _, err := c.Dataplanes(ctx, "default"); return err },
		}
		for _, call := range calls {
			err := call()
			if err == nil {
				continue
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "control plane: ") {
				t.Fatalf("error does not name the control plane: %s", msg)
			}
			if !backend.IsDownstreamError(err) {
				t.Fatalf("error is not downstream: %s", msg)
			}
			// The body itself may say anything; Go's decoder names "Go struct field" and "Go value".
			if strings.Contains(msg, "Go struct") || strings.Contains(msg, "Go value") {
				t.Fatalf("error shows Go types: %s", msg)
			}
		}
	})
}
