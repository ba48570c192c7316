// Streams whose batches come from outside: each batch, the context asks every input for what it
// took in during the interval (takeBatch), and the input turns it into the batch's Dataset.
import type { Row } from '@gleam/executor';
import type { Dataset } from '../../dataset';
import type { BatchInput, BatchScope } from '../batchScope';
import { DStream } from '../dstream';
import type { StreamingContext } from '../streamingContext';

export abstract class InputDStream<R extends unknown[]> extends DStream<R> {
  constructor(ssc: StreamingContext, label: string) {
    super(ssc, [], label);
  }

  /** @internal Starts receiving (a socket connects, a folder is listed). */
  abstract start(): Promise<void>;
  /** @internal Stops receiving; what was received stays for the last batches. */
  abstract stop(): Promise<void>;
  /** @internal What arrived for the batch ending at `timeMs` (last: the final batch of a graceful stop, which takes everything left). */
  abstract takeBatch(timeMs: number, last: boolean): BatchInput;
  /** @internal The batch holding `data` was processed or dropped. */
  release(_data: BatchInput): void {}
  /** @internal Records received and not yet in a batch. */
  buffered(): number {
    return 0;
  }

  protected compute(scope: BatchScope): Dataset<R> {
    const input = scope.inputs.get(this.id);
    if (!input) return scope.empty<R>();
    if (input.kind === 'files') return scope.flow.textFiles(input.files, this.ssc.partitions) as unknown as Dataset<R>;
    return input.rows.length === 0 ? scope.empty<R>() : scope.flow.slices(input.rows as R[], this.ssc.partitions);
  }
}

/** A value is a one-field row; an array is a row. */
export function asRow(v: unknown): Row {
  return Array.isArray(v) ? v : [v];
}
