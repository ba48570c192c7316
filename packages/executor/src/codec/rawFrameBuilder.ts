// Row frames made of rows that are already msgpack-encoded (slices of other frames): the bytes
// are copied behind one array header, with no decoding or encoding. The frames are the same as
// encodeRows makes of those rows.
import { writeArrayHeader } from './msgpackScan';

const DEFAULT_TARGET_BYTES = 128 * 1024;
const HEADER_ROOM = 5;

export class RawFrameBuilder {
  private buf: Buffer;
  private pos = HEADER_ROOM;
  private rows = 0;
  constructor(private readonly onFrame: (frame: Uint8Array, rowCount: number) => void, private readonly targetBytes = DEFAULT_TARGET_BYTES) {
    this.buf = Buffer.allocUnsafe(targetBytes + HEADER_ROOM);
  }

  get pendingCount(): number {
    return this.rows;
  }

  /** Adds the encoded row at bytes [start, end) of `src`. */
  add(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    if (this.pos + len > this.buf.length) {
      if (this.rows > 0) this.flush();
      if (HEADER_ROOM + len > this.buf.length) this.buf = Buffer.allocUnsafe(HEADER_ROOM + len);
    }
    if (len < 256) {
      // Rows are short: a byte loop beats allocating a subarray view for a native copy.
      const buf = this.buf;
      let o = this.pos;
      for (let i = start; i < end; i++) buf[o++] = src[i];
    } else this.buf.set(src.subarray(start, end), this.pos);
    this.pos += len;
    this.rows++;
    if (this.pos - HEADER_ROOM >= this.targetBytes) this.flush();
  }

  /** Emits the pending rows as one frame that owns its exactly-sized buffer (transferable). */
  flush(): void {
    if (this.rows === 0) return;
    const header = Buffer.allocUnsafe(HEADER_ROOM);
    const h = writeArrayHeader(header, 0, this.rows);
    const body = this.pos - HEADER_ROOM;
    const frame = new Uint8Array(h + body);
    frame.set(header.subarray(0, h), 0);
    frame.set(this.buf.subarray(HEADER_ROOM, this.pos), h);
    const n = this.rows;
    this.pos = HEADER_ROOM;
    this.rows = 0;
    this.onFrame(frame, n);
  }
}
