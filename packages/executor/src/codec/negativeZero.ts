// -0 through msgpack: msgpackr writes any number equal to an unsigned 32-bit integer as an
// integer, and -0 >>> 0 === -0, so -0 came back as 0. A batch is scanned first (one comparison
// per field, objects walked; measured +10 ns per two-field row on a 45 ns encode); only a batch
// holding a -0 is copied, its -0s replaced by a marker that is written as the float64 -0 itself
// (0xcb 80 00 ..): frames stay plain msgpack and decode with no extension.
import { addExtension } from './msgpackr';

class NegativeZero {}
const NEGATIVE_ZERO = new NegativeZero();

type Allocate = (size: number) => { target: Uint8Array; targetView: DataView; position: number };

addExtension({
  Class: NegativeZero,
  // Only for unpacking, which never meets it: pack writes a plain float64, no extension header.
  type: 0x2d,
  // msgpackr's typings omit pack's second argument (room in the output buffer).
  pack: ((_v: unknown, allocate: Allocate) => {
    const { target, targetView, position } = allocate(9);
    target[position] = 0xcb;
    targetView.setFloat64(position + 1, -0);
    return undefined;
  }) as unknown as (v: unknown) => Buffer,
  unpack: () => -0,
});

function isNegZero(x: unknown): boolean {
  return x === 0 && 1 / (x as number) < 0;
}

// Whether a field (or anything inside it) is -0. Typed arrays keep -0 themselves.
function has(x: unknown): boolean {
  if (x === 0) return 1 / x < 0;
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x) || x instanceof Date) return false;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) if (has(x[i])) return true;
    return false;
  }
  if (x instanceof Set) {
    for (const v of x) if (has(v)) return true;
    return false;
  }
  for (const k in x) if (has((x as Record<string, unknown>)[k])) return true;
  return false;
}

/** Whether any field of any row is or holds -0 (the common answer, no, costs one pass). */
export function hasNegativeZero(rows: unknown[][]): boolean {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < row.length; i++) {
      const x = row[i];
      if (x === 0 ? 1 / x < 0 : typeof x === 'object' && x !== null && has(x)) return true;
    }
  }
  return false;
}

/** A copy of x with every -0 replaced by the marker (x itself where it holds none). */
export function markNegativeZeros<T>(x: T): T {
  if (isNegZero(x)) return NEGATIVE_ZERO as T;
  if (!has(x)) return x;
  if (Array.isArray(x)) return x.map(markNegativeZeros) as T;
  if (x instanceof Set) return new Set(Array.from(x, markNegativeZeros)) as T;
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(x));
  for (const k in x) out[k] = markNegativeZeros((x as Record<string, unknown>)[k]);
  return out as T;
}
