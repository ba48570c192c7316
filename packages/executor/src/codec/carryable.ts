// Values rows and params cannot carry faithfully through msgpack. msgpackr writes a function as
// null, a Map or a class instance as a plain object, a Promise as {}, throws "Unknown type:
// symbol" without saying where, and overflows the stack on a cycle: so these are refused with
// the path of the value and what to do instead. Rows are checked with a typeof per field; only
// object fields are walked, and only tasks that run UDFs check at all (runTask.ts).
import { describeRow, GleamError } from '../errors';
import type { Row } from './rowCodec';
import { ACCUMULATOR_MARKER } from '../udf/accumulatorMarker';

/** Why a value cannot travel, and what to do instead. */
export interface Uncarryable {
  /** Where it is, e.g. `field 2[1].m` or `params.centroids[2].f`. */
  path: string;
  /** What it is, e.g. `a Map`. */
  what: string;
  /** What it would become, e.g. `it would arrive as a plain object`. */
  becomes: string;
  /** What to do instead. */
  fix: string;
}

/** Throws, naming the step, the field (1-based) and the row, when a row holds a value it cannot carry. */
export function checkRows(rows: Row[], step: string): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      const t = typeof v;
      if (t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint' || t === 'undefined') continue;
      if (t === 'object' && (v === null || isCarryable(v as object, []))) continue;
      throw uncarryableRowError(step, row, j);
    }
  }
}

/** The error for row field `index` (0-based), which checkRows refused. */
export function uncarryableRowError(step: string, row: Row, index: number): GleamError {
  const u = findUncarryable(row[index], `field ${index + 1}`) ?? { path: `field ${index + 1}`, what: 'a value', becomes: 'it would change on the way', fix: 'use plain data' };
  const rowText = describeRow(row);
  return new GleamError(`step "${step}": row ${u.path} ${u.what}, which rows cannot carry (${u.becomes}); ${u.fix}\n  row: ${rowText}`, step);
}

// The fast yes/no walk; `ancestors` are the objects enclosing `v` (a cycle leads back to one).
function isCarryable(v: object, ancestors: object[]): boolean {
  if (Array.isArray(v)) return itemsCarryable(v, v, ancestors);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    if (typeof (v as { then?: unknown }).then === 'function') return false;
    if (ancestors.includes(v)) return false;
    ancestors.push(v);
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k];
      const t = typeof x;
      if (t === 'function' || t === 'symbol' || (t === 'object' && x !== null && !isCarryable(x as object, ancestors))) return false;
    }
    ancestors.pop();
    return true;
  }
  if (v instanceof Date) return true;
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView);
  if (v instanceof Set) return itemsCarryable(v, v, ancestors);
  return false;
}

function itemsCarryable(v: object, items: Iterable<unknown>, ancestors: object[]): boolean {
  if (ancestors.includes(v)) return false;
  ancestors.push(v);
  for (const x of items) {
    const t = typeof x;
    if (t === 'function' || t === 'symbol' || (t === 'object' && x !== null && !isCarryable(x as object, ancestors))) return false;
  }
  ancestors.pop();
  return true;
}

/** The first value under `v` that cannot travel, with its path from `path`; undefined when all can. */
export function findUncarryable(v: unknown, path: string): Uncarryable | undefined {
  return find(v, path, []);
}

function find(v: unknown, path: string, ancestors: { value: object; path: string }[]): Uncarryable | undefined {
  switch (typeof v) {
    case 'function':
      return { path, what: `is a function${v.name ? ` (${v.name})` : ''}`, becomes: 'it would arrive as null', fix: 'call it in the UDF and keep its result, or pass code as a string' };
    case 'symbol':
      return { path, what: `is a symbol (${String(v)})`, becomes: 'msgpack has no symbols', fix: 'use a string instead, e.g. its description' };
    case 'object':
      break;
    default:
      return undefined;
  }
  if (v === null) return undefined;
  const back = ancestors.find((a) => a.value === v);
  if (back) {
    return { path, what: `refers back to ${back.path} (a circular value)`, becomes: 'encoding it would never end', fix: 'break the cycle, e.g. keep ids instead of references' };
  }
  const kind = kindOf(v);
  if (kind !== undefined) return { path, ...kind };
  ancestors.push({ value: v, path });
  let found: Uncarryable | undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && !found; i++) found = find(v[i], `${path}[${i}]`, ancestors);
  } else if (v instanceof Set) {
    let i = 0;
    for (const x of v) if (!found) found = find(x, `${path} (Set item ${i++})`, ancestors);
  } else if (!(v instanceof Date) && !ArrayBuffer.isView(v)) {
    for (const k in v) if (!found) found = find((v as Record<string, unknown>)[k], `${path}${keyPath(k)}`, ancestors);
  }
  ancestors.pop();
  return found;
}

// What an object is when it cannot travel (ignoring what it holds), or undefined.
function kindOf(v: object): Omit<Uncarryable, 'path'> | undefined {
  if (Array.isArray(v) || v instanceof Date || v instanceof Set || (ArrayBuffer.isView(v) && !(v instanceof DataView))) return undefined;
  if (v instanceof Map) return { what: 'is a Map', becomes: 'it would arrive as a plain object', fix: 'convert it, e.g. Object.fromEntries(m)' };
  if (typeof (v as { then?: unknown }).then === 'function') {
    const what = v instanceof Promise ? 'is a Promise' : 'is a thenable (an object with a then method)';
    return { what, becomes: 'it would arrive as {}', fix: 'await it: use mapAsync / flatMapAsync for UDFs that return Promises' };
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return undefined;
  // An accumulator's handle travels as its marker field (udf/accumulators.ts).
  if (Object.prototype.hasOwnProperty.call(v, ACCUMULATOR_MARKER)) return undefined;
  const name = (proto?.constructor as { name?: string } | undefined)?.name || 'anonymous';
  return { what: `is an instance of class ${name}`, becomes: 'it would arrive as a plain object, without its prototype', fix: 'convert it to a plain object or an array' };
}

function keyPath(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}
