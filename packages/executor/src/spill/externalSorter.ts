// External merge sort (as DataFusion's ExternalSorter and Spark's ExternalSorter do it): rows
// collect in memory up to a byte budget; over it, they are sorted and written as one run; at the
// end the runs and the in-memory remainder are merged with a heap. Stable: runs hold earlier
// input than later runs and the memory tail, and ties go to the earlier run.
import type { Row } from '../codec/rowCodec';
import { MergeHeap } from './mergeHeap';
import { readSpill, SpillWriter } from './spillFile';
import { approxRowBytes, type TaskSpills } from './taskSpills';

export type RowCompare = (a: Row, b: Row) => number;

export class ExternalSorter {
  private rows: Row[] = [];
  private bytes = 0;
  private readonly runs: string[] = [];

  /**
   * sort: a stable in-memory sort of rows (may sort in place), consistent with `compare`.
   * budgetBytes: approximate heap bytes of rows held before a run is spilled.
   */
  constructor(
    private readonly compare: RowCompare,
    private readonly sort: (rows: Row[]) => Row[],
    private readonly spills: TaskSpills,
    private readonly budgetBytes: number,
  ) {}

  add(row: Row): void {
    this.rows.push(row);
    this.bytes += approxRowBytes(row);
    if (this.bytes > this.budgetBytes) this.spill();
  }

  /** A sorted run written by the caller (of rows added before any now in memory). */
  addRun(path: string): void {
    this.runs.push(path);
  }

  /** Runs written so far. */
  get spilledRuns(): number {
    return this.runs.length;
  }

  private spill(): void {
    const sorted = this.sort(this.rows);
    this.rows = [];
    this.bytes = 0;
    const w = new SpillWriter(this.spills);
    w.addAll(sorted);
    w.close();
    this.runs.push(w.path);
  }

  /** Every row added, in order (consumes the sorter). */
  *sorted(): Generator<Row> {
    const tail = this.sort(this.rows);
    this.rows = [];
    this.bytes = 0;
    if (this.runs.length === 0) {
      yield* tail;
      return;
    }
    const sources: Iterator<Row>[] = this.runs.map((p) => readSpill(this.spills, p));
    sources.push(tail[Symbol.iterator]());
    this.runs.length = 0;
    yield* mergeSorted(sources, this.compare);
  }
}

interface Head {
  row: Row;
  src: number;
}

/** k-way merge of sorted sources; equal rows come out in source order (stable). */
export function* mergeSorted(sources: Iterator<Row>[], compare: RowCompare): Generator<Row> {
  const heads: Head[] = [];
  for (let s = 0; s < sources.length; s++) {
    const it = sources[s].next();
    if (!it.done) heads.push({ row: it.value, src: s });
  }
  const heap = new MergeHeap(heads, (a, b) => {
    const c = compare(a.row, b.row);
    return c < 0 || (c === 0 && a.src < b.src);
  });
  try {
    while (heap.size > 0) {
      const top = heap.top;
      yield top.row;
      const it = sources[top.src].next();
      if (it.done) heap.popTop();
      else {
        top.row = it.value;
        heap.fixTop();
      }
    }
  } finally {
    // An abandoned merge closes its files (generators run their finally on return()).
    for (const s of sources) s.return?.();
  }
}
