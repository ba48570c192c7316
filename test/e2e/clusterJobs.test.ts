// A Flow's jobs on a real cluster (master and 2 agents as processes): concurrent actions, outer
// joins and wide shuffles give the local answers; a job stops cleanly — tasks and pipe children
// stopped, shards deleted on every agent, slots released — when it is cancelled by flow.cancel(),
// by SIGINT of its driver, by `gleam cancel`, and when its driver is SIGKILLed.
import { spawn, type ChildProcess } from 'node:child_process';
import { Flow, JobCancelledError } from '@gleam/flow-dsl';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { processesWith, uniqueMarker, waitFor } from '../helpers/processes';
import { gleam, repoRoot } from '../helpers/runNode';
import { sorted } from '../operators/helpers';

jest.setTimeout(90000);

let cluster: TestCluster;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startCluster({ agents: 2, executors: 2 });
}, 60000);

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

afterAll(async () => {
  await cluster?.stop();
}, 30000);

interface ClusterView {
  agents: { address: string; alive: boolean; allocated: number; shards: number }[];
  jobs: { report: { jobId: string; name: string; state: string; error: string } }[];
}

async function status(): Promise<ClusterView> {
  const r = await gleam(['status', '--master', cluster.master, '--json'], { timeoutMs: 10000 });
  if (r.code !== 0) throw new Error(`gleam status failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ClusterView;
}

/** Waits until no slot is allocated and no agent holds a shard; returns how long that took. */
async function clusterIsFree(timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  let last: ClusterView | undefined;
  for (;;) {
    last = await status();
    if (last.agents.every((a) => a.allocated === 0 && a.shards === 0)) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`the cluster was not free after ${timeoutMs} ms: ${JSON.stringify(last.agents)}\n${cluster.logs().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function jobNamed(view: ClusterView, name: string) {
  return view.jobs.find((j) => j.report.name === name)?.report;
}

/** A driver process running one long pipe job on the cluster; prints how its action ended. */
function startDriver(name: string, marker: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const script = `
    const { Flow } = require(${JSON.stringify(require.resolve('@gleam/flow-dsl'))});
    new Flow(${JSON.stringify(name)}).ints([1, 2, 3, 4], 4).pipe(${JSON.stringify(`sleep 60; : ${marker}`)}).collect({ master: ${JSON.stringify(cluster.master)} })
      .then(() => console.log('finished'), (e) => { console.log('rejected: ' + e.name + ': ' + e.message); process.exitCode = 3; });`;
  const child = spawn(process.execPath, ['-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('answers on the cluster', () => {
  test('concurrent actions on one Flow and on a cached dataset', async () => {
    const flow = new Flow('together on the cluster');
    const ds = flow.ints(Array.from({ length: 60 }, (_, i) => i), 4).map((n: number) => [n % 3, n]).cache();
    const opts = { master: cluster.master };
    try {
      const [count, rows, sums] = await Promise.all([ds.count(opts), ds.collect(opts), ds.reduceBy((a: number, b: number) => a + b).collect(opts)]);
      expect(count).toBe(60);
      expect(rows).toHaveLength(60);
      expect(sorted(sums)).toEqual([[0, 570], [1, 590], [2, 610]]);
    } finally {
      await flow.close();
    }
  });

  test('outer joins pad alike on the cluster and locally', async () => {
    const run = async (opts: object) => {
      const f = new Flow('widths');
      return sorted(await f.slices([['a', 1, 'x'], ['b', 2, 'y']], 2).rightOuterJoin(f.slices([['a', true], ['c', false], ['e', true], ['f', false]], 2), { partitions: 4 }).collect(opts));
    };
    const expected = sorted([['a', 1, 'x', true], ['c', null, null, false], ['e', null, null, true], ['f', null, null, false]]);
    expect(await run({ executors: 2 })).toEqual(expected);
    expect(await run({ master: cluster.master })).toEqual(expected);
  });

  test('parallelize(range(0, 11), 1000).partition(2001) gives the 11 rows', async () => {
    const rows = await new Flow('wide').parallelize(Array.from({ length: 11 }, (_, i) => i), 1000).partition(2001).collect({ master: cluster.master });
    expect(rows.map((r) => r[0]).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 11 }, (_, i) => i));
    await clusterIsFree(10000);
  });
});

describe('a job stops cleanly on the cluster', () => {
  test('flow.cancel(): JobCancelledError, pipe children gone, shards deleted and slots released within 5 s', async () => {
    const marker = uniqueMarker('flowcancel');
    const flow = new Flow('cancel on the cluster');
    const running = flow.ints([1, 2, 3, 4], 4).pipe(`sleep 60; : ${marker}`).collect({ master: cluster.master });
    await waitFor(() => processesWith(marker).length >= 4, 'the pipe commands to start on the agents', 20000);
    const t0 = Date.now();
    flow.cancel('no longer needed');
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
    await clusterIsFree(5000);
    await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    await waitFor(async () => jobNamed(await status(), 'cancel on the cluster')?.state === 'cancelled', 'the job to show cancelled', 5000).catch(() => undefined);
    expect(jobNamed(await status(), 'cancel on the cluster')?.state).toBe('cancelled');
  });

  test('SIGINT of the driver: it exits 130, the job is cancelled, the cluster is free within 5 s', async () => {
    const marker = uniqueMarker('sigint');
    const driver = startDriver('interrupted on the cluster', marker);
    await waitFor(() => processesWith(marker).length >= 4, 'the pipe commands to start on the agents', 20000);
    const t0 = Date.now();
    driver.child.kill('SIGINT');
    expect(await driver.exited).toBe(130);
    await clusterIsFree(5000);
    await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(jobNamed(await status(), 'interrupted on the cluster')).toMatchObject({ state: 'cancelled' });
  });

  test('SIGKILL of the driver: the master ends the job and the cluster is free within 10 s', async () => {
    const marker = uniqueMarker('sigkill');
    const driver = startDriver('killed on the cluster', marker);
    await waitFor(() => processesWith(marker).length >= 4, 'the pipe commands to start on the agents', 20000);
    const t0 = Date.now();
    driver.child.kill('SIGKILL');
    await clusterIsFree(10000);
    await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 10000);
    expect(Date.now() - t0).toBeLessThan(10000);
    expect(jobNamed(await status(), 'killed on the cluster')).toMatchObject({ state: 'failed' });
    expect(jobNamed(await status(), 'killed on the cluster')?.error).toMatch(/^driver lost: /);
    // The next job gets every slot at once.
    expect(await new Flow('after').ints([1, 2, 3]).count({ master: cluster.master })).toBe(3);
  });

  test('gleam cancel JOB: the driver\'s action rejects with the reason, the cluster is free within 5 s', async () => {
    const marker = uniqueMarker('gleamcancel');
    const driver = startDriver('cancelled from the CLI', marker);
    await waitFor(() => processesWith(marker).length >= 4, 'the pipe commands to start on the agents', 20000);
    const job = jobNamed(await status(), 'cancelled from the CLI');
    expect(job?.state).toBe('running');
    const t0 = Date.now();
    const r = await gleam(['cancel', job!.jobId, '--master', cluster.master, '--reason', 'too slow'], { timeoutMs: 10000 });
    expect(r.stdout).toBe(`job ${job!.jobId} cancelled\n`);
    expect(await driver.exited).toBe(3);
    expect(driver.output()).toContain('rejected: JobCancelledError: job cancelled: too slow');
    await clusterIsFree(5000);
    await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
