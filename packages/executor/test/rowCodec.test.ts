import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { decodeRows, encodeRows, Row } from '../src/codec/rowCodec';

/** Expected value after a round trip: undefined -> null. */
function normalize(v: unknown): unknown {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Uint8Array) return v;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = normalize((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Strict structural equality: same JS types (bigint vs number), Object.is for numbers, bytes by content. */
function expectSame(actual: unknown, expected: unknown, path = '$'): void {
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array)) throw new Error(`${path}: expected bytes, got ${typeof actual}`);
    expect(Array.from(actual)).toEqual(Array.from(expected));
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new Error(`${path}: expected array`);
    expect(actual.length).toBe(expected.length);
    expected.forEach((e, i) => expectSame(actual[i], e, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) throw new Error(`${path}: expected object`);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) {
      expectSame((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
    }
    return;
  }
  if (typeof actual !== typeof expected) throw new Error(`${path}: expected ${typeof expected}, got ${typeof actual} (${String(actual)})`);
  if (!Object.is(actual, expected)) throw new Error(`${path}: expected ${String(expected)}, got ${String(actual)}`);
}

describe('rowCodec', () => {
  test('round-trips a mixed row with exact types', () => {
    const row: Row = [
      'word', '', 'é😀', 0, 1, -1, 127, 128, -33, 255, 65536, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, 2 ** 60, -(2 ** 60),
      1.5, -0.25, 1e300, 5e-324, NaN, Infinity, -Infinity, true, false, null,
      0n, 5n, -5n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 64n, -(2n ** 64n), 2n ** 200n + 7n, -(2n ** 300n),
      new Uint8Array([0, 1, 255]), new Uint8Array(0), [1, ['a', [null, 2n]]], [], { a: 1, b: { c: [true, 'x'] }, '1': 2n }, {},
    ];
    const back = decodeRows(encodeRows([row, ['second', 2]]));
    expect(back.length).toBe(2);
    expectSame(back[0], row);
    expectSame(back[1], ['second', 2]);
  });

  test('small and large bigints stay bigint, integral numbers stay number', () => {
    const row: Row = [5n, 0n, -1n, 2n ** 70n, 5, 2 ** 53, 2 ** 64, -(2 ** 63)];
    const [back] = decodeRows(encodeRows([row]));
    expect(back.map((v) => typeof v)).toEqual(['bigint', 'bigint', 'bigint', 'bigint', 'number', 'number', 'number', 'number']);
    expect(back).toEqual(row);
  });

  test('undefined becomes null', () => {
    const [back] = decodeRows(encodeRows([[undefined, [undefined], { a: undefined }]]));
    expect(back[0]).toBeNull();
    expect(back[1]).toEqual([null]);
    expect(back[2]).toEqual({ a: null });
  });

  test('-0 stays -0, in fields, arrays, objects and Sets; the rows encoded are not changed', () => {
    const row: Row = [-0, 0, [1, -0, [-0]], { a: -0, b: { c: [0, -0] } }, new Set([[-0]]), 'x'];
    const back = decodeRows(encodeRows([[1, 2], row]))[1];
    expect(Object.is(back[0], -0)).toBe(true);
    expect(Object.is(back[1], 0)).toBe(true);
    expect(Object.is((back[2] as unknown[])[1], -0)).toBe(true);
    expect(Object.is(((back[2] as unknown[])[2] as unknown[])[0], -0)).toBe(true);
    const obj = back[3] as { a: number; b: { c: number[] } };
    expect(Object.is(obj.a, -0)).toBe(true);
    expect(Object.is(obj.b.c[0], 0)).toBe(true);
    expect(Object.is(obj.b.c[1], -0)).toBe(true);
    expect(Object.is([...(back[4] as Set<number[]>)][0][0], -0)).toBe(true); // a Set itself turns -0 into 0
    expect(back[5]).toBe('x');
    // The caller's row still holds its own -0s (the encoder marks a copy).
    expect(Object.is(row[0], -0)).toBe(true);
    expect(Object.is((row[3] as { a: number }).a, -0)).toBe(true);
  });

  test('a -0 is written as a plain msgpack float64 (no extension): any msgpack reader gets -0', () => {
    const frame = encodeRows([[-0]]);
    expect(Array.from(frame)).toEqual([0x91, 0x91, 0xcb, 0x80, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('bytes come back as a Uint8Array with the same content', () => {
    const [back] = decodeRows(encodeRows([[new Uint8Array([9, 8, 7]), Buffer.from('hi')]]));
    expect(back[0]).toBeInstanceOf(Uint8Array);
    expect(Array.from(back[0] as Uint8Array)).toEqual([9, 8, 7]);
    expect(Buffer.from(back[1] as Uint8Array).toString()).toBe('hi');
  });

  test('decoded bytes do not alias the frame', () => {
    const frame = encodeRows([[new Uint8Array([1, 2, 3])]]);
    const [[bytes]] = decodeRows(frame) as [[Uint8Array]];
    frame.fill(0);
    expect(Array.from(bytes)).toEqual([1, 2, 3]);
    expect(bytes.buffer).not.toBe(frame.buffer);
  });

  test('empty batch', () => {
    expect(decodeRows(encodeRows([]))).toEqual([]);
  });

  test('frame owns an exactly-sized ArrayBuffer, not a view on the packer buffer', () => {
    const a = encodeRows([['a', 1]]);
    const b = encodeRows([['b', 2]]);
    for (const f of [a, b]) {
      expect(f.byteOffset).toBe(0);
      expect(f.buffer.byteLength).toBe(f.length);
    }
    expect(a.buffer).not.toBe(b.buffer);
    expect(decodeRows(a)).toEqual([['a', 1]]);
  });

  test('frame can be transferred with postMessage', async () => {
    const frame = encodeRows([['x', 1], ['y', 2n]]);
    const { port1, port2 } = new MessageChannel();
    const got = new Promise<Uint8Array>((resolve) => port2.once('message', (m: Uint8Array) => resolve(m)));
    port1.postMessage(frame, [frame.buffer as ArrayBuffer]);
    expect(frame.buffer.byteLength).toBe(0); // detached: it moved, it was not cloned
    const received = await got;
    port1.close();
    port2.close();
    expect(decodeRows(received)).toEqual([['x', 1], ['y', 2n]]);
  });

  test('a frame that is not an array of rows is rejected', () => {
    expect(() => decodeRows(new Uint8Array([0x01]))).toThrow(TypeError);
  });

  test('msgpackr is loaded without its native string extractor, and the environment is left as it was', () => {
    for (const value of [undefined, 'false']) {
      if (value === undefined) delete process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED;
      else process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED = value;
      jest.isolateModules(() => {
        require('../src/codec/msgpackr');
        expect(require('msgpackr').isNativeAccelerationEnabled).toBe(false);
      });
      expect(process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED).toBe(value);
    }
    delete process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED;
  });

  test('long strings round-trip', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 2000; i++) rows.push([`key-${i}`, 'p'.repeat(100) + i, 'ü'.repeat(i % 50)]);
    expect(decodeRows(encodeRows(rows))).toEqual(rows);
  });

  // Strings are well-formed Unicode here: msgpack strings are UTF-8, so lone surrogates cannot survive.
  const key = fc.string({ unit: 'binary', maxLength: 6 }).filter((k) => k !== '__proto__');
  const scalar = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double(),
    fc.bigInt(),
    fc.bigInt({ min: -1000n, max: 1000n }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.uint8Array({ maxLength: 10 }),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'v' },
      scalar,
      fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'v' }),
      fc.dictionary(key, tie('value'), { maxKeys: 4, depthIdentifier: 'v' }),
    ),
  }));

  test('property: encode/decode round trip of supported values', () => {
    fc.assert(
      fc.property(fc.array(fc.array(value, { maxLength: 6 }), { maxLength: 20 }), (rows) => {
        const back = decodeRows(encodeRows(rows));
        expectSame(back, normalize(rows));
      }),
      { numRuns: 500 },
    );
  });
});
