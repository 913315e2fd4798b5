package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Datasource plugin ids the dashboards depend on.
const (
	prometheusType = "prometheus"
	kumaType       = "kumahq-kuma-datasource"
)

// promDS and kumaDS point at the datasource variables rather than at fixed
// uids, so the dashboards work with whatever datasources a Grafana has.
func promDS() common.DataSourceRef {
	return common.DataSourceRef{Type: new(prometheusType), Uid: new("${prometheus}")}
}

func kumaDS() common.DataSourceRef {
	return common.DataSourceRef{Type: new(kumaType), Uid: new("${kuma}")}
}

func datasourceVar(name, label, pluginType string) *dashboard.DatasourceVariableBuilder {
	return dashboard.NewDatasourceVariableBuilder(name).Label(label).Type(pluginType)
}

// kumaVar is a variable filled by the Kuma datasource; its list queries
// return a table whose first field is the name.
func kumaVar(name, label string, query map[string]any) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Datasource(kumaDS()).
		Query(dashboard.StringOrMap{Map: query}).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).
		Sort(dashboard.VariableSortAlphabeticalAsc)
}

// promVar is a label_values variable over Prometheus series, for values the
// control plane does not know (Envoy cluster names, scrape-time names).
func promVar(name, label, selector, labelName string) *dashboard.QueryVariableBuilder {
	q := "label_values(" + selector + ", " + labelName + ")"
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Datasource(promDS()).
		Query(dashboard.StringOrMap{String: new(q)}).
		Definition(q).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc)
}

// multiAll makes a variable multi-valued with an All option matching
// everything, including series without the label (Kuma ≤2.5 has no zone).
func multiAll(v *dashboard.QueryVariableBuilder) *dashboard.QueryVariableBuilder {
	return v.Multi(true).IncludeAll(true).AllValue(".*")
}

func prometheusVar() cog.Builder[dashboard.VariableModel] {
	return datasourceVar("prometheus", "Prometheus", prometheusType)
}

func kumaDSVar() cog.Builder[dashboard.VariableModel] {
	return datasourceVar("kuma", "Kuma", kumaType)
}

func meshVar() cog.Builder[dashboard.VariableModel] {
	return kumaVar("mesh", "Mesh", map[string]any{"queryType": "meshes"})
}

func zoneVar() cog.Builder[dashboard.VariableModel] {
	return multiAll(kumaVar("zone", "Zone", map[string]any{"queryType": "zones"}))
}

func serviceVar() cog.Builder[dashboard.VariableModel] {
	return kumaVar("service", "Service", map[string]any{"queryType": "services", "mesh": "$mesh", "zone": "$zone"})
}

func gatewayVar() cog.Builder[dashboard.VariableModel] {
	return kumaVar("gateway", "Gateway", map[string]any{"queryType": "gateways", "mesh": "$mesh", "zone": "$zone"})
}

// hiddenKumaVar is a Kuma variable the user never sees: one value that the
// plugin computes from other variables. Grafana refreshes it when a
// variable it uses changes.
func hiddenKumaVar(name string, query map[string]any) *dashboard.QueryVariableBuilder {
	return kumaVar(name, name, query).Hide(dashboard.VariableHideHideVariable)
}

// gatewayServicesVar is the regex of the kuma_io_service of $gateway's
// proxies: a builtin gateway's proxies carry a zone-hashed
// kuma_io_mesh_gateway in multizone, and a delegated gateway's none, but
// both carry their service.
func gatewayServicesVar() cog.Builder[dashboard.VariableModel] {
	return hiddenKumaVar("gateway_services", map[string]any{"queryType": "gateway-services", "mesh": "$mesh", "gateway": "$gateway"})
}

// proxyServicesVar is the regex of the kuma_io_service values the proxies
// of $service carry: $service itself, and on Exclusive meshes the tags of
// the MeshService's proxies, which differ from its name on Kubernetes
// (backend → backend_kuma-demo_svc_3001).
func proxyServicesVar() cog.Builder[dashboard.VariableModel] {
	return hiddenKumaVar("proxy_services", map[string]any{"queryType": "proxy-services", "mesh": "$mesh", "service": "$service"})
}

// proxyWorkloadsVar is the regex of the kuma_workload values of the proxies
// of $service, which the MeshMetric path with unified naming labels them
// with instead of their services.
func proxyWorkloadsVar() cog.Builder[dashboard.VariableModel] {
	return hiddenKumaVar("proxy_workloads", map[string]any{"queryType": "proxy-workloads", "mesh": "$mesh", "service": "$service"})
}

// sourceWorkloadsVar is the regex of the kuma_workload values of the
// proxies of $source_service (see proxyWorkloadsVar).
func sourceWorkloadsVar() cog.Builder[dashboard.VariableModel] {
	return hiddenKumaVar("source_workloads", map[string]any{"queryType": "proxy-workloads", "mesh": "$mesh", "service": "$source_service"})
}

// destinationClustersVar is the regex of every envoy_cluster_name that
// leads to $destination_service (MeshService, KRI, split and truncated
// forms), from the plugin's cluster-name mapping.
func destinationClustersVar() cog.Builder[dashboard.VariableModel] {
	return hiddenKumaVar("destination_clusters", map[string]any{"queryType": "destination-clusters", "mesh": "$mesh", "service": "$destination_service"})
}

// dataplaneVar reads the names from Envoy series: the `dataplane` label is
// the zone-local name, which a global CP may list under a hashed name.
func dataplaneVar() cog.Builder[dashboard.VariableModel] {
	return promVar("dataplane", "Dataplane", `envoy_server_live{`+meshZone+`}`, "${dataplane_label}")
}

func sourceServiceVar() cog.Builder[dashboard.VariableModel] {
	return promVar("source_service", "Source service",
		`envoy_cluster_upstream_cx_active{`+meshZone+`,`+outbound+`}`, "${service_label}")
}

// destinationServiceVar offers the services of the mesh by name; a link
// may also pass a cluster name, which destination_clusters resolves.
func destinationServiceVar() cog.Builder[dashboard.VariableModel] {
	return kumaVar("destination_service", "Destination service", map[string]any{"queryType": "services", "mesh": "$mesh"})
}

// labelNameVars are the hidden constants naming the Kuma labels: set them
// once (Dashboard settings → Variables) when the relabeling uses other
// names, to the values of the datasource's label-name settings.
func labelNameVars() []cog.Builder[dashboard.VariableModel] {
	out := make([]cog.Builder[dashboard.VariableModel], 0, len(labelVars))
	for _, l := range labelVars {
		out = append(out, dashboard.NewConstantVariableBuilder(l.name).
			Label(l.name).
			Description("Prometheus label name holding this Kuma label: the Kuma datasource's "+l.setting+" setting (default "+l.def+").").
			Value(dashboard.StringOrMap{String: new(l.def)}))
	}
	return out
}

// commonVars are the variables every mesh-scoped dashboard starts with.
func commonVars(extra ...cog.Builder[dashboard.VariableModel]) []cog.Builder[dashboard.VariableModel] {
	vars := append(labelNameVars(), prometheusVar(), kumaDSVar(), meshVar(), zoneVar())
	return append(vars, extra...)
}
