// Package e2e tests the built plugin binary, started as Grafana starts it
// (go-plugin handshake, gRPC), against a real Prometheus and a control plane
// replaying recorded responses: every handler (e2e_test.go), misbehaving
// upstreams and settings (faults_test.go), the README's example alert rules
// as alerting sends them (alert_rules_test.go), and a large mesh against the
// bare requests it makes (scale_test.go, a benchmark with a small test run).
// Run it with `go test -tags integration ./pkg/e2e/`.
package e2e
