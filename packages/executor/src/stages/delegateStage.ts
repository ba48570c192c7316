// delegate: every row's value goes to a remote HTTP service; out comes [...row, response]. A unit
// of the ordered async loop (orderedAsyncStage.ts) is one request of batchSize rows: at most
// `concurrency` requests in flight per task, rows emitted in input order.
import { describeRow, GleamError } from '../errors';
import type { DelegateSpec } from '../plan/delegateSpec';
import { Cancellation, delegateCall, delegateTarget, type DelegateOutcome, type DelegateTarget } from './delegateClient';
import { OrderedAsyncStage } from './orderedAsyncStage';
import type { Row, Stage } from './stage';

export class DelegateStage extends OrderedAsyncStage {
  private readonly cancel: Cancellation;
  private readonly target: DelegateTarget;

  constructor(
    private readonly spec: DelegateSpec,
    step: string,
    signal: AbortSignal,
    next: Stage,
  ) {
    super(step, spec.concurrency, signal, next);
    this.cancel = new Cancellation(signal);
    this.target = delegateTarget(spec);
  }

  protected unitCount(rows: Row[]): number {
    return Math.ceil(rows.length / this.spec.batchSize);
  }

  private chunk(rows: Row[], i: number): Row[] {
    const size = this.spec.batchSize;
    return rows.slice(i * size, Math.min(rows.length, (i + 1) * size));
  }

  protected start(rows: Row[], i: number): Promise<DelegateOutcome> {
    const chunk = this.chunk(rows, i);
    const one = this.spec.batchSize === 1;
    let body: string;
    try {
      body = JSON.stringify(one ? valueOf(chunk[0]) : chunk.map(valueOf));
    } catch (e) {
      throw new GleamError(`step "${this.step}": the row cannot be sent as JSON (${(e as Error).message})\n  ${this.rowsText(chunk)}`, this.step);
    }
    return delegateCall(this.target, body, one ? undefined : chunk.length, this.cancel).then((out) => {
      if (!out.ok && this.spec.onError === 'fail') {
        throw new GleamError(`step "${this.step}": ${this.spec.method} ${this.spec.url} ${out.error}; status: ${out.status ?? 'none'}\n  ${this.rowsText(chunk)}`, this.step);
      }
      return out;
    });
  }

  protected failure(e: unknown): Error {
    return e instanceof Error ? e : new GleamError(`step "${this.step}": ${String(e)}`, this.step);
  }

  protected emit(result: unknown, rows: Row[], i: number): void {
    const out = result as DelegateOutcome;
    const size = this.spec.batchSize;
    const from = i * size;
    const to = Math.min(rows.length, from + size);
    if (!out.ok) {
      for (let r = from; r < to; r++) this.next.push([...rows[r], { error: out.error, status: out.status }]);
    } else if (size === 1) {
      this.next.push([...rows[from], out.value]);
    } else {
      const values = out.value as unknown[];
      for (let r = from; r < to; r++) this.next.push([...rows[r], values[r - from]]);
    }
  }

  private rowsText(chunk: Row[]): string {
    return chunk.length === 1 ? `row: ${describeRow(chunk[0])}` : `rows (a batch of ${chunk.length}): ${describeRow(chunk)}`;
  }
}

/** What a row sends, as Spark sends the element: a one-field row's field, else the row's fields. */
function valueOf(row: Row): unknown {
  return row.length === 1 ? row[0] : row;
}
