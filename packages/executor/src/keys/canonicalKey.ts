/**
 * Group keys for JS Maps: two values get the same group key (under Map's SameValueZero) iff
 * compareValues says they are equal.
 *
 * Design — ONE Map holds every kind of key, without collisions:
 * - null/undefined -> null; booleans -> themselves.
 * - numbers -> themselves, -0 -> 0 (NaN stays NaN: Map already treats NaN as one key).
 * - bigints -> the equal number when one exists exactly (5n -> 5, 2n**60n -> 2**60), otherwise
 *   the bigint itself (Map compares bigints by value).
 * - strings -> themselves, except a string whose first code unit is U+0000 gets one more U+0000
 *   in front (an escape; in practice never taken).
 * - composites (arrays, objects, bytes) -> "\u0000" + a canonical, self-delimiting encoding that
 *   starts with 'a', 'o' or 'b'.
 * So plain-string keys never start with "\u0000" followed by anything but "\u0000", composite keys
 * always do: the two sets are disjoint and each mapping is injective. A group key is an identity,
 * not the value: emit the first original key value seen for a group, never the group key.
 * Callers that prefer two Maps (primitives / composites) can split on isCompositeKey(value).
 *
 * Canonical encoding (each item self-delimiting, so concatenation is injective):
 *   null 'n' | false 'f' | true 't'
 *   integer (number or bigint, any size) 'i' + exact decimal + ';'   (-0 -> "i0;")
 *   other number 'd' + String(x) + ';'   (shortest round-trip text; NaN, Infinity included)
 *   string 's' + length + ':' + text | bytes 'b' + length + ':' + latin1 text
 *   array 'a' + length + ':' + items | object 'o' + key count + ':' + (length ':' key, value)*
 *   with object keys sorted by UTF-16 code unit, as compareValues does.
 */
import type { Row } from '../codec/rowCodec';
import { sortedKeys } from './keyOrder';

export type GroupKey = string | number | boolean | null | bigint;

const ESC = '\u0000';
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_BIG = -MAX_SAFE_BIG;

/** The number exactly equal to `b`, or `b` itself when no double equals it. */
function canonicalBigInt(b: bigint): number | bigint {
  if (b >= MIN_SAFE_BIG && b <= MAX_SAFE_BIG) return Number(b);
  const n = Number(b);
  return Number.isFinite(n) && BigInt(n) === b ? n : b;
}

function encodeNumber(x: number): string {
  if (Number.isInteger(x)) {
    // Unsafe integers print in exponent form: go through BigInt for the exact digits.
    return 'i' + (Number.isSafeInteger(x) ? String(x) : BigInt(x).toString()) + ';';
  }
  return 'd' + String(x) + ';';
}

function encodeBytes(b: Uint8Array): string {
  return 'b' + b.length + ':' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function encodeComposite(v: object): string {
  if (Array.isArray(v)) {
    let s = 'a' + v.length + ':';
    for (let i = 0; i < v.length; i++) s += encode(v[i]);
    return s;
  }
  if (v instanceof Uint8Array) return encodeBytes(v);
  const o = v as Record<string, unknown>;
  const keys = sortedKeys(o);
  let s = 'o' + keys.length + ':';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    s += k.length + ':' + k + encode(o[k]);
  }
  return s;
}

/** Canonical encoding of any value (used inside composites). */
function encode(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 's' + v.length + ':' + v;
    case 'number':
      return encodeNumber(v);
    case 'bigint':
      return 'i' + v.toString() + ';';
    case 'boolean':
      return v ? 't' : 'f';
    case 'undefined':
      return 'n';
    case 'object':
      return v === null ? 'n' : encodeComposite(v);
    default:
      throw new TypeError(`unsupported key value of type ${typeof v}`);
  }
}

/** Group key of one value; see the module comment for the design. */
export function groupKey(v: unknown): GroupKey {
  switch (typeof v) {
    case 'string':
      return v.charCodeAt(0) === 0 ? ESC + v : v;
    case 'number':
      return v === 0 ? 0 : v;
    case 'boolean':
      return v;
    case 'bigint':
      return canonicalBigInt(v);
    case 'undefined':
      return null;
    case 'object':
      return v === null ? null : ESC + encodeComposite(v);
    default:
      throw new TypeError(`unsupported key value of type ${typeof v}`);
  }
}

/**
 * True when the VALUE `v` (not its group key) is a composite — array, bytes or object — whose
 * group key is a canonical string. Callers may keep composites in a second Map; since the key
 * sets are disjoint anyway, one Map for everything is equally correct.
 */
export function isCompositeKey(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/**
 * Group key of the key made of `keyFields` (0-based). One field: groupKey(row[f]). Several:
 * exactly groupKey([row[f1], row[f2], ...]), built without the intermediate array.
 */
export function keyOfFields(row: Row, keyFields: number[]): GroupKey {
  const n = keyFields.length;
  if (n === 1) return groupKey(row[keyFields[0]]);
  let s = ESC + 'a' + n + ':';
  for (let i = 0; i < n; i++) s += encode(row[keyFields[i]]);
  return s;
}
