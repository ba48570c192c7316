// Job control on a real cluster (master and 2 agents as processes): a driver that dies or hangs
// frees the cluster, `gleam cancel` stops a job and tells its driver, and a master restart
// leaves a running job alone. Each test opens its lease before asking for slots: on a loaded
// machine a process may take longer than the (short) driver timeout to start, and a job granted
// slots without a lease is lost (the master tests check that rule).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeRows, encodeValue, type TaskGroupSpec } from '@gleam/executor';
import {
  callMetadata,
  createAgentClient,
  createMasterClient,
  JOB_CANCELLED_ERROR_NAME,
  openShardWriter,
  unary,
  type AgentClient,
  type AgentStatus__Output,
  type AllocateResponse__Output,
  type ClusterStatusResponse__Output,
  type MasterClient,
  type TaskEvent__Output,
} from '@gleam/proto';
import { JobLease } from '@gleam/driver';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { gleam, repoRoot } from '../helpers/runNode';

jest.setTimeout(60000);

const DRIVER_TIMEOUT_MS = 3000;

let cluster: TestCluster;
let master: MasterClient;
const agentClients: AgentClient[] = [];
const children: ChildProcess[] = [];
const leases: JobLease[] = [];

beforeAll(async () => {
  cluster = await startCluster({ agents: 2, executors: 1, driverTimeoutMs: DRIVER_TIMEOUT_MS });
  master = createMasterClient(cluster.master);
}, 60000);

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(leases.splice(0).map((l) => l.close()));
});

afterAll(async () => {
  for (const c of agentClients) c.close();
  master?.close();
  await cluster?.stop();
}, 30000);

let jobSeq = 0;
const newJob = (what: string) => `t${process.pid}-${what}-${jobSeq++}`;

function agentClient(i: number): AgentClient {
  const c = createAgentClient(cluster.agents[i].address);
  agentClients.push(c);
  return c;
}

async function allocate(jobId: string, slots: number): Promise<number> {
  const res = await unary<object, AllocateResponse__Output>(master.AllocateSlots.bind(master), { jobId, jobName: `name-${jobId}`, slots, driver: 'the test' }, callMetadata(), 5000);
  return res.grants.reduce((n, g) => n + g.slots, 0);
}

async function jobStatus(jobId: string) {
  const st = await unary<object, ClusterStatusResponse__Output>(master.ClusterStatus.bind(master), {}, callMetadata(), 5000);
  return { job: st.jobs.find((j) => j.report?.jobId === jobId), allocated: st.agents.reduce((n, a) => n + a.allocated, 0) };
}

