// The master's whole state (agents, slot grants, jobs and their drivers' leases) and the rules
// that tie them together, free of gRPC and HTTP so it can be driven and tested directly.
import type { Logger } from 'pino';
import { isFinishedJobState, type AgentHeartbeat__Output, type ClusterStatusResponse__Output, type JobReport__Output, type JobStatus__Output, type StreamReport__Output } from '@gleam/proto';
import { AgentRegistry } from './agentRegistry';
import { JobBook } from './jobBook';
import { JobLeases, type LeaseStream } from './jobLeases';
import { type Grant, SlotAllocator } from './slotAllocator';
import { StreamBook } from './streamBook';

export interface ClusterStateOptions {
  deadAfterMs: number;
  /** A driver whose lease is silent this long (or that opens none this long after asking for slots) is lost. */
  driverTimeoutMs: number;
  forgetDeadAfterMs: number;
  keepFinishedJobs: number;
  /** A running stream with no report for max(this, 5 batch intervals) is shown lost; default 30000. */
  streamLostAfterMs?: number;
  logger: Logger;
  /**
   * A job ended on the master's side (cancelled, or its driver lost): the agents must stop its
   * tasks and delete its shards. Called with the alive agents; must not throw.
   */
  onJobStopped?: (jobId: string, reason: string, agents: string[]) => void;
  /**
   * An agent declared dead came back (the same process): the jobs that were running when it died
   * have recomputed its work elsewhere, so it must drop theirs. Must not throw.
   */
  onAgentRevived?: (agent: string, jobIds: string[], reason: string) => void;
}

/** What the master answers to a lease stream naming a job. */
export type LeaseAnswer =
  /** The lease stands: beat on. */
  | { kind: 'held' }
  /** The job already finished by its driver's report: beats are answered, nothing is watched. */
  | { kind: 'finished' }
  /** The master already ended the job: the driver must stop. */
  | { kind: 'over'; reason: string };

export interface CancelAnswer {
  found: boolean;
  state: string;
}

export class ClusterState {
  readonly startedMs = Date.now();
  readonly agents: AgentRegistry;
  readonly slots = new SlotAllocator();
  readonly jobs: JobBook;
  readonly streams: StreamBook;
  private readonly leases: JobLeases;
  private readonly log: Logger;
  /** Jobs running when an agent was declared dead: if it comes back, it must drop their work. */
  private readonly jobsOfDeadAgents = new Map<string, string[]>();
  /** Set while the master shuts down: lease streams closing then are not drivers dying. */
  private stopping = false;

  constructor(private readonly opts: ClusterStateOptions) {
    this.log = opts.logger;
    this.jobs = new JobBook(opts.keepFinishedJobs);
    this.streams = new StreamBook({ lostAfterMs: opts.streamLostAfterMs });
    this.leases = new JobLeases(opts.driverTimeoutMs);
    this.agents = new AgentRegistry({
      deadAfterMs: opts.deadAfterMs,
      forgetDeadAfterMs: opts.forgetDeadAfterMs,
      logger: opts.logger,
      onDead: (agent, reason) => {
        const jobs = this.slots.dropAgent(agent.address);
        if (jobs.length) this.log.warn({ agent: agent.address, jobs }, 'slots of a dead agent dropped');
        // Every running job's driver hears of it (through its lease) and recomputes the agent's work.
        const running = this.leases.jobIds().filter((j) => this.jobs.isRunning(j));
        for (const jobId of running) this.leases.stream(jobId)?.agentLost(agent.address, reason);
        if (running.length) this.jobsOfDeadAgents.set(agent.address, running);
      },
      onRevived: (agent) => {
        const jobIds = this.jobsOfDeadAgents.get(agent.address) ?? [];
        this.jobsOfDeadAgents.delete(agent.address);
        if (jobIds.length === 0) return;
        this.log.warn({ agent: agent.address, jobs: jobIds }, 'a lost agent came back: it drops the work of the jobs that gave it up');
        this.opts.onAgentRevived?.(agent.address, jobIds, `agent ${agent.address} was declared lost`);
      },
    });
  }

