// A hash index from typed keys to entries: primitive keys live in one Map under their own
// value, composite keys (arrays, bytes, objects, several fields) in another under a canonical
// string, so "1", 1 and [1] never collide.
import { groupKey, isCompositeKey, keyOfFields } from '../keys/canonicalKey';
import type { Row } from './stage';

export class GroupIndex<E> {
  private readonly primitive = new Map<unknown, E>();
  private readonly composite = new Map<string, E>();
  constructor(private readonly keyFields: number[] | null) {}

  /** The entry of this row's key, or undefined. `lookupKey` is reused by `set`. */
  lookupKey(row: Row): { map: 0 | 1; key: unknown } {
    const kf = this.keyFields;
    if (kf !== null && kf.length === 1) {
      const v = row[kf[0]];
      if (!isCompositeKey(v)) return { map: 0, key: groupKey(v) };
      return { map: 1, key: keyOfFields(row, kf) };
    }
    return { map: 1, key: kf === null ? keyOfFields(row, allFields(row.length)) : keyOfFields(row, kf) };
  }

  get(k: { map: 0 | 1; key: unknown }): E | undefined {
    return k.map === 0 ? this.primitive.get(k.key) : this.composite.get(k.key as string);
  }

  set(k: { map: 0 | 1; key: unknown }, e: E): void {
    if (k.map === 0) this.primitive.set(k.key, e);
    else this.composite.set(k.key as string, e);
  }

  *entries(): IterableIterator<E> {
    yield* this.primitive.values();
    yield* this.composite.values();
  }

  get size(): number {
    return this.primitive.size + this.composite.size;
  }
}

const allFieldsCache: number[][] = [];
function allFields(n: number): number[] {
  let a = allFieldsCache[n];
  if (a === undefined) {
    a = Array.from({ length: n }, (_, i) => i);
    allFieldsCache[n] = a;
  }
  return a;
}
