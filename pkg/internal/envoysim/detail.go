package envoysim

import (
	"fmt"
	"maps"
	"math"
)

// The families below are what the shipped dashboards read beyond the
// service map: connection times, the failure counters of Envoy's cluster
// manager, health checks, outlier ejections and HTTP RBAC. Their values are
// plausible rather than truth-checked: dashboard tests check that every
// panel finds its series, the service-map tests check numbers.

// emitCallDetail writes the connection and failure families of a call on
// its caller and on its callees' inbound clusters.
func (s Scenario) emitCallDetail(r *registry, c Call) {
	p := s.proxy(c.From)
	cx, _, _ := c.traffic()
	errs := c.Requests[5]
	s.emitClusterDetail(r, s.clusterLabels(p, c.ClusterName), cx, errs, true)
	callees := s.callees(c)
	for _, q := range callees {
		share := 1 / float64(len(callees))
		s.emitClusterDetail(r, s.clusterLabels(q, inboundCluster(q, c.To)), cx*share, errs*share, false)
		if !c.TCP {
			hcm := s.proxyLabels(q)
			r.counter("envoy_http_rbac_allowed", hcm, c.totalRequests()*share)
			r.counter("envoy_http_rbac_denied", hcm, 0)
		}
	}
}

// emitClusterDetail writes one cluster's connection histograms and failure
// counters: cx connections and errs server errors over the window.
func (s Scenario) emitClusterDetail(r *registry, l labels, cx, errs float64, outbound bool) {
	ccum, csum := latencyHistogram(cx, 1)
	r.histogram("envoy_cluster_upstream_cx_connect_ms", l, EnvoyBucketsMs, ccum, csum)
	lcum, lsum := latencyHistogram(cx, 30000)
	r.histogram("envoy_cluster_upstream_cx_length_ms", l, EnvoyBucketsMs, lcum, lsum)
	for name, share := range map[string]float64{
		"envoy_cluster_upstream_cx_connect_timeout":               0.01,
		"envoy_cluster_upstream_cx_connect_fail":                  0.02,
		"envoy_cluster_upstream_rq_rx_reset":                      0.05,
		"envoy_cluster_upstream_rq_tx_reset":                      0.01,
		"envoy_cluster_upstream_cx_destroy_remote_with_active_rq": 0.03,
		"envoy_cluster_upstream_cx_destroy_local_with_active_rq":  0.01,
		"envoy_cluster_upstream_rq_pending_failure_eject":         0.01,
		"envoy_cluster_upstream_cx_overflow":                      0.02,
		"envoy_cluster_upstream_rq_retry_overflow":                0.01,
	} {
		r.counter(name, l, math.Round(errs*share))
	}
	if !outbound {
		return
	}
	r.gauge("envoy_cluster_health_check_healthy", l, 1)
	r.counter("envoy_cluster_outlier_detection_ejections_enforced_total", l, math.Round(errs/100))
	// Retries (rq_retry is written with the requests) mostly succeed.
	r.counter("envoy_cluster_upstream_rq_retry_success", l, math.Round(errs*0.4))
	r.counter("envoy_cluster_upstream_rq_per_try_timeout", l, math.Round(errs*0.02))
	r.counter("envoy_cluster_lb_healthy_panic", l, 0)
	for _, cb := range []string{"cx_open", "rq_open", "rq_pending_open"} {
		r.gauge("envoy_cluster_circuit_breakers_default_"+cb, l, 0)
	}
	r.gauge("envoy_cluster_circuit_breakers_default_remaining_rq", l, 1024)
	r.gauge("envoy_cluster_circuit_breakers_default_remaining_cx", l, 1024)
	r.gauge("envoy_cluster_circuit_breakers_default_remaining_pending", l, 1024)
	r.counter("envoy_cluster_ssl_handshake", l, cx)
	r.counter("envoy_cluster_upstream_rq_cancelled", l, math.Round(errs*0.01))
	r.counter("envoy_cluster_upstream_rq_max_duration_reached", l, 0)
	r.gauge("envoy_cluster_upstream_rq_active", l, math.Ceil(cx/s.window()*10))
	r.gauge("envoy_cluster_upstream_rq_pending_active", l, 0)
	r.gauge("envoy_cluster_membership_degraded", l, 0)
	r.counter("envoy_cluster_upstream_cx_destroy", l, cx)
	r.counter("envoy_cluster_upstream_cx_destroy_remote", l, math.Round(cx*0.3))
	pcum, psum := latencyHistogram(cx, 20)
	r.histogram("envoy_cluster_upstream_rq_per_cx", l, EnvoyBucketsMs, pcum, psum)
}

