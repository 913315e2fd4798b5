import { interpolateQuery, regexFormat } from './interpolate';
import { fakeTemplateSrv } from './testing/fakeTemplateSrv';
import { KumaQuery, QueryType } from './types';

describe('regexFormat', () => {
  const cases: Array<{ name: string; value: string | string[]; current?: string | string[]; want: string }> = [
    { name: 'one value is escaped', value: 'zone-1.eu', want: 'zone-1\\.eu' },
    { name: 'several values become an alternation', value: ['east', 'west'], want: '(east|west)' },
    { name: 'alternation members are escaped', value: ['a.b', 'c+d'], want: '(a\\.b|c\\+d)' },
    { name: 'a one-element array is a plain value', value: ['east'], want: 'east' },
    {
      name: 'All (every option passed, current is $__all) matches any zone',
      value: ['east', 'west'],
      current: ['$__all'],
      want: '.*',
    },
    { name: 'the raw All value matches any zone', value: '$__all', want: '.*' },
  ];
  it.each(cases)('$name', ({ value, current, want }) => {
    expect(regexFormat(value, current ? { current: { value: current } } : undefined)).toBe(want);
  });
});

describe('interpolateQuery', () => {
  const srv = fakeTemplateSrv([
    { name: 'mesh', value: 'default', current: { value: 'default' } },
    { name: 'zone', value: ['east', 'west'], current: { value: ['east', 'west'] } },
    { name: 'allzones', value: ['east', 'west'], current: { value: ['$__all'] } },
    { name: 'service', value: 'backend_kuma-demo_svc_3001', current: { value: 'backend_kuma-demo_svc_3001' } },
    { name: 'ns', value: 'kuma.demo', current: { value: 'kuma.demo' } },
  ]);
  const base: KumaQuery = { refId: 'A', queryType: QueryType.MeshGraph };

  const cases: Array<{ name: string; query: Partial<KumaQuery>; want: Partial<KumaQuery> }> = [
    { name: 'mesh is replaced as plain text', query: { mesh: '$mesh' }, want: { mesh: 'default' } },
    { name: 'gateway is replaced as plain text', query: { gateway: '$ns' }, want: { gateway: 'kuma.demo' } },
    { name: 'braced variables work', query: { mesh: '${mesh}' }, want: { mesh: 'default' } },
    { name: 'a multi-value zone becomes (a|b)', query: { zone: '$zone' }, want: { zone: '(east|west)' } },
    { name: 'All zones become .*', query: { zone: '$allzones' }, want: { zone: '.*' } },
    { name: 'a literal zone regex is kept', query: { zone: 'east|west' }, want: { zone: 'east|west' } },
    {
      name: 'the service filter is a regex',
      query: { service: '$service' },
      want: { service: 'backend_kuma-demo_svc_3001' },
    },
    {
      name: 'variables inside the rollup regex are escaped',
      query: { rollupRegEx: '^(.*)_${ns}_svc_.*$' },
      want: { rollupRegEx: '^(.*)_kuma\\.demo_svc_.*$' },
    },
    { name: 'unknown variables are left for the backend to report', query: { mesh: '$nope' }, want: { mesh: '$nope' } },
    { name: 'empty fields stay empty', query: { mesh: '' }, want: { mesh: '' } },
  ];
  it.each(cases)('$name', ({ query, want }) => {
    const got = interpolateQuery({ ...base, ...query }, {}, srv as never);
    expect(got).toMatchObject({ ...base, ...want });
  });

  it('uses scoped variables (repeated panels) over dashboard ones', () => {
    const got = interpolateQuery({ ...base, mesh: '$mesh' }, { mesh: { text: 'other', value: 'other' } }, srv as never);
    expect(got.mesh).toBe('other');
  });

  it('keeps refId, queryType and hideIdle unchanged', () => {
    const got = interpolateQuery({ ...base, hideIdle: true }, {}, srv as never);
    expect(got).toMatchObject({ refId: 'A', queryType: 'mesh-graph', hideIdle: true });
  });
});
