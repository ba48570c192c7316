import { rowComparator } from '../keys/rowOrder';
import type { OrderBy } from '../plan/taskSpec';
import type { Row, Stage } from './stage';

/** The first n rows under orderBy, emitted in that order; keeps at most ~2n rows. */
export class LocalTopStage implements Stage {
  private rows: Row[] = [];
  private readonly cmp: (a: Row, b: Row) => number;
  constructor(private readonly n: number, orderBy: OrderBy[], private readonly next: Stage) {
    this.cmp = rowComparator(orderBy);
  }
  push(row: Row): void {
    if (this.n <= 0) return;
    this.rows.push(row);
    if (this.rows.length >= 2 * this.n + 1024) this.trim();
  }
  private trim(): void {
    this.rows.sort(this.cmp);
    this.rows.length = Math.min(this.rows.length, this.n);
  }
  flush(): void {}
  async end(): Promise<void> {
    this.trim();
    for (const r of this.rows) this.next.push(r);
    this.rows = [];
    await this.next.flush();
    return this.next.end();
  }
}
