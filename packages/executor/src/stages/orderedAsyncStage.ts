// The loop shared by the async stages (mapAsync / flatMapAsync, delegate): rows are buffered as
// they are pushed; at each batch edge (flush) the batch is cut into units (a row, or a request
// of several rows), at most `concurrency` units in flight, results emitted in input order as the
// head of the batch settles; the flush resolves when the batch is done. The sync row loop never
// awaits a row.
import { GleamError } from '../errors';
import type { Row, Stage } from './stage';

const DONE = 1;
const FLUSH_UNITS = 256;

export abstract class OrderedAsyncStage implements Stage {
  private rows: Row[] = [];
  /** Wakes the batch loop when a unit settles or the task is cancelled. */
  private wake: (() => void) | undefined;

  constructor(
    protected readonly step: string,
    private readonly concurrency: number,
    protected readonly signal: AbortSignal,
    protected readonly next: Stage,
  ) {
    signal.addEventListener('abort', () => this.wake?.(), { once: true });
  }

  /** How many units the batch's rows make. */
  protected abstract unitCount(rows: Row[]): number;
  /** Starts unit i: its result, or a Promise of it. */
  protected abstract start(rows: Row[], i: number): unknown;
  /** Pushes the rows of unit i's result downstream. */
  protected abstract emit(result: unknown, rows: Row[], i: number): void;
  /** The step's error for what unit i threw or rejected with. */
  protected abstract failure(e: unknown, rows: Row[], i: number): Error;

  push(row: Row): void {
    this.rows.push(row);
  }

  flush(): void | Promise<void> {
    if (this.rows.length === 0) return this.next.flush();
    const rows = this.rows;
    this.rows = [];
    return this.runBatch(rows);
  }

  async end(): Promise<void> {
    const p = this.flush();
    if (p) await p;
    return this.next.end();
  }

  private async runBatch(rows: Row[]): Promise<void> {
    const n = this.unitCount(rows);
    const results: unknown[] = new Array(n);
    const state = new Uint8Array(n);
    let started = 0;
    let inFlight = 0;
    let emitted = 0;
    let failure: Error | undefined;
    let unflushed = 0;
    const settle = () => {
      inFlight--;
      this.wake?.();
    };
    while (emitted < n) {
      while (failure === undefined && started < n && inFlight < this.concurrency) {
        const i = started++;
        let out: unknown;
        try {
          out = this.start(rows, i);
        } catch (e) {
          failure = this.failure(e, rows, i);
          break;
        }
        if (isThenable(out)) {
          inFlight++;
          out.then(
            (v) => {
              results[i] = v;
              state[i] = DONE;
              settle();
            },
            (e) => {
              failure ??= this.failure(e, rows, i);
              settle();
            },
          );
        } else {
          results[i] = out;
          state[i] = DONE;
        }
      }
      if (failure !== undefined) throw failure;
      if (this.signal.aborted) throw new GleamError(`step "${this.step}": cancelled`, this.step);
      let k = emitted;
      while (k < n && state[k] === DONE) {
        this.emit(results[k], rows, k);
        results[k] = undefined;
        k++;
      }
      if (k > emitted) {
        unflushed += k - emitted;
        emitted = k;
        // Downstream back pressure every FLUSH_UNITS units of results (and at the end): a flush
        // per round would write tiny frames and leave the slots of units settling meanwhile idle.
        if (unflushed >= FLUSH_UNITS || emitted === n) {
          unflushed = 0;
          const p = this.next.flush();
          if (p) await p;
        }
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
