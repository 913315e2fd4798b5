import React from 'react';

interface Option {
  label?: string;
  value: string;
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
 * options (labelled through the id, as the real one is), aria-busy while
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
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label ?? o.value}
          </option>
        ))}
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
