// Narrow operators: map, flatMap, filter, select, mapPartitions, localLimit, and UDFs.
// Narrow steps keep row order within a partition, and collect reads partitions in order,
// so their results are pinned in exact order.
import { Flow } from '@gleam/flow-dsl';
import { EXECUTORS, partitionsOf, range, runAll } from './helpers';

jest.setTimeout(30000);

describe.each(EXECUTORS)('narrow operators keep order (%i executors)', (executors) => {
  test('map returns a row, a single value (one-field row) or undefined (drops the row)', async () => {
    const f = new Flow('map');
    const nums = f.parallelize(range(10, 1), 3);
    const out = await runAll(f, {
      row: nums.map((n: number) => [n, n * n]),
      value: nums.map((n: number) => `#${n}`),
      dropOdd: nums.map((n: number) => (n % 2 === 0 ? n : undefined)),
      nullIsAValue: nums.map((n: number) => (n < 3 ? null : undefined)),
      chained: nums.map((n: number) => [n, n % 3]).map((n: number, m: number) => [m, n]).map((m: number, n: number) => m * 100 + n),
    }, { executors });
    expect(out.row).toEqual(range(10, 1).map((n) => [n, n * n]));
    expect(out.value).toEqual(range(10, 1).map((n) => [`#${n}`]));
    expect(out.dropOdd).toEqual([[2], [4], [6], [8], [10]]);
    expect(out.nullIsAValue).toEqual([[null], [null]]);
    expect(out.chained).toEqual(range(10, 1).map((n) => [(n % 3) * 100 + n]));
  });

  test('flatMap returns an iterable of rows or values (array, Set, generator); null/undefined emit nothing', async () => {
    const f = new Flow('flatMap');
    const lines = f.strings(['a b', '', 'c a b', 'd'], 2);
    const out = await runAll(f, {
      words: lines.flatMap((l: string) => l.split(' ').filter(Boolean)),
      pairs: lines.flatMap((l: string) => l.split(' ').filter(Boolean).map((w, i) => [w, i])),
      set: lines.flatMap((l: string) => new Set(l.split(''))),
      generator: lines.flatMap(function* (l: string) {
        for (let i = 0; i < l.length; i += 2) yield [i, l[i]];
      }),
      nothing: lines.flatMap((l: string) => (l === 'd' ? ['D'] : l === '' ? null : undefined)),
    }, { executors });
    expect(out.words).toEqual([['a'], ['b'], ['c'], ['a'], ['b'], ['d']]);
    expect(out.pairs).toEqual([['a', 0], ['b', 1], ['c', 0], ['a', 1], ['b', 2], ['d', 0]]);
    expect(out.set).toEqual([['a'], [' '], ['b'], ['c'], [' '], ['a'], ['b'], ['d']]);
    expect(out.generator).toEqual([[0, 'a'], [2, 'b'], [0, 'c'], [2, 'a'], [4, 'b'], [0, 'd']]);
    expect(out.nothing).toEqual([['D']]);
  });

  test('filter keeps rows whose UDF returns a truthy value', async () => {
    const f = new Flow('filter');
    const rows = f.slices<[string, unknown]>([['a', 0], ['b', 1], ['c', ''], ['d', 'x'], ['e', null], ['f', []], ['g', NaN]], 3);
    const out = await runAll(f, {
      truthy: rows.filter((_k: unknown, v: unknown) => v),
      multiple: rows.filter((k: string) => k > 'b').filter((k: string) => k < 'f'),
    }, { executors });
    expect(out.truthy).toEqual([['b', 1], ['d', 'x'], ['f', []]]);
    expect(out.multiple).toEqual([['c', ''], ['d', 'x'], ['e', null]]);
  });

  test('select(...fields) projects and reorders 1-based fields; a field past the row end is null', async () => {
    const f = new Flow('select');
    const rows = f.slices([['a', 1, true], ['b', 2, false], ['c', 3]], 2);
    const out = await runAll(f, {
      swap: rows.select(2, 1),
      repeat: rows.select(1, 1, 3),
      third: rows.select(3),
    }, { executors });
    expect(out.swap).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    expect(out.repeat).toEqual([['a', 'a', true], ['b', 'b', false], ['c', 'c', null]]);
    expect(out.third).toEqual([[true], [false], [null]]);
  });

  test('localLimit(n) keeps the first n rows of every partition', async () => {
    const f = new Flow('localLimit');
    const nums = f.parallelize(range(10), 3); // [0,1,2] [3,4,5] [6,7,8,9]
    const out = await runAll(f, {
      two: nums.localLimit(2),
      zero: nums.localLimit(0),
      large: nums.localLimit(100),
      perPartition: partitionsOf(nums.localLimit(1)),
    }, { executors });
    expect(out.two).toEqual([[0], [1], [3], [4], [6], [7]]);
    expect(out.zero).toEqual([]);
    expect(out.large).toEqual(range(10).map((n) => [n]));
    expect(out.perPartition).toEqual([[[[0]]], [[[3]]], [[[6]]]]);
  });

  test('a long narrow chain over many partitions keeps the source order', async () => {
    const rows = await new Flow('chain')
      .parallelize(range(1000), 7)
      .map((n: number) => [n, n % 10])
      .filter((_n: number, d: number) => d !== 3)
      .flatMap((n: number, d: number) => (d === 0 ? [[n, 'a'], [n, 'b']] : [[n, d]]))
      .select(2, 1)
      .map((x: unknown, n: unknown) => `${n}:${x}`)
      .collect({ executors });
    const expected: string[][] = [];
    for (const n of range(1000)) {
      const d = n % 10;
      if (d === 3) continue;
      if (d === 0) expected.push([`${n}:a`], [`${n}:b`]);
      else expected.push([`${n}:${d}`]);
    }
    expect(rows).toEqual(expected);
  });
});

