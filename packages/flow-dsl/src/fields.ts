// The DSL numbers fields from 1 (like Gleam, `sort -k` and `cut -f`); the executor from 0.
import { GleamError, type OrderBy } from '@gleam/executor';

export type SortSpec = number | [number, 'asc' | 'desc'];

function checkField(f: unknown, step: string, what: string): number {
  if (typeof f !== 'number' || !Number.isInteger(f) || f < 1) {
    throw new GleamError(`step "${step}": ${what} must list field numbers starting at 1 (fields are 1-based), got ${JSON.stringify(f)}`, step);
  }
  return f - 1;
}

/** `by: [1, 3]` -> [0, 2]; default [1]. */
export function keyFields(by: unknown, step: string): number[] {
  if (by === undefined) return [0];
  const list = Array.isArray(by) ? by : [by];
  if (list.length === 0) throw new GleamError(`step "${step}": by must list at least one field`, step);
  const out = list.map((f) => checkField(f, step, 'by'));
  if (new Set(out).size !== out.length) throw new GleamError(`step "${step}": by lists a field twice: ${JSON.stringify(by)}`, step);
  return out;
}

/** `by: [[2, 'desc'], 1]` -> [{field: 1, desc: true}, {field: 0, desc: false}]; default field 1 ascending. */
export function orderBy(by: unknown, step: string): OrderBy[] {
  return orderOf(by, step, false);
}

/**
 * top's order (API.md): a plain field number means descending, so `by: [2]` and
 * `by: [[2, 'desc']]` both put the largest first; default field 1, largest first.
 */
export function topOrder(by: unknown, step: string): OrderBy[] {
  return orderOf(by, step, true);
}

function orderOf(by: unknown, step: string, plainDesc: boolean): OrderBy[] {
  if (by === undefined) return [{ field: 0, desc: plainDesc }];
  const list = Array.isArray(by) && !(by.length === 2 && typeof by[0] === 'number' && (by[1] === 'asc' || by[1] === 'desc')) ? by : [by];
  if (list.length === 0) throw new GleamError(`step "${step}": by must list at least one field`, step);
  return list.map((item) => {
    if (Array.isArray(item)) {
      const [f, dir] = item;
      if (dir !== 'asc' && dir !== 'desc') throw new GleamError(`step "${step}": sort direction must be 'asc' or 'desc', got ${JSON.stringify(dir)}`, step);
      return { field: checkField(f, step, 'by'), desc: dir === 'desc' };
    }
    return { field: checkField(item, step, 'by'), desc: plainDesc };
  });
}

export function selectFields(fields: unknown[], step: string): number[] {
  if (fields.length === 0) throw new GleamError(`step "${step}": select needs at least one field number`, step);
  return fields.map((f) => checkField(f, step, 'select'));
}

export function positiveInt(n: unknown, step: string, what: string, allowZero = false): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new GleamError(`step "${step}": ${what} must be ${allowZero ? 'a non-negative' : 'a positive'} integer, got ${JSON.stringify(n)}`, step);
  }
  return n;
}
