// Test helpers: a silent logger, agent heartbeat streams from a real gRPC client, polling.
import pino from 'pino';
import { callMetadata, createMasterClient, unary, type AgentHeartbeat, type CancelJobResponse__Output, type ClusterStatusResponse__Output, type HeartbeatAck__Output, type JobNotice__Output, type MasterClient } from '@gleam/proto';

export const quiet = pino({ level: 'silent' });

export function masterClient(address: string): MasterClient {
  return createMasterClient(address);
}

export function clusterStatus(client: MasterClient, secret?: string): Promise<ClusterStatusResponse__Output> {
  return unary(client.ClusterStatus.bind(client), {}, callMetadata(secret), 3000);
}

export function allocate(client: MasterClient, jobId: string, slots: number, secret?: string) {
  return unary(client.AllocateSlots.bind(client), { jobId, jobName: `name-${jobId}`, slots, driver: 'test' }, callMetadata(secret), 3000).then((r) => r.grants.map((g) => ({ agent: g.agent, slots: g.slots })));
}

export function release(client: MasterClient, jobId: string, secret?: string) {
  return unary(client.ReleaseSlots.bind(client), { jobId }, callMetadata(secret), 3000);
}

export function cancelJob(client: MasterClient, jobId: string, reason = 'test', secret?: string): Promise<CancelJobResponse__Output> {
  return unary(client.CancelJob.bind(client), { jobId, reason }, callMetadata(secret), 3000);
}

export interface RawLease {
  notices: JobNotice__Output[];
  /** Sends a beat (the first one names the job) and waits for the master's answer. */
  beat(): Promise<JobNotice__Output>;
  end(): void;
  cancel(): void;
  error?: Error & { code?: number };
  /** Resolves when the master ended the stream (or it failed). */
  closed: Promise<void>;
}

/** A driver's HoldJob stream, spoken by hand (the driver package's JobLease is not used here). */
export function rawLease(client: MasterClient, jobId: string, secret?: string): RawLease {
  const call = client.HoldJob(callMetadata(secret));
  const waiting: Array<{ resolve: (n: JobNotice__Output) => void; reject: (e: Error) => void }> = [];
  let first = true;
  let onClosed!: () => void;
  const lease: RawLease = {
    notices: [],
    beat() {
      if (lease.error) return Promise.reject(lease.error);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer to a job beat within 3 s')), 3000);
        waiting.push({ resolve: (n) => (clearTimeout(timer), resolve(n)), reject: (e) => (clearTimeout(timer), reject(e)) });
        call.write(first ? { jobId, jobName: `name-${jobId}`, driver: 'test-driver' } : {});
        first = false;
      });
    },
    end: () => call.end(),
    cancel: () => call.cancel(),
    closed: new Promise<void>((r) => (onClosed = r)),
  };
  call.on('data', (n: JobNotice__Output) => {
    lease.notices.push(n);
    waiting.shift()?.resolve(n);
  });
  call.on('error', (e: Error) => {
    lease.error = e;
    for (const w of waiting.splice(0)) w.reject(e);
    onClosed();
  });
  call.on('end', () => onClosed());
  return lease;
}

export interface FakeAgent {
  acks: HeartbeatAck__Output[];
  /** Sends a heartbeat and waits for its ack. */
  beat(extra?: Partial<AgentHeartbeat>): Promise<HeartbeatAck__Output>;
  end(): void;
  cancel(): void;
  /** The stream's error, once it failed. */
  error?: Error & { code?: number };
  closed: Promise<void>;
}

/** An agent's heartbeat stream; the first beat registers `address`. */
export function fakeAgent(client: MasterClient, address: string, figures: Partial<AgentHeartbeat> = {}, secret?: string): FakeAgent {
  const call = client.Heartbeat(callMetadata(secret));
  const waiting: Array<(a: HeartbeatAck__Output) => void> = [];
  const failing: Array<(e: Error) => void> = [];
  let onClosed!: () => void;
  const agent: FakeAgent = {
    acks: [],
    beat(extra = {}) {
      if (agent.error) return Promise.reject(agent.error);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no heartbeat ack within 3 s')), 3000);
        waiting.push((a) => (clearTimeout(timer), resolve(a)));
        failing.push((e) => (clearTimeout(timer), reject(e)));
        call.write({ address, executors: 4, memoryMb: 1024, version: 'test', startedMs: 1, ...figures, ...extra });
      });
    },
    end: () => call.end(),
    cancel: () => call.cancel(),
    closed: new Promise<void>((r) => (onClosed = r)),
  };
  call.on('data', (ack: HeartbeatAck__Output) => {
    agent.acks.push(ack);
    failing.shift();
    waiting.shift()?.(ack);
  });
  call.on('error', (e: Error) => {
    agent.error = e;
    for (const f of failing.splice(0)) f(e);
    onClosed();
  });
  call.on('end', () => onClosed());
  call.on('status', () => onClosed());
  return agent;
}

/** Polls until `check` returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 3000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
