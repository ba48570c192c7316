// Distributed mode: executor slots granted by the master, task groups executed on agents over
// gRPC, shards located on the agent that wrote them and read from there.
import * as os from 'node:os';
import { encodeValue, GleamError, type SerializedError, type TaskGroupSpec, type TaskStats, inputShards, outputShards, sideOutputShards } from '@gleam/executor';
import {
  callMetadata,
  createAgentClient,
  createMasterClient,
  grpc,
  openShardWriter,
  readShardFrames,
  unary,
  type AgentClient,
  type AllocateResponse__Output,
  type MasterClient,
  type ShardWriter,
  type TaskEvent__Output,
} from '@gleam/proto';
import type { Cluster } from '../cluster';
import { ShardLocations } from './shardLocations';

export interface RemoteClusterOptions {
  master: string;
  secret?: string;
  jobId: string;
  jobName: string;
  /** Slots the job could use at once. */
  wantSlots: number;
  /** Shards that outlive jobs (a Flow's cached datasets) and the agents holding them. */
  knownLocations?: Map<string, string>;
  /** How long to keep asking when the cluster has no free slot. */
  allocateTimeoutMs?: number;
}

const CONTROL_DEADLINE_MS = 5000;

export class RemoteCluster implements Cluster {
  readonly slots: number;
  private readonly slotAgents: string[];
  private readonly clients = new Map<string, AgentClient>();
  private readonly running = new Map<number, grpc.ClientReadableStream<TaskEvent__Output>>();
  private readonly writers = new Map<string, ShardWriter>();
  private readonly closed = new Set<string>();
  private readonly sourceShards = new Set<string>();
  readonly locations = new ShardLocations();
  private sourceTurn = 0;
  /** Shown on the master's status page. */
  planText = '';

  private constructor(private readonly masterClient: MasterClient, private readonly opts: RemoteClusterOptions, slotAgents: string[]) {
    this.slotAgents = slotAgents;
    this.slots = slotAgents.length;
    for (const [shard, agent] of opts.knownLocations ?? []) this.locations.set(shard, agent);
  }

  /** Deletes shards by prefix on the given agents (a Flow dropping its cached datasets). */
  static async deleteOnAgents(agents: Iterable<string>, prefix: string, secret?: string): Promise<void> {
    await Promise.all(
      [...agents].map((agent) => {
        const c = createAgentClient(agent);
        return unary(c.DeleteShards.bind(c), { prefix }, callMetadata(secret), CONTROL_DEADLINE_MS).then(
          () => c.close(),
          () => c.close(),
        );
      }),
    );
  }

