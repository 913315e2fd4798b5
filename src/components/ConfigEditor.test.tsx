import React, { useState } from 'react';
import { DataSourceSettings } from '@grafana/data';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { KumaOptions, KumaSecureJsonData } from '../types';
import { ConfigEditor, timeoutSeconds } from './ConfigEditor';

const mockGet = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ get: mockGet }),
  getDataSourceSrv: () => ({
    getList: ({ type }: { type: string }) =>
      type === 'prometheus' ? [{ id: 3, uid: 'prom-uid', name: 'Prometheus', type: 'prometheus' }] : [],
  }),
  // The real picker needs Grafana's datasource service; a button that picks
  // a Prometheus datasource is what the editor sees of it.
  DataSourcePicker: (props: { type: string; onChange: (ds: { uid: string; type: string }) => void }) => (
    <button type="button" onClick={() => props.onChange({ uid: 'prom-uid', type: props.type })}>
      pick {props.type}
    </button>
  ),
}));

type Options = DataSourceSettings<KumaOptions, KumaSecureJsonData>;

function baseOptions(patch: Partial<Options> = {}): Options {
  return {
    id: 1,
    uid: 'kuma',
    orgId: 1,
    name: 'Kuma',
    type: 'kumahq-kuma-datasource',
    typeName: 'Kuma',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: {},
    secureJsonFields: {},
    ...patch,
  } as Options;
}

/** setup renders the editor as Grafana does: controlled, with every change fed back. */
function setup(initial: Options = baseOptions()) {
  const onOptionsChange = jest.fn();
  function Harness() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(o) => {
          onOptionsChange(o);
          setOptions(o);
        }}
      />
    );
  }
  render(<Harness />);
  const last = (): Options => onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0];
  return { onOptionsChange, last };
}

