// The master over real gRPC: registration, death, allocation, leases, job reports, status page.
import { callMetadata, unary, type MasterClient } from '@gleam/proto';
import { startMaster, type MasterHandle, type MasterOptions } from '../src/startMaster';
import { allocate, cancelJob, clusterStatus, fakeAgent, masterClient, quiet, rawLease, release, sleep, waitFor, type FakeAgent } from './helpers';

jest.setTimeout(15000);

let master: MasterHandle | undefined;
let client: MasterClient | undefined;
const agents: FakeAgent[] = [];

async function start(opts: MasterOptions = {}): Promise<MasterClient> {
  master = await startMaster({ port: 0, httpPort: -1, logger: quiet, ...opts });
  client = masterClient(master.address);
  return client;
}

function agent(address: string, executors = 4): FakeAgent {
  const a = fakeAgent(client!, address, { executors });
  agents.push(a);
  return a;
}

afterEach(async () => {
  for (const a of agents.splice(0)) a.cancel();
  client?.close();
  client = undefined;
  await master?.stop();
  master = undefined;
});

const agentOf = async (c: MasterClient, address: string) => (await clusterStatus(c)).agents.find((a) => a.address === address);

describe('agents', () => {
  test('the first heartbeat registers an agent and each one updates it', async () => {
    const c = await start();
    const a = agent('127.0.0.1:7001');
    const ack = await a.beat({ memoryMb: 2048, shards: 3, shardMemoryBytes: 4096, spilledBytes: 10 });
    expect(ack.masterTimeMs).toBeGreaterThan(0);
    expect(await agentOf(c, '127.0.0.1:7001')).toMatchObject({ executors: 4, memoryMb: 2048, shards: 3, shardMemoryBytes: 4096, spilledBytes: 10, alive: true, busy: 0, allocated: 0, version: 'test' });
    await a.beat({ busyExecutors: 2, shards: 5 });
    expect(await agentOf(c, '127.0.0.1:7001')).toMatchObject({ busy: 2, shards: 5, alive: true });
    expect(a.acks).toHaveLength(2);
  });

  test('an agent silent for deadAfterMs is dead, stays listed, and loses its grants', async () => {
    const c = await start({ deadAfterMs: 300 });
    const a = agent('127.0.0.1:7001');
    await a.beat();
    expect(await allocate(c, 'job', 2)).toEqual([{ agent: '127.0.0.1:7001', slots: 2 }]);
    const t0 = Date.now();
    await waitFor(async () => (await agentOf(c, '127.0.0.1:7001'))?.alive === false, 3000, 'death by silence');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const s = await clusterStatus(c);
    expect(s.agents).toHaveLength(1);
    expect(s.agents[0].allocated).toBe(0);
    expect(s.jobs.find((j) => j.report?.jobId === 'job')?.grants).toEqual([]);
    expect(await allocate(c, 'job', 2)).toEqual([]);
    // A heartbeat brings it back.
    await a.beat();
    expect((await agentOf(c, '127.0.0.1:7001'))?.alive).toBe(true);
  });

  test('an agent whose stream ends or is cancelled is dead at once', async () => {
    const c = await start();
    const a = agent('127.0.0.1:7001');
    const b = agent('127.0.0.1:7002');
    await a.beat();
    await b.beat();
    a.end();
    await waitFor(async () => (await agentOf(c, '127.0.0.1:7001'))?.alive === false, 2000, 'death by stream end');
    b.cancel();
    await waitFor(async () => (await agentOf(c, '127.0.0.1:7002'))?.alive === false, 2000, 'death by cancel');
  });

  test('an agent that reconnects on a new stream is not killed by its old stream ending', async () => {
    const c = await start();
    const old = agent('127.0.0.1:7001');
    await old.beat();
    const fresh = agent('127.0.0.1:7001');
    await fresh.beat();
    old.end();
    await old.closed;
    await sleep(100);
    expect((await agentOf(c, '127.0.0.1:7001'))?.alive).toBe(true);
  });

  test('a heartbeat without an address is refused', async () => {
    await start();
    const a = fakeAgent(client!, '');
    await expect(a.beat()).rejects.toMatchObject({ code: 3 });
    expect((await clusterStatus(client!)).agents).toEqual([]);
  });
});

