import { sortRows } from '../keys/rowOrder';
import type { OrderBy } from '../plan/taskSpec';
import type { Row, Stage } from './stage';

/** Sorts the whole partition in memory (stable), then emits it. */
export class LocalSortStage implements Stage {
  private rows: Row[] = [];
  constructor(private readonly orderBy: OrderBy[], private readonly next: Stage) {}
  push(row: Row): void {
    this.rows.push(row);
  }
  flush(): void {}
  async end(): Promise<void> {
    let rows = this.rows;
    this.rows = [];
    rows = sortRows(rows, this.orderBy);
    const next = this.next;
    for (let i = 0; i < rows.length; i++) {
      next.push(rows[i]);
      // Yield to back pressure every so often so a large sorted partition streams out.
      if ((i & 0xffff) === 0xffff) await next.flush();
    }
    await next.flush();
    return next.end();
  }
}
