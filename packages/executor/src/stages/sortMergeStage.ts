// Sort-merge of one hash partition: the main input is the left side, the side rows the right;
// both are sorted by key (typed order) and walked group by group. Each side sorts within its
// share of the task's memory and spills sorted runs beyond it (spill/externalSorter.ts), so only
// one key's rows are held at a time while merging.
import { compareValues } from '../keys/keyOrder';
import type { Row as CodecRow } from '../codec/rowCodec';
import { ExternalSorter, type RowCompare } from '../spill/externalSorter';
import type { TaskSpills } from '../spill/taskSpills';
import { KeyedRowLayout } from './keyedValue';
import type { Row, Stage } from './stage';

/** Orders rows by the key in `fields` (typed order, field by field). */
export function keyCompare(fields: number[]): RowCompare {
  if (fields.length === 1) {
    const f = fields[0];
    return (a, b) => compareValues(a[f], b[f]);
  }
  return (a, b) => compareKeys(a, fields, b, fields);
}

function compareKeys(a: Row, af: number[], b: Row, bf: number[]): number {
  for (let i = 0; i < af.length; i++) {
    const c = compareValues(a[af[i]], b[bf[i]]);
    if (c !== 0) return c;
  }
  return 0;
}

/** A sorter for one side of a sort-merge: rows ordered by their key fields (stable). */
export function keySorter(fields: number[], spills: TaskSpills, budgetBytes: number): ExternalSorter {
  const cmp = keyCompare(fields);
  return new ExternalSorter(cmp, (rows: CodecRow[]) => rows.sort(cmp), spills, budgetBytes);
}

/** One-row lookahead over a sorted stream. */
class Peek {
  row: Row | undefined;
  constructor(private readonly it: Iterator<Row>, private readonly check: (row: Row) => void) {
    this.advance();
  }
  /** Stops early (an error downstream): closes the spill files being merged. */
  close(): void {
    this.it.return?.();
  }
  advance(): void {
    const r = this.it.next();
    this.row = r.done ? undefined : r.value;
    if (this.row !== undefined) this.check(this.row);
  }
}

export abstract class SortMergeStage implements Stage {
  private readonly leftRows: ExternalSorter;
  protected readonly left: KeyedRowLayout;
  protected readonly right: KeyedRowLayout;

  constructor(
    private readonly key: number[],
    private readonly sideKey: number[],
    private readonly rightRows: ExternalSorter,
    step: string,
    protected readonly next: Stage,
    spills: TaskSpills,
    budgetBytes: number,
    private readonly knownWidths: { left?: number; right?: number } = {},
  ) {
    this.left = new KeyedRowLayout(key, step);
    this.right = new KeyedRowLayout(sideKey, step);
    this.leftRows = keySorter(key, spills, budgetBytes);
  }

  /** One key with its rows on each side (either list may be empty, not both). */
  protected abstract emitGroup(keys: unknown[], l: Row[], r: Row[], widths: { left: number; right: number }): void;

  push(row: Row): void {
    this.left.valueFields(row.length, row); // checks the key fields exist
    this.leftRows.add(row);
  }

  flush(): void {}

  async end(): Promise<void> {
    const l = new Peek(this.leftRows.sorted(), () => {});
    let r: Peek | undefined;
    try {
      r = new Peek(this.rightRows.sorted(), (row) => this.right.valueFields(row.length, row));
      await this.merge(l, r);
    } finally {
      l.close();
      r?.close();
    }
    await this.next.flush();
    return this.next.end();
  }

  private async merge(l: Peek, r: Peek): Promise<void> {
    const lk = this.key;
    const rk = this.sideKey;
    const widths = {
      left: this.knownWidths.left ?? (l.row !== undefined ? this.left.valueFields(l.row.length).length : 1),
      right: this.knownWidths.right ?? (r.row !== undefined ? this.right.valueFields(r.row.length).length : 1),
    };
    const cmpL = keyCompare(lk);
    const cmpR = keyCompare(rk);
    let groups = 0;
    while (l.row !== undefined || r.row !== undefined) {
      const c = l.row === undefined ? 1 : r.row === undefined ? -1 : compareKeys(l.row, lk, r.row, rk);
      const keys = c <= 0 ? this.left.keys(l.row!) : this.right.keys(r.row!);
      const ls: Row[] = [];
      const rs: Row[] = [];
      if (c <= 0) {
        const first = l.row!;
        while (l.row !== undefined && cmpL(l.row, first) === 0) {
          ls.push(l.row);
          l.advance();
        }
      }
      if (c >= 0) {
        const first = r.row!;
        while (r.row !== undefined && cmpR(r.row, first) === 0) {
          rs.push(r.row);
          r.advance();
        }
      }
      this.emitGroup(keys, ls, rs, widths);
      if ((++groups & 0xfff) === 0) await this.next.flush();
    }
  }
}