describe('slots', () => {
  const total = (gs: Array<{ slots: number }>) => gs.reduce((n, g) => n + g.slots, 0);

  test('grants spread across agents, never double-book, and grow per job', async () => {
    const c = await start();
    await agent('127.0.0.1:7001').beat();
    await agent('127.0.0.1:7002').beat();
    const a1 = await allocate(c, 'A', 3);
    expect(total(a1)).toBe(3);
    expect(a1.map((g) => g.agent).sort()).toEqual(['127.0.0.1:7001', '127.0.0.1:7002']);
    // Two agents for a 2-slot job: one slot on each.
    const b1 = await allocate(c, 'B', 2);
    expect(b1.map((g) => g.slots)).toEqual([1, 1]);
    // Fewer than asked: only 3 free slots remain.
    const b2 = await allocate(c, 'B', 10);
    expect(total(b2)).toBe(3);
    expect(await allocate(c, 'C', 1)).toEqual([]);
    const s = await clusterStatus(c);
    for (const a of s.agents) expect(a.allocated).toBe(4);
    expect(total(s.jobs.find((j) => j.report?.jobId === 'B')!.grants)).toBe(5);
    expect(total(s.jobs.find((j) => j.report?.jobId === 'A')!.grants)).toBe(3);
    expect(s.jobs.find((j) => j.report?.jobId === 'A')!.report).toMatchObject({ name: 'name-A', state: 'running', driver: 'test' });

    await release(c, 'A');
    const c1 = await allocate(c, 'C', 8);
    expect(total(c1)).toBe(3);
    const after = await clusterStatus(c);
    expect(after.jobs.find((j) => j.report?.jobId === 'A')!.grants).toEqual([]);
    for (const a of after.agents) expect(a.allocated).toBe(4);
  });

  test('no alive agents: zero slots, and a bad request is refused', async () => {
    const c = await start();
    expect(await allocate(c, 'A', 4)).toEqual([]);
    await expect(allocate(c, '', 4)).rejects.toMatchObject({ code: 3 });
  });
});

