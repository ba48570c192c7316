import { explainUdfError, type Udf } from '../udf/compileUdf';
import { callWithRow, ForwardingStage, pushValue, type Row, type Stage } from './stage';

/** filter: keeps the row when the UDF returns a truthy value. */
export class FilterStage extends ForwardingStage {
  constructor(private readonly fn: Udf, private readonly step: string, next: Stage) {
    super(next);
  }
  push(row: Row): void {
    let keep: unknown;
    try {
      keep = callWithRow(this.fn, row);
    } catch (e) {
      throw explainUdfError(e, this.step, row);
    }
    if (keep) this.next.push(row);
  }
  push1(value: unknown): void {
    let keep: unknown;
    try {
      keep = this.fn(value);
    } catch (e) {
      throw explainUdfError(e, this.step, [value]);
    }
    if (keep) pushValue(this.next, value);
  }
}
