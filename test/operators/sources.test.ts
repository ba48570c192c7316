// Sources: driver memory (strings, ints, parallelize, slices, source) and text files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';
import { EXECUTORS, partitionsOf, range, runAll, tempDir } from './helpers';

jest.setTimeout(30000);

describe('driver-memory sources', () => {
  test('parallelize(values, n) slices like Spark: n contiguous chunks in order, sizes differing by at most one', async () => {
    const f = new Flow('slicing');
    const letters = ['a', 'b', 'c', 'd', 'e'];
    const out = await runAll(f, {
      two: partitionsOf(f.parallelize(letters, 2)),
      three: partitionsOf(f.parallelize(letters, 3)),
      seven: partitionsOf(f.parallelize(range(7), 7)),
      moreThanValues: partitionsOf(f.parallelize([1, 2], 4)),
    }, { executors: 2 });
    // Spark: slice i = [floor(i*len/n), floor((i+1)*len/n))
    expect(out.two).toEqual([[[['a'], ['b']]], [[['c'], ['d'], ['e']]]]);
    expect(out.three).toEqual([[[['a']]], [[['b'], ['c']]], [[['d'], ['e']]]]);
    expect(out.seven).toEqual(range(7).map((i) => [[[i]]]));
    expect(out.moreThanValues).toEqual([[[]], [[[1]]], [[]], [[[2]]]]);
  });

  test.each(EXECUTORS)('without n, driver sources get one partition per executor (%i executors), or the partitions run option', async (executors) => {
    const f = new Flow('default partitions');
    const out = await runAll(f, {
      byExecutors: partitionsOf(f.ints(range(6))),
      byOption: partitionsOf(f.strings(['x', 'y'])),
    }, { executors });
    expect(out.byExecutors).toHaveLength(executors);
    expect(out.byExecutors.flatMap((r) => r[0] as unknown[])).toEqual(range(6).map((i) => [i]));

    const g = new Flow('partitions option');
    const rows = await partitionsOf(g.ints(range(6))).collect({ executors, partitions: 4 });
    expect(rows).toEqual([[[[0]]], [[[1], [2]]], [[[3]]], [[[4], [5]]]]);
  });

  test('strings and ints give one-field rows; parallelize takes values (one-field rows) and arrays (rows); slices takes rows', async () => {
    const f = new Flow('shapes');
    const out = await runAll(f, {
      strings: f.strings(['a', '', 'ü€😀']),
      ints: f.ints([3, -1, 0]),
      values: f.parallelize<unknown>(['x', 1, null, true, ['r', 2], { o: 1 }], 2),
      slices: f.slices([['a', 1], ['b', 2, 3], []], 2),
    }, { executors: 2 });
    expect(out.strings).toEqual([['a'], [''], ['ü€😀']]);
    expect(out.ints).toEqual([[3], [-1], [0]]);
    expect(out.values).toEqual([['x'], [1], [null], [true], ['r', 2], [{ o: 1 }]]);
    expect(out.slices).toEqual([['a', 1], ['b', 2, 3], []]);
  });

  test('every field type of the data model round-trips: string, number, boolean, null, bigint, bytes, arrays, objects', async () => {
    const row = ['s', 1.5, -0.25, 2 ** 53, false, null, 12n, 2n ** 70n, new Uint8Array([0, 255, 7]), [1, ['x']], { a: { b: [true] } }];
    const [got] = await new Flow('types').slices([row]).map((...fields: unknown[]) => fields).collect({ executors: 1 });
    expect(got).toHaveLength(row.length);
    expect(got.slice(0, 8)).toEqual(row.slice(0, 8));
    expect(typeof got[6]).toBe('bigint');
    expect(typeof got[7]).toBe('bigint');
    expect(got[8]).toBeInstanceOf(Uint8Array);
    expect(Array.from(got[8] as Uint8Array)).toEqual([0, 255, 7]);
    expect(got.slice(9)).toEqual([[1, ['x']], { a: { b: [true] } }]);
  });

  test('source(fn) pulls a driver-side (async) generator of values or rows into one partition', async () => {
    const f = new Flow('generators');
    const out = await runAll(f, {
      asyncGen: partitionsOf(f.source(async function* () {
        for (let i = 0; i < 3; i++) yield [`k${i}`, i];
        yield 'value';
      })),
      syncIterable: f.source(() => new Set([1, 2, 3])),
      empty: f.source(async function* () {}),
    }, { executors: 3 });
    expect(out.asyncGen).toEqual([[[['k0', 0], ['k1', 1], ['k2', 2], ['value']]]]);
    expect(out.syncIterable).toEqual([[1], [2], [3]]);
    expect(out.empty).toEqual([]);
  });

  test('source(fn) may capture driver variables (it runs in the driver)', async () => {
    const prefix = 'id-';
    const rows = await new Flow('closure').source(function* () {
      for (const n of [1, 2]) yield prefix + n;
    }).collect({ executors: 1 });
    expect(rows).toEqual([['id-1'], ['id-2']]);
  });

  test('empty driver sources have their partitions but no rows', async () => {
    const f = new Flow('empty');
    const out = await runAll(f, { ints: partitionsOf(f.ints([], 3)), strings: f.strings([]), slices: f.slices([]) }, { executors: 2 });
    expect(out.ints).toEqual([[[]], [[]], [[]]]);
    expect(out.strings).toEqual([]);
    expect(out.slices).toEqual([]);
  });
});

