package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// cp selects control-plane series. kuma-cp labels every metric with its
// zone ("Global" on a global CP); instance is Prometheus's target label.
const cp = `zone=~"$zone",instance=~"$instance"`

// msHistogramNote warns that kuma-cp 2.14 observes these milliseconds into
// client_golang's default buckets, which are sized for seconds.
const msHistogramNote = "Kuma 2.14 buckets these milliseconds at 0.005–10, so a p99 above 10 ms shows as 10."

// kdsGenerationNote describes the KDS generation panels: kuma-cp observes
// kds_delta_generation in milliseconds too (pkg/kds/server).
const kdsGenerationNote = "Generations per second; p99 generation time in ms on the right axis. " + msHistogramNote

// Global and zone sides of KDS, told apart by the zone label.
const (
	kdsGlobal = cp + `,zone="Global"`
	kdsZone   = cp + `,zone!="Global"`
)

// ControlPlane is the "Kuma CP" dashboard: kuma-cp's own metrics.
func ControlPlane() (dashboard.Dashboard, error) {
	b := newBoard(UIDCP, "Kuma CP", "Kuma control planes: xDS, KDS, API server, store and Go runtime.",
		prometheusVar(), kumaDSVar(),
		multiAll(promVar("zone", "CP zone", "cp_info", "zone")),
		multiAll(promVar("instance", "Instance", `cp_info{zone=~"$zone"}`, "instance")))

	b.row("Overview").add(
		single("Control planes up", "kuma-cp instances reporting cp_info.", unitShort, quarter,
			q(`count(cp_info{`+cp+`}) or vector(0)`, "instances")),
		promTable("Control plane information", "Version, zone and instance of each kuma-cp.", 18,
			tq(`max by (product, version, zone, instance, instance_id, cluster_id) (cp_info{`+cp+`})`)),
	)
	b.add(
		ts("Leader", "1 on the leader. Each zone (and the global) should have exactly one.", unitShort, half,
			q(`sum by (zone, instance) (leader{`+cp+`})`, "{{zone}} {{instance}}")),
		kumaTable("Zones", "Zones known to the control plane behind the Kuma datasource, with their state.", half,
			map[string]any{"queryType": "zones"}),
	)

	b.row("xDS: CP to dataplanes").add(
		ts("xDS active connections", "Dataplanes streaming configuration from each CP.", unitShort, third,
			q(`sum by (instance) (xds_streams_active{`+cp+`})`, "{{instance}}")),
		ts("xDS message exchange", "Configuration sent, and accepted (ACK) or rejected (NACK) by Envoy.", unitOpsPerSec, third,
			q(sumRate("xds_responses_sent", cp, ""), "sent"),
			q(sumRate("xds_requests_received", cp+`,confirmation="ACK"`, ""), "ACK"),
			q(sumRate("xds_requests_received", cp+`,confirmation="NACK"`, ""), "NACK"),
			q(sumRate("grpc_server_handled_total", cp+`,grpc_service="envoy.service.discovery.v3.AggregatedDiscoveryService",grpc_code!="OK"`, ""), "RPC errors")),
		ts("xDS config generations", "Generations per second; config is sent only when it changed.", unitOpsPerSec, third,
			q(sumRate("xds_generation_count", cp, ""), "generations"),
			q(sumRate("xds_generation_errors", cp, ""), "errors")),
		ts("xDS generation latency p99", "Time to generate Envoy configuration for one dataplane. "+msHistogramNote, unitMillis, third,
			q(p99("xds_generation", cp, "instance"), "{{instance}}")),
		ts("xDS delivery latency p99", "Time from sending configuration to its ACK/NACK. "+msHistogramNote, unitMillis, third,
			q(p99("xds_delivery", cp, "instance"), "{{instance}}")),
		ts("Caches", "Endpoints (CLA) and mesh hash caches: hit, hit after waiting, miss.", unitOpsPerSec, third,
			q(sumRate("cla_cache", cp, "result"), "endpoints {{result}}"),
			q(sumRate("mesh_cache", cp, "result"), "mesh {{result}}")),
	)

	b.row("HDS: health checks").add(
		ts("HDS active connections", "Dataplanes streaming health-check assignments.", unitShort, third,
			q(`sum by (instance) (hds_streams_active{`+cp+`})`, "{{instance}}")),
		// Despite its name, hds_responses_sent counts the EndpointHealthResponses
		// Envoy sends to the CP (kuma pkg/hds/metrics, pkg/hds/tracker).
		ts("HDS message exchange", "Health-check requests and endpoint health reports received from Envoy.", unitOpsPerSec, third,
			q(sumRate("hds_requests_received", cp, ""), "health check requests received"),
			q(sumRate("hds_responses_sent", cp, ""), "endpoint health reports received")),
		ts("HDS config generations", "", unitOpsPerSec, third,
			q(sumRate("hds_generation_count", cp, ""), "generations"),
			q(sumRate("hds_generation_errors", cp, ""), "errors")),
		ts("HDS generation latency p99", "Time to generate health-check configuration for one dataplane. "+msHistogramNote, unitMillis, third,
			q(p99("hds_generation", cp, "instance"), "{{instance}}")),
	)

	b.row("API server and DP server").add(
		ts("API server latency p99", "", unitSeconds, quarter,
			q(histogram("api_server_http_request_duration_seconds", "handler"), "{{handler}}")),
		ts("API server response codes", "", unitReqPerSec, quarter,
			q(sumRate("api_server_http_request_duration_seconds_count", cp, "code"), "{{code}}")),
		ts("DP server latency p99", "Bootstrap and other short requests; xDS and SDS streams are not counted.", unitSeconds, quarter,
			q(histogram("dp_server_http_request_duration_seconds", "handler"), "{{handler}}")),
		ts("DP server response codes", "", unitReqPerSec, quarter,
			q(sumRate("dp_server_http_response_size_bytes_count", cp, "code"), "{{code}}")),
	)

	b.row("KDS: multizone").add(
		ts("Global: KDS active connections", "Zone CPs connected to the global CP.", unitShort, third,
			q(`sum by (instance) ({`+kds("streams_active", kdsGlobal)+`})`, "{{instance}}")),
		ts("Global: KDS message exchange", "", unitOpsPerSec, third, kdsExchange(kdsGlobal, "grpc_server_handled_total")...),
		ts("Global: KDS generations and latency", kdsGenerationNote, unitOpsPerSec, third, kdsGenerations(kdsGlobal)...).
			OverrideByRegexp(".*p99.*", unitOverride(unitMillis)),
		ts("Zone: KDS active connections", "Global CPs connected to each zone CP.", unitShort, third,
			q(`sum by (zone, instance) ({`+kds("streams_active", kdsZone)+`})`, "{{zone}} {{instance}}")),
		ts("Zone: KDS message exchange", "The zone CP dials the global, so its RPC errors are gRPC client metrics.", unitOpsPerSec, third,
			kdsExchange(kdsZone, "grpc_client_handled_total")...),
		ts("Zone: KDS generations and latency", kdsGenerationNote, unitOpsPerSec, third, kdsGenerations(kdsZone)...).
			OverrideByRegexp(".*p99.*", unitOverride(unitMillis)),
		ts("Policies per zone", "Policy count on each CP: every zone should match the global.", unitShort, half,
			q(`sum by (zone, instance) (resources_count{`+cp+`,resource_type!~"Dataplane|DataplaneInsight|Zone|ZoneInsight|ZoneIngress|ZoneIngressInsight|ZoneEgress|ZoneEgressInsight"})`, "{{zone}} {{instance}}")),
		ts("Dataplanes per zone", "Dataplane count on each CP: the global sums the zones.", unitShort, half,
			q(`sum by (zone, instance) (resources_count{`+cp+`,resource_type="Dataplane"})`, "{{zone}} {{instance}}")),
	)

	b.row("Store").add(
		ts("Store latency p99", "Latency of the storage (Kubernetes API server or Postgres).", unitSeconds, third,
			q(histogram("store", "operation"), "{{operation}}")),
		ts("Store operations", "", unitOpsPerSec, third,
			q(sumRate("store_count", cp, "operation, resource_type"), "{{operation}} {{resource_type}}")),
		ts("Store cache", "", unitOpsPerSec, third,
			q(sumRate("store_cache", cp, "result"), "{{result}}")),
	)

	b.row("Go runtime").add(
		ts("Goroutines", "", unitShort, quarter, q(`sum by (instance) (go_goroutines{`+cp+`})`, "{{instance}}")),
		ts("Threads", "", unitShort, quarter, q(`sum by (instance) (go_threads{`+cp+`})`, "{{instance}}")),
		ts("Memory allocated", "", unitBytes, quarter, q(`sum by (instance) (go_memstats_alloc_bytes{`+cp+`})`, "{{instance}}")),
		ts("GC pause p75", "", unitSeconds, quarter, q(`max by (instance) (go_gc_duration_seconds{`+cp+`,quantile="0.75"})`, "{{instance}}")),
	)
	return b.build()
}

