// mapAsync / flatMapAsync: UDFs that may return Promises. Rows are buffered as they are pushed;
// at each batch edge (flush) the stage calls the UDF for the batch with at most `concurrency`
// calls in flight, emits results in input order as the head of the batch settles, and resolves
// when the batch is done. The sync row loop never awaits a row.
import { describeRow, GleamError } from '../errors';
import { explainUdfError, type Udf } from '../udf/compileUdf';
import type { Row, Stage } from './stage';

const DONE = 1;

export class MapAsyncStage implements Stage {
  private rows: Row[] = [];
  /** Wakes the batch loop when a call settles or the task is cancelled. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly fn: Udf,
    private readonly step: string,
    private readonly concurrency: number,
    private readonly flat: boolean,
    private readonly signal: AbortSignal,
    private readonly next: Stage,
  ) {
    signal.addEventListener('abort', () => this.wake?.(), { once: true });
  }

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
    const n = rows.length;
    const results: unknown[] = new Array(n);
    const state = new Uint8Array(n);
    let started = 0;
    let inFlight = 0;
    let emitted = 0;
    let failure: GleamError | undefined;
    const settle = () => {
      inFlight--;
      this.wake?.();
    };
    while (emitted < n) {
      while (failure === undefined && started < n && inFlight < this.concurrency) {
        const i = started++;
        const row = rows[i];
        let out: unknown;
        try {
          out = this.call(row);
        } catch (e) {
          failure = explainUdfError(e, this.step, row);
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
              failure ??= explainUdfError(e, this.step, row);
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
        this.emit(results[k], rows[k]);
        results[k] = undefined;
        k++;
      }
      if (k > emitted) {
        emitted = k;
        // Downstream back pressure between rounds of results.
        const p = this.next.flush();
        if (p) await p;
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** The UDF's result for a row, or for flatMapAsync's async iterables a Promise of their items. */
  private call(row: Row): unknown {
    const out = this.fn(...row);
    if (this.flat && out !== null && typeof out === 'object' && !isThenable(out) && typeof (out as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      return collect(out as AsyncIterable<unknown>);
    }
    return out;
  }

  /** A resolved value becomes rows exactly as map's (or flatMap's) return value does. */
  private emit(out: unknown, row: Row): void {
    const next = this.next;
    if (!this.flat) {
      if (out !== undefined) next.push(Array.isArray(out) ? out : [out]);
      return;
    }
    if (out === undefined || out === null) return;
    if (Array.isArray(out)) {
      for (let k = 0; k < out.length; k++) next.push(Array.isArray(out[k]) ? out[k] : [out[k]]);
      return;
    }
    if (typeof out === 'string' || typeof (out as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new GleamError(`step "${this.step}": flatMapAsync's UDF must return (or resolve to) an iterable (array, Set, generator…) or an async iterable, got ${describeRow(out)}\n  row: ${describeRow(row)}`, this.step);
    }
    try {
      for (const x of out as Iterable<unknown>) next.push(Array.isArray(x) ? x : [x]);
    } catch (e) {
      if (e instanceof GleamError) throw e;
      throw explainUdfError(e, this.step, row);
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

async function collect(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
}
