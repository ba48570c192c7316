// The row types of test/types are claims about what operators return at run time. Here the same
// operators run (one local flow) and their rows are compared with values of the claimed types:
// tsc --strict checks the claims (this file is part of test/types/tsconfig.json), jest the rows.
import { Flow } from '@gleam/flow-dsl';
import { runAll, sorted } from '../operators/helpers';
import { check, type Equal, type RowOf } from './assert';

jest.setTimeout(60_000);

test('keyed operators, joins, coGroup and the pair helpers give the rows their types describe', async () => {
  const f = new Flow('shapes');
  const pairs = f.strings(['a', 'bb', 'a', 'ccc'], 2).map((w) => [w, w.length]);
  const names = f.slices([['a', 'Ann'], ['d', 'Dee']]);
  const triples = f.slices([['a', 'x', 1], ['a', 'x', 2], ['a', 'y', 5]]);
  const points = f.slices([[0, 1, 2, 1], [0, 3, 4, 1], [1, 5, 5, 1]]);

  const ds = {
    reduced: pairs.reduceBy((a, b) => a + b),
    reducedTwo: triples.reduceBy((a, b) => a + b, { by: [1, 2] }),
    reducedMany: points.reduceBy((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]]),
    grouped: triples.groupBy(),
    joined: pairs.join(names),
    left: pairs.leftOuterJoin(names),
    right: pairs.rightOuterJoin(names),
    full: pairs.fullOuterJoin(names),
    cogrouped: pairs.coGroup(names),
    combined: pairs.combineByKey((v) => [v, 1], (c, v) => [c[0] + v, c[1] + 1], (x, y) => [x[0] + y[0], x[1] + y[1]]),
    keyed: names.keyBy((k) => k.length),
    values: triples.values(),
    selected: triples.select(3, 1),
    padded: names.select(1, 3),
  };
  check<Equal<RowOf<typeof ds.reduced>, [string, number]>>();
  check<Equal<RowOf<typeof ds.reducedTwo>, [string, string, number]>>();
  check<Equal<RowOf<typeof ds.reducedMany>, [number, number, number, number]>>();
  check<Equal<RowOf<typeof ds.grouped>, [string, [string, number][]]>>();
  check<Equal<RowOf<typeof ds.joined>, [string, number, string]>>();
  check<Equal<RowOf<typeof ds.left>, [string, number, string | null]>>();
  check<Equal<RowOf<typeof ds.right>, [string, number | null, string]>>();
  check<Equal<RowOf<typeof ds.full>, [string, number | null, string | null]>>();
  check<Equal<RowOf<typeof ds.cogrouped>, [string, number[], string[]]>>();
  check<Equal<RowOf<typeof ds.combined>, [string, [number, number]]>>();
  check<Equal<RowOf<typeof ds.keyed>, [number, string, string]>>();
  check<Equal<RowOf<typeof ds.values>, [string, number]>>();
  check<Equal<RowOf<typeof ds.selected>, [number, string]>>();
  check<Equal<RowOf<typeof ds.padded>, [string, null]>>();

  const out = await runAll(f, ds, { executors: 2 }).finally(() => f.close());
  const expected: { [K in keyof typeof ds]: RowOf<(typeof ds)[K]>[] } = {
    reduced: [['a', 2], ['bb', 2], ['ccc', 3]],
    reducedTwo: [['a', 'x', 3], ['a', 'y', 5]],
    reducedMany: [[0, 4, 6, 2], [1, 5, 5, 1]],
    grouped: [['a', [['x', 1], ['x', 2], ['y', 5]]]],
    joined: [['a', 1, 'Ann'], ['a', 1, 'Ann']],
    left: [['a', 1, 'Ann'], ['a', 1, 'Ann'], ['bb', 2, null], ['ccc', 3, null]],
    right: [['a', 1, 'Ann'], ['a', 1, 'Ann'], ['d', null, 'Dee']],
    full: [['a', 1, 'Ann'], ['a', 1, 'Ann'], ['bb', 2, null], ['ccc', 3, null], ['d', null, 'Dee']],
    cogrouped: [['a', [1, 1], ['Ann']], ['bb', [2], []], ['ccc', [3], []], ['d', [], ['Dee']]],
    combined: [['a', [2, 2]], ['bb', [2, 1]], ['ccc', [3, 1]]],
    keyed: [[1, 'a', 'Ann'], [1, 'd', 'Dee']],
    values: [['x', 1], ['x', 2], ['y', 5]],
    selected: [[1, 'a'], [2, 'a'], [5, 'a']],
    padded: [['a', null], ['d', null]],
  };
  // Shuffles define no order: rows are compared sorted, and so are the values inside a group.
  const got = { ...out, grouped: out.grouped.map(([k, vs]) => [k, sorted(vs as unknown[])]) };
  const norm = (rows: Record<string, unknown[][]>) => Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, sorted(r)]));
  expect(norm(got)).toEqual(norm(expected));
});

test('actions resolve to the values their types describe', async () => {
  const f = new Flow('shape actions');
  try {
    const pairs = f.slices([['a', 1], ['b', 2], ['a', 3]], 2);
    const ones = f.ints([1, 2, 3, 4], 2).map((n) => n * 10);
    const first: [string, number] = await pairs.first({ executors: 2 });
    const total: number = await ones.reduce((a, b) => a + b, { executors: 2 });
    const pair = await pairs.reduce((a, b) => [a[0] + b[0], a[1] + b[1]], { executors: 2 });
    check<Equal<typeof pair, [string, number]>>();
    const byKey: Map<string, number> = await pairs.countByKey({ executors: 2 });
    const byValue: Map<number, number> = await ones.countByValue({ executors: 2 });
    const asMap: Map<string, number> = await pairs.collectAsMap({ executors: 2 });
    const looked: number[] = await pairs.lookup('a', { executors: 2 });
    const max: number = await ones.max({ executors: 2 });
    const glommed: [number[]][] = await ones.glom().collect({ executors: 2 });
    expect(first).toEqual(['a', 1]);
    expect(total).toBe(100);
    expect(pair[1]).toBe(6);
    expect(typeof pair[0]).toBe('string');
    expect([...byKey].sort()).toEqual([['a', 2], ['b', 1]]);
    expect([...byValue].sort()).toEqual([[10, 1], [20, 1], [30, 1], [40, 1]]);
    expect(asMap).toEqual(new Map([['a', 3], ['b', 2]]));
    expect(looked).toEqual([1, 3]);
    expect(max).toBe(40);
    expect(glommed).toEqual([[[10, 20]], [[30, 40]]]);
  } finally {
    await f.close();
  }
});
