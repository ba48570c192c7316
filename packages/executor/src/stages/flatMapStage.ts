import { GleamError, describeRow } from '../errors';
import { explainUdfError } from '../udf/compileUdf';
import type { Row } from './stage';
import { UdfStage } from './udfStage';

type Push1 = (v: unknown) => void;

/** flatMap: the UDF returns an iterable of rows or values (null/undefined emits nothing). */
export class FlatMapStage extends UdfStage {
  push1(value: unknown): void {
    this.emit(this.applyValue(value), undefined, value);
  }
  push(row: Row): void {
    this.emit(this.applyRow(row), row, undefined);
  }
  // The input is `row`, or the one-field row [value] (built only to name it in an error).
  private emit(out: unknown, row: Row | undefined, value: unknown): void {
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
      throw new GleamError(`step "${this.step}": flatMap's UDF must return an iterable (array, Set, generator…), got ${describeRow(out)}\n  row: ${describeRow(row ?? [value])}`, this.step);
    }
    try {
      for (const v of out as Iterable<unknown>) next.push(Array.isArray(v) ? v : [v]);
    } catch (e) {
      if (e instanceof GleamError) throw e;
      throw explainUdfError(e, this.step, row ?? [value]);
    }
  }
}
