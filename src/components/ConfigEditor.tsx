import React, { ChangeEvent, useEffect, useRef, useState } from 'react';
import {
  DataSourcePluginOptionsEditorProps,
  DataSourceSettings,
  onUpdateDatasourceJsonDataOption,
  onUpdateDatasourceSecureJsonDataOption,
  updateDatasourcePluginResetOption,
} from '@grafana/data';
import { DataSourcePicker, getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Box, Button, Collapse, Field, FieldSet, Input, SecretInput, Stack, Text } from '@grafana/ui';
import { convertLegacyAuthProps, TLSSettings } from '@grafana/plugin-ui';

import { errorMessage } from '../hooks/useResource';
import { DEFAULT_LABELS, KumaOptions, KumaSecureJsonData, LabelKey } from '../types';
import { labelError, urlError } from '../validate';

type Props = DataSourcePluginOptionsEditorProps<KumaOptions, KumaSecureJsonData>;
type SecureKey = keyof KumaSecureJsonData;

/** SecretProps wires a SecretInput to one secureJsonData key. */
interface SecretProps {
  isConfigured: boolean;
  value: string;
  onChange: (e: React.SyntheticEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => void;
  onReset: () => void;
}

/** MAX_TIMEOUT is the largest timeout the backend applies (pkg/models/limits.go). */
export const MAX_TIMEOUT = 300;

/**
 * timeoutSeconds turns the Timeout box into the jsonData value: whole seconds
 * up to MAX_TIMEOUT. Anything but a positive number is dropped, and the
 * backend's default of 30 s applies; the backend clamps saved values the same
 * way, so every request has a bounded timeout.
 */
export function timeoutSeconds(raw: string): number | undefined {
  const n = Math.floor(Number(raw));
  return raw.trim() !== '' && Number.isFinite(n) && n > 0 ? Math.min(n, MAX_TIMEOUT) : undefined;
}

const LABEL_FIELDS: Array<{ key: LabelKey; label: string; description: string }> = [
  { key: 'meshLabel', label: 'Mesh label', description: "The dataplane's mesh" },
  {
    key: 'serviceLabel',
    label: 'Service label',
    description: "The dataplane's kuma.io/service (the first, if it has several)",
  },
  {
    key: 'servicesLabel',
    label: 'Services label',
    description: "All of the dataplane's services, comma-separated (,orders,billing,)",
  },
  { key: 'zoneLabel', label: 'Zone label', description: "The dataplane's zone (multizone)" },
  { key: 'dataplaneLabel', label: 'Dataplane label', description: "The dataplane's name" },
  { key: 'gatewayLabel', label: 'Gateway label', description: 'The builtin MeshGateway a gateway dataplane serves' },
];

/**
 * ConfigEditor edits the control-plane connection, the Prometheus the graph
 * is computed from, and the Prometheus label names. "Save & test" runs the
 * backend's health check, which reports the control plane and Prometheus
 * separately.
 */
export function ConfigEditor(props: Props) {
  const { options, onOptionsChange } = props;
  const { jsonData } = options;
  const secureFields = options.secureJsonFields ?? {};
  const secure = (options.secureJsonData ?? {}) as KumaSecureJsonData;
  // Overrides start shown: a set (or invalid) label name matters on every
  // query, and a closed section would hide it and its error.
  const [labelsOpen, setLabelsOpen] = useState(() => LABEL_FIELDS.some(({ key }) => Boolean(jsonData[key])));
  const [pickError, setPickError] = useState<string>();
  const [pickedBasicAuth, setPickedBasicAuth] = useState(false);

  const setJson = (patch: Partial<KumaOptions>) => onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const secretProps = (key: SecureKey): SecretProps => ({
    isConfigured: Boolean(secureFields[key]),
    value: secure[key] ?? '',
    onChange: onUpdateDatasourceSecureJsonDataOption(props, key),
    onReset: () => updateDatasourcePluginResetOption(props, key),
  });

  // The picked datasource's settings arrive after a request, when the user
  // may have edited other fields or picked again: merge into the latest
  // options, and only the answer to the last pick while the editor is shown.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const lastPick = useRef(0);
  useEffect(() => {
    const picks = lastPick;
    return () => {
      picks.current = -1;
    };
  }, []);

  // The picker hands over the browser-side settings, whose url is Grafana's
  // proxy path; the real URL comes from the datasource API.
  const onPickPrometheus = async (uid: string) => {
    const pick = ++lastPick.current;
    setPickError(undefined);
    try {
      const ds = await getBackendSrv().get<DataSourceSettings>(`/api/datasources/uid/${uid}`);
      if (pick !== lastPick.current) {
        return;
      }
      const { options: now, onOptionsChange: change } = latest.current;
      setPickedBasicAuth(Boolean(ds.basicAuth));
      change({
        ...now,
        jsonData: {
          ...now.jsonData,
          prometheusUrl: ds.url,
          prometheusBasicAuthUser: ds.basicAuth ? ds.basicAuthUser : now.jsonData.prometheusBasicAuthUser,
        },
      });
    } catch (err) {
      if (pick === lastPick.current) {
        setPickError(`Could not read that datasource: ${errorMessage(err)}`);
      }
    }
  };

  return (
    <Stack direction="column" gap={0}>
      <FieldSet label="Kuma control plane">
        <Field
          label="URL"
          description="The Kuma API: the global CP in multizone, or a zone or standalone CP, e.g. http://kuma-control-plane.kuma-system:5681"
          required
          invalid={Boolean(urlError(options.url))}
          error={urlError(options.url)}
        >
          <Input
            id="kuma-url"
            aria-label="URL"
            width={60}
            value={options.url}
            placeholder="http://kuma-control-plane.kuma-system:5681"
            onChange={(e: ChangeEvent<HTMLInputElement>) => onOptionsChange({ ...options, url: e.currentTarget.value })}
          />
        </Field>
        <Field label="Token" description="Sent as a bearer token; needed when the API requires authentication">
          <SecretInput id="kuma-token" aria-label="Token" width={60} {...secretProps('cpToken')} />
        </Field>
        <Field
          label="Timeout"
          description={`Seconds per request to the control plane and Prometheus: 1 to ${MAX_TIMEOUT}, empty for the default of 30`}
        >
          <Input
            id="kuma-timeout"
            aria-label="Timeout"
            type="number"
            width={20}
            value={jsonData.timeout ?? ''}
            placeholder="30"
            min={1}
            max={MAX_TIMEOUT}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ timeout: timeoutSeconds(e.currentTarget.value) })}
          />
        </Field>
        <TlsSettings {...props} setJson={setJson} />
      </FieldSet>

      <FieldSet label="Prometheus">
        <Field
          label="Fill from a Prometheus datasource"
          description="Copies the URL (and basic-auth user) of an existing Prometheus datasource"
          invalid={Boolean(pickError)}
          error={pickError}
        >
          <DataSourcePicker
            inputId="kuma-prometheus-picker"
            type="prometheus"
            current={null}
            noDefault
            width={60}
            onChange={(ds) => onPickPrometheus(ds.uid)}
          />
        </Field>
        {jsonData.prometheusDataSourceId !== undefined && !jsonData.prometheusUrl && (
          <LegacyPrometheus id={jsonData.prometheusDataSourceId} onUse={onPickPrometheus} />
        )}
        <Field
          label="Prometheus URL"
          description="Any Prometheus-compatible query API"
          required
          invalid={Boolean(urlError(jsonData.prometheusUrl))}
          error={urlError(jsonData.prometheusUrl)}
        >
          <Input
            id="kuma-prometheus-url"
            aria-label="Prometheus URL"
            width={60}
            value={jsonData.prometheusUrl ?? ''}
            placeholder="http://prometheus:9090"
            onChange={onUpdateDatasourceJsonDataOption(props, 'prometheusUrl')}
          />
        </Field>
        <Field label="Basic auth user" description="Turns on basic auth to Prometheus">
          <Input
            id="kuma-prometheus-user"
            aria-label="Basic auth user"
            width={40}
            value={jsonData.prometheusBasicAuthUser ?? ''}
            onChange={onUpdateDatasourceJsonDataOption(props, 'prometheusBasicAuthUser')}
          />
        </Field>
        <Field
          label="Basic auth password"
          description={pickedBasicAuth ? 'Enter the password of the datasource you picked' : undefined}
        >
          <SecretInput
            id="kuma-prometheus-password"
            aria-label="Basic auth password"
            width={40}
            {...secretProps('prometheusBasicAuthPassword')}
          />
        </Field>
        <Field label="Bearer token" description="Sent to Prometheus as a bearer token (instead of basic auth)">
          <SecretInput
            id="kuma-prometheus-token"
            aria-label="Bearer token"
            width={60}
            {...secretProps('prometheusToken')}
          />
        </Field>
      </FieldSet>

      <Collapse label="Prometheus label names" isOpen={labelsOpen} onToggle={() => setLabelsOpen(!labelsOpen)}>
        <Box marginBottom={2}>
          <Text color="secondary">
            Change these only if your scrape config relabels the Kuma targets differently. Empty means the default.
          </Text>
        </Box>
        {LABEL_FIELDS.map(({ key, label, description }) => (
          <Field
            key={key}
            label={label}
            description={description}
            invalid={Boolean(labelError(jsonData[key]))}
            error={labelError(jsonData[key])}
          >
            <Input
              id={`kuma-${key}`}
              aria-label={label}
              width={40}
              value={jsonData[key] ?? ''}
              placeholder={DEFAULT_LABELS[key]}
              onChange={onUpdateDatasourceJsonDataOption(props, key)}
            />
          </Field>
        ))}
      </Collapse>
    </Stack>
  );
}

