// Keyed (wide) operators: reduceBy, groupBy, distinct, partition.
// A shuffle's output order is not defined, so results are compared as sorted multisets; inside a
// group the order of values is not defined either, so value lists are sorted too.
//
// Conventions pinned here (API.md "Rows, fields, UDFs", DESIGN.md §3):
// - keys are `by` fields (1-based, default [1]); the value is the single non-key field, or the
//   array of the non-key fields when there are several;
// - keyed outputs put the keys first: reduceBy -> [...keys, ...valueFields],
//   groupBy -> [...keys, values[]];
// - keys are typed: 1 and '1' differ; 1, 1n and 1.0 are one key; null is a key; arrays are keys.
import { Flow } from '@gleam/flow-dsl';
import { canon, EXECUTORS, partitionsOf, range, runAll, sorted } from './helpers';

jest.setTimeout(30000);

/** groupBy rows with their value lists sorted (the order inside a group is not defined). */
function groups(rows: unknown[][]): unknown[][] {
  return sorted(rows.map((r) => [...r.slice(0, -1), sorted(r[r.length - 1] as unknown[])]));
}

/** Keys that may come back as bigint or number (1n and 1 are one key; which one is kept is not defined): compare as numbers. */
function numericKeys(rows: unknown[][]): unknown[][] {
  return rows.map((r) => r.map((v) => (typeof v === 'bigint' && BigInt(Number(v)) === v ? Number(v) : v)));
}

describe.each(EXECUTORS)('reduceBy (%i executors)', (executors) => {
  test('word count: one row [key, reduced value] per key, key field 1 by default; reduceByKey is the same', async () => {
    const f = new Flow('word count');
    const pairs = f.strings(['a b', 'b c a', 'a', '', 'd d d d'], 3).flatMap((l: string) => l.split(' ').filter(Boolean)).map((w: string) => [w, 1]);
    const out = await runAll(f, {
      reduceBy: pairs.reduceBy((a: number, b: number) => a + b),
      reduceByKey: pairs.reduceByKey('(a, b) => a + b'),
      params: pairs.reduceBy((a: number, b: number) => Math.min(a + b, params.cap), { params: { cap: 3 } }),
      strings: f.slices([['k', 'x'], ['k', 'y'], ['j', 'z']]).reduceBy((a: string, b: string) => (a + b).split('').sort().join('')),
    }, { executors });
    const counts = [['a', 3], ['b', 2], ['c', 1], ['d', 4]];
    expect(sorted(out.reduceBy)).toEqual(counts);
    expect(sorted(out.reduceByKey)).toEqual(counts);
    // the reducer must be associative and commutative: it runs before and after the shuffle
    expect(sorted(out.params)).toEqual([['a', 3], ['b', 2], ['c', 1], ['d', 3]]);
    expect(sorted(out.strings)).toEqual([['j', 'z'], ['k', 'xy']]);
  });

  test('several value fields: the value is the array of the non-key fields, the result row spreads it after the key', async () => {
    const rows = await new Flow('multi value')
      .slices([['a', 1, 10], ['a', 2, 20], ['b', 3, 30], ['a', 4, 40]], 2)
      .reduceBy((x: number[], y: number[]) => [x[0] + y[0], Math.max(x[1], y[1])])
      .collect({ executors });
    expect(sorted(rows)).toEqual([['a', 7, 40], ['b', 3, 30]]);
  });

  test('a single value field holding an array stays one field (it is not spread)', async () => {
    const rows = await new Flow('array value')
      .slices([['k', [1]], ['k', [2]], ['j', [3]], ['k', [0]]], 3)
      .reduceBy((a: number[], b: number[]) => [...a, ...b].sort())
      .collect({ executors });
    expect(sorted(rows)).toEqual([['j', [3]], ['k', [0, 1, 2]]]);
  });

  test('by: [1, 3] multi-field key: the value is field 2, the result is [key1, key3, value]', async () => {
    const rows = await new Flow('multi key')
      .slices([['a', 1, 'x'], ['a', 2, 'x'], ['b', 3, 'x'], ['a', 4, 'y'], ['a', 5, 'x'], ['b', 6, 'y']], 2)
      .reduceBy((a: number, b: number) => a + b, { by: [1, 3] })
      .collect({ executors });
    expect(sorted(rows)).toEqual([['a', 'x', 8], ['a', 'y', 4], ['b', 'x', 3], ['b', 'y', 6]]);
  });

  test('by: 2 (a key that is not the first field): the result is [key, value]', async () => {
    const rows = await new Flow('key 2')
      .slices([[1, 'k'], [2, 'k'], [3, 'j'], [4, 'k']], 2)
      .reduceBy((a: number, b: number) => a + b, { by: 2 })
      .collect({ executors });
    expect(sorted(rows)).toEqual([['j', 3], ['k', 7]]);
  });

  test('by: [1, 3] over four fields: the value is [field 2, field 4]; the result is [key1, key3, v2, v4]', async () => {
    const rows = await new Flow('multi key multi value')
      .slices([['a', 1, 'x', 100], ['a', 2, 'x', 200], ['a', 3, 'y', 300], ['a', 4, 'x', 400]], 3)
      .reduceBy((u: number[], v: number[]) => [u[0] + v[0], u[1] + v[1]], { by: [1, 3] })
      .collect({ executors });
    expect(sorted(rows)).toEqual([['a', 'x', 7, 700], ['a', 'y', 3, 300]]);
  });

  test('{ partitions: n } sets the number of output partitions', async () => {
    const rows = await partitionsOf(new Flow('partitions').ints(range(20)).map((n: number) => [n % 4, 1]).reduceBy((a: number, b: number) => a + b, { partitions: 5 }))
      .collect({ executors });
    expect(rows).toHaveLength(5);
    expect(sorted(rows.flatMap((r) => r[0] as unknown[][]))).toEqual([[0, 5], [1, 5], [2, 5], [3, 5]]);
  });
});

