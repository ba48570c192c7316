// Records received but not yet in a batch, held in blocks by the interval they arrived in: a
// record that arrives at time r belongs to the batch ending at the first multiple of batchMs
// after r, however late the batch is formed (Spark's BlockGenerator does the same with block
// intervals). The buffer is bounded: receivers stop reading their source while it is full, and
// rows taken into a batch still count until that batch is processed, so batches queued behind a
// slow one cannot grow the driver either.
import type { Row } from '@gleam/executor';

export class ReceiverBuffer {
  /** Batch end time -> rows received in that interval, oldest first. */
  private readonly blocks = new Map<number, Row[]>();
  private count = 0;
  /** Rows in batches taken and not yet processed. */
  private inFlight = 0;
  private roomWaiters: (() => void)[] = [];

  constructor(
    private readonly batchMs: number,
    readonly max: number,
  ) {}

  /** Records held. */
  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count + this.inFlight >= this.max;
  }

  /** Records that fit before the buffer is full. */
  get room(): number {
    return Math.max(0, this.max - this.count - this.inFlight);
  }

  /** Adds rows received at `now`. */
  push(rows: Row[], now = Date.now()): void {
    if (rows.length === 0) return;
    const end = Math.floor(now / this.batchMs) * this.batchMs + this.batchMs;
    let block = this.blocks.get(end);
    if (!block) this.blocks.set(end, (block = []));
    for (let i = 0; i < rows.length; i++) block.push(rows[i]);
    this.count += rows.length;
  }

  /** The rows of the batch ending at `timeMs`: every block ending at or before it. */
  drain(timeMs: number): Row[] {
    let out: Row[] | undefined;
    for (const [end, block] of this.blocks) {
      if (end > timeMs) continue;
      this.blocks.delete(end);
      if (!out) out = block;
      else for (let i = 0; i < block.length; i++) out.push(block[i]);
    }
    if (!out) return [];
    this.count -= out.length;
    this.inFlight += out.length;
    return out;
  }

  /** A batch holding n of these rows was processed (or dropped): they no longer count. */
  release(n: number): void {
    if (n === 0) return;
    this.inFlight = Math.max(0, this.inFlight - n);
    if (!this.full) this.wake();
  }

  /** Everything held (a graceful stop's last batch takes it all). */
  drainAll(): Row[] {
    return this.drain(Number.POSITIVE_INFINITY);
  }

  /** Resolves once the buffer has room (at once if it has). */
  whenRoom(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Wakes every waiter (room freed, or the receiver stops). */
  wake(): void {
    const ws = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of ws) w();
  }
}
