// receiverStream(receiver): a user's receiver runs in the driver and pushes rows as they come;
// they are buffered (bounded) and cut into batches by arrival time.
import { GleamError, type Row } from '@gleam/executor';
import type { BatchInput } from '../batchScope';
import type { StreamingContext } from '../streamingContext';
import { asRow, InputDStream } from './inputDStream';
import { ReceiverBuffer } from './receiverBuffer';

/**
 * Adds rows to the stream: a value (a one-field row), a row (an array), or an array of rows (an
 * array whose elements are all arrays). Returns false once the buffer is full (maxBufferedRecords):
 * stop reading your source and resume after `await push.whenRoom()`. Rows pushed after the
 * stream stopped are refused (false).
 */
export interface Push {
  (rowOrRows: unknown): boolean;
  /** Resolves when the buffer has room again (or the stream stops). */
  whenRoom(): Promise<void>;
  /** The buffer holds maxBufferedRecords rows. */
  readonly full: boolean;
  /** Rows that fit before the buffer is full. */
  readonly room: number;
  /** The stream is stopping: the receiver should end. */
  readonly stopped: boolean;
}

/** A custom source: onStart begins pushing rows (from any callback), onStop ends it. */
export interface Receiver {
  onStart(push: Push): void | Promise<void>;
  onStop(): void | Promise<void>;
}

export class ReceiverInputDStream<R extends unknown[]> extends InputDStream<R> {
  private readonly buffer: ReceiverBuffer;
  private stopped = false;
  private started = false;

  constructor(
    ssc: StreamingContext,
    private readonly receiver: Receiver,
    label = 'receiverStream',
  ) {
    super(ssc, label);
    if (!receiver || typeof receiver.onStart !== 'function' || typeof receiver.onStop !== 'function') {
      throw new GleamError(`${label}: a receiver is an object with onStart(push) and onStop() methods`);
    }
    this.buffer = new ReceiverBuffer(ssc.batchMs, ssc.maxBufferedRecords);
  }

  async start(): Promise<void> {
    this.started = true;
    const buffer = this.buffer;
    const self = this;
    const push = ((x: unknown): boolean => {
      if (self.stopped) return false;
      buffer.push(toRows(x));
      return !buffer.full;
    }) as Push;
    Object.defineProperties(push, {
      whenRoom: { value: () => (self.stopped ? Promise.resolve() : buffer.whenRoom()) },
      full: { get: () => buffer.full },
      room: { get: () => buffer.room },
      stopped: { get: () => self.stopped },
    });
    try {
      await this.receiver.onStart(push);
    } catch (e) {
      throw new GleamError(`${this.label}: the receiver's onStart threw: ${(e as Error)?.message ?? e}`);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped || !this.started) return;
    this.stopped = true;
    this.buffer.wake();
    try {
      await this.receiver.onStop();
    } catch (e) {
      this.ssc.receiverError(this.label, new GleamError(`${this.label}: the receiver's onStop threw: ${(e as Error)?.message ?? e}`));
    }
  }

  takeBatch(timeMs: number, last: boolean): BatchInput {
    return { kind: 'rows', rows: last ? this.buffer.drainAll() : this.buffer.drain(timeMs) };
  }

  override release(data: BatchInput): void {
    if (data.kind === 'rows') this.buffer.release(data.rows.length);
  }

  override buffered(): number {
    return this.buffer.size;
  }
}

function toRows(x: unknown): Row[] {
  if (Array.isArray(x) && x.length > 0 && x.every(Array.isArray)) return x as Row[];
  return [asRow(x)];
}
