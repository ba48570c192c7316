// The UDF call of map, flatMap and filter: with the row's fields as arguments (push) or with a
// one-field row's value (push1, no row array), errors explained with the step and the row.
import { explainUdfError, type Udf } from '../udf/compileUdf';
import { callWithRow, ForwardingStage, type Row, type Stage } from './stage';

export abstract class UdfStage extends ForwardingStage {
  constructor(protected readonly fn: Udf, protected readonly step: string, next: Stage) {
    super(next);
  }
  protected applyRow(row: Row): unknown {
    try {
      return callWithRow(this.fn, row);
    } catch (e) {
      throw explainUdfError(e, this.step, row);
    }
  }
  protected applyValue(value: unknown): unknown {
    try {
      return this.fn(value);
    } catch (e) {
      throw explainUdfError(e, this.step, [value]);
    }
  }
}
