// A spill run on disk: row batches encoded as msgpack frames (the shuffle's codec, so every
// carryable value round-trips), each behind a u32 length, written and read synchronously: spills
// happen inside a stage's push(), and the merges that read them back are synchronous loops.
import * as fs from 'node:fs';
import { decodeRows, encodeRows, type Row } from '../codec/rowCodec';
import { LENGTH_PREFIX_BYTES, lengthPrefixHeader } from '../codec/lengthPrefixed';
import type { TaskSpills } from './taskSpills';

/** Rows per frame written: large enough to amortize the codec, small enough to merge many runs. */
const ROWS_PER_FRAME = 2048;

export class SpillWriter {
  readonly path: string;
  private fd: number;
  private pending: Row[] = [];
  rows = 0;
  constructor(spills: TaskSpills) {
    this.path = spills.newPath();
    this.fd = fs.openSync(this.path, 'w');
  }
  add(row: Row): void {
    this.rows++;
    if (this.pending.push(row) >= ROWS_PER_FRAME) this.writeFrame();
  }
  addAll(rows: Row[]): void {
    for (let i = 0; i < rows.length; i++) this.add(rows[i]);
  }
  /** Appends a frame of rows encoded already (after the rows added before it). */
  addFrame(frame: Uint8Array, rowCount: number): void {
    if (this.pending.length > 0) this.writeFrame();
    this.rows += rowCount;
    writeFully(this.fd, lengthPrefixHeader(frame.length));
    writeFully(this.fd, frame);
  }
  private writeFrame(): void {
    const frame = encodeRows(this.pending);
    this.pending = [];
    writeFully(this.fd, lengthPrefixHeader(frame.length));
    writeFully(this.fd, frame);
  }
  /** Finishes the file; the path can then be read with readSpill. */
  close(): void {
    if (this.pending.length > 0) this.writeFrame();
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

function writeFully(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** Reads a closed spill file back batch by batch (one frame in memory at a time). */
export class SpillReader {
  private fd: number;
  private readonly header = Buffer.alloc(LENGTH_PREFIX_BYTES);
  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'r');
  }
  /** The next batch of rows, or undefined at the end (the file is then closed). */
  next(): Row[] | undefined {
    const frame = this.nextFrame();
    return frame === undefined ? undefined : decodeRows(frame);
  }
  /** The next frame as written, or undefined at the end (the file is then closed). */
  nextFrame(): Buffer | undefined {
    if (this.fd < 0) return undefined;
    if (!readFully(this.fd, this.header)) {
      this.close();
      return undefined;
    }
    const frame = Buffer.allocUnsafe(this.header.readUInt32LE(0));
    if (!readFully(this.fd, frame)) throw new Error(`spill file ${this.path} is truncated`);
    return frame;
  }
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

function readFully(fd: number, buf: Buffer): boolean {
  let off = 0;
  while (off < buf.length) {
    const n = fs.readSync(fd, buf, off, buf.length - off, null);
    if (n === 0) {
      if (off === 0) return false;
      throw new Error('spill file ends inside a frame');
    }
    off += n;
  }
  return true;
}

/** Every row of a spill file, in order, then the file is released. */
export function* readSpill(spills: TaskSpills, p: string): Generator<Row> {
  const r = new SpillReader(p);
  try {
    for (let batch = r.next(); batch !== undefined; batch = r.next()) for (let i = 0; i < batch.length; i++) yield batch[i];
  } finally {
    r.close();
    spills.release(p);
  }
}
