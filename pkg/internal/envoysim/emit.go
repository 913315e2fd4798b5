package envoysim

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
)

// EnvoyBucketsMs are the bounds, in milliseconds, of Envoy's default
// histogram buckets, +Inf last.
var EnvoyBucketsMs = []float64{0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
	60000, 300000, 600000, 1800000, 3600000, math.Inf(1)}

// latencyShape spreads a call's requests over multiples of its median
// latency: 60% at or under the median, a tail of 10% at 5× and 1% at 20×.
var latencyShape = []struct{ factor, share float64 }{
	{0.5, 0.3}, {1, 0.3}, {2, 0.3}, {5, 0.09}, {20, 0.01},
}

// DefaultLatencyMs is the median latency of calls that set none.
const DefaultLatencyMs = 10.0

// latencyHistogram returns the cumulative bucket counts over EnvoyBucketsMs
// and the sum in ms of n requests with median latency medianMs.
func latencyHistogram(n, medianMs float64) (cumulative []float64, sum float64) {
	if medianMs <= 0 {
		medianMs = DefaultLatencyMs
	}
	cumulative = make([]float64, len(EnvoyBucketsMs))
	for _, s := range latencyShape {
		v := medianMs * s.factor
		count := n * s.share
		sum += v * count
		for i, le := range EnvoyBucketsMs {
			if v <= le {
				cumulative[i] += count
			}
		}
	}
	return cumulative, sum
}

// OpenMetrics renders the scenario as OpenMetrics text, deterministic for a
// given scenario. It panics if the scenario is invalid (see Validate): it is
// meant for tests and fixtures.
func (s Scenario) OpenMetrics() []byte {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	r := newRegistry()
	if s.Lean {
		for _, c := range s.Calls {
			s.emitClientLean(r, c)
		}
		return r.write(s.Start, s.End, s.step())
	}
	for _, p := range s.Proxies {
		s.emitProxy(r, p)
		s.emitProxyDetail(r, p, "kuma-control-plane-0-686f")
	}
	for _, c := range s.Calls {
		s.emitClient(r, c)
		s.emitServer(r, c)
		s.emitCallDetail(r, c)
	}
	if s.ControlPlane != nil {
		s.emitControlPlane(r, *s.ControlPlane)
	}
	for _, cp := range s.ControlPlanes {
		s.emitControlPlane(r, cp)
	}
	for _, z := range s.ZoneProxies {
		s.emitZoneProxy(r, z)
	}
	if s.ControlPlane != nil || len(s.ControlPlanes) > 0 {
		emitOtherGoProcess(r)
	}
	return r.write(s.Start, s.End, s.step())
}

// proxyLabels are the target labels of a proxy after relabeling.
func (s Scenario) proxyLabels(p Proxy) labels {
	if p.MeshMetric && p.UnifiedNaming {
		l := labels{
			"job": "kuma-dataplanes", "instance": p.Name, "mesh": s.meshOf(p), "dataplane": p.Name,
			"zone": p.Zone, "kuma_proxy_role": "sidecar",
		}
		if p.Gateway != "" {
			l["kuma_proxy_role"] = "gateway"
		}
		if p.Role != "" {
			l["kuma_proxy_role"] = p.Role
		}
		if p.Workload != "" {
			l["kuma_workload"] = p.Workload
		}
		return l
	}
	l := labels{
		"job":              "kuma-dataplanes",
		"instance":         p.Name,
		"mesh":             s.meshOf(p),
		"dataplane":        p.Name,
		"kuma_io_service":  p.PrimaryService(),
		"kuma_io_services": servicesLabel(p.AllServices()),
		"kuma_io_zone":     p.Zone,
	}
	if p.Gateway != "" {
		l["kuma_io_mesh_gateway"] = p.Gateway
	}
	// On the MeshMetric path kuma-dp adds the dataplane's kuma.io/workload
	// next to the MADS labels (Kuma 2.14, docs/kuma-naming.md).
	if p.MeshMetric && p.Workload != "" {
		l["kuma_workload"] = p.Workload
	}
	return s.relabel(l)
}

