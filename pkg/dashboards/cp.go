package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// cp selects control-plane series. kuma-cp labels every metric with its
// zone ("Global" on a global CP); instance is Prometheus's target label.
const cp = `zone=~"$zone",instance=~"$instance"`

// cpInfo is one series per kuma-cp instance in the selection. Every CP
// query is joined with it on instance: the variables' All is ".*", which
// also matches the Go and process metrics of every other target
// Prometheus scrapes (kuma-dp, Prometheus itself), and the gRPC metrics of
// Kuma 2.2–2.3, which carry no zone.
const cpInfo = `cp_info{` + cp + `}`

// msHistogramNote warns that kuma-cp 2.14 observes these milliseconds into
// client_golang's default buckets, which are sized for seconds.
const msHistogramNote = "Kuma 2.14 buckets these milliseconds at 0.005–10, so a p99 above 10 ms shows as 10; the mean is exact."

// kdsGenerationNote describes the KDS generation panels: kuma-cp observes
// kds_delta_generation in milliseconds too (pkg/kds/server).
const kdsGenerationNote = "Generations per second; p99 and mean generation time in ms on the right axis. " + msHistogramNote

// Global and zone sides of KDS, told apart by the zone of cp_info, so
// that series without a zone label (gRPC metrics of Kuma 2.2–2.3) still
// land on the right side.
const (
	globalCP = `cp_info{` + cp + `,zone="Global"}`
	zoneCP   = `cp_info{` + cp + `,zone!="Global"}`
)

// onCP keeps the series of expr whose instance is a selected kuma-cp.
func onCP(expr string) string { return onInstances(expr, cpInfo) }

func onInstances(expr, info string) string {
	return "(" + expr + " and on (instance) " + info + ")"
}

// cpGauge is a CP gauge, scoped to CP instances.
func cpGauge(metric, selector string) string {
	return onCP(fmt.Sprintf("%s{%s}", metric, selector))
}

// cpSumRate sums the rate of a CP counter by the given labels.
func cpSumRate(metric, selector, by string) string {
	return fmt.Sprintf("sum by (%s) (%s)", by, onCP(rate(metric, selector)))
}

// cpSideSumRate is cpSumRate restricted to the global or the zone CPs.
func cpSideSumRate(metric, selector, side string) string {
	return fmt.Sprintf("sum by () (%s)", onInstances(rate(metric, selector), side))
}

// cpQuantile is a histogram quantile of a CP histogram.
func cpQuantile(q, metric, selector, by string) string {
	return fmt.Sprintf("histogram_quantile(%s, sum by (%s) (%s))", q, joinBy(by, "le"), onCP(rate(metric+"_bucket", selector)))
}

// p99 reads a latency that kuma-cp up to 2.13 exports as a summary
// (quantile label) and 2.14 as a histogram (kumahq/kuma#15709): whichever
// exists answers.
func p99(metric, selector, by string) string {
	return fmt.Sprintf(`max by (%s) (%s) or %s`, by, cpGauge(metric, selector+`,quantile="0.99"`), cpQuantile("0.99", metric, selector, by))
}

// mean is _sum/_count, which summaries and histograms both have and which
// the 2.14 bucket bounds do not cap.
func mean(metric, selector, by string) string {
	return ratio(cpSumRate(metric+"_sum", selector, by), cpSumRate(metric+"_count", selector, by))
}

func joinBy(by, more string) string {
	if by == "" {
		return more
	}
	return by + ", " + more
}