async function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${cluster.logs().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A driver's lease in its own process: prints "held" once the master answers, and the cancel. */
function leaseInChild(jobId: string): { child: ChildProcess; out: () => string; held: Promise<void> } {
  const script = `
    const { JobLease } = require(${JSON.stringify(path.join(repoRoot, 'packages', 'driver'))});
    const lease = JobLease.open({ master: ${JSON.stringify(cluster.master)}, jobId: ${JSON.stringify(jobId)}, jobName: 'child', driver: 'child:' + process.pid,
      onCancelled: (reason) => console.log('cancelled: ' + reason) });
    const poll = setInterval(() => { if (lease.held) { console.log('held'); clearInterval(poll); } }, 20);
    setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (out += d));
  const held = waitFor(() => out.includes('held\n'), 10000, `the child's lease on ${jobId}`).then(() => undefined);
  return { child, out: () => out, held };
}

/** A task of `jobId` on agent `i` whose pipe sleeps 30 s; resolves with its events. */
function sleepingTask(i: number, jobId: string, input: string, marker: string): Promise<TaskEvent__Output[]> {
  const spec: TaskGroupSpec = {
    id: `${jobId}-pipe`,
    name: 'Pipe.0',
    stepGroup: 1,
    partition: 0,
    input: { kind: 'shards', shards: [input] },
    instructions: [{ op: 'pipe', step: 'pipe#1', command: `sleep 30; : ${marker}` }],
    output: { kind: 'shard', shard: `${jobId}/d2-s0` },
  };
  return new Promise((resolve, reject) => {
    const events: TaskEvent__Output[] = [];
    const call = agentClient(i).ExecuteTask({ jobId, task: encodeValue(spec), shardLocations: {} }, callMetadata());
    call.on('data', (e: TaskEvent__Output) => events.push(e));
    call.on('end', () => resolve(events));
    call.on('error', reject);
  });
}

/** Live processes whose command line holds `marker` (the pipe's shell). */
function markedProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const agentShards = async (i: number) => (await unary<object, AgentStatus__Output>(agentClient(i).Status.bind(agentClient(i)), {}, callMetadata(), 5000)).shards;

test('a driver killed with SIGKILL frees the cluster: its job fails, its slots return, its tasks and shards go', async () => {
  const jobId = newJob('killed');
  const marker = `marker-${jobId}`;
  // The lease first (it makes the job known as running): a loaded machine may take longer than
  // the driver timeout to start a node process, and a job granted slots without a lease is lost.
  const driver = leaseInChild(jobId);
  await driver.held;
  expect(await allocate(jobId, 2)).toBe(2);
  const shardsBefore = await agentShards(0);
  const w = openShardWriter(agentClient(0), `${jobId}/d1-s0`);
  await w.write(encodeRows([['a'], ['b']]));
  await w.end();
  expect(await agentShards(0)).toBe(shardsBefore + 1);
  // The job's task on agent 0, streamed by a process that outlives the driver.
  const task = sleepingTask(0, jobId, `${jobId}/d1-s0`, marker);
  await waitFor(() => markedProcesses(marker).length > 0, 10000, 'the pipe to start');
  // The cluster is full while the job holds its slots.
  expect(await allocate(newJob('waiting'), 1)).toBe(0);

  const t0 = Date.now();
  driver.child.kill('SIGKILL');
  const lost = await waitFor(async () => {
    const { job, allocated } = await jobStatus(jobId);
    return job?.report?.state === 'failed' && allocated === 0 ? job : undefined;
  }, DRIVER_TIMEOUT_MS + 2000, 'the master to give the killed driver up');
  expect(Date.now() - t0).toBeLessThan(DRIVER_TIMEOUT_MS + 2000);
  expect(lost.report!.error).toMatch(/^driver lost: its lease stream /);
  expect(lost.grants).toEqual([]);

  // The agents stopped the job: its task ended failed, its pipe is gone, its shard deleted.
  const events = await task;
  expect(events[events.length - 1].failed).toMatchObject({ name: JOB_CANCELLED_ERROR_NAME });
  expect(events[events.length - 1].failed!.message).toContain(`job ${jobId} was cancelled (driver lost: its lease stream `);
  await waitFor(() => markedProcesses(marker).length === 0, 5000, 'the pipe processes to end');
  expect(await agentShards(0)).toBe(shardsBefore);
  // And the freed slots serve the next job.
  const next = newJob('next');
  expect(await allocate(next, 2)).toBe(2);
  await unary(master.ReportJob.bind(master), { jobId: next, state: 'succeeded' }, callMetadata(), 5000);
});

test('a driver that hangs (SIGSTOP) is lost once its lease is silent for the driver timeout', async () => {
  const jobId = newJob('hung');
  const driver = leaseInChild(jobId);
  await driver.held;
  expect(await allocate(jobId, 1)).toBe(1);
  const t0 = Date.now();
  driver.child.kill('SIGSTOP');
  try {
    const lost = await waitFor(async () => {
      const { job } = await jobStatus(jobId);
      return job?.report?.state === 'failed' ? job : undefined;
    }, DRIVER_TIMEOUT_MS + 2000, 'the master to give the hung driver up');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(DRIVER_TIMEOUT_MS - 1000);
    expect(lost.report!.error).toMatch(/^driver lost: no beat on its lease for \d+ ms$/);
    expect(lost.grants).toEqual([]);
  } finally {
    driver.child.kill('SIGCONT');
  }
  // Woken up, the driver hears that its job is over.
  await waitFor(() => driver.out().includes('cancelled: driver lost: no beat on its lease'), 5000, 'the woken driver to hear of its loss');
});

test('gleam cancel stops a job with an open lease and tells its driver; gleam jobs shows it cancelled', async () => {
  const jobId = newJob('cancel');
  let heard: { reason: string } | undefined;
  const lease = JobLease.open({ master: cluster.master, jobId, jobName: 'to cancel', driver: 'the test', onCancelled: (reason) => (heard = { reason }) });
  leases.push(lease);
  await waitFor(() => lease.held, 10000, 'the lease to be held');
  expect(await allocate(jobId, 1)).toBe(1);

  const env = { GLEAM_MASTER: '', GLEAM_SECRET: '' };
  const running = await gleam(['jobs', '--master', cluster.master], { env, timeoutMs: 15000 });
  expect(running.code).toBe(0);
  const row = running.stdout.split('\n').find((l) => l.startsWith(jobId));
  expect(row).toMatch(new RegExp(`^${jobId}\\s+to cancel\\s+running\\s+0/0\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+\\d+s\\s+the test$`));

  const r = await gleam(['cancel', jobId, '--master', cluster.master, '--reason', 'test over'], { env, timeoutMs: 15000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`job ${jobId} cancelled\n`);
  // Within 2 s of the cancel (usually before the CLI has even exited).
  await waitFor(() => heard, 2000, 'onCancelled');
  expect(heard!.reason).toBe('cancelled: test over');
  expect(lease.cancelled).toBe('cancelled: test over');

  // GLEAM_MASTER stands in for --master.
  const js = await gleam(['jobs', '--json'], { env: { ...env, GLEAM_MASTER: cluster.master }, timeoutMs: 15000 });
  expect(js.code).toBe(0);
  const line = (JSON.parse(js.stdout) as Array<Record<string, unknown>>).find((j) => j.jobId === jobId);
  expect(line).toMatchObject({ jobId, name: 'to cancel', state: 'cancelled', error: 'cancelled: test over', driver: 'the test', slots: 0, tasksDone: 0, tasksTotal: 0 });
  expect(line!.finishedMs).toBeGreaterThan(0);
  const st = await gleam(['status', '--master', cluster.master], { env, timeoutMs: 15000 });
  expect(st.stdout).toMatch(new RegExp(`^${jobId}\\s+to cancel\\s+cancelled\\s+0/0\\s+0$`, 'm'));
  expect(st.stdout).toContain(`${jobId}: cancelled: test over`);

  // A second cancel says so; an unknown job is an error.
  const again = await gleam(['cancel', jobId, '--master', cluster.master], { env, timeoutMs: 15000 });
  expect(again.code).toBe(0);
  const none = await gleam(['cancel', 'nope', '--master', cluster.master], { env, timeoutMs: 15000 });
  expect(none.code).toBe(1);
  expect(none.stdout).toBe('');
  expect(none.stderr).toBe(`gleam: no job nope on the master at ${cluster.master}\n`);
});

test('a master restart leaves a running job alone: the lease re-opens it on the new master', async () => {
  const jobId = newJob('restart');
  const said: string[] = [];
  let cancelled: string | undefined;
  const lease = JobLease.open({ master: cluster.master, jobId, jobName: 'survivor', driver: 'the test', log: (m) => said.push(m), onCancelled: (r) => (cancelled = r) });
  leases.push(lease);
  await waitFor(() => lease.held, 10000, 'the lease to be held');
  expect(await allocate(jobId, 1)).toBe(1);

  await cluster.restartMaster();
  const back = await waitFor(async () => {
    const { job } = await jobStatus(jobId).catch(() => ({ job: undefined }));
    return job?.report?.state === 'running' && lease.held ? job : undefined;
  }, 10000, 'the new master to know the job');
  expect(back.report).toMatchObject({ name: 'survivor', driver: 'the test' });
  // Beats go on past the driver timeout without a loss.
  await new Promise((r) => setTimeout(r, DRIVER_TIMEOUT_MS + 500));
  expect((await jobStatus(jobId)).job?.report?.state).toBe('running');
  expect(cancelled).toBeUndefined();
  expect(said.join('\n')).toMatch(/lease on the master at .* held again/);

  // Finished, then closed: no loss.
  await unary(master.ReportJob.bind(master), { jobId, state: 'succeeded', tasksTotal: 1, tasksDone: 1 }, callMetadata(), 5000);
  await lease.close();
  await new Promise((r) => setTimeout(r, 300));
  expect((await jobStatus(jobId)).job?.report).toMatchObject({ state: 'succeeded', error: '' });
  expect(cancelled).toBeUndefined();
});
