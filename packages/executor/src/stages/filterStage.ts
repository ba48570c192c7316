import { pushValue, type Row } from './stage';
import { UdfStage } from './udfStage';

/** filter: keeps the row when the UDF returns a truthy value. */
export class FilterStage extends UdfStage {
  push(row: Row): void {
    if (this.applyRow(row)) this.next.push(row);
  }
  push1(value: unknown): void {
    if (this.applyValue(value)) pushValue(this.next, value);
  }
}
