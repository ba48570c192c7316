// Distributed mode: executor slots granted by the master, task groups executed on agents over
// gRPC, shards located on the agent that wrote them and read from there.
import * as os from 'node:os';
import {
  decodePartials,
  encodeValue,
  GleamError,
  readShardSets,
  writtenShards,
  type SerializedError,
  type ShardSet,
  type TaskGroupSpec,
  type TaskStats,
} from '@gleam/executor';
import {
  callMetadata,
  createAgentClient,
  createMasterClient,
  grpc,
  openShardWriter,
  readShardsFrames,
  unary,
  JOB_CANCELLED_ERROR_NAME,
  type AgentClient,
  type AllocateResponse__Output,
  type ClientTls,
  type MasterClient,
  type ShardWriter,
  type TaskEvent__Output,
} from '@gleam/proto';
import type { Cluster, JobOutcome, PartReader } from '../cluster';
import { agentError, describeGrpcError } from './grpcErrors';
import { RemotePartReader } from './partReader';
import { JobCancelledError } from '../job/jobErrors';
import { JobReporter, type JobReportFields } from './jobReporter';
import type { JobEvent } from '../job/jobEvents';
import { JobLease } from './jobLease';
import { TaskPlaces } from './taskPlaces';
import { ShardLocations } from './shardLocations';

export interface RemoteClusterOptions {
  master: string;
  secret?: string;
  /** Speak TLS to the master and the agents, trusting `tls.ca` (the system's roots when absent). */
  tls?: ClientTls;
  jobId: string;
  jobName: string;
  /** Slots the job could use at once. */
  wantSlots: number;
  /** Shards that outlive jobs (a Flow's cached datasets) and the agents holding them. */
  knownLocations?: Map<string, string>;
  /** How long to keep asking when the cluster has no free slot. */
  allocateTimeoutMs?: number;
  /** Gives up waiting for slots (the job was cancelled before it started). */
  signal?: AbortSignal;
}

const CONTROL_DEADLINE_MS = 5000;
/** Shard deletes are sent per agent in batches of this many names, or after this delay. */
const DELETE_BATCH = 512;
const DELETE_DELAY_MS = 50;

export class RemoteCluster implements Cluster {
  readonly slots: number;
  /** Agents queue tasks per executor, so a short task can be sent before the one ahead of it ends (hiding the round trip). */
  readonly maxTasksPerSlot = 2;
  private readonly slotAgents: string[];
  private readonly clients = new Map<string, AgentClient>();
  /** ExecuteTask calls in flight per slot (an agent queues a second one behind the first). */
  private readonly running = new Map<number, Set<grpc.ClientReadableStream<TaskEvent__Output>>>();
  private readonly writers = new Map<string, ShardWriter>();
  private readonly closed = new Set<string>();
  private readonly sourceShards = new Set<string>();
  readonly locations = new ShardLocations();
  private sourceTurn = 0;
  /** Shown on the master's status page. */
  planText = '';
  /** Where the shards a task reads live, as sent with the task. */
  private readonly places = new TaskPlaces(this.locations);
  private readonly startedMs = Date.now();
  private readonly reporter = new JobReporter(this.startedMs, (r) => this.report(r));
  /** The plan goes with the first report only: the master keeps it. */
  private planSent = false;

  private constructor(private readonly masterClient: MasterClient, private readonly opts: RemoteClusterOptions, slotAgents: string[]) {
    this.slotAgents = slotAgents;
    this.slots = slotAgents.length;
    for (const [shard, agent] of opts.knownLocations ?? []) this.locations.set(shard, agent);
  }

  /** Deletes shards by prefix on the given agents (a Flow dropping its cached datasets). */
  static async deleteOnAgents(agents: Iterable<string>, prefix: string, secret?: string, tls?: ClientTls): Promise<void> {
    await Promise.all(
      [...agents].map((agent) => {
        const c = createAgentClient(agent, tls);
        return unary(c.DeleteShards.bind(c), { prefix }, callMetadata(secret), CONTROL_DEADLINE_MS).then(
          () => c.close(),
          () => c.close(),
        );
      }),
    );
  }

