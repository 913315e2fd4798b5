import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { DataSource } from '../datasource';
import { KumaQuery, QueryType } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  Combobox: jest.requireActual('../testing/MockCombobox').MockCombobox,
}));

const datasource = {
  getMeshes: jest.fn().mockResolvedValue([{ name: 'default' }]),
  getZones: jest.fn().mockResolvedValue([{ name: 'east' }]),
  getServices: jest.fn().mockResolvedValue([{ name: 'web', kind: 'internal' }]),
  getGateways: jest.fn().mockResolvedValue([{ name: 'edge', kind: 'builtin' }]),
  variableNames: jest.fn().mockReturnValue(['$mesh']),
} as unknown as DataSource;

function setup(query: Partial<KumaQuery>) {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor
      query={{ refId: 'A', ...query }}
      datasource={datasource}
      onChange={onChange}
      onRunQuery={jest.fn()}
    />
  );
  return { onChange };
}

const idle = () => waitFor(() => expect(screen.queryAllByRole('combobox', { busy: true })).toHaveLength(0));

describe('VariableQueryEditor', () => {
  it('offers only the list query types', () => {
    setup({});
    const options = within(screen.getByLabelText('Query type'))
      .getAllByRole('option')
      .map((o) => o.getAttribute('value'));
    expect(options).toEqual([
      '',
      'meshes',
      'zones',
      'services',
      'dataplanes',
      'gateways',
      'destination-clusters',
      'gateway-services',
      'proxy-services',
      'proxy-workloads',
    ]);
  });

  it('picking a list type sets the query type', async () => {
    const { onChange } = setup({});
    await userEvent.selectOptions(screen.getByLabelText('Query type'), 'gateways');
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ refId: 'A', queryType: 'gateways' }));
  });

  it('a mesh-scoped list asks for the mesh and accepts $mesh', async () => {
    const { onChange } = setup({ queryType: QueryType.Services });
    await idle();
    await userEvent.selectOptions(screen.getByLabelText('Mesh'), '$mesh');
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ queryType: 'services', mesh: '$mesh' }));
    expect(screen.getByLabelText('Zone')).toBeInTheDocument();
  });

  it('dataplanes can be filtered by service', async () => {
    const { onChange } = setup({ queryType: QueryType.Dataplanes, mesh: 'default' });
    await idle();
    await userEvent.selectOptions(screen.getByLabelText('Service'), 'web');
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ queryType: 'dataplanes', service: 'web' }));
  });

  it('destination clusters resolve a service of the mesh', async () => {
    const { onChange } = setup({ queryType: QueryType.DestinationClusters, mesh: 'default' });
    await idle();
    await userEvent.selectOptions(screen.getByLabelText('Service'), 'web');
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ queryType: 'destination-clusters', service: 'web' })
    );
    expect(screen.queryByLabelText('Zone')).not.toBeInTheDocument();
  });

  it('gateway services resolve a gateway of the mesh', async () => {
    const { onChange } = setup({ queryType: QueryType.GatewayServices, mesh: 'default' });
    await idle();
    await userEvent.selectOptions(screen.getByLabelText('Gateway'), 'edge');
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ queryType: 'gateway-services', gateway: 'edge' }));
  });

  it('meshes and zones need no further fields', () => {
    setup({ queryType: QueryType.Meshes });
    expect(screen.queryByLabelText('Mesh')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Zone')).not.toBeInTheDocument();
  });

  it('a saved mesh-graph query shows no type, since it is not a list', () => {
    setup({ queryType: QueryType.MeshGraph });
    expect(screen.getByLabelText('Query type')).toHaveValue('');
  });
});
