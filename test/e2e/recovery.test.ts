// Lineage recovery on a real cluster (a master and 3 agents as processes): an agent killed or
// stopped in the middle of a job costs time, never the answer. Work it ran runs again on the
// survivors, shards it held that are still needed are recomputed from their producers, readers
// of lost shards start over, and sinks commit each partition once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, type JobEvent, type RunOptions } from '@gleam/flow-dsl';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { waitFor } from '../helpers/processes';
import { gleam } from '../helpers/runNode';
import { range, sorted, tempDir } from '../operators/helpers';

jest.setTimeout(120000);

let cluster: TestCluster;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  cluster = await startCluster({ agents: 3, executors: 2, agentTimeoutMs: 3000, heartbeatMs: 500 });
  ({ dir, cleanup } = tempDir('recovery'));
}, 60000);

afterAll(async () => {
  for (const a of cluster?.agents ?? []) a.proc.kill('SIGCONT');
  await cluster?.stop();
  cleanup?.();
}, 30000);

/** Brings every agent back (a test may have killed or stopped one). */
afterEach(async () => {
  for (let i = 0; i < cluster.agents.length; i++) {
    const p = cluster.agents[i].proc;
    if (p.exitCode !== null || p.signalCode !== null) await cluster.restartAgent(i);
  }
});

interface AgentView {
  address: string;
  alive: boolean;
  shards: number;
}

async function agents(): Promise<AgentView[]> {
  const r = await gleam(['status', '--master', cluster.master, '--json'], { timeoutMs: 10000 });
  return (JSON.parse(r.stdout) as { agents: AgentView[] }).agents;
}

/** Runs `fn` once, the first time an event matches; returns run options that do it (and record every event in `seen`). */
function onFirst(match: (e: JobEvent) => boolean, fn: (e: JobEvent) => void, seen: JobEvent[] = []): RunOptions {
  let done = false;
  return {
    master: cluster.master,
    onEvent: (e) => {
      seen.push(e);
      if (done || !match(e)) return;
      done = true;
      fn(e);
    },
  };
}

/** Tasks that ran more than once (work that was lost and done again). */
const rerunTasks = (events: JobEvent[]) => [...new Set((events.filter((e) => e.type === 'taskStarted' && e.attempt > 1) as Extract<JobEvent, { type: 'taskStarted' }>[]).map((e) => e.task))];

const agentIndex = (address: string) => cluster.agents.findIndex((a) => a.address === address);

/** A shuffle whose map tasks take a second each (a pipe that sleeps before passing rows on). */
function slowCounts(flow: Flow) {
  return flow
    .parallelize(range(3000), 8)
    .pipe('sleep 1; cat')
    .map((x: string) => [Number(x) % 10, 1])
    .reduceBy((a: number, b: number) => a + b);
}
const COUNTS = range(10).map((k) => [k, 300]);

test('an agent SIGKILLed mid-job: the exact answer, its tasks run again on the others', async () => {
  let victim = -1;
  const events: JobEvent[] = [];
  const opts = onFirst(
    (e) => e.type === 'taskStarted' && e.stage === 0,
    (e) => {
      victim = agentIndex((e as { location: string }).location);
      setTimeout(() => cluster.killAgent(victim), 300);
    },
    events,
  );
  const rows = await slowCounts(new Flow('killed')).collect(opts);
  expect(sorted(rows)).toEqual(sorted(COUNTS));
  const lost = cluster.agents[victim].address;
  const again = events.filter((e) => e.type === 'taskStarted' && e.attempt > 1) as Extract<JobEvent, { type: 'taskStarted' }>[];
  expect(again.length).toBeGreaterThan(0);
  for (const e of again) expect(e.location).not.toBe(lost);
  expect(events[events.length - 1]).toMatchObject({ type: 'jobFinished', outcome: 'succeeded' });
});

test('an agent SIGSTOPped mid-job: the master declares it lost, the job ends exact; resumed, it drops the job', async () => {
  let victim = -1;
  const t0 = Date.now();
  const rows = await slowCounts(new Flow('stopped')).collect(
    onFirst(
      (e) => e.type === 'taskStarted' && e.stage === 0,
      (e) => {
        victim = agentIndex((e as { location: string }).location);
        setTimeout(() => cluster.agents[victim].proc.kill('SIGSTOP'), 300);
      },
    ),
  );
  expect(sorted(rows)).toEqual(sorted(COUNTS));
  // Clean, this job takes about 2 s; the loss costs at most the detection time (3 s) and a rerun.
  expect(Date.now() - t0).toBeLessThan(20000);
  cluster.agents[victim].proc.kill('SIGCONT');
  // Back, the agent is told to drop the job's work: no shard of it stays.
  await waitFor(async () => (await agents()).every((a) => a.alive && a.shards === 0), 'the resumed agent to drop the job', 15000);
});

