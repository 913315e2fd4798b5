import React from 'react';

interface Option {
  label?: string;
  value: string;
  group?: string;
}

/** runs splits options into consecutive runs of one group, as Combobox shows them. */
function runs(options: Option[]): Array<{ group?: string; items: Option[] }> {
  const out: Array<{ group?: string; items: Option[] }> = [];
  for (const o of options) {
    const last = out[out.length - 1];
    if (last && last.group === o.group) {
      last.items.push(o);
    } else {
      out.push({ group: o.group, items: [o] });
    }
  }
  return out;
}

interface Props {
  id?: string;
  value?: string | Option | null;
  options: Option[];
  loading?: boolean;
  placeholder?: string;
  createCustomValue?: boolean;
  onChange: (o: Option | null) => void;
}

/**
 * MockCombobox stands in for @grafana/ui's Combobox, whose floating,
 * virtualised menu does not render in jsdom: a native select with the same
 * options (labelled through the id, as the real one is; grouped options in
 * an optgroup, as the real one heads them), aria-busy while
 * loading, and a text box for custom values when createCustomValue is set.
 */
export function MockCombobox({ id, value, options, loading, placeholder, createCustomValue, onChange }: Props) {
  const current = typeof value === 'object' && value !== null ? value.value : (value ?? '');
  return (
    <span>
      <select
        id={id}
        aria-busy={loading ? 'true' : 'false'}
        value={current}
        onChange={(e) => onChange(options.find((o) => o.value === e.target.value) ?? null)}
      >
        <option value="">{placeholder ?? ''}</option>
        {runs(options).map(({ group, items }, i) => {
          const opts = items.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label ?? o.value}
            </option>
          ));
          return group ? (
            <optgroup key={`group-${i}`} label={group}>
              {opts}
            </optgroup>
          ) : (
            <React.Fragment key={`run-${i}`}>{opts}</React.Fragment>
          );
        })}
      </select>
      {createCustomValue && (
        <input
          aria-label="custom value"
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              const v = e.currentTarget.value;
              onChange({ label: v, value: v });
            }
          }}
        />
      )}
    </span>
  );
}
