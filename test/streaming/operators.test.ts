// Every DStream operator on queueStream input, with exact per-batch results (local mode).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Flow, GleamError } from '@gleam/flow-dsl';
import { collectBatches, rowsOf } from './helpers';

jest.setTimeout(60000);

const LINES = [['a b a'], ['b c'], [], ['a'], ['c c d']];
const words = (ssc: any) => ssc.queueStream(LINES).flatMap((l: string) => l.split(' '));
const pairs = (ssc: any) => words(ssc).map((w: string) => [w, 1]);

test('narrow and wide operators apply to every batch, empty batches included', async () => {
  const c = await collectBatches({}, (ssc) => {
    const w = words(ssc);
    return {
      words: w,
      upper: w.map((x: string) => x.toUpperCase()).filter((x: string) => x !== 'B'),
      counts: w.map((x: string) => [x, 1]).reduceByKey((a: number, b: number) => a + b),
      groups: w.map((x: string) => [x, x.length]).groupByKey(),
      distinct: w.distinct(),
      count: w.count(),
      byValue: w.countByValue(),
      reduced: ssc.queueStream([[1, 2], [3], [], [4, 5, 6]]).reduce((a: number, b: number) => a + b),
      top: w.top(1),
      sorted: w.sort(),
      selected: ssc.queueStream([[['x', 1, true]], [['y', 2, false]]]).select(3, 1),
      parts: w.mapPartitions('(rows) => [[...rows].length]').reduce('(a, b) => a + b'),
    };
  }, 6);
  expect(rowsOf(c, 'words')).toEqual([[['a'], ['a'], ['b']], [['b'], ['c']], [], [['a']], [['c'], ['c'], ['d']], []]);
  expect(rowsOf(c, 'upper')).toEqual([[['A'], ['A']], [['C']], [], [['A']], [['C'], ['C'], ['D']], []]);
  expect(rowsOf(c, 'counts')).toEqual([[['a', 2], ['b', 1]], [['b', 1], ['c', 1]], [], [['a', 1]], [['c', 2], ['d', 1]], []]);
  expect(rowsOf(c, 'groups')).toEqual([[['a', [1, 1]], ['b', [1]]], [['b', [1]], ['c', [1]]], [], [['a', [1]]], [['c', [1, 1]], ['d', [1]]], []]);
  expect(rowsOf(c, 'distinct')).toEqual([[['a'], ['b']], [['b'], ['c']], [], [['a']], [['c'], ['d']], []]);
  // count() is one row per batch, 0 for an empty one (as Spark's DStream.count).
  expect(rowsOf(c, 'count')).toEqual([[[3]], [[2]], [[0]], [[1]], [[3]], [[0]]]);
  expect(rowsOf(c, 'byValue')).toEqual([[['a', 2], ['b', 1]], [['b', 1], ['c', 1]], [], [['a', 1]], [['c', 2], ['d', 1]], []]);
  expect(rowsOf(c, 'reduced')).toEqual([[[3]], [[3]], [], [[15]], [], []]);
  expect(rowsOf(c, 'top')).toEqual([[['b']], [['c']], [], [['a']], [['d']], []]);
  expect(rowsOf(c, 'selected')).toEqual([[[true, 'x']], [[false, 'y']], [], [], [], []]);
  expect(rowsOf(c, 'parts')).toEqual([[[3]], [[2]], [[0]], [[1]], [[3]], [[0]]]);
  // Batch times are consecutive multiples of the interval.
  const times = c.batches.map((b) => b.timeMs);
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(100);
  expect(times[0] % 100).toBe(0);
  // The first input (words' queue) had one line in batches 1, 2, 4, 5.
  expect(c.batches.map((b) => b.inputs[0].records)).toEqual([1, 1, 0, 1, 1, 0]);
});

test('sort keeps the order inside a batch', async () => {
  const flow = new Flow('sorted');
  const ssc = flow.streaming({ batchMs: 100, executors: 2 });
  const seen: unknown[][][] = [];
  ssc.queueStream([[5, 3, 9, 1], [2, 8]]).sort({ partitions: 2 }).foreachBatch(async (ds) => {
    seen.push(await ds.collect());
  });
  let n = 0;
  ssc.on('batch', () => void (++n === 2 && ssc.stop({ graceful: true })));
  await ssc.start();
  await ssc.awaitTermination();
  expect(seen.slice(0, 2)).toEqual([[[1], [3], [5], [9]], [[2], [8]]]);
  await flow.close();
});

