// zipWithIndex in two passes without a driver round trip: each partition's producer records its
// row count in a side shard; the indexing task adds the counts of the partitions before it.
import { ForwardingStage, type Row, type Stage } from './stage';

/** Pass-through counting rows; hands the count on at the end. */
export class CountToStage extends ForwardingStage {
  private n = 0;
  constructor(private readonly emitCount: (n: number) => Promise<void>, next: Stage) {
    super(next);
  }
  push(row: Row): void {
    this.n++;
    this.next.push(row);
  }
  override async end(): Promise<void> {
    await this.emitCount(this.n);
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
