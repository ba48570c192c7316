// A hash index from typed keys to entries: primitive keys live in one Map under their own
// value, composite keys (arrays, bytes, objects, several fields) in another under a canonical
// string, so "1", 1 and [1] never collide.
import { groupKey, isCompositeKey, keyOfFields } from '../keys/canonicalKey';
import type { Row } from './stage';

export type LookupKey = { map: 0 | 1; key: unknown };

export class GroupIndex<E> {
  private readonly primitive = new Map<unknown, E>();
  private readonly composite = new Map<string, E>();
  /** keyFields null: the whole row is the key. */
  constructor(private readonly keyFields: number[] | null) {}

  /** The key of this row under the index's key fields; reuse it for `get` then `set`. */
  lookupKey(row: Row): LookupKey {
    return this.lookupKeyOf(row, this.keyFields ?? allFields(row.length));
  }

  /** The key of a row under other fields holding the same key values (the other side of a join). */
  lookupKeyOf(row: Row, fields: number[]): LookupKey {
    if (fields.length === 1) {
      const v = row[fields[0]];
      if (!isCompositeKey(v)) return { map: 0, key: groupKey(v) };
    }
    return { map: 1, key: keyOfFields(row, fields) };
  }

  get(k: LookupKey): E | undefined {
    return k.map === 0 ? this.primitive.get(k.key) : this.composite.get(k.key as string);
  }

  set(k: LookupKey, e: E): void {
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
/** [0, 1, ..., n-1]: the fields of a whole row. */
function allFields(n: number): number[] {
  let a = allFieldsCache[n];
  if (a === undefined) {
    a = Array.from({ length: n }, (_, i) => i);
    allFieldsCache[n] = a;
  }
  return a;
}