// emitInboundDetail writes an inbound HCM's protocol, close and byte
// counters: n requests on cx connections carrying tx bytes from clients and
// rx bytes back. Requests split 3:1 between HTTP/1.1 and HTTP/2.
func (s Scenario) emitInboundDetail(r *registry, hcm labels, n, cx, tx, rx float64) {
	r.counter("envoy_http_downstream_rq_http1_total", hcm, n*0.75)
	r.counter("envoy_http_downstream_rq_http2_total", hcm, n*0.25)
	r.counter("envoy_http_no_route", hcm, 0)
	r.gauge("envoy_http_downstream_rq_active", hcm, math.Ceil(n/s.window()))
	r.counter("envoy_http_downstream_cx_destroy_remote", hcm, cx*0.9)
	r.counter("envoy_http_downstream_cx_destroy_local", hcm, cx*0.1)
	r.counter("envoy_http_downstream_cx_rx_bytes_total", hcm, tx)
	r.counter("envoy_http_downstream_cx_tx_bytes_total", hcm, rx)
}

// emitProxyDetail writes per-proxy families: the CP identifier (an Envoy
// text readout, exported as a 0-valued series with text_value).
func (s Scenario) emitProxyDetail(r *registry, p Proxy, cp string) {
	l := s.proxyLabels(p)
	r.gauge("envoy_control_plane_identifier", l.with("text_value", cp), 0)
	days := float64(1 + hash(p.Name)%30)
	r.gauge("envoy_server_days_until_first_cert_expiring", l, days)
	r.counter("envoy_cluster_manager_cds_update_rejected", l, 0)
	r.counter("envoy_listener_manager_lds_update_rejected", l, 0)
	// mTLS on the inbound listener: one handshake per connection.
	in := l.with("envoy_listener_address", "0.0.0.0_"+fmt.Sprint(p.port(p.PrimaryService())))
	r.counter("envoy_listener_ssl_handshake", in, s.window()/10)
	r.counter("envoy_listener_ssl_connection_error", in, 0)
	r.counter("envoy_listener_server_ssl_socket_factory_ssl_context_update_by_sds", in, 1)
	// The same expiry per listener certificate, as a Unix time: days after
	// End, so at End both gauges agree.
	cert := in.with("envoy_tls_certificate", "identity_cert:secret:"+s.meshOf(p))
	r.gauge("envoy_listener_ssl_certificate_expiration_unix_time_seconds", cert, float64(s.End.Unix())+days*86400)
}

