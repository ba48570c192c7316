// The frame walker under the flat sort and range partitioning (codec/msgpackScan.ts): for rows
// of every carryable kind it must find each row's exact bytes and its string key, and a frame
// rebuilt from those bytes (RawFrameBuilder) must be the one encodeRows makes.
import fc from 'fast-check';
import { FrameScan, skipValue } from '../../packages/executor/src/codec/msgpackScan';
import { RawFrameBuilder } from '../../packages/executor/src/codec/rawFrameBuilder';
import { decodeRow, decodeRows, encodeRows } from '../../packages/executor/src/codec/rowCodec';
import { sortByteKeys } from '../../packages/executor/src/keys/byteRadixSort';

const field = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ minLength: 31, maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(-0),
  fc.uint8Array(),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 20 }),
  fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string())),
);

test('every row of a frame is found whole, with its string key, and the copied rows make the same frame', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), fc.array(field, { maxLength: 6 })), { maxLength: 60 }), (pairs) => {
      const rows = pairs.map(([k, rest]) => [k, ...rest]);
      const frame = Buffer.from(encodeRows(rows));
      const scan = new FrameScan();
      const n = scan.scan(frame, 0);
      const wide = rows.some((r) => Buffer.from(r[0] as string).some((b) => b >= 0xee));
      if (wide) {
        expect(n).toBe(-1);
        return;
      }
      expect(n).toBe(rows.length);
      const rebuilt: Uint8Array[] = [];
      const out = new RawFrameBuilder((f) => rebuilt.push(f), 1 << 20);
      for (let i = 0; i < n; i++) {
        expect(decodeRow(frame.subarray(scan.rowStart[i], scan.rowEnd[i]))).toEqual(decodeRows(encodeRows([rows[i]]))[0]);
        expect(frame.toString('utf8', scan.keyStart[i], scan.keyEnd[i])).toBe(Buffer.from(rows[i][0] as string).toString('utf8'));
        out.add(frame, scan.rowStart[i], scan.rowEnd[i]);
      }
      out.flush();
      if (n > 0) expect(Buffer.from(rebuilt[0]).equals(frame)).toBe(true);
    }),
    { numRuns: 300 },
  );
});

test('frames it does not understand are declined, not misread', () => {
  const frame = Buffer.from(encodeRows([['a', 1], ['b', 2]]));
  const scan = new FrameScan();
  expect(scan.scan(frame.subarray(0, frame.length - 1), 0)).toBe(-1); // truncated
  expect(scan.scan(frame, 1)).toBe(-1); // the key field is a number
  expect(scan.scan(frame, 5)).toBe(-1); // no such field
  expect(scan.scan(Buffer.from(encodeRows([[1, 'x']])).subarray(1), 0)).toBe(-1); // not an array of rows
  expect(skipValue(Buffer.from([0xc1]), 0, 1)).toBe(-1);
});

test('byte keys sort like Buffer.compare, stably, both ways', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 6 }), { maxLength: 200 }), fc.boolean(), (keys, desc) => {
      const bytes = Buffer.concat(keys.map((k) => Buffer.from(k)));
      const start = new Int32Array(keys.length);
      const len = new Int32Array(keys.length);
      let p = 0;
      keys.forEach((k, i) => {
        start[i] = p;
        len[i] = k.length;
        p += k.length;
      });
      const order = Array.from(sortByteKeys(bytes, start, len, keys.length, desc));
      const expected = keys.map((_, i) => i).sort((a, b) => (desc ? -1 : 1) * Buffer.compare(Buffer.from(keys[a]), Buffer.from(keys[b])));
      expect(order).toEqual(expected);
    }),
    { numRuns: 300 },
  );
});