// clusterLabels adds envoy_cluster_name and, except on the bootstrap and
// admin clusters, the kuma_io_mesh_traffic label that kuma-dp adds.
func (s Scenario) clusterLabels(p Proxy, cluster string) labels {
	l := s.proxyLabels(p).with("envoy_cluster_name", cluster)
	switch {
	case p.MeshMetric:
	case cluster == "ads_cluster", cluster == "access_log_sink", cluster == "kuma_envoy_admin", cluster == "kuma_metrics_hijacker":
	default:
		l["kuma_io_mesh_traffic"] = "true"
	}
	return l
}

// hcmLabels labels HTTP connection manager stats; kuma-dp marks all but the
// admin ones as mesh traffic.
func (s Scenario) hcmLabels(p Proxy, prefix string) labels {
	l := s.proxyLabels(p).with("envoy_http_conn_manager_prefix", prefix)
	if !p.MeshMetric && prefix != "admin" && prefix != "kuma_envoy_admin" && prefix != "kuma_metrics_prometheus" {
		l["kuma_io_mesh_traffic"] = "true"
	}
	return l
}

// emitProxy writes what every proxy has whatever its traffic: server stats,
// system clusters, the admin listener and idle inbound clusters.
func (s Scenario) emitProxy(r *registry, p Proxy) {
	w := s.window()
	l := s.proxyLabels(p)
	r.gauge("envoy_server_live", l, 1)
	r.rampGauge("envoy_server_uptime", l, w, w)
	r.gauge("envoy_server_memory_allocated", l, float64(20<<20+hash(p.Name)%(10<<20)))
	r.gauge("envoy_server_memory_heap_size", l, float64(48<<20))
	// Envoy's management-server stat (control_plane.connected_state).
	r.gauge("envoy_control_plane_connected_state", l, 1)

	ads := s.clusterLabels(p, "ads_cluster")
	r.gauge("envoy_cluster_upstream_cx_active", ads, 1)
	r.counter("envoy_cluster_upstream_cx_total", ads, 1)
	r.gauge("envoy_cluster_membership_healthy", ads, 1)
	adminCluster := "kuma_envoy_admin"
	if p.UnifiedNaming {
		adminCluster = "system_envoy_admin"
	}
	admin := s.clusterLabels(p, adminCluster)
	r.counter("envoy_cluster_upstream_rq_total", admin, w/15) // one scrape per 15 s
	r.gauge("envoy_cluster_upstream_cx_active", admin, 0)
	pass := s.clusterLabels(p, "outbound_passthrough_ipv4")
	r.counter("envoy_cluster_upstream_cx_total", pass, 0)
	r.gauge("envoy_cluster_upstream_cx_active", pass, 0)
	r.counter("envoy_http_downstream_rq_xx", s.hcmLabels(p, "admin").with("envoy_response_code_class", "2"), w/15)

	if p.Delegated {
		return
	}
	for _, svc := range p.AllServices() {
		in := s.clusterLabels(p, inboundCluster(p, svc))
		r.counter("envoy_cluster_upstream_cx_total", in, 0)
		r.gauge("envoy_cluster_upstream_cx_active", in, 0)
		r.gauge("envoy_cluster_membership_healthy", in, 1)
	}
}

func inboundCluster(p Proxy, svc string) string {
	if p.UnifiedNaming {
		return fmt.Sprintf("self_inbound_dp_%d", p.port(svc))
	}
	return fmt.Sprintf("localhost_%d", p.port(svc))
}