test('transform, union, joins with another stream and with a Dataset', async () => {
  const c = await collectBatches({}, (ssc) => {
    const p = pairs(ssc);
    const other = ssc.queueStream([[['a', 'x']], [['c', 'y']], [], [['z', 'w']]]);
    const table = ssc.flow.slices([['a', 'A'], ['b', 'B']]);
    return {
      transformed: p.transform((ds, t) => ds.map('(w, n) => [w, n * 10]').filter(`() => ${t} > 0`)),
      union: ssc.queueStream([[1], [2]]).union(ssc.queueStream([[10], [], [30]])),
      joined: p.join(other),
      leftJoined: p.reduceByKey('(a, b) => a + b').leftOuterJoin(other),
      withTable: p.reduceByKey('(a, b) => a + b').join(table),
      coGrouped: p.coGroup(other),
    };
  }, 4);
  expect(rowsOf(c, 'transformed')).toEqual([[['a', 10], ['a', 10], ['b', 10]], [['b', 10], ['c', 10]], [], [['a', 10]]]);
  expect(rowsOf(c, 'union')).toEqual([[[10], [1]], [[2]], [[30]], []]);
  expect(rowsOf(c, 'joined')).toEqual([[['a', 1, 'x'], ['a', 1, 'x']], [['c', 1, 'y']], [], []]);
  expect(rowsOf(c, 'leftJoined')).toEqual([[['a', 2, 'x'], ['b', 1, null]], [['b', 1, null], ['c', 1, 'y']], [], [['a', 1, null]]]);
  expect(rowsOf(c, 'withTable')).toEqual([[['a', 2, 'A'], ['b', 1, 'B']], [['b', 1, 'B']], [], [['a', 1, 'A']]]);
  expect(rowsOf(c, 'coGrouped')).toEqual([[['a', [1, 1], ['x']], ['b', [1], []]], [['b', [1], []], ['c', [1], ['y']]], [], [['a', [1], []], ['z', [], ['w']]]]);
});

test('window(3 batches) and window(4, slide 2): the batches of the window, at slide times only', async () => {
  const c = await collectBatches({}, (ssc) => {
    const n = ssc.queueStream([[1], [2], [3], [4], [5], [6]]);
    return { w3: n.window(300), w4s2: n.window(400, 200), countW: n.countByWindow(200), byWindow: n.reduceByWindow('(a, b) => a + b', 300) };
  }, 7);
  expect(rowsOf(c, 'w3')).toEqual([[[1]], [[1], [2]], [[1], [2], [3]], [[2], [3], [4]], [[3], [4], [5]], [[4], [5], [6]], [[5], [6]]]);
  expect(rowsOf(c, 'countW')).toEqual([[[1]], [[2]], [[2]], [[2]], [[2]], [[2]], [[1]]]);
  expect(rowsOf(c, 'byWindow')).toEqual([[[1]], [[3]], [[6]], [[9]], [[12]], [[15]], [[11]]]);
  // Slide 200 from the start: windows end with batches 2, 4, 6.
  const t0 = c.batches[0].timeMs;
  expect(c.outputs.w4s2.map(([t]) => (t - t0) / 100 + 1)).toEqual([2, 4, 6]);
  expect(rowsOf(c, 'w4s2')).toEqual([[[1], [2]], [[1], [2], [3], [4]], [[3], [4], [5], [6]]]);
});

test('reduceByKeyAndWindow, with and without an inverse, gives the same counts; filter drops keys', async () => {
  const c = await collectBatches({}, (ssc) => {
    const p = pairs(ssc);
    const add = (a: number, b: number) => a + b;
    return {
      plain: p.reduceByKeyAndWindow(add, 300),
      inverse: p.reduceByKeyAndWindow(add, 300, 100, { inverse: (a: number, b: number) => a - b, filter: (_k: string, v: number) => v > 0 }),
      slid: p.reduceByKeyAndWindow(add, 400, 200, { inverse: (a: number, b: number) => a - b, filter: (_k: string, v: number) => v > 0 }),
    };
  }, 7);
  const expected = [
    [['a', 2], ['b', 1]],
    [['a', 2], ['b', 2], ['c', 1]],
    [['a', 2], ['b', 2], ['c', 1]],
    [['a', 1], ['b', 1], ['c', 1]],
    [['a', 1], ['c', 2], ['d', 1]],
    [['a', 1], ['c', 2], ['d', 1]],
    [['c', 2], ['d', 1]],
  ];
  expect(rowsOf(c, 'plain')).toEqual(expected);
  expect(rowsOf(c, 'inverse')).toEqual(expected);
  expect(rowsOf(c, 'slid')).toEqual([
    [['a', 2], ['b', 2], ['c', 1]],
    [['a', 3], ['b', 2], ['c', 1]],
    [['a', 1], ['c', 2], ['d', 1]],
  ]);
});

