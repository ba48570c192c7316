/**
 * Batches rows into frames of about `targetBytes` (DESIGN.md §9: ~64-256 KB frames are fastest).
 * Rows are never measured one by one: the builder learns the average encoded row size from each
 * frame it emits and sizes the next frame by row count.
 */
import { checkRows } from './carryable';
import { encodeRows, Row } from './rowCodec';

export interface FrameBuilderOptions {
  /** Aimed-for encoded frame size in bytes; default 128 KiB. */
  targetBytes?: number;
  /**
   * The step whose rows these are, when they may hold values rows cannot carry (UDF results,
   * driver values): every frame is checked first and an error names this step.
   */
  check?: string;
}

const DEFAULT_TARGET_BYTES = 128 * 1024;
const INITIAL_ROWS_PER_FRAME = 256;
const MIN_ROWS_PER_FRAME = 16;
const MAX_ROWS_PER_FRAME = 65536;

export class FrameBuilder {
  private readonly onFrame: (frame: Uint8Array, rowCount: number) => void;
  private readonly targetBytes: number;
  private readonly check: string | undefined;
  private pending: Row[] = [];
  private estimate = INITIAL_ROWS_PER_FRAME;

  constructor(onFrame: (frame: Uint8Array, rowCount: number) => void, opts?: FrameBuilderOptions) {
    const target = opts?.targetBytes ?? DEFAULT_TARGET_BYTES;
    // A bad target would silently make every frame 16 or 65536 rows: reject it up front.
    if (!(target > 0) || !Number.isFinite(target)) throw new RangeError(`targetBytes must be a positive number, got ${target}`);
    this.onFrame = onFrame;
    this.targetBytes = target;
    this.check = opts?.check;
  }

  /** Current rows-per-frame estimate (adapts after every emitted frame). */
  get rowsPerFrame(): number {
    return this.estimate;
  }

  /** Rows added but not yet emitted. */
  get pendingCount(): number {
    return this.pending.length;
  }

  add(row: Row): void {
    if (this.pending.push(row) >= this.estimate) this.emit();
  }

  addAll(rows: Row[]): void {
    const pending = this.pending;
    for (let i = 0; i < rows.length; i++) {
      if (pending.push(rows[i]) >= this.estimate) this.emit();
    }
  }

  /** Emits a frame with the pending rows, if any. */
  flush(): void {
    if (this.pending.length > 0) this.emit();
  }

  private emit(): void {
    const rows = this.pending;
    const rowCount = rows.length;
    if (this.check !== undefined) checkRows(rows, this.check);
    const frame = encodeRows(rows);
    // encodeRows copied the bytes, so the batch array can be reused for the next frame.
    rows.length = 0;
    const next = Math.floor(this.targetBytes / (frame.length / rowCount));
    this.estimate = next < MIN_ROWS_PER_FRAME ? MIN_ROWS_PER_FRAME : next > MAX_ROWS_PER_FRAME ? MAX_ROWS_PER_FRAME : next;
    this.onFrame(frame, rowCount);
  }
}
