import { ScopedVars } from '@grafana/data';

/** FakeVariable is the part of a dashboard variable that interpolation reads. */
export interface FakeVariable {
  name: string;
  /** value is what Grafana hands the formatter: all selected values, or every option's value for All. */
  value: string | string[];
  current: { value: string | string[] };
  /** type is the variable's kind; query when not given. */
  type?: string;
}

/**
 * fakeTemplateSrv reproduces what Grafana's TemplateSrv.replace does for the
 * cases the datasource relies on: $name and ${name} are replaced; a format
 * function gets (value, variable); without one, a multi-value variable is
 * joined as {a,b} (Grafana's default glob format); unknown variables stay.
 */
export function fakeTemplateSrv(variables: FakeVariable[]) {
  const byName = new Map(variables.map((v) => [v.name, v]));
  return {
    getVariables: () => variables.map((v) => ({ name: v.name, type: v.type ?? 'query' })),
    replace: jest.fn((target?: string, scopedVars?: ScopedVars, format?: string | Function) => {
      if (!target) {
        return target ?? '';
      }
      return target.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced, plain) => {
        const name = braced ?? plain;
        const scoped = scopedVars?.[name];
        const variable = scoped
          ? { name, value: scoped.value as string, current: { value: scoped.value as string } }
          : byName.get(name);
        if (!variable) {
          return match;
        }
        if (typeof format === 'function') {
          return format(variable.value, variable);
        }
        return Array.isArray(variable.value) ? `{${variable.value.join(',')}}` : variable.value;
      });
    }),
  };
}
