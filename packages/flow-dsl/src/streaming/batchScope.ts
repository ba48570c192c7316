// One batch being computed: its time, its inputs' frozen data, and the datasets each stream
// made for it (a stream used by two outputs builds its dataset once per batch).
import type { Row } from '@gleam/executor';
import type { Dataset } from '../dataset';
import type { Flow } from '../flow';

/** What an input stream took for one batch: rows received, or new files. */
export type BatchInput = { kind: 'rows'; rows: Row[] } | { kind: 'files'; files: string[] };

export class BatchScope {
  /** Stream id -> its dataset of this batch (null: none at this time). */
  private readonly made = new Map<number, Dataset<any> | null>();

  constructor(
    readonly flow: Flow,
    readonly timeMs: number,
    /** The time before the first batch; slides and windows count from it. */
    readonly zeroMs: number,
    /** Input stream id -> its data of this batch. */
    readonly inputs: ReadonlyMap<number, BatchInput>,
  ) {}

  /** Whether this batch's time is a multiple of `slideMs` after the start. */
  isSlide(slideMs: number): boolean {
    return (this.timeMs - this.zeroMs) % slideMs === 0;
  }

  /** @internal */
  memo(id: number): Dataset<any> | null | undefined {
    return this.made.get(id);
  }

  /** @internal */
  remember(id: number, ds: Dataset<any> | undefined): void {
    this.made.set(id, ds ?? null);
  }

  /** An empty dataset (a batch with no data still runs its outputs). */
  empty<R extends unknown[]>(): Dataset<R> {
    return this.flow.slices<R>([], 1);
  }
}
