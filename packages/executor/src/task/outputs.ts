// Terminal stages: rows -> frames -> shards, whole (one shard) or partitioned by hash or range
// into the sections of one shard.
import { checkRows } from '../codec/carryable';
import { FrameBuilder } from '../codec/frameBuilder';
import { compareValues } from '../keys/keyOrder';
import { hashKey, hashValue, partitionOf } from '../keys/keyHash';
import type { OrderBy } from '../plan/taskSpec';
import type { Row, Stage } from '../stages/stage';
import { rowToTsv } from '../pipe/tsvLines';
import type { TaskIO } from './taskIO';

export interface OutputCounters {
  rowsOut: number;
  framesOut: number;
  bytesOut: number;
}

/** What every output shares: counting frames, and the pending write that flush returns. */
abstract class OutputBase implements Stage {
  private wait: Promise<void> | undefined;
  readonly counters: OutputCounters = { rowsOut: 0, framesOut: 0, bytesOut: 0 };

  constructor(private readonly io: TaskIO) {}
  abstract push(row: Row): void;
  abstract end(): Promise<void>;
  protected send(shard: string, frame: Uint8Array, section?: number): void {
    this.counters.framesOut++;
    this.counters.bytesOut += frame.byteLength;
    const p = this.io.write(shard, frame, section);
    if (p) this.wait = p;
  }
  flush(): void | Promise<void> {
    const w = this.wait;
    this.wait = undefined;
    return w;
  }
}

/**
 * Outputs of row frames: one FrameBuilder for the shard, or one per section of it, made when the
 * section gets its first row (a 2001-way shuffle of a few rows must not build 2001 builders).
 */
abstract class FramedOutput extends OutputBase {
  private readonly builders: (FrameBuilder | undefined)[];
  protected readonly sections: number;
  /** check: the step named when a row holds a value rows cannot carry (unset: rows are not checked). */
  constructor(private readonly shard: string, sectioned: number | undefined, io: TaskIO, private readonly check?: string) {
    super(io);
    this.sections = sectioned ?? 1;
    this.builders = sectioned === undefined ? [new FrameBuilder((frame) => this.send(shard, frame), { check })] : new Array(sectioned);
  }
  protected builder(section: number): FrameBuilder {
    return this.builders[section] ?? (this.builders[section] = new FrameBuilder((frame) => this.send(this.shard, frame, section), { check: this.check }));
  }
  async end(): Promise<void> {
    for (const b of this.builders) b?.flush();
    await this.flush();
  }
}

export class ShardOutput extends FramedOutput {
  private readonly one: FrameBuilder;
  constructor(shard: string, io: TaskIO, check?: string) {
    super(shard, undefined, io, check);
    this.one = this.builder(0);
  }
  push(row: Row): void {
    this.counters.rowsOut++;
    this.one.add(row);
  }
}

/**
 * One shard of TSV text instead of row frames, for a dataset only a text-file sink reads: the
 * executor formats the lines (in parallel with the other executors) and the driver writes the
 * bytes as they come, with no msgpack encoding or decoding on either side.
 */
export class TsvShardOutput extends OutputBase {
  private text = '';
  private readonly encoder = new TextEncoder();
  private readonly one: Row[] = [[]];
  constructor(private readonly shard: string, io: TaskIO, private readonly targetChars = 128 * 1024, private readonly check?: string) {
    super(io);
  }
  push(row: Row): void {
    this.counters.rowsOut++;
    // Text would hide a Map or a function as "{}" or its source: refuse it as a frame would.
    if (this.check !== undefined) {
      this.one[0] = row;
      checkRows(this.one, this.check);
    }
    this.text += rowToTsv(row);
    if (this.text.length >= this.targetChars) this.emit();
  }
  private emit(): void {
    // encode() returns bytes that own their exactly-sized buffer, so the frame can be transferred.
    const frame = this.encoder.encode(this.text);
    this.text = '';
    this.send(this.shard, frame);
  }
  async end(): Promise<void> {
    if (this.text.length > 0) this.emit();
    await this.flush();
  }
}

export class HashPartitionOutput extends FramedOutput {
  constructor(private readonly key: number[] | null, shard: string, partitions: number, io: TaskIO, check?: string) {
    super(shard, partitions, io, check);
  }
  push(row: Row): void {
    this.counters.rowsOut++;
    const h = this.key === null ? hashValue(row) : hashKey(row, this.key);
    this.builder(partitionOf(h, this.sections)).add(row);
  }
}

/** Range partitioning: section i holds rows between boundary i-1 and boundary i. */
export class RangePartitionOutput extends FramedOutput {
  constructor(private readonly orderBy: OrderBy[], private readonly boundaries: Row[], shard: string, partitions: number, io: TaskIO, check?: string) {
    super(shard, partitions, io, check);
  }
  push(row: Row): void {
    this.counters.rowsOut++;
    // Binary search: the number of boundaries <= row.
    let lo = 0;
    let hi = this.boundaries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareToBoundary(row, this.boundaries[mid], this.orderBy) >= 0) lo = mid + 1;
      else hi = mid;
    }
    this.builder(lo).add(row);
  }
}

/** Compares a data row with a boundary holding only the projected sort keys. */
export function compareToBoundary(row: Row, boundary: Row, orderBy: OrderBy[]): number {
  for (let i = 0; i < orderBy.length; i++) {
    const o = orderBy[i];
    const v = row[o.field];
    const c = compareValues(v === undefined ? null : v, boundary[i]);
    if (c !== 0) return o.desc ? -c : c;
  }
  return 0;
}

/** n-1 boundaries at even quantiles of the pooled samples (same result in every task). */
export function chooseBoundaries(samples: Row[], orderBy: OrderBy[], n: number): Row[] {
  const keyOrder = orderBy.map((o, i) => ({ field: i, desc: o.desc }));
  const sorted = samples.slice().sort((a, b) => compareToBoundary(a, b, keyOrder));
  const out: Row[] = [];
  if (sorted.length === 0 || n <= 1) return out;
  for (let i = 1; i < n; i++) out.push(sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / n))]);
  return out;
}
