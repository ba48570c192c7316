import { GleamError, describeRow } from '../errors';
import { explainUdfError, type Udf } from '../udf/compileUdf';
import { callWithRow, ForwardingStage, type Row, type Stage } from './stage';

type Push1 = (v: unknown) => void;

/** flatMap: the UDF returns an iterable of rows or values (null/undefined emits nothing). */
export class FlatMapStage extends ForwardingStage {
  constructor(private readonly fn: Udf, private readonly step: string, next: Stage) {
    super(next);
  }
  push1(value: unknown): void {
    let out: unknown;
    try {
      out = this.fn(value);
    } catch (e) {
      throw explainUdfError(e, this.step, [value]);
    }
    this.emit(out, [value]);
  }
  push(row: Row): void {
    let out: unknown;
    try {
      out = callWithRow(this.fn, row);
    } catch (e) {
      throw explainUdfError(e, this.step, row);
    }
    this.emit(out, row);
  }
  private emit(out: unknown, row: Row): void {
    if (out === undefined || out === null) return;
    const next = this.next;
    if (Array.isArray(out)) {
      // Fast path: arrays (the usual `split` result) are walked by index; single values go
      // through push1 when the next stage can take them without a row array.
      const one: Push1 | undefined = next.push1;
      for (let i = 0; i < out.length; i++) {
        const v = out[i];
        if (Array.isArray(v)) next.push(v);
        else if (one !== undefined) next.push1!(v);
        else next.push([v]);
      }
      return;
    }
    if (typeof out === 'string' || typeof (out as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new GleamError(`step "${this.step}": flatMap's UDF must return an iterable (array, Set, generator…), got ${describeRow(out)}\n  row: ${describeRow(row)}`, this.step);
    }
    try {
      for (const v of out as Iterable<unknown>) next.push(Array.isArray(v) ? v : [v]);
    } catch (e) {
      if (e instanceof GleamError) throw e;
      throw explainUdfError(e, this.step, row);
    }
  }
}