describe.each(EXECUTORS)('typed keys (%i executors)', (executors) => {
  // equal keys sit in different source partitions, so they meet only after the hash shuffle
  const rows: unknown[][] = [
    [1, 'a'], ['1', 'b'], [-0, 'm'], [2 ** 60, 'o'], [null, 'e'], [[1, 2], 'g'], [new Uint8Array([1, 2]), 'r'],
    [[1, '2'], 'i'], [true, 'j'], ['true', 'k'], [0, 'l'], [null, 'f'], [[], 'p'], [[null], 'q'],
    [1.0, 'd'], [[1, 2], 'h'], [2n ** 60n, 'n'], [1n, 'c'], [Buffer.from([1, 2]), 's'],
  ];
  const expected = [
    // 1, 1n and 1.0 are one key; '1' is another; null is a key; arrays compare element-wise;
    // 0 and -0 are one key, kept as the first seen (-0, in the first partition)
    [null, ['e', 'f']], [true, ['j']], [-0, ['l', 'm']], [1, ['a', 'c', 'd']], [2 ** 60, ['n', 'o']],
    ['1', ['b']], ['true', ['k']], [new Uint8Array([1, 2]), ['r', 's']], [[], ['p']], [[null], ['q']], [[1, '2'], ['i']], [[1, 2], ['g', 'h']],
  ];

  test('groupBy, reduceBy and distinct put 1, 1n and 1.0 (and 0, -0) in one key, keep 1 and \'1\' apart, and key by null, bytes and arrays', async () => {
    const f = new Flow('typed keys');
    const ds = f.slices(rows, 3);
    const out = await runAll(f, {
      groupBy: ds.groupBy(),
      reduceBy: ds.reduceBy((a: string, b: string) => (a + b).split('').sort().join('')),
      distinct: ds.distinct({ by: 1 }),
    }, { executors });
    const byKey = (a: unknown[], b: unknown[]) => (canon(numericKeys([a])[0][0]) < canon(numericKeys([b])[0][0]) ? -1 : 1);
    expect(numericKeys(groups(out.groupBy)).sort(byKey)).toEqual(expected.slice().sort(byKey));
    expect(numericKeys(out.reduceBy).sort(byKey)).toEqual(expected.map(([k, vs]) => [k, (vs as string[]).join('')]).sort(byKey));
    expect(out.distinct).toHaveLength(expected.length);
    expect(numericKeys(out.distinct).map((r) => canon(r[0])).sort()).toEqual(expected.map((r) => canon(r[0])).sort());
  });

  test('the key value kept for a group of equal keys (1, 1n, 1.0) is the first one seen', async () => {
    const f = new Flow('first key');
    const out = await runAll(f, {
      numberFirst: f.slices<unknown[]>([[1, 'a'], [1n, 'b'], [1.0, 'c']], 1).reduceBy((a: string, b: string) => (a + b).split('').sort().join('')),
      bigintFirst: f.slices<unknown[]>([[2n, 'a'], [2, 'b']], 1).reduceBy((a: string, b: string) => (a + b).split('').sort().join('')),
      groupNumberFirst: f.slices<unknown[]>([[1, 'a'], [1n, 'b']], 1).groupBy(),
      distinctBigintFirst: f.slices<unknown[]>([[3n], [3]], 1).distinct(),
    }, { executors });
    expect(out.numberFirst).toEqual([[1, 'abc']]);
    expect(typeof out.numberFirst[0][0]).toBe('number');
    expect(out.bigintFirst).toEqual([[2n, 'ab']]);
    expect(typeof out.groupNumberFirst[0][0]).toBe('number');
    expect(out.distinctBigintFirst).toEqual([[3n]]);
  });

  test('one-field rows: countByKey-style pairs over mixed scalar types keep every type apart', async () => {
    const rows = await new Flow('mixed scalars')
      .parallelize<unknown>([1, '1', 1, true, 'true', null, 1.5, '1.5', false, 0, '', null], 3)
      .map((k: unknown) => [k, 1])
      .reduceBy((a: number, b: number) => a + b)
      .collect({ executors });
    expect(sorted(rows)).toEqual(sorted([[1, 2], ['1', 1], [true, 1], ['true', 1], [null, 2], [1.5, 1], ['1.5', 1], [false, 1], [0, 1], ['', 1]]));
  });
});

