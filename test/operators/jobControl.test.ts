// A Flow's jobs, locally: concurrent actions, cancel (flow.cancel(), an AbortSignal, SIGINT of
// the driver), events, planner mode, and outer joins that pad alike in every partition.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, JobCancelledError, type JobEvent } from '@gleam/flow-dsl';
import { processesWith, uniqueMarker, waitFor } from '../helpers/processes';
import { repoRoot } from '../helpers/runNode';
import { spawn } from 'node:child_process';
import { range, sorted, tempDir } from './helpers';

jest.setTimeout(60000);
const opts = { executors: 2 };

describe('concurrent actions on one Flow', () => {
  test('three actions started together all get their answers', async () => {
    const flow = new Flow('together');
    const ds = flow.ints(range(100), 4).map((n: number) => [n % 5, n]);
    const [rows, count, sums] = await Promise.all([ds.collect(opts), ds.count(opts), ds.reduceBy((a: number, b: number) => a + b).collect(opts)]);
    expect(rows).toHaveLength(100);
    expect(count).toBe(100);
    expect(sorted(sums)).toEqual(sorted([0, 1, 2, 3, 4].map((k) => [k, range(100).filter((n) => n % 5 === k).reduce((a, b) => a + b, 0)])));
  });

  test('two actions on a cached dataset started together compute it once', async () => {
    const { dir, cleanup } = tempDir('concurrent-cache');
    const file = path.join(dir, 'calls');
    const flow = new Flow('together cached');
    const ds = flow.ints(range(40), 4).map('(x) => { require("fs").appendFileSync(params.file, "x"); return x * 2; }', { params: { file } }).cache();
    try {
      const [a, b] = await Promise.all([ds.count(opts), ds.collect(opts)]);
      expect(a).toBe(40);
      expect(b).toEqual(range(40).map((n) => [n * 2]));
      expect(fs.readFileSync(file, 'utf8')).toHaveLength(40);
    } finally {
      await flow.close();
      cleanup();
    }
  });

  test('an action called from inside a sink of the same Flow fails at once instead of waiting forever', async () => {
    const flow = new Flow('nested');
    const ds = flow.ints([1, 2], 1);
    let inner: unknown;
    await ds.forEach(async () => {
      inner ??= await ds.count(opts).catch((e: Error) => e);
    }, opts);
    expect((inner as Error).message).toBe('count() was called from inside a running job of the same Flow (an output or forEach callback): it would wait for that job forever. Collect the rows first, or use another Flow');
  });
});

