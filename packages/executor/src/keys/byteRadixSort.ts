// Stable MSD radix sort of byte-string keys held in one buffer (keys/flatRows.ts): key i is
// bytes [start[i], start[i] + len[i]) of `bytes`. Shorter keys that are a prefix of longer ones
// sort first, so the order is that of Buffer.compare.
import { radixOrder } from './msdRadix';

/** The permutation that sorts the keys stably (descending with `desc`): out[i] is the i-th key's index. */
export function sortByteKeys(bytes: Uint8Array, start: Int32Array, len: Int32Array, n: number, desc: boolean): Int32Array {
  return radixOrder(
    n,
    {
      // 0 = the key ended; byte b is bucket b + 1 (255 lands in 256, an ordinary bucket here).
      bucket: (k, depth) => (depth < len[k] ? bytes[start[k] + depth] + 1 : 0),
      small: (idx, lo, hi, depth) => insertion(idx, bytes, start, len, lo, hi, depth, desc),
    },
    desc,
  );
}

// Keys in [lo, hi) agree on their first `depth` bytes: compare the rest.
function insertion(idx: Int32Array, bytes: Uint8Array, start: Int32Array, len: Int32Array, lo: number, hi: number, depth: number, desc: boolean): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = idx[i];
    let j = i - 1;
    while (j >= lo) {
      const c = compareFrom(bytes, start[idx[j]], len[idx[j]], start[x], len[x], depth);
      if (desc ? c >= 0 : c <= 0) break;
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = x;
  }
}

function compareFrom(b: Uint8Array, as: number, al: number, bs: number, bl: number, depth: number): number {
  const n = al < bl ? al : bl;
  for (let i = depth; i < n; i++) {
    const x = b[as + i];
    const y = b[bs + i];
    if (x !== y) return x - y;
  }
  return al - bl;
}
