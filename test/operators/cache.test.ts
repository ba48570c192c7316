// cache(): a dataset used by several actions of one Flow is computed once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';
import { sorted } from './helpers';

jest.setTimeout(60000);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// The UDF counts its calls by appending one byte per row to a side file.
const COUNTED = '(x) => { require("fs").appendFileSync(params.file, "x"); return [x % 3, x]; }';
const calls = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').length : 0);

test('a cached dataset used by two actions is computed once', async () => {
  const flow = new Flow('cache');
  const file = path.join(dir, 'calls');
  const data = flow.ints(Array.from({ length: 100 }, (_, i) => i), 4).map(COUNTED, { params: { file } }).cache();
  try {
    expect(await data.count({ executors: 2 })).toBe(100);
    expect(calls(file)).toBe(100);
    const sums = await data.reduceBy('(a, b) => a + b').collect({ executors: 2 });
    expect(sums.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [0, 1683],
      [1, 1617],
      [2, 1650],
    ]);
    expect((await data.take(3, { executors: 2 })).map((r) => r[1])).toEqual([0, 1, 2]);
    expect(calls(file)).toBe(100);
  } finally {
    await flow.close();
  }
});

test('without cache() every action computes the dataset again', async () => {
  const flow = new Flow('no cache');
  const file = path.join(dir, 'calls');
  const data = flow.ints(Array.from({ length: 50 }, (_, i) => i), 2).map(COUNTED, { params: { file } });
  expect(await data.count({ executors: 2 })).toBe(50);
  expect(await data.count({ executors: 2 })).toBe(50);
  expect(calls(file)).toBe(100);
});

test('a cached dataset feeding two sinks of one run and a later action is computed once', async () => {
  const flow = new Flow('cache sinks');
  const file = path.join(dir, 'calls');
  const data = flow.ints([1, 2, 3, 4, 5, 6], 3).map(COUNTED, { params: { file } }).cache();
  const seen: unknown[][] = [];
  data.filter('(k) => k === 0').output((...r) => void seen.push(r));
  data.filter('(k) => k === 1').output((...r) => void seen.push(r));
  try {
    await flow.run({ executors: 2 });
    expect(seen.map((r) => r[1]).sort()).toEqual([1, 3, 4, 6]);
    expect(await data.map('(k, x) => x * 10').collect({ executors: 2 })).toEqual([[10], [20], [30], [40], [50], [60]]);
    expect(calls(file)).toBe(6);
  } finally {
    await flow.close();
  }
});

test('a failed action leaves nothing cached: the next action computes it afresh', async () => {
  const flow = new Flow('cache failure');
  const file = path.join(dir, 'calls');
  const data = flow.ints([1, 2, 3, 4], 2).map(COUNTED, { params: { file } }).cache();
  try {
    await expect(data.map('(k, x) => { if (x === 4) throw new Error("four"); return x; }').collect({ executors: 2 })).rejects.toThrow('four');
    const before = calls(file);
    expect(await data.count({ executors: 2 })).toBe(4);
    expect(calls(file)).toBe(before + 4);
    expect(await data.count({ executors: 2 })).toBe(4);
    expect(calls(file)).toBe(before + 4);
  } finally {
    await flow.close();
  }
});

test('the process exits after actions on a cached dataset without flow.close()', async () => {
  const { run } = await import('../helpers/runNode');
  const script = path.join(dir, 'exit.js');
  fs.writeFileSync(script, `const { Flow } = require(${JSON.stringify(require.resolve('@gleam/flow-dsl'))});
    const d = new Flow('x').ints([1, 2, 3]).cache();
    d.count({ executors: 2 }).then((n) => d.count({ executors: 2 }).then((m) => console.log(n + m)));`);
  const r = await run(process.execPath, [script], { timeoutMs: 20000 });
  expect(r).toEqual({ code: 0, stdout: '6\n', stderr: '' });
});

test("persist(): MEMORY_AND_DISK is cache(), DISK_ONLY computes once too; unknown levels are refused with the reason", async () => {
  for (const level of ['MEMORY_AND_DISK', 'DISK_ONLY'] as const) {
    const flow = new Flow(`persist ${level}`);
    const file = path.join(dir, `calls-${level}`);
    const data = flow.ints(Array.from({ length: 10 }, (_, i) => i), 2).map(COUNTED, { params: { file } }).persist(level);
    try {
      expect(await data.count({ executors: 2 })).toBe(10);
      expect(sorted(await data.collect({ executors: 2 }))).toEqual(sorted(Array.from({ length: 10 }, (_, x) => [x % 3, x])));
      expect(calls(file)).toBe(10);
    } finally {
      await flow.close();
    }
  }
  const d = new Flow('levels').ints([1]);
  expect(() => d.persist('MEMORY' as never)).toThrow('persist: unknown storage level "MEMORY"; the levels are MEMORY_ONLY, MEMORY_AND_DISK, DISK_ONLY');
  expect(() => d.persist('DISK_ONLY').persist('MEMORY_AND_DISK')).toThrow('persist: this dataset is already persisted at another storage level (DISK_ONLY); unpersist() it first');
});
