// sort (global order), top (largest first) and limit (first rows in partition order).
// These define their output order, so results are pinned exactly.
//
// The total typed order (DESIGN.md §3):
//   null < booleans < numbers (bigint and number numerically) < strings (UTF-16 code units)
//   < bytes < arrays (element-wise, then length) < objects
import { Flow } from '@gleam/flow-dsl';
import { canon, EXECUTORS, partitionsOf, range, runAll } from './helpers';

jest.setTimeout(30000);

/** Every kind of value, in ascending total order, no two equal. */
const ASCENDING: unknown[] = [
  null,
  false, true,
  -Infinity, -1, 0.5, 2n, 3, 10, 2n ** 64n,
  '', '10', '9', 'A', 'a', 'ab', 'b', '\u{1F600}' /* 😀: surrogates D83D DE00 */, '\uFF5E' /* ～ */,
  new Uint8Array([]), new Uint8Array([0]), new Uint8Array([0, 1]), new Uint8Array([1]), new Uint8Array([255]),
  [], [null], [0], [0, 'a'], [1], ['a'], [[1]],
  {}, { a: 1 }, { a: 2 }, { a: 1, b: 1 }, { b: 0 },
];

/** A fixed shuffle, so the input is not already ordered. */
function shuffled<T>(xs: T[]): T[] {
  const out = xs.slice();
  let s = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const texts = (rows: unknown[][]) => rows.map((r) => canon(r));

describe.each(EXECUTORS)('sort (%i executors)', (executors) => {
  test('mixed types follow the total order null < booleans < numbers < strings < bytes < arrays < objects', async () => {
    const f = new Flow('mixed sort');
    const src = f.parallelize(shuffled(ASCENDING).map((v, i) => [v, i]), 3);
    const out = await runAll(f, {
      asc: src.sort(),
      ascFourPartitions: src.sort({ by: [1], partitions: 4 }),
      desc: src.sort({ by: [[1, 'desc']], partitions: 2 }),
    }, { executors });
    const expected = ASCENDING.map((v) => canon(v));
    expect(out.asc.map((r) => canon(r[0]))).toEqual(expected);
    expect(out.ascFourPartitions.map((r) => canon(r[0]))).toEqual(expected);
    expect(out.desc.map((r) => canon(r[0]))).toEqual(expected.slice().reverse());
  });

  test('by: [[2, \'desc\'], 1] sorts by field 2 descending, then field 1 ascending', async () => {
    const rows = [['pear', 3], ['apple', 5], ['fig', 3], ['kiwi', 1], ['date', 5], ['lime', 3], ['plum', 2], ['banana', 5]];
    const f = new Flow('multi key sort');
    const src = f.slices(rows, 3);
    const out = await runAll(f, {
      descThenAsc: src.sort({ by: [[2, 'desc'], 1] }),
      explicitAsc: src.sort({ by: [[2, 'asc'], [1, 'desc']], partitions: 5 }),
      plainNumbers: src.sort({ by: [2, 1], partitions: 2 }),
      singleTuple: src.select(2, 1).sort({ by: [1, 'desc'] }).select(1),
    }, { executors });
    expect(out.descThenAsc).toEqual([['apple', 5], ['banana', 5], ['date', 5], ['fig', 3], ['lime', 3], ['pear', 3], ['plum', 2], ['kiwi', 1]]);
    expect(out.explicitAsc).toEqual([['kiwi', 1], ['plum', 2], ['pear', 3], ['lime', 3], ['fig', 3], ['date', 5], ['banana', 5], ['apple', 5]]);
    expect(out.plainNumbers).toEqual([['kiwi', 1], ['plum', 2], ['fig', 3], ['lime', 3], ['pear', 3], ['apple', 5], ['banana', 5], ['date', 5]]);
    expect(out.singleTuple).toEqual([[5], [5], [5], [3], [3], [3], [2], [1]]);
  });

  test('the output is globally ordered: partition i holds rows before partition i+1\'s', async () => {
    const values = shuffled(range(3000).map((i) => (i * 7919) % 10007));
    const f = new Flow('global order');
    const src = f.parallelize(values, 5);
    const out = await runAll(f, {
      rows: src.sort({ partitions: 4 }),
      parts: partitionsOf(src.sort({ partitions: 4 })),
      strings: src.map((n: number) => `s${n}`).sort({ by: [[1, 'desc']], partitions: 3 }),
    }, { executors });
    const asc = values.slice().sort((a, b) => a - b);
    expect(out.rows).toEqual(asc.map((n) => [n]));
    expect(out.parts).toHaveLength(4);
    expect(out.parts.flatMap((p) => p[0] as unknown[][])).toEqual(asc.map((n) => [n]));
    expect(out.parts.filter((p) => (p[0] as unknown[]).length > 0).length).toBeGreaterThan(1);
    const strs = values.map((n) => `s${n}`).sort().reverse();
    expect(out.strings).toEqual(strs.map((s) => [s]));
  });

  test('more partitions than rows, sortByKey() with no arguments, keys missing from short rows (null), bigint and number together', async () => {
    const f = new Flow('edge sorts');
    const out = await runAll(f, {
      tenPartitions: f.ints([3, 1, 2]).sort({ partitions: 10 }),
      tenParts: partitionsOf(f.ints([3, 1, 2]).sort({ partitions: 10 })),
      sortByKey: f.slices([['b', 1], ['a', 2], ['c', 0]], 2).sortByKey(),
      shortRows: f.slices<unknown[]>([['x', 2], ['y'], ['z', 1]]).sort({ by: 2 }),
      numeric: f.parallelize<unknown>([3n, 2.5, 10, 1n, -(2n ** 70n), 0], 2).sort(),
      utf16: f.strings(['\uFF5E', '\u{1F600}', 'z', 'É', 'e']).sort(),
    }, { executors });
    expect(out.tenPartitions).toEqual([[1], [2], [3]]);
    expect(out.tenParts).toHaveLength(10);
    expect(out.sortByKey).toEqual([['a', 2], ['b', 1], ['c', 0]]);
    expect(out.shortRows).toEqual([['y'], ['z', 1], ['x', 2]]);
    expect(out.numeric).toEqual([[-(2n ** 70n)], [0], [1n], [2.5], [3n], [10]]);
    // by UTF-16 code unit, like JS `<`: 'e' < 'z' < 'É' < '😀' (D83D) < '～' (FF5E)
    expect(out.utf16).toEqual([['e'], ['z'], ['É'], ['\u{1F600}'], ['\uFF5E']]);
  });
});

describe.each(EXECUTORS)('top (%i executors)', (executors) => {
  test('top(n, { by }) returns the first n rows of the order by describes; a plain field number means descending', async () => {
    const counts = [['pear', 3], ['apple', 7], ['fig', 4], ['kiwi', 1], ['date', 9], ['lime', 2], ['plum', 8], ['banana', 5]];
    const f = new Flow('top');
    const src = f.slices(counts, 3);
    const out = await runAll(f, {
      byCount: src.top(3, { by: 2 }),
      byCountDesc: src.top(3, { by: [[2, 'desc']] }),
      smallest: src.top(3, { by: [[2, 'asc']] }),
      byWord: src.top(2),
      wordAscCountDesc: src.top(2, { by: [[1, 'asc'], 2] }),
      all: src.top(100, { by: [2] }),
      zero: src.top(0, { by: 2 }),
    }, { executors });
    expect(out.byCount).toEqual([['date', 9], ['plum', 8], ['apple', 7]]);
    expect(out.byCountDesc).toEqual([['date', 9], ['plum', 8], ['apple', 7]]);
    expect(out.smallest).toEqual([['kiwi', 1], ['lime', 2], ['pear', 3]]);
    expect(out.byWord).toEqual([['plum', 8], ['pear', 3]]);
    expect(out.wordAscCountDesc).toEqual([['apple', 7], ['banana', 5]]);
    expect(out.all).toEqual([['date', 9], ['plum', 8], ['apple', 7], ['banana', 5], ['fig', 4], ['pear', 3], ['lime', 2], ['kiwi', 1]]);
    expect(out.zero).toEqual([]);
  });

  test('top with several keys and mixed types across many partitions', async () => {
    const f = new Flow('top mixed');
    const out = await runAll(f, {
      mixed: f.parallelize(shuffled(ASCENDING), 5).top(4),
      twoKeys: f.slices([['a', 1], ['b', 1], ['c', 2], ['d', 2], ['e', 0]], 4).top(3, { by: [2, 1] }),
      twoKeysMixed: f.slices([['a', 1], ['b', 1], ['c', 2], ['d', 2], ['e', 0]], 4).top(3, { by: [[2, 'desc'], [1, 'asc']] }),
      smallestLarge: f.parallelize(shuffled(range(5000)), 7).top(3, { by: [[1, 'asc']] }),
      large: f.parallelize(shuffled(range(5000)), 7).top(5),
    }, { executors });
    expect(out.mixed.map((r) => canon(r[0]))).toEqual(ASCENDING.slice(-4).reverse().map((v) => canon(v)));
    expect(out.twoKeys).toEqual([['d', 2], ['c', 2], ['b', 1]]);
    expect(out.twoKeysMixed).toEqual([['c', 2], ['d', 2], ['a', 1]]);
    expect(out.smallestLarge).toEqual([[0], [1], [2]]);
    expect(out.large).toEqual([[4999], [4998], [4997], [4996], [4995]]);
  });
});

test.each(EXECUTORS)('takeOrdered, min and max keep their order on top of top (%i executors)', async (executors) => {
  const f = new Flow('takeOrdered');
  const src = f.slices([['pear', 3], ['apple', 7], ['fig', 4], ['kiwi', 1], ['date', 9]], 3);
  const opts = { executors };
  expect(await src.takeOrdered(2, opts)).toEqual([['apple', 7], ['date', 9]]);
  expect(await src.takeOrdered(2, { by: [2], ...opts })).toEqual([['kiwi', 1], ['pear', 3]]);
  expect(await src.takeOrdered(2, { by: [[2, 'desc']], ...opts })).toEqual([['date', 9], ['apple', 7]]);
  expect(await src.min(opts)).toEqual(['apple', 7]);
  expect(await src.max(opts)).toEqual(['pear', 3]);
  expect(await f.ints([5, -2, 11, 3], 2).min(opts)).toBe(-2);
  expect(await f.ints([5, -2, 11, 3], 2).max(opts)).toBe(11);
});

describe.each(EXECUTORS)('limit (%i executors)', (executors) => {
  test('limit(n) is global: the first n rows reading partitions in order', async () => {
    const f = new Flow('limit');
    const nums = f.parallelize(range(10), 3); // [0,1,2] [3,4,5] [6,7,8,9]
    const out = await runAll(f, {
      four: nums.limit(4),
      seven: nums.map((n: number) => [n, n * n]).limit(7),
      zero: nums.limit(0),
      all: nums.limit(100),
      // the first partition is empty after the filter: limit reads on into the next ones
      skipsEmpty: nums.filter((n: number) => n >= 4).limit(3),
      afterSort: nums.sort({ by: [[1, 'desc']], partitions: 3 }).limit(3),
      perPartitionCount: partitionsOf(nums.limit(5)),
    }, { executors });
    expect(out.four).toEqual([[0], [1], [2], [3]]);
    expect(out.seven).toEqual(range(7).map((n) => [n, n * n]));
    expect(out.zero).toEqual([]);
    expect(out.all).toEqual(range(10).map((n) => [n]));
    expect(out.skipsEmpty).toEqual([[4], [5], [6]]);
    expect(out.afterSort).toEqual([[9], [8], [7]]);
    expect(out.perPartitionCount).toEqual([[[[0], [1], [2], [3], [4]]]]); // one partition
  });
});

test.each(EXECUTORS)('sort, top and limit of an empty dataset give no rows (%i executors)', async (executors) => {
  const f = new Flow('empty ordered');
  const empty = f.ints([], 2);
  const out = await runAll(f, {
    sort: empty.sort(),
    sortParts: partitionsOf(empty.sort({ partitions: 3 })),
    sortMulti: empty.sort({ by: [[2, 'desc'], 1], partitions: 3 }),
    top: empty.top(3),
    limit: empty.limit(3),
  }, { executors });
  expect(out.sort).toEqual([]);
  expect(out.sortParts).toEqual([[[]], [[]], [[]]]);
  expect(out.sortMulti).toEqual([]);
  expect(out.top).toEqual([]);
  expect(out.limit).toEqual([]);
});

test('collect of a sort equals the JS sort of the same keys (texts of mixed rows)', async () => {
  const rows = shuffled(ASCENDING).map((v, i) => [i % 3, v]);
  const got = await new Flow('two keys mixed').slices(rows, 3).sort({ by: [1, [2, 'desc']], partitions: 3 }).collect({ executors: 2 });
  const expected: unknown[][] = [];
  for (const k of [0, 1, 2]) {
    const inK = rows.filter((r) => r[0] === k).map((r) => ASCENDING.findIndex((v) => canon(v) === canon(r[1])));
    for (const idx of inK.sort((a, b) => b - a)) expected.push([k, ASCENDING[idx]]);
  }
  expect(texts(got)).toEqual(texts(expected));
});
