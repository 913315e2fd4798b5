import { CoreApp, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { interpolateQuery } from './interpolate';
import {
  DataplaneItem,
  DEFAULT_QUERY,
  GatewayItem,
  KumaOptions,
  KumaQuery,
  MeshItem,
  needsMesh,
  ServiceItem,
  ZoneItem,
} from './types';
import { KumaVariableSupport } from './variables';

const NOT_A_NAME = new Set<string>(['datasource', 'interval', 'adhoc', 'groupby']);

/**
 * DataSource sends queries to the Go backend, which talks to the Kuma control
 * plane and Prometheus. The browser never calls either directly.
 */
export class DataSource extends DataSourceWithBackend<KumaQuery, KumaOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<KumaOptions>) {
    super(instanceSettings);
    this.variables = new KumaVariableSupport(this);
  }

  getDefaultQuery(_: CoreApp): Partial<KumaQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: KumaQuery, scopedVars: ScopedVars): KumaQuery {
    return interpolateQuery(query, scopedVars, getTemplateSrv());
  }

  /** filterQuery drops hidden queries and ones the backend would reject as incomplete. */
  filterQuery(query: KumaQuery): boolean {
    if (query.hide || !query.queryType) {
      return false;
    }
    return !needsMesh(query.queryType) || Boolean(query.mesh);
  }

  /** getMeshes lists the meshes of the control plane. */
  getMeshes(): Promise<MeshItem[]> {
    return this.getResource<MeshItem[]>('meshes');
  }

  /** getZones lists the zones (a standalone CP has none). */
  getZones(): Promise<ZoneItem[]> {
    return this.getResource<ZoneItem[]>('zones');
  }

  /** getServices lists the services of a mesh; mesh may be a $variable. */
  getServices(mesh: string): Promise<ServiceItem[]> {
    return this.getResource<ServiceItem[]>('services', { mesh: this.interpolate(mesh) });
  }

  /** getDataplanes lists the dataplanes of a mesh, optionally of one service. */
  getDataplanes(mesh: string, service?: string): Promise<DataplaneItem[]> {
    const params: Record<string, string> = { mesh: this.interpolate(mesh) };
    if (service) {
      params.service = this.interpolate(service);
    }
    return this.getResource<DataplaneItem[]>('dataplanes', params);
  }

  /** getGateways lists the builtin and delegated gateways of a mesh. */
  getGateways(mesh: string): Promise<GatewayItem[]> {
    return this.getResource<GatewayItem[]>('gateways', { mesh: this.interpolate(mesh) });
  }

  /**
   * variableNames lists the dashboard's variables as $name, for pickers that
   * accept them. Variables that hold a datasource, an interval or ad hoc
   * filters can never be a mesh, zone or service, so they are left out.
   */
  variableNames(): string[] {
    return getTemplateSrv()
      .getVariables()
      .filter((v) => !NOT_A_NAME.has(v.type))
      .map((v) => `$${v.name}`);
  }

  private interpolate(value: string): string {
    return getTemplateSrv().replace(value);
  }
}
