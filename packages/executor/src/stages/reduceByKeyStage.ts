import { explainUdfError, type Udf } from '../udf/compileUdf';
import { HashOverflow, MAX_SPILL_LEVEL } from '../spill/hashOverflow';
import { nonEnding } from '../spill/nonEnding';
import { readSpill } from '../spill/spillFile';
import { approxRowBytes, type TaskSpills } from '../spill/taskSpills';
import { GroupIndex } from './groupIndex';
import { KeyedRowLayout } from './keyedValue';
import { compilePerTask } from './perTaskCode';
import type { Row, Stage } from './stage';

interface Entry {
  keys: unknown[];
  acc: unknown;
  multi: boolean;
}

// Heap bytes of a Map entry beyond its key and value (hash table slot, entry object).
const ENTRY_OVERHEAD = 80;

/**
 * Hash-map reduce by key (map-side combine, and the merge after the shuffle alike).
 * Over its memory budget (checked once per input batch) the map stops taking new keys: rows of
 * keys it holds still reduce in place, rows of any other key go to hash partition files, which
 * are reduced one by one at the end. Each key is reduced in one place, in input order, so the
 * results are exactly those of the in-memory run (only the output order differs).
 */
export class ReduceByKeyStage implements Stage {
  private index: GroupIndex<Entry>;
  private readonly layout: KeyedRowLayout;
  // Fast path for the common [key, value] row with key field 0 and a primitive key: the Map
  // holds the accumulator itself. An entry object per key adds a pointer hop per row (~35% on a
  // bare counting loop; within noise in the whole word count, where hashing dominates).
  private readonly simple: Map<unknown, unknown> = new Map();
  private readonly keyIsFirstOnly: boolean;
  /** Rows in; compiled per stage for [key, value] rows keyed on field 0 (see fastPush). */
  push: (row: Row) => void;
  private overflow: HashOverflow | undefined;

  constructor(
    private readonly fn: Udf,
    private readonly keyFields: number[],
    private readonly step: string,
    private readonly next: Stage,
    private readonly create?: Udf,
    private readonly spills?: TaskSpills,
    private readonly budgetBytes = Infinity,
    private readonly level = 0,
  ) {
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

  flush(): void {
    if (this.spills !== undefined && this.budgetBytes < Infinity && this.overflow === undefined && this.level < MAX_SPILL_LEVEL && this.heldBytes() > this.budgetBytes) {
      this.overflow = new HashOverflow(this.spills, this.keyFields, this.level);
      this.push = (row) => this.pushFrozen(row);
    }
  }

  /** Estimated heap bytes of the maps: their size times the average size of a few entries. */
  private heldBytes(): number {
    const n = this.simple.size + this.index.size;
    if (n * ENTRY_OVERHEAD <= this.budgetBytes / 4) return n * ENTRY_OVERHEAD;
    let sampled = 0;
    let bytes = 0;
    for (const [k, acc] of this.simple) {
      bytes += approxRowBytes([k, acc]);
      if (++sampled === 16) break;
    }
    for (const e of this.index.entries()) {
      if (sampled >= 32) break;
      bytes += approxRowBytes(e.keys) + approxRowBytes([e.acc]);
      sampled++;
    }
    return n * (ENTRY_OVERHEAD + bytes / sampled);
  }

  // Frozen maps: reduce into an entry the maps hold, else the row waits in a partition file.
  private pushFrozen(row: Row): void {
    if (this.keyIsFirstOnly && row.length === 2) {
      const k = row[0];
      const t = typeof k;
      if ((t === 'string' || (t === 'number' && !Object.is(k, -0)) || t === 'boolean') && this.simple.has(k)) {
        this.simple.set(k, this.reduce(this.simple.get(k), row[1], row));
        return;
      }
    }
    const lk = this.index.lookupKey(row);
    if (lk.map === 0 && this.keyIsFirstOnly && row.length === 2 && this.simple.has(lk.key)) {
      this.pushGeneral(row);
      return;
    }
    if (this.index.get(lk) !== undefined) this.pushGeneral(row);
    else this.overflow!.add(row);
  }

  async end(): Promise<void> {
    const next = this.next;
    // Primitive keys can sit in both maps only through the fast path; merge them first.
    for (const [k, acc] of this.simple) {
      const other = this.index.size === 0 ? undefined : this.index.get(this.index.lookupKey([k, acc]));
      if (other === undefined) next.push([k, acc]);
      else other.acc = this.reduce(acc, other.acc, [k, acc]);
    }
    for (const e of this.index.entries()) next.push(emitRow(e));
    this.simple.clear();
    this.index = new GroupIndex<Entry>(this.keyFields);
    if (this.overflow !== undefined) await this.reduceSpilled(this.spills!, this.overflow);
    await next.flush();
    return next.end();
  }

  private async reduceSpilled(spills: TaskSpills, overflow: HashOverflow): Promise<void> {
    for (const file of overflow.finish()) {
      const part = new ReduceByKeyStage(this.fn, this.keyFields, this.step, nonEnding(this.next), this.create, spills, this.budgetBytes, this.level + 1);
      let n = 0;
      for (const row of readSpill(spills, file)) {
        part.push(row);
        if ((++n & 0xfff) === 0) {
          part.flush();
          await this.next.flush();
        }
      }
      await part.end();
    }
  }
}

function emitRow(e: Entry): Row {
  if (e.multi && Array.isArray(e.acc)) return [...e.keys, ...e.acc];
  return e.keys.length === 1 ? [e.keys[0], e.acc] : [...e.keys, e.acc];
}