/**
 * LegacyPrometheus tells users of the older plugin, which saved a Prometheus
 * datasource's numeric id, what to set, and offers that datasource when it
 * still exists.
 */
function LegacyPrometheus({ id, onUse }: { id: number | string; onUse: (uid: string) => void }) {
  const ds = getDataSourceSrv()
    .getList({ type: 'prometheus' })
    // The numeric id is all the older plugin saved. Grafana 13 drops it from
    // the instance settings; then nothing matches and only the advice shows.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    .find((d) => String(d.id) === String(id));
  return (
    <Alert severity="warning" title="Saved by the older Kuma plugin">
      <Stack direction="column" alignItems="flex-start">
        <span>
          This datasource used the Prometheus datasource with id {String(id)}
          {ds ? ` (${ds.name})` : ''}. Pick it above or enter its URL.
        </span>
        {ds && (
          <Button size="sm" variant="secondary" onClick={() => onUse(ds.uid)}>
            Use {ds.name}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

interface TlsProps extends Props {
  setJson: (patch: Partial<KumaOptions>) => void;
}

/**
 * TlsSettings is plugin-ui's standard TLS section for the control-plane
 * client; convertLegacyAuthProps maps it to the SDK's standard keys
 * (tlsSkipVerify, tlsAuthWithCACert, tlsAuth, serverName, tlsCACert,
 * tlsClientCert, tlsClientKey), the ones saved and provisioned datasources
 * already hold. Only its TLS part is used: the Auth method picker models one
 * upstream, with basic auth in the datasource's own fields, and ours are a
 * control plane with a token and a Prometheus with its own auth.
 */
function TlsSettings({ options, onOptionsChange, setJson }: TlsProps) {
  const { jsonData } = options;
  const { TLS } = convertLegacyAuthProps({ config: options, onChange: onOptionsChange });
  return (
    <>
      {TLS && <TLSSettings {...TLS} readOnly={Boolean(options.readOnly)} />}
      {/* plugin-ui offers the server name only with client auth; the SDK
          also reads it with a CA cert alone (backend/http_settings.go). */}
      {jsonData.tlsAuthWithCACert && !jsonData.tlsAuth && (
        <Field label="ServerName" description="Expected name in the control plane's certificate">
          <Input
            id="kuma-tls-server-name"
            aria-label="ServerName"
            width={40}
            placeholder="domain.example.com"
            value={jsonData.serverName ?? ''}
            disabled={Boolean(options.readOnly)}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ serverName: e.currentTarget.value })}
          />
        </Field>
      )}
    </>
  );
}
