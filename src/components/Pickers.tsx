import React from 'react';

import type { DataSource } from '../datasource';
import { KumaQuery, needsMesh, QueryType, usesZone } from '../types';
import { useResource } from '../hooks/useResource';
import { ResourcePicker } from './ResourcePicker';

interface FieldProps {
  datasource: DataSource;
  value?: string;
  onChange: (value: string | undefined) => void;
}

/** MeshField picks the mesh a query is scoped to. */
export function MeshField({ datasource, value, onChange }: FieldProps) {
  const state = useResource('meshes', () => datasource.getMeshes());
  return (
    <ResourcePicker
      label="Mesh"
      tooltip="The mesh to query, or a variable such as $mesh"
      value={value}
      state={state}
      variables={datasource.variableNames()}
      placeholder="Choose a mesh"
      onChange={onChange}
    />
  );
}

/** ZoneField picks the zone filter; any typed value is a regex over zone names. */
export function ZoneField({ datasource, value, onChange }: FieldProps) {
  const state = useResource('zones', () => datasource.getZones());
  return (
    <ResourcePicker
      label="Zone"
      tooltip="A zone name, a regex over zone names (matched whole), or a multi-value variable such as $zone. Empty means all zones."
      value={value}
      state={state}
      variables={datasource.variableNames()}
      placeholder="All zones"
      onChange={onChange}
    />
  );
}

/** ServiceField picks the service whose dataplanes are listed. */
export function ServiceField({
  datasource,
  mesh,
  value,
  onChange,
  tooltip = 'Only dataplanes with an inbound of this service (a name, a regex or a variable such as $service)',
}: FieldProps & { mesh?: string; tooltip?: string }) {
  const state = useResource(mesh ? `services:${mesh}` : null, () => datasource.getServices(mesh ?? ''));
  return (
    <ResourcePicker
      label="Service"
      tooltip={tooltip}
      value={value}
      state={state}
      variables={datasource.variableNames()}
      placeholder={mesh ? 'All services' : 'Choose a mesh first'}
      onChange={onChange}
    />
  );
}

/** GatewayField picks the gateway whose services a gateway-services query resolves. */
export function GatewayField({ datasource, mesh, value, onChange }: FieldProps & { mesh?: string }) {
  const state = useResource(mesh ? `gateways:${mesh}` : null, () => datasource.getGateways(mesh ?? ''));
  return (
    <ResourcePicker
      label="Gateway"
      tooltip="A builtin or delegated gateway, or a variable such as $gateway"
      value={value}
      state={state}
      variables={datasource.variableNames()}
      placeholder={mesh ? 'Choose a gateway' : 'Choose a mesh first'}
      onChange={onChange}
    />
  );
}

interface ScopeFieldsProps {
  datasource: DataSource;
  query: KumaQuery;
  onChange: (patch: Partial<KumaQuery>) => void;
}

/**
 * ScopeFields shows the mesh, zone and service pickers that the query's type
 * uses; the query and variable editors share them.
 */
export function ScopeFields({ datasource, query, onChange }: ScopeFieldsProps) {
  const type = query.queryType;
  return (
    <>
      {needsMesh(type) && (
        <MeshField datasource={datasource} value={query.mesh} onChange={(mesh) => onChange({ mesh })} />
      )}
      {usesZone(type) && (
        <ZoneField datasource={datasource} value={query.zone} onChange={(zone) => onChange({ zone })} />
      )}
      {(type === QueryType.Dataplanes ||
        type === QueryType.DestinationClusters ||
        type === QueryType.ProxyServices ||
        type === QueryType.ProxyWorkloads) && (
        <ServiceField
          datasource={datasource}
          mesh={query.mesh}
          value={query.service}
          onChange={(service) => onChange({ service })}
        />
      )}
      {type === QueryType.Traffic && (
        <ServiceField
          datasource={datasource}
          mesh={query.mesh}
          value={query.service}
          tooltip="Only series of this service, or of edges into it (a name, a regex or a variable such as $service)"
          onChange={(service) => onChange({ service })}
        />
      )}
      {type === QueryType.GatewayServices && (
        <GatewayField
          datasource={datasource}
          mesh={query.mesh}
          value={query.gateway}
          onChange={(gateway) => onChange({ gateway })}
        />
      )}
    </>
  );
}
