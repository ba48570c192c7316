// Merges sorted runs of encoded rows written by the flat sort (keys/flatRows.ts) without
// decoding them: each run is read a frame at a time, its rows and string keys found with
// FrameScan, and the heap compares key bytes (UTF-8 byte order: the flat sort only takes keys
// where that is the typed order). Ties go to the earlier run, so the merge is stable.
import { FrameScan } from '../codec/msgpackScan';
import { MergeHeap } from './mergeHeap';
import { SpillReader } from './spillFile';
import type { TaskSpills } from './taskSpills';

/** One run's current row. */
class RunCursor {
  frame: Buffer = Buffer.alloc(0);
  private readonly scan = new FrameScan();
  private i = 0;
  private n = 0;
  private readonly reader: SpillReader;
  constructor(path: string, readonly run: number, private readonly field: number) {
    this.reader = new SpillReader(path);
  }
  get rowStart(): number {
    return this.scan.rowStart[this.i];
  }
  get rowEnd(): number {
    return this.scan.rowEnd[this.i];
  }
  get keyStart(): number {
    return this.scan.keyStart[this.i];
  }
  get keyEnd(): number {
    return this.scan.keyEnd[this.i];
  }
  /** Moves to the next row; false at the end of the run. */
  advance(): boolean {
    if (++this.i < this.n) return true;
    for (;;) {
      const f = this.reader.nextFrame();
      if (f === undefined) return false;
      const n = this.scan.scan(f, this.field);
      // The run was written from rows this scan accepted: anything else is a corrupt file.
      if (n < 0) throw new Error(`spill run ${this.reader.path} does not hold the sorted rows it was written with`);
      this.frame = f;
      this.n = n;
      this.i = 0;
      if (n > 0) return true;
    }
  }
  close(): void {
    this.reader.close();
  }
}

/**
 * Calls emit(frame, start, end) for every row of the runs, in key order (desc: reversed), awaiting
 * pause() every 64K rows (back pressure); then releases the files.
 */
export async function mergeFlatRuns(
  spills: TaskSpills,
  runs: string[],
  field: number,
  desc: boolean,
  emit: (frame: Buffer, start: number, end: number) => void,
  pause: () => void | Promise<void>,
): Promise<void> {
  const cursors: RunCursor[] = [];
  try {
    for (let r = 0; r < runs.length; r++) cursors.push(new RunCursor(runs[r], r, field));
    const heap = new MergeHeap(
      cursors.filter((c) => c.advance()),
      (a, b) => {
        const ab: number = a.frame.compare(b.frame, b.keyStart, b.keyEnd, a.keyStart, a.keyEnd);
        const c = desc ? -ab : ab;
        return c < 0 || (c === 0 && a.run < b.run);
      },
    );
    let n = 0;
    while (heap.size > 0) {
      const top = heap.top;
      emit(top.frame, top.rowStart, top.rowEnd);
      if (top.advance()) heap.fixTop();
      else heap.popTop();
      if ((++n & 0xffff) === 0) await pause();
    }
  } finally {
    for (const c of cursors) c.close();
    for (const p of runs) spills.release(p);
  }
}
