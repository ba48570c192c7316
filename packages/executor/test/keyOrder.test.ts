import fc from 'fast-check';
import { compareValues, makeRowComparator, OrderBy } from '../src/keys/keyOrder';
import { hashValue } from '../src/keys/keyHash';
import { groupKey } from '../src/keys/canonicalKey';
import type { Row } from '../src/codec/rowCodec';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Strictly ascending under the typed order: null < bool < numbers < strings < bytes < arrays < objects. */
const ascending: unknown[] = [
  null,
  false,
  true,
  -Infinity,
  -(2n ** 70n),
  -(2 ** 60) - 4096,
  -1.5,
  -1n,
  -0.5,
  0,
  5e-324,
  0.5,
  1,
  2 ** 53,
  2n ** 53n + 1n,
  2 ** 53 + 2,
  2 ** 60 + 256,
  2n ** 60n + 257n,
  1e300,
  2n ** 1100n,
  Infinity,
  NaN,
  '',
  '\u0000',
  'A',
  'Z',
  'a',
  'ab',
  'b',
  'é',
  '\uD83D\uDE00', // 😀: high surrogate 0xD83D sorts below U+FFFF by code unit
  '\uFFFF',
  new Uint8Array([]),
  new Uint8Array([0]),
  new Uint8Array([0, 0]),
  new Uint8Array([1]),
  new Uint8Array([255]),
  [],
  [null],
  [false],
  [1],
  [1, 2],
  [1, 'a'],
  [2],
  ['a'],
  [[]],
  {},
  { a: 1 },
  { a: 2 },
  { a: 'x' },
  { a: 0, b: 0 },
  { a: 0, c: 0 },
  { b: 0 },
];

