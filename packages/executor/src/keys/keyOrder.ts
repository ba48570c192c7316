/**
 * Total, typed order over field values (DESIGN.md §3):
 *
 *   null (= undefined) < booleans < numbers < strings < bytes < arrays < objects
 *
 * - booleans: false < true.
 * - numbers: number and bigint compared by exact mathematical value (2n**60n equals 2**60,
 *   2n**53n + 1n > 2**53); -0 equals 0; NaN equals NaN and sorts after every other number
 *   (after +Infinity).
 * - strings: by UTF-16 code unit, exactly like JS `<` (not by code point, not locale-aware).
 * - bytes (any Uint8Array, Buffer included): lexicographic by unsigned byte, then shorter first.
 * - arrays: element-wise with compareValues, then shorter first.
 * - objects: first their sorted own-key lists are compared element-wise as strings (then fewer
 *   keys first); if the key lists are equal, the values are compared in that sorted key order.
 *   Any other object (Map, Date, ...) is compared as a plain object by its own enumerable keys.
 * Values of different kinds never compare equal. Functions and symbols are rejected.
 */
import type { Row } from '../codec/rowCodec';

const R_NULL = 0;
const R_BOOL = 1;
const R_NUM = 2;
const R_STR = 3;
const R_BYTES = 4;
const R_ARRAY = 5;
const R_OBJECT = 6;

/** Kind rank in the typed order; exported so hashing/grouping agree on what a kind is. */
export function kindRank(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return R_STR;
    case 'number':
    case 'bigint':
      return R_NUM;
    case 'boolean':
      return R_BOOL;
    case 'undefined':
      return R_NULL;
    case 'object':
      if (v === null) return R_NULL;
      if (Array.isArray(v)) return R_ARRAY;
      if (v instanceof Uint8Array) return R_BYTES;
      return R_OBJECT;
    default:
      throw new TypeError(`unsupported key value of type ${typeof v}`);
  }
}

/** Exact numeric comparison of number/bigint values; NaN last and equal to NaN. */
function compareNumeric(a: number | bigint, b: number | bigint): number {
  // JS relational operators compare bigint with number by exact mathematical value.
  if (a < b) return -1;
  if (a > b) return 1;
  // Neither is less: equal (incl. -0 vs 0, 2n**60n vs 2**60) unless a NaN is involved.
  const aNaN = a !== a;
  const bNaN = b !== b;
  if (aNaN === bNaN) return 0;
  return aNaN ? 1 : -1;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Own enumerable keys sorted by UTF-16 code unit (default sort order for strings). */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort();
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = sortedKeys(a);
  const kb = sortedKeys(b);
  const c = compareArrays(ka, kb);
  if (c !== 0) return c;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    const cv = compareValues(a[k], b[k]);
    if (cv !== 0) return cv;
  }
  return 0;
}

/** Total typed order; returns -1, 0 or 1. See the module comment for the rules. */
export function compareValues(a: unknown, b: unknown): number {
  const ta = typeof a;
  // Same-type primitives first: the overwhelmingly common case for keys.
  if (ta === 'string' && typeof b === 'string') return compareStrings(a as string, b);
  if (ta === 'number' && typeof b === 'number') {
    const x = a as number;
    if (x < b) return -1;
    if (x > b) return 1;
    if (x === b) return 0;
    return compareNumeric(x, b);
  }
  const ra = kindRank(a);
  const rb = kindRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case R_NULL:
      return 0;
    case R_BOOL:
      return a === b ? 0 : a ? 1 : -1;
    case R_NUM:
      return compareNumeric(a as number | bigint, b as number | bigint);
    case R_STR:
      return compareStrings(a as string, b as string);
    case R_BYTES:
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case R_ARRAY:
      return compareArrays(a as unknown[], b as unknown[]);
    default:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
  }
}

/** One sort key: `field` is a 0-based index into the row; `desc` reverses its order. */
export type OrderBy = { field: number; desc: boolean };

/** Compares one field with same-type string/number fast paths, exact otherwise. */
function compareField(x: unknown, y: unknown): number {
  if (typeof x === 'string') {
    if (typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  } else if (typeof x === 'number' && typeof y === 'number') {
    if (x < y) return -1;
    if (x > y) return 1;
    if (x === y) return 0;
  }
  return compareValues(x, y);
}

/**
 * Builds a row comparator for `orderBy` (earlier entries take precedence). Single-field orders get
 * their own closures so the sort loop stays index-free.
 */
export function makeRowComparator(orderBy: OrderBy[]): (a: Row, b: Row) => number {
  for (const o of orderBy) {
    if (!Number.isInteger(o.field) || o.field < 0) throw new RangeError(`orderBy field must be a 0-based index, got ${o.field}`);
  }
  if (orderBy.length === 0) return () => 0;
  if (orderBy.length === 1) {
    const f = orderBy[0].field;
    // Descending: swap the arguments (negating could yield -0 and reads worse).
    return orderBy[0].desc ? (a, b) => compareField(b[f], a[f]) : (a, b) => compareField(a[f], b[f]);
  }
  const fields = orderBy.map((o) => o.field);
  const desc = orderBy.map((o) => o.desc);
  const n = fields.length;
  return (a, b) => {
    for (let i = 0; i < n; i++) {
      const f = fields[i];
      const c = desc[i] ? compareField(b[f], a[f]) : compareField(a[f], b[f]);
      if (c !== 0) return c;
    }
    return 0;
  };
}
