// Drivers' leases on their jobs, driven through ClusterState with an injected clock: when a
// driver counts as lost, what a cancel does, and what a restarted master makes of a lease.
import { ClusterState } from '../src/clusterState';
import type { LeaseStream } from '../src/jobLeases';
import { quiet } from './helpers';

const TIMEOUT = 6000;
const T0 = 1_000_000;

interface Stopped {
  jobId: string;
  reason: string;
  agents: string[];
}

function cluster(): { state: ClusterState; stopped: Stopped[] } {
  const stopped: Stopped[] = [];
  const state = new ClusterState({
    deadAfterMs: 60_000,
    driverTimeoutMs: TIMEOUT,
    forgetDeadAfterMs: 600_000,
    keepFinishedJobs: 100,
    logger: quiet,
    onJobStopped: (jobId, reason, agents) => stopped.push({ jobId, reason, agents }),
  });
  for (const address of ['127.0.0.1:7001', '127.0.0.1:7002']) {
    state.heartbeat({ address, executors: 2, memoryMb: 100, busyExecutors: 0, shardMemoryBytes: 0, spilledBytes: 0, shards: 0, version: 't', startedMs: 1 }, {}, T0);
  }
  return { state, stopped };
}

/** A lease stream that records what the master told it. */
function leaseStream(): LeaseStream & { notices: string[] } {
  const notices: string[] = [];
  return { notices, cancelled: (reason) => notices.push(reason) };
}

const job = (state: ClusterState, id: string) => state.status().jobs.find((j) => j.report?.jobId === id);
const slotsOf = (state: ClusterState, id: string) => (job(state, id)?.grants ?? []).reduce((n, g) => n + g.slots, 0);
const allocated = (state: ClusterState) => state.status().agents.reduce((n, a) => n + a.allocated, 0);

test('a lease that stops beating loses its driver after the timeout: failed, slots freed, agents told', () => {
  const { state, stopped } = cluster();
  expect(state.allocate('j1', 'wc', 3, 'host:1', T0)).not.toEqual([]);
  const s = leaseStream();
  expect(state.openLease('j1', 'wc', 'host:1', s, T0 + 100)).toEqual({ kind: 'held' });
  for (let t = T0 + 1000; t <= T0 + 5000; t += 1000) {
    expect(state.beat('j1', s, t)).toBe(true);
    state.sweep(t);
  }
  // Last beat at T0 + 5000: still held at the timeout, lost just after it.
  state.sweep(T0 + 5000 + TIMEOUT);
  expect(job(state, 'j1')?.report?.state).toBe('running');
  expect(slotsOf(state, 'j1')).toBe(3);
  state.sweep(T0 + 5001 + TIMEOUT);
  const r = job(state, 'j1')!.report!;
  expect(r.state).toBe('failed');
  expect(r.error).toBe(`driver lost: no beat on its lease for ${TIMEOUT + 1} ms`);
  expect(r.finishedMs).toBe(T0 + 5001 + TIMEOUT);
  expect(slotsOf(state, 'j1')).toBe(0);
  expect(allocated(state)).toBe(0);
  expect(s.notices).toEqual([r.error]);
  expect(stopped).toEqual([{ jobId: 'j1', reason: r.error, agents: ['127.0.0.1:7001', '127.0.0.1:7002'] }]);
  // Later sweeps do not stop it again.
  state.sweep(T0 + 60_000);
  expect(stopped).toHaveLength(1);
});

test('a lease stream that ends before the job finished loses its driver at once', () => {
  const { state, stopped } = cluster();
  state.allocate('j1', 'wc', 2, 'host:1', T0);
  const s = leaseStream();
  state.openLease('j1', 'wc', 'host:1', s, T0);
  state.report({ jobId: 'j1', name: 'wc', state: 'running', tasksTotal: 4, tasksDone: 1, error: '', startedMs: T0, finishedMs: 0, driver: 'host:1', plan: '', tasks: [] }, T0 + 10);
  state.leaseClosed('j1', s, 'was cancelled (the driver went away)', T0 + 20);
  const r = job(state, 'j1')!.report!;
  expect(r).toMatchObject({ state: 'failed', error: 'driver lost: its lease stream was cancelled (the driver went away)', tasksDone: 1, finishedMs: T0 + 20 });
  expect(allocated(state)).toBe(0);
  expect(stopped.map((x) => x.jobId)).toEqual(['j1']);
  // The stream is gone: nothing is sent on it.
  expect(s.notices).toEqual([]);
});

