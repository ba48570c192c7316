import fc from 'fast-check';
import { groupKey, GroupKey, isCompositeKey, keyOfFields } from '../src/keys/canonicalKey';
import { compareValues } from '../src/keys/keyOrder';

function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

describe('groupKey: primitives', () => {
  test('primitives are their own key, canonicalised', () => {
    expect(groupKey('word')).toBe('word');
    expect(groupKey('')).toBe('');
    expect(groupKey(42)).toBe(42);
    expect(groupKey(1.5)).toBe(1.5);
    expect(Object.is(groupKey(-0), 0)).toBe(true);
    expect(groupKey(NaN)).toBeNaN();
    expect(groupKey(Infinity)).toBe(Infinity);
    expect(groupKey(true)).toBe(true);
    expect(groupKey(false)).toBe(false);
    expect(groupKey(null)).toBeNull();
    expect(groupKey(undefined)).toBeNull();
  });

  test('bigints become the equal number when one exists', () => {
    expect(groupKey(5n)).toBe(5);
    expect(groupKey(-5n)).toBe(-5);
    expect(groupKey(0n)).toBe(0);
    expect(groupKey(2n ** 53n)).toBe(2 ** 53);
    expect(groupKey(2n ** 60n)).toBe(2 ** 60); // unsafe but exactly representable: equals the number 2**60
    expect(groupKey(2n ** 53n + 1n)).toBe(2n ** 53n + 1n); // no double equals it
    expect(groupKey(-(2n ** 200n) - 1n)).toBe(-(2n ** 200n) - 1n);
    expect(groupKey(2n ** 2000n)).toBe(2n ** 2000n);
  });

  test('a string starting with U+0000 is escaped so it cannot look like a composite key', () => {
    expect(groupKey('\u0000')).toBe('\u0000\u0000');
    expect(groupKey('\u0000a1:')).toBe('\u0000\u0000a1:');
    expect(groupKey('a\u0000')).toBe('a\u0000');
  });
});

