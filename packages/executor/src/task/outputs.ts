// Terminal stages: rows -> frames -> shards, whole (one shard) or partitioned by hash or range
// into the sections of one shard.
import { checkRows } from '../codec/carryable';
import { FrameBuilder } from '../codec/frameBuilder';
import { arrayHeaderBytes, arrayLength, FrameScan, stringAt } from '../codec/msgpackScan';
import { RawFrameBuilder } from '../codec/rawFrameBuilder';
import { decodeRow } from '../codec/rowCodec';
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
  // Encoded rows copied as they are; a section's two builders never both hold rows (each
  // flushes the other first), so its rows keep their order.
  private readonly raw: (RawFrameBuilder | undefined)[];
  protected readonly sections: number;
  /** check: the step named when a row holds a value rows cannot carry (unset: rows are not checked). */
  constructor(private readonly shard: string, sectioned: number | undefined, io: TaskIO, private readonly check?: string) {
    super(io);
    this.sections = sectioned ?? 1;
    this.builders = sectioned === undefined ? [new FrameBuilder((frame) => this.send(shard, frame), { check })] : new Array(sectioned);
    this.raw = new Array(this.sections);
    this.isSectioned = sectioned !== undefined;
  }
  private readonly isSectioned: boolean;
  protected builder(section: number): FrameBuilder {
    this.raw[section]?.flush();
    return this.builders[section] ?? (this.builders[section] = new FrameBuilder((frame) => this.send(this.shard, frame, section), { check: this.check }));
  }
  protected rawBuilder(section: number): RawFrameBuilder {
    this.builders[section]?.flush();
    return this.raw[section] ?? (this.raw[section] = new RawFrameBuilder((frame) => this.send(this.shard, frame, this.isSectioned ? section : undefined)));
  }
  async end(): Promise<void> {
    for (const b of this.builders) b?.flush();
    for (const b of this.raw) b?.flush();
    await this.flush();
  }
}

export class ShardOutput extends FramedOutput {
  constructor(shard: string, io: TaskIO, check?: string) {
    super(shard, undefined, io, check);
  }
  push(row: Row): void {
    this.counters.rowsOut++;
    this.builder(0).add(row);
  }
  /** Rows from frames were checked when first encoded: copied as they are. */
  pushEncoded(buf: Uint8Array, start: number, end: number): void {
    this.counters.rowsOut++;
    this.rawBuilder(0).add(buf, start, end);
  }
}

/**
 * One shard of TSV text instead of row frames, for a dataset only a text-file sink reads: the
 * executor formats the lines (in parallel with the other executors) and the driver writes the
 * bytes as they come, with no msgpack encoding or decoding on either side.
 */
export class TsvShardOutput extends OutputBase {
  private buf: Buffer;
  private pos = 0;
  private readonly one: Row[] = [[]];
  private readonly strEnd = new Int32Array(1);
  constructor(private readonly shard: string, io: TaskIO, private readonly targetBytes = 128 * 1024, private readonly check?: string) {
    super(io);
    this.buf = Buffer.allocUnsafe(targetBytes + 1024);
  }
  push(row: Row): void {
    this.counters.rowsOut++;
    // Text would hide a Map or a function as "{}" or its source: refuse it as a frame would.
    if (this.check !== undefined) {
      this.one[0] = row;
      checkRows(this.one, this.check);
    }
    this.write(rowToTsv(row));
  }
  private write(text: string): void {
    // At most 3 UTF-8 bytes per UTF-16 code unit.
    this.room(3 * text.length);
    this.pos += this.buf.write(text, this.pos, 'utf8');
    if (this.pos >= this.targetBytes) this.emit();
  }
  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
  /**
   * An encoded row whose fields are all strings becomes its line by copying their UTF-8 bytes
   * (a string field is written as it is); any other row is decoded and formatted.
   */
  pushEncoded(src: Uint8Array, start: number, end: number): void {
    const n = arrayLength(src, start, end);
    if (n >= 0) {
      this.room(end - start + n + 1);
      const from = this.pos;
      const out = this.buf;
      let p = start + arrayHeaderBytes(src, start);
      let f = 0;
      for (; f < n; f++) {
        const ks = stringAt(src, p, end, this.strEnd);
        if (ks < 0) break;
        p = this.strEnd[0];
        let o = this.pos;
        if (f > 0) out[o++] = 9;
        // Short fields byte by byte: cheaper than a native copy call (or a subarray) per field.
        if (p - ks < 64) for (let i = ks; i < p; i++) out[o++] = src[i];
        else {
          out.set(src.subarray(ks, p), o);
          o += p - ks;
        }
        this.pos = o;
      }
      if (f === n) {
        out[this.pos++] = 10;
        this.counters.rowsOut++;
        if (this.pos >= this.targetBytes) this.emit();
        return;
      }
      this.pos = from;
    }
    this.push(decodeRow(src.subarray(start, end)));
  }
  private emit(): void {
    // A copy that owns its exactly-sized buffer, so the frame can be transferred.
    const frame = new Uint8Array(this.pos);
    frame.set(this.buf.subarray(0, this.pos));
    this.pos = 0;
    this.send(this.shard, frame);
  }
  async end(): Promise<void> {
    if (this.pos > 0) this.emit();
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
  // Sorting by one string field with string boundaries: frames are split by their rows' key
  // bytes and the rows copied as they are (see pushFrame).
  private readonly byteBounds: Buffer[] | undefined;
  private readonly scan = new FrameScan();
  constructor(private readonly orderBy: OrderBy[], private readonly boundaries: Row[], shard: string, partitions: number, io: TaskIO, check?: string) {
    super(shard, partitions, io, check);
    this.byteBounds = orderBy.length === 1 && orderBy[0].field >= 0 && boundaries.every((b) => typeof b[0] === 'string') ? boundaries.map((b) => Buffer.from(b[0] as string)) : undefined;
    if (this.byteBounds?.some((b) => b.some((x) => x >= 0xee))) this.byteBounds = undefined;
  }

  /** A frame whose rows all have a plain string key is split without decoding (else -1). */
  pushFrame(frame: Uint8Array): number {
    const bounds = this.byteBounds;
    if (bounds === undefined) return -1;
    const b = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    const scan = this.scan;
    const n = scan.scan(b, this.orderBy[0].field);
    if (n < 0) return -1;
    const desc = this.orderBy[0].desc;
    for (let r = 0; r < n; r++) {
      const ks = scan.keyStart[r];
      const ke = scan.keyEnd[r];
      let lo = 0;
      let hi = bounds.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = b.compare(bounds[mid], 0, bounds[mid].length, ks, ke);
        if ((desc ? -c : c) >= 0) lo = mid + 1;
        else hi = mid;
      }
      this.rawBuilder(lo).add(b, scan.rowStart[r], scan.rowEnd[r]);
    }
    this.counters.rowsOut += n;
    return n;
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
