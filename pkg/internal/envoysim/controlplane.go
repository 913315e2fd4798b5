package envoysim

import "math"

// defBuckets are client_golang's default histogram buckets (DefBuckets).
// kuma-cp 2.14 exports its former summaries as histograms over them, also
// where it observes milliseconds (xds_generation, xds_delivery,
// kds_delta_generation): values above 10 ms then land in +Inf only
// (kumahq/kuma#15709).
var defBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, math.Inf(1)}

// emitControlPlane writes kuma-cp metrics (doc §10.7) for the CP dashboard,
// with the names, labels and units of kuma-cp 2.14: every series carries
// the CP's zone (pkg/metrics/metrics.go wraps the registry with it).
func (s Scenario) emitControlPlane(r *registry, cp ControlPlane) {
	if cp.Instance == "" {
		cp.Instance = "kuma-control-plane:5680"
	}
	if cp.Version == "" {
		cp.Version = "2.14.3"
	}
	if cp.Zone == "" {
		cp.Zone = "default"
	}
	w := s.window()
	l := labels{"job": "kuma-cp", "instance": cp.Instance, "zone": cp.Zone}
	// pkg/metrics/components/cp_info.go: version.Build.AsMap() (git_commit
	// cut to 7 characters) plus instance_id and cluster_id, here those of
	// the recorded 2.14.3 CP (testdata/kuma-cp-2.14.3/index.json).
	r.gauge("cp_info", l.with(
		"product", "Kuma", "version", cp.Version, "git_tag", "v"+cp.Version, "git_commit", "0000000",
		"build_date", "2026-01-01T00:00:00Z", "instance_id", "kuma-control-plane-0-686f", "cluster_id", "2b50559b-7812-4c84-94a0-eaef1dca708c",
	), 1)
	r.gauge("leader", l, 1)

	meshes := map[string]bool{}
	gateways := map[string]bool{}
	for _, p := range s.Proxies {
		meshes[s.meshOf(p)] = true
		if p.Gateway != "" {
			gateways[s.meshOf(p)+"/"+p.Gateway] = true
		}
	}
	dps := float64(len(s.Proxies))
	r.gauge("resources_count", l.with("resource_type", "Mesh"), float64(len(meshes)))
	r.gauge("resources_count", l.with("resource_type", "Dataplane"), dps)
	r.gauge("resources_count", l.with("resource_type", "MeshGateway"), float64(len(gateways)))

	s.emitXDS(r, l, dps, w, cp.Summaries)
	emitKDS(r, l, cp, w)
	emitControlPlaneDetail(r, l, cp, dps, w)
	// The identity certificate expires 20 days after the window ends.
	r.gauge("xds_cert_expiration_timestamp_seconds", l.with("mesh", "default"), float64(s.End.Unix()+20*86400))

	// pkg/metrics/store: seconds, by operation and resource_type; the cached
	// manager counts hits and misses (pkg/core/resources/manager/cache.go).
	for _, op := range []string{"get", "list", "update"} {
		for _, t := range []string{"Dataplane", "DataplaneInsight", "Mesh"} {
			latency(r, cp.Summaries, "store", l.with("operation", op, "resource_type", t), w/10, 0.002)
		}
	}
	for result, share := range map[string]float64{"hit": 0.9, "hit-wait": 0.02, "miss": 0.08} {
		r.counter("store_cache", l.with("operation", "get", "resource_type", "Mesh", "result", result), share*w)
	}
	// go-http-metrics with prefix api_server: seconds, handler = route.
	for _, h := range []string{"/meshes", "/meshes/{mesh}/service-insights", "/meshes/{mesh}/dataplanes/_overview", "/zones"} {
		acum, asum := defBucketsHistogram(w/30, 0.02)
		r.histogram("api_server_http_request_duration_seconds", l.with("handler", h, "method", "GET", "code", "200"), defBuckets, acum, asum)
	}

	r.gauge("go_goroutines", l, 350)
	r.gauge("go_threads", l, 20)
	r.gauge("go_memstats_alloc_bytes", l, 80<<20)
	r.gauge("process_resident_memory_bytes", l, 160<<20)
	r.counter("process_cpu_seconds_total", l, 0.05*w)
}

// emitXDS writes the xDS server's metrics: pkg/xds/metrics (generation),
// pkg/util/xds/stats_callbacks.go with prefix "xds" (streams, requests,
// responses, delivery) and pkg/xds/cache/once (the CLA and mesh caches).
func (s Scenario) emitXDS(r *registry, l labels, dps, w float64, summaries bool) {
	// Each proxy's snapshot is regenerated every second, in about 2 ms.
	gens := dps * w
	// result is skip, generated or changed (kumahq/kuma#7208).
	latency(r, summaries, "xds_generation", l.with("proxy_type", "dataplane", "result", "changed"), gens, 2)
	r.counter("xds_generation_errors", l, 0)
	r.gauge("xds_streams_active", l, dps)
	for _, typ := range []string{"Cluster", "ClusterLoadAssignment", "Listener", "RouteConfiguration", "Secret"} {
		url := "type.googleapis.com/envoy.config." + typeURL(typ)
		r.counter("xds_requests_received", l.with("type_url", url, "confirmation", "ACK", "error_type", "no_error"), dps*w/60)
		r.counter("xds_requests_received", l.with("type_url", url, "confirmation", "NACK", "error_type", "other"), 0)
		r.counter("xds_responses_sent", l.with("type_url", url), dps*w/60)
	}
	latency(r, summaries, "xds_delivery", l, 5*dps*w/60, 3)
	// The once caches count with ever-growing gauges labelled operation
	// and result.
	for result, share := range map[string]float64{"hit": 0.9, "hit-wait": 0.05, "miss": 0.05} {
		r.rampGauge("cla_cache", l.with("operation", "get", "result", result), 0, share*gens)
		r.rampGauge("mesh_cache", l.with("operation", "get", "result", result), 0, share*gens)
	}
}