describe('job leases and cancel', () => {
  const total = (gs: Array<{ slots: number }>) => gs.reduce((n, g) => n + g.slots, 0);
  const jobOf = async (c: MasterClient, id: string) => (await clusterStatus(c)).jobs.find((j) => j.report?.jobId === id)!;

  test('a beating lease keeps its slots; no lease, or a cancelled stream, loses the driver', async () => {
    // Timeouts are short but leave room for a loaded machine: the beats come every 100 ms.
    const c = await start({ driverTimeoutMs: 1000, deadAfterMs: 60000 });
    await agent('127.0.0.1:7001').beat();
    await allocate(c, 'kept', 1);
    await allocate(c, 'never', 1);
    await allocate(c, 'dropped', 1);
    const kept = rawLease(c, 'kept');
    const dropped = rawLease(c, 'dropped');
    expect((await kept.beat()).held?.masterTimeMs).toBeGreaterThan(0);
    await dropped.beat();
    // The driver of 'dropped' goes away: its stream is cancelled, and it is lost at once.
    dropped.cancel();
    await waitFor(async () => (await jobOf(c, 'dropped')).report?.state === 'failed', 2000, "'dropped' to fail");
    expect((await jobOf(c, 'dropped')).report!.error).toMatch(/^driver lost: its lease stream (ended before the job finished|was cancelled)/);
    const t0 = Date.now();
    while (Date.now() - t0 < 1600) {
      await kept.beat();
      await sleep(100);
    }
    const never = await jobOf(c, 'never');
    expect(never.report).toMatchObject({ state: 'failed', error: 'driver lost: no lease stream opened within 1000 ms of its last slot request' });
    expect(never.grants).toEqual([]);
    const k = await jobOf(c, 'kept');
    expect(k.report!.state).toBe('running');
    expect(total(k.grants)).toBe(1);
    expect((await clusterStatus(c)).agents[0].allocated).toBe(1);
    // Finished, then closed: no loss.
    await unary(c.ReportJob.bind(c), { jobId: 'kept', state: 'succeeded', tasksTotal: 1, tasksDone: 1 }, callMetadata(), 3000);
    // A beat between the final report and the close is still answered.
    expect((await kept.beat()).held).toBeTruthy();
    kept.end();
    await kept.closed;
    await sleep(600);
    expect((await jobOf(c, 'kept')).report).toMatchObject({ state: 'succeeded', error: '' });
  });

  test('a lease that stops beating loses its driver, who is told on the stream', async () => {
    const c = await start({ driverTimeoutMs: 300 });
    await agent('127.0.0.1:7001').beat();
    await allocate(c, 'hung', 2);
    const lease = rawLease(c, 'hung');
    await lease.beat();
    await lease.closed;
    const j = await jobOf(c, 'hung');
    expect(j.report).toMatchObject({ state: 'failed' });
    expect(j.report!.error).toMatch(/^driver lost: no beat on its lease for \d+ ms$/);
    expect(j.grants).toEqual([]);
    expect(lease.notices.map((n) => n.notice)).toEqual(['held', 'cancelled']);
    expect(lease.notices[1].cancelled?.reason).toBe(j.report!.error);
  });

  test('CancelJob ends a running job as cancelled, frees its slots and tells its lease', async () => {
    const c = await start({ httpPort: 0 });
    await agent('127.0.0.1:7001').beat();
    await allocate(c, 'victim', 3);
    const lease = rawLease(c, 'victim');
    await lease.beat();
    expect(await cancelJob(c, 'victim', 'by hand')).toEqual({ found: true, state: 'cancelled' });
    await lease.closed;
    expect(lease.error).toBeUndefined();
    expect(lease.notices[lease.notices.length - 1].cancelled).toEqual({ reason: 'cancelled: by hand' });
    const j = await jobOf(c, 'victim');
    expect(j.report).toMatchObject({ state: 'cancelled', error: 'cancelled: by hand' });
    expect(j.report!.finishedMs).toBeGreaterThan(0);
    expect(j.grants).toEqual([]);
    expect((await clusterStatus(c)).agents[0].allocated).toBe(0);
    const html = await (await fetch(`http://${master!.httpAddress}/`)).text();
    expect(html).toMatch(/Running jobs \(0\)/);
    expect(html).toMatch(/Finished jobs \(1\)/);
    expect(html).toContain('<span class="cancelled">cancelled</span>');
    expect(html).toContain('cancelled: by hand');
    // The job's own page shows the whole error.
    const page = await (await fetch(`http://${master!.httpAddress}/jobs/victim`)).text();
    expect(page).toContain('<pre class="error">cancelled: by hand</pre>');
    // Again: found, still cancelled; unknown: not found; a re-opened lease hears at once.
    expect(await cancelJob(c, 'victim')).toEqual({ found: true, state: 'cancelled' });
    expect(await cancelJob(c, 'nope')).toEqual({ found: false, state: '' });
    const again = rawLease(c, 'victim');
    expect((await again.beat()).cancelled).toEqual({ reason: 'cancelled: by hand' });
    await again.closed;
    await expect(cancelJob(c, '')).rejects.toMatchObject({ code: 3 });
  });

  test('a lease for a job the master does not know (it restarted) re-creates the job as running', async () => {
    const c = await start({ driverTimeoutMs: 1000 });
    const lease = rawLease(c, 'from-before');
    await lease.beat();
    expect((await jobOf(c, 'from-before')).report).toMatchObject({ state: 'running', name: 'name-from-before', driver: 'test-driver' });
    for (let i = 0; i < 15; i++) {
      await sleep(100);
      await lease.beat();
    }
    expect((await jobOf(c, 'from-before')).report!.state).toBe('running');
    lease.cancel();
  });
});

