import { rowComparator, sortRows } from '../keys/rowOrder';
import type { OrderBy } from '../plan/taskSpec';
import { ExternalSorter } from '../spill/externalSorter';
import type { TaskSpills } from '../spill/taskSpills';
import type { Row, Stage } from './stage';

/**
 * Sorts the whole partition (stable), then emits it: in memory while the rows fit the budget,
 * else as sorted runs spilled to disk and merged (spill/externalSorter.ts).
 */
export class LocalSortStage implements Stage {
  private readonly sorter: ExternalSorter;
  constructor(orderBy: OrderBy[], private readonly next: Stage, spills: TaskSpills, budgetBytes: number) {
    this.sorter = new ExternalSorter(rowComparator(orderBy), (rows) => sortRows(rows, orderBy), spills, budgetBytes);
  }
  push(row: Row): void {
    this.sorter.add(row);
  }
  flush(): void {}
  async end(): Promise<void> {
    const next = this.next;
    let i = 0;
    for (const row of this.sorter.sorted()) {
      next.push(row);
      // Yield to back pressure every so often so a large sorted partition streams out.
      if ((++i & 0xffff) === 0) await next.flush();
    }
    await next.flush();
    return next.end();
  }
}