describe('cancel', () => {
  test('flow.cancel() stops a running job within seconds: JobCancelledError, its pipe child killed; the Flow runs later jobs', async () => {
    const marker = uniqueMarker('cancel');
    const flow = new Flow('cancel me');
    const running = flow.ints([1, 2], 2).pipe(`sleep 30; : ${marker}`).collect(opts);
    await waitFor(() => processesWith(marker).length > 0, 'the pipe command to start');
    const t0 = Date.now();
    flow.cancel('the test cancels it');
    await expect(running).rejects.toThrow('job cancelled: the test cancels it');
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
    expect(Date.now() - t0).toBeLessThan(5000);
    await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 5000);
    expect(await flow.ints([1, 2, 3]).count(opts)).toBe(3);
  });

  test('flow.cancel() also cancels the jobs queued behind the running one', async () => {
    const marker = uniqueMarker('queued');
    const flow = new Flow('queue');
    const first = flow.ints([1], 1).pipe(`sleep 30; : ${marker}`).collect(opts);
    const second = flow.ints([1, 2], 1).count(opts);
    await waitFor(() => processesWith(marker).length > 0, 'the pipe command to start');
    flow.cancel('stop all');
    await expect(first).rejects.toThrow('job cancelled: stop all');
    await expect(second).rejects.toThrow('job cancelled: stop all');
  });

  test('run option signal: AbortSignal.timeout cancels the job', async () => {
    const marker = uniqueMarker('signal');
    const t0 = Date.now();
    const running = new Flow('timeout').ints([1], 1).pipe(`sleep 30; : ${marker}`).collect({ ...opts, signal: AbortSignal.timeout(500) });
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
    expect(Date.now() - t0).toBeLessThan(5000);
    await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 5000);
  });

  test('a signal that is not an AbortSignal is refused clearly', async () => {
    await expect(new Flow('bad').ints([1]).count({ signal: 5 as unknown as AbortSignal })).rejects.toThrow('run: signal must be an AbortSignal');
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s of a driver cancels its job, kills its pipe children and exits %i', async (sig, code) => {
    const marker = uniqueMarker(sig.toLowerCase());
    const script = `
      const { Flow } = require(${JSON.stringify(require.resolve('@gleam/flow-dsl'))});
      new Flow('interrupted').ints([1, 2], 2).pipe(${JSON.stringify(`sleep 30; : ${marker}`)}).collect({ executors: 2 }).then(() => console.log('finished'));`;
    const child = spawn(process.execPath, ['-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => processesWith(marker).length >= 2, 'both pipe commands to start');
      const t0 = Date.now();
      child.kill(sig);
      expect(await exited).toBe(code);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(stderr).toContain(`gleam: ${sig}: cancelling 1 running job`);
      await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 3000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

test('run option onEvent: job, stage and task events with rows', async () => {
  const events: JobEvent[] = [];
  await new Flow('events').ints(range(10), 2).map((n: number) => [n % 2, n]).reduceBy((a: number, b: number) => a + b).collect({ ...opts, onEvent: (e) => events.push(e) });
  expect(events[0]).toMatchObject({ type: 'jobStarted', name: 'events', tasks: 4 });
  expect(events[events.length - 1]).toMatchObject({ type: 'jobFinished', outcome: 'succeeded', tasksDone: 4, tasks: 4 });
  const stages = events.filter((e) => e.type === 'stageFinished') as Extract<JobEvent, { type: 'stageFinished' }>[];
  expect(stages.map((s) => [s.name, s.rowsIn, s.rowsOut])).toEqual([
    ['Ints-Map-LocalReduceBy-ScatterPartitions', 10, 4],
    ['CollectPartitions-MergeReduceBy', 4, 2],
  ]);
  expect(events.filter((e) => e.type === 'taskFinished').every((e) => (e as { location: string }).location === 'local')).toBe(true);
});

describe('outer joins pad a missing side with one null per value field of that side, in every partition', () => {
  // Partition count 4: keys land in different partitions, some with rows of one side only.
  const left = [['a', 1, 'x'], ['b', 2, 'y']];
  const right = [['a', true], ['c', false], ['d', true], ['e', false], ['f', true]];

  test('rightOuterJoin: unmatched right rows get two nulls (the left side has two value fields)', async () => {
    const f = new Flow('right');
    const rows = await f.slices(left, 2).rightOuterJoin(f.slices(right, 2), { partitions: 4 }).collect(opts);
    expect(sorted(rows)).toEqual(sorted([['a', 1, 'x', true], ['c', null, null, false], ['d', null, null, true], ['e', null, null, false], ['f', null, null, true]]));
  });

  test('leftOuterJoin and fullOuterJoin with a two-field right side', async () => {
    const f = new Flow('left');
    // 'c' is alone in its partition: no right row there to take a width from.
    const l = f.slices([['a', 1], ['b', 2], ['c', 3]], 3);
    const r = f.slices([['a', 'x', 'y'], ['z', 'u', 'v']], 1);
    expect(sorted(await l.leftOuterJoin(r, { partitions: 4 }).collect(opts))).toEqual(sorted([['a', 1, 'x', 'y'], ['b', 2, null, null], ['c', 3, null, null]]));
    expect(sorted(await l.fullOuterJoin(r, { partitions: 4 }).collect(opts))).toEqual(sorted([['a', 1, 'x', 'y'], ['b', 2, null, null], ['c', 3, null, null], ['z', null, 'u', 'v']]));
  });

  test('a side with no rows at all pads with one null', async () => {
    const f = new Flow('empty side');
    const rows = await f.slices([] as unknown[][], 2).rightOuterJoin(f.slices([['k', 1]], 1)).collect(opts);
    expect(rows).toEqual([['k', null, 1]]);
  });
});
