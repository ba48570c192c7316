/**
 * Fast non-cryptographic key hashing for partitioning (DESIGN.md §3).
 *
 * Contract: values equal under compareValues hash alike — 1, 1.0 and 1n; -0 and 0; every NaN;
 * 2**60 and 2n**60n; null and undefined. Hashes are uint32 and depend only on the value, so every
 * agent partitions identically (floats hash by their IEEE-754 bits read through a Float64Array,
 * i.e. in platform byte order; all platforms Node ships for in practice are little-endian).
 *
 * Mixing is MurmurHash3's (x86_32) block step and finaliser; strings are FNV-1a over UTF-16 code
 * units followed by the Murmur finaliser, which is cheap for short ASCII words and allocation-free.
 */
import type { Row } from '../codec/rowCodec';
import { sortedKeys } from './keyOrder';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Murmur3 block step: folds 32-bit word `k` into state `h`. */
function mix(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, C2);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Murmur3 finaliser: full avalanche, so `hash % n` is well spread for any n. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Distinct per-kind seeds keep e.g. "", [], 0, false and null apart.
const SEED_NUM = 0x2545f491;
const SEED_STR = 0x811c9dc5; // FNV-1a 32-bit offset basis
const SEED_BYTES = 0x6c8e9cf5;
const SEED_ARRAY = 0x3c6ef372;
const SEED_OBJECT = 0x5be0cd19;
const SEED_BIGINT_POS = 0x1f83d9ab;
const SEED_BIGINT_NEG = 0x9b05688c;
const FNV_PRIME = 0x01000193;

const H_NULL = fmix(0x243f6a88);
const H_FALSE = fmix(0x85a308d3);
const H_TRUE = fmix(0x13198a2e);
const H_NAN = fmix(0x03707344);

// Scratch view for reading a double's bits without allocating; `| 0` keeps words as int32 (no boxing).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_BIG = -MAX_SAFE_BIG;
const U32_MASK_BIG = BigInt(0xffffffff);
const SHIFT_32_BIG = BigInt(32);

function hashNumber(x: number): number {
  if (x !== x) return H_NAN;
  // One path for ints and floats (measured faster than an int32 fast path plus a float path);
  // `+ 0` turns -0 into 0 so both hash alike.
  f64[0] = x + 0;
  return fmix(mix(mix(SEED_NUM, u32[0] | 0), u32[1] | 0));
}

function hashBigInt(b: bigint): number {
  if (b >= MIN_SAFE_BIG && b <= MAX_SAFE_BIG) return hashNumber(Number(b));
  // A bigint exactly equal to some double must hash like that double.
  const n = Number(b);
  if (Number.isFinite(n) && BigInt(n) === b) return hashNumber(n);
  // Not representable as a double, so equal to no number: hash its magnitude words.
  const neg = b < 0;
  let m = neg ? -b : b;
  let h = neg ? SEED_BIGINT_NEG : SEED_BIGINT_POS;
  let words = 0;
  while (m > 0) {
    h = mix(h, Number(m & U32_MASK_BIG));
    m >>= SHIFT_32_BIG;
    words++;
  }
  return fmix(h ^ words);
}

/** FNV-1a over UTF-16 code units + avalanche; no allocation. */
export function hashString(s: string): number {
  let h = SEED_STR;
  const n = s.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return fmix(h ^ n);
}

function hashBytes(b: Uint8Array): number {
  let h = SEED_BYTES;
  const n = b.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return fmix(h ^ n);
}

function hashArray(a: unknown[]): number {
  let h = SEED_ARRAY;
  const n = a.length;
  for (let i = 0; i < n; i++) h = mix(h, hashValue(a[i]));
  return fmix(h ^ n);
}

function hashObject(o: Record<string, unknown>): number {
  // Sorted keys: key insertion order does not affect equality, so it must not affect the hash.
  const keys = sortedKeys(o);
  let h = SEED_OBJECT;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    h = mix(mix(h, hashString(k)), hashValue(o[k]));
  }
  return fmix(h ^ keys.length);
}

/** uint32 hash of a field value, consistent with compareValues equality. */
export function hashValue(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return hashString(v);
    case 'number':
      return hashNumber(v);
    case 'boolean':
      return v ? H_TRUE : H_FALSE;
    case 'bigint':
      return hashBigInt(v);
    case 'undefined':
      return H_NULL;
    case 'object':
      if (v === null) return H_NULL;
      if (Array.isArray(v)) return hashArray(v);
      if (v instanceof Uint8Array) return hashBytes(v);
      return hashObject(v as Record<string, unknown>);
    default:
      throw new TypeError(`unsupported key value of type ${typeof v}`);
  }
}

/**
 * Hash of the key made of `keyFields` (0-based). One field: exactly hashValue(row[f]).
 * Several fields: exactly hashValue([row[f1], row[f2], ...]), computed without building the array.
 */
export function hashKey(row: Row, keyFields: number[]): number {
  const n = keyFields.length;
  if (n === 1) return hashValue(row[keyFields[0]]);
  let h = SEED_ARRAY;
  for (let i = 0; i < n; i++) h = mix(h, hashValue(row[keyFields[i]]));
  return fmix(h ^ n);
}

/** Partition in [0, n) for a uint32 hash; n must be a positive integer. */
export function partitionOf(hash: number, n: number): number {
  return (hash >>> 0) % n;
}
