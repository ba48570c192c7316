// Actions run at once and resolve to a value: collect, count, first, take, reduce (and the
// operator form reduceRows), countByKey, countByValue, forEach.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { Flow, PlannerModeError } from '@gleam/flow-dsl';
import { canon, EXECUTORS, partitionsOf, range, runAll, sorted, tempDir } from './helpers';

jest.setTimeout(30000);

/** Map entries sorted by key text (a Map's iteration order follows the shuffle). */
function entries(m: Map<unknown, number>): [unknown, number][] {
  return [...m].sort((a, b) => (canon(a[0]) < canon(b[0]) ? -1 : 1));
}

describe.each(EXECUTORS)('actions (%i executors)', (executors) => {
  const opts = { executors };

  test('collect resolves to the rows as arrays, reading partitions in order', async () => {
    const f = new Flow('collect');
    expect(await f.parallelize(range(7), 3).map((n: number) => [n, `${n}`]).collect(opts)).toEqual(range(7).map((n) => [n, `${n}`]));
    expect(await f.parallelize<number>([], 3).collect(opts)).toEqual([]);
  });

  test('count counts rows, 0 for an empty dataset', async () => {
    const f = new Flow('count');
    expect(await f.parallelize(range(1001), 4).count(opts)).toBe(1001);
    expect(await f.strings(['a b', 'c']).flatMap((l: string) => l.split(' ')).count(opts)).toBe(3);
    expect(await f.ints([1, 2, 3]).filter(() => false).count(opts)).toBe(0);
  });

  test('first() is the first row (an array) of the first non-empty partition; take(n) the first n rows', async () => {
    const f = new Flow('first/take');
    // partitions [] [1] [] [2]
    const sparse = f.parallelize([1, 2], 4);
    expect(await sparse.first(opts)).toEqual([1]);
    expect(await f.slices([['k', 1], ['j', 2]], 2).first(opts)).toEqual(['k', 1]);
    const nums = f.parallelize(range(10), 3); // [0,1,2] [3,4,5] [6,7,8,9]
    expect(await nums.take(5, opts)).toEqual([[0], [1], [2], [3], [4]]);
    expect(await nums.take(0, opts)).toEqual([]);
    expect(await nums.take(50, opts)).toEqual(range(10).map((n) => [n]));
    expect(await sparse.take(2, opts)).toEqual([[1], [2]]);
  });

  test('first() and reduce() on an empty dataset reject with an error saying the dataset is empty', async () => {
    const f = new Flow('empty');
    await expect(f.ints([]).first(opts)).rejects.toThrow(/dataset is empty/);
    await expect(f.ints([1, 2]).filter(() => false).first(opts)).rejects.toThrow(/dataset is empty/);
    await expect(f.ints([]).reduce((a: number, b: number) => a + b, opts)).rejects.toThrow(/dataset is empty/);
    expect(await f.ints([]).take(3, opts)).toEqual([]);
  });

  test('reduce(fn) resolves to the reduced value: a row\'s value is its single field, or the array of its fields', async () => {
    const f = new Flow('reduce');
    expect(await f.parallelize(range(101), 4).reduce((a: number, b: number) => a + b, opts)).toBe(5050);
    expect(await f.slices([[1, 10], [2, 20], [3, 30]], 2).reduce((a: number[], b: number[]) => [a[0] + b[0], Math.max(a[1], b[1])], opts)).toEqual([6, 30]);
    // a single row is its own reduction
    expect(await f.ints([42]).reduce((a: number, b: number) => a + b, opts)).toBe(42);
    expect(await f.slices([['only', 1]]).reduce((a: unknown, b: unknown) => [a, b], opts)).toEqual(['only', 1]);
    // a one-field row whose field is an array: the value is that array
    expect(await f.slices([[[1, 2]], [[3]], [[4, 5]]], 2).reduce((a: number[], b: number[]) => [...a, ...b].sort(), opts)).toEqual([1, 2, 3, 4, 5]);
    // params, as for every UDF
    expect(await f.ints([3, 9, 4]).reduce((a: number, b: number) => Math.max(a, b, params.floor), { ...opts, params: { floor: 5 } })).toBe(9);
  });

  test('reduceRows is the operator form: a dataset of one row (none when empty)', async () => {
    const f = new Flow('reduceRows');
    expect(await f.parallelize(range(10), 3).reduceRows((a: number, b: number) => a + b).collect(opts)).toEqual([[45]]);
    expect(await f.slices([['a', 1], ['b', 2]], 2).reduceRows((x: [string, number], y: [string, number]) => [x[0] + y[0], x[1] + y[1]]).map((s: any, n: any) => [s.split('').sort().join(''), n]).collect(opts)).toEqual([['ab', 3]]);
    expect(await f.ints([]).reduceRows((a: number, b: number) => a + b).collect(opts)).toEqual([]);
  });

  test('countByKey and countByValue resolve to Maps; a one-field row counts as its field', async () => {
    const f = new Flow('counts');
    // 1 and 1n are one key (which of the two the Map holds is not defined); '1' is another
    const pairs = f.slices<unknown[]>([['a', 1], ['b', 2], ['a', 3], [1, 0], ['1', 0], [1n, 5], [null, 0]], 3);
    const typed = entries(await pairs.countByKey(opts)).map(([k, n]) => [typeof k === 'bigint' ? Number(k) : k, n]);
    expect(typed).toEqual(entries(new Map<unknown, number>([['a', 2], ['b', 1], [1, 2], ['1', 1], [null, 1]])));
    const words = f.strings(['x', 'y', 'x', 'z', 'x']);
    const byKey = await words.countByKey(opts);
    expect(byKey).toBeInstanceOf(Map);
    expect(byKey.get('x')).toBe(3);
    expect(entries(byKey)).toEqual([['x', 3], ['y', 1], ['z', 1]]);
    const byValue = await words.countByValue(opts);
    expect(byValue).toBeInstanceOf(Map);
    expect(entries(byValue)).toEqual([['x', 3], ['y', 1], ['z', 1]]);
    // several fields: the value is the row
    const rows = await f.slices([['a', 1], ['a', 1], ['a', 2]], 2).countByValue(opts);
    expect(entries(rows)).toEqual([[['a', 1], 2], [['a', 2], 1]]);
    expect(await f.ints([]).countByKey(opts)).toEqual(new Map());
    expect(await f.ints([]).countByValue(opts)).toEqual(new Map());
  });

  test('forEach calls fn in the driver with the row\'s fields as arguments, in partition order', async () => {
    const f = new Flow('forEach');
    const seen: unknown[][] = [];
    const tag = 'seen:'; // forEach runs in the driver, so it may use the driver's variables
    const done = await f.slices<[string, number, boolean | null]>([['a', 1, true], ['b', 2, false], ['c', 3, null]], 3).forEach((s: string, n: number, b: boolean | null) => {
      seen.push([tag + s, n, b]);
    }, opts);
    expect(done).toBeUndefined();
    expect(seen).toEqual([['seen:a', 1, true], ['seen:b', 2, false], ['seen:c', 3, null]]);

    // an async callback is awaited row by row
    const order: number[] = [];
    await f.parallelize(range(5), 2).forEach(async (n: number) => {
      await new Promise((r) => setTimeout(r, 5 - n));
      order.push(n);
    }, opts);
    expect(order).toEqual(range(5));
  });

  test('forEach after a shuffle sees every row once', async () => {
    const f = new Flow('forEach shuffle');
    const seen: unknown[][] = [];
    await f.strings(['a', 'b', 'a', 'c']).map((w: string) => [w, 1] as [string, number]).reduceBy((a: number, b: number) => a + b).forEach((w: string, n: number) => {
      seen.push([w, n]);
    }, opts);
    expect(sorted(seen)).toEqual([['a', 2], ['b', 1], ['c', 1]]);
  });
});

