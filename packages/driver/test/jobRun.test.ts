// The scheduler and the job lifecycle against a fake cluster (tasks run in this thread through
// the executor's real runTask): order, slots, events, shard clean-up, failure and cancel.
import { taskShards, type Row, type TaskGroupSpec } from '@gleam/executor';
import type { JobOutcome } from '../src/cluster';
import type { JobEvent } from '../src/job/jobEvents';
import { JobCancelledError } from '../src/job/jobErrors';
import { Job } from '../src/job/runJob';
import type { DriverSink, PhysicalPlan } from '../src/physicalPlan';
import { FakeCluster, shufflePlanTasks, type FakeClusterOptions } from './fakeCluster';

function collectSink(targets: number, into: Row[], extra: Partial<DriverSink> = {}): DriverSink {
  return { step: 'collect#3', parts: Array.from({ length: targets }, (_, j) => ({ shards: [`d2-s${j}`] })), consume: (rows) => void into.push(...rows), ...extra };
}

function plan(tasks: TaskGroupSpec[], sinks: DriverSink[]): PhysicalPlan {
  const stages = [...new Set(tasks.map((t) => t.stepGroup))].map((index) => ({ index, name: `stage${index}`, partitions: tasks.filter((t) => t.stepGroup === index).length, driverSide: false }));
  return { name: 'test job', stages, taskGroups: tasks, sources: [], sinks };
}

/** Runs a plan as a Job on a fresh fake cluster; resolves with what happened. */
async function runOnFake(p: PhysicalPlan, opts: FakeClusterOptions, control: (job: Job) => void = () => undefined, signal?: AbortSignal) {
  const cluster = new FakeCluster(opts);
  const events: JobEvent[] = [];
  const released: JobOutcome[] = [];
  let acquired = 0;
  const job = new Job({
    name: p.name,
    jobId: 'jtest',
    signal,
    onEvent: (e) => events.push(e),
    acquire: async () => {
      acquired++;
      return { cluster, release: async (outcome) => void released.push(outcome) };
    },
    plan: () => p,
  });
  control(job);
  const result = await job.done.then(() => undefined, (e: Error) => e);
  return { cluster, events, released, acquired, error: result };
}

const words = (p: number) => [['a', 1], ['b', 1], [`only${p}`, 1], ['a', 1]];

test('a shuffle runs on one slot: exact rows, consumers start only after every producer started, all shards gone', async () => {
  const rows: Row[] = [];
  const { cluster, error, released } = await runOnFake(plan(shufflePlanTasks(3, 2, words), [collectSink(2, rows)]), { slots: 1 });
  expect(error).toBeUndefined();
  expect(new Map(rows as [string, number][])).toEqual(new Map([['a', 6], ['b', 3], ['only0', 1], ['only1', 1], ['only2', 1]]));
  expect(rows).toHaveLength(5);
  // Every map task started before the first reduce task.
  const firstReduce = cluster.started.findIndex((n) => n.startsWith('CollectPartitions'));
  expect(cluster.started.slice(0, firstReduce).sort()).toEqual(['Rows.0-ScatterPartitions.0@0', 'Rows.1-ScatterPartitions.1@0', 'Rows.2-ScatterPartitions.2@0']);
  expect(cluster.maxRunning).toBe(1);
  expect(cluster.shardNames()).toEqual([]);
  expect(cluster.ended).toEqual([{ prefix: 'jtest/', outcome: 'succeeded' }]);
  expect(released).toEqual(['succeeded']);
});

test('never runs more tasks than slots, and uses them all', async () => {
  const rows: Row[] = [];
  const hold = (_: TaskGroupSpec, signal: AbortSignal) => new Promise<void>((r) => setTimeout(r, 5, signal));
  const { cluster, error } = await runOnFake(plan(shufflePlanTasks(12, 4, words), [collectSink(4, rows)]), { slots: 3, beforeTask: hold });
  expect(error).toBeUndefined();
  expect(cluster.maxRunning).toBe(3);
  expect(cluster.started).toHaveLength(16);
});

test('shards are deleted as soon as their last reader is done, before the job ends', async () => {
  const rows: Row[] = [];
  const { cluster } = await runOnFake(plan(shufflePlanTasks(2, 2, words), [collectSink(2, rows)]), { slots: 2 });
  // Map outputs go when both reduce tasks finished; reduce outputs when the sink read them.
  expect(cluster.deleted.sort()).toEqual(['jtest/d2-m0', 'jtest/d2-m1', 'jtest/d2-s0', 'jtest/d2-s1']);
});

test('events: job, stage and task started and finished, with rows and bytes', async () => {
  const rows: Row[] = [];
  const { events } = await runOnFake(plan(shufflePlanTasks(2, 2, words), [collectSink(2, rows)]), { slots: 2 });
  const types = events.map((e) => e.type);
  expect(types[0]).toBe('jobStarted');
  expect(types[types.length - 1]).toBe('jobFinished');
  expect(types.filter((t) => t === 'taskStarted')).toHaveLength(4);
  expect(types.filter((t) => t === 'taskFinished')).toHaveLength(4);
  const stages = events.filter((e): e is Extract<JobEvent, { type: 'stageFinished' }> => e.type === 'stageFinished');
  expect(stages.map((s) => [s.stage, s.tasks, s.rowsIn, s.rowsOut])).toEqual([
    [0, 2, 8, 8],
    [1, 2, 8, 4],
  ]);
  expect(stages[0].bytesOut).toBeGreaterThan(0);
  const started = events.findIndex((e) => e.type === 'stageStarted' && e.stage === 1);
  const lastMapStart = events.map((e) => e.type === 'taskStarted' && e.stage === 0).lastIndexOf(true);
  expect(started).toBeGreaterThan(lastMapStart);
  const finished = events[events.length - 1] as Extract<JobEvent, { type: 'jobFinished' }>;
  expect(finished).toMatchObject({ outcome: 'succeeded', tasksDone: 4, tasks: 4 });
});

