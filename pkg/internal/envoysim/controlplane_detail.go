package envoysim

import "maps"

import "fmt"

// kuma-cp families the CP dashboard reads beyond xDS: KDS on the global
// and zone sides, HDS, the DP server, certificates, policy counts,
// process and Go runtime metrics; and the Go metrics of a process that is
// not kuma-cp, which the dashboard must leave out.

// latency writes a latency as kuma-cp 2.14 does (a histogram over
// client_golang's default buckets) or as up to 2.13 (a summary).
func latency(r *registry, summaries bool, name string, l labels, n, median float64) {
	cum, sum := defBucketsHistogram(n, median)
	if !summaries {
		r.histogram(name, l, defBuckets, cum, sum)
		return
	}
	f := r.family(name, "summary")
	for _, q := range []struct {
		q      string
		factor float64
	}{{"0.5", 1}, {"0.9", 2}, {"0.99", 5}} {
		r.add(f, name, l.with("quantile", q.q), median*q.factor, 0, 0)
	}
	r.add(f, name+"_count", l, n, n, 1)
	r.add(f, name+"_sum", l, sum, sum, 1)
}

// emitKDS writes KDS: a global CP serves cp.Zones zone CPs (gRPC server
// metrics), a zone CP with a global dials it (gRPC client metrics). A
// standalone CP keeps empty families.
func emitKDS(r *registry, l labels, cp ControlPlane, w float64) {
	zones := float64(cp.Zones)
	global := cp.Zone == "Global"
	if !global && zones > 0 {
		zones = 1 // a zone CP holds one stream to the global
	}
	latency(r, cp.Summaries, "kds_delta_generation", l.with("reason", "resync", "result", "changed"), zones*w/10, 4)
	// Without _total in 2.13 and 2.14 alike: kuma-cp serves the text format
	// only, so Prometheus stores the registered name (docs/kuma-cp-metrics.md).
	r.counter("kds_delta_generation_errors", l, 0)
	r.gauge("kds_delta_streams_active", l, zones)
	const typ = "MeshTrafficPermission"
	r.counter("kds_delta_responses_sent", l.with("type_url", typ), zones*w/30)
	r.counter("kds_delta_requests_received", l.with("type_url", typ, "confirmation", "ACK"), zones*w/30)
	r.counter("kds_delta_requests_received", l.with("type_url", typ, "confirmation", "NACK"), 0)
	latency(r, cp.Summaries, "kds_delta_delivery", l, zones*w/30, 0.05)
	if zones == 0 {
		return
	}
	if global {
		// Kuma 2.14 counts each zone's KDS connections and NACKs on the global.
		for i := 1; i <= cp.Zones; i++ {
			z := l.with("zone_name", fmt.Sprintf("zone-%d", i))
			r.gauge("kds_zone_active_connections", z, 1)
			r.counter("kds_nack_total", z.with("resource_type", typ), 0)
		}
		latency(r, cp.Summaries, "component_zone_watch", l, zones*w/10, 0.01)
	}
	// The gRPC interceptors' metrics carry no zone in Kuma 2.2–2.3; the
	// dashboard finds their side through cp_info.
	g := labels{"job": l["job"], "instance": l["instance"]}.with("grpc_service", "kuma.mesh.v1alpha1.KDSSyncService", "grpc_method", "GlobalToZoneSync", "grpc_type", "bidi_stream")
	handled := "grpc_client_handled_total"
	if global {
		handled = "grpc_server_handled_total"
	}
	r.counter(handled, g.with("grpc_code", "OK"), zones*w/600)
	r.counter(handled, g.with("grpc_code", "Unavailable"), zones*w/1800)
}

