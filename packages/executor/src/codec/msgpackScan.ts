// Walking msgpack row frames without decoding them: where each row's bytes start and end, and
// where a string field's UTF-8 bytes are. Operators that only move rows (sort, range
// partitioning) copy those bytes instead of building an object per row and encoding it again.
// Any format these functions do not expect makes them return -1: callers then decode the frame.

/** End position of the msgpack value starting at p, or -1 if it is malformed or runs past `end`. */
export function skipValue(b: Uint8Array, p: number, end: number): number {
  let pending = 1; // values still to skip (containers add their elements)
  while (pending > 0) {
    if (p >= end) return -1;
    const t = b[p];
    pending--;
    if (t <= 0x7f || t >= 0xe0) p += 1;
    else if (t <= 0x8f) {
      pending += 2 * (t & 0x0f);
      p += 1;
    } else if (t <= 0x9f) {
      pending += t & 0x0f;
      p += 1;
    } else if (t <= 0xbf) p += 1 + (t & 0x1f);
    else {
      switch (t) {
        case 0xc0:
        case 0xc2:
        case 0xc3:
          p += 1;
          break;
        case 0xc4:
        case 0xd9:
          if (p + 2 > end) return -1;
          p += 2 + b[p + 1];
          break;
        case 0xc5:
        case 0xda:
          if (p + 3 > end) return -1;
          p += 3 + u16(b, p + 1);
          break;
        case 0xc6:
        case 0xdb:
          if (p + 5 > end) return -1;
          p += 5 + u32(b, p + 1);
          break;
        case 0xc7:
          if (p + 2 > end) return -1;
          p += 3 + b[p + 1];
          break;
        case 0xc8:
          if (p + 3 > end) return -1;
          p += 4 + u16(b, p + 1);
          break;
        case 0xc9:
          if (p + 5 > end) return -1;
          p += 6 + u32(b, p + 1);
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          p += 5;
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          p += 9;
          break;
        case 0xcc:
        case 0xd0:
          p += 2;
          break;
        case 0xcd:
        case 0xd1:
          p += 3;
          break;
        case 0xd4:
          p += 3;
          break;
        case 0xd5:
          p += 4;
          break;
        case 0xd6:
          p += 6;
          break;
        case 0xd7:
          p += 10;
          break;
        case 0xd8:
          p += 18;
          break;
        case 0xdc:
          if (p + 3 > end) return -1;
          pending += u16(b, p + 1);
          p += 3;
          break;
        case 0xdd:
          if (p + 5 > end) return -1;
          pending += u32(b, p + 1);
          p += 5;
          break;
        case 0xde:
          if (p + 3 > end) return -1;
          pending += 2 * u16(b, p + 1);
          p += 3;
          break;
        case 0xdf:
          if (p + 5 > end) return -1;
          pending += 2 * u32(b, p + 1);
          p += 5;
          break;
        default:
          return -1; // 0xc1 is never used
      }
    }
  }
  return p <= end ? p : -1;
}

/** Element count of the array header at p (its length is arrayHeaderBytes), or -1 if not an array. */
export function arrayLength(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  const t = b[p];
  if (t >= 0x90 && t <= 0x9f) return t & 0x0f;
  if (t === 0xdc && p + 3 <= end) return u16(b, p + 1);
  if (t === 0xdd && p + 5 <= end) return u32(b, p + 1);
  return -1;
}

/** Header bytes of the array header at p (call after arrayLength accepted it). */
export function arrayHeaderBytes(b: Uint8Array, p: number): number {
  const t = b[p];
  return t === 0xdc ? 3 : t === 0xdd ? 5 : 1;
}

/** Start of the UTF-8 bytes of the string at p; its end is returned through `out[0]`. -1: not a string. */
export function stringAt(b: Uint8Array, p: number, end: number, out: Int32Array): number {
  if (p >= end) return -1;
  const t = b[p];
  let start: number;
  let len: number;
  if (t >= 0xa0 && t <= 0xbf) {
    start = p + 1;
    len = t & 0x1f;
  } else if (t === 0xd9 && p + 2 <= end) {
    start = p + 2;
    len = b[p + 1];
  } else if (t === 0xda && p + 3 <= end) {
    start = p + 3;
    len = u16(b, p + 1);
  } else if (t === 0xdb && p + 5 <= end) {
    start = p + 5;
    len = u32(b, p + 1);
  } else return -1;
  if (start + len > end) return -1;
  out[0] = start + len;
  return start;
}

/** Writes an array header for n elements at p of `b` (which must have 5 bytes free); returns its length. */
export function writeArrayHeader(b: Uint8Array, p: number, n: number): number {
  if (n < 16) {
    b[p] = 0x90 | n;
    return 1;
  }
  if (n < 0x10000) {
    b[p] = 0xdc;
    b[p + 1] = n >>> 8;
    b[p + 2] = n & 0xff;
    return 3;
  }
  b[p] = 0xdd;
  b[p + 1] = n >>> 24;
  b[p + 2] = (n >>> 16) & 0xff;
  b[p + 3] = (n >>> 8) & 0xff;
  b[p + 4] = n & 0xff;
  return 5;
}

function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

function u32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) >>> 0) + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
}

/** Per-row positions found by scanFrameKeys (grown as needed, reused across frames). */
export class FrameScan {
  rowStart = new Int32Array(4096);
  rowEnd = new Int32Array(4096);
  keyStart = new Int32Array(4096);
  keyEnd = new Int32Array(4096);
  private readonly strEnd = new Int32Array(1);

  /**
   * Finds each row of a row frame and the UTF-8 bytes of its string field `field`; returns the
   * row count, or -1 when a row is not an array, lacks the field, the field is not a string, or
   * a key byte is 0xEE or more (a character from U+E000 up, where byte order and UTF-16 order
   * differ), or the frame is malformed.
   */
  scan(b: Uint8Array, field: number): number {
    const len = b.length;
    const n = arrayLength(b, 0, len);
    if (n < 0) return -1;
    if (n > this.rowStart.length) this.grow(n);
    let p = arrayHeaderBytes(b, 0);
    for (let r = 0; r < n; r++) {
      this.rowStart[r] = p;
      const m = arrayLength(b, p, len);
      if (m <= field) return -1;
      p += arrayHeaderBytes(b, p);
      for (let f = 0; f < field && p >= 0; f++) p = skipValue(b, p, len);
      if (p < 0) return -1;
      const ks = stringAt(b, p, len, this.strEnd);
      if (ks < 0) return -1;
      const ke = this.strEnd[0];
      for (let i = ks; i < ke; i++) if (b[i] >= 0xee) return -1;
      this.keyStart[r] = ks;
      this.keyEnd[r] = ke;
      p = ke;
      for (let f = field + 1; f < m && p >= 0; f++) p = skipValue(b, p, len);
      if (p < 0) return -1;
      this.rowEnd[r] = p;
    }
    return p === len ? n : -1;
  }

  private grow(n: number): void {
    this.rowStart = new Int32Array(n);
    this.rowEnd = new Int32Array(n);
    this.keyStart = new Int32Array(n);
    this.keyEnd = new Int32Array(n);
  }
}