test('updateStateByKey: running totals kept across batches; undefined drops a key; several key fields', async () => {
  const c = await collectBatches({}, (ssc) => {
    const p = pairs(ssc);
    return {
      totals: p.updateStateByKey((vals: number[], s: number | undefined) => (s ?? 0) + vals.reduce((a, b) => a + b, 0)),
      // A key lives while it keeps getting values.
      active: p.updateStateByKey((vals: number[], s: number | undefined) => (vals.length === 0 ? undefined : (s ?? 0) + vals.length)),
      twoKeys: ssc.queueStream([[['x', 'p', 1]], [['x', 'p', 2], ['x', 'q', 5]]]).updateStateByKey((vals: number[], s: number[] | undefined) => [...(s ?? []), ...vals], { by: [1, 2] }),
      keyedBy2: ssc.queueStream([[[1, 'k']], [[2, 'k'], [3, 'j']]]).updateStateByKey((vals: number[], s: number | undefined) => (s ?? 0) + vals.reduce((a, b) => a + b, 0), { by: 2 }),
    };
  }, 6);
  expect(rowsOf(c, 'totals')).toEqual([
    [['a', 2], ['b', 1]],
    [['a', 2], ['b', 2], ['c', 1]],
    [['a', 2], ['b', 2], ['c', 1]],
    [['a', 3], ['b', 2], ['c', 1]],
    [['a', 3], ['b', 2], ['c', 3], ['d', 1]],
    [['a', 3], ['b', 2], ['c', 3], ['d', 1]],
  ]);
  expect(rowsOf(c, 'active')).toEqual([[['a', 2], ['b', 1]], [['b', 2], ['c', 1]], [], [['a', 1]], [['c', 2], ['d', 1]], []]);
  expect(rowsOf(c, 'twoKeys').slice(0, 3)).toEqual([[['x', 'p', [1]]], [['x', 'p', [1, 2]], ['x', 'q', [5]]], [['x', 'p', [1, 2]], ['x', 'q', [5]]]]);
  expect(rowsOf(c, 'keyedBy2').slice(0, 2)).toEqual([[['k', 1]], [['j', 3], ['k', 3]]]);
});

test('updateStateByKey starts from an initial state', async () => {
  const c = await collectBatches({}, (ssc) => ({
    totals: pairs(ssc).updateStateByKey((vals: number[], s: number | undefined) => (s ?? 0) + vals.length, { initial: ssc.flow.slices([['a', 100], ['z', 7]]) }),
  }), 2);
  expect(rowsOf(c, 'totals')).toEqual([[['a', 102], ['b', 1], ['z', 7]], [['a', 102], ['b', 2], ['c', 1], ['z', 7]]]);
});

test("print: Spark's header, the first n rows tab-separated, then ... when there are more", async () => {
  const flow = new Flow('print');
  const ssc = flow.streaming({ batchMs: 100, executors: 1 });
  let text = '';
  const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  ssc.queueStream([[['a', 1], ['b', 2], ['c', 3]], []]).print(2, out);
  let n = 0;
  let first = 0;
  ssc.on('batch', (i) => {
    if (n++ === 0) first = i.timeMs;
    if (n === 2) void ssc.stop({ graceful: true });
  });
  await ssc.start();
  await ssc.awaitTermination();
  const line = '-------------------------------------------';
  expect(text.startsWith(`${line}\nTime: ${first} ms\n${line}\na\t1\nb\t2\n...\n\n${line}\nTime: ${first + 100} ms\n${line}\n\n`)).toBe(true);
  await flow.close();
});