  /** Deletes these shards, listed per agent holding them (a Flow's cached datasets it drops). */
  static async deleteShardsOnAgents(byAgent: Map<string, string[]>, secret?: string, tls?: ClientTls): Promise<void> {
    await Promise.all(
      [...byAgent].map(([agent, shards]) => {
        const c = createAgentClient(agent, tls);
        return unary(c.DeleteShards.bind(c), { shards }, callMetadata(secret), CONTROL_DEADLINE_MS).then(
          () => c.close(),
          () => c.close(),
        );
      }),
    );
  }

  /** Asks the master for slots (retrying while none is free) and connects to the agents. */
  static async connect(opts: RemoteClusterOptions): Promise<RemoteCluster> {
    const master = createMasterClient(opts.master, opts.tls);
    const deadline = Date.now() + (opts.allocateTimeoutMs ?? 30000);
    const md = () => callMetadata(opts.secret);
    for (let attempt = 0; ; attempt++) {
      let res: AllocateResponse__Output;
      try {
        res = await unary<any, AllocateResponse__Output>(master.AllocateSlots.bind(master), {
          jobId: opts.jobId,
          jobName: opts.jobName,
          slots: opts.wantSlots,
          driver: `${os.hostname()}:${process.pid}`,
        }, md(), CONTROL_DEADLINE_MS);
      } catch (e) {
        master.close();
        throw new GleamError(`cannot reach the master at ${opts.master}: ${describeGrpcError(e, opts.tls !== undefined)}`);
      }
      const agents: string[] = [];
      for (const g of res.grants) for (let i = 0; i < g.slots; i++) agents.push(g.agent);
      if (agents.length > 0) {
        const cluster = new RemoteCluster(master, opts, interleave(agents));
        // The master wants the lease right after the grant; a driver that dies then loses it.
        cluster.holdLease();
        return cluster;
      }
      if (Date.now() > deadline) {
        master.close();
        throw new GleamError(`the master at ${opts.master} has no free executor slot (no agent registered, or all busy) after ${Math.round((opts.allocateTimeoutMs ?? 30000) / 1000)} s`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(2000, 200 * (attempt + 1)));
        function done() {
          clearTimeout(t);
          opts.signal?.removeEventListener('abort', done);
          resolve();
        }
        opts.signal?.addEventListener('abort', done, { once: true });
      });
      if (opts.signal?.aborted) {
        await unary(master.ReleaseSlots.bind(master), { jobId: opts.jobId }, md(), CONTROL_DEADLINE_MS).catch(() => undefined);
        master.close();
        throw opts.signal.reason instanceof Error ? opts.signal.reason : new GleamError('cancelled while waiting for executor slots');
      }
    }
  }

  private client(agent: string): AgentClient {
    let c = this.clients.get(agent);
    if (!c) {
      c = createAgentClient(agent, this.opts.tls);
      this.clients.set(agent, c);
    }
    return c;
  }

  slotLocation(slot: number): string {
    return this.slotAgents[slot];
  }

  /** Prefer the agent already holding most of the task group's inputs. */
  pickSlot(spec: TaskGroupSpec, freeSlots: number[]): number {
    const score = new Map<string, number>();
    for (const use of readShardSets(spec)) {
      for (const s of use.shards) {
        const a = this.locations.get(s);
        if (a) score.set(a, (score.get(a) ?? 0) + 1);
      }
    }
    let best = freeSlots[freeSlots.length - 1];
    let bestScore = -1;
    for (const slot of freeSlots) {
      const sc = score.get(this.slotAgents[slot]) ?? 0;
      if (sc > bestScore) {
        best = slot;
        bestScore = sc;
      }
    }
    return best;
  }

  runTask(spec: TaskGroupSpec, slot: number, onStart?: () => void, onProgress?: (rowsIn: number) => void): Promise<TaskStats> {
    const agent = this.slotAgents[slot];
    // Outputs live where the task runs: record them before any consumer can ask.
    for (const s of writtenShards(spec)) this.locations.set(s, agent);
    let locations: Uint8Array;
    try {
      locations = this.places.encode(spec);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<TaskStats>((resolve, reject) => {
      let settled = false;
      const call = this.client(agent).ExecuteTask({ jobId: this.opts.jobId, task: encodeValue(spec), shardLocations: {}, locations, progress: true }, callMetadata(this.opts.secret));
      let calls = this.running.get(slot);
      if (!calls) this.running.set(slot, (calls = new Set()));
      calls.add(call);
      this.callTask.set(call, spec.id);
      const finish = (err?: Error, stats?: TaskStats) => {
        if (settled) return;
        settled = true;
        calls!.delete(call);
        if (err) reject(err);
        else resolve(stats!);
      };
      call.on('data', (ev: TaskEvent__Output) => {
        if (ev.started) {
          onStart?.();
        } else if (ev.progress) {
          onProgress?.(Number(ev.progress.rowsIn));
        } else if (ev.done) {
          const d = ev.done;
          finish(undefined, { rowsIn: Number(d.rowsIn), rowsOut: Number(d.rowsOut), framesOut: Number(d.framesOut), bytesOut: Number(d.bytesOut), millis: Number(d.millis), accumulators: decodePartials(d.accumulators), ...(d.spilledShards?.length ? { spilledShards: d.spilledShards } : {}) });
        } else if (ev.failed) {
          const f = ev.failed;
          // The agent stopped the task because the master cancelled the job: a cancel, not a failure.
          if (f.name === JOB_CANCELLED_ERROR_NAME) return finish(new JobCancelledError(this.cancelReason ?? f.message));
          const e = new GleamError(f.message, f.step || undefined);
          if (f.stack) e.stack = f.stack;
          // Keep the kind (LostWork, LostInput, PipeError...) and, for lost work, the agent to blame.
          if (f.name && f.name !== 'Error') e.name = f.name;
          if (f.lostAgent) (e as GleamError & { lostAgent?: string }).lostAgent = f.lostAgent;
          if (f.lostShard) (e as GleamError & { lostShard?: string }).lostShard = f.lostShard;
          finish(e);
        }
      });
      call.on('error', (e: grpc.ServiceError) => finish(agentError(agent, `running task group ${spec.name}`, e)));
      call.on('end', () => {
        if (!settled) finish(new GleamError(`agent ${agent} ended task group ${spec.name} without a result`));
      });
    });
  }

  cancelTask(slot: number, taskId?: string): void {
    for (const call of this.running.get(slot) ?? []) if (taskId === undefined || this.callTask.get(call) === taskId) call.cancel();
  }

  /** The spec id each ExecuteTask call runs (two may share a slot). */
  private readonly callTask = new WeakMap<object, string>();

  /** A sink's partitions, read in chunks with one call per agent (see RemotePartReader). */
  openParts(parts: ShardSet[], signal: AbortSignal): PartReader {
    return new RemotePartReader(parts, this.locations, (a) => this.client(a), this.opts.secret, signal, agentError);
  }

  /** Shards in order, each read from the agent holding it (runs on one agent are one call; a section read has no order across shards). */
  async *readShards(set: ShardSet, signal: AbortSignal): AsyncIterable<Uint8Array> {
    const runs: { agent: string; shards: string[] }[] = [];
    for (const shard of set.shards) {
      const agent = await this.locations.wait(shard, signal);
      const run = set.section !== undefined ? runs.find((r) => r.agent === agent) : runs[runs.length - 1];
      if (run && run.agent === agent) run.shards.push(shard);
      else runs.push({ agent, shards: [shard] });
    }
    for (const run of runs) {
      try {
        yield* readShardsFrames(this.client(run.agent), run.shards, { secret: this.opts.secret, signal, section: set.section });
      } catch (e) {
        if (signal.aborted) throw e;
        throw agentError(run.agent, `reading shard ${run.shards[0]}${run.shards.length > 1 ? ` (and ${run.shards.length - 1} more)` : ''}`, e);
      }
    }
  }

  /** Driver-side sources write their shards to the agents in turn, placed before any reader asks. */
  placeSourceShards(shards: string[]): void {
    for (const shard of shards) this.sourceShards.add(shard);
    for (const shard of shards) this.locations.set(shard, this.slotAgents[this.sourceTurn++ % this.slotAgents.length]);
    // Write streams open now, not at the first frame: an agent fails reads of a shard nobody is
    // writing after its missing-shard bound, and a slow source must not look like nobody.
    for (const shard of shards) this.writerOf(shard);
  }

  appendShard(shard: string, frame: Uint8Array): void | Promise<void> {
    return this.writerOf(shard).write(frame);
  }

  private writerOf(shard: string): ShardWriter {
    let w = this.writers.get(shard);
    if (!w) {
      let agent = this.locations.get(shard);
      if (agent === undefined) {
        agent = this.slotAgents[this.sourceTurn++ % this.slotAgents.length];
        this.locations.set(shard, agent);
      }
      w = openShardWriter(this.client(agent), shard, this.opts.secret);
      this.writers.set(shard, w);
    }
    return w;
  }

  async closeShard(shard: string, error?: SerializedError): Promise<void> {
    if (this.closed.has(shard)) return;
    this.closed.add(shard);
    // An empty source partition still opens (and cleanly ends) its shard, so readers see an
    // empty stream; shards written by tasks are ended by their agents (or deleted on failure).
    const w = this.writers.get(shard) ?? (!error && this.isSourceShard(shard) ? this.writerOf(shard) : undefined);
    if (!w) return;
    this.writers.delete(shard);
    if (error) {
      w.abort();
      return;
    }
    const agent = this.locations.get(shard)!;
    try {
      await w.end();
    } catch (e) {
      throw agentError(agent, `writing shard ${shard}`, e);
    }
  }

  private isSourceShard(shard: string): boolean {
    return this.sourceShards.has(shard);
  }

  isShardClosed(shard: string): boolean {
    return this.closed.has(shard);
  }

  /**
   * Frees a shard no reader needs any more. Deletes go to each agent in batches (one call per
   * DELETE_BATCH names or DELETE_DELAY_MS): a job of 10,000 tiny tasks must not add 10,000 calls.
   */
  deleteShard(shard: string): void {
    const agent = this.locations.get(shard);
    if (!agent) return;
    let batch = this.pendingDeletes.get(agent);
    if (!batch) this.pendingDeletes.set(agent, (batch = []));
    batch.push(shard);
    if (batch.length >= DELETE_BATCH) this.flushDeletes(agent);
    else this.deleteTimer ??= setTimeout(() => this.flushDeletes(), DELETE_DELAY_MS);
  }

  private readonly pendingDeletes = new Map<string, string[]>();
  private deleteTimer: NodeJS.Timeout | undefined;

  private flushDeletes(only?: string): Promise<void> {
    if (!only) {
      clearTimeout(this.deleteTimer);
      this.deleteTimer = undefined;
    }
    const sends: Promise<void>[] = [];
    for (const [agent, shards] of this.pendingDeletes) {
      if (only && agent !== only) continue;
      this.pendingDeletes.delete(agent);
      if (!this.lostAgents.has(agent)) sends.push(this.deleteOn(agent, { shards }));
    }
    return Promise.all(sends).then(() => undefined);
  }

  /**
   * Drops the job's shards on every agent it used; after a failure or a cancel, CancelJob also
   * stops whatever of the job still runs there and refuses its late calls.
   */
  async endJob(prefix: string, outcome: JobOutcome): Promise<void> {
    await this.flushDeletes();
    // A lost agent may be gone or stopped: it is told to drop the job without waiting for it (the
    // master tells it again if it comes back).
    for (const a of this.lostAgents) {
      const c = this.client(a);
      void unary(c.CancelJob.bind(c), { jobId: this.opts.jobId, reason: 'the job gave this agent up as lost' }, callMetadata(this.opts.secret), CONTROL_DEADLINE_MS).catch(() => undefined);
    }
    const agents = new Set([...this.slotAgents, ...this.locations.agents()].filter((a) => !this.lostAgents.has(a)));
    if (outcome === 'succeeded') {
      await Promise.all([...agents].map((a) => this.deleteOn(a, { prefix })));
      return;
    }
    const reason = outcome === 'cancelled' ? `cancelled: ${this.cancelReason ?? 'by the driver'}` : 'the job failed';
    await Promise.all(
      [...agents].map((a) => {
        const c = this.client(a);
        return unary(c.CancelJob.bind(c), { jobId: this.opts.jobId, reason }, callMetadata(this.opts.secret), CONTROL_DEADLINE_MS).then(
          () => undefined,
          () => this.deleteOn(a, { prefix }), // an older agent without CancelJob, or a gone one
        );
      }),
    );
  }

  private deleteOn(agent: string, req: { shard?: string; prefix?: string; shards?: string[] }): Promise<void> {
    const c = this.client(agent);
    // Agents delete only shards of the job a request names (or of a Flow's cache).
    return unary(c.DeleteShards.bind(c), { ...req, jobId: this.opts.jobId }, callMetadata(this.opts.secret), CONTROL_DEADLINE_MS).then(
      () => undefined,
      () => undefined, // an agent that is gone has nothing left to delete
    );
  }

  /** Fails every pending shard lookup (a sink waiting for a producer that will never run). */
  jobFailed(e: Error): void {
    this.locations.failAll(e);
  }

  /** Job events become progress reports to the master: stages and changed tasks, batched. */
  onJobEvent(e: JobEvent): void {
    this.reporter.onEvent(e);
  }

  /** The job's final report, then its slots go back to the master. */
  async finish(outcome: JobOutcome, error?: Error): Promise<void> {
    await this.reporter.finish(outcome, error?.message);
    await this.dispose();
  }

  /** Reports the job's progress to the master (best effort: the job does not depend on it). */
  private report(report: JobReportFields): Promise<void> {
    const plan = this.planSent ? '' : this.planText;
    if (plan) this.planSent = true;
    return unary(this.masterClient.ReportJob.bind(this.masterClient), {
      jobId: this.opts.jobId,
      name: this.opts.jobName,
      driver: `${os.hostname()}:${process.pid}`,
      plan,
      ...report,
      error: report.error ?? '',
      finishedMs: report.finishedMs ?? 0,
    }, callMetadata(this.opts.secret), CONTROL_DEADLINE_MS).then(() => undefined, () => undefined);
  }

  /**
   * The job's lease on the master: if the master ends the job (`gleam cancel`, or it gave the
   * driver up), the job is cancelled here too.
   */
  private holdLease(): void {
    this.lease = JobLease.open({
      master: this.opts.master,
      secret: this.opts.secret,
      tls: this.opts.tls,
      jobId: this.opts.jobId,
      jobName: this.opts.jobName,
      driver: `${os.hostname()}:${process.pid}`,
      onCancelled: (reason) => {
        // The master says "cancelled: <why>" for a cancel, "driver lost: <why>" when it gave us up.
        this.cancelReason = reason.replace(/^cancelled: /, '');
        this.cancelJob?.(this.cancelReason);
      },
      // The master stopped hearing from an agent: what the job held there is lost.
      onAgentLost: (address, reason) => this.agentLostHandler?.(address, `the master declared it dead: ${reason}`),
    });
  }

  private lease: JobLease | undefined;
  private cancelReason: string | undefined;
  private cancelJob: ((reason: string) => void) | undefined;

  private agentLostHandler: ((agent: string, why: string) => void) | undefined;
  /** Agents this job gave up: no more tasks, and no waiting on them when the job ends. */
  private readonly lostAgents = new Set<string>();

  onAgentLost(handler: (agent: string, why: string) => void): void {
    this.agentLostHandler = handler;
  }

  forgetAgent(agent: string): string[] {
    this.lostAgents.add(agent);
    this.slotAgents.forEach((a, slot) => {
      if (a === agent) this.cancelTask(slot);
    });
    for (const [shard, w] of this.writers) {
      if (this.locations.get(shard) === agent) {
        w.abort();
        this.writers.delete(shard);
      }
    }
    return this.locations.forgetAgent(agent);
  }

  forgetShard(shard: string): void {
    this.locations.forget(shard);
  }

  /** Lets the master cancel the job (through its lease); a cancel that came before is passed on at once. */
  onCancel(cancel: (reason: string) => void): void {
    this.cancelJob = cancel;
    if (this.cancelReason !== undefined) cancel(this.cancelReason);
  }

  async dispose(): Promise<void> {
    await this.flushDeletes();
    await this.lease?.close().catch(() => undefined);
    for (const calls of this.running.values()) for (const call of calls) call.cancel();
    for (const w of this.writers.values()) w.abort();
    await unary(this.masterClient.ReleaseSlots.bind(this.masterClient), { jobId: this.opts.jobId }, callMetadata(this.opts.secret), CONTROL_DEADLINE_MS).catch(() => undefined);
    for (const c of this.clients.values()) c.close();
    this.masterClient.close();
  }
}

/** Slots of the same agent spread apart, so the first task groups land on different agents. */
function interleave(agents: string[]): string[] {
  const byAgent = new Map<string, number>();
  for (const a of agents) byAgent.set(a, (byAgent.get(a) ?? 0) + 1);
  const out: string[] = [];
  while (out.length < agents.length) {
    for (const [a, n] of byAgent) {
      if (n > 0) {
        out.push(a);
        byAgent.set(a, n - 1);
      }
    }
  }
  return out;
}