// emitClient writes the caller's outbound cluster stats of a call.
func (s Scenario) emitClient(r *registry, c Call) {
	p := s.proxy(c.From)
	l := s.clusterLabels(p, c.ClusterName)
	w := s.window()
	cx, tx, rx := c.traffic()
	r.counter("envoy_cluster_upstream_cx_total", l, cx)
	r.counter("envoy_cluster_upstream_cx_tx_bytes_total", l, tx)
	r.counter("envoy_cluster_upstream_cx_rx_bytes_total", l, rx)
	r.gauge("envoy_cluster_upstream_cx_active", l, math.Ceil(cx/w*30)) // connections live ~30 s
	endpoints := max(1, len(s.callees(c)))
	r.gauge("envoy_cluster_membership_healthy", l, float64(endpoints))
	r.gauge("envoy_cluster_membership_total", l, float64(endpoints))
	r.counter("envoy_cluster_health_check_success", l, float64(endpoints)*w/10) // every 10 s
	r.counter("envoy_cluster_health_check_failure", l, 0)
	if c.TCP {
		return
	}
	n := c.totalRequests()
	s.emitRequests(r, "envoy_cluster_upstream_rq", l, c, n)
	// Overflow and ejections follow server errors, so the resilience
	// panels have something to show where the graph shows errors.
	errs := c.Requests[5]
	r.counter("envoy_cluster_upstream_rq_pending_overflow", l, errs/10)
	r.counter("envoy_cluster_upstream_rq_retry", l, errs/2)
	r.counter("envoy_cluster_upstream_rq_timeout", l, errs/20)
	ejected := 0.0
	if n > 0 && errs/n > 0.05 {
		ejected = 1
	}
	r.gauge("envoy_cluster_outlier_detection_ejections_active", l, ejected)
	if p.Gateway != "" {
		// Traffic entering a builtin gateway is counted by its HCM, whose
		// stat prefix is the gateway's service.
		hcm := s.hcmLabels(p, p.PrimaryService())
		s.emitRequests(r, "envoy_http_downstream_rq", hcm, c, n)
		r.counter("envoy_http_downstream_cx_total", hcm, cx)
		r.gauge("envoy_http_downstream_cx_active", hcm, math.Ceil(cx/w*30))
	}
}

// emitRequests writes <prefix>_total, <prefix>_xx per class and the
// <prefix>_time histogram of n requests of call c, scaled by n/total.
func (s Scenario) emitRequests(r *registry, prefix string, l labels, c Call, n float64) {
	total := c.totalRequests()
	scale := 0.0
	if total > 0 {
		scale = n / total
	}
	r.counter(prefix+"_total", l, n)
	s.emitClasses(r, prefix+"_xx", l, c, scale)
	cum, sum := latencyHistogram(n, c.LatencyMs)
	r.histogram(prefix+"_time", l, EnvoyBucketsMs, cum, sum)
}

// callees are the proxies serving a call's destination in the caller's mesh.
func (s Scenario) callees(c Call) []Proxy {
	if c.To == "" {
		return nil
	}
	mesh := s.meshOf(s.proxy(c.From))
	var out []Proxy
	for _, p := range s.Proxies {
		if s.meshOf(p) != mesh || p.Delegated || c.ToZone != "" && p.Zone != c.ToZone {
			continue
		}
		if slices.Contains(p.AllServices(), c.To) {
			out = append(out, p)
		}
	}
	return out
}

// emitServer writes the inbound side of a call on its callees, split evenly.
func (s Scenario) emitServer(r *registry, c Call) {
	callees := s.callees(c)
	if len(callees) == 0 {
		return
	}
	share := 1 / float64(len(callees))
	w := s.window()
	cx, tx, rx := c.traffic()
	for _, q := range callees {
		cluster := inboundCluster(q, c.To)
		l := s.clusterLabels(q, cluster)
		r.counter("envoy_cluster_upstream_cx_total", l, cx*share)
		r.counter("envoy_cluster_upstream_cx_tx_bytes_total", l, rx*share)
		r.counter("envoy_cluster_upstream_cx_rx_bytes_total", l, tx*share)
		r.gauge("envoy_cluster_upstream_cx_active", l, math.Ceil(cx*share/w*30))
		r.counter("envoy_rbac_allowed", s.proxyLabels(q), cx*share)
		r.counter("envoy_rbac_denied", s.proxyLabels(q), 0)
		if c.TCP {
			continue
		}
		n := c.totalRequests() * share
		s.emitRequests(r, "envoy_cluster_upstream_rq", l, c, n)
		hcm := s.hcmLabels(q, cluster)
		s.emitRequests(r, "envoy_http_downstream_rq", hcm, c, n)
		r.counter("envoy_http_downstream_cx_total", hcm, cx*share)
		r.gauge("envoy_http_downstream_cx_active", hcm, math.Ceil(cx*share/w*30))
		s.emitInboundDetail(r, hcm, n, cx*share, tx*share, rx*share)
	}
}

// hash gives per-proxy variety that is stable across runs.
func hash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}
