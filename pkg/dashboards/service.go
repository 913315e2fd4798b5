package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// ofService selects the dataplanes with an inbound of $service, by the tags
// proxy_services resolves it to. The plural label ",a,b," covers dataplanes
// serving several services, whose singular kuma_io_service holds only the
// alphabetically first one.
const ofService = `${services_label}=~".*,(?:$proxy_services),.*"`

// ofWorkloads selects proxies on the MeshMetric path with unified naming,
// whose series carry only mesh, zone, kuma_proxy_role and kuma_workload
// (docs/kuma-naming.md): by the workloads a proxy-workloads variable
// resolves a service to. Series with a services label are left to the
// other form, so none is counted twice; kuma_workload!="" keeps an empty
// variable (no such proxy) from matching series without the label.
func ofWorkloads(variable string) string {
	return `${mesh_label}="$mesh",` + meshMetricZone + `=~"$zone",kuma_workload=~"` + variable + `",kuma_workload!="",${services_label}=""`
}

// Service is the "Kuma Service" dashboard: one service's dataplanes and
// its inbound and outbound traffic.
func Service() (dashboard.Dashboard, error) {
	svc := either(sel(meshZone, ofService), ofWorkloads("$proxy_workloads"))
	in := sel(svc, inbound)
	answered := sel(svc, inboundHCM)
	out := sel(svc, outbound)
	dpLink := dataplaneLink("${__field.labels.dataplane}", "${__field.labels.kuma_io_zone}")
	// The source is the proxies' own tag, which Service to Service selects
	// on (not $service, a MeshService name on Exclusive meshes).
	destLink := pairLink("${__field.labels.kuma_io_service}", "${__field.labels.envoy_cluster_name}")

	b := newBoard(UIDService, "Kuma Service", "One service of a Kuma mesh: its dataplanes and traffic.", commonVars(serviceVar(), proxyServicesVar(), proxyWorkloadsVar())...)

	b.row("Dataplanes").add(
		kumaTable("Dataplanes of the service", "From the control plane, in the selected zones; click a name for its dashboard.", 16,
			map[string]any{"queryType": "dataplanes", "mesh": "$mesh", "service": "$service", "zone": "$zone"}).
			DataLinks(dataplaneLink("${__data.fields.name}", "${__data.fields.zone}")),
		atLeastOne(single("Live instances", "Dataplanes of the service whose Envoy reports live.", unitShort, quarter+2,
			q(`sum(`+vec("envoy_server_live", svc)+`) or vector(0)`, "live"))),
	)

	b.row("Inbound").add(
		ts("Inbound requests", "Requests per second received by the service.", unitReqPerSec, third,
			q(sumRate("envoy_http_downstream_rq_total", answered, ""), "requests")),
		ts("Inbound latency", "Time the service takes to answer, as its sidecar measures it (p50, p95, p99), and p99 as clients see it, Envoy's own time included.", unitMillis, third,
			append(latencyQueries(in, ""),
				q(quantile("0.99", "envoy_http_downstream_rq_time", answered, ""), "p99 as clients see it"))...),
		ts("Inbound status codes", "Responses per second by status class as clients got them, including those Envoy answered itself "+
			"(403 traffic permissions, 429 rate limits, 503 overflow, injected faults).", unitReqPerSec, third,
			q(sumRate("envoy_http_downstream_rq_xx", answered, "envoy_response_code_class"), "{{envoy_response_code_class}}xx")),
	)

	b.row("Outbound").add(
		ts("Outbound requests per destination", "Requests per second the service sends to each destination.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_total", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Outbound latency p99 per destination", "99th percentile of each destination's answer time.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", out, "${service_label}, envoy_cluster_name"), "{{envoy_cluster_name}}")).DataLinks(destLink),
		ts("Outbound status codes per destination", "Responses per second from each destination, by status class.", unitReqPerSec, third,
			q(sumRate("envoy_cluster_upstream_rq_xx", out, "${service_label}, envoy_cluster_name, envoy_response_code_class"), "{{envoy_cluster_name}} {{envoy_response_code_class}}xx")).DataLinks(destLink),
	)

	b.row("Per dataplane").add(
		ts("Inbound requests per dataplane", "Requests per second each dataplane of the service receives.", unitReqPerSec, third,
			q(sumRate("envoy_http_downstream_rq_total", answered, "${dataplane_label}, ${zone_label}"), "{{dataplane}} ({{kuma_io_zone}})")).DataLinks(dpLink),
		ts("Inbound latency p99 per dataplane", "99th percentile of the answer time, per dataplane.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_rq_time", in, "${dataplane_label}, ${zone_label}"), "{{dataplane}} ({{kuma_io_zone}})")).DataLinks(dpLink),
		ts("Inbound 5xx per dataplane", "5xx responses per second each dataplane sent to clients, including Envoy's own.", unitReqPerSec, third,
			q(sumRate("envoy_http_downstream_rq_xx", sel(answered, `envoy_response_code_class="5"`), "${dataplane_label}, ${zone_label}"), "{{dataplane}} ({{kuma_io_zone}})")).DataLinks(dpLink),
	)

	// kuma_workload is a MeshMetric attribute of Kuma 2.14 (the dataplane's
	// kuma.io/workload), not a kuma_sd target label: the datasource's
	// label-name settings do not rename it.
	byWorkload := "kuma_workload, ${zone_label}"
	workloads := sel(answered, `kuma_workload!=""`)
	const onlyWorkloads = " Grouped by kuma_workload, which kuma-dp adds on the MeshMetric path from Kuma 2.14 for proxies " +
		"with a kuma.io/workload label: empty on older Kuma and on proxies scraped without MeshMetric."
	b.row("Per workload").add(
		ts("Inbound requests per workload", "Requests per second each workload of the service receives, e.g. a canary next to the stable deployment."+onlyWorkloads, unitReqPerSec, third,
			q(sumRate("envoy_http_downstream_rq_total", workloads, byWorkload), "{{kuma_workload}} ({{kuma_io_zone}})")),
		ts("Inbound latency p99 per workload", "99th percentile of the answer time as clients see it, Envoy's own time included, per workload."+onlyWorkloads, unitMillis, third,
			q(quantile("0.99", "envoy_http_downstream_rq_time", workloads, byWorkload), "{{kuma_workload}} ({{kuma_io_zone}})")),
		ts("Inbound 5xx per workload", "5xx responses per second each workload sent to clients, including Envoy's own."+onlyWorkloads, unitReqPerSec, third,
			q(sumRate("envoy_http_downstream_rq_xx", sel(workloads, `envoy_response_code_class="5"`), byWorkload), "{{kuma_workload}} ({{kuma_io_zone}})")),
	)

	b.row("Resilience of outbound calls").add(resilience(out)...)
	b.row("Security and configuration").add(proxySecurity(svc)...)
	b.collapsedRow("Kubernetes").add(k8sPanels(svc)...)
	return b.build()
}
