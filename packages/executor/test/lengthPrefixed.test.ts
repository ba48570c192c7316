import fc from 'fast-check';
import { encodeLengthPrefixed, LengthPrefixedParser, lengthPrefixHeader } from '../src/codec/lengthPrefixed';
import { decodeRows, encodeRows } from '../src/codec/rowCodec';

const concat = (parts: Uint8Array[]): Buffer => Buffer.concat(parts);

describe('encodeLengthPrefixed', () => {
  test('u32 little-endian length, then the payload', () => {
    expect(Array.from(encodeLengthPrefixed(new Uint8Array([7, 8, 9])))).toEqual([3, 0, 0, 0, 7, 8, 9]);
    expect(Array.from(encodeLengthPrefixed(new Uint8Array(0)))).toEqual([0, 0, 0, 0]);
    expect(Array.from(lengthPrefixHeader(0x01020304))).toEqual([4, 3, 2, 1]);
    expect(Array.from(lengthPrefixHeader(0xffffffff))).toEqual([255, 255, 255, 255]);
    expect(() => lengthPrefixHeader(2 ** 32)).toThrow(RangeError);
    expect(() => lengthPrefixHeader(-1)).toThrow(RangeError);
  });

  test('header + payload equals encodeLengthPrefixed', () => {
    const frame = new Uint8Array(300).map((_, i) => i);
    expect(concat([lengthPrefixHeader(frame.length), frame])).toEqual(encodeLengthPrefixed(frame));
  });
});

describe('LengthPrefixedParser', () => {
  const frames = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(1000).fill(7), new Uint8Array([255])];
  const stream = concat(frames.map(encodeLengthPrefixed));

  test('many frames in one chunk', () => {
    const p = new LengthPrefixedParser();
    const out = p.push(stream);
    expect(out.map((f) => Array.from(f))).toEqual(frames.map((f) => Array.from(f)));
    expect(p.hasPartial).toBe(false);
    p.end();
  });

  test('every chunk size from 1 byte up, including headers split across chunks', () => {
    for (let size = 1; size <= 12; size++) {
      const p = new LengthPrefixedParser();
      const out: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...p.push(stream.subarray(i, i + size)));
      p.end();
      expect(out.map((f) => Array.from(f))).toEqual(frames.map((f) => Array.from(f)));
    }
  });

  test('each frame owns its buffer (copied, unaffected by later chunk reuse)', () => {
    const chunk = Buffer.from(stream);
    const out = new LengthPrefixedParser().push(chunk);
    chunk.fill(0);
    expect(Array.from(out[0])).toEqual([1, 2, 3]);
    for (const f of out) {
      expect(f.byteOffset).toBe(0);
      expect(f.buffer.byteLength).toBe(f.length);
    }
  });

  test('end() throws on a partial header or a partial payload', () => {
    const a = new LengthPrefixedParser();
    a.push(stream.subarray(0, 2));
    expect(a.hasPartial).toBe(true);
    expect(() => a.end()).toThrow(/header/);
    const b = new LengthPrefixedParser();
    b.push(stream.subarray(0, 5));
    expect(() => b.end()).toThrow(/1 of 3 bytes/);
    const c = new LengthPrefixedParser();
    c.push(stream.subarray(0, 7));
    c.end();
  });

  test('a length above maxFrameBytes is treated as corruption', () => {
    const p = new LengthPrefixedParser({ maxFrameBytes: 100 });
    expect(() => p.push(encodeLengthPrefixed(new Uint8Array(101)))).toThrow(RangeError);
    expect(new LengthPrefixedParser({ maxFrameBytes: 100 }).push(encodeLengthPrefixed(new Uint8Array(100))).length).toBe(1);
  });

  test('property: any frames, any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (fs, cuts) => {
          const bytes = concat(fs.map(encodeLengthPrefixed));
          const p = new LengthPrefixedParser();
          const out: Uint8Array[] = [];
          let pos = 0;
          for (let i = 0; pos < bytes.length; i++) {
            const n = cuts[i % cuts.length];
            out.push(...p.push(bytes.subarray(pos, pos + n)));
            pos += n;
          }
          p.end();
          expect(out.map((f) => Array.from(f))).toEqual(fs.map((f) => Array.from(f)));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('row frames survive a length-prefixed byte stream', () => {
    const batches = [[['a', 1], ['b', 2n]], [[new Uint8Array([1]), null]], []];
    const bytes = concat(batches.map((b) => encodeLengthPrefixed(encodeRows(b))));
    const p = new LengthPrefixedParser();
    const out = [...p.push(bytes.subarray(0, 9)), ...p.push(bytes.subarray(9))];
    p.end();
    expect(out.map(decodeRows)).toEqual([[['a', 1], ['b', 2n]], [[Buffer.from([1]), null]], []]);
  });
});