describe('groupKey: composites', () => {
  test('composites are canonical strings starting with U+0000', () => {
    for (const v of [[], [1], {}, { a: 1 }, new Uint8Array([1])]) {
      const k = groupKey(v);
      expect(typeof k).toBe('string');
      expect((k as string).charCodeAt(0)).toBe(0);
      expect((k as string).charCodeAt(1)).not.toBe(0);
    }
  });

  test('equal composites share a key', () => {
    expect(groupKey([1, 'a'])).toBe(groupKey([1n, 'a']));
    expect(groupKey([-0, [NaN]])).toBe(groupKey([0n, [NaN]]));
    expect(groupKey([2 ** 60])).toBe(groupKey([2n ** 60n]));
    expect(groupKey([1e21])).toBe(groupKey([10n ** 21n]));
    expect(groupKey([undefined])).toBe(groupKey([null]));
    expect(groupKey({ a: 1, b: [2] })).toBe(groupKey({ b: [2n], a: 1 }));
    expect(groupKey(Buffer.from('hi'))).toBe(groupKey(new Uint8Array([104, 105])));
  });

  test('distinct values get distinct keys (injective encoding)', () => {
    const vals: unknown[] = [
      [], [[]], [null], [false], [true], [0], [1], [-1], [1.5], [0.15], [1e21], [1e-7], [Infinity], [-Infinity], [NaN],
      [2n ** 53n + 1n], [2 ** 53], ['1'], ['a'], ['ab'], ['a', 'b'], [['a'], 'b'], ['a', ['b']], ['a:1'], ['s1:a'],
      ['1:a'], [''], ['', ''], [new Uint8Array([97])], [new Uint8Array([])], new Uint8Array([97]), new Uint8Array([]),
      new Uint8Array([0xc3, 0xa9]), ['é'], {}, { a: 1 }, { a: '1' }, { b: 1 }, { a: 1, b: 1 }, { 'a1:': 1 }, [['a', 1]],
      { '': null }, [{}], [[1, 2]], [1, 2], [[1], 2], [1, [2]],
    ];
    const keys = vals.map(groupKey);
    for (let i = 0; i < vals.length; i++) {
      for (let j = i + 1; j < vals.length; j++) {
        expect(compareValues(vals[i], vals[j])).not.toBe(0);
        if (keys[i] === keys[j]) throw new Error(`collision between #${i} and #${j}: ${JSON.stringify(keys[i])}`);
      }
    }
  });

  test('one Map holds primitive and composite keys without collisions', () => {
    const composite = groupKey(['x']) as string;
    const m = new Map<GroupKey, string>();
    const entries: [unknown, string][] = [['x', 'str'], [['x'], 'arr'], [composite, 'str-looking-like-composite'], [1, 'num'], ['1', 'str1'], [[1], 'arr1'], [true, 'bool'], [null, 'null']];
    for (const [v, label] of entries) m.set(groupKey(v), label);
    expect(m.size).toBe(entries.length);
    for (const [v, label] of entries) expect(m.get(groupKey(v))).toBe(label);
  });

  test('isCompositeKey tells values whose key is a canonical string', () => {
    expect([[1], {}, new Uint8Array(1), Buffer.from('a')].map(isCompositeKey)).toEqual([true, true, true, true]);
    expect(['a', '\u0000a', 1, 1n, true, null, undefined].map(isCompositeKey)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('keyOfFields', () => {
  test('one field is groupKey of the field; several are groupKey of their array', () => {
    const row = ['a', 5n, [1], null, -0];
    expect(keyOfFields(row, [0])).toBe('a');
    expect(keyOfFields(row, [1])).toBe(5);
    expect(keyOfFields(row, [2])).toBe(groupKey([1]));
    expect(keyOfFields(row, [0, 1])).toBe(groupKey(['a', 5]));
    expect(keyOfFields(row, [3, 4])).toBe(groupKey([null, 0]));
    expect(keyOfFields(row, [1, 0])).not.toBe(keyOfFields(row, [0, 1]));
    expect(keyOfFields(['a', 'b'], [0, 1])).not.toBe(keyOfFields(['ab', ''], [0, 1]));
    expect(keyOfFields(['a', 1], [0, 1])).toBe(keyOfFields([1n, 'a'], [1, 0]));
  });
});

describe('groupKey properties', () => {
  const scalar = fc.oneof(
    fc.constantFrom<unknown>(null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity, 1, 1n, 2 ** 60, 2n ** 60n, '', '\u0000', 'a'),
    fc.string({ maxLength: 4 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 3 }),
    fc.integer({ min: -3, max: 3 }),
    fc.bigInt({ min: -3n, max: 3n }),
    fc.double(),
    fc.bigInt(),
    fc.uint8Array({ maxLength: 3 }),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 2, depthIdentifier: 'g' },
      scalar,
      fc.array(tie('value'), { maxLength: 3, depthIdentifier: 'g' }),
      fc.dictionary(fc.constantFrom('a', 'b', '1', ''), tie('value'), { maxKeys: 3, depthIdentifier: 'g' }),
    ),
  }));

  test('same group key iff compareValues equal', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameValueZero(groupKey(a), groupKey(b))).toBe(compareValues(a, b) === 0);
      }),
      { numRuns: 10000 },
    );
  });

  test('a value and a re-typed twin share a key', () => {
    // Numbers become equal bigints and back, bytes become Buffers, object keys are reversed.
    const twin = (v: unknown): unknown => {
      if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
      if (typeof v === 'bigint') {
        const n = Number(v);
        return Number.isFinite(n) && BigInt(n) === v ? n : v;
      }
      if (v === undefined) return null;
      if (Array.isArray(v)) return v.map(twin);
      if (v instanceof Uint8Array) return Buffer.from(v);
      if (v !== null && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v).reverse()) out[k] = twin((v as Record<string, unknown>)[k]);
        return out;
      }
      return v;
    };
    fc.assert(
      fc.property(value, (v) => {
        const w = twin(v);
        expect(compareValues(v, w)).toBe(0);
        expect(sameValueZero(groupKey(v), groupKey(w))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
