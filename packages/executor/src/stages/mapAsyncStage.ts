// mapAsync / flatMapAsync: UDFs that may return Promises, one row per unit of the ordered async
// loop (orderedAsyncStage.ts): at most `concurrency` calls in flight, results in input order.
import { describeRow, GleamError } from '../errors';
import { explainUdfError, type Udf } from '../udf/compileUdf';
import { isThenable, OrderedAsyncStage } from './orderedAsyncStage';
import type { Row, Stage } from './stage';

export class MapAsyncStage extends OrderedAsyncStage {
  constructor(
    private readonly fn: Udf,
    step: string,
    concurrency: number,
    private readonly flat: boolean,
    signal: AbortSignal,
    next: Stage,
  ) {
    super(step, concurrency, signal, next);
  }

  protected unitCount(rows: Row[]): number {
    return rows.length;
  }

  protected start(rows: Row[], i: number): unknown {
    return this.call(rows[i]);
  }

  protected failure(e: unknown, rows: Row[], i: number): Error {
    return explainUdfError(e, this.step, rows[i]);
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
  protected emit(out: unknown, rows: Row[], i: number): void {
    const row = rows[i];
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

async function collect(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
}