describe('mapPartitions', () => {
  test.each(EXECUTORS)('calls fn once per partition, empty partitions too, with that partition\'s rows in order (%i executors)', async (executors) => {
    const f = new Flow('mapPartitions');
    const out = await runAll(f, {
      // partitions [] [1] [] [2]
      counts: f.parallelize([1, 2], 4).mapPartitions((rows: Iterable<[number]>) => {
        const all = Array.from(rows, (r) => r[0]);
        return [[all.length, all.join(',')]];
      }),
      // after a shuffle into 5 partitions, 4 of them are empty
      afterShuffle: f.strings(['only']).partition(5).mapPartitions((rows: Iterable<[string]>) => [Array.from(rows).length]),
      // returns values, rows, or a generator
      generator: f.parallelize(range(6), 2).mapPartitions(function* (rows: Iterable<[number]>) {
        let sum = 0;
        for (const [n] of rows) {
          sum += n;
          yield n * 10;
        }
        yield ['sum', sum];
      }),
      nothing: f.ints([1, 2, 3], 2).mapPartitions(() => []),
    }, { executors });
    expect(out.counts).toEqual([[0, ''], [1, '1'], [0, ''], [1, '2']]);
    expect(out.afterShuffle).toHaveLength(5);
    expect(out.afterShuffle.map((r) => r[0]).sort()).toEqual([0, 0, 0, 0, 1]);
    expect(out.generator).toEqual([[0], [10], [20], ['sum', 3], [30], [40], [50], ['sum', 12]]);
    expect(out.nothing).toEqual([]);
  });

  test('the rows iterable is one-shot: iterating it twice fails the run', async () => {
    const ds = new Flow('one-shot').ints([1, 2]).mapPartitions((rows: Iterable<unknown>) => [...Array.from(rows), ...Array.from(rows)]);
    await expect(ds.collect({ executors: 1 })).rejects.toThrow(/once/);
  });
});