// emitControlPlaneDetail writes HDS, the DP server, certificates, policy
// counts and the process and GC metrics of one kuma-cp.
func emitControlPlaneDetail(r *registry, l labels, cp ControlPlane, dps, w float64) {
	r.gauge("hds_streams_active", l, dps)
	r.counter("hds_requests_received", l, dps*w/60)
	r.counter("hds_responses_sent", l, dps*w/10)
	latency(r, cp.Summaries, "hds_generation", l.with("result", "changed"), dps*w/10, 1)
	r.counter("hds_generation_errors", l, 0)
	ads := labels{"job": l["job"], "instance": l["instance"]}.with("grpc_service", "envoy.service.discovery.v3.AggregatedDiscoveryService", "grpc_method", "StreamAggregatedResources", "grpc_type", "bidi_stream")
	r.counter("grpc_server_handled_total", ads.with("grpc_code", "OK"), dps*w/3600)
	r.counter("grpc_server_handled_total", ads.with("grpc_code", "Canceled"), dps*w/7200)
	for _, h := range []string{"/bootstrap", "/v3/discovery:secrets"} {
		dl := l.with("handler", h, "method", "POST", "code", "200")
		cum, sum := defBucketsHistogram(dps*w/600, 0.01)
		r.histogram("dp_server_http_request_duration_seconds", dl, defBuckets, cum, sum)
		scum, ssum := defBucketsHistogram(dps*w/600, 2000)
		r.histogram("dp_server_http_response_size_bytes", dl, defBuckets, scum, ssum)
	}
	r.counter("cert_generation", l.with("mesh", "default"), dps*w/86400)
	r.counter("cert_generation_failure", l.with("mesh", "default"), 0)
	for typ, n := range map[string]float64{"MeshTrafficPermission": 3, "MeshTimeout": 2, "MeshService": 6, "HostnameGenerator": 2} {
		r.gauge("resources_count", l.with("resource_type", typ), n)
	}
	for _, res := range []string{"cluster", "listener", "endpoint", "secret"} {
		cum, sum := defBucketsHistogram(dps*w/10, 3)
		r.histogram("xds_snapshot_resources", l.with("resource_type", res), defBuckets, cum, sum)
	}
	r.counter("events_dropped", l, 0)
	r.counter("vip_allocation_exhaustion_total", l.with("mesh", "default"), 0)
	r.counter("ca_cache", l.with("result", "hit"), dps*w/60)
	r.counter("ca_cache", l.with("result", "miss"), dps*w/86400)
	g := labels{"job": l["job"], "instance": l["instance"]}
	r.counter("certwatcher_read_certificate_total", g, w/10)
	r.counter("certwatcher_read_certificate_errors_total", g, 0)
	r.counter("grpc_server_msg_received_total", g.with("grpc_service", "envoy.service.discovery.v3.AggregatedDiscoveryService"), dps*w/5)
	r.counter("grpc_server_msg_sent_total", g.with("grpc_service", "envoy.service.discovery.v3.AggregatedDiscoveryService"), dps*w/5)
	r.counter("grpc_server_started_total", g.with("grpc_service", "envoy.service.discovery.v3.AggregatedDiscoveryService"), dps)
	r.gauge("dp_server_http_requests_inflight", l.with("handler", "/bootstrap"), 0)
	for _, c := range []string{"component_hostname_generator", "component_ms_status_updater", "component_mzms_status_updater",
		"component_workload_status_updater", "component_store_counter", "insights_resyncer_event_time_processing", "insights_resyncer_processor_idle_time"} {
		latency(r, cp.Summaries, c, l, w/10, 0.02)
	}
	// controller-runtime and client-go, as kuma-cp on Kubernetes exports them.
	for _, ctl := range []string{"pod", "namespace"} {
		c := g.with("controller", ctl)
		r.counter("controller_runtime_reconcile_total", c.with("result", "success"), w/30)
		r.counter("controller_runtime_reconcile_errors_total", c, 0)
		cum, sum := defBucketsHistogram(w/30, 0.01)
		r.histogram("controller_runtime_reconcile_time_seconds", c, defBuckets, cum, sum)
		r.gauge("workqueue_depth", g.with("name", ctl), 0)
		wcum, wsum := defBucketsHistogram(w/30, 0.005)
		r.histogram("workqueue_work_duration_seconds", g.with("name", ctl), defBuckets, wcum, wsum)
	}
	hcum, hsum := defBucketsHistogram(w/60, 0.01)
	r.histogram("controller_runtime_webhook_latency_seconds", g.with("webhook", "/validate-kuma-io-v1alpha1"), defBuckets, hcum, hsum)
	r.counter("sidecar_injection_total", g.with("result", "injected", "reason", ""), w/600)
	r.counter("rest_client_requests_total", g.with("code", "200", "method", "GET"), w/5)
	r.gauge("go_memstats_heap_alloc_bytes", l, 40<<20)
	r.gauge("go_memstats_heap_inuse_bytes", l, 48<<20)
	r.gauge("process_open_fds", l, 40+dps)
	r.gauge("process_max_fds", l, 1048576)
	gc := r.family("go_gc_duration_seconds", "summary")
	for _, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		r.add(gc, "go_gc_duration_seconds", l.with("quantile", q), 0.0002, 0, 0)
	}
	r.add(gc, "go_gc_duration_seconds_count", l, 100, w/30, 1)
	r.add(gc, "go_gc_duration_seconds_sum", l, 0.02, w/3000, 1)
}