test('a failing task fails the job with its error: running tasks are cancelled, shards deleted, sinks aborted', async () => {
  const rows: Row[] = [];
  let aborted: Error | undefined;
  const beforeTask = async (spec: TaskGroupSpec, signal: AbortSignal) => {
    if (spec.partition === 1 && spec.stepGroup === 0) throw new Error('boom in map 1');
    // The other map waits to be cancelled.
    if (spec.stepGroup === 0) await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }));
  };
  const { cluster, error, events, released } = await runOnFake(plan(shufflePlanTasks(2, 2, words), [collectSink(2, rows, { abort: (e) => void (aborted = e) })]), { slots: 2, beforeTask });
  expect((error as Error).message).toBe('boom in map 1');
  expect(cluster.cancelled).toEqual(['Rows.0-ScatterPartitions.0@0']);
  expect(aborted?.message).toBe('boom in map 1');
  expect(cluster.ended).toEqual([{ prefix: 'jtest/', outcome: 'failed' }]);
  expect(released).toEqual(['failed']);
  expect(cluster.shardNames()).toEqual([]);
  expect(events.find((e) => e.type === 'taskFailed')).toMatchObject({ task: 'Rows.1-ScatterPartitions.1@0', error: 'boom in map 1' });
});

test('cancel() stops a running job at once: JobCancelledError, tasks cancelled, outcome cancelled', async () => {
  const rows: Row[] = [];
  const beforeTask = (_: TaskGroupSpec, signal: AbortSignal) => new Promise<void>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }));
  const t0 = Date.now();
  const { cluster, error, released, events } = await runOnFake(plan(shufflePlanTasks(2, 2, words), [collectSink(2, rows)]), { slots: 2, beforeTask }, (job) => setTimeout(() => job.cancel('the test is done with it'), 50));
  expect(Date.now() - t0).toBeLessThan(3000);
  expect(error).toBeInstanceOf(JobCancelledError);
  expect((error as Error).message).toBe('job cancelled: the test is done with it');
  expect(cluster.cancelled.sort()).toEqual(['Rows.0-ScatterPartitions.0@0', 'Rows.1-ScatterPartitions.1@0']);
  expect(cluster.ended).toEqual([{ prefix: 'jtest/', outcome: 'cancelled' }]);
  expect(released).toEqual(['cancelled']);
  expect(events[events.length - 1]).toMatchObject({ type: 'jobFinished', outcome: 'cancelled' });
});

test('an AbortSignal already aborted cancels before any slot is taken', async () => {
  const ac = new AbortController();
  ac.abort(new Error('not needed any more'));
  const { error, acquired } = await runOnFake(plan(shufflePlanTasks(1, 1, words), [collectSink(1, [])]), { slots: 1 }, undefined, ac.signal);
  expect(error).toBeInstanceOf(JobCancelledError);
  expect((error as Error).message).toBe('job cancelled: not needed any more');
  expect(acquired).toBe(0);
});

test('an AbortSignal aborted mid-job cancels it', async () => {
  const beforeTask = (_: TaskGroupSpec, signal: AbortSignal) => new Promise<void>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }));
  const { error } = await runOnFake(plan(shufflePlanTasks(1, 1, words), [collectSink(1, [])]), { slots: 1, beforeTask }, undefined, AbortSignal.timeout(50));
  expect(error).toBeInstanceOf(JobCancelledError);
  expect((error as Error).message).toMatch(/^job cancelled: /);
});

test('a 1000 -> 2001 shuffle of 11 rows on 2 slots: 1000 map shards, exact rows', async () => {
  const maps = 1000;
  const targets = 2001;
  const tasks = shufflePlanTasks(maps, targets, (p) => (p < 11 ? [[p, 1]] : []));
  const written = new Set(tasks.flatMap((t) => taskShards(t).filter((u) => u.role === 'output').flatMap((u) => u.shards)));
  expect(written.size).toBe(maps + targets);
  const rows: Row[] = [];
  const { error, cluster } = await runOnFake(plan(tasks, [collectSink(targets, rows)]), { slots: 2 });
  expect(error).toBeUndefined();
  expect(rows.map((r) => r[0]).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 11 }, (_, i) => i));
  expect(cluster.started).toHaveLength(maps + targets);
});

test('10,000 tiny tasks all run, each after its producer', async () => {
  const n = 10000;
  const tasks: TaskGroupSpec[] = [];
  for (let p = 0; p < n; p++) {
    tasks.push({ id: `a${p}`, name: `A.${p}@0`, stepGroup: 0, partition: p, input: { kind: 'rows', frames: [], rows: 0, step: 'rows#1' }, instructions: [], output: { kind: 'shard', shard: `a-s${p}` } });
    tasks.push({ id: `b${p}`, name: `B.${p}@1`, stepGroup: 1, partition: p, input: { kind: 'shards', shards: [`a-s${p}`] }, instructions: [{ op: 'countRows', step: 'count#2' }], output: { kind: 'shard', shard: `d2-s${p}` } });
  }
  const rows: Row[] = [];
  const { error, cluster } = await runOnFake(plan(tasks, [collectSink(n, rows)]), { slots: 4 });
  expect(error).toBeUndefined();
  expect(rows).toHaveLength(n);
  expect(rows.every((r) => r[0] === 0)).toBe(true);
  const startAt = new Map(cluster.started.map((name, i) => [name, i]));
  for (let p = 0; p < n; p += 997) expect(startAt.get(`B.${p}@1`)!).toBeGreaterThan(startAt.get(`A.${p}@0`)!);
});