describe('UDFs', () => {
  test('a UDF receives the row\'s fields as arguments, any number of them', async () => {
    const f = new Flow('arguments');
    const rows = f.slices([[1, 2, 3, 4, 5, 6], [7]]);
    const out = await runAll(f, {
      spread: rows.map((...fields: number[]) => [fields.length, fields.reduce((a, b) => a + b, 0)]),
      named: rows.map((a: number, b: number, c: number, d: number, e: number, g: number) => [a, b ?? null, g ?? null]),
      argumentsObject: rows.map(function () {
        // eslint-disable-next-line prefer-rest-params
        return arguments.length;
      }),
    }, { executors: 2 });
    expect(out.spread).toEqual([[6, 21], [1, 7]]);
    expect(out.named).toEqual([[1, 2, 6], [7, null, null]]);
    expect(out.argumentsObject).toEqual([[6], [1]]);
  });

  test('UDFs may be given as source strings (arrow, function, method shorthand)', async () => {
    const f = new Flow('sources');
    const words = f.strings(['a', 'bb', 'ccc']);
    const out = await runAll(f, {
      arrow: words.map('(w) => [w, w.length]'),
      fn: words.filter('function (w) { return w.length !== 2; }'),
      flat: words.flatMap('w => w.split("")'),
      method: words.map('upper(w) { return w.toUpperCase(); }'),
      partitions: words.mapPartitions('function* (rows) { for (const [w] of rows) yield w + "!"; }'),
    }, { executors: 2 });
    expect(out.arrow).toEqual([['a', 1], ['bb', 2], ['ccc', 3]]);
    expect(out.fn).toEqual([['a'], ['ccc']]);
    expect(out.flat).toEqual([['a'], ['b'], ['b'], ['c'], ['c'], ['c']]);
    expect(out.method).toEqual([['A'], ['BB'], ['CCC']]);
    expect(out.partitions).toEqual([['a!'], ['bb!'], ['ccc!']]);
  });

  test('values reach a UDF through { params } (visible as `params`), and require() of Node built-ins works', async () => {
    const f = new Flow('params');
    const files = f.strings(['/a/b/c.txt', 'rel/d.json']);
    const out = await runAll(f, {
      params: files.map((p: string) => [p, params.suffix, params.n * 2], { params: { suffix: '!', n: 21 } }),
      filterParams: files.filter((p: string) => p.endsWith(params.ext), { params: { ext: '.json' } }),
      require: files.map((p: string) => {
        const path = require('node:path');
        return [path.basename(p), path.extname(p), require('node:crypto').createHash('sha1').update(p).digest('hex').length];
      }),
      flatMapParams: files.flatMap((p: string) => p.split(params.sep), { params: { sep: '/' } }),
    }, { executors: 2 });
    expect(out.params).toEqual([['/a/b/c.txt', '!', 42], ['rel/d.json', '!', 42]]);
    expect(out.filterParams).toEqual([['rel/d.json']]);
    expect(out.require).toEqual([['c.txt', '.txt', 40], ['d.json', '.json', 40]]);
    expect(out.flatMapParams).toEqual([[''], ['a'], ['b'], ['c.txt'], ['rel'], ['d.json']]);
  });

  test('a UDF cannot see the driver\'s variables: the run rejects with a message pointing to params', async () => {
    const factor = 3;
    const ds = new Flow('closure').ints([1, 2]).map((n: number) => n * factor);
    await expect(ds.collect({ executors: 1 })).rejects.toThrow(/factor.*params/s);
  });

  test('a UDF that throws fails the run with the step name and the row', async () => {
    const ds = new Flow('throws').strings(['ok', 'bad']).map((w: string) => {
      if (w === 'bad') throw new Error('no bad words');
      return w;
    });
    await expect(ds.collect({ executors: 1 })).rejects.toThrow(/map#2.*no bad words.*"bad"/s);
  });

  test('select with field 0 is rejected at once: fields are 1-based', () => {
    expect(() => new Flow('select0').ints([1]).select(0)).toThrow(/1-based/);
  });
});

test.each(EXECUTORS)('every narrow operator on an empty dataset gives no rows; mapPartitions still runs per partition (%i executors)', async (executors) => {
  const f = new Flow('empty narrow');
  const empty = f.strings([], 2);
  const out = await runAll(f, {
    map: empty.map((w: string) => [w, 1]),
    flatMap: empty.flatMap((w: string) => [w, w]),
    filter: empty.filter(() => true),
    select: empty.select(1, 1),
    localLimit: empty.localLimit(5),
    pipe: empty.pipe('cat'),
    pipeAsArgs: empty.pipeAsArgs('echo $1'),
    mapPartitions: empty.mapPartitions((rows: Iterable<unknown>) => [Array.from(rows).length]),
    emptiedByFilter: f.ints([1, 2, 3]).filter(() => false).map((n: number) => n),
  }, { executors });
  expect(out).toEqual({
    map: [], flatMap: [], filter: [], select: [], localLimit: [], pipe: [], pipeAsArgs: [],
    mapPartitions: [[0], [0]],
    emptiedByFilter: [],
  });
});

declare const params: any;
