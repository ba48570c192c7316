import { GleamError, describeRow } from '../errors';
import { explainUdfError, type Udf } from '../udf/compileUdf';
import { asyncResultError, isAsyncResult } from './asyncResultError';
import type { Row, Stage } from './stage';

/** mapPartitions: the UDF gets the partition's rows (one-shot iterable) and returns an iterable. */
export class MapPartitionsStage implements Stage {
  private rows: Row[] = [];
  constructor(private readonly fn: Udf, private readonly step: string, private readonly next: Stage) {}
  push(row: Row): void {
    this.rows.push(row);
  }
  flush(): void {}
  async end(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    let consumed = false;
    const oneShot: Iterable<Row> = {
      [Symbol.iterator]() {
        if (consumed) throw new Error('the partition iterable of mapPartitions can be iterated only once');
        consumed = true;
        return rows[Symbol.iterator]();
      },
    };
    let out: unknown;
    try {
      out = this.fn(oneShot);
      if (out === undefined || out === null) out = [];
      if (isAsyncResult(out)) throw asyncResultError(this.step, 'mapPartitions', out, undefined);
      if (typeof out === 'string' || typeof (out as Iterable<unknown>)[Symbol.iterator] !== 'function') {
        throw new GleamError(`step "${this.step}": mapPartitions' UDF must return an iterable, got ${describeRow(out)}`, this.step);
      }
      let i = 0;
      for (const v of out as Iterable<unknown>) {
        this.next.push(Array.isArray(v) ? v : [v]);
        if ((++i & 0xffff) === 0) await this.next.flush();
      }
    } catch (e) {
      if (e instanceof GleamError) throw e;
      throw explainUdfError(e, this.step, undefined);
    }
    await this.next.flush();
    return this.next.end();
  }
}
