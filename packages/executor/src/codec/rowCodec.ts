/**
 * Row codec: a batch of rows <-> one msgpack frame (DESIGN.md §3, §5, §9).
 *
 * A whole batch is packed with a single `pack()` call (row-by-row packing measured 2-4x slower).
 * BigInt: msgpackr writes every bigint that fits 64 bits as int64/uint64 (0xd3/0xcf) and reads
 * those back as bigint by default (`int64AsType` defaults to 'bigint'); numbers never use those
 * formats (msgpackr writes non-int32 numbers as float64), so number stays number and bigint stays
 * bigint, small ones like 5n included. `useBigIntExtension` adds ext type 0x42 for bigints
 * beyond 64 bits, which would otherwise throw a RangeError.
 * -0 is kept (negativeZero.ts). Limits of msgpack itself: strings travel as UTF-8, so lone
 * surrogates do not survive; undefined comes back as null; msgpackr renames an object key
 * "__proto__" (prototype-pollution guard).
 */
import { Packr, Unpackr } from './msgpackr';
import { hasNegativeZero, markNegativeZeros } from './negativeZero';

/**
 * A row is an array of fields (string, number, boolean, null, bigint, Uint8Array and other typed
 * arrays, Date, Set, arrays, plain objects). Other values are refused by checkRows (carryable.ts).
 */
export type Row = unknown[];

const options = {
  useRecords: false, // plain msgpack maps/arrays: no record structures shared across frames
  useBigIntExtension: true, // bigints wider than 64 bits round-trip too (ext 0x42)
  encodeUndefinedAsNil: true, // undefined fields become null instead of a msgpackr-only ext
  mapsAsObjects: true, // maps decode to plain objects, as they were written
  moreTypes: true, // Sets and typed arrays round-trip (else a Set arrives as an array, a Float64Array as bytes)
} as const;

const packr = new Packr(options);
// copyBuffers: bytes fields must not be views on the frame, or a few bytes kept by a grouping Map
// would pin whole frames in memory, and transferring or reusing a frame would corrupt rows.
const unpackr = new Unpackr({ ...options, copyBuffers: true });

/** Encodes a batch of rows into one frame that owns an exactly-sized ArrayBuffer (transferable). */
export function encodeRows(rows: Row[]): Uint8Array {
  const view = packr.pack(hasNegativeZero(rows) ? markNegativeZeros(rows) : rows);
  // pack() returns a view into packr's shared buffer: copy so the frame can be transferred alone.
  const frame = new Uint8Array(view.length);
  frame.set(view);
  return frame;
}

/** Decodes a frame produced by encodeRows. Rows never alias the frame (bytes fields are copied). */
export function decodeRows(frame: Uint8Array): Row[] {
  const rows: unknown = unpackr.unpack(frame);
  // A frame that is not an array of rows is corrupt or not ours: fail loudly, not row by row later.
  if (!Array.isArray(rows)) throw new TypeError(`row frame does not hold an array (got ${typeof rows})`);
  return rows as Row[];
}

/** Decodes one encoded row: the bytes of a single row inside a frame. */
export function decodeRow(bytes: Uint8Array): Row {
  const row: unknown = unpackr.unpack(bytes);
  if (!Array.isArray(row)) throw new TypeError(`encoded row is not an array (got ${typeof row})`);
  return row as Row;
}
