import { explainUdfError, type Udf } from '../udf/compileUdf';
import { callWithRow, ForwardingStage, toRow, type Row, type Stage } from './stage';

/** map: the UDF returns the new row, a single value, or undefined to drop the row. */
export class MapStage extends ForwardingStage {
  constructor(private readonly fn: Udf, private readonly step: string, next: Stage) {
    super(next);
  }
  push(row: Row): void {
    let out: unknown;
    try {
      out = callWithRow(this.fn, row);
    } catch (e) {
      throw explainUdfError(e, this.step, row);
    }
    if (out !== undefined) this.next.push(toRow(out));
  }
  push1(value: unknown): void {
    let out: unknown;
    try {
      out = this.fn(value);
    } catch (e) {
      throw explainUdfError(e, this.step, [value]);
    }
    if (out !== undefined) this.next.push(toRow(out));
  }
}
