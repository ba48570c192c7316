// A hash map from typed keys (one or several fields of a row) to values, for joins and set
// operators: equal keys under the total order share an entry; "1", 1 and [1] never collide.
import { groupKey, isCompositeKey, keyOfFields } from '../keys/canonicalKey';
import type { Row } from './stage';

export class KeyMap<V> {
  private readonly primitive = new Map<unknown, V>();
  private readonly composite = new Map<unknown, V>();

  private slot(row: Row, fields: number[]): [Map<unknown, V>, unknown] {
    if (fields.length === 1) {
      const v = row[fields[0]];
      if (!isCompositeKey(v)) return [this.primitive, groupKey(v === undefined ? null : v)];
    }
    return [this.composite, keyOfFields(row, fields)];
  }

  get(row: Row, fields: number[]): V | undefined {
    const [m, k] = this.slot(row, fields);
    return m.get(k);
  }

  set(row: Row, fields: number[], v: V): void {
    const [m, k] = this.slot(row, fields);
    m.set(k, v);
  }
}

const allFieldsCache: number[][] = [];
/** [0, 1, ..., n-1]: the fields of a whole row. */
export function allFields(n: number): number[] {
  let a = allFieldsCache[n];
  if (a === undefined) {
    a = Array.from({ length: n }, (_, i) => i);
    allFieldsCache[n] = a;
  }
  return a;
}