test('a throwing forEach callback rejects the action with its message', async () => {
  const run = new Flow('forEach throws').ints([1, 2]).forEach((n: number) => {
    if (n === 2) throw new Error('two is too many');
  }, { executors: 1 });
  await expect(run).rejects.toThrow(/two is too many/);
});

test('actions of one Flow can run one after another, each a separate run', async () => {
  const f = new Flow('reuse');
  const words = f.strings(['b', 'a', 'b']).map((w: string) => [w, 1]).reduceBy((a: number, b: number) => a + b);
  expect(sorted(await words.collect({ executors: 2 }))).toEqual([['a', 1], ['b', 2]]);
  expect(await words.count({ executors: 2 })).toBe(2);
  expect(await words.sort({ by: [[2, 'desc']] }).first({ executors: 2 })).toEqual(['b', 2]);
});

test('run option plan: true prints the plan and runs nothing; the action rejects saying so', async () => {
  let text = '';
  const planOutput = new Writable({
    write(c, _e, cb) {
      text += c.toString();
      cb();
    },
  });
  const collecting = new Flow('planned').strings(['a']).map((w: string) => [w, 1]).reduceBy((a: number, b: number) => a + b)
    .collect({ plan: true, planOutput, executors: 2 });
  await expect(collecting).rejects.toThrow('planner mode: collect() printed its plan and ran nothing');
  await expect(collecting).rejects.toBeInstanceOf(PlannerModeError);
  expect(text).toMatch(/^flow: planned\n=== task execution groups ===/);
  expect(text).toMatch(/step: LocalReduceBy/);
});