func init() {
	maps.Copy(helps, map[string]string{
		"envoy_listener_ssl_certificate_expiration_unix_time_seconds": "Unix time at which the listener's certificate expires.",
		"envoy_cluster_upstream_cx_connect_ms":                        "Upstream connection establishment time in milliseconds.",
		"envoy_cluster_upstream_cx_length_ms":                         "Upstream connection length in milliseconds.",
		"envoy_cluster_upstream_cx_connect_timeout":                   "Upstream connection timeouts.",
		"envoy_cluster_upstream_cx_connect_fail":                      "Upstream connection failures.",
		"envoy_cluster_upstream_rq_rx_reset":                          "Responses reset by the upstream.",
		"envoy_cluster_upstream_rq_tx_reset":                          "Requests reset by Envoy.",
		"envoy_cluster_upstream_cx_destroy_remote_with_active_rq":     "Connections closed by the upstream with requests in flight.",
		"envoy_cluster_upstream_cx_destroy_local_with_active_rq":      "Connections closed by Envoy with requests in flight.",
		"envoy_cluster_upstream_rq_pending_failure_eject":             "Pending requests failed by a connection failure or ejection.",
		"envoy_cluster_upstream_cx_overflow":                          "Connections rejected by the connection circuit breaker.",
		"envoy_cluster_upstream_rq_retry_overflow":                    "Retries rejected by the retry circuit breaker.",
		"envoy_cluster_health_check_healthy":                          "Healthy hosts per active health checking.",
		"envoy_cluster_outlier_detection_ejections_enforced":          "Ejections enforced by outlier detection.",
		"envoy_http_rbac_allowed":                                     "Requests allowed by HTTP RBAC.",
		"envoy_http_rbac_denied":                                      "Requests denied by HTTP RBAC.",
		"envoy_control_plane_identifier":                              "Identifier of the management server (text readout).",
	})
}

func init() {
	maps.Copy(helps, map[string]string{
		"envoy_cluster_upstream_rq_retry_success":                            "Retries that succeeded.",
		"envoy_cluster_upstream_rq_per_try_timeout":                          "Request attempts that hit the per-try timeout.",
		"envoy_cluster_lb_healthy_panic":                                     "Load balancing in panic mode (too few healthy hosts).",
		"envoy_cluster_circuit_breakers_default_cx_open":                     "1 while the connection circuit breaker is open.",
		"envoy_cluster_circuit_breakers_default_rq_open":                     "1 while the request circuit breaker is open.",
		"envoy_cluster_circuit_breakers_default_rq_pending_open":             "1 while the pending-request circuit breaker is open.",
		"envoy_cluster_circuit_breakers_default_remaining_rq":                "Requests left before the request circuit breaker opens.",
		"envoy_cluster_circuit_breakers_default_remaining_cx":                "Connections left before the connection circuit breaker opens.",
		"envoy_cluster_circuit_breakers_default_remaining_pending":           "Pending requests left before the pending circuit breaker opens.",
		"envoy_cluster_ssl_handshake":                                        "Successful TLS handshakes to upstream hosts.",
		"envoy_cluster_upstream_rq_cancelled":                                "Requests cancelled before the response.",
		"envoy_cluster_upstream_rq_max_duration_reached":                     "Requests ended by the maximum stream duration.",
		"envoy_cluster_upstream_rq_active":                                   "Active upstream requests.",
		"envoy_cluster_upstream_rq_pending_active":                           "Upstream requests waiting for a connection.",
		"envoy_http_downstream_rq_http1":                                     "HTTP/1.1 requests.",
		"envoy_http_downstream_rq_http2":                                     "HTTP/2 requests.",
		"envoy_http_no_route":                                                "Requests no route matched.",
		"envoy_http_downstream_rq_active":                                    "Active downstream requests.",
		"envoy_http_downstream_cx_destroy_remote":                            "Downstream connections closed by the client.",
		"envoy_http_downstream_cx_destroy_local":                             "Downstream connections closed by Envoy.",
		"envoy_http_downstream_cx_rx_bytes":                                  "Bytes received from downstream.",
		"envoy_http_downstream_cx_tx_bytes":                                  "Bytes sent to downstream.",
		"envoy_listener_server_ssl_socket_factory_ssl_context_update_by_sds": "TLS contexts updated by SDS (certificate rotations).",
	})
}

func init() {
	maps.Copy(helps, map[string]string{
		"envoy_cluster_membership_degraded":        "Degraded endpoints.",
		"envoy_cluster_upstream_cx_destroy":        "Upstream connections closed.",
		"envoy_cluster_upstream_cx_destroy_remote": "Upstream connections closed by the upstream.",
		"envoy_cluster_upstream_rq_per_cx":         "Requests per upstream connection.",
	})
}
