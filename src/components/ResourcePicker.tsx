import React, { useId, useMemo } from 'react';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';

import { ResourceState } from '../hooks/useResource';

interface Props {
  label: string;
  tooltip: string;
  value?: string;
  state: ResourceState<{ name: string }>;
  /** variables are offered first as $name, under one heading, so dashboards can drive the query. */
  variables: string[];
  placeholder?: string;
  onChange: (value: string | undefined) => void;
}

/**
 * ResourcePicker is a combobox over a backend resource list that also
 * accepts dashboard variables and any typed value (a $variable or, for regex
 * fields, a regex). It shows the loading state and the backend's error inline.
 */
export function ResourcePicker({ label, tooltip, value, state, variables, placeholder, onChange }: Props) {
  const id = useId();
  const options = useMemo(() => {
    const opts: Array<ComboboxOption<string>> = [
      ...variables.map((v) => ({ label: v, value: v, group: 'Dashboard variables' })),
      ...state.items.map((i) => ({ label: i.name, value: i.name })),
    ];
    // Keep a typed value visible even when the list does not contain it.
    if (value && !opts.some((o) => o.value === value)) {
      opts.push({ label: value, value });
    }
    return opts;
  }, [variables, state.items, value]);

  return (
    <InlineField
      label={label}
      htmlFor={id}
      labelWidth={14}
      tooltip={tooltip}
      invalid={Boolean(state.error)}
      error={state.error}
      // InlineField overwrites its child's loading prop with its own.
      loading={state.loading}
    >
      <Combobox
        id={id}
        width={32}
        value={value || null}
        options={options}
        createCustomValue
        isClearable
        placeholder={placeholder}
        onChange={(o) => onChange(o?.value || undefined)}
      />
    </InlineField>
  );
}
