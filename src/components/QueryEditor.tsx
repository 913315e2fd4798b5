import React, { useId, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineSwitch, Input, Stack, Text, useStyles2 } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { KumaOptions, KumaQuery, needsMesh, QUERY_TYPES, QueryType } from '../types';
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
          onChange={(o) => update({ queryType: o.value })}
        />
      </InlineField>
      <ScopeFields datasource={datasource} query={query} onChange={update} />
      {type === QueryType.MeshGraph && (
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