describe.each(EXECUTORS)('groupBy, distinct, partition (%i executors)', (executors) => {
  test('groupBy: one row [...keys, values[]] per key; a single non-key field is the value, several form an array', async () => {
    const f = new Flow('groupBy');
    const three = f.slices([['a', 1, 'x'], ['a', 2, 'x'], ['b', 3, 'x'], ['a', 4, 'y'], ['a', 5, 'x']], 2);
    const out = await runAll(f, {
      byDefault: three.groupBy(),
      byOneThree: three.groupBy({ by: [1, 3] }),
      byTwo: f.slices([[1, 'k'], [2, 'k'], [3, 'j']], 2).groupByKey({ by: 2 }),
      pairs: f.slices([['k', 1], ['k', 2], ['j', 3]], 3).groupBy(),
      partitions: partitionsOf(three.groupBy({ partitions: 4 })),
    }, { executors });
    expect(groups(out.byDefault)).toEqual([['a', [[1, 'x'], [2, 'x'], [4, 'y'], [5, 'x']]], ['b', [[3, 'x']]]]);
    expect(groups(out.byOneThree)).toEqual([['a', 'x', [1, 2, 5]], ['a', 'y', [4]], ['b', 'x', [3]]]);
    expect(groups(out.byTwo)).toEqual([['j', [3]], ['k', [1, 2]]]);
    expect(groups(out.pairs)).toEqual([['j', [3]], ['k', [1, 2]]]);
    expect(out.partitions).toHaveLength(4);
    expect(groups(out.partitions.flatMap((r) => r[0] as unknown[][]))).toEqual(groups(out.byDefault));
  });

  test('distinct(): whole rows compare by the typed order (1 = 1n = 1.0, 1 ≠ \'1\'); distinct({ by }) keeps one row per key', async () => {
    const f = new Flow('distinct');
    // [0..3) [3..6) [6..9): the equal rows ['a', 1], ['a', 1.0], ['a', 1n] start in different partitions
    const rows = f.slices<unknown[]>([['a', 1], ['a', 1], ['a', '1'], ['b', 1], ['a', 1.0], [['x'], { o: 1 }], ['a', 1n], [['x'], { o: 1 }], ['a', 2]], 3);
    const out = await runAll(f, {
      whole: rows.distinct(),
      byFirst: rows.distinct({ by: 1 }),
      byBoth: rows.distinct({ by: [2, 1] }),
      values: f.strings(['b', 'a', 'b', 'c', 'a']).distinct({ partitions: 2 }),
    }, { executors });
    const expectedWhole = sorted([['a', 1], ['a', '1'], ['b', 1], [['x'], { o: 1 }], ['a', 2]]);
    expect(sorted(numericKeys(out.whole))).toEqual(expectedWhole);
    expect(sorted(numericKeys(out.byBoth))).toEqual(expectedWhole);
    // which row represents a key is not defined; each key appears once
    expect(out.byFirst.map((r) => canon(r[0])).sort()).toEqual([canon('a'), canon('b'), canon(['x'])].sort());
    for (const r of out.byFirst) expect(r[0] === 'a' || r[0] === 'b' || canon(r) === canon([['x'], { o: 1 }])).toBe(true);
    expect(sorted(out.values)).toEqual([['a'], ['b'], ['c']]);
  });

  test('partition(n, { by }): n partitions, every row kept, all rows of a key in one partition', async () => {
    const f = new Flow('partition');
    const data = range(40).map((i) => [`k${i % 7}`, i, i % 2]);
    const src = f.slices(data, 3);
    const out = await runAll(f, {
      byFirst: partitionsOf(src.partition(4)),
      byThird: partitionsOf(src.partition(3, { by: 3 })),
      byTwoFields: partitionsOf(src.partition(5, { by: [3, 1] })),
      defaultCount: partitionsOf(src.partition()),
    }, { executors });
    const check = (parts: unknown[][], n: number, key: (r: unknown[]) => string) => {
      expect(parts).toHaveLength(n);
      const lists = parts.map((p) => p[0] as unknown[][]);
      expect(sorted(lists.flat())).toEqual(sorted(data));
      const home = new Map<string, number>();
      lists.forEach((rows, p) => rows.forEach((r) => {
        const k = key(r);
        expect(home.get(k) ?? p).toBe(p);
        home.set(k, p);
      }));
    };
    check(out.byFirst, 4, (r) => canon(r[0]));
    check(out.byThird, 3, (r) => canon(r[2]));
    check(out.byTwoFields, 5, (r) => canon([r[2], r[0]]));
    check(out.defaultCount, executors, (r) => canon(r[0]));
  });
});

