import { explainUdfError, type Udf } from '../udf/compileUdf';
import { GroupIndex } from './groupIndex';
import { KeyedRowLayout } from './keyedValue';
import { compilePerTask } from './perTaskCode';
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
  // Fast path for the common [key, value] row with key field 0 and a primitive key: the Map
  // holds the accumulator itself. An entry object per key adds a pointer hop per row (~35% on a
  // bare counting loop; within noise in the whole word count, where hashing dominates).
  private readonly simple: Map<unknown, unknown> = new Map();
  private readonly keyIsFirstOnly: boolean;
  /** Rows in; compiled per stage for [key, value] rows keyed on field 0 (see fastPush). */
  readonly push: (row: Row) => void;

  constructor(private readonly fn: Udf, keyFields: number[], private readonly step: string, private readonly next: Stage, private readonly create?: Udf) {
    this.index = new GroupIndex<Entry>(keyFields);
    this.layout = new KeyedRowLayout(keyFields, step);
    this.keyIsFirstOnly = keyFields.length === 1 && keyFields[0] === 0;
    this.push = this.keyIsFirstOnly ? this.fastPush() : (row) => this.pushGeneral(row);
  }

  // The common [key, value] row with a primitive key goes straight to the accumulator Map; any
  // other row takes pushGeneral. An accumulator may itself be undefined, so a miss is confirmed
  // with has().
  private fastPush(): (row: Row) => void {
    const firstValue = this.create
      ? 'let a; try { a = create(row[1]); } catch (e) { throw explain(e, step, row); } m.set(k, a);'
      : 'm.set(k, row[1]);';
    return compilePerTask(
      { m: this.simple, fn: this.fn, create: this.create, step: this.step, explain: explainUdfError, general: (row: Row) => this.pushGeneral(row) },
      `return function push(row) {
        if (row.length === 2) {
          const k = row[0];
          const t = typeof k;
          if (t === 'string' || (t === 'number' && !Object.is(k, -0)) || t === 'boolean') {
            const acc = m.get(k);
            if (acc === undefined && !m.has(k)) { ${firstValue} }
            else { let r; try { r = fn(acc, row[1]); } catch (e) { throw explain(e, step, row); } m.set(k, r); }
            return;
          }
        }
        general(row);
      };`,
    );
  }

  private pushGeneral(row: Row): void {
    const lk = this.index.lookupKey(row);
    const v = this.layout.value(row);
    if (lk.map === 0 && this.keyIsFirstOnly && row.length === 2) {
      // A key equal to one already in the fast path (1n or -0 after 1 or 0): reduce into that
      // entry, so the group keeps the key value seen first.
      if (this.simple.has(lk.key)) {
        this.simple.set(lk.key, this.reduce(this.simple.get(lk.key), v, row));
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
    for (const [k, acc] of this.simple) {
      const other = this.index.size === 0 ? undefined : this.index.get(this.index.lookupKey([k, acc]));
      if (other === undefined) next.push([k, acc]);
      else other.acc = this.reduce(acc, other.acc, [k, acc]);
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
