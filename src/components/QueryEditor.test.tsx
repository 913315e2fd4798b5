import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { DataSource } from '../datasource';
import { KumaQuery, QueryType } from '../types';
import { QueryEditor, ROLLUP_HELP } from './QueryEditor';

jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  Combobox: jest.requireActual('../testing/MockCombobox').MockCombobox,
}));

function fakeDatasource(overrides: Partial<Record<keyof DataSource, unknown>> = {}) {
  return {
    getMeshes: jest.fn().mockResolvedValue([{ name: 'default' }, { name: 'payments' }]),
    getZones: jest.fn().mockResolvedValue([
      { name: 'east', online: true },
      { name: 'west', online: false },
    ]),
    getServices: jest.fn().mockResolvedValue([{ name: 'web', kind: 'internal' }]),
    variableNames: jest.fn().mockReturnValue(['$mesh', '$zone']),
    ...overrides,
  } as unknown as DataSource;
}

function setup(query: Partial<KumaQuery>, datasource = fakeDatasource()) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor query={{ refId: 'A', ...query }} datasource={datasource} onChange={onChange} onRunQuery={onRunQuery} />
  );
  return { onChange, onRunQuery, datasource };
}

const optionsOf = (label: string) =>
  within(screen.getByLabelText(label))
    .getAllByRole('option')
    .map((o) => o.textContent);

