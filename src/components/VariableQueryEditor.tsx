import React, { useId } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, Stack } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { KumaOptions, KumaQuery, LIST_QUERY_TYPES } from '../types';
import { ScopeFields } from './Pickers';

type Props = QueryEditorProps<DataSource, KumaQuery, KumaOptions, KumaQuery>;

/**
 * VariableQueryEditor builds template-variable queries from the list query
 * types, so $mesh, $zone, $service, $dataplane and $gateway can all come from
 * this datasource (for example a services query with mesh = $mesh).
 */
export function VariableQueryEditor({ query, onChange, datasource }: Props) {
  const typeId = useId();
  const type = LIST_QUERY_TYPES.some((t) => t.value === query.queryType) ? query.queryType : undefined;
  const update = (patch: Partial<KumaQuery>) => onChange({ ...query, refId: query.refId || 'variable', ...patch });

  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label="Query type"
        htmlFor={typeId}
        labelWidth={14}
        tooltip="The list whose names become the variable's values"
      >
        <Combobox
          id={typeId}
          width={32}
          value={type ?? null}
          options={LIST_QUERY_TYPES}
          placeholder="Choose a list"
          onChange={(o) => update({ queryType: o.value })}
        />
      </InlineField>
      <ScopeFields datasource={datasource} query={{ ...query, queryType: type }} onChange={update} />
    </Stack>
  );
}