describe('ConfigEditor', () => {
  beforeEach(() => mockGet.mockReset());

  it('groups the fields under a titled fieldset per connection', () => {
    setup(baseOptions({ jsonData: { tlsAuthWithCACert: true } }));
    const cp = screen.getByRole('group', { name: 'Kuma control plane' });
    expect(within(cp).getByLabelText('URL')).toBeInTheDocument();
    expect(within(cp).getByLabelText(/^CA Certificate/)).toBeInTheDocument();
    const prom = screen.getByRole('group', { name: 'Prometheus' });
    expect(within(prom).getByLabelText('Prometheus URL')).toBeInTheDocument();
    expect(within(prom).queryByLabelText('URL')).not.toBeInTheDocument();
  });

  it('sets the control-plane URL as the datasource URL', async () => {
    const { last } = setup();
    await userEvent.type(screen.getByLabelText('URL'), 'http://kuma-cp:5681');
    expect(last().url).toBe('http://kuma-cp:5681');
    expect(last().jsonData).toEqual({});
  });

  it('stores the token as a secret and keeps other secrets', async () => {
    const { last } = setup(baseOptions({ secureJsonData: { prometheusToken: 'p' } }));
    await userEvent.type(screen.getByLabelText('Token'), 's3cret');
    expect(last().secureJsonData).toEqual({ prometheusToken: 'p', cpToken: 's3cret' });
    expect(last().jsonData).toEqual({});
  });

  it('a configured token can be reset', async () => {
    const { last } = setup(baseOptions({ secureJsonFields: { cpToken: true, prometheusToken: true } }));
    const token = screen.getByLabelText('Token');
    expect(token).toBeDisabled();
    expect(token).toHaveValue('configured');
    // The first Reset button belongs to the first secret, the control-plane token.
    await userEvent.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
    expect(last().secureJsonFields).toEqual({ cpToken: false, prometheusToken: true });
    expect(last().secureJsonData).toEqual({ cpToken: '' });
    expect(screen.getByLabelText('Token')).toBeEnabled();
  });

  it('fills the Prometheus URL from a picked Prometheus datasource', async () => {
    mockGet.mockResolvedValue({ url: 'http://prometheus:9090', basicAuth: true, basicAuthUser: 'bob' });
    const { last } = setup();
    await userEvent.click(screen.getByRole('button', { name: 'pick prometheus' }));
    await waitFor(() => expect(screen.getByLabelText('Prometheus URL')).toHaveValue('http://prometheus:9090'));
    expect(mockGet).toHaveBeenCalledWith('/api/datasources/uid/prom-uid');
    expect(last().jsonData).toEqual({ prometheusUrl: 'http://prometheus:9090', prometheusBasicAuthUser: 'bob' });
    expect(screen.getByText('Enter the password of the datasource you picked')).toBeInTheDocument();
  });

  it('merges the picked datasource into edits made while it was being read', async () => {
    let answer: (ds: object) => void = () => {};
    mockGet.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { last } = setup();
    await userEvent.click(screen.getByRole('button', { name: 'pick prometheus' }));
    await userEvent.type(screen.getByLabelText('URL'), 'http://kuma-cp:5681');
    await userEvent.type(screen.getByLabelText('Token'), 't');
    answer({ url: 'http://prometheus:9090', basicAuth: false });
    await waitFor(() => expect(screen.getByLabelText('Prometheus URL')).toHaveValue('http://prometheus:9090'));
    expect(last().url).toBe('http://kuma-cp:5681');
    expect(last().secureJsonData).toEqual({ cpToken: 't' });
    expect(last().jsonData).toEqual({ prometheusUrl: 'http://prometheus:9090', prometheusBasicAuthUser: undefined });
  });

  it('keeps only the answer to the last pick', async () => {
    const answers: Array<(ds: object) => void> = [];
    mockGet.mockImplementation(() => new Promise((resolve) => answers.push(resolve)));
    const { last } = setup();
    const pick = screen.getByRole('button', { name: 'pick prometheus' });
    await userEvent.click(pick);
    await userEvent.click(pick);
    answers[1]({ url: 'http://second:9090' });
    await waitFor(() => expect(screen.getByLabelText('Prometheus URL')).toHaveValue('http://second:9090'));
    answers[0]({ url: 'http://first:9090' });
    // Let the first, stale answer settle before checking it changed nothing.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(last().jsonData.prometheusUrl).toBe('http://second:9090');
  });

  it('says so when the picked datasource cannot be read', async () => {
    mockGet.mockRejectedValue({ status: 403, data: { message: 'Permission denied' } });
    const { onOptionsChange } = setup();
    await userEvent.click(screen.getByRole('button', { name: 'pick prometheus' }));
    expect(await screen.findByText('Could not read that datasource: Permission denied')).toBeInTheDocument();
    expect(onOptionsChange).not.toHaveBeenCalled();
  });

  it('edits the Prometheus URL, basic auth and token', async () => {
    const { last } = setup();
    await userEvent.type(screen.getByLabelText('Prometheus URL'), 'http://prom:9090');
    await userEvent.type(screen.getByLabelText('Basic auth user'), 'alice');
    await userEvent.type(screen.getByLabelText('Basic auth password'), 'pw');
    await userEvent.type(screen.getByLabelText('Bearer token'), 'tok');
    expect(last().jsonData).toEqual({ prometheusUrl: 'http://prom:9090', prometheusBasicAuthUser: 'alice' });
    expect(last().secureJsonData).toEqual({ prometheusBasicAuthPassword: 'pw', prometheusToken: 'tok' });
  });

  it('keeps label names in a collapsed section with the defaults as placeholders', async () => {
    const { last } = setup();
    expect(screen.queryByLabelText('Zone label')).not.toBeInTheDocument();
    await userEvent.click(screen.getByText('Prometheus label names'));
    const zone = screen.getByLabelText('Zone label');
    expect(zone).toHaveAttribute('placeholder', 'kuma_io_zone');
    expect(screen.getByLabelText('Service label')).toHaveAttribute('placeholder', 'kuma_io_service');
    await userEvent.type(zone, 'zone');
    expect(last().jsonData).toEqual({ zoneLabel: 'zone' });
  });

  it('opens the label names when one is set, so a bad saved name shows its error', () => {
    setup(baseOptions({ jsonData: { meshLabel: 'bad-label' } }));
    expect(screen.getByLabelText('Mesh label')).toHaveValue('bad-label');
    expect(screen.getByText(/Not a Prometheus label name/)).toBeInTheDocument();
  });

  // The TLS section is plugin-ui's TLSSettings; these pin the jsonData and
  // secureJsonData keys it writes to the ones saved and provisioned
  // datasources hold (README "Configure"), which the backend reads.
  it('shows the CA and client certificate fields only when their TLS option is on', async () => {
    const { last } = setup();
    expect(screen.queryByLabelText(/^CA Certificate/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Add self-signed certificate'));
    expect(last().jsonData).toEqual({ tlsAuthWithCACert: true });
    await userEvent.type(screen.getByLabelText(/^CA Certificate/), 'PEM');
    expect(last().secureJsonData).toEqual({ tlsCACert: 'PEM' });

    expect(screen.queryByLabelText(/^Client Key/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('TLS Client Authentication'));
    await userEvent.type(screen.getByLabelText(/^Client Certificate/), 'CERT');
    await userEvent.type(screen.getByLabelText(/^Client Key/), 'KEY');
    expect(last().secureJsonData).toEqual({ tlsCACert: 'PEM', tlsClientCert: 'CERT', tlsClientKey: 'KEY' });
    await userEvent.click(screen.getByLabelText('Skip TLS certificate validation'));
    expect(last().jsonData).toEqual({ tlsAuthWithCACert: true, tlsAuth: true, tlsSkipVerify: true });
  });

  it('shows saved certificates as configured and resets one to clear it', async () => {
    const { last } = setup(
      baseOptions({
        jsonData: { tlsAuthWithCACert: true, tlsAuth: true, tlsSkipVerify: true, serverName: 'kuma-cp' },
        secureJsonFields: { tlsCACert: true, tlsClientCert: true, tlsClientKey: true },
      })
    );
    expect(screen.getByLabelText('Add self-signed certificate')).toBeChecked();
    expect(screen.getByLabelText('TLS Client Authentication')).toBeChecked();
    expect(screen.getByLabelText('Skip TLS certificate validation')).toBeChecked();
    expect(screen.getByLabelText(/^ServerName/)).toHaveValue('kuma-cp');
    expect(screen.getAllByRole('button', { name: 'Reset' })).toHaveLength(3);
    await userEvent.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
    expect(last().secureJsonFields).toEqual({ tlsCACert: false, tlsClientCert: true, tlsClientKey: true });
    expect(last().secureJsonData).toEqual({ tlsCACert: '' });
  });

  it('turning client auth off clears the client certificate, key and server name', async () => {
    const { last } = setup(
      baseOptions({
        jsonData: { tlsAuth: true, serverName: 'kuma-cp' },
        secureJsonFields: { tlsClientCert: true, tlsClientKey: true },
      })
    );
    await userEvent.click(screen.getByLabelText('TLS Client Authentication'));
    expect(last().jsonData).toEqual({ tlsAuth: false, serverName: '' });
    expect(last().secureJsonFields).toEqual({ tlsClientCert: false, tlsClientKey: false });
    expect(screen.queryByLabelText(/^ServerName/)).not.toBeInTheDocument();
  });

  it('locks the TLS settings of a provisioned (read-only) datasource', () => {
    setup(baseOptions({ readOnly: true, jsonData: { tlsAuthWithCACert: true } }));
    expect(screen.getByLabelText('Add self-signed certificate')).toBeDisabled();
    expect(screen.getByLabelText('Skip TLS certificate validation')).toBeDisabled();
    expect(screen.getByLabelText(/^ServerName/)).toBeDisabled();
  });

  it.each([
    { name: 'neither TLS option', jsonData: {}, shown: false },
    { name: 'a CA cert', jsonData: { tlsAuthWithCACert: true }, shown: true },
    { name: 'TLS client auth', jsonData: { tlsAuth: true }, shown: true },
    { name: 'both', jsonData: { tlsAuthWithCACert: true, tlsAuth: true }, shown: true },
  ])('offers the TLS server name once with $name, as the SDK reads it', async ({ jsonData, shown }) => {
    const { last } = setup(baseOptions({ jsonData }));
    if (!shown) {
      expect(screen.queryByLabelText(/^ServerName/)).not.toBeInTheDocument();
      return;
    }
    await userEvent.type(screen.getByLabelText(/^ServerName/), 'kuma-cp');
    expect(last().jsonData).toEqual({ ...jsonData, serverName: 'kuma-cp' });
  });

  it('stores the timeout as whole seconds and drops values the SDK would read as no timeout', async () => {
    const { last } = setup();
    const timeout = screen.getByLabelText('Timeout');
    expect(screen.getByText(/1 to 300, empty for the default of 30/)).toBeInTheDocument();
    await userEvent.type(timeout, '45');
    expect(last().jsonData).toEqual({ timeout: 45 });
    await userEvent.clear(timeout);
    await userEvent.type(timeout, '0');
    expect(last().jsonData.timeout).toBeUndefined();
    expect(JSON.stringify(last().jsonData)).toBe('{}');
  });

  it('marks URLs and label names the health check would reject', async () => {
    setup();
    await userEvent.type(screen.getByLabelText('URL'), 'kuma-cp:5681');
    expect(screen.getByText('Enter an http:// or https:// URL')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('URL'));
    await userEvent.type(screen.getByLabelText('URL'), 'http://kuma-cp:5681');
    expect(screen.queryByText('Enter an http:// or https:// URL')).not.toBeInTheDocument();

    await userEvent.click(screen.getByText('Prometheus label names'));
    await userEvent.type(screen.getByLabelText('Zone label'), 'kuma.io/zone');
    expect(screen.getByText(/Not a Prometheus label name/)).toBeInTheDocument();
  });

  it('resetting one secret keeps secrets typed but not yet saved', async () => {
    const { last } = setup(
      baseOptions({ secureJsonFields: { cpToken: true }, secureJsonData: { prometheusToken: 'p' } })
    );
    await userEvent.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
    expect(last().secureJsonFields).toEqual({ cpToken: false });
    expect(last().secureJsonData).toEqual({ prometheusToken: 'p', cpToken: '' });
  });

  it('tells users of the older plugin what to set', () => {
    setup(baseOptions({ jsonData: { prometheusDataSourceId: 9 } }));
    expect(screen.getByText('Saved by the older Kuma plugin')).toBeInTheDocument();
    expect(screen.getByText(/Prometheus datasource with id 9\. Pick it above/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Use / })).not.toBeInTheDocument();
  });

  it("offers the older plugin's Prometheus datasource when it still exists", async () => {
    mockGet.mockResolvedValue({ url: 'http://prometheus:9090', basicAuth: false });
    const { last } = setup(baseOptions({ jsonData: { prometheusDataSourceId: '3' } }));
    expect(screen.getByText(/id 3 \(Prometheus\)/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Use Prometheus' }));
    await waitFor(() => expect(screen.getByLabelText('Prometheus URL')).toHaveValue('http://prometheus:9090'));
    expect(mockGet).toHaveBeenCalledWith('/api/datasources/uid/prom-uid');
    expect(last().jsonData.prometheusUrl).toBe('http://prometheus:9090');
    expect(screen.queryByText('Saved by the older Kuma plugin')).not.toBeInTheDocument();
  });
});

describe('timeoutSeconds', () => {
  it.each([
    { raw: '30', want: 30 },
    { raw: '2.9', want: 2 },
    { raw: '', want: undefined },
    { raw: ' ', want: undefined },
    { raw: '0', want: undefined },
    { raw: '-5', want: undefined },
    { raw: 'abc', want: undefined },
    { raw: '300', want: 300 },
    { raw: '1000000000000', want: 300 },
  ])('$raw becomes $want', ({ raw, want }) => {
    expect(timeoutSeconds(raw)).toBe(want);
  });
});