  /** Asks the master for slots (retrying while none is free) and connects to the agents. */
  static async connect(opts: RemoteClusterOptions): Promise<RemoteCluster> {
    const master = createMasterClient(opts.master);
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
        throw new GleamError(`cannot reach the master at ${opts.master}: ${describeGrpcError(e)}`);
      }
      const agents: string[] = [];
      for (const g of res.grants) for (let i = 0; i < g.slots; i++) agents.push(g.agent);
      if (agents.length > 0) return new RemoteCluster(master, opts, interleave(agents));
      if (Date.now() > deadline) {
        master.close();
        throw new GleamError(`the master at ${opts.master} has no free executor slot (no agent registered, or all busy) after ${Math.round((opts.allocateTimeoutMs ?? 30000) / 1000)} s`);
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * (attempt + 1))));
    }
  }

  private client(agent: string): AgentClient {
    let c = this.clients.get(agent);
    if (!c) {
      c = createAgentClient(agent);
      this.clients.set(agent, c);
    }
    return c;
  }

  /** Prefer the agent already holding most of the task group's inputs. */
  pickSlot(spec: TaskGroupSpec, freeSlots: number[]): number {
    const score = new Map<string, number>();
    for (const s of inputShards(spec)) {
      const a = this.locations.get(s);
      if (a) score.set(a, (score.get(a) ?? 0) + 1);
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

  runTask(spec: TaskGroupSpec, slot: number): Promise<TaskStats> {
    const agent = this.slotAgents[slot];
    // Outputs live where the task runs: record them before any consumer can ask.
    for (const s of [...outputShards(spec.output), ...sideOutputShards(spec)]) this.locations.set(s, agent);
    const shardLocations: Record<string, string> = {};
    for (const s of inputShards(spec)) {
      const a = this.locations.get(s);
      if (a !== undefined && a !== agent) shardLocations[s] = a;
    }
    return new Promise<TaskStats>((resolve, reject) => {
      let settled = false;
      const call = this.client(agent).ExecuteTask({ jobId: this.opts.jobId, task: encodeValue(spec), shardLocations }, callMetadata(this.opts.secret));
      this.running.set(slot, call);
      const finish = (err?: Error, stats?: TaskStats) => {
        if (settled) return;
        settled = true;
        this.running.delete(slot);
        if (err) reject(err);
        else resolve(stats!);
      };
      call.on('data', (ev: TaskEvent__Output) => {
        if (ev.done) {
          const d = ev.done;
          finish(undefined, { rowsIn: Number(d.rowsIn), rowsOut: Number(d.rowsOut), framesOut: Number(d.framesOut), bytesOut: Number(d.bytesOut), millis: Number(d.millis) });
        } else if (ev.failed) {
          const f = ev.failed;
          const e = new GleamError(f.message, f.step || undefined);
          if (f.stack) e.stack = f.stack;
          finish(e);
        }
      });
      call.on('error', (e: grpc.ServiceError) => finish(agentError(agent, `running task group ${spec.name}`, e)));
      call.on('end', () => finish(new GleamError(`agent ${agent} ended task group ${spec.name} without a result`)));
    });
  }

  cancelTask(slot: number): void {
    this.running.get(slot)?.cancel();
  }

  async *readShard(shard: string, signal: AbortSignal): AsyncIterable<Uint8Array> {
    const agent = await this.locations.wait(shard, signal);
    try {
      yield* readShardFrames(this.client(agent), shard, { secret: this.opts.secret, signal });
    } catch (e) {
      if (signal.aborted) throw e;
      throw agentError(agent, `reading shard ${shard}`, e);
    }
  }

  /** Driver-side sources write their shards to the agents in turn, placed before any reader asks. */
  placeSourceShards(shards: string[]): void {
    for (const shard of shards) this.sourceShards.add(shard);
    for (const shard of shards) this.locations.set(shard, this.slotAgents[this.sourceTurn++ % this.slotAgents.length]);
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

  deleteShard(shard: string): void {
    const agent = this.locations.get(shard);
    if (agent) this.deleteOn(agent, { shard });
  }

  async deleteShards(prefix: string): Promise<void> {
    const agents = new Set([...this.slotAgents, ...this.locations.agents()]);
    await Promise.all([...agents].map((a) => this.deleteOn(a, { prefix })));
  }

  private deleteOn(agent: string, req: { shard?: string; prefix?: string }): Promise<void> {
    const c = this.client(agent);
    return unary(c.DeleteShards.bind(c), req, callMetadata(this.opts.secret), CONTROL_DEADLINE_MS).then(
      () => undefined,
      () => undefined, // an agent that is gone has nothing left to delete
    );
  }

  /** Fails every pending shard lookup (a sink waiting for a producer that will never run). */
  jobFailed(e: Error): void {
    this.locations.failAll(e);
  }

  /** Reports the job's progress to the master (best effort: the job does not depend on it). */
  report(report: { state: string; tasksTotal: number; tasksDone: number; error?: string; startedMs: number; finishedMs?: number }): Promise<void> {
    return unary(this.masterClient.ReportJob.bind(this.masterClient), {
      jobId: this.opts.jobId,
      name: this.opts.jobName,
      driver: `${os.hostname()}:${process.pid}`,
      plan: this.planText,
      ...report,
      error: report.error ?? '',
      finishedMs: report.finishedMs ?? 0,
    }, callMetadata(this.opts.secret), CONTROL_DEADLINE_MS).then(() => undefined, () => undefined);
  }

  async dispose(): Promise<void> {
    for (const call of this.running.values()) call.cancel();
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

function describeGrpcError(e: unknown): string {
  const se = e as grpc.ServiceError;
  if (se && typeof se.code === 'number') {
    if (se.code === grpc.status.UNAUTHENTICATED) return `refused: ${se.details}`;
    if (se.code === grpc.status.DEADLINE_EXCEEDED) return 'no answer within 5 s';
    return se.details || se.message;
  }
  return (e as Error)?.message ?? String(e);
}

function agentError(agent: string, doing: string, e: unknown): GleamError {
  const se = e as grpc.ServiceError;
  if (e instanceof GleamError) return e;
  // ABORTED carries the failure of the shard's writer (agent and peers alike): pass it on as
  // the writer said it, so a job's error reads the same locally and on a cluster.
  if (se && se.code === grpc.status.ABORTED) {
    const step = se.metadata?.get('x-gleam-step')[0];
    return new GleamError(se.details ?? String(se.message), typeof step === 'string' && step ? step : undefined);
  }
  if (se && se.code === grpc.status.UNAVAILABLE) {
    const refused = /ECONNREFUSED|No connection established|connect/i.test(se.details ?? '');
    return new GleamError(`agent ${agent} ${refused ? 'is unreachable' : 'was lost'} while ${doing}: ${se.details || se.message}`);
  }
  if (se && se.code === grpc.status.UNAUTHENTICATED) return new GleamError(`agent ${agent} refused the call while ${doing}: ${se.details}`);
  if (se && se.code === grpc.status.CANCELLED) return new GleamError(`agent ${agent}: ${doing} was cancelled`);
  return new GleamError(`agent ${agent} failed while ${doing}: ${describeGrpcError(e)}`);
}
