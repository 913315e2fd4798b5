import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import {
  DEFAULT_LABELS,
  DEFAULT_TRAFFIC_METRICS,
  GraphGroupBy,
  LabelKey,
  MESH_QUERY_TYPES,
  QUERY_TYPE_ORDER,
  QueryType,
  TRAFFIC_METRIC_ORDER,
  TrafficFormat,
  TrafficGroupBy,
  TrafficMetric,
  VALUE_COLUMNS,
  ZONE_QUERY_TYPES,
} from './generated/models';

// The constants shared with the backend are generated from pkg/models.
export { DEFAULT_LABELS, DEFAULT_TRAFFIC_METRICS, QueryType, VALUE_COLUMNS };
export type { GraphGroupBy, LabelKey, TrafficFormat, TrafficGroupBy, TrafficMetric };

/** QueryTypeInfo describes a query type for the editors. */
export interface QueryTypeInfo {
  value: QueryType;
  label: string;
  description: string;
}

/** QUERY_TYPE_LABELS names every query type; the Record type makes a new backend type fail typecheck until it has a label. */
const QUERY_TYPE_LABELS: Record<QueryType, Omit<QueryTypeInfo, 'value'>> = {
  [QueryType.MeshGraph]: { label: 'Mesh graph', description: 'Service map of a mesh (node graph)' },
  [QueryType.Traffic]: {
    label: 'Traffic',
    description: 'Service map traffic as time series or numbers, for panels and alert rules',
  },
  [QueryType.Meshes]: { label: 'Meshes', description: 'Meshes of the control plane' },
  [QueryType.Zones]: { label: 'Zones', description: 'Zones, with their online state' },
  [QueryType.Services]: { label: 'Services', description: 'Services of a mesh' },
  [QueryType.Dataplanes]: { label: 'Dataplanes', description: 'Data plane proxies of a mesh' },
  [QueryType.Gateways]: { label: 'Gateways', description: 'Builtin and delegated gateways of a mesh' },
  [QueryType.DestinationClusters]: {
    label: 'Destination clusters',
    description: 'Regex of the Envoy cluster names of a destination service (for a hidden variable)',
  },
  [QueryType.GatewayServices]: {
    label: 'Gateway services',
    description: "Regex of the kuma_io_service values of a gateway's proxies (for a hidden variable)",
  },
  [QueryType.ProxyServices]: {
    label: 'Proxy services',
    description: "Regex of the kuma_io_service values of a service's proxies (for a hidden variable)",
  },
  [QueryType.ProxyWorkloads]: {
    label: 'Proxy workloads',
    description: "Regex of the kuma_workload values of a service's proxies (for a hidden variable)",
  },
};

/** QUERY_TYPES lists every query type in the order the backend and editors show them. */
export const QUERY_TYPES: QueryTypeInfo[] = QUERY_TYPE_ORDER.map((value) => ({ value, ...QUERY_TYPE_LABELS[value] }));

/** LIST_QUERY_TYPES are the types that return a list, usable as template variables. */
export const LIST_QUERY_TYPES: QueryTypeInfo[] = QUERY_TYPES.filter(
  (t) => t.value !== QueryType.MeshGraph && t.value !== QueryType.Traffic
);

/** needsMesh is QueryType.NeedsMesh in Go: these types are scoped to one mesh. */
export function needsMesh(t: QueryType | undefined): boolean {
  return t !== undefined && MESH_QUERY_TYPES.includes(t);
}

/** usesZone is QueryType.UsesZone in Go: the backend filters these types by the zone regex. */
export function usesZone(t: QueryType | undefined): boolean {
  return t !== undefined && ZONE_QUERY_TYPES.includes(t);
}

/** KumaQuery mirrors models.Query in pkg/models/query.go. */
export interface KumaQuery extends DataQuery {
  queryType?: QueryType;
  /** mesh is required by every type but meshes and zones. */
  mesh?: string;
  /** zone is a regex over zone names (anchored by the backend); empty means all zones. */
  zone?: string;
  /** service filters dataplanes to those with an inbound of this service (a regex); the destination of destination-clusters; the service of proxy-services and proxy-workloads. */
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
  format?: TrafficFormat;
  /** valueColumn narrows a list table to its name and one number, for alert rules. */
  valueColumn?: string;
}

/** TRAFFIC_METRIC_LABELS names every metric; the Record type makes a new backend metric fail typecheck until it has a label. */
const TRAFFIC_METRIC_LABELS: Record<TrafficMetric, string> = {
  requests: 'Requests/s',
  errors: '5xx/s',
  success: 'Success %',
  p50: 'Latency p50',
  p90: 'Latency p90',
  p99: 'Latency p99',
  tcp_bytes: 'TCP bytes/s',
  tcp_connections: 'TCP connections/s',
};

/** TRAFFIC_METRICS lists every metric in the backend's order (models.TrafficMetrics). */
export const TRAFFIC_METRICS: Array<{ value: TrafficMetric; label: string }> = TRAFFIC_METRIC_ORDER.map((value) => ({
  value,
  label: TRAFFIC_METRIC_LABELS[value],
}));

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
