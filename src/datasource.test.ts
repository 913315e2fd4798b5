import { DataQueryRequest, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import { of } from 'rxjs';

import { DataSource } from './datasource';
import { fakeTemplateSrv } from './testing/fakeTemplateSrv';
import { KumaOptions, KumaQuery, QueryType } from './types';
import { KumaVariableSupport } from './variables';

const templateSrv = fakeTemplateSrv([
  { name: 'mesh', value: 'default', current: { value: 'default' } },
  { name: 'zone', value: ['east', 'west'], current: { value: ['east', 'west'] } },
  { name: 'service', value: ['a', 'b'], current: { value: ['a', 'b'] } },
  { name: 'prometheus', value: 'prometheus', current: { value: 'prometheus' }, type: 'datasource' },
  { name: 'suffix', value: 'svc', current: { value: 'svc' }, type: 'textbox' },
  { name: 'interval', value: '1m', current: { value: '1m' }, type: 'interval' },
]);

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => templateSrv,
}));

function newDataSource() {
  const settings = {
    id: 1,
    uid: 'kuma',
    type: 'kumahq-kuma-datasource',
    name: 'Kuma',
    jsonData: {},
    meta: { id: 'kumahq-kuma-datasource' },
  } as unknown as DataSourceInstanceSettings<KumaOptions>;
  return new DataSource(settings);
}

describe('DataSource.filterQuery', () => {
  const ds = newDataSource();
  const cases: Array<{ name: string; query: Partial<KumaQuery>; want: boolean }> = [
    { name: 'a mesh graph with a mesh runs', query: { queryType: QueryType.MeshGraph, mesh: 'default' }, want: true },
    { name: 'a mesh graph without a mesh is skipped', query: { queryType: QueryType.MeshGraph }, want: false },
    { name: 'services without a mesh is skipped', query: { queryType: QueryType.Services }, want: false },
    { name: 'gateways without a mesh is skipped', query: { queryType: QueryType.Gateways, mesh: '' }, want: false },
    { name: 'meshes needs no mesh', query: { queryType: QueryType.Meshes }, want: true },
    { name: 'zones needs no mesh', query: { queryType: QueryType.Zones }, want: true },
    { name: 'a query without a type is skipped', query: {}, want: false },
    { name: 'a hidden query is skipped', query: { queryType: QueryType.Meshes, hide: true }, want: false },
  ];
  it.each(cases)('$name', ({ query, want }) => {
    expect(ds.filterQuery({ refId: 'A', ...query })).toBe(want);
  });
});

describe('DataSource.applyTemplateVariables', () => {
  it('interpolates mesh as text and zone and service as regexes', () => {
    const ds = newDataSource();
    const got = ds.applyTemplateVariables(
      { refId: 'A', queryType: QueryType.Dataplanes, mesh: '$mesh', zone: '$zone', service: '$service' },
      {}
    );
    expect(got).toEqual(
      expect.objectContaining({ mesh: 'default', zone: '(east|west)', service: '(a|b)', queryType: 'dataplanes' })
    );
  });
});

describe('DataSource resources', () => {
  it.each([
    { name: 'meshes', call: (ds: DataSource) => ds.getMeshes(), path: 'meshes', params: undefined },
    { name: 'zones', call: (ds: DataSource) => ds.getZones(), path: 'zones', params: undefined },
    {
      name: 'services of an interpolated mesh',
      call: (ds: DataSource) => ds.getServices('$mesh'),
      path: 'services',
      params: { mesh: 'default' },
    },
    {
      name: 'dataplanes of a mesh and service',
      call: (ds: DataSource) => ds.getDataplanes('default', 'web'),
      path: 'dataplanes',
      params: { mesh: 'default', service: 'web' },
    },
    {
      name: 'dataplanes without a service filter',
      call: (ds: DataSource) => ds.getDataplanes('default'),
      path: 'dataplanes',
      params: { mesh: 'default' },
    },
    {
      name: 'gateways of a mesh',
      call: (ds: DataSource) => ds.getGateways('default'),
      path: 'gateways',
      params: { mesh: 'default' },
    },
  ])('$name', async ({ call, path, params }) => {
    const ds = newDataSource();
    const spy = jest.spyOn(ds, 'getResource').mockResolvedValue([{ name: 'x' }]);
    await expect(call(ds)).resolves.toEqual([{ name: 'x' }]);
    if (params) {
      expect(spy).toHaveBeenCalledWith(path, params);
    } else {
      expect(spy).toHaveBeenCalledWith(path);
    }
  });

  it('lists dashboard variables that can hold a name as $name for the pickers', () => {
    expect(newDataSource().variableNames()).toEqual(['$mesh', '$zone', '$service', '$suffix']);
  });
});

describe('KumaVariableSupport', () => {
  it('runs variable queries through the backend query path', async () => {
    const ds = newDataSource();
    expect(ds.variables).toBeInstanceOf(KumaVariableSupport);
    const response = { data: [] };
    const spy = jest.spyOn(ds, 'query').mockReturnValue(of(response));
    const request = {
      targets: [{ refId: 'A', queryType: QueryType.Services, mesh: '$mesh' }],
      range: { from: dateTime(0), to: dateTime(1000), raw: { from: 'now-1h', to: 'now' } },
    } as unknown as DataQueryRequest<KumaQuery>;
    const variables = ds.variables as KumaVariableSupport;
    await new Promise<void>((resolve) =>
      variables.query(request).subscribe((r) => {
        expect(r).toBe(response);
        resolve();
      })
    );
    expect(spy).toHaveBeenCalledWith(request);
  });
});
