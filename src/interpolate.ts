import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { KumaQuery } from './types';

const ALL_VALUE = '$__all';

/** escapeRegex escapes the characters Grafana's own regex format escapes. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}\/]/g, '\\$&');
}

interface VariableLike {
  current?: { value?: string | string[] };
}

function isAll(variable: VariableLike | undefined): boolean {
  const current = variable?.current?.value;
  return current === ALL_VALUE || (Array.isArray(current) && current.includes(ALL_VALUE));
}

/**
 * regexFormat is a template-variable formatter that turns a variable's value
 * into a regex the backend anchors: one value escaped, several as (a|b), and
 * All as .* so zones that appear later match too. Grafana's built-in regex
 * format would expand All into the options known when the dashboard loaded.
 */
export function regexFormat(value: string | string[], variable?: VariableLike): string {
  const values = Array.isArray(value) ? value : [value];
  if (isAll(variable) || values.includes(ALL_VALUE)) {
    return '.*';
  }
  if (values.length === 1) {
    return escapeRegex(values[0]);
  }
  return `(${values.map(escapeRegex).join('|')})`;
}

/**
 * interpolateQuery replaces template variables in every string field of the
 * query: mesh and gateway as plain text, and the fields the backend reads as
 * regexes (zone, service, rollupRegEx) with regexFormat so multi-value and All
 * work.
 */
export function interpolateQuery(query: KumaQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv): KumaQuery {
  const plain = (v?: string) => (v ? templateSrv.replace(v, scopedVars) : v);
  const regex = (v?: string) => (v ? templateSrv.replace(v, scopedVars, regexFormat) : v);
  return {
    ...query,
    mesh: plain(query.mesh),
    gateway: plain(query.gateway),
    zone: regex(query.zone),
    service: regex(query.service),
    rollupRegEx: regex(query.rollupRegEx),
  };
}
