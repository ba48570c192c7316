import fc from 'fast-check';
import { hashKey, hashString, hashValue, partitionOf } from '../src/keys/keyHash';
import { compareValues } from '../src/keys/keyOrder';

/** Deterministic PRNG (mulberry32) so the spread tests are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Asserts every one of `n` partitions holds within ±tolerance of the mean. */
function expectSpread(values: unknown[], n: number, tolerance = 0.1): void {
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[partitionOf(hashValue(v), n)]++;
  const mean = values.length / n;
  for (const c of counts) {
    expect(c).toBeGreaterThanOrEqual(mean * (1 - tolerance));
    expect(c).toBeLessThanOrEqual(mean * (1 + tolerance));
  }
}

function distinctWords(count: number): string[] {
  const r = rng(42);
  const set = new Set<string>();
  while (set.size < count) {
    const len = 3 + Math.floor(r() * 8);
    let w = '';
    for (let i = 0; i < len; i++) w += String.fromCharCode(97 + Math.floor(r() * 26));
    set.add(w);
  }
  return [...set];
}

describe('hashValue', () => {
  test('is a uint32', () => {
    for (const v of [0, 1, -1, 1.5, NaN, 'x', '', null, true, 2n ** 100n, [1], { a: 1 }, new Uint8Array([1])]) {
      const h = hashValue(v);
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
  });

  test('equal values hash alike', () => {
    expect(hashValue(1)).toBe(hashValue(1.0));
    expect(hashValue(1)).toBe(hashValue(1n));
    expect(hashValue(-5)).toBe(hashValue(-5n));
    expect(hashValue(0)).toBe(hashValue(-0));
    expect(hashValue(0n)).toBe(hashValue(-0));
    expect(hashValue(NaN)).toBe(hashValue(0 / 0));
    expect(hashValue(NaN)).toBe(hashValue(-NaN));
    expect(hashValue(2 ** 40)).toBe(hashValue(2n ** 40n));
    expect(hashValue(2 ** 60)).toBe(hashValue(2n ** 60n));
    expect(hashValue(-(2 ** 70))).toBe(hashValue(-(2n ** 70n)));
    expect(hashValue(2 ** 53)).toBe(hashValue(2n ** 53n));
    expect(hashValue(null)).toBe(hashValue(undefined));
    expect(hashValue(Buffer.from([1, 2]))).toBe(hashValue(new Uint8Array([1, 2])));
    expect(hashValue([1, 'a', [2n]])).toBe(hashValue([1n, 'a', [2]]));
    expect(hashValue({ a: 1, b: 2 })).toBe(hashValue({ b: 2n, a: 1 }));
    expect(hashValue('abc')).toBe(hashString('abc'));
  });

  test('distinct simple values hash apart', () => {
    const vals: unknown[] = [null, false, true, 0, 1, -1, 0.5, 1.5, 2 ** 53 + 2, 2n ** 53n + 1n, 2n ** 64n + 1n, -(2n ** 64n) - 1n,
      Infinity, -Infinity, NaN, '', '0', 'a', 'b', 'ab', 'ba', new Uint8Array([]), new Uint8Array([0]), new Uint8Array([97]),
      [], [0], [null], [[]], ['a', 'b'], ['ab'], {}, { a: 0 }, { b: 0 }, { a: 1 }];
    const hashes = vals.map(hashValue);
    expect(new Set(hashes).size).toBe(vals.length);
  });

  test('pinned values: every agent must partition alike, so the function must not drift', () => {
    expect([hashValue('word'), hashValue(1), hashValue(1.5), hashValue(null), hashValue(true), hashValue(['a', 1])]).toEqual(PINNED);
  });

  test('property: compareValues-equal values hash alike', () => {
    const num = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }));
    // Re-express a number as an equal value of the other numeric type when one exists.
    const twin = (v: number | bigint): number | bigint => {
      if (typeof v === 'bigint') {
        const n = Number(v);
        return Number.isFinite(n) && BigInt(n) === v ? n : v;
      }
      return Number.isInteger(v) ? BigInt(v) : v === 0 ? -0 : v;
    };
    fc.assert(
      fc.property(num, (v) => {
        const w = twin(v);
        expect(compareValues(v, w)).toBe(0);
        expect(hashValue([v, { k: v }])).toBe(hashValue([w, { k: w }]));
        expect(hashValue(v)).toBe(hashValue(w));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('hashKey and partitionOf', () => {
  test('single field is hashValue of that field; several fields hash like the array of them', () => {
    const row = ['a', 2, 3n, [4], null];
    expect(hashKey(row, [0])).toBe(hashValue('a'));
    expect(hashKey(row, [3])).toBe(hashValue([4]));
    expect(hashKey(row, [0, 2])).toBe(hashValue(['a', 3n]));
    expect(hashKey(row, [2, 0])).toBe(hashValue([3n, 'a']));
    expect(hashKey(row, [0, 2])).not.toBe(hashKey(row, [2, 0]));
    expect(hashKey(['a', 1], [0, 1])).toBe(hashKey([1n, 'a', 'zzz'], [1, 0]));
  });

  test('partitionOf is in [0, n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 1000 }), (h, n) => {
        const p = partitionOf(h, n);
        expect(Number.isInteger(p)).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(n);
      }),
    );
    expect(partitionOf(hashValue('x'), 1)).toBe(0);
  });

  const words = distinctWords(100_000);
  const ints = Array.from({ length: 100_000 }, (_, i) => i);

  test.each([2, 7, 8, 16])('100k distinct words spread over %i partitions within ±10%%', (n) => {
    expectSpread(words, n);
  });

  test.each([7, 8, 16])('integers 0..99999 spread over %i partitions within ±10%%', (n) => {
    expectSpread(ints, n);
  });

  test('strided and large integers spread', () => {
    expectSpread(ints.map((i) => i * 8), 8);
    expectSpread(ints.map((i) => i * 1024), 8);
    expectSpread(ints.map((i) => 2 ** 40 + i), 8);
    expectSpread(ints.map((i) => -i), 8);
    expectSpread(ints.map((i) => 2n ** 64n + BigInt(i)), 8);
  });

  test('floats spread', () => {
    const r = rng(7);
    expectSpread(ints.map((i) => i + 0.5), 8);
    expectSpread(ints.map((i) => i / 1000), 8);
    expectSpread(ints.map(() => r()), 8);
    expectSpread(ints.map(() => (r() - 0.5) * 1e12), 16);
  });

  test('composite keys spread', () => {
    expectSpread(ints.map((i) => [i % 317, words[i % 1000]]), 8);
    expectSpread(ints.map((i) => ({ id: i })), 8);
    expectSpread(ints.map((i) => Buffer.from(String(i))), 8);
  });
});

const PINNED = [3089789026, 3516731488, 935236321, 327721211, 1825104902, 1858510143];