  heartbeat(hb: AgentHeartbeat__Output, stream: object, now = Date.now()): void {
    this.agents.heartbeat(hb, stream, now);
  }

  streamClosed(address: string, stream: object, reason: string, now = Date.now()): void {
    this.agents.streamClosed(address, stream, reason, now);
  }

  allocate(jobId: string, jobName: string, want: number, driver: string, now = Date.now()): Grant[] {
    if (this.jobs.ensure(jobId, jobName, driver, now)) this.log.info({ job: jobId, name: jobName, driver }, 'job state: running');
    if (!this.jobs.isRunning(jobId)) {
      // A cancelled (or otherwise finished) job gets no more slots.
      this.log.debug({ job: jobId, state: this.jobs.get(jobId)?.report.state }, 'slots refused: the job is over');
      return [];
    }
    this.leases.watch(jobId, now, true);
    const grants = this.slots.allocate(jobId, want, this.agents.alive());
    const granted = grants.reduce((n, g) => n + g.slots, 0);
    // Drivers retry when granted nothing: those calls are not worth an info line each.
    this.log[granted ? 'info' : 'debug']({ job: jobId, asked: want, granted, grants, total: this.slots.grantsOf(jobId).reduce((n, g) => n + g.slots, 0) }, 'slots allocated');
    return grants;
  }

  release(jobId: string, why = 'released by the driver'): number {
    const freed = this.slots.release(jobId);
    if (freed) this.log.info({ job: jobId, freed, why }, 'slots released');
    return freed;
  }

  report(r: JobReport__Output, now = Date.now()): void {
    const before = this.jobs.report(r, now);
    const state = this.jobs.get(r.jobId)?.report.state ?? r.state;
    if (before !== state) {
      const fields = { job: r.jobId, name: r.name, from: before || undefined, tasksDone: r.tasksDone, tasksTotal: r.tasksTotal, error: r.error || undefined };
      if (state === 'failed') this.log.warn(fields, `job state: ${state}`);
      else this.log.info(fields, `job state: ${state}`);
    }
    if (isFinishedJobState(state)) {
      // A finished job uses no slots, whether or not its driver gets to release them, and its
      // lease may end.
      this.release(r.jobId, `job ${state}`);
      this.leases.drop(r.jobId);
    } else {
      this.leases.watch(r.jobId, now, false);
    }
  }

  /** A driver's report on one of its streams: the stream's latest figures. */
  reportStream(r: StreamReport__Output, now = Date.now()): void {
    const before = this.streams.report(r, now);
    const state = r.state || 'running';
    if (before === state) return;
    const fields = { stream: r.streamId, streamName: r.name || undefined, driver: r.driver || undefined, batchMs: r.batchMs, from: before || undefined, batches: r.batches, error: r.error || undefined };
    this.log[state === 'failed' ? 'warn' : 'info'](fields, before === 'lost' ? `stream reports again: ${state}` : `stream state: ${state}`);
  }

  /** The first beat of a HoldJob stream: the stream speaks for the job from now on. */
  openLease(jobId: string, jobName: string, driver: string, stream: LeaseStream, now = Date.now()): LeaseAnswer {
    const entry = this.jobs.get(jobId);
    if (entry?.endedByMaster) return { kind: 'over', reason: entry.report.error };
    if (entry && !this.jobs.isRunning(jobId)) return { kind: 'finished' };
    // Unknown here: the master restarted under a running job, which goes on.
    if (this.jobs.ensure(jobId, jobName, driver, now)) this.log.info({ job: jobId, name: jobName, driver }, 'job state: running (its driver re-opened its lease)');
    const replaced = this.leases.stream(jobId) !== undefined;
    this.leases.open(jobId, stream, now);
    this.log[replaced ? 'info' : 'debug']({ job: jobId, driver }, replaced ? 'job lease re-opened on a new stream' : 'job lease opened');
    return { kind: 'held' };
  }

  /** A beat on a lease stream; false when the stream no longer speaks for the job. */
  beat(jobId: string, stream: LeaseStream, now = Date.now()): boolean {
    return this.leases.beat(jobId, stream, now);
  }

