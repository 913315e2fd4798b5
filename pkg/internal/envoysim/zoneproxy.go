package envoysim

import "maps"

import "math"

// ZoneProxy is a Zone Ingress or Zone Egress proxy. Kuma does not list
// them for kuma_sd_configs, so they are scraped by a job of their own,
// labelled as Kuma 2.14's zone-proxy dashboards expect: job
// kuma-zone-proxies, proxy ingress or egress, zone.
type ZoneProxy struct {
	Name, Zone string
	// Role is "ingress" or "egress".
	Role string
	// Destinations are the clusters the proxy forwards to, each with
	// ConnectionsPerSec over the window.
	Destinations      []string
	ConnectionsPerSec float64
}

// emitZoneProxy writes a zone proxy's server, listener and cluster stats.
func (s Scenario) emitZoneProxy(r *registry, z ZoneProxy) {
	w := s.window()
	l := labels{"job": "kuma-zone-proxies", "instance": z.Name, "proxy": z.Role, "zone": z.Zone}
	r.gauge("envoy_server_live", l, 1)
	r.gauge("envoy_control_plane_connected_state", l, 1)
	r.gauge("envoy_server_days_until_first_cert_expiring", l, 20)
	r.gauge("envoy_server_memory_allocated", l, float64(30<<20+hash(z.Name)%(10<<20)))
	r.counter("envoy_cluster_manager_cds_update_rejected", l, 0)
	r.counter("envoy_listener_manager_lds_update_rejected", l, 0)
	cx := z.ConnectionsPerSec * w
	listener := l.with("envoy_listener_address", "0.0.0.0_10001")
	r.counter("envoy_listener_downstream_cx_total", listener, cx)
	r.gauge("envoy_listener_downstream_cx_active", listener, math.Ceil(z.ConnectionsPerSec*30))
	r.counter("envoy_listener_ssl_handshake", listener, cx)
	r.counter("envoy_listener_ssl_connection_error", listener, math.Round(cx/1000))
	r.counter("envoy_listener_ssl_fail_verify_error", listener, 0)
	r.counter("envoy_listener_downstream_cx_overflow", listener, 0)
	r.counter("envoy_listener_downstream_cx_overload_reject", listener, 0)
	tcp := l.with("envoy_tcp_prefix", z.Role)
	r.counter("envoy_tcp_downstream_cx_rx_bytes_total", tcp, cx*4000)
	r.counter("envoy_tcp_downstream_cx_tx_bytes_total", tcp, cx*16000)
	r.counter("envoy_server_watchdog_miss", l, 0)
	r.counter("envoy_server_watchdog_mega_miss", l, 0)
	r.counter("envoy_listener_manager_lds_update_success", l, w/600)
	r.gauge("envoy_control_plane_pending_requests", l, 0)
	for _, d := range z.Destinations {
		share := cx / float64(len(z.Destinations))
		c := l.with("envoy_cluster_name", d)
		r.counter("envoy_cluster_upstream_cx_total", c, share)
		r.gauge("envoy_cluster_upstream_cx_active", c, math.Ceil(share/w*30))
		r.counter("envoy_cluster_upstream_cx_tx_bytes_total", c, share*4000)
		r.counter("envoy_cluster_upstream_cx_rx_bytes_total", c, share*16000)
		ccum, csum := latencyHistogram(share, 2)
		r.histogram("envoy_cluster_upstream_cx_connect_ms", c, EnvoyBucketsMs, ccum, csum)
		r.counter("envoy_cluster_upstream_cx_connect_fail", c, math.Round(share/500))
		r.counter("envoy_cluster_upstream_cx_connect_timeout", c, 0)
		r.counter("envoy_cluster_upstream_cx_overflow", c, 0)
		r.counter("envoy_cluster_upstream_cx_pool_overflow", c, 0)
		r.counter("envoy_cluster_update_success", c, w/60)
		r.counter("envoy_cluster_update_rejected", c, 0)
		for _, cb := range []string{"cx_open", "rq_open", "rq_pending_open", "rq_retry_open"} {
			r.gauge("envoy_cluster_circuit_breakers_default_"+cb, c, 0)
		}
		r.gauge("envoy_cluster_membership_healthy", c, 2)
		r.gauge("envoy_cluster_membership_total", c, 2)
	}
}

func init() {
	maps.Copy(helps, map[string]string{
		"envoy_server_days_until_first_cert_expiring":          "Days until the first certificate expires.",
		"envoy_cluster_manager_cds_update_rejected":            "CDS updates rejected.",
		"envoy_listener_manager_lds_update_rejected":           "LDS updates rejected.",
		"envoy_listener_downstream_cx":                         "Downstream connections accepted by a listener.",
		"envoy_listener_downstream_cx_active":                  "Active downstream connections of a listener.",
		"envoy_listener_ssl_handshake":                         "Successful TLS handshakes.",
		"envoy_listener_ssl_connection_error":                  "TLS connection errors.",
		"envoy_listener_ssl_fail_verify_error":                 "Peer certificates that failed verification.",
		"envoy_listener_downstream_cx_overflow":                "Connections rejected by the listener connection limit.",
		"envoy_listener_downstream_cx_overload_reject":         "Connections rejected by the overload manager.",
		"envoy_tcp_downstream_cx_rx_bytes":                     "Bytes received from downstream by the TCP proxy.",
		"envoy_tcp_downstream_cx_tx_bytes":                     "Bytes sent to downstream by the TCP proxy.",
		"envoy_server_watchdog_miss":                           "Main thread watchdog misses.",
		"envoy_server_watchdog_mega_miss":                      "Main thread watchdog mega misses.",
		"envoy_listener_manager_lds_update_success":            "LDS updates accepted.",
		"envoy_control_plane_pending_requests":                 "xDS requests not yet answered.",
		"envoy_cluster_upstream_cx_pool_overflow":              "Connections refused by the connection pool circuit breaker.",
		"envoy_cluster_update_success":                         "Cluster membership updates accepted.",
		"envoy_cluster_update_rejected":                        "Cluster membership updates rejected.",
		"envoy_cluster_circuit_breakers_default_rq_retry_open": "1 while the retry circuit breaker is open.",
	})
}
