import { RawFrameBuilder } from '../codec/rawFrameBuilder';
import { decodeRows } from '../codec/rowCodec';
import { FLAT_ROW_OVERHEAD, FlatRows } from '../keys/flatRows';
import { rowComparator, sortRows, WHOLE_ROW } from '../keys/rowOrder';
import type { OrderBy } from '../plan/taskSpec';
import { ExternalSorter } from '../spill/externalSorter';
import { mergeFlatRuns } from '../spill/flatMerge';
import { SpillWriter } from '../spill/spillFile';
import type { TaskSpills } from '../spill/taskSpills';
import type { Row, Stage } from './stage';

/**
 * Sorts the whole partition (stable), then emits it: in memory while the rows fit the budget,
 * else as sorted runs spilled to disk and merged (spill/externalSorter.ts).
 *
 * Sorting by one string field, the stage keeps the input frames as they are (keys/flatRows.ts)
 * and emits each row's bytes in key order, to an output that takes encoded rows, with no object
 * per row; the first frame that does not fit that shape turns it to decoded rows for good.
 */
export class LocalSortStage implements Stage {
  private readonly sorter: ExternalSorter;
  private flat: FlatRows | undefined;
  // Runs spilled from flat rows: merged without decoding while every frame stays flat.
  private readonly flatRuns: string[] = [];
  private readonly desc: boolean;
  private readonly field: number;
  constructor(orderBy: OrderBy[], private readonly next: Stage, private readonly spills: TaskSpills, private readonly budgetBytes: number) {
    this.sorter = new ExternalSorter(rowComparator(orderBy), (rows) => sortRows(rows, orderBy), spills, budgetBytes);
    const one = orderBy.length === 1 && orderBy[0].field !== WHOLE_ROW;
    this.flat = one ? new FlatRows(orderBy[0].field) : undefined;
    this.desc = one && orderBy[0].desc;
    this.field = one ? orderBy[0].field : -1;
  }
  push(row: Row): void {
    if (this.flat !== undefined) this.toRows(this.flat);
    this.sorter.add(row);
  }
  pushFrame(frame: Uint8Array): number {
    const flat = this.flat;
    if (flat === undefined) return -1;
    const n = flat.addFrame(frame);
    if (n < 0) {
      this.toRows(flat);
      return -1;
    }
    if (flat.bytes + flat.count * FLAT_ROW_OVERHEAD > this.budgetBytes) this.spillFlat(flat);
    return n;
  }
  // Rows so far become decoded rows of the general sorter (after any runs already spilled).
  private toRows(flat: FlatRows): void {
    this.flat = undefined;
    for (const run of this.flatRuns.splice(0)) this.sorter.addRun(run);
    for (const row of flat.decoded()) this.sorter.add(row);
    flat.clear();
  }
  private spillFlat(flat: FlatRows): void {
    const w = new SpillWriter(this.spills);
    this.emitFlat(flat, new RawFrameBuilder((frame, n) => w.addFrame(frame, n)));
    w.close();
    this.flatRuns.push(w.path);
    flat.clear();
  }
  /** The flat rows in key order, as row frames. */
  private emitFlat(flat: FlatRows, out: RawFrameBuilder): void {
    const order = flat.sortedOrder(this.desc);
    const { frames, frameOf, start, end } = flat;
    for (let i = 0; i < order.length; i++) {
      const k = order[i];
      out.add(frames[frameOf[k]], start[k], end[k]);
    }
    out.flush();
  }
  flush(): void {}
  async end(): Promise<void> {
    const next = this.next;
    const flat = this.flat;
    if (flat !== undefined && this.flatRuns.length > 0) {
      this.spillFlat(flat);
      await this.mergeFlat();
      return next.end();
    } else if (flat !== undefined) {
      await this.endFlat(flat);
      return next.end();
    }
    let i = 0;
    for (const row of this.sorter.sorted()) {
      next.push(row);
      // Yield to back pressure every so often so a large sorted partition streams out.
      if ((++i & 0xffff) === 0) await next.flush();
    }
    await next.flush();
    return next.end();
  }
  // Every row was spilled in flat runs: merge them by key bytes into the output.
  private async mergeFlat(): Promise<void> {
    const next = this.next;
    const runs = this.flatRuns.splice(0);
    if (next.pushEncoded !== undefined) {
      const push = next.pushEncoded.bind(next);
      await mergeFlatRuns(this.spills, runs, this.field, this.desc, push, () => next.flush());
    } else {
      let batch: Row[] = [];
      const out = new RawFrameBuilder((frame) => (batch = decodeRows(frame)));
      const drain = () => {
        for (const r of batch) next.push(r);
        batch = [];
      };
      await mergeFlatRuns(this.spills, runs, this.field, this.desc, (f, s, e) => {
        out.add(f, s, e);
        if (batch.length > 0) drain();
      }, () => next.flush());
      out.flush();
      drain();
    }
    await next.flush();
  }

  private async endFlat(flat: FlatRows): Promise<void> {
    const next = this.next;
    const order = flat.sortedOrder(this.desc);
    const { frames, frameOf, start, end } = flat;
    if (next.pushEncoded !== undefined) {
      for (let i = 0; i < order.length; i++) {
        const k = order[i];
        next.pushEncoded(frames[frameOf[k]], start[k], end[k]);
        if ((i & 0xffff) === 0xffff) await next.flush();
      }
    } else {
      // A next stage that wants rows gets them decoded a frame at a time, in order.
      const batches: Row[][] = [];
      const out = new RawFrameBuilder((frame) => batches.push(decodeRows(frame)));
      for (let i = 0; i < order.length; i++) {
        const k = order[i];
        out.add(frames[frameOf[k]], start[k], end[k]);
        if (batches.length > 0) {
          for (const r of batches.shift()!) next.push(r);
          await next.flush();
        }
      }
      out.flush();
      for (const rows of batches.splice(0)) for (const r of rows) next.push(r);
    }
    flat.clear();
    await next.flush();
  }
}
