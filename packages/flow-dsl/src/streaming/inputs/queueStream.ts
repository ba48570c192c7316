// queueStream(batches): one prepared batch per interval, in order (Spark's oneAtATime); then
// empty batches. For tests and demos: every batch's content is known in advance.
import { GleamError, type Row } from '@gleam/executor';
import type { BatchInput } from '../batchScope';
import type { StreamingContext } from '../streamingContext';
import { asRow, InputDStream } from './inputDStream';

export class QueueInputDStream<R extends unknown[]> extends InputDStream<R> {
  private readonly batches: Row[][];
  /** @internal How many batches were taken (saved in checkpoints). */
  position = 0;

  constructor(ssc: StreamingContext, batches: unknown[][]) {
    super(ssc, 'queueStream');
    if (!Array.isArray(batches) || batches.some((b) => !Array.isArray(b))) {
      throw new GleamError('queueStream: expected an array of batches, each an array of rows or values');
    }
    this.batches = batches.map((b) => b.map(asRow));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** The batch at a queue position (a batch replayed after a restart). */
  batchAt(position: number): BatchInput {
    return { kind: 'rows', rows: position < this.batches.length ? this.batches[position] : [] };
  }

  takeBatch(): BatchInput {
    const rows = this.position < this.batches.length ? this.batches[this.position] : [];
    this.position++;
    return { kind: 'rows', rows };
  }

  override buffered(): number {
    let n = 0;
    for (let i = this.position; i < this.batches.length; i++) n += this.batches[i].length;
    return n;
  }
}
