// Sort-merge of one hash partition: the main input is the left side, the side rows the right;
// both are sorted by key (typed order) and walked group by group.
import { compareValues } from '../keys/keyOrder';
import { KeyedRowLayout } from './keyedValue';
import type { Row, Stage } from './stage';

interface Keyed {
  k: unknown[];
  row: Row;
}

export abstract class SortMergeStage implements Stage {
  private leftRows: Row[] = [];
  protected readonly left: KeyedRowLayout;
  protected readonly right: KeyedRowLayout;

  constructor(
    key: number[],
    sideKey: number[],
    private readonly rightRows: Row[],
    step: string,
    protected readonly next: Stage,
    private readonly knownWidths: { left?: number; right?: number } = {},
  ) {
    this.left = new KeyedRowLayout(key, step);
    this.right = new KeyedRowLayout(sideKey, step);
  }

  /** One key with its rows on each side (either list may be empty, not both). */
  protected abstract emitGroup(keys: unknown[], l: Row[], r: Row[], widths: { left: number; right: number }): void;

  push(row: Row): void {
    this.left.valueFields(row.length, row); // checks the key fields exist
    this.leftRows.push(row);
  }

  flush(): void {}

  async end(): Promise<void> {
    const l = sortByKey(this.leftRows, this.left);
    const r = sortByKey(this.rightRows, this.right);
    this.leftRows = [];
    const widths = {
      left: this.knownWidths.left ?? (l.length > 0 ? this.left.valueFields(l[0].row.length).length : 1),
      right: this.knownWidths.right ?? (r.length > 0 ? this.right.valueFields(r[0].row.length).length : 1),
    };
    let i = 0;
    let j = 0;
    while (i < l.length || j < r.length) {
      const c = i >= l.length ? 1 : j >= r.length ? -1 : compareValues(l[i].k, r[j].k);
      const keys = c <= 0 ? l[i].k : r[j].k;
      const ls: Row[] = [];
      const rs: Row[] = [];
      if (c <= 0) while (i < l.length && compareValues(l[i].k, keys) === 0) ls.push(l[i++].row);
      if (c >= 0) while (j < r.length && compareValues(r[j].k, keys) === 0) rs.push(r[j++].row);
      this.emitGroup(keys, ls, rs, widths);
    }
    await this.next.flush();
    return this.next.end();
  }
}

/** Rows paired with their keys, sorted by key (stable). */
function sortByKey(rows: Row[], layout: KeyedRowLayout): Keyed[] {
  const out = rows.map((row) => {
    layout.valueFields(row.length, row);
    return { k: layout.keys(row), row };
  });
  out.sort((a, b) => compareValues(a.k, b.k));
  return out;
}
