// The MSD radix skeleton shared by the string sort (stringRadixSort.ts) and the byte-key sort
// (byteRadixSort.ts): segments of keys that agree on their first `depth` units are split into
// 257 buckets by the next unit, stably, until they are small enough for the caller's finish.
//
// Buckets: 0 = the key has no unit at this depth (a prefix of the others, so it sorts first, and
// all such keys are equal); 1..256 = the unit's bucket. With `wide`, bucket 256 means "a unit too
// wide to bucket": those keys are finished by `wide` instead of another pass.
const BUCKETS = 257;
const WIDE = 256;
// Segments this small are finished by the caller's insertion sort.
const SMALL = 24;

export interface RadixKeys {
  /** Bucket of key k at this depth (0..256, see above). */
  bucket(k: number, depth: number): number;
  /** Sorts idx[lo, hi) whose keys agree on their first `depth` units. */
  small(idx: Int32Array, lo: number, hi: number, depth: number): void;
  /** Finishes a segment of wide units by comparison; unset: bucket 256 is an ordinary bucket. */
  wide?(idx: Int32Array, lo: number, hi: number): void;
}

/** The permutation that sorts n keys stably (descending with `desc`): out[i] is the i-th key's index. */
export function radixOrder(n: number, keys: RadixKeys, desc: boolean): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const tmp = new Int32Array(n);
  const counts = new Int32Array(BUCKETS + 1);
  const hasWide = keys.wide !== undefined;
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo <= SMALL) {
      keys.small(idx, lo, hi, depth);
      continue;
    }
    counts.fill(0);
    for (let i = lo; i < hi; i++) counts[keys.bucket(idx[i], depth) + 1]++;
    // All keys in one bucket (a shared prefix): go one unit deeper without moving anything.
    let single = -1;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[b + 1];
      if (c === hi - lo) single = b;
      if (c !== 0) break;
    }
    if (single >= 0) {
      if (single === 0) continue; // all keys equal: stable as they are
      if (single === WIDE && hasWide) keys.wide!(idx, lo, hi);
      else stack.push(lo, hi, depth + 1);
      continue;
    }
    // Bucket start offsets in output order (descending: buckets from the widest down).
    let pos = lo;
    for (let s = 0; s < BUCKETS; s++) {
      const b = desc ? BUCKETS - 1 - s : s;
      const c = counts[b + 1];
      counts[b + 1] = pos;
      pos += c;
    }
    // Scatter in input order: stable.
    for (let i = lo; i < hi; i++) {
      const k = idx[i];
      tmp[counts[keys.bucket(k, depth) + 1]++] = k;
    }
    idx.set(tmp.subarray(lo, hi), lo);
    // counts[b + 1] is now the end of bucket b; its start is the end of the bucket before it.
    let start = lo;
    for (let s = 0; s < BUCKETS; s++) {
      const b = desc ? BUCKETS - 1 - s : s;
      const end = counts[b + 1];
      if (end - start > 1 && b !== 0) {
        if (b === WIDE && hasWide) keys.wide!(idx, start, end);
        else stack.push(start, end, depth + 1);
      }
      start = end;
    }
  }
  return idx;
}
