import { explainUdfError, type Udf } from '../udf/compileUdf';
import { GroupIndex } from './groupIndex';
import { KeyedRowLayout } from './keyedValue';
import type { Row, Stage } from './stage';

interface Entry {
  keys: unknown[];
  acc: unknown;
  multi: boolean;
}

/** Hash-map reduce by key (map-side combine, and the merge after the shuffle alike). */
export class ReduceByKeyStage implements Stage {
  private readonly index: GroupIndex<Entry>;
  private readonly layout: KeyedRowLayout;
  // Fast path for the common [key, value] row with key field 0 and a primitive key.
  private readonly simple: Map<unknown, Entry> = new Map();
  private readonly keyIsFirstOnly: boolean;

  constructor(private readonly fn: Udf, keyFields: number[], private readonly step: string, private readonly next: Stage, private readonly create?: Udf) {
    this.index = new GroupIndex<Entry>(keyFields);
    this.layout = new KeyedRowLayout(keyFields, step);
    this.keyIsFirstOnly = keyFields.length === 1 && keyFields[0] === 0;
  }

  push(row: Row): void {
    if (this.keyIsFirstOnly && row.length === 2) {
      const k = row[0];
      const t = typeof k;
      if (t === 'string' || (t === 'number' && !Object.is(k, -0)) || t === 'boolean') {
        const e = this.simple.get(k);
        if (e === undefined) this.simple.set(k, { keys: [k], acc: this.create ? this.first(row[1], row) : row[1], multi: false });
        else e.acc = this.reduce(e.acc, row[1], row);
        return;
      }
    }
    const lk = this.index.lookupKey(row);
    const v = this.layout.value(row);
    if (lk.map === 0 && this.keyIsFirstOnly && row.length === 2) {
      // A key equal to one already in the fast path (1n or -0 after 1 or 0): reduce into that
      // entry, so the group keeps the key value seen first.
      const s = this.simple.get(lk.key);
      if (s !== undefined) {
        s.acc = this.reduce(s.acc, v, row);
        return;
      }
    }
    const e = this.index.get(lk);
    if (e === undefined) this.index.set(lk, { keys: this.layout.keys(row), acc: this.create ? this.first(v, row) : v, multi: !this.create && this.layout.isMultiValue(row.length) });
    else e.acc = this.reduce(e.acc, v, row);
  }

  private first(v: unknown, row: Row): unknown {
    try {
      return this.create!(v);
    } catch (e) {
      throw explainUdfError(e, this.step, row);
    }
  }

  private reduce(acc: unknown, v: unknown, row: Row): unknown {
    try {
      return this.fn(acc, v);
    } catch (e) {
      throw explainUdfError(e, this.step, row);
    }
  }

  flush(): void {}

  async end(): Promise<void> {
    const next = this.next;
    // Primitive keys can sit in both maps only through the fast path; merge them first.
    for (const e of this.simple.values()) {
      const lk = this.index.lookupKey([...e.keys, e.acc]);
      const other = this.index.get(lk);
      if (other === undefined) next.push(emitRow(e));
      else other.acc = this.reduce(e.acc, other.acc, [...e.keys, e.acc]);
    }
    for (const e of this.index.entries()) next.push(emitRow(e));
    await next.flush();
    return next.end();
  }
}

function emitRow(e: Entry): Row {
  if (e.multi && Array.isArray(e.acc)) return [...e.keys, ...e.acc];
  return e.keys.length === 1 ? [e.keys[0], e.acc] : [...e.keys, e.acc];
}