test('a lease closed after a finished report is no loss', () => {
  const { state, stopped } = cluster();
  state.allocate('j1', 'wc', 2, 'host:1', T0);
  const s = leaseStream();
  state.openLease('j1', 'wc', 'host:1', s, T0);
  state.report({ jobId: 'j1', name: 'wc', state: 'succeeded', tasksTotal: 4, tasksDone: 4, error: '', startedMs: T0, finishedMs: T0 + 50, driver: 'host:1', plan: '', tasks: [] }, T0 + 50);
  expect(allocated(state)).toBe(0);
  state.leaseClosed('j1', s, 'ended before the job finished', T0 + 60);
  // A lease re-opened for it (a reconnect racing the close) is answered, and watches nothing.
  expect(state.openLease('j1', 'wc', 'host:1', leaseStream(), T0 + 70)).toEqual({ kind: 'finished' });
  state.sweep(T0 + 10 * TIMEOUT);
  expect(job(state, 'j1')!.report).toMatchObject({ state: 'succeeded', error: '' });
  expect(stopped).toEqual([]);
  expect(s.notices).toEqual([]);
});

test('cancel ends a running job as cancelled, frees its slots, tells its driver and the agents', () => {
  const { state, stopped } = cluster();
  state.allocate('j1', 'wc', 3, 'host:1', T0);
  state.allocate('j2', 'other', 1, 'host:2', T0);
  expect(allocated(state)).toBe(4);
  const s = leaseStream();
  state.openLease('j1', 'wc', 'host:1', s, T0);
  expect(state.cancel('j1', 'by hand', T0 + 100)).toEqual({ found: true, state: 'cancelled' });
  expect(job(state, 'j1')!.report).toMatchObject({ state: 'cancelled', error: 'cancelled: by hand', finishedMs: T0 + 100 });
  expect(slotsOf(state, 'j1')).toBe(0);
  expect(allocated(state)).toBe(1);
  expect(s.notices).toEqual(['cancelled: by hand']);
  expect(stopped).toEqual([{ jobId: 'j1', reason: 'cancelled: by hand', agents: ['127.0.0.1:7001', '127.0.0.1:7002'] }]);
  // The freed slots serve the next job.
  expect(state.allocate('j2', 'other', 4, 'host:2', T0 + 200).reduce((n, g) => n + g.slots, 0)).toBe(3);

  // Its driver, not knowing yet, reports a failure: the master's word stands.
  state.report({ jobId: 'j1', name: 'wc', state: 'failed', tasksTotal: 4, tasksDone: 2, error: 'task x failed', startedMs: T0, finishedMs: T0 + 300, driver: 'host:1', plan: '', tasks: [] }, T0 + 300);
  expect(job(state, 'j1')!.report).toMatchObject({ state: 'cancelled', error: 'cancelled: by hand', tasksDone: 2 });
  // A cancelled job gets no more slots, a second cancel changes nothing, its stream's end is no loss.
  expect(state.allocate('j1', 'wc', 1, 'host:1', T0 + 400)).toEqual([]);
  expect(state.cancel('j1', 'again', T0 + 500)).toEqual({ found: true, state: 'cancelled' });
  state.leaseClosed('j1', s, 'ended before the job finished', T0 + 600);
  expect(stopped).toHaveLength(1);
  // A re-opened lease is told at once that the job is over.
  expect(state.openLease('j1', 'wc', 'host:1', leaseStream(), T0 + 700)).toEqual({ kind: 'over', reason: 'cancelled: by hand' });
});

test('cancel of an unknown job finds nothing; of a finished job leaves it as it finished', () => {
  const { state, stopped } = cluster();
  expect(state.cancel('nope', 'x', T0)).toEqual({ found: false, state: '' });
  state.report({ jobId: 'done', name: 'd', state: 'succeeded', tasksTotal: 1, tasksDone: 1, error: '', startedMs: T0, finishedMs: T0, driver: '', plan: '', tasks: [] }, T0);
  expect(state.cancel('done', 'x', T0 + 1)).toEqual({ found: true, state: 'succeeded' });
  expect(stopped).toEqual([]);
});

