import { GleamError } from '../errors';
import { ForwardingStage, type Row, type Stage } from './stage';

/**
 * zip: row i of this partition gets row i of the other dataset's same partition (the side, read
 * whole) appended. Both sides must have as many rows (Spark's "same number of elements in each
 * partition"): the step fails at the end of the partition with both counts otherwise.
 */
export class ZipStage extends ForwardingStage {
  private n = 0;
  constructor(private readonly side: Row[], private readonly step: string, private readonly partition: number, next: Stage) {
    super(next);
  }
  push(row: Row): void {
    const i = this.n++;
    if (i < this.side.length) this.next.push([...row, ...this.side[i]]);
  }
  override end(): Promise<void> {
    if (this.n !== this.side.length) {
      const msg = `step "${this.step}": can only zip datasets with the same number of rows in each partition; partition ${this.partition} has ${rows(this.n)} on the left and ${rows(this.side.length)} on the right`;
      return Promise.reject(new GleamError(msg, this.step));
    }
    return this.next.end();
  }
}

function rows(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}