describe('QueryEditor', () => {
  it('shows the query type first and the mesh-graph fields', async () => {
    setup({ queryType: QueryType.MeshGraph, mesh: 'default' });
    const controls = screen.getAllByRole('combobox');
    expect(controls[0]).toBe(screen.getByLabelText('Query type'));
    expect(screen.getByLabelText('Mesh')).toBeInTheDocument();
    expect(screen.getByLabelText('Zone')).toBeInTheDocument();
    expect(screen.getByLabelText('Rollup regex')).toBeInTheDocument();
    expect(screen.getByLabelText('Hide idle')).toBeInTheDocument();
    expect(screen.queryByLabelText('Service')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Mesh')).toHaveAttribute('aria-busy', 'false'));
  });

  it('the map groups by service or by workload, and service is the default left out of the query', async () => {
    const { onChange, onRunQuery } = setup({ queryType: QueryType.MeshGraph, mesh: 'default' });
    expect(screen.getByLabelText('Services')).toBeChecked();
    await userEvent.click(screen.getByLabelText('Workloads'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ groupBy: 'workload' }));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByLabelText('Mesh')).toHaveAttribute('aria-busy', 'false'));
  });

  it('a map grouped by workload shows it, and going back to services drops groupBy', async () => {
    const { onChange } = setup({ queryType: QueryType.MeshGraph, mesh: 'default', groupBy: 'workload' });
    expect(screen.getByLabelText('Workloads')).toBeChecked();
    await userEvent.click(screen.getByLabelText('Services'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ groupBy: undefined }));
    await waitFor(() => expect(screen.getByLabelText('Mesh')).toHaveAttribute('aria-busy', 'false'));
  });

  it("a traffic query's grouping is not carried over to the map", async () => {
    const { onChange } = setup({ queryType: QueryType.Traffic, mesh: 'default', groupBy: 'edge' });
    await userEvent.selectOptions(screen.getByLabelText('Query type'), 'mesh-graph');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ queryType: 'mesh-graph', groupBy: undefined }));
    await waitFor(() => expect(screen.queryAllByRole('combobox', { busy: true })).toHaveLength(0));
  });

  it.each([
    { type: QueryType.Meshes, shown: [], hidden: ['Mesh', 'Zone', 'Service', 'Rollup regex', 'Hide idle'] },
    { type: QueryType.Zones, shown: [], hidden: ['Mesh', 'Zone', 'Service', 'Rollup regex'] },
    { type: QueryType.Services, shown: ['Mesh', 'Zone'], hidden: ['Service', 'Rollup regex', 'Hide idle'] },
    { type: QueryType.Dataplanes, shown: ['Mesh', 'Zone', 'Service'], hidden: ['Rollup regex', 'Hide idle'] },
    { type: QueryType.Gateways, shown: ['Mesh', 'Zone'], hidden: ['Service', 'Rollup regex'] },
  ])('shows only the fields $type uses', async ({ type, shown, hidden }) => {
    setup({ queryType: type, mesh: 'default' });
    for (const label of shown) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    for (const label of hidden) {
      expect(screen.queryByLabelText(label)).not.toBeInTheDocument();
    }
    await waitFor(() => expect(screen.queryAllByRole('combobox', { busy: true })).toHaveLength(0));
  });

  it('shows the traffic fields: scope, service, grouping, metrics, format, rollup and hide idle', async () => {
    setup({ queryType: QueryType.Traffic, mesh: 'default' });
    for (const label of ['Mesh', 'Zone', 'Service', 'Group by', 'Rollup regex', 'Hide idle']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.getByLabelText('Group by')).toHaveValue('service');
    // A query without metrics computes the defaults, and shows them ticked.
    expect(screen.getByLabelText('Requests/s')).toBeChecked();
    expect(screen.getByLabelText('Success %')).toBeChecked();
    expect(screen.getByLabelText('Latency p99')).toBeChecked();
    expect(screen.getByLabelText('TCP bytes/s')).not.toBeChecked();
    expect(screen.getByLabelText('Time series')).toBeChecked();
    await waitFor(() => expect(screen.queryAllByRole('combobox', { busy: true })).toHaveLength(0));
  });

  it('traffic choices update the query in the backend model and run it', async () => {
    const { onChange, onRunQuery } = setup({ queryType: QueryType.Traffic, mesh: 'default', metrics: ['success'] });
    await userEvent.click(screen.getByLabelText('Latency p90'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ metrics: ['success', 'p90'] }));
    await userEvent.click(screen.getByLabelText('Success %'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ metrics: [] }));
    await userEvent.selectOptions(screen.getByLabelText('Group by'), 'edge');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ groupBy: 'edge' }));
    await userEvent.click(screen.getByLabelText('Numbers'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ format: 'instant' }));
    expect(onRunQuery).toHaveBeenCalledTimes(4);
  });

  it('list queries offer the value column an alert rule reads', async () => {
    const { onChange } = setup({ queryType: QueryType.Services, mesh: 'default' });
    expect(optionsOf('Value column').filter(Boolean)).toEqual([
      'None (whole table)',
      'dataplanes_online',
      'dataplanes_offline',
      'dataplanes_total',
    ]);
    await userEvent.selectOptions(screen.getByLabelText('Value column'), 'dataplanes_offline');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ valueColumn: 'dataplanes_offline' }));
    await userEvent.selectOptions(screen.getByLabelText('Value column'), '-');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ valueColumn: undefined }));
    await waitFor(() => expect(screen.queryAllByRole('combobox', { busy: true })).toHaveLength(0));
  });

  it('meshes and the graph have no value column', () => {
    setup({ queryType: QueryType.Meshes });
    expect(screen.queryByLabelText('Value column')).not.toBeInTheDocument();
  });

  it('a query without a type shows none and no fields, since it does not run', async () => {
    const { onChange } = setup({ mesh: 'default' });
    expect(screen.getByLabelText('Query type')).toHaveValue('');
    expect(screen.queryByLabelText('Mesh')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Rollup regex')).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Query type'), 'mesh-graph');
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ queryType: 'mesh-graph', mesh: 'default' }));
  });

  it('changing the query type runs the query', async () => {
    const { onChange, onRunQuery } = setup({ queryType: QueryType.MeshGraph });
    await userEvent.selectOptions(screen.getByLabelText('Query type'), 'services');
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ queryType: 'services' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('loads meshes from the backend, with dashboard variables first under one heading', async () => {
    let answer: (meshes: Array<{ name: string }>) => void = () => {};
    const pending = new Promise<Array<{ name: string }>>((resolve) => (answer = resolve));
    const { datasource } = setup(
      { queryType: QueryType.MeshGraph },
      fakeDatasource({ getMeshes: jest.fn(() => pending) })
    );
    expect(screen.getByLabelText('Mesh')).toHaveAttribute('aria-busy', 'true');
    answer([{ name: 'default' }, { name: 'payments' }]);
    await waitFor(() => expect(optionsOf('Mesh')).toContain('payments'));
    expect(screen.getByLabelText('Mesh')).toHaveAttribute('aria-busy', 'false');
    expect(optionsOf('Mesh')).toEqual(['Choose a mesh', '$mesh', '$zone', 'default', 'payments']);
    const variables = within(screen.getByLabelText('Mesh')).getByRole('group', { name: 'Dashboard variables' });
    expect(
      within(variables)
        .getAllByRole('option')
        .map((o) => o.textContent)
    ).toEqual(['$mesh', '$zone']);
    expect(datasource.getMeshes).toHaveBeenCalledTimes(1);
  });

  it('picking a mesh updates the query and runs it', async () => {
    const { onChange, onRunQuery } = setup({ queryType: QueryType.MeshGraph });
    await waitFor(() => expect(optionsOf('Mesh')).toContain('payments'));
    await userEvent.selectOptions(screen.getByLabelText('Mesh'), 'payments');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ refId: 'A', mesh: 'payments' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('accepts a $variable picked or typed', async () => {
    const { onChange } = setup({ queryType: QueryType.MeshGraph });
    await userEvent.selectOptions(screen.getByLabelText('Mesh'), '$mesh');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ mesh: '$mesh' }));

    const zone = screen.getByLabelText('Zone').parentElement!;
    await userEvent.type(within(zone).getByLabelText('custom value'), 'east|we.*{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ zone: 'east|we.*' }));
    await waitFor(() => expect(screen.getByLabelText('Zone')).toHaveAttribute('aria-busy', 'false'));
  });

  it('keeps a typed value that is not in the list visible', async () => {
    setup({ queryType: QueryType.MeshGraph, mesh: '$other' });
    await waitFor(() => expect(optionsOf('Mesh')).toContain('payments'));
    expect(screen.getByLabelText('Mesh')).toHaveValue('$other');
  });

  it('shows the backend error inline', async () => {
    const datasource = fakeDatasource({
      getMeshes: jest.fn().mockRejectedValue({ status: 502, data: { message: 'control plane unreachable' } }),
    });
    setup({ queryType: QueryType.MeshGraph }, datasource);
    expect(await screen.findByText('control plane unreachable')).toBeInTheDocument();
    expect(screen.getByLabelText('Mesh')).toHaveAttribute('aria-busy', 'false');
  });

  it('loads the services of the chosen mesh for dataplanes', async () => {
    const { datasource } = setup({ queryType: QueryType.Dataplanes, mesh: '$mesh' });
    await waitFor(() => expect(optionsOf('Service')).toContain('web'));
    expect(datasource.getServices).toHaveBeenCalledWith('$mesh');
  });

  it('does not load services before a mesh is chosen', async () => {
    const { datasource } = setup({ queryType: QueryType.Dataplanes });
    expect(screen.getByLabelText('Service')).toHaveAttribute('aria-busy', 'false');
    expect(datasource.getServices).not.toHaveBeenCalled();
    expect(screen.getByText('Choose a mesh to run this query.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Mesh')).toHaveAttribute('aria-busy', 'false'));
  });

  it('commits the rollup regex on blur, not per keystroke, and explains the rule', async () => {
    const { onChange, onRunQuery } = setup({ queryType: QueryType.MeshGraph, mesh: 'default' });
    expect(screen.getByText(ROLLUP_HELP)).toBeInTheDocument();
    // "[[" is how userEvent types a literal "[".
    await userEvent.type(screen.getByLabelText('Rollup regex'), '^([[^_]+)_.*');
    expect(onChange).not.toHaveBeenCalled();
    await userEvent.tab();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ rollupRegEx: '^([^_]+)_.*' }));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('toggles hide idle for the mesh graph', async () => {
    const { onChange, onRunQuery } = setup({ queryType: QueryType.MeshGraph, mesh: 'default' });
    await userEvent.click(screen.getByLabelText('Hide idle'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ hideIdle: true }));
    expect(onRunQuery).toHaveBeenCalled();
  });
});
