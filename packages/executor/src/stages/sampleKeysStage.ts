import type { OrderBy } from '../plan/taskSpec';
import { ForwardingStage, type Row, type Stage } from './stage';

/**
 * Pass-through that keeps a reservoir sample of the sort keys for range partitioning.
 * The generator is seeded from the shard name so a retried task samples the same rows.
 */
export class SampleKeysStage extends ForwardingStage {
  private readonly sample: Row[] = [];
  private seen = 0;
  private state: number;
  constructor(
    private readonly orderBy: OrderBy[],
    private readonly size: number,
    seedText: string,
    private readonly emitSample: (rows: Row[]) => void | Promise<void>,
    next: Stage,
  ) {
    super(next);
    let h = 2166136261;
    for (let i = 0; i < seedText.length; i++) h = Math.imul(h ^ seedText.charCodeAt(i), 16777619);
    this.state = h >>> 0 || 1;
  }
  private random(): number {
    // xorshift32: deterministic and cheap.
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
  push(row: Row): void {
    const n = this.seen++;
    if (n < this.size) this.sample.push(this.project(row));
    else {
      const j = Math.floor(this.random() * (n + 1));
      if (j < this.size) this.sample[j] = this.project(row);
    }
    this.next.push(row);
  }
  private project(row: Row): Row {
    return this.orderBy.map((o) => (row[o.field] === undefined ? null : row[o.field]));
  }
  override async end(): Promise<void> {
    await this.emitSample(this.sample);
    return this.next.end();
  }
}
