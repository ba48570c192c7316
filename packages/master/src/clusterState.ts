// The master's whole state (agents, slot grants, jobs) and the rules that tie them together,
// free of gRPC and HTTP so it can be driven and tested directly.
import type { Logger } from 'pino';
import type { AgentHeartbeat__Output, ClusterStatusResponse__Output, JobReport__Output } from '@gleam/proto';
import { AgentRegistry } from './agentRegistry';
import { FINISHED_STATES, JobBook } from './jobBook';
import { type Grant, SlotAllocator } from './slotAllocator';

export interface ClusterStateOptions {
  deadAfterMs: number;
  leaseMs: number;
  forgetDeadAfterMs: number;
  keepFinishedJobs: number;
  logger: Logger;
}

export class ClusterState {
  readonly startedMs = Date.now();
  readonly agents: AgentRegistry;
  readonly slots = new SlotAllocator();
  readonly jobs: JobBook;
  private readonly log: Logger;

  constructor(private readonly opts: ClusterStateOptions) {
    this.log = opts.logger;
    this.jobs = new JobBook(opts.keepFinishedJobs);
    this.agents = new AgentRegistry({
      deadAfterMs: opts.deadAfterMs,
      forgetDeadAfterMs: opts.forgetDeadAfterMs,
      logger: opts.logger,
      onDead: (agent) => {
        const jobs = this.slots.dropAgent(agent.address);
        if (jobs.length) this.log.warn({ agent: agent.address, jobs }, 'slots of a dead agent dropped');
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
    if (this.jobs.touch(jobId, jobName, driver, now)) this.log.info({ job: jobId, name: jobName, driver }, 'job state: running');
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
    // A finished job uses no slots, whether or not its driver gets to release them.
    if (FINISHED_STATES.has(state)) this.release(r.jobId, `job ${state}`);
  }

  /** The timer's work: dead agents, and the slots and jobs of drivers that went silent. */
  sweep(now = Date.now()): void {
    this.agents.sweep(now);
    for (const jobId of this.slots.jobIds()) {
      const entry = this.jobs.get(jobId);
      if (!entry || now - entry.lastSeenMs > this.opts.leaseMs) this.release(jobId, `lease expired: no word from the driver for ${this.opts.leaseMs} ms`);
    }
    for (const entry of this.jobs.silentRunning(now, this.opts.leaseMs)) {
      this.report({ ...entry.report, state: 'failed', error: `driver lost: no report for ${this.opts.leaseMs} ms`, finishedMs: now }, entry.lastSeenMs);
    }
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
      jobs: this.jobs.list().map((e) => ({ report: e.report, grants: this.slots.grantsOf(e.report.jobId) })),
    };
  }
}
