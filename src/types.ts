import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/**
 * QueryType mirrors pkg/models/query.go. The values are the ones the older
 * Kuma datasource saved, so its dashboards keep working.
 */
export enum QueryType {
  MeshGraph = 'mesh-graph',
  Traffic = 'traffic',
  Meshes = 'meshes',
  Zones = 'zones',
  Services = 'services',
  Dataplanes = 'dataplanes',
  Gateways = 'gateways',
  DestinationClusters = 'destination-clusters',
  GatewayServices = 'gateway-services',
  ProxyServices = 'proxy-services',
}

/** QueryTypeInfo describes a query type for the editors. */
export interface QueryTypeInfo {
  value: QueryType;
  label: string;
  description: string;
}

/** QUERY_TYPES lists every query type in the order the backend and editors show them. */
export const QUERY_TYPES: QueryTypeInfo[] = [
  { value: QueryType.MeshGraph, label: 'Mesh graph', description: 'Service map of a mesh (node graph)' },
  {
    value: QueryType.Traffic,
    label: 'Traffic',
    description: 'Service map traffic as time series or numbers, for panels and alert rules',
  },
  { value: QueryType.Meshes, label: 'Meshes', description: 'Meshes of the control plane' },
  { value: QueryType.Zones, label: 'Zones', description: 'Zones, with their online state' },
  { value: QueryType.Services, label: 'Services', description: 'Services of a mesh' },
  { value: QueryType.Dataplanes, label: 'Dataplanes', description: 'Data plane proxies of a mesh' },
  { value: QueryType.Gateways, label: 'Gateways', description: 'Builtin and delegated gateways of a mesh' },
  {
    value: QueryType.DestinationClusters,
    label: 'Destination clusters',
    description: 'Regex of the Envoy cluster names of a destination service (for a hidden variable)',
  },
  {
    value: QueryType.GatewayServices,
    label: 'Gateway services',
    description: "Regex of the kuma_io_service values of a gateway's proxies (for a hidden variable)",
  },
  {
    value: QueryType.ProxyServices,
    label: 'Proxy services',
    description: "Regex of the kuma_io_service values of a service's proxies (for a hidden variable)",
  },
];

/** LIST_QUERY_TYPES are the types that return a list, usable as template variables. */
export const LIST_QUERY_TYPES: QueryTypeInfo[] = QUERY_TYPES.filter(
  (t) => t.value !== QueryType.MeshGraph && t.value !== QueryType.Traffic
);

/** needsMesh mirrors QueryType.NeedsMesh in Go: these types are scoped to one mesh. */
export function needsMesh(t: QueryType | undefined): boolean {
  return (
    t === QueryType.Services ||
    t === QueryType.Dataplanes ||
    t === QueryType.Gateways ||
    t === QueryType.MeshGraph ||
    t === QueryType.Traffic ||
    t === QueryType.DestinationClusters ||
    t === QueryType.GatewayServices ||
    t === QueryType.ProxyServices
  );
}

/** usesZone reports whether the backend filters this type by the zone regex. */
export function usesZone(t: QueryType | undefined): boolean {
  return (
    t === QueryType.MeshGraph ||
    t === QueryType.Traffic ||
    t === QueryType.Services ||
    t === QueryType.Dataplanes ||
    t === QueryType.Gateways
  );
}

/** KumaQuery mirrors models.Query in pkg/models/query.go. */
export interface KumaQuery extends DataQuery {
  queryType?: QueryType;
  /** mesh is required by every type but meshes and zones. */
  mesh?: string;
  /** zone is a regex over zone names (anchored by the backend); empty means all zones. */
  zone?: string;
  /** service filters dataplanes to those with an inbound of this service (a regex); the destination of destination-clusters; the service of proxy-services. */
  service?: string;
  /** gateway is the gateway of gateway-services. */
  gateway?: string;
  /** rollupRegEx renames services in the graph: a matching name is shown as its first capture group. */
  rollupRegEx?: string;
  /** hideIdle drops nodes with no traffic in the time range from the graph. */
  hideIdle?: boolean;
  /** groupBy says what one traffic series is (models.TrafficGroupBy), or what one node of the map is (GraphGroupBy). */
  groupBy?: TrafficGroupBy | GraphGroupBy;
  /** metrics are the traffic numbers to compute; empty means DEFAULT_TRAFFIC_METRICS. */
  metrics?: TrafficMetric[];
  /** format: time series (default) or one number per series over the range ('instant'). */
  format?: 'timeseries' | 'instant';
  /** valueColumn narrows a list table to its name and one number, for alert rules. */
  valueColumn?: string;
}

/** TrafficGroupBy mirrors models.TrafficGroupBy. */
export type TrafficGroupBy = 'service' | 'edge' | 'gateway';