describe('textFile', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir('text')));
  afterAll(() => cleanup());

  const write = (name: string, text: string | Buffer) => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };

  test('one row per line: CRLF is a line end, a final newline adds no empty line, empty lines stay', async () => {
    const f = new Flow('lines');
    const out = await runAll(f, {
      crlf: f.textFile(write('crlf.txt', 'a\r\nb b\r\n\r\nc\r\n')),
      noFinalNewline: f.textFile(write('nofinal.txt', 'x\ny')),
      finalNewline: f.textFile(write('final.txt', 'x\ny\n')),
      emptyLines: f.textFile(write('empty-lines.txt', '\n\nmid\n\n')),
      onlyNewline: f.textFile(write('only-newline.txt', '\n')),
      emptyFile: f.textFile(write('empty.txt', '')),
      loneCr: f.textFile(write('lone-cr.txt', 'p\rq\n')),
      tabs: f.textFile(write('tabs.txt', 'a\tb\n')),
    }, { executors: 2 });
    expect(out.crlf).toEqual([['a'], ['b b'], [''], ['c']]);
    expect(out.noFinalNewline).toEqual([['x'], ['y']]);
    expect(out.finalNewline).toEqual([['x'], ['y']]);
    expect(out.emptyLines).toEqual([[''], [''], ['mid'], ['']]);
    expect(out.onlyNewline).toEqual([['']]);
    expect(out.emptyFile).toEqual([]);
    expect(out.loneCr).toEqual([['p\rq']]);
    expect(out.tabs).toEqual([['a\tb']]); // textFile does not split fields
  });

  test.each(EXECUTORS)('splits at line boundaries: multi-byte UTF-8 near every split edge, partitions: 7, %i executors', async (executors) => {
    // Lines of 1..4-byte characters, CRLF and LF ends, empty lines, no final newline: with 7
    // byte-range splits the edges fall inside characters, inside CRLF pairs and on newlines.
    const pieces = ['é', '€', '😀', 'a', 'ß中', '', '𝄞x', '\u00a0'];
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(pieces[i % pieces.length].repeat(1 + (i % 5)) + (i % 7 === 0 ? '' : String(i)));
    const text = lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('').replace(/\r?\n$/, '');
    const file = write(`utf8-${executors}.txt`, text);

    const f = new Flow('utf8 splits');
    const out = await runAll(f, {
      lines: f.textFile(file, { partitions: 7 }),
      perSplit: partitionsOf(f.textFile(file, { partitions: 7 })),
      oneSplit: f.textFile(file, { partitions: 1 }),
      manySplits: f.textFile(file, { partitions: 250 }),
    }, { executors });
    expect(out.lines).toEqual(lines.map((l) => [l]));
    expect(out.oneSplit).toEqual(lines.map((l) => [l]));
    expect(out.manySplits).toEqual(lines.map((l) => [l]));
    // 7 splits, each holding whole lines, concatenating to the file in order
    expect(out.perSplit).toHaveLength(7);
    expect(out.perSplit.flatMap((r) => r[0] as unknown[])).toEqual(lines.map((l) => [l]));
  });

  test('more splits than lines: every line is read exactly once', async () => {
    const file = write('short.txt', 'one\ntwo\nthree\n');
    const f = new Flow('short');
    const out = await runAll(f, { lines: f.textFile(file, { partitions: 7 }), count: partitionsOf(f.textFile(file, { partitions: 7 })) }, { executors: 3 });
    expect(out.lines).toEqual([['one'], ['two'], ['three']]);
    expect(out.count).toHaveLength(7);
  });

  test('a glob reads every matching file (sorted by path), a directory its data files (not . or _ files)', async () => {
    write('glob/b.log', 'b1\nb2\n');
    write('glob/a.log', 'a1\r\na2');
    write('glob/c.log', 'c1\n');
    write('glob/skip.txt', 'not me\n');
    write('glob/sub/d.log', 'd1\n');
    write('glob/_SUCCESS', '');
    write('glob/_meta', 'meta\n');
    write('glob/.hidden', 'hidden\n');
    const f = new Flow('globs');
    const out = await runAll(f, {
      glob: f.textFile(path.join(dir, 'glob', '*.log')),
      globSplit: f.textFile(path.join(dir, 'glob', '*.log'), { partitions: 5 }),
      deep: f.textFile(path.join(dir, 'glob', '**', '*.log')),
      question: f.textFile(path.join(dir, 'glob', '[ab].?og')),
      directory: f.textFile(path.join(dir, 'glob')),
    }, { executors: 2 });
    expect(out.glob).toEqual([['a1'], ['a2'], ['b1'], ['b2'], ['c1']]);
    expect(out.globSplit).toEqual([['a1'], ['a2'], ['b1'], ['b2'], ['c1']]);
    expect(out.deep).toEqual([['a1'], ['a2'], ['b1'], ['b2'], ['c1'], ['d1']]);
    expect(out.question).toEqual([['a1'], ['a2'], ['b1'], ['b2']]);
    expect(out.directory).toEqual([['a1'], ['a2'], ['b1'], ['b2'], ['c1'], ['not me']]);
  });

  test('a glob, like a directory, skips files starting with _ or . (they are not data)', async () => {
    write('under/_meta', 'meta\n');
    write('under/.dot', 'dot\n');
    write('under/part-00000', 'p0\n');
    write('under/part-00001', 'p1\n');
    const f = new Flow('glob skips');
    const out = await runAll(f, {
      star: f.textFile(path.join(dir, 'under', '*')),
      directory: f.textFile(path.join(dir, 'under')),
    }, { executors: 1 });
    expect(out.directory).toEqual([['p0'], ['p1']]);
    expect(out.star).toEqual([['p0'], ['p1']]);
  });

  test('a missing file or a glob matching nothing rejects, naming the input', async () => {
    await expect(new Flow('missing').textFile(path.join(dir, 'nope.txt')).collect({ executors: 1 })).rejects.toThrow(/nope\.txt/);
    await expect(new Flow('no match').textFile(path.join(dir, 'zz*.none')).collect({ executors: 1 })).rejects.toThrow(/zz\*\.none/);
  });

  test('lines around the reader\'s 64 KB batch edges and its 4 MB reads arrive whole and in order', async () => {
    // Lines of every length near the batch size (including lines longer than a batch and runs of
    // empty lines), CRLF on some, multi-byte characters, over more than one 4 MB read.
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 4.5 * 1024 * 1024; i++) {
      const len = i % 97 === 0 ? 65536 + (i % 5) - 2 : i % 13 === 0 ? 0 : (i * 7919) % 3000;
      const l = (i % 3 === 0 ? 'é' : 'w').repeat(len >> (i % 3 === 0 ? 1 : 0)) + (len ? String(i) : '');
      lines.push(l);
      size += Buffer.byteLength(l) + 2;
    }
    const text = lines.map((l, i) => l + (i % 4 === 0 ? '\r\n' : '\n')).join('');
    const file = write('batches.txt', text);
    const f = new Flow('batch edges');
    const out = await runAll(f, {
      one: f.textFile(file, { partitions: 1 }).map((l: string) => [l.length, l.slice(0, 3), l.slice(-3)]),
      three: f.textFile(file, { partitions: 3 }).map((l: string) => [l.length, l.slice(0, 3), l.slice(-3)]),
    }, { executors: 2 });
    const want = lines.map((l) => [l.length, l.slice(0, 3), l.slice(-3)]);
    expect(out.one).toEqual(want);
    expect(out.three).toEqual(want);
  });

  test('a large file split into partitions reads the same lines as one split', async () => {
    const lines = range(30000).map((i) => `${i}\t${'é'.repeat(i % 13)}${i % 11 === 0 ? '' : 'w' + (i * 7919) % 1000}`);
    const file = write('large.txt', lines.join('\n') + '\n');
    const f = new Flow('large');
    const out = await runAll(f, {
      split: f.textFile(file, { partitions: 7 }).map((l: string) => l.length),
      count: f.textFile(file, { partitions: 3 }).mapPartitions((rows: Iterable<[string]>) => {
        let n = 0;
        for (const _ of rows) n++;
        return [n];
      }),
    }, { executors: 3 });
    expect(out.split).toEqual(lines.map((l) => [l.length]));
    expect(out.count.map((r) => r[0] as number).reduce((a, b) => a + b, 0)).toBe(30000);
    expect(out.count).toHaveLength(3);
  });
});