// ControlPlane is the "Kuma CP" dashboard: kuma-cp's own metrics.
func ControlPlane() (dashboard.Dashboard, error) {
	b := newBoard(UIDCP, "Kuma CP", "Kuma control planes: xDS, KDS, API server, store, process and Go runtime.",
		prometheusVar(), kumaDSVar(),
		multiAll(promVar("zone", "CP zone", "cp_info", "zone")),
		multiAll(promVar("instance", "Instance", `cp_info{zone=~"$zone"}`, "instance")))
	zoneProxyLinks(b)

	b.row("Overview").add(
		atLeastOne(single("Control planes up", "kuma-cp instances reporting cp_info.", unitShort, quarter,
			q(`count(`+cpInfo+`) or vector(0)`, "instances"))),
		promTable("Control plane information", "Version, zone and instance of each kuma-cp.", 18,
			tq(`max by (product, version, zone, instance, instance_id, cluster_id) (`+cpInfo+`)`)),
	)
	b.add(
		ts("Leader", "1 on the leader. Each zone (and the global) should have exactly one.", unitShort, half,
			q(`sum by (zone, instance) (`+cpGauge("leader", cp)+`)`, "{{zone}} {{instance}}")),
		kumaTable("Zones", "Zones known to the control plane behind the Kuma datasource, with their state.", half,
			map[string]any{"queryType": "zones"}),
	)

	b.row("xDS: CP to dataplanes").add(
		ts("xDS active connections", "Dataplanes streaming configuration from each CP.", unitShort, third,
			q(`sum by (instance) (`+cpGauge("xds_streams_active", cp)+`)`, "{{instance}}")),
		ts("xDS message exchange", "Configuration sent, and accepted (ACK) or rejected (NACK) by Envoy, with failed xDS RPCs.", unitOpsPerSec, third,
			q(cpSumRate("xds_responses_sent", cp, ""), "sent"),
			q(cpSumRate("xds_requests_received", cp+`,confirmation="ACK"`, ""), "ACK"),
			q(cpSumRate("xds_requests_received", cp+`,confirmation="NACK"`, ""), "NACK"),
			q(cpSumRate("grpc_server_handled_total", `instance=~"$instance",grpc_service="envoy.service.discovery.v3.AggregatedDiscoveryService",grpc_code!="OK"`, ""), "RPC errors")),
		ts("xDS config generations", "Generations per second by result: skip (nothing to do), generated, changed (sent to Envoy).", unitOpsPerSec, third,
			q(cpSumRate("xds_generation_count", cp, "result"), "{{result}}"),
			q(cpSumRate("xds_generation_errors", cp, ""), "errors")),
		ts("xDS generation latency", "Time to generate Envoy configuration for one dataplane, p99 and mean. "+msHistogramNote, unitMillis, third,
			q(p99("xds_generation", cp, "instance"), "{{instance}} p99"),
			q(mean("xds_generation", cp, "instance"), "{{instance}} mean")),
		ts("xDS delivery latency", "Time from sending configuration to its ACK/NACK, p99 and mean. "+msHistogramNote, unitMillis, third,
			q(p99("xds_delivery", cp, "instance"), "{{instance}} p99"),
			q(mean("xds_delivery", cp, "instance"), "{{instance}} mean")),
		ts("Caches", "Endpoints (CLA) and mesh hash caches: hit, hit after waiting, miss.", unitOpsPerSec, third,
			q(cpSumRate("cla_cache", cp, "result"), "endpoints {{result}}"),
			q(cpSumRate("mesh_cache", cp, "result"), "mesh {{result}}")),
		ts("xDS NACKs by type", "Configuration Envoy rejected, by resource type: a NACK means a proxy runs stale config.", unitOpsPerSec, half,
			q(cpSumRate("xds_requests_received", cp+`,confirmation="NACK"`, "type_url"), "{{type_url}}")),
		ts("Certificate generations", "Dataplane certificates issued per second, and failed issuances (Kuma 2.14+).", unitOpsPerSec, half,
			q(cpSumRate("cert_generation", cp, ""), "issued"),
			q(cpSumRate("cert_generation_failure", cp, ""), "failures")),
		ts("xDS snapshot resources p95", "95th percentile of resources per dataplane configuration, by type (Kuma 2.14+): growing clusters and endpoints mean a wider mesh fan-out.", unitShort, half,
			q(cpQuantile("0.95", "xds_snapshot_resources", cp, "resource_type"), "{{resource_type}}")),
		single("xDS certificate time left", "Time until the first identity certificate the CP serves to dataplanes expires, per mesh (Kuma 2.14+): orange under 7 days, red under 1.", unitSeconds, half,
			q(`min by (mesh) (`+cpGauge("xds_cert_expiration_timestamp_seconds", cp)+`) - time()`, "{{mesh}}")).
			Thresholds(colours("red", step{86400, "orange"}, step{7 * 86400, "green"})).ColorMode(common.BigValueColorModeValue),
	)

	b.row("API server and DP server").add(
		ts("API server latency p99", "99th percentile of the Kuma API's response time per route.", unitSeconds, quarter,
			q(cpQuantile("0.99", "api_server_http_request_duration_seconds", cp, "handler"), "{{handler}}")),
		ts("API server response codes", "Kuma API responses per second by status code.", unitReqPerSec, quarter,
			q(cpSumRate("api_server_http_request_duration_seconds_count", cp, "code"), "{{code}}")),
		ts("DP server latency p99", "Bootstrap and other short requests; xDS and SDS streams are not counted.", unitSeconds, quarter,
			q(cpQuantile("0.99", "dp_server_http_request_duration_seconds", cp, "handler"), "{{handler}}")),
		ts("DP server response codes", "DP server responses per second by status code.", unitReqPerSec, quarter,
			q(cpSumRate("dp_server_http_response_size_bytes_count", cp, "code"), "{{code}}")),
		ts("DP server requests in flight", "Requests the DP server is answering now, per handler.", unitShort, third,
			q(`sum by (handler) (`+cpGauge("dp_server_http_requests_inflight", cp)+`)`, "{{handler}}")),
		ts("gRPC messages", "Messages per second the CP's gRPC server receives and sends (xDS, KDS, HDS streams).", unitOpsPerSec, third,
			q(cpSumRate("grpc_server_msg_received_total", `instance=~"$instance"`, ""), "received"),
			q(cpSumRate("grpc_server_msg_sent_total", `instance=~"$instance"`, ""), "sent")),
		ts("gRPC streams started", "gRPC streams opened per second, per service: reconnecting proxies show as a burst.", unitOpsPerSec, third,
			q(cpSumRate("grpc_server_started_total", `instance=~"$instance"`, "grpc_service"), "{{grpc_service}}")),
	)

	b.row("Store").add(
		ts("Store latency p99", "Latency of the storage (Kubernetes API server or Postgres).", unitSeconds, third,
			q(p99("store", cp, "operation"), "{{operation}}")),
		ts("Store operations", "Store operations per second by operation and resource type.", unitOpsPerSec, third,
			q(cpSumRate("store_count", cp, "operation, resource_type"), "{{operation}} {{resource_type}}")),
		ts("Store cache", "Cached reads of the resource manager: hit, hit after waiting for another read, miss.", unitOpsPerSec, third,
			q(cpSumRate("store_cache", cp, "result"), "{{result}}")),
	)

	b.row("Process").add(
		ts("CPU", "CPU seconds per second used by each kuma-cp.", unitCores, third,
			q(`sum by (instance) (`+onCP(rate("process_cpu_seconds_total", `instance=~"$instance"`))+`)`, "{{instance}}")),
		ts("Resident memory", "Memory the operating system gives each kuma-cp.", unitBytes, third,
			q(`sum by (instance) (`+onCP(`process_resident_memory_bytes{instance=~"$instance"}`)+`)`, "{{instance}}")),
		ts("Open file descriptors", "Open file descriptors over the process limit: each xDS stream holds a connection.", unitPercent, third,
			q(ratio(`sum by (instance) (`+onCP(`process_open_fds{instance=~"$instance"}`)+`)`,
				`sum by (instance) (`+onCP(`process_max_fds{instance=~"$instance"}`)+`)`), "{{instance}}")),
	)

	b.row("Events, certificates and loops").add(
		ts("Events dropped", "Events the CP's event bus dropped because a subscriber's channel was full: any is backpressure, and a missed reconfiguration.", unitOpsPerSec, third,
			q(cpSumRate("events_dropped", cp, ""), "dropped")),
		ts("VIP allocation exhaustion", "Virtual IP allocations per second that failed because the mesh's pool was full (Kuma 2.14+): any means services get no VIP.", unitOpsPerSec, third,
			q(cpSumRate("vip_allocation_exhaustion_total", cp, "mesh"), "{{mesh}}")),
		ts("CA and certificate watcher", "CA cache hits and misses (a miss signs a new certificate), and certificate file reads and read errors.", unitOpsPerSec, third,
			q(cpSumRate("ca_cache", cp, "result"), "CA cache {{result}}"),
			q(cpSumRate("certwatcher_read_certificate_total", `instance=~"$instance"`, ""), "certificate reads"),
			q(cpSumRate("certwatcher_read_certificate_errors_total", `instance=~"$instance"`, ""), "certificate read errors")),
		ts("Component loops p99", "99th percentile of one pass of the CP's periodic loops: hostname generator, MeshService, MeshMultiZoneService and workload status updaters, store counter.", unitSeconds, half,
			q(p99("component_hostname_generator", cp, "instance"), "{{instance}} hostname generator"),
			q(p99("component_ms_status_updater", cp, "instance"), "{{instance}} MeshService status"),
			q(p99("component_mzms_status_updater", cp, "instance"), "{{instance}} MeshMultiZoneService status"),
			q(p99("component_workload_status_updater", cp, "instance"), "{{instance}} workload status"),
			q(p99("component_store_counter", cp, "instance"), "{{instance}} store counter")),
		ts("Insights resyncer p99", "99th percentile of the insights resyncer's time to process an event, and of its idle time between events.", unitSeconds, half,
			q(p99("insights_resyncer_event_time_processing", cp, "instance"), "{{instance}} processing"),
			q(p99("insights_resyncer_processor_idle_time", cp, "instance"), "{{instance}} idle")),
	)

	b.collapsedRow("HDS: health checks").add(
		ts("HDS active connections", "Dataplanes streaming health-check assignments.", unitShort, third,
			q(`sum by (instance) (`+cpGauge("hds_streams_active", cp)+`)`, "{{instance}}")),
		// Despite its name, hds_responses_sent counts the EndpointHealthResponses
		// Envoy sends to the CP (kuma pkg/hds/metrics, pkg/hds/tracker).
		ts("HDS message exchange", "Health-check requests and endpoint health reports received from Envoy.", unitOpsPerSec, third,
			q(cpSumRate("hds_requests_received", cp, ""), "health check requests received"),
			q(cpSumRate("hds_responses_sent", cp, ""), "endpoint health reports received")),
		ts("HDS config generations", "Health-check configuration generations per second, and errors.", unitOpsPerSec, third,
			q(cpSumRate("hds_generation_count", cp, ""), "generations"),
			q(cpSumRate("hds_generation_errors", cp, ""), "errors")),
		ts("HDS generation latency", "Time to generate health-check configuration for one dataplane, p99 and mean. "+msHistogramNote, unitMillis, third,
			q(p99("hds_generation", cp, "instance"), "{{instance}} p99"),
			q(mean("hds_generation", cp, "instance"), "{{instance}} mean")),
	)

	b.collapsedRow("KDS: multizone").add(
		ts("Global: KDS active connections", "Zone CPs connected to the global CP.", unitShort, third,
			q(`sum by (instance) (`+onInstances(`{`+kds("streams_active", cp)+`}`, globalCP)+`)`, "{{instance}}")),
		ts("Global: KDS message exchange", "KDS resources sent to zones, ACKs and NACKs from them, and failed KDS RPCs (gRPC server side).", unitOpsPerSec, third,
			kdsExchange(globalCP, "grpc_server_handled_total")...),
		ts("Global: KDS generations and latency", kdsGenerationNote, unitOpsPerSec, third, kdsGenerations(globalCP)...).
			OverrideByRegexp(".*(p99|mean).*", unitOverride(unitMillis)),
		ts("Zone: KDS active connections", "Global CPs connected to each zone CP.", unitShort, third,
			q(`sum by (zone, instance) (`+onInstances(`{`+kds("streams_active", cp)+`}`, zoneCP)+`)`, "{{zone}} {{instance}}")),
		ts("Zone: KDS message exchange", "The zone CP dials the global, so its RPC errors are gRPC client metrics.", unitOpsPerSec, third,
			kdsExchange(zoneCP, "grpc_client_handled_total")...),
		ts("Zone: KDS generations and latency", kdsGenerationNote, unitOpsPerSec, third, kdsGenerations(zoneCP)...).
			OverrideByRegexp(".*(p99|mean).*", unitOverride(unitMillis)),
		ts("Policies per zone", "Policy count on each CP. Zones hold the global's policies plus their own; "+
			"since Kuma 2.9 MeshServices and HostnameGenerators are generated per zone, so their counts differ legitimately.", unitShort, half,
			q(`sum by (zone, instance) (`+cpGauge("resources_count", cp+`,resource_type!~"`+nonPolicyResources+`"`)+`)`, "{{zone}} {{instance}}")),
		ts("Dataplanes per zone", "Dataplane count on each CP: the global sums the zones.", unitShort, half,
			q(`sum by (zone, instance) (`+cpGauge("resources_count", cp+`,resource_type="Dataplane"`)+`)`, "{{zone}} {{instance}}")),
		ts("Global: zone connections", "KDS connections each zone holds to the global CP (Kuma 2.14+): a zone at 0 is cut off from policy updates.", unitShort, quarter,
			q(`sum by (zone_name) (`+onInstances(`kds_zone_active_connections{`+cp+`}`, globalCP)+`)`, "{{zone_name}}")),
		ts("Global: KDS NACKs by zone", "KDS resources each zone rejected, by type (Kuma 2.14+): a zone NACKing runs stale policies.", unitOpsPerSec, quarter,
			q(`sum by (zone_name, resource_type) (`+onInstances(rate("kds_nack_total", cp), globalCP)+`)`, "{{zone_name}} {{resource_type}}")),
		ts("KDS delivery latency p99", "99th percentile of the time from sending KDS resources to their ACK or NACK, in seconds as Kuma's own Control Plane dashboard reads it.", unitSeconds, quarter,
			q(p99("kds_delta_delivery", cp, "zone, instance"), "{{zone}} {{instance}}")),
		ts("Global: zone watch p99", "99th percentile of one pass of the global CP's watch of each zone's health.", unitSeconds, quarter,
			q(`max by (instance) (`+onInstances(`component_zone_watch{`+cp+`,quantile="0.99"}`, globalCP)+`) or histogram_quantile(0.99, sum by (instance, le) (`+
				onInstances(rate("component_zone_watch_bucket", cp), globalCP)+`))`, "{{instance}}")),
	)

	// kuma-cp on Kubernetes also exports controller-runtime's and
	// client-go's metrics; in universal mode this row stays empty.
	k8s := `instance=~"$instance"`
	b.collapsedRow("Kubernetes").add(
		ts("Reconciliations", "Reconciliations per second per controller by result, and reconcile errors (Kubernetes only).", unitOpsPerSec, third,
			q(cpSumRate("controller_runtime_reconcile_total", k8s, "controller, result"), "{{controller}} {{result}}"),
			q(cpSumRate("controller_runtime_reconcile_errors_total", k8s, "controller"), "{{controller}} errors")),
		ts("Reconcile and webhook latency p99", "99th percentile of one reconciliation per controller, and of the admission webhooks (Kubernetes only).", unitSeconds, third,
			q(cpQuantile("0.99", "controller_runtime_reconcile_time_seconds", k8s, "controller"), "{{controller}}"),
			q(cpQuantile("0.99", "controller_runtime_webhook_latency_seconds", k8s, "webhook"), "webhook {{webhook}}")),
		ts("Sidecar injections", "Sidecar injection decisions per second by result and reason (Kubernetes only).", unitOpsPerSec, third,
			q(cpSumRate("sidecar_injection_total", k8s, "result, reason"), "{{result}} {{reason}}")),
		ts("Work queues", "Items waiting in each controller work queue (Kubernetes only): a queue that stays above 0 is behind.", unitShort, half,
			q(`max by (name) (`+cpGauge("workqueue_depth", k8s)+`)`, "{{name}}")),
		ts("Work queue processing p99 and API server requests", "99th percentile of processing one work queue item (left), and requests per second to the Kubernetes API server by code (Kubernetes only).", unitSeconds, half,
			q(cpQuantile("0.99", "workqueue_work_duration_seconds", k8s, "name"), "{{name}}"),
			q(cpSumRate("rest_client_requests_total", k8s, "code"), "API server {{code}}/s")).
			OverrideByRegexp("API server .*", unitOverride(unitReqPerSec)),
	)

	b.collapsedRow("Go runtime").add(
		ts("Goroutines", "Goroutines of each kuma-cp; a steady climb is a leak.", unitShort, quarter,
			q(`sum by (instance) (`+cpGauge("go_goroutines", `instance=~"$instance"`)+`)`, "{{instance}}")),
		ts("Threads", "Operating system threads of each kuma-cp.", unitShort, quarter,
			q(`sum by (instance) (`+cpGauge("go_threads", `instance=~"$instance"`)+`)`, "{{instance}}")),
		ts("Memory allocated", "Heap bytes allocated and in use.", unitBytes, quarter,
			q(`sum by (instance) (`+cpGauge("go_memstats_alloc_bytes", `instance=~"$instance"`)+`)`, "{{instance}} allocated"),
			q(`sum by (instance) (`+cpGauge("go_memstats_heap_alloc_bytes", `instance=~"$instance"`)+`)`, "{{instance}} heap allocated"),
			q(`sum by (instance) (`+cpGauge("go_memstats_heap_inuse_bytes", `instance=~"$instance"`)+`)`, "{{instance}} heap in use")),
		ts("GC pause p75", "75th percentile of garbage-collection pauses.", unitSeconds, quarter,
			q(`max by (instance) (`+cpGauge("go_gc_duration_seconds", `instance=~"$instance",quantile="0.75"`)+`)`, "{{instance}}")),
	)
	return b.build()
}