/** GraphGroupBy is what one node of the service map is (models.Query.GraphGroupBy); service by default. */
export type GraphGroupBy = 'service' | 'workload';

/** TrafficMetric mirrors models.TrafficMetric. */
export type TrafficMetric = 'requests' | 'errors' | 'success' | 'p50' | 'p90' | 'p99' | 'tcp_bytes' | 'tcp_connections';

/** TRAFFIC_METRICS mirrors models.TrafficMetrics, in the same order. */
export const TRAFFIC_METRICS: Array<{ value: TrafficMetric; label: string }> = [
  { value: 'requests', label: 'Requests/s' },
  { value: 'errors', label: '5xx/s' },
  { value: 'success', label: 'Success %' },
  { value: 'p50', label: 'Latency p50' },
  { value: 'p90', label: 'Latency p90' },
  { value: 'p99', label: 'Latency p99' },
  { value: 'tcp_bytes', label: 'TCP bytes/s' },
  { value: 'tcp_connections', label: 'TCP connections/s' },
];

/**
 * VALUE_COLUMNS are the numeric and true/false columns of each list table
 * (pkg/plugin/frames_lists.go) that valueColumn can pick for alert rules.
 */
export const VALUE_COLUMNS: Partial<Record<QueryType, string[]>> = {
  [QueryType.Zones]: ['online', 'enabled'],
  [QueryType.Services]: ['dataplanes_offline', 'dataplanes_online', 'dataplanes_total'],
  [QueryType.Dataplanes]: ['online'],
  [QueryType.Gateways]: ['dataplanes_online', 'dataplanes_total'],
};

/** DEFAULT_TRAFFIC_METRICS mirrors models.DefaultTrafficMetrics. */
export const DEFAULT_TRAFFIC_METRICS: TrafficMetric[] = ['requests', 'success', 'p99'];

/** DEFAULT_QUERY is what a new panel query starts with. */
export const DEFAULT_QUERY: Partial<KumaQuery> = {
  queryType: QueryType.MeshGraph,
};

/**
 * KumaOptions mirrors the jsonData of models.Settings. The control-plane URL
 * is the datasource URL, not a jsonData key.
 */
export interface KumaOptions extends DataSourceJsonData {
  /** prometheusUrl is any Prometheus-compatible query API. */
  prometheusUrl?: string;
  /** prometheusBasicAuthUser turns on basic auth with the secret prometheusBasicAuthPassword. */
  prometheusBasicAuthUser?: string;
  meshLabel?: string;
  serviceLabel?: string;
  servicesLabel?: string;
  zoneLabel?: string;
  dataplaneLabel?: string;
  gatewayLabel?: string;
  /** prometheusDataSourceId is what the older plugin saved; read only to tell the user what to set. */
  prometheusDataSourceId?: number | string;
  /** Keys the SDK's HTTP client options read for the control-plane client. */
  timeout?: number;
  tlsSkipVerify?: boolean;
  tlsAuth?: boolean;
  tlsAuthWithCACert?: boolean;
  serverName?: string;
}

/** KumaSecureJsonData mirrors the secure keys of pkg/models/settings.go. */
export interface KumaSecureJsonData {
  /** cpToken is sent to the control plane as a bearer token. */
  cpToken?: string;
  /** prometheusBasicAuthPassword goes with prometheusBasicAuthUser. */
  prometheusBasicAuthPassword?: string;
  /** prometheusToken is sent to Prometheus as a bearer token. */
  prometheusToken?: string;
  /** TLS material for the control-plane connection (PEM). */
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}

/** LabelKey names the label-name override keys of KumaOptions. */
export type LabelKey = 'meshLabel' | 'serviceLabel' | 'servicesLabel' | 'zoneLabel' | 'dataplaneLabel' | 'gatewayLabel';

/** DEFAULT_LABELS mirrors models.DefaultLabelNames. */
export const DEFAULT_LABELS: Record<LabelKey, string> = {
  meshLabel: 'mesh',
  serviceLabel: 'kuma_io_service',
  servicesLabel: 'kuma_io_services',
  zoneLabel: 'kuma_io_zone',
  dataplaneLabel: 'dataplane',
  gatewayLabel: 'kuma_io_mesh_gateway',
};

/** Items of the backend resource routes (GET meshes, zones, services, dataplanes, gateways). */
export interface MeshItem {
  name: string;
}

export interface ZoneItem {
  name: string;
  online?: boolean;
}

export interface ServiceItem {
  name: string;
  kind: string;
  status?: string;
}

export interface DataplaneItem {
  name: string;
  zone?: string;
  services: string[];
  online: boolean;
}

export interface GatewayItem {
  name: string;
  kind: string;
}