// histogram is the p99 of a CP histogram per label.
func histogram(metric, by string) string {
	return quantile("0.99", metric, cp, by)
}

// p99 reads a latency that kuma-cp up to 2.13 exports as a summary
// (quantile label) and 2.14 as a histogram (kumahq/kuma#15709): whichever
// exists answers.
func p99(metric, selector, by string) string {
	return fmt.Sprintf(`max by (%s) (%s{%s,quantile="0.99"}) or %s`, by, metric, selector, quantile("0.99", metric, selector, by))
}

// kds selects a KDS family under both names: kds_<x> (the original KDS) and
// kds_delta_<x> (delta KDS, the only one in recent Kuma).
func kds(suffix, selector string) string {
	return `__name__=~"kds_(delta_)?` + suffix + `",` + selector
}

// kdsExchange is KDS traffic plus the failed KDS RPCs, counted by the gRPC
// server metrics on the global CP and the client metrics on a zone CP.
func kdsExchange(selector, grpcHandled string) []query {
	return []query{
		q(sumRate("", kds("responses_sent", selector), ""), "sent"),
		q(sumRate("", kds("requests_received", selector+`,confirmation="ACK"`), ""), "ACK"),
		q(sumRate("", kds("requests_received", selector+`,confirmation="NACK"`), ""), "NACK"),
		q(sumRate(grpcHandled, selector+`,grpc_service=~"kuma.mesh.v1alpha1.(MultiplexService|KDSSyncService|GlobalKDSService)",grpc_code!="OK"`, ""), "RPC errors"),
	}
}

func kdsGenerations(selector string) []query {
	return []query{
		q(sumRate("", kds("generation_count", selector), ""), "generations"),
		q(sumRate("", kds("generation_errors", selector), ""), "errors"),
		q(`max({`+kds("generation", selector)+`,quantile="0.99"}) or histogram_quantile(0.99, sum by (le) (`+rate("", kds("generation_bucket", selector))+`))`, "generation p99"),
	}
}

func unitOverride(unit string) []dashboard.DynamicConfigValue {
	return []dashboard.DynamicConfigValue{{Id: "unit", Value: unit}, {Id: "custom.axisPlacement", Value: common.AxisPlacementRight}}
}
