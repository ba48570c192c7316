import { explainUdfError, type Udf } from '../udf/compileUdf';
import type { Row, Stage } from './stage';

/** Reduces every row of the partition to one row; a row's value is its field, or its fields. */
export class ReduceAllStage implements Stage {
  private acc: unknown;
  private has = false;
  private multi = false;
  constructor(private readonly fn: Udf, private readonly step: string, private readonly next: Stage) {}

  push(row: Row): void {
    const v = row.length === 1 ? row[0] : row;
    if (!this.has) {
      this.acc = v;
      this.has = true;
      this.multi = row.length !== 1;
      return;
    }
    try {
      this.acc = this.fn(this.acc, v);
    } catch (e) {
      throw explainUdfError(e, this.step, row);
    }
  }
  flush(): void {}
  end(): Promise<void> {
    if (this.has) this.next.push(this.multi && Array.isArray(this.acc) ? this.acc : [this.acc]);
    return this.next.end();
  }
}