test('saveAsTextFiles: one committed directory per batch, empty batches included', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-save-'));
  try {
    const c = await collectBatches({}, (ssc) => {
      const counts = pairs(ssc).reduceByKey((a: number, b: number) => a + b);
      counts.saveAsTextFiles(path.join(dir, 'counts'), 'tsv');
      return { counts };
    }, 3);
    const names = fs.readdirSync(dir).sort();
    expect(names).toEqual(c.batches.map((b) => `counts-${b.timeMs}.tsv`).sort());
    const read = (t: number) =>
      fs
        .readdirSync(path.join(dir, `counts-${t}.tsv`))
        .filter((f) => f.startsWith('part-'))
        .flatMap((f) => fs.readFileSync(path.join(dir, `counts-${t}.tsv`, f), 'utf8').split('\n').filter(Boolean))
        .sort();
    expect(read(c.batches[0].timeMs)).toEqual(['a\t2', 'b\t1']);
    expect(read(c.batches[2].timeMs)).toEqual([]);
    for (const b of c.batches) expect(fs.existsSync(path.join(dir, `counts-${b.timeMs}.tsv`, '_SUCCESS'))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('definition errors are clear and immediate', () => {
  test('a window that is not a multiple of the batch interval', () => {
    const ssc = new Flow('bad').streaming({ batchMs: 100 });
    const q = ssc.queueStream([[1]]);
    expect(() => q.window(250)).toThrow('window: windowMs 250 ms is not a multiple of the batch interval (100 ms)');
    expect(() => q.window(300, 150)).toThrow('window: slideMs 150 ms is not a multiple of the batch interval (100 ms)');
    expect(() => q.reduceByKeyAndWindow('(a, b) => a + b', 1000, 50)).toThrow('reduceByKeyAndWindow: slideMs 50 ms is not a multiple');
    expect(() => q.window(400, 200).window(500)).toThrow("window: windowMs 500 ms is not a multiple of the parent stream's slide (200 ms)");
    // The key of reduceByKeyAndWindow is field 1: a by option would be ignored, so it is refused.
    expect(() => q.reduceByKeyAndWindow('(a, b) => a + b', 200, 100, { by: 2 } as never)).toThrow('reduceByKeyAndWindow: the key is field 1 (by is not supported)');
  });

  test('bad options, no output, operators after start, streams that slide differently', async () => {
    const flow = new Flow('bad');
    expect(() => flow.streaming({ batchMs: 0 })).toThrow('streaming: batchMs must be a positive integer');
    expect(() => flow.streaming({ batchMs: 100, maxBufferedRecords: -1 })).toThrow('streaming: maxBufferedRecords must be a positive integer');
    const ssc = flow.streaming({ batchMs: 100 });
    const q = ssc.queueStream([[1]]);
    await expect(ssc.start()).rejects.toThrow('streaming: no output operation');
    expect(() => q.window(200, 200).union(q)).toThrow('union: the streams it combines slide differently (200 ms and 100 ms)');
    const ssc2 = flow.streaming({ batchMs: 100, executors: 1 });
    const q2 = ssc2.queueStream([[1]]);
    q2.print(1, { write: () => true } as unknown as NodeJS.WritableStream);
    await ssc2.start();
    expect(() => q2.map('(x) => x')).toThrow('streaming: define streams and their outputs before start()');
    await ssc2.stop();
    await expect(ssc2.start()).rejects.toThrow('a StreamingContext starts once');
  });
});

test('a UDF error stops the stream: awaitTermination rejects with the step and the row', async () => {
  const flow = new Flow('fails');
  const ssc = flow.streaming({ batchMs: 100, executors: 1 });
  ssc.queueStream([[1], [2], [3]]).map('(x) => { if (x === 2) throw new Error("no two"); return x; }').foreachBatch(async (ds) => {
    await ds.collect();
  });
  const errors: Error[] = [];
  ssc.on('error', (e) => errors.push(e));
  await ssc.start();
  await expect(ssc.awaitTermination()).rejects.toThrow(/step "map#\d+".*no two/s);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(GleamError);
  await expect(ssc.awaitTerminationOrTimeout(10)).rejects.toThrow('no two');
  await flow.close();
});

test('the batch steps are forgotten: a long stream does not grow the Flow, and kept state is deleted at stop', async () => {
  const flow = new Flow('long');
  const ssc = flow.streaming({ batchMs: 20, executors: 1 });
  const marks: number[] = [];
  ssc.queueStream(Array.from({ length: 40 }, (_, i) => [[`k${i % 3}`, i]])).updateStateByKey((v: number[], s: number | undefined) => (s ?? 0) + v.length).window(60).foreachBatch(async (ds) => {
    await ds.count();
    marks.push((flow as any).nodes.size);
  });
  let n = 0;
  ssc.on('batch', () => void (++n === 30 && ssc.stop({ graceful: true })));
  await ssc.start();
  await ssc.awaitTermination();
  // Nodes alive during a batch stay bounded (kept datasets of the window and the state, plus the batch's own).
  expect(Math.max(...marks.slice(10))).toBeLessThanOrEqual(Math.max(...marks.slice(0, 10)) + 2);
  expect((flow as any).nodes.size).toBe(0);
  expect((flow as any).session.kept.size).toBe(0);
  await flow.close();
});
