// zipWithIndex in two passes without a driver round trip: each partition's producer records its
// row count in a side shard; the indexing task adds the counts of the partitions before it.
// Outer joins read the same stats for the width of a side a partition may not see at all.
import { ForwardingStage, type Row, type Stage } from './stage';

/** Pass-through counting rows and noting the first row's length; hands both on at the end. */
export class RowStatsStage extends ForwardingStage {
  private n = 0;
  private firstLength: number | null = null;
  constructor(private readonly emitStats: (count: number, firstLength: number | null) => Promise<void>, next: Stage) {
    super(next);
  }
  push(row: Row): void {
    if (this.n++ === 0) this.firstLength = row.length;
    this.next.push(row);
  }
  override async end(): Promise<void> {
    await this.emitStats(this.n, this.firstLength);
    return this.next.end();
  }
}

/** Appends the row's global index (partition offset + position) as a last field. */
export class ZipWithIndexStage extends ForwardingStage {
  constructor(private index: number, next: Stage) {
    super(next);
  }
  push(row: Row): void {
    this.next.push([...row, this.index++]);
  }
}
