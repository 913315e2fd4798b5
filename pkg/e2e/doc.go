// Package e2e holds the end-to-end test: it builds the plugin binary, starts
// it as Grafana does (go-plugin handshake, gRPC) and calls every handler
// against a real Prometheus and a control plane replaying recorded responses.
// Run it with `go test -tags integration ./pkg/e2e/`.
package e2e