// emitOtherGoProcess writes the Go and process metrics of Prometheus
// scraping itself: the same names as kuma-cp's, without its zone.
func emitOtherGoProcess(r *registry) {
	l := labels{"job": "prometheus", "instance": "localhost:9090"}
	r.gauge("go_goroutines", l, 90000)
	r.gauge("go_threads", l, 900)
	r.gauge("go_memstats_alloc_bytes", l, 8<<30)
	r.gauge("process_resident_memory_bytes", l, 12<<30)
	r.counter("process_cpu_seconds_total", l, 3*1800)
	r.gauge("process_open_fds", l, 60000)
	r.gauge("process_max_fds", l, 65536)
}

func init() {
	maps.Copy(helps, map[string]string{
		"kds_delta_generation_errors":             "KDS snapshot generation errors.",
		"kds_delta_responses_sent":                "KDS responses sent.",
		"kds_delta_requests_received":             "KDS requests received.",
		"grpc_client_handled":                     "RPCs completed on the client.",
		"grpc_server_handled":                     "RPCs completed on the server.",
		"hds_streams_active":                      "Active HDS streams.",
		"hds_requests_received":                   "HDS health-check requests received.",
		"hds_responses_sent":                      "HDS endpoint health responses received.",
		"hds_generation":                          "HDS snapshot generation time in milliseconds.",
		"hds_generation_errors":                   "HDS snapshot generation errors.",
		"dp_server_http_request_duration_seconds": "DP server request duration in seconds.",
		"dp_server_http_response_size_bytes":      "DP server response size in bytes.",
		"cert_generation":                         "Number of generated certificates.",
		"cert_generation_failure":                 "Number of failed certificate generations.",
		"process_open_fds":                        "Open file descriptors.",
		"process_max_fds":                         "Maximum open file descriptors.",
		"go_gc_duration_seconds":                  "GC pause durations.",
		"kds_delta_delivery":                      "KDS delivery time.",
		"kds_zone_active_connections":             "Active KDS connections per zone.",
		"kds_nack":                                "KDS NACKs per zone and resource type.",
		"component_zone_watch":                    "Zone watch loop duration.",
		"xds_snapshot_resources":                  "Resources per xDS snapshot.",
		"xds_cert_expiration_timestamp_seconds":   "Expiration time of the identity certificate served to dataplanes.",
		"events_dropped":                          "Events dropped by the event bus.",
		"vip_allocation_exhaustion":               "VIP allocations that failed on a full pool.",
		"ca_cache":                                "CA cache lookups.",
		"certwatcher_read_certificate":            "Certificate file reads.",
		"certwatcher_read_certificate_errors":     "Certificate file read errors.",
		"grpc_server_msg_received":                "gRPC stream messages received.",
		"grpc_server_msg_sent":                    "gRPC stream messages sent.",
		"grpc_server_started":                     "gRPC RPCs started.",
		"dp_server_http_requests_inflight":        "DP server requests in flight.",
		"component_hostname_generator":            "Hostname generator loop duration.",
		"component_ms_status_updater":             "MeshService status updater loop duration.",
		"component_mzms_status_updater":           "MeshMultiZoneService status updater loop duration.",
		"component_workload_status_updater":       "Workload status updater loop duration.",
		"component_store_counter":                 "Store counter loop duration.",
		"insights_resyncer_event_time_processing": "Insights resyncer event processing time.",
		"insights_resyncer_processor_idle_time":   "Insights resyncer idle time.",
		"go_memstats_heap_alloc_bytes":            "Heap bytes allocated and in use.",
		"go_memstats_heap_inuse_bytes":            "Heap bytes in in-use spans.",
	})
}

func init() {
	maps.Copy(helps, map[string]string{
		"controller_runtime_reconcile":               "Reconciliations per controller.",
		"controller_runtime_reconcile_errors":        "Reconciliation errors per controller.",
		"controller_runtime_reconcile_time_seconds":  "Time per reconciliation.",
		"controller_runtime_webhook_latency_seconds": "Admission webhook latency.",
		"workqueue_depth":                            "Items waiting in a work queue.",
		"workqueue_work_duration_seconds":            "Time to process a work queue item.",
		"sidecar_injection":                          "Sidecar injection decisions.",
		"rest_client_requests":                       "Requests to the Kubernetes API server.",
	})
}