  /**
   * A lease stream ended, failed or was cancelled: unless the job finished first (or a newer
   * stream speaks for it), its driver is lost.
   */
  leaseClosed(jobId: string, stream: LeaseStream, why: string, now = Date.now()): void {
    if (this.stopping || !this.leases.isCurrent(jobId, stream)) return;
    // The stream is gone: nothing more can be said on it.
    this.leases.drop(jobId);
    if (this.jobs.isRunning(jobId)) this.stopJob(jobId, 'failed', `driver lost: its lease stream ${why}`, now);
  }

  /** CancelJob: a running job ends as cancelled; a finished one stays as it is. */
  cancel(jobId: string, reason: string, now = Date.now()): CancelAnswer {
    const entry = this.jobs.get(jobId);
    if (!entry) return { found: false, state: '' };
    if (this.jobs.isRunning(jobId)) this.stopJob(jobId, 'cancelled', `cancelled: ${reason || 'no reason given'}`, now);
    return { found: true, state: this.jobs.get(jobId)?.report.state ?? 'cancelled' };
  }

  /** The timer's work: dead agents, the jobs of drivers whose lease lapsed, and streams gone silent. */
  sweep(now = Date.now()): void {
    this.agents.sweep(now);
    for (const lost of this.streams.sweep(now)) {
      const r = lost.report!;
      this.log.warn({ stream: r.streamId, streamName: r.name || undefined, driver: r.driver || undefined, silentMs: now - lost.lastReportMs }, 'stream state: lost (its reports stopped)');
    }
    for (const { jobId, why } of this.leases.lapsed(now)) {
      if (this.jobs.isRunning(jobId)) this.stopJob(jobId, 'failed', `driver lost: ${why}`, now);
      else this.leases.drop(jobId);
    }
  }

  /** The master is shutting down: its lease streams end, but no driver is lost by that. */
  shutdown(): void {
    this.stopping = true;
  }

  /** One job with every task attempt the master keeps, for its web page. */
  job(jobId: string): JobStatus__Output | undefined {
    const e = this.jobs.get(jobId);
    return e && { report: e.report, grants: this.slots.grantsOf(jobId) };
  }

  status(): ClusterStatusResponse__Output {
    return {
      startedMs: this.startedMs,
      agents: this.agents.list().map((a) => ({
        address: a.address,
        executors: a.executors,
        allocated: this.slots.allocatedOn(a.address),
        busy: a.busy,
        memoryMb: a.memoryMb,
        shardMemoryBytes: a.shardMemoryBytes,
        spilledBytes: a.spilledBytes,
        shards: a.shards,
        lastHeartbeatMs: a.lastHeartbeatMs,
        alive: a.alive,
        version: a.version,
      })),
      // Finished jobs without their task attempts (up to thousands each): the answer stays small
      // (gRPC's 4 MB limit); a job's page has them all (job()).
      jobs: this.jobs.list().map((e) => ({ report: isFinishedJobState(e.report.state) ? { ...e.report, tasks: [] } : e.report, grants: this.slots.grantsOf(e.report.jobId) })),
      streams: this.streams.list(),
    };
  }

  /** Ends a running job on the master's side: slots freed, driver told, agents told to stop it. */
  private stopJob(jobId: string, state: 'failed' | 'cancelled', error: string, now: number): void {
    const entry = this.jobs.get(jobId);
    if (!this.jobs.end(jobId, state, error, now)) return;
    const fields = { job: jobId, name: entry?.report.name || undefined, driver: entry?.report.driver || undefined, tasksDone: entry?.report.tasksDone, tasksTotal: entry?.report.tasksTotal, error };
    this.log[state === 'failed' ? 'warn' : 'info'](fields, `job state: ${state}`);
    this.release(jobId, error);
    const stream = this.leases.drop(jobId);
    stream?.cancelled(error);
    const agents = this.agents.alive().map((a) => a.address);
    this.opts.onJobStopped?.(jobId, error, agents);
  }
}
