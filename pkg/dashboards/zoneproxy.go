package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Zone proxies are not Dataplanes, so kuma_sd_configs does not list them:
// they are scraped by a job of their own. The selector variable defaults
// to the labels of Kuma 2.14's own zone-proxy dashboards (job
// kuma-zone-proxies, proxy ingress or egress, zone) and can be changed
// once, like the label-name constants.

// zoneProxy describes the Zone Ingress or the Zone Egress dashboard.
type zoneProxy struct {
	uid, title, role, description string
	// downstream and upstream say who connects to the proxy and where it
	// sends the traffic, for the panel descriptions.
	downstream, upstream string
}

var (
	ingress = zoneProxy{UIDZoneIngress, "Kuma Zone Ingress", "ingress",
		"Zone Ingress proxies: traffic from other zones entering this zone, per destination service.",
		"proxies of other zones", "the services of this zone"}
	egress = zoneProxy{UIDZoneEgress, "Kuma Zone Egress", "egress",
		"Zone Egress proxies: traffic leaving the zone, to other zones and to external services.",
		"the sidecars of this zone", "other zones and external services"}
)

// ZoneIngress is the "Kuma Zone Ingress" dashboard.
func ZoneIngress() (dashboard.Dashboard, error) { return ingress.build() }

// ZoneEgress is the "Kuma Zone Egress" dashboard.
func ZoneEgress() (dashboard.Dashboard, error) { return egress.build() }

func (z zoneProxy) selectorVar() cog.Builder[dashboard.VariableModel] {
	def := `job="kuma-zone-proxies",proxy="` + z.role + `"`
	return dashboard.NewConstantVariableBuilder("zone_proxy_selector").
		Label("zone_proxy_selector").
		Description("Label matchers of this kind of zone proxy's series; default: the scrape job of Kuma 2.14's zone-proxy dashboards.").
		Value(dashboard.StringOrMap{String: new(def)})
}

// zoneVar lists the zones that have such proxies in Prometheus.
func (z zoneProxy) zoneVar() cog.Builder[dashboard.VariableModel] {
	return multiAll(promVar("zone", "Zone", "envoy_server_live{$zone_proxy_selector}", "zone"))
}