test('a job granted slots that never opens a lease is lost; asking again for slots keeps it alive', () => {
  const { state, stopped } = cluster();
  state.allocate('waiting', 'w', 1, 'host:1', T0);
  state.allocate('silent', 's', 1, 'host:2', T0);
  // 'waiting' keeps asking (a driver retrying while slots are short); reports are not a lease.
  state.allocate('waiting', 'w', 1, 'host:1', T0 + 4000);
  state.report({ jobId: 'silent', name: 's', state: 'running', tasksTotal: 1, tasksDone: 0, error: '', startedMs: T0, finishedMs: 0, driver: 'host:2', plan: '', tasks: [] }, T0 + 4000);
  state.sweep(T0 + TIMEOUT + 1);
  expect(job(state, 'silent')!.report).toMatchObject({ state: 'failed', error: `driver lost: no lease stream opened within ${TIMEOUT} ms of its last slot request` });
  expect(job(state, 'waiting')!.report!.state).toBe('running');
  state.sweep(T0 + 4000 + TIMEOUT + 1);
  expect(job(state, 'waiting')!.report!.state).toBe('failed');
  expect(stopped.map((x) => x.jobId)).toEqual(['silent', 'waiting']);
});

test('a restarted master re-creates a running job from its lease and keeps it while it beats', () => {
  const { state: before } = cluster();
  before.allocate('j1', 'wc', 2, 'host:1', T0);
  // The master restarts: a fresh state that never heard of j1.
  const { state, stopped } = cluster();
  const s = leaseStream();
  expect(state.openLease('j1', 'wc', 'host:1', s, T0 + 2000)).toEqual({ kind: 'held' });
  expect(job(state, 'j1')!.report).toMatchObject({ jobId: 'j1', name: 'wc', driver: 'host:1', state: 'running', startedMs: T0 + 2000 });
  for (let t = T0 + 3000; t <= T0 + 30_000; t += 1000) {
    state.beat('j1', s, t);
    state.sweep(t);
  }
  expect(job(state, 'j1')!.report!.state).toBe('running');
  // Its driver reports as usual, and finishes.
  state.report({ jobId: 'j1', name: 'wc', state: 'succeeded', tasksTotal: 3, tasksDone: 3, error: '', startedMs: T0, finishedMs: T0 + 31_000, driver: 'host:1', plan: '', tasks: [] }, T0 + 31_000);
  state.leaseClosed('j1', s, 'ended before the job finished', T0 + 31_001);
  expect(job(state, 'j1')!.report).toMatchObject({ state: 'succeeded', startedMs: T0 });
  expect(stopped).toEqual([]);
});

test('a driver that reconnects on a new stream is not lost when its old stream ends', () => {
  const { state, stopped } = cluster();
  state.allocate('j1', 'wc', 1, 'host:1', T0);
  const old = leaseStream();
  state.openLease('j1', 'wc', 'host:1', old, T0);
  const fresh = leaseStream();
  state.openLease('j1', 'wc', 'host:1', fresh, T0 + 1000);
  expect(state.beat('j1', old, T0 + 1500)).toBe(false);
  state.leaseClosed('j1', old, 'failed: connection reset', T0 + 2000);
  expect(state.beat('j1', fresh, T0 + 2000)).toBe(true);
  expect(job(state, 'j1')!.report!.state).toBe('running');
  expect(stopped).toEqual([]);
});

test('lease streams cut by the master shutting down lose no driver', () => {
  const { state, stopped } = cluster();
  state.allocate('j1', 'wc', 1, 'host:1', T0);
  const s = leaseStream();
  state.openLease('j1', 'wc', 'host:1', s, T0);
  state.shutdown();
  state.leaseClosed('j1', s, 'was cancelled (the driver went away)', T0 + 10);
  expect(job(state, 'j1')!.report!.state).toBe('running');
  expect(stopped).toEqual([]);
});
