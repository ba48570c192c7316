// Stable sort of rows by one string field, MSD radix on UTF-16 code units: the order of
// compareValues for strings (JS `<`), without a comparator call per comparison. Sorting 500,000
// rows by a 10-character key took ~0.9 s of comparator calls; the radix passes take a fraction
// of that, because each pass reads every key's next code unit once.
import type { Row } from '../codec/rowCodec';

import { radixOrder } from './msdRadix';

// Bucket of a code unit: c + 1 for c < 255; 256 = any wider code unit (those keys are then
// finished by comparison).
const WIDE = 256;

/**
 * The rows sorted by the string in `field` (ascending, or descending with `desc`), equal keys in
 * input order. Returns undefined when some row's field is not a string: the caller then sorts
 * with the general comparator.
 */
export function sortRowsByStringField(rows: Row[], field: number, desc: boolean): Row[] | undefined {
  const n = rows.length;
  const keys: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = rows[i][field];
    if (typeof k !== 'string') return undefined;
    keys[i] = k;
  }
  const order = sortedOrder(keys, desc);
  const out: Row[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[order[i]];
  return out;
}

/** The permutation that sorts `keys` stably: out[i] is the index of the i-th key in order. */
export function sortedOrder(keys: string[], desc: boolean): Int32Array {
  return radixOrder(
    keys.length,
    {
      bucket: (k, depth) => bucketOf(keys[k], depth),
      small: (idx, lo, hi) => insertionSort(idx, keys, lo, hi, desc),
      wide: (idx, lo, hi) => finishByComparison(idx, keys, lo, hi, desc),
    },
    desc,
  );
}

function bucketOf(key: string, depth: number): number {
  if (depth >= key.length) return 0;
  const c = key.charCodeAt(depth);
  return c < 255 ? c + 1 : WIDE;
}

// Keys in [lo, hi) agree on a prefix, so comparing them whole gives their order.
function insertionSort(idx: Int32Array, keys: string[], lo: number, hi: number, desc: boolean): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = idx[i];
    const kx = keys[x];
    let j = i - 1;
    if (!desc) {
      while (j >= lo && keys[idx[j]] > kx) {
        idx[j + 1] = idx[j];
        j--;
      }
    } else {
      while (j >= lo && keys[idx[j]] < kx) {
        idx[j + 1] = idx[j];
        j--;
      }
    }
    idx[j + 1] = x;
  }
}

// Keys with a code unit >= 255 at this depth: rare, so a stable comparison sort finishes them.
function finishByComparison(idx: Int32Array, keys: string[], lo: number, hi: number, desc: boolean): void {
  const part = Array.from(idx.subarray(lo, hi));
  part.sort(desc ? (a, b) => (keys[a] < keys[b] ? 1 : keys[a] > keys[b] ? -1 : 0) : (a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  for (let i = 0; i < part.length; i++) idx[lo + i] = part[i];
}