describe('compareValues', () => {
  test('the documented typed order, pairwise', () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        const want = i < j ? -1 : i > j ? 1 : 0;
        const got = compareValues(ascending[i], ascending[j]);
        if (got !== want) throw new Error(`compare(${String(ascending[i])}, ${String(ascending[j])}) = ${got}, want ${want}`);
      }
    }
  });

  test('exact numeric equalities across number and bigint', () => {
    expect(compareValues(2n ** 60n, 2 ** 60)).toBe(0);
    expect(compareValues(2 ** 60, 2n ** 60n)).toBe(0);
    expect(compareValues(2n ** 53n + 1n, 2 ** 53)).toBe(1);
    expect(compareValues(2 ** 53, 2n ** 53n + 1n)).toBe(-1);
    expect(compareValues(1, 1n)).toBe(0);
    expect(compareValues(1.0, 1)).toBe(0);
    expect(compareValues(-0, 0)).toBe(0);
    expect(compareValues(0, -0)).toBe(0);
    expect(compareValues(-0, 0n)).toBe(0);
    expect(compareValues(0.5, 0n)).toBe(1);
    expect(compareValues(NaN, NaN)).toBe(0);
    expect(compareValues(NaN, Infinity)).toBe(1);
    expect(compareValues(Infinity, NaN)).toBe(-1);
    expect(compareValues(NaN, 2n ** 2000n)).toBe(1);
    expect(compareValues(2n ** 2000n, Infinity)).toBe(-1);
  });

  test('other equalities', () => {
    expect(compareValues(null, undefined)).toBe(0);
    expect(compareValues(undefined, undefined)).toBe(0);
    expect(compareValues(Buffer.from([1, 2]), new Uint8Array([1, 2]))).toBe(0);
    expect(compareValues({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(0);
    expect(compareValues([1, [2n]], [1n, [2]])).toBe(0);
    expect(compareValues('abc', 'abc')).toBe(0);
  });

  test('mixed types never compare equal', () => {
    const vals: unknown[] = [null, false, 0, '0', '', new Uint8Array([0]), [0], [], { 0: 0 }, {}, true, 1, '1', [1]];
    for (let i = 0; i < vals.length; i++) {
      for (let j = 0; j < vals.length; j++) {
        if (i !== j) expect(compareValues(vals[i], vals[j])).not.toBe(0);
      }
    }
  });

  test('string order is JS < (UTF-16 code units)', () => {
    const words = ['b', 'a', 'B', 'é', 'e', '\uFFFF', '\uD83D\uDE00', 'ab', ''];
    const byUs = [...words].sort(compareValues);
    const byJs = [...words].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(byUs).toEqual(byJs);
  });

  test('unsupported kinds are rejected', () => {
    expect(() => compareValues(() => 1, 1)).toThrow(TypeError);
    expect(() => compareValues(Symbol('x'), 1)).toThrow(TypeError);
  });
});

// Small domain so that equal-but-differently-typed pairs (1 vs 1n, -0 vs 0, ...) come up often.
const smallScalar = fc.constantFrom<unknown>(
  null, undefined, false, true, 0, -0, 0n, 1, 1n, 1.5, -1, -1n, 2 ** 60, 2n ** 60n, 2n ** 60n + 1n, 2 ** 53, 2n ** 53n + 1n,
  NaN, Infinity, -Infinity, '', 'a', 'b', 'ab', '\u0000', '\u0000a', 'é', new Uint8Array([]), new Uint8Array([97]), Buffer.from([97]),
);
const { small } = fc.letrec<{ small: unknown }>((tie) => ({
  small: fc.oneof(
    { maxDepth: 2, depthIdentifier: 's' },
    smallScalar,
    fc.array(tie('small'), { maxLength: 3, depthIdentifier: 's' }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('small'), { maxKeys: 2, depthIdentifier: 's' }),
  ),
}));
const wide = fc.oneof(
  small,
  fc.string({ maxLength: 5 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 4 }),
  fc.double(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.integer(),
  fc.uint8Array({ maxLength: 4 }),
);

function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

describe('compareValues properties', () => {
  test('reflexive and antisymmetric', () => {
    fc.assert(
      fc.property(wide, wide, (a, b) => {
        expect(compareValues(a, a)).toBe(0);
        expect(sign(compareValues(a, b)) + sign(compareValues(b, a))).toBe(0);
        expect([-1, 0, 1]).toContain(compareValues(a, b));
      }),
      { numRuns: 3000 },
    );
  });

  test('transitive: a sorted list is ordered pairwise', () => {
    fc.assert(
      fc.property(fc.array(wide, { maxLength: 25 }), (xs) => {
        // Wrapped: Array#sort moves undefined to the end without asking the comparator.
        const s = xs.map((v) => [v]).sort((x, y) => compareValues(x[0], y[0])).map((w) => w[0]);
        for (let i = 0; i < s.length; i++) for (let j = i + 1; j < s.length; j++) expect(compareValues(s[i], s[j])).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  test('transitive on triples (small domain)', () => {
    fc.assert(
      fc.property(small, small, small, (a, b, c) => {
        if (compareValues(a, b) <= 0 && compareValues(b, c) <= 0) expect(compareValues(a, c)).toBeLessThanOrEqual(0);
        if (compareValues(a, b) === 0 && compareValues(b, c) === 0) expect(compareValues(a, c)).toBe(0);
      }),
      { numRuns: 5000 },
    );
  });

  test('equal under compareValues <=> same groupKey; equal => same hashValue', () => {
    let equalPairs = 0;
    fc.assert(
      fc.property(small, small, (a, b) => {
        const eq = compareValues(a, b) === 0;
        if (eq) equalPairs++;
        expect(sameValueZero(groupKey(a), groupKey(b))).toBe(eq);
        if (eq) expect(hashValue(a)).toBe(hashValue(b));
      }),
      { numRuns: 5000 },
    );
    expect(equalPairs).toBeGreaterThan(100);
  });
});

describe('makeRowComparator', () => {
  const field = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -3, max: 3 }), smallScalar, fc.double());
  const row = fc.array(field, { minLength: 3, maxLength: 3 });
  const orderBy = fc.array(fc.record({ field: fc.integer({ min: 0, max: 2 }), desc: fc.boolean() }), { minLength: 0, maxLength: 3 });

  function reference(ob: OrderBy[]) {
    return (a: Row, b: Row): number => {
      for (const o of ob) {
        const c = compareValues(a[o.field], b[o.field]);
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    };
  }

  test('agrees with compareValues field by field (all specialisations)', () => {
    fc.assert(
      fc.property(orderBy, row, row, (ob, a, b) => {
        expect(sign(makeRowComparator(ob)(a, b))).toBe(sign(reference(ob)(a, b)));
      }),
      { numRuns: 5000 },
    );
  });

  test('sorts mixed rows exactly', () => {
    const rows: Row[] = [['b', 2], ['a', 2], [1n, 0], [1, 1], [null, 9], ['a', 1], [NaN, 0], [0.5, 3], [[1], 0], ['a', 10n]];
    expect([...rows].sort(makeRowComparator([{ field: 0, desc: false }, { field: 1, desc: true }]))).toEqual([
      [null, 9], [0.5, 3], [1, 1], [1n, 0], [NaN, 0], ['a', 10n], ['a', 2], ['a', 1], ['b', 2], [[1], 0],
    ]);
    expect([...rows].sort(makeRowComparator([{ field: 1, desc: true }])).map((r) => r[1])).toEqual([10n, 9, 3, 2, 2, 1, 1, 0, 0, 0]);
    expect([...rows].sort(makeRowComparator([{ field: 0, desc: true }]))[0]).toEqual([[1], 0]);
  });

  test('empty order keeps everything equal; bad fields rejected', () => {
    expect(makeRowComparator([])(['a'], ['b'])).toBe(0);
    expect(() => makeRowComparator([{ field: -1, desc: false }])).toThrow(RangeError);
    expect(() => makeRowComparator([{ field: 0.5, desc: false }])).toThrow(RangeError);
  });
});
