import { toRow, type Row } from './stage';
import { UdfStage } from './udfStage';

/** map: the UDF returns the new row, a single value, or undefined to drop the row. */
export class MapStage extends UdfStage {
  push(row: Row): void {
    const out = this.applyRow(row);
    if (out !== undefined) this.next.push(toRow(out));
  }
  push1(value: unknown): void {
    const out = this.applyValue(value);
    if (out !== undefined) this.next.push(toRow(out));
  }
}