describe('jobs and the status page', () => {
  test('ReportJob is shown by ClusterStatus, the HTML page (escaped) and status.json', async () => {
    const c = await start({ httpPort: 0 });
    expect(master!.httpAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    await agent('127.0.0.1:7001').beat();
    await allocate(c, 'job-1', 2);
    const plan = 'step 1: read <input.txt> & map "x"\nstep 2: reduceByKey';
    const reportJob = (r: object) => unary(c.ReportJob.bind(c), r, callMetadata(), 3000);
    await reportJob({ jobId: 'job-1', name: 'word<count>', state: 'running', tasksTotal: 4, tasksDone: 1, plan, driver: 'me', tasks: [{ name: 'map<0>', agent: '127.0.0.1:7001', state: 'done', rowsIn: 10, rowsOut: 12, millis: 5 }] });

    const s = await clusterStatus(c);
    expect(s.startedMs).toBeGreaterThan(0);
    expect(s.jobs).toHaveLength(1);
    expect(s.jobs[0].report).toMatchObject({ jobId: 'job-1', name: 'word<count>', state: 'running', tasksTotal: 4, tasksDone: 1, plan });
    expect(s.jobs[0].report!.tasks[0]).toMatchObject({ name: 'map<0>', rowsOut: 12 });
    expect(s.jobs[0].grants).toEqual([{ agent: '127.0.0.1:7001', slots: 2 }]);

    const base = `http://${master!.httpAddress}`;
    const html = await (await fetch(`${base}/`)).text();
    expect(html).toContain('127.0.0.1:7001');
    expect(html).toContain('word&lt;count&gt;');
    expect(html).toContain('<a href="/jobs/job-1">');
    expect(html).toMatch(/Running jobs \(1\)/);
    // The plan and the tasks are on the job's page (escaped), not in the list.
    expect(html).not.toContain('step 1: read');
    const page = await (await fetch(`${base}/jobs/job-1`)).text();
    expect(page).toContain('<pre>step 1: read &lt;input.txt&gt; &amp; map &quot;x&quot;\nstep 2: reduceByKey</pre>');
    expect(page).toContain('map&lt;0&gt;');
    expect(page).not.toContain('<input.txt>');
    expect((await fetch(`${base}/jobs/nope`)).status).toBe(404);

    const json = await (await fetch(`${base}/status.json`)).json();
    expect(json.jobs[0].report.jobId).toBe('job-1');
    expect(json.agents[0]).toMatchObject({ address: '127.0.0.1:7001', allocated: 2, alive: true });
    expect((await fetch(`${base}/nope`)).status).toBe(404);

    // Finished: the plan is kept when the last report omits it, and the slots are freed.
    await reportJob({ jobId: 'job-1', name: 'word<count>', state: 'succeeded', tasksTotal: 4, tasksDone: 4 });
    const done = (await clusterStatus(c)).jobs[0];
    expect(done.report).toMatchObject({ state: 'succeeded', tasksDone: 4, plan });
    expect(done.report!.finishedMs).toBeGreaterThan(0);
    expect(done.grants).toEqual([]);
    const html2 = await (await fetch(`${base}/`)).text();
    expect(html2).toMatch(/Finished jobs \(1\)/);
  });

  test('only the last 100 finished jobs are kept', async () => {
    const c = await start({ keepFinishedJobs: 100 });
    for (let i = 0; i < 105; i++) await unary(c.ReportJob.bind(c), { jobId: `j${i}`, state: i % 2 ? 'failed' : 'succeeded' }, callMetadata(), 3000);
    await unary(c.ReportJob.bind(c), { jobId: 'r', state: 'running' }, callMetadata(), 3000);
    const ids = (await clusterStatus(c)).jobs.map((j) => j.report!.jobId);
    expect(ids).toHaveLength(101);
    expect(ids[0]).toBe('r');
    expect(ids[1]).toBe('j104');
    expect(ids).not.toContain('j4');
    expect(ids).toContain('j5');
  });
});
