/**
 * Length-prefixed framing for byte streams (spill files, sockets): each frame is a u32
 * little-endian byte length followed by that many payload bytes.
 */

/** Bytes in the length header. */
export const LENGTH_PREFIX_BYTES = 4;
const MAX_U32 = 0xffffffff;
/** Default cap on one frame's length: a corrupt header must not trigger a multi-GB allocation. */
export const DEFAULT_MAX_FRAME_BYTES = 512 * 1024 * 1024;

/** The 4-byte header for a payload of `byteLength` bytes (write it, then the payload, to avoid a copy). */
export function lengthPrefixHeader(byteLength: number): Buffer {
  if (!Number.isInteger(byteLength) || byteLength < 0 || byteLength > MAX_U32) {
    throw new RangeError(`frame length ${byteLength} does not fit a u32 length prefix`);
  }
  const header = Buffer.allocUnsafe(LENGTH_PREFIX_BYTES);
  header.writeUInt32LE(byteLength, 0);
  return header;
}

/** Header + payload in one new Buffer. */
export function encodeLengthPrefixed(frame: Uint8Array): Buffer {
  const len = frame.length;
  if (len > MAX_U32) throw new RangeError(`frame length ${len} does not fit a u32 length prefix`);
  // allocUnsafeSlow: the result owns its memory instead of sharing Node's small-buffer pool.
  const out = Buffer.allocUnsafeSlow(LENGTH_PREFIX_BYTES + len);
  out.writeUInt32LE(len, 0);
  out.set(frame, LENGTH_PREFIX_BYTES);
  return out;
}

export interface LengthPrefixedParserOptions {
  /** Largest accepted frame; a bigger length header is treated as corruption. Default 512 MiB. */
  maxFrameBytes?: number;
}

/**
 * Incremental parser: feed arbitrary chunks, get back every frame completed by them.
 * Each returned frame is a copy that owns an exactly-sized ArrayBuffer (safe to transfer/retain).
 */
export class LengthPrefixedParser {
  private readonly maxFrameBytes: number;
  // Header bytes seen so far when a header is split across chunks.
  private readonly header = new Uint8Array(LENGTH_PREFIX_BYTES);
  private headerFill = 0;
  // Frame being filled, or null while reading a header.
  private current: Uint8Array | null = null;
  private currentFill = 0;

  constructor(opts?: LengthPrefixedParserOptions) {
    this.maxFrameBytes = opts?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** True when a header or payload is partly read. */
  get hasPartial(): boolean {
    return this.headerFill > 0 || this.current !== null;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      if (this.current === null) {
        let len: number;
        if (this.headerFill === 0 && n - pos >= LENGTH_PREFIX_BYTES) {
          // Fast path: a whole header inside this chunk.
          len = (chunk[pos] | (chunk[pos + 1] << 8) | (chunk[pos + 2] << 16) | (chunk[pos + 3] << 24)) >>> 0;
          pos += LENGTH_PREFIX_BYTES;
        } else {
          while (this.headerFill < LENGTH_PREFIX_BYTES && pos < n) this.header[this.headerFill++] = chunk[pos++];
          if (this.headerFill < LENGTH_PREFIX_BYTES) break;
          const h = this.header;
          len = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
          this.headerFill = 0;
        }
        if (len > this.maxFrameBytes) {
          throw new RangeError(`length-prefixed frame of ${len} bytes exceeds the ${this.maxFrameBytes}-byte limit (corrupt stream?)`);
        }
        if (len === 0) {
          out.push(new Uint8Array(0));
          continue;
        }
        this.current = new Uint8Array(len);
        this.currentFill = 0;
      }
      const frame = this.current;
      const take = Math.min(frame.length - this.currentFill, n - pos);
      frame.set(chunk.subarray(pos, pos + take), this.currentFill);
      this.currentFill += take;
      pos += take;
      if (this.currentFill === frame.length) {
        out.push(frame);
        this.current = null;
        this.currentFill = 0;
      }
    }
    return out;
  }

  /** Call at end of stream: throws if a frame (or its header) was cut short. */
  end(): void {
    if (this.current !== null) {
      throw new Error(`truncated length-prefixed stream: frame has ${this.currentFill} of ${this.current.length} bytes`);
    }
    if (this.headerFill > 0) {
      throw new Error(`truncated length-prefixed stream: ${this.headerFill} of ${LENGTH_PREFIX_BYTES} header bytes`);
    }
  }
}
