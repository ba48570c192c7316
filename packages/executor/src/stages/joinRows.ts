// Row shapes of joins: keys first, then the value fields of each side (a row minus its keys).
import { GleamError, describeRow } from '../errors';
import { compareValues } from '../keys/keyOrder';
import type { Row } from './stage';

export function keysOf(row: Row, key: number[]): unknown[] {
  const out = new Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const v = row[key[i]];
    out[i] = v === undefined ? null : v;
  }
  return out;
}

/** The row's fields that are not key fields, in order. */
export function valuesOf(row: Row, key: number[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < row.length; i++) if (!key.includes(i)) out.push(row[i]);
  return out;
}

/** The DSL's value convention: the single non-key field, or the array of several. */
export function valueOf(row: Row, key: number[]): unknown {
  const vs = valuesOf(row, key);
  return vs.length === 1 ? vs[0] : vs.length === 0 ? null : vs;
}

export function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

export function checkKeyFields(row: Row, key: number[], step: string, side: string): void {
  for (const k of key) {
    if (k >= row.length) {
      throw new GleamError(`step "${step}": by names field ${k + 1}, but a row of the ${side} side has ${row.length} field${row.length === 1 ? '' : 's'}\n  row: ${describeRow(row)}`, step);
    }
  }
}

/** Rows paired with their keys, sorted by key (stable). */
export function sortByKey(rows: Row[], key: number[], step: string, side: string): { k: unknown[]; row: Row }[] {
  const out = rows.map((row) => {
    checkKeyFields(row, key, step, side);
    return { k: keysOf(row, key), row };
  });
  out.sort((a, b) => compareKeys(a.k, b.k));
  return out;
}

/** Walks two key-sorted lists group by group: onGroup(keys, leftRows, rightRows). */
export function mergeGroups(
  left: { k: unknown[]; row: Row }[],
  right: { k: unknown[]; row: Row }[],
  onGroup: (keys: unknown[], l: Row[], r: Row[]) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const c = i >= left.length ? 1 : j >= right.length ? -1 : compareKeys(left[i].k, right[j].k);
    const keys = c <= 0 ? left[i].k : right[j].k;
    const l: Row[] = [];
    const r: Row[] = [];
    if (c <= 0) while (i < left.length && compareKeys(left[i].k, keys) === 0) l.push(left[i++].row);
    if (c >= 0) while (j < right.length && compareKeys(right[j].k, keys) === 0) r.push(right[j++].row);
    onGroup(keys, l, r);
  }
}

export function nulls(n: number): null[] {
  return new Array(n).fill(null);
}