// nonPolicyResources are the resource types that are not policies: proxies
// and zones, and the resources generated per zone since Kuma 2.9.
const nonPolicyResources = "Dataplane|DataplaneInsight|Zone|ZoneInsight|ZoneIngress|ZoneIngressInsight|ZoneEgress|ZoneEgressInsight|" +
	"MeshService|MeshMultiZoneService|HostnameGenerator|MeshInsight|ServiceInsight"

// kds selects a KDS family under both names: kds_<x> (the original KDS) and
// kds_delta_<x> (delta KDS, the only one in recent Kuma).
func kds(suffix, selector string) string {
	return `__name__=~"kds_(delta_)?` + suffix + `",` + selector
}

// kdsExchange is KDS traffic plus the failed KDS RPCs, counted by the gRPC
// server metrics on the global CP and the client metrics on a zone CP.
func kdsExchange(side, grpcHandled string) []query {
	return []query{
		q(cpSideSumRate("", kds("responses_sent", cp), side), "sent"),
		q(cpSideSumRate("", kds("requests_received", cp+`,confirmation="ACK"`), side), "ACK"),
		q(cpSideSumRate("", kds("requests_received", cp+`,confirmation="NACK"`), side), "NACK"),
		q(cpSideSumRate(grpcHandled, `instance=~"$instance",grpc_service=~"kuma.mesh.v1alpha1.(MultiplexService|KDSSyncService|GlobalKDSService)",grpc_code!="OK"`, side), "RPC errors"),
	}
}

func kdsGenerations(side string) []query {
	return []query{
		q(cpSideSumRate("", kds("generation_count", cp), side), "generations"),
		q(cpSideSumRate("", kds("generation_errors", cp), side), "errors"),
		q(`max(`+onInstances(`{`+kds("generation", cp)+`,quantile="0.99"}`, side)+`) or histogram_quantile(0.99, sum by (le) (`+onInstances(rate("", kds("generation_bucket", cp)), side)+`))`, "generation p99"),
		q(ratio(cpSideSumRate("", kds("generation_sum", cp), side), cpSideSumRate("", kds("generation_count", cp), side)), "generation mean"),
	}
}

func unitOverride(unit string) []dashboard.DynamicConfigValue {
	return []dashboard.DynamicConfigValue{{Id: "unit", Value: unit}, {Id: "custom.axisPlacement", Value: common.AxisPlacementRight}}
}
