import React, { useId, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps } from '@grafana/data';
import {
  Checkbox,
  Combobox,
  InlineField,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import type { DataSource } from '../datasource';
import {
  DEFAULT_TRAFFIC_METRICS,
  GraphGroupBy,
  KumaOptions,
  KumaQuery,
  needsMesh,
  QUERY_TYPES,
  QueryType,
  TRAFFIC_METRICS,
  TrafficGroupBy,
  TrafficMetric,
  VALUE_COLUMNS,
} from '../types';
import { ScopeFields } from './Pickers';

type Props = QueryEditorProps<DataSource, KumaQuery, KumaOptions>;

/** LABEL_WIDTH is the label width, in grid units, of every field of the editor. */
const LABEL_WIDTH = 14;

/** ROLLUP_HELP explains the rule the backend applies (see compileRollup in Go). */
export const ROLLUP_HELP =
  'A service whose name matches this regex is shown as the first capture group, so services ' +
  'sharing that group become one node. Example: ^([^_]+)_.* shows demo-app_kuma-demo_svc_5000 as demo-app. ' +
  'Services that do not match keep their name. Empty turns roll-up off.';

/**
 * QueryEditor shows the query type first and then only the fields that type
 * uses. Choices run the query at once; typed text runs it on blur.
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const typeId = useId();
  // A query without a type (saved by hand or by the older plugin) does not
  // run (filterQuery), so the editor shows none rather than a default.
  const type = query.queryType;
  const update = (patch: Partial<KumaQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label="Query type"
        htmlFor={typeId}
        labelWidth={LABEL_WIDTH}
        tooltip="What to ask the control plane for"
      >
        <Combobox
          id={typeId}
          width={32}
          value={type ?? null}
          options={QUERY_TYPES}
          placeholder="Choose a query type"
          // groupBy means something else per type: a new type starts from its default.
          onChange={(o) => update({ queryType: o.value, groupBy: undefined })}
        />
      </InlineField>
      <ScopeFields datasource={datasource} query={query} onChange={update} />
      {type === QueryType.MeshGraph && (
        <InlineField
          label="Nodes"
          labelWidth={LABEL_WIDTH}
          tooltip={
            'One node per service, or per workload (kuma_workload, from the MeshMetric policy of Kuma 2.14 and later). ' +
            'By workload, a service that several workloads back stays one service node.'
          }
        >
          <RadioButtonGroup<GraphGroupBy>
            options={GRAPH_GROUP_BY}
            value={query.groupBy === 'workload' ? 'workload' : 'service'}
            onChange={(groupBy) => update({ groupBy: groupBy === 'service' ? undefined : groupBy })}
          />
        </InlineField>
      )}
      {type === QueryType.Traffic && <TrafficFields query={query} onChange={update} />}
      {type && VALUE_COLUMNS[type] && (
        <ValueColumnField columns={VALUE_COLUMNS[type]!} value={query.valueColumn} onChange={update} />
      )}
      {(type === QueryType.MeshGraph || type === QueryType.Traffic) && (
        <>
          <RollupField value={query.rollupRegEx} onCommit={(rollupRegEx) => update({ rollupRegEx })} />
          <InlineField
            label="Hide idle"
            labelWidth={LABEL_WIDTH}
            tooltip="Drop services with no traffic in the time range"
          >
            <InlineSwitch
              aria-label="Hide idle"
              value={Boolean(query.hideIdle)}
              onChange={(e) => update({ hideIdle: e.currentTarget.checked })}
            />
          </InlineField>
        </>
      )}
      {needsMesh(type) && !query.mesh && <Text color="secondary">Choose a mesh to run this query.</Text>}
    </Stack>
  );
}

const GRAPH_GROUP_BY: Array<{ value: GraphGroupBy; label: string; description: string }> = [
  { value: 'service', label: 'Services', description: 'One node per service' },
  { value: 'workload', label: 'Workloads', description: 'One node per kuma_workload' },
];

const GROUP_BY: Array<{ value: TrafficGroupBy; label: string; description: string }> = [
  { value: 'service', label: 'Service', description: 'What each service received' },
  { value: 'edge', label: 'Edge', description: 'What each source sent to each destination' },
  { value: 'gateway', label: 'Gateway', description: 'What entered each builtin gateway' },
];

const FORMATS = [
  { value: 'timeseries' as const, label: 'Time series', description: 'One series per service or edge and metric' },
  {
    value: 'instant' as const,
    label: 'Numbers',
    description: 'One number per service or edge and metric over the whole range (alert rules get these)',
  },
];

/** NONE is the value column option that keeps the whole table; no table has a column of that name. */
const NONE = '-';

/** ValueColumnField picks the one number of each row an alert rule reads; none keeps the whole table. */
function ValueColumnField(props: { columns: string[]; value?: string; onChange: (p: Partial<KumaQuery>) => void }) {
  const id = useId();
  const options = [{ value: NONE, label: 'None (whole table)' }, ...props.columns.map((c) => ({ value: c, label: c }))];
  return (
    <InlineField
      label="Value column"
      htmlFor={id}
      labelWidth={LABEL_WIDTH}
      tooltip="For alert rules: keep the row's name and this one number (true is 1), since alert instances are told apart by their labels"
    >
      <Combobox
        id={id}
        width={32}
        value={props.value || NONE}
        options={options}
        onChange={(o) => props.onChange({ valueColumn: o.value === NONE ? undefined : o.value })}
      />
    </InlineField>
  );
}

/** TrafficFields are the traffic query's grouping, metrics and format. */
function TrafficFields({ query, onChange }: { query: KumaQuery; onChange: (p: Partial<KumaQuery>) => void }) {
  const groupId = useId();
  const metrics = query.metrics?.length ? query.metrics : DEFAULT_TRAFFIC_METRICS;
  const toggle = (m: TrafficMetric, on: boolean) => {
    const next = TRAFFIC_METRICS.map((o) => o.value).filter((v) => (v === m ? on : metrics.includes(v)));
    onChange({ metrics: next });
  };
  return (
    <>
      <InlineField label="Group by" htmlFor={groupId} labelWidth={LABEL_WIDTH} tooltip="What one series is">
        <Combobox
          id={groupId}
          width={32}
          value={query.groupBy ?? 'service'}
          options={GROUP_BY}
          onChange={(o) => onChange({ groupBy: o.value })}
        />
      </InlineField>
      <InlineField
        label="Metrics"
        labelWidth={LABEL_WIDTH}
        tooltip="Alert rules read one metric per query; TCP metrics are not counted for gateways"
      >
        <Stack direction="row" wrap="wrap" gap={1}>
          {TRAFFIC_METRICS.map((o) => (
            <Checkbox
              key={o.value}
              label={o.label}
              value={metrics.includes(o.value)}
              onChange={(e) => toggle(o.value, e.currentTarget.checked)}
            />
          ))}
        </Stack>
      </InlineField>
      <InlineField label="Format" labelWidth={LABEL_WIDTH} tooltip="Alert rules get numbers unless Time series is set">
        <RadioButtonGroup
          options={FORMATS}
          value={query.format ?? 'timeseries'}
          onChange={(format) => onChange({ format })}
        />
      </InlineField>
    </>
  );
}

/**
 * getHelpStyles puts the roll-up help under the input, not under the label,
 * so the column of labels stays unbroken, and keeps its lines readable.
 */
const getHelpStyles = (theme: GrafanaTheme2) => ({
  help: css({
    marginLeft: theme.spacing(LABEL_WIDTH + 0.5),
    marginBottom: theme.spacing(0.5),
    maxWidth: theme.spacing(80),
    // Text is an inline span; without these the lines take the body's height.
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: theme.typography.bodySmall.lineHeight,
  }),
});

/** RollupField keeps keystrokes local and commits on blur, so typing does not run a query per key. */
function RollupField({ value, onCommit }: { value?: string; onCommit: (v: string | undefined) => void }) {
  // draft is undefined while the user is not editing, so an outside change of value shows at once.
  const [draft, setDraft] = useState<string>();
  const styles = useStyles2(getHelpStyles);
  const commit = () => {
    if (draft !== undefined && draft !== (value ?? '')) {
      onCommit(draft || undefined);
    }
    setDraft(undefined);
  };
  return (
    <>
      <InlineField label="Rollup regex" labelWidth={LABEL_WIDTH} tooltip={ROLLUP_HELP}>
        <Input
          aria-label="Rollup regex"
          width={48}
          value={draft ?? value ?? ''}
          placeholder="^([^_]+)_.*"
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={commit}
        />
      </InlineField>
      <div className={styles.help}>
        <Text color="secondary" variant="bodySmall">
          {ROLLUP_HELP}
        </Text>
      </div>
    </>
  );
}
