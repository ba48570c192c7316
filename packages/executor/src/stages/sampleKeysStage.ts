import { compareValues } from '../keys/keyOrder';
import { hashKey } from '../keys/keyHash';
import type { OrderBy } from '../plan/taskSpec';
import { ForwardingStage, type Row, type Stage } from './stage';

interface Candidate {
  h: number;
  key: Row;
}

/**
 * Pass-through that keeps a sample of the sort keys for range partitioning: the `size` rows whose
 * keys hash lowest (a bottom-k sample). It depends only on which rows the partition holds, never on
 * their order or on the attempt: a task run again after a loss — whose input may arrive in
 * another order — samples the same keys, so every range-partitioning attempt derives the same
 * boundaries and no row lands in two partitions or in none.
 */
export class SampleKeysStage extends ForwardingStage {
  /** A max-heap on (hash, key): the worst kept candidate on top. */
  private readonly heap: Candidate[] = [];
  private readonly fields: number[];

  constructor(
    private readonly orderBy: OrderBy[],
    private readonly size: number,
    private readonly emitSample: (rows: Row[]) => void | Promise<void>,
    next: Stage,
  ) {
    super(next);
    this.fields = orderBy.map((o) => o.field);
  }

  push(row: Row): void {
    if (this.size > 0) {
      // Remixed so that it is not the hash that partitioned these rows (all alike modulo n here).
      const h = remix(hashKey(row, this.fields));
      const heap = this.heap;
      if (heap.length < this.size) this.insert({ h, key: this.project(row) });
      else if (h <= heap[0].h) {
        const key = this.project(row);
        if (before(h, key, heap[0])) this.replaceTop({ h, key });
      }
    }
    this.next.push(row);
  }

  private project(row: Row): Row {
    return this.orderBy.map((o) => (row[o.field] === undefined ? null : row[o.field]));
  }

  private insert(c: Candidate): void {
    const heap = this.heap;
    let k = heap.push(c) - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(heap[parent].h, heap[parent].key, c)) break;
      heap[k] = heap[parent];
      k = parent;
    }
    heap[k] = c;
  }

  private replaceTop(c: Candidate): void {
    const heap = this.heap;
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const big = r < heap.length && before(heap[l].h, heap[l].key, heap[r]) ? r : l;
      if (!before(c.h, c.key, heap[big])) break;
      heap[k] = heap[big];
      k = big;
    }
    heap[k] = c;
  }

  override async end(): Promise<void> {
    await this.emitSample(this.heap.map((c) => c.key));
    return this.next.end();
  }
}

/** Whether (h, key) comes before candidate c in the sample's order: hash, then key (ties broken by value). */
function before(h: number, key: Row, c: Candidate): boolean {
  return h < c.h || (h === c.h && compareValues(key, c.key) < 0);
}

function remix(h: number): number {
  let x = Math.imul(h ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