describe('empty inputs', () => {
  test.each(EXECUTORS)('every keyed operator on an empty dataset gives no rows (%i executors)', async (executors) => {
    const f = new Flow('empty keyed');
    const empty = f.slices<[string, number]>([], 2);
    const out = await runAll(f, {
      reduceBy: empty.reduceBy((a: number, b: number) => a + b),
      reduceByMulti: empty.reduceBy((a: number, b: number) => a + b, { by: [1, 3], partitions: 3 }),
      groupBy: empty.groupBy(),
      distinct: empty.distinct(),
      distinctBy: empty.distinct({ by: 2 }),
      partition: partitionsOf(empty.partition(3)),
      filtered: f.strings(['a', 'b']).filter(() => false).map((w: string) => [w, 1]).reduceBy((a: number, b: number) => a + b),
    }, { executors });
    expect(out.reduceBy).toEqual([]);
    expect(out.reduceByMulti).toEqual([]);
    expect(out.groupBy).toEqual([]);
    expect(out.distinct).toEqual([]);
    expect(out.distinctBy).toEqual([]);
    expect(out.partition).toEqual([[[]], [[]], [[]]]);
    expect(out.filtered).toEqual([]);
  });
});

describe('a larger shuffle', () => {
  test('200k rows through reduceBy, groupBy, distinct and partition with several partitions match a plain JS computation', async () => {
    const N = 200_000;
    const keyOf = (i: number) => (i * 2654435761) % 5003;
    const f = new Flow('large');
    const src = f.parallelize(range(N), 6).map((i: number) => [(i * 2654435761) % 5003, i, `w${i % 97}`] as [number, number, string]);
    const out = await runAll(f, {
      sums: src.reduceBy((a: [number, string], b: [number, string]) => [a[0] + b[0], a[1] < b[1] ? a[1] : b[1]], { partitions: 7 }),
      counts: src.map((k: number) => [k, 1]).reduceBy((a: number, b: number) => a + b, { partitions: 4 }),
      groupSizes: src.select(3, 2).groupBy({ partitions: 5 }).map((w: any, vs: any) => [w, vs.length, Math.min(...vs)]),
      distinctWords: src.select(3).distinct({ partitions: 3 }),
      partitionCount: src.partition(8, { by: 3 }).mapPartitions((rows: Iterable<unknown>) => {
        const seen = new Set();
        let n = 0;
        for (const r of rows as Iterable<unknown[]>) {
          n++;
          seen.add(r[2]);
        }
        return [[n, seen.size]];
      }),
    }, { executors: 3 });

    const sums = new Map<number, [number, string]>();
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const k = keyOf(i);
      const w = `w${i % 97}`;
      const s = sums.get(k);
      sums.set(k, s ? [s[0] + i, s[1] < w ? s[1] : w] : [i, w]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(sorted(out.sums)).toEqual(sorted([...sums].map(([k, [s, w]]) => [k, s, w])));
    expect(sorted(out.counts)).toEqual(sorted([...counts]));
    expect(sorted(out.groupSizes)).toEqual(sorted(range(97).map((r) => [`w${r}`, Math.floor(N / 97) + (r < N % 97 ? 1 : 0), r])));
    expect(sorted(out.distinctWords)).toEqual(sorted(range(97).map((r) => [`w${r}`])));
    expect(out.partitionCount).toHaveLength(8);
    expect(out.partitionCount.reduce((s, r) => s + (r[0] as number), 0)).toBe(N);
    expect(out.partitionCount.reduce((s, r) => s + (r[1] as number), 0)).toBe(97); // each word in one partition
  });
});

declare const params: any;
