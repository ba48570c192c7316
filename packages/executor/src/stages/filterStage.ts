import { explainUdfError, type Udf } from '../udf/compileUdf';
import { callWithRow, ForwardingStage, type Row, type Stage } from './stage';

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
}