func (z zoneProxy) build() (dashboard.Dashboard, error) {
	px := `$zone_proxy_selector,zone=~"$zone"`
	out := sel(px, `envoy_cluster_name!~"`+nonMeshClusters+`"`)
	byReplica := "zone, instance"
	b := newBoard(z.uid, z.title, z.description, prometheusVar(), kumaDSVar(), z.selectorVar(), z.zoneVar())

	b.row("Overview").add(
		atLeastOne(single("Proxies live", "Zone "+z.role+" proxies whose Envoy reports live.", unitShort, quarter,
			q(`sum(envoy_server_live{`+px+`})`, "live"))).NoValue("No zone "+z.role+" proxy in Prometheus: check zone_proxy_selector"),
		atLeastOne(single("Connected to the CP", "Proxies holding an xDS stream to their zone control plane.", unitShort, quarter,
			q(`sum(envoy_control_plane_connected_state{`+px+`})`, "connected"))),
		single("Certificate expiry", "Days until the first certificate of any selected proxy expires: orange under 7 days, red under 1.", "d", quarter,
			q(`min(envoy_server_days_until_first_cert_expiring{`+px+`})`, "days")).
			Thresholds(colours("red", step{1, "orange"}, step{7, "green"})).ColorMode(common.BigValueColorModeValue),
		single("Connections from "+z.downstream, "Downstream connections open now on all selected proxies.", unitShort, quarter,
			q(`sum(envoy_listener_downstream_cx_active{`+px+`})`, "connections")),
	)

	b.row("Traffic").add(
		ts("Connections per second", "Connections accepted from "+z.downstream+" and opened to "+z.upstream+".", unitOpsPerSec, half,
			q(sumRate("envoy_listener_downstream_cx_total", px, ""), "accepted"),
			q(sumRate("envoy_cluster_upstream_cx_total", out, ""), "opened")),
		ts("Bytes per destination", "Bytes per second sent to and received from each destination cluster ("+z.upstream+").", unitBytesSec, half,
			q(sumRate("envoy_cluster_upstream_cx_tx_bytes_total", out, "envoy_cluster_name"), "{{envoy_cluster_name}} sent"),
			q(sumRate("envoy_cluster_upstream_cx_rx_bytes_total", out, "envoy_cluster_name"), "{{envoy_cluster_name}} received")),
		ts("Active connections per destination", "Connections open to each destination cluster.", unitShort, third,
			q(`sum by (envoy_cluster_name) (envoy_cluster_upstream_cx_active{`+out+`})`, "{{envoy_cluster_name}}")),
		ts("Connection time p99 per destination", "99th percentile of the time to connect to each destination.", unitMillis, third,
			q(quantile("0.99", "envoy_cluster_upstream_cx_connect_ms", out, "envoy_cluster_name"), "{{envoy_cluster_name}}")),
		ts("Connection failures per destination", "Connect failures and timeouts, and connections refused by circuit breakers.", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_upstream_cx_connect_fail", out, "envoy_cluster_name"), "{{envoy_cluster_name}} connect failure"),
			q(sumRate("envoy_cluster_upstream_cx_connect_timeout", out, "envoy_cluster_name"), "{{envoy_cluster_name}} connect timeout"),
			q(sumRate("envoy_cluster_upstream_cx_overflow", out, "envoy_cluster_name"), "{{envoy_cluster_name}} circuit breaker")),
		ts("Healthy endpoints per destination", "Endpoints Envoy considers healthy over all it knows, per destination.", unitPercent, half,
			q(ratio(`sum by (envoy_cluster_name) (envoy_cluster_membership_healthy{`+out+`})`,
				`sum by (envoy_cluster_name) (envoy_cluster_membership_total{`+out+`})`), "{{envoy_cluster_name}}")),
		ts("TLS handshakes", "TLS handshakes on the proxies' listeners, failed ones, and peer certificates that failed verification (Envoy's ssl stats).", unitOpsPerSec, half,
			q(sumRate("envoy_listener_ssl_handshake", px, ""), "handshakes"),
			q(sumRate("envoy_listener_ssl_connection_error", px, ""), "errors"),
			q(sumRate("envoy_listener_ssl_fail_verify_error", px, ""), "verification failures")),
		ts("TCP bytes from "+z.downstream, "Bytes per second received from and sent to "+z.downstream+" on the proxies' TCP proxy filters.", unitBytesSec, half,
			q(sumRate("envoy_tcp_downstream_cx_rx_bytes_total", px, ""), "received"),
			q(sumRate("envoy_tcp_downstream_cx_tx_bytes_total", px, ""), "sent")),
	)

	b.row("Resilience").add(
		ts("Load shed", "Connections and requests refused for lack of capacity: connection pool overflow per destination, "+
			"and connections the listeners rejected (connection limit, overload manager).", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_upstream_cx_pool_overflow", out, ""), "connection pool overflow"),
			q(sumRate("envoy_listener_downstream_cx_overflow", px, ""), "listener connection limit"),
			q(sumRate("envoy_listener_downstream_cx_overload_reject", px, ""), "overload manager reject")),
		ts("Circuit breakers open", "Destinations whose default-priority circuit breaker is open now, per kind: connections, requests, pending requests, retries.", unitShort, third,
			q(`sum(envoy_cluster_circuit_breakers_default_cx_open{`+out+`})`, "connections"),
			q(`sum(envoy_cluster_circuit_breakers_default_rq_open{`+out+`})`, "requests"),
			q(`sum(envoy_cluster_circuit_breakers_default_rq_pending_open{`+out+`})`, "pending"),
			q(`sum(envoy_cluster_circuit_breakers_default_rq_retry_open{`+out+`})`, "retries")),
		ts("Watchdog misses", "Times Envoy's main thread missed its watchdog deadline (mega miss: the long one): the proxy is starved of CPU.", unitOpsPerSec, third,
			q(sumRate("envoy_server_watchdog_miss", px, byReplica), "{{zone}} {{instance}} miss"),
			q(sumRate("envoy_server_watchdog_mega_miss", px, byReplica), "{{zone}} {{instance}} mega miss")),
	)

	b.row("Proxies").add(
		ts("Connections per proxy", "Downstream connections open on each proxy.", unitShort, third,
			q(`sum by (`+byReplica+`) (envoy_listener_downstream_cx_active{`+px+`})`, "{{zone}} {{instance}}")),
		ts("Memory per proxy", "Memory allocated by each proxy's Envoy.", unitBytes, third,
			q(`sum by (`+byReplica+`) (envoy_server_memory_allocated{`+px+`})`, "{{zone}} {{instance}}")),
		ts("Configuration updates rejected", "CDS and LDS updates each proxy rejected: it keeps running the previous configuration.", unitOpsPerSec, third,
			q(sumRate("envoy_cluster_manager_cds_update_rejected", px, byReplica), "{{zone}} {{instance}} clusters"),
			q(sumRate("envoy_listener_manager_lds_update_rejected", px, byReplica), "{{zone}} {{instance}} listeners")),
		ts("Configuration updates", "Listener (LDS) updates accepted by each proxy, and endpoint updates accepted and rejected over its destinations.", unitOpsPerSec, half,
			q(sumRate("envoy_listener_manager_lds_update_success", px, byReplica), "{{zone}} {{instance}} listeners accepted"),
			q(sumRate("envoy_cluster_update_success", out, byReplica), "{{zone}} {{instance}} endpoints accepted"),
			q(sumRate("envoy_cluster_update_rejected", out, byReplica), "{{zone}} {{instance}} endpoints rejected")),
		ts("xDS requests pending", "Configuration requests each proxy sent and the control plane has not answered yet.", unitShort, half,
			q(`sum by (`+byReplica+`) (envoy_control_plane_pending_requests{`+px+`})`, "{{zone}} {{instance}}")),
	)
	return b.build()
}
