import { readFileSync } from 'fs';
import { join } from 'path';

import { regexFormat } from './interpolate';
import { labelError, urlError } from './validate';

// The cases in testdata/agreement/ are also run by pkg/models/agreement_test.go
// against the backend's rules, so both languages answer them alike.

interface RuleCase {
  name: string;
  value: string;
  valid: boolean;
}

interface ZoneCase {
  name: string;
  values: string[];
  all?: boolean;
  written: string;
  zones: string[] | null;
}

function cases<T>(file: string): T[] {
  const doc = JSON.parse(readFileSync(join(__dirname, '..', 'testdata', 'agreement', file), 'utf8'));
  return doc.cases;
}

describe('URL settings agree with the backend', () => {
  it.each(cases<RuleCase>('urls.json'))('$name', ({ value, valid }) => {
    expect(urlError(value) === undefined).toBe(valid);
  });
});

describe('label-name settings agree with the backend', () => {
  it.each(cases<RuleCase>('labels.json'))('$name', ({ value, valid }) => {
    expect(labelError(value) === undefined).toBe(valid);
  });
});

describe('the zone filter is what the backend reads', () => {
  it.each(cases<ZoneCase>('zones.json'))('$name', ({ values, all, written, zones }) => {
    const value = values.length === 1 ? values[0] : values;
    expect(regexFormat(value, all ? { current: { value: ['$__all'] } } : undefined)).toBe(written);
    for (const zone of zones ?? []) {
      expect(new RegExp(`^(?:${written})$`).test(zone)).toBe(true);
    }
  });
});
