// Rows kept as the msgpack frames they arrived in, with one sort key per row, instead of one
// object per row (issue 13: the object per record was the sort's cost). Each row is its frame,
// its byte range there, and its key: the UTF-8 bytes of a string field, copied into one key
// buffer and radix-sorted by byte (byteRadixSort.ts). Byte order is the typed order of
// strings (UTF-16 code units) as long as no character is U+E000 or above, which needs a UTF-8
// lead byte of 0xEE or more: a frame with such a key is not taken (the caller decodes it).
import { decodeRows, type Row } from '../codec/rowCodec';
import { FrameScan } from '../codec/msgpackScan';
import { sortByteKeys } from './byteRadixSort';

/** Bytes per row beyond its frame bytes: five int32 slots (key bytes are counted apart). */
export const FLAT_ROW_OVERHEAD = 20;

export class FlatRows {
  readonly frames: Buffer[] = [];
  frameOf = new Int32Array(1024);
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  private keyStart = new Int32Array(1024);
  private keyLen = new Int32Array(1024);
  private keyBytes = Buffer.allocUnsafe(64 * 1024);
  private keyPos = 0;
  private n = 0;
  private readonly scan = new FrameScan();
  /** Frame and key bytes held. */
  bytes = 0;

  constructor(private readonly field: number) {}

  get count(): number {
    return this.n;
  }

  private grow(): void {
    const cap = this.frameOf.length * 2;
    const more = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.frameOf = more(this.frameOf);
    this.start = more(this.start);
    this.end = more(this.end);
    this.keyStart = more(this.keyStart);
    this.keyLen = more(this.keyLen);
  }

  private keyRoom(len: number): void {
    if (this.keyPos + len <= this.keyBytes.length) return;
    const b = Buffer.allocUnsafe(Math.max(2 * this.keyBytes.length, this.keyPos + len));
    this.keyBytes.copy(b, 0, 0, this.keyPos);
    this.keyBytes = b;
  }

  /** Takes every row of the frame, or none (returns -1) when one does not have the expected shape. */
  addFrame(frame: Uint8Array): number {
    const b = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    const scan = this.scan;
    const n = scan.scan(b, this.field);
    if (n < 0) return -1;
    const fi = this.frames.length;
    const keyPosBefore = this.keyPos;
    for (let r = 0; r < n; r++) {
      const i = this.n++;
      if (i === this.frameOf.length) this.grow();
      const ks = scan.keyStart[r];
      const ke = scan.keyEnd[r];
      this.keyRoom(ke - ks);
      const kb = this.keyBytes;
      let kp = this.keyPos;
      this.keyStart[i] = kp;
      this.keyLen[i] = ke - ks;
      for (let j = ks; j < ke; j++) kb[kp++] = b[j];
      this.keyPos = kp;
      this.frameOf[i] = fi;
      this.start[i] = scan.rowStart[r];
      this.end[i] = scan.rowEnd[r];
    }
    this.frames.push(b);
    this.bytes += b.length + (this.keyPos - keyPosBefore);
    return n;
  }

  /** Row indexes in key order (stable). */
  sortedOrder(desc: boolean): Int32Array {
    return sortByteKeys(this.keyBytes, this.keyStart, this.keyLen, this.n, desc);
  }

  /** Every row decoded, in arrival order. */
  *decoded(): Generator<Row> {
    for (const f of this.frames) yield* decodeRows(f);
  }

  clear(): void {
    this.frames.length = 0;
    this.n = 0;
    this.keyPos = 0;
    this.bytes = 0;
  }
}