func typeURL(t string) string {
	switch t {
	case "Cluster":
		return "cluster.v3.Cluster"
	case "ClusterLoadAssignment":
		return "endpoint.v3.ClusterLoadAssignment"
	case "Listener":
		return "listener.v3.Listener"
	case "RouteConfiguration":
		return "route.v3.RouteConfiguration"
	}
	return "extensions.transport_sockets.tls.v3.Secret"
}

// defBucketsHistogram is latencyHistogram over defBuckets, in the unit of
// median.
func defBucketsHistogram(n, median float64) ([]float64, float64) {
	cum := make([]float64, len(defBuckets))
	var sum float64
	for _, s := range latencyShape {
		v, c := median*s.factor, n*s.share
		sum += v * c
		for i, le := range defBuckets {
			if v <= le {
				cum[i] += c
			}
		}
	}
	return cum, sum
}

// helps is the HELP text of every family the generator writes.
var helps = map[string]string{
	"envoy_server_live":                                "Envoy server is live (1) or not.",
	"envoy_server_uptime":                              "Envoy server uptime in seconds.",
	"envoy_server_memory_allocated":                    "Bytes of memory allocated by Envoy.",
	"envoy_server_memory_heap_size":                    "Bytes of heap reserved by Envoy.",
	"envoy_control_plane_connected_state":              "1 while Envoy is connected to the management server.",
	"envoy_cluster_upstream_cx":                        "Upstream connections opened.",
	"envoy_cluster_upstream_cx_active":                 "Active upstream connections.",
	"envoy_cluster_upstream_cx_tx_bytes":               "Bytes sent upstream.",
	"envoy_cluster_upstream_cx_rx_bytes":               "Bytes received from upstream.",
	"envoy_cluster_upstream_rq":                        "Upstream requests.",
	"envoy_cluster_upstream_rq_xx":                     "Upstream responses by response code class.",
	"envoy_cluster_upstream_rq_time":                   "Upstream request time in milliseconds.",
	"envoy_cluster_upstream_rq_pending_overflow":       "Requests that overflowed the circuit breaker.",
	"envoy_cluster_upstream_rq_retry":                  "Request retries.",
	"envoy_cluster_upstream_rq_timeout":                "Requests that timed out.",
	"envoy_cluster_membership_healthy":                 "Healthy hosts of the cluster.",
	"envoy_cluster_membership_total":                   "Hosts of the cluster.",
	"envoy_cluster_health_check_success":               "Successful health checks.",
	"envoy_cluster_health_check_failure":               "Failed health checks.",
	"envoy_cluster_outlier_detection_ejections_active": "Hosts ejected by outlier detection.",
	"envoy_http_downstream_rq":                         "Downstream requests.",
	"envoy_http_downstream_rq_xx":                      "Downstream responses by response code class.",
	"envoy_http_downstream_rq_time":                    "Downstream request time in milliseconds.",
	"envoy_http_downstream_cx":                         "Downstream connections opened.",
	"envoy_http_downstream_cx_active":                  "Active downstream connections.",
	"envoy_rbac_allowed":                               "Connections allowed by RBAC.",
	"envoy_rbac_denied":                                "Connections denied by RBAC.",
	"cp_info":                                          "Static information about the control plane.",
	"leader":                                           "Whether this instance is the leader.",
	"resources_count":                                  "Number of resources by type.",
	"xds_generation":                                   "XDS snapshot generation time in milliseconds.",
	"xds_delivery":                                     "XDS config delivery time until ACK/NACK in milliseconds.",
	"cla_cache":                                        "CLA cache operations by result.",
	"mesh_cache":                                       "Mesh context cache operations by result.",
	"store_cache":                                      "Store cache operations by result.",
	"go_threads":                                       "Number of OS threads.",
	"xds_generation_errors":                            "XDS snapshot generation errors.",
	"xds_streams_active":                               "Active XDS streams.",
	"xds_requests_received":                            "XDS requests received.",
	"xds_responses_sent":                               "XDS responses sent.",
	"kds_delta_generation":                             "KDS snapshot generation time in milliseconds.",
	"kds_delta_streams_active":                         "Active KDS streams.",
	"store":                                            "Resource store operation time in seconds.",
	"api_server_http_request_duration_seconds":         "API server request duration in seconds.",
	"go_goroutines":                                    "Number of goroutines.",
	"go_memstats_alloc_bytes":                          "Bytes allocated and in use.",
	"process_resident_memory_bytes":                    "Resident memory size in bytes.",
	"process_cpu_seconds":                              "User and system CPU time in seconds.",
}