test('a cached dataset survives the loss of an agent holding part of it: only the lost partitions are computed again', async () => {
  const calls = path.join(dir, 'cache-calls');
  const flow = new Flow('cached');
  const data = flow
    .ints(range(600), 6)
    .map('(x) => { require("fs").appendFileSync(params.calls, "x"); return [x % 3, x]; }', { params: { calls } })
    .cache();
  try {
    expect(await data.count({ master: cluster.master })).toBe(600);
    expect(fs.readFileSync(calls, 'utf8')).toHaveLength(600);
    const holders = (await agents()).filter((a) => a.shards > 0).sort((a, b) => b.shards - a.shards);
    expect(holders.length).toBeGreaterThan(1);
    const victim = agentIndex(holders[0].address);
    cluster.killAgent(victim);
    const sums = await data.reduceBy((a: number, b: number) => a + b).collect({ master: cluster.master });
    expect(sorted(sums)).toEqual(sorted([0, 1, 2].map((k) => [k, range(600).filter((x) => x % 3 === k).reduce((a, b) => a + b, 0)])));
    // Each partition holds 100 rows: the lost ones (and only they) ran their UDF again.
    const recomputed = fs.readFileSync(calls, 'utf8').length - 600;
    expect(recomputed % 100).toBe(0);
    expect(recomputed).toBeGreaterThanOrEqual(100);
    expect(recomputed).toBeLessThan(600);
    // The recomputed partitions are kept: a third action computes nothing.
    expect(await data.count({ master: cluster.master })).toBe(600);
    expect(fs.readFileSync(calls, 'utf8')).toHaveLength(600 + recomputed);
  } finally {
    await flow.close();
  }
});

test("an agent killed while a sort's range partition is in flight: the exact, ordered answer", async () => {
  const data = range(2000).map((i) => (i * 7919) % 2000);
  const events: JobEvent[] = [];
  const rows = await new Flow('sort under loss')
    .parallelize(data, 6)
    .pipe('sleep 0.5; cat')
    .map((x: string) => [Number(x)])
    .sort({ by: [1] })
    .collect(
      onFirst(
        (e) => e.type === 'stageStarted' && e.name === 'RangePartition',
        () => {
          // Kill an agent holding map outputs the range partitioning reads.
          cluster.killAgent(1);
        },
        events,
      ),
    );
  expect(rows.map((r) => r[0])).toEqual(range(2000));
  // The killed agent's sampled map outputs were computed again.
  expect(rerunTasks(events).some((t) => /-SampleKeys\.\d@/.test(t))).toBe(true);
});

test("an agent killed while a join's side input is read: the exact join", async () => {
  const f = new Flow('join under loss');
  const left = f.parallelize(range(900).map((i) => [i % 30, i]), 6).pipe('sleep 0.5; cat').map((k: string, v: string) => [Number(k), Number(v)]);
  const right = f.parallelize(range(30).map((k) => [k, `k${k}`]), 3).pipe('sleep 1; cat').map((k: string, v: string) => [Number(k), v]);
  const events: JobEvent[] = [];
  const rows = await left.join(right).collect(
    onFirst(
      (e) => e.type === 'stageStarted' && /JoinPartitionedSorted/.test(e.name),
      () => cluster.killAgent(2),
      events,
    ),
  );
  expect(sorted(rows)).toEqual(sorted(range(900).map((i) => [i % 30, i, `k${i % 30}`])));
  // Scatter tasks whose output was on the killed agent (the join's inputs and side input) ran again.
  expect(rerunTasks(events).some((t) => /ScatterPartitions/.test(t))).toBe(true);
});

test('sinks commit each partition once whatever was retried: saveAsTextFile and forEach', async () => {
  const out = path.join(dir, 'saved');
  const f = new Flow('sinks under loss');
  const counts = slowCounts(f);
  counts.saveAsTextFile(out);
  const seen: unknown[][] = [];
  counts.map((k: number, n: number) => [k, n * 2]).output((k: unknown, n: unknown) => void seen.push([k, n]));
  await f.run(
    onFirst(
      (e) => e.type === 'taskStarted' && e.stage === 0,
      (e) => setTimeout(() => cluster.killAgent(agentIndex((e as { location: string }).location)), 300),
    ),
  );
  const files = fs.readdirSync(out).sort();
  expect(files).toContain('_SUCCESS');
  expect(files.filter((n) => n.startsWith('_temporary'))).toEqual([]);
  const lines = files.filter((n) => n.startsWith('part-')).flatMap((n) => fs.readFileSync(path.join(out, n), 'utf8').split('\n').filter(Boolean));
  expect(lines.sort()).toEqual(COUNTS.map(([k, n]) => `${k}\t${n}`).sort());
  expect(sorted(seen)).toEqual(sorted(COUNTS.map(([k, n]) => [k, n * 2])));
});