// API.md "Semantics pinned down", one test per bullet (2 executors).
describe('API.md "Semantics pinned down", bullet by bullet', () => {
  const opts = { executors: 2 };

  test('parallelize slices like Spark; narrow steps keep order; collect/take/first read partitions in order', async () => {
    const f = new Flow('bullet 1');
    const src = f.parallelize(range(7), 3); // [0,1] [2,3] [4,5,6]
    const out = await runAll(f, { parts: partitionsOf(src), mapped: src.map((n: number) => n * 10) }, opts);
    expect(out.parts).toEqual([[[[0], [1]]], [[[2], [3]]], [[[4], [5], [6]]]]);
    expect(out.mapped).toEqual(range(7).map((n) => [n * 10]));
    expect(await src.take(3, opts)).toEqual([[0], [1], [2]]);
    expect(await src.filter((n: number) => n > 2).first(opts)).toEqual([3]);
    // after a sort with more partitions than rows, first is still the smallest row
    expect(await f.ints([3, 1, 2]).sort({ partitions: 10 }).first(opts)).toEqual([1]);
  });

  test('first() returns the first row (an array); take(n) rows; first() and reduce() on empty data reject "dataset is empty"', async () => {
    const f = new Flow('bullet 2');
    expect(await f.strings(['x', 'y']).first(opts)).toEqual(['x']);
    expect(await f.strings(['x', 'y']).take(1, opts)).toEqual([['x']]);
    await expect(f.strings([]).first(opts)).rejects.toThrow(/empty/);
    await expect(f.strings([]).reduce((a: string, b: string) => a + b, opts)).rejects.toThrow(/empty/);
  });

  test('reduce(fn) resolves to the value: a single field, or the array of the fields', async () => {
    const f = new Flow('bullet 3');
    expect(await f.ints([1, 2, 3]).reduce((a: number, b: number) => a * b, opts)).toBe(6);
    expect(await f.slices([[1, 'a'], [2, 'b']]).reduce((a: [number, string], b: [number, string]) => [a[0] + b[0], [a[1], b[1]].sort().join('')], opts)).toEqual([3, 'ab']);
  });

  test('countByKey() and countByValue() resolve to a Map; a one-field row counts as its field', async () => {
    const f = new Flow('bullet 4');
    expect(await f.strings(['a', 'b', 'a']).countByKey(opts)).toEqual(new Map([['a', 2], ['b', 1]]));
    expect(await f.ints([7, 7, 8]).countByValue(opts)).toEqual(new Map([[7, 2], [8, 1]]));
  });

  test('top(n, { by }) returns the n largest rows, largest first; sort and top accept [field, dir] pairs or plain numbers', async () => {
    const f = new Flow('bullet 5');
    const src = f.slices([['a', 2], ['b', 9], ['c', 5]], 2);
    const out = await runAll(f, {
      top: src.top(2, { by: [2] }),
      topPair: src.top(2, { by: [[2, 'desc']] }),
      topAsc: src.top(2, { by: [[2, 'asc']] }),
      sortPlain: src.sort({ by: [2] }),
      sortPair: src.sort({ by: [[2, 'desc']] }),
    }, opts);
    expect(out.top).toEqual([['b', 9], ['c', 5]]);
    expect(out.topPair).toEqual([['b', 9], ['c', 5]]);
    expect(out.topAsc).toEqual([['a', 2], ['c', 5]]);
    expect(out.sortPlain).toEqual([['a', 2], ['c', 5], ['b', 9]]);
    expect(out.sortPair).toEqual([['b', 9], ['c', 5], ['a', 2]]);
  });

  test('{ partitions: n } is accepted by every wide operator; sortByKey() sorts on field 1; distinct() compares whole rows', async () => {
    const f = new Flow('bullet 6');
    const src = f.slices([['b', 1], ['a', 2], ['b', 1], ['a', 3]], 2);
    const count = (ds: any) => ds.mapPartitions((rows: Iterable<unknown>) => [Array.from(rows).length]);
    const out = await runAll(f, {
      reduceBy: count(src.reduceBy((a: number, b: number) => a + b, { partitions: 3 })),
      groupBy: count(src.groupBy({ partitions: 4 })),
      distinct: count(src.distinct({ partitions: 5 })),
      sort: count(src.sort({ partitions: 6 })),
      partition: count(src.partition(7)),
      sortByKey: src.sortByKey(),
      distinctRows: src.distinct(),
    }, opts);
    expect(out.reduceBy).toHaveLength(3);
    expect(out.groupBy).toHaveLength(4);
    expect(out.distinct).toHaveLength(5);
    expect(out.sort).toHaveLength(6);
    expect(out.partition).toHaveLength(7);
    expect(out.sortByKey.map((r) => r[0])).toEqual(['a', 'a', 'b', 'b']);
    expect(sorted(out.distinctRows)).toEqual([['a', 2], ['a', 3], ['b', 1]]);
  });

  test('mapPartitions(fn) calls fn once per partition, empty ones too, and returns an iterable of rows/values', async () => {
    const rows = await new Flow('bullet 7').ints([5], 3).mapPartitions((it: Iterable<[number]>) => {
      const all = Array.from(it);
      return all.length ? [['rows', all.length], 'value'] : ['empty'];
    }).collect(opts);
    expect(rows).toEqual([['empty'], ['empty'], ['rows', 1], ['value']]);
  });

  test('textFile: a final newline adds no empty line; pipe: each output line is a row (empty = [\'\']), split on tabs', async () => {
    const { dir, cleanup } = tempDir('bullet8');
    try {
      fs.writeFileSync(path.join(dir, 'f.txt'), 'a\tb\n\nc\n');
      const f = new Flow('bullet 8');
      const out = await runAll(f, { text: f.textFile(path.join(dir, 'f.txt')), piped: f.textFile(path.join(dir, 'f.txt')).pipe('cat') }, opts);
      expect(out.text).toEqual([['a\tb'], [''], ['c']]);
      expect(out.piped).toEqual([['a', 'b'], [''], ['c']]);
    } finally {
      cleanup();
    }
  });

  test('saveAsTextFile: tab-separated lines, one part-NNNNN per partition, _SUCCESS last; . and _ files are not data', async () => {
    const { dir, cleanup } = tempDir('bullet9');
    try {
      const out = path.join(dir, 'out');
      await new Flow('bullet 9').slices([['k', 1], ['j', 2]], 2).saveAsTextFile(out).run(opts);
      expect(fs.readdirSync(out).sort()).toEqual(['_SUCCESS', 'part-00000', 'part-00001']);
      expect(fs.readFileSync(path.join(out, 'part-00000'), 'utf8')).toBe('k\t1\n');
      expect(fs.statSync(path.join(out, '_SUCCESS')).mtimeMs).toBeGreaterThanOrEqual(fs.statSync(path.join(out, 'part-00001')).mtimeMs);
      fs.writeFileSync(path.join(out, '.crc'), 'not data\n');
      expect(await new Flow('read').textFile(out).collect(opts)).toEqual([['k\t1'], ['j\t2']]);
    } finally {
      cleanup();
    }
  });

  test('keys compare by the total typed order: 1 and "1" are different keys', async () => {
    const rows = await new Flow('bullet 10').parallelize<unknown>([1, '1', 1]).map((k: unknown) => [k, 1]).reduceBy((a: number, b: number) => a + b).collect(opts);
    expect(sorted(rows)).toEqual(sorted([[1, 2], ['1', 1]]));
  });

  test('UDFs see JavaScript built-ins, params and require; nothing of the driver\'s scope', async () => {
    const local = 1;
    const f = new Flow('bullet 11');
    expect(await f.strings(['a/b']).map((p: string) => [JSON.stringify([p]), params.x, require('node:path').basename(p)], { params: { x: 2 } }).collect(opts))
      .toEqual([['["a/b"]', 2, 'b']]);
    await expect(f.strings(['a']).map(() => local).collect(opts)).rejects.toThrow(/local/);
  });
});

declare const params: any;
