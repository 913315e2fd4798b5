package models

import (
	"encoding/json"
)

// QueryType names what a query asks for. The values are the ones the older
// Kuma datasource saved, so dashboards built with it keep working.
type QueryType string

const (
	// QueryTypeMeshes lists the meshes of the control plane.
	QueryTypeMeshes QueryType = "meshes"
	// QueryTypeZones lists the zones, with online state where the CP reports it.
	QueryTypeZones QueryType = "zones"
	// QueryTypeServices lists the services of a mesh.
	QueryTypeServices QueryType = "services"
	// QueryTypeDataplanes lists the data plane proxies of a mesh.
	QueryTypeDataplanes QueryType = "dataplanes"
	// QueryTypeGateways lists the builtin and delegated gateways of a mesh.
	QueryTypeGateways QueryType = "gateways"
	// QueryTypeMeshGraph returns the nodes and edges frames of the service map.
	QueryTypeMeshGraph QueryType = "mesh-graph"
	// QueryTypeDestinationClusters returns one row: the regex of every
	// envoy_cluster_name that leads to Service (a service or cluster name),
	// for a hidden dashboard variable.
	QueryTypeDestinationClusters QueryType = "destination-clusters"
	// QueryTypeGatewayServices returns one row: the regex of the service
	// names (kuma_io_service) of Gateway's proxies, builtin or delegated.
	QueryTypeGatewayServices QueryType = "gateway-services"
	// QueryTypeProxyServices returns one row: the regex of the service
	// names (kuma_io_service) the proxies of Service carry, which differ
	// from the MeshService name on Kubernetes Exclusive meshes.
	QueryTypeProxyServices QueryType = "proxy-services"
	// QueryTypeProxyWorkloads returns one row: the regex of the workloads
	// (kuma_workload) of the proxies of Service, which is how the MeshMetric
	// path with unified naming labels them instead of kuma_io_service.
	QueryTypeProxyWorkloads QueryType = "proxy-workloads"
	// QueryTypeTraffic returns the service map's traffic as time series or
	// numbers per service, edge or gateway.
	QueryTypeTraffic QueryType = "traffic"
)

// QueryTypes lists every query type in the order editors show them.
var QueryTypes = []QueryType{
	QueryTypeMeshGraph, QueryTypeTraffic, QueryTypeMeshes, QueryTypeZones, QueryTypeServices, QueryTypeDataplanes, QueryTypeGateways,
	QueryTypeDestinationClusters, QueryTypeGatewayServices, QueryTypeProxyServices, QueryTypeProxyWorkloads,
}

// Query is the query model the frontend sends. Field names match the older
// plugin's saved queries (mesh, zone, rollupRegEx).
type Query struct {
	QueryType QueryType `json:"queryType"`
	// Mesh is required by every type but meshes and zones.
	Mesh string `json:"mesh,omitempty"`
	// Zone is a regular expression over zone names (anchored), so a
	// multi-value variable interpolated as (a|b) works. Empty means all zones.
	Zone string `json:"zone,omitempty"`
	// Service filters dataplanes to those with an inbound of this service;
	// for destination-clusters it is the destination.
	Service string `json:"service,omitempty"`
	// Gateway is the gateway of a gateway-services query.
	Gateway string `json:"gateway,omitempty"`
	// RollupRegEx renames services in the graph: a name that matches is shown
	// as the regex's first capture group.
	RollupRegEx string `json:"rollupRegEx,omitempty"`
	// HideIdle drops nodes with no traffic in the window from the graph.
	HideIdle bool `json:"hideIdle,omitempty"`
	// GroupBy, Metrics and Format are the traffic query's (models/traffic.go).
	GroupBy TrafficGroupBy  `json:"groupBy,omitempty"`
	Metrics []TrafficMetric `json:"metrics,omitempty"`
	Format  string          `json:"format,omitempty"`
	// ValueColumn narrows a list table to its name and one number, for
	// alert rules (pkg/plugin/value_column.go).
	ValueColumn string `json:"valueColumn,omitempty"`
}

// ParseQuery decodes a query's JSON. The queryType of the request wins over
// the one in the JSON body when both are set.
func ParseQuery(raw json.RawMessage, queryType string) (Query, error) {
	var q Query
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &q); err != nil {
			return Query{}, Because(ErrInvalidQueryJSON, err)
		}
	}
	if queryType != "" {
		q.QueryType = QueryType(queryType)
	}
	return q, nil
}

// NeedsMesh reports whether the query type is scoped to one mesh.
func (t QueryType) NeedsMesh() bool {
	switch t {
	case QueryTypeServices, QueryTypeDataplanes, QueryTypeGateways, QueryTypeMeshGraph, QueryTypeTraffic,
		QueryTypeDestinationClusters, QueryTypeGatewayServices, QueryTypeProxyServices, QueryTypeProxyWorkloads:
		return true
	}
	return false
}

// UsesZone reports whether the query type reads the zone filter.
func (t QueryType) UsesZone() bool {
	switch t {
	case QueryTypeServices, QueryTypeDataplanes, QueryTypeGateways, QueryTypeMeshGraph, QueryTypeTraffic:
		return true
	}
	return false
}
