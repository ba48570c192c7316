// Stable MSD radix sort of byte-string keys held in one buffer (keys/flatRows.ts): key i is
// bytes [start[i], start[i] + len[i]) of `bytes`. Shorter keys that are a prefix of longer ones
// sort first, so the order is that of Buffer.compare.
const BUCKETS = 257; // 0 = key ended at this depth, 1..256 = byte value + 1
const SMALL = 24;

/** The permutation that sorts the keys stably (descending with `desc`): out[i] is the i-th key's index. */
export function sortByteKeys(bytes: Uint8Array, start: Int32Array, len: Int32Array, n: number, desc: boolean): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const tmp = new Int32Array(n);
  const counts = new Int32Array(BUCKETS + 1);
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo <= SMALL) {
      insertion(idx, bytes, start, len, lo, hi, depth, desc);
      continue;
    }
    counts.fill(0);
    for (let i = lo; i < hi; i++) {
      const k = idx[i];
      counts[(depth < len[k] ? bytes[start[k] + depth] + 1 : 0) + 1]++;
    }
    let pos = lo;
    for (let s = 0; s < BUCKETS; s++) {
      const b = desc ? BUCKETS - 1 - s : s;
      const c = counts[b + 1];
      counts[b + 1] = pos;
      pos += c;
    }
    for (let i = lo; i < hi; i++) {
      const k = idx[i];
      tmp[counts[(depth < len[k] ? bytes[start[k] + depth] + 1 : 0) + 1]++] = k;
    }
    idx.set(tmp.subarray(lo, hi), lo);
    let from = lo;
    for (let s = 0; s < BUCKETS; s++) {
      const b = desc ? BUCKETS - 1 - s : s;
      const to = counts[b + 1];
      // Bucket 0 holds keys that ended: equal, already in input order.
      if (to - from > 1 && b !== 0) stack.push(from, to, depth + 1);
      from = to;
    }
  }
  return idx;
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
