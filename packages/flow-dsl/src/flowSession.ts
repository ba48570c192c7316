// What a Flow keeps between its actions: its jobs (one at a time, in order), the shards of cached
// datasets (in a local cluster kept alive for them, or on the agents of a master) and the
// executors holding them.
import { AsyncLocalStorage } from 'node:async_hooks';
import { FLOW_SHARD_PREFIX, GleamError } from '@gleam/executor';
import { JobCancelledError, LocalCluster, remoteCluster, type Cluster, type HeldCluster, type Job, type RemoteCluster } from '@gleam/driver';
import type { CacheView, CacheWrite } from './planner/planFlow';
import type { LogicalNode } from './steps';

interface Kept {
  shards: string[];
  /** The default partition count it was computed with. */
  partitions: number;
  /** undefined: local mode; else the master whose agents hold the shards. */
  master?: string;
  locations?: Map<string, string>;
  /** Shards dropped after their job (MEMORY_ONLY partitions that did not fit): recomputed when read. */
  missing?: Set<string>;
}

let flowCounter = 0;

/** The Flow whose job is running in this async context (its sinks' callbacks run inside it). */
const insideJobOf = new AsyncLocalStorage<FlowSession>();

export class FlowSession {
  readonly prefix = `${FLOW_SHARD_PREFIX}f${process.pid.toString(36)}-${Date.now().toString(36)}-${flowCounter++}/`;
  private local: { cluster: LocalCluster; executors: number; memoryMB?: number } | undefined;
  private readonly kept = new Map<LogicalNode, Kept>();
  private secret: string | undefined;
  private tls: { ca?: Buffer } | undefined;
  /** The tail of the job queue: a Flow runs its jobs one at a time, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly jobs = new Set<Job>();
  /** Bumped by cancel(): jobs queued before it are cancelled too. */
  private cancelEpoch = 0;
  private cancelReason = '';

  /**
   * Runs `fn` after every job asked for before it. Two actions started together on one Flow
   * (or on a cached dataset) thus never share its executors or half-written cached shards.
   */
  enqueue<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (insideJobOf.getStore() === this) {
      return Promise.reject(
        new GleamError(`${what} was called from inside a running job of the same Flow (an output or forEach callback): it would wait for that job forever. Collect the rows first, or use another Flow`),
      );
    }
    const epoch = this.cancelEpoch;
    const run = this.queue.then(() => {
      if (epoch !== this.cancelEpoch) throw new JobCancelledError(this.cancelReason);
      return insideJobOf.run(this, fn);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A job of this Flow is running (cancel() reaches it). */
  track(job: Job): void {
    this.jobs.add(job);
    void job.done.catch(() => undefined).then(() => this.jobs.delete(job));
  }

  /** Cancels the running job and every queued one. */
  cancel(reason: string): void {
    this.cancelEpoch++;
    this.cancelReason = reason;
    for (const j of this.jobs) j.cancel(reason);
  }

  /** The cached datasets usable in a run in this mode (local, or on this master). */
  cacheView(master: string | undefined): CacheView {
    return {
      prefix: this.prefix,
      shardsOf: (node) => {
        const k = this.kept.get(node);
        return k && k.master === master ? k.shards : undefined;
      },
      partitionsOf: (node) => this.kept.get(node)?.partitions,
      missingOf: (node) => {
        const m = this.kept.get(node)?.missing;
        return m && m.size > 0 ? [...m] : undefined;
      },
    };
  }

  /**
   * The local cluster for a job, kept across jobs while the Flow has cached datasets. `writes`
   * says which cached datasets the job computes: kept if it succeeds, dropped if not.
   */
  async holdLocal(executors: number, cachesData: () => boolean, writes: () => CacheWrite[], standby: () => CacheWrite[] = () => [], memoryMB?: number): Promise<HeldCluster> {
    if (this.local && (this.local.executors !== executors || this.local.memoryMB !== memoryMB)) await this.dropLocal();
    if (!this.local) this.local = { cluster: new LocalCluster({ executors, memoryMB }), executors, memoryMB };
    const c = this.local.cluster;
    await c.start();
    c.setIdle(false);
    return {
      cluster: c,
      release: async (outcome, _error, actual, spilled) => {
        if (outcome === 'succeeded') this.commit(named([...writes(), ...standby()], actual), c, spilled);
        // A failed job's cached shards are incomplete: the next action computes them again.
        else for (const w of writes()) for (const s of w.shards) c.deleteShard(s);
        if (cachesData()) c.setIdle(true);
        else await this.dropLocal();
      },
    };
  }

  /** Slots from a master for a job, with what the Flow knows of its cached shards there. */
  async holdRemote(opts: { master: string; secret?: string; tls?: { ca?: Buffer }; jobId: string; jobName: string; wantSlots: number; signal: AbortSignal }, writes: () => CacheWrite[], standby: () => CacheWrite[] = () => []): Promise<HeldCluster> {
    const cluster: RemoteCluster = await remoteCluster().connect({ ...opts, knownLocations: this.knownLocations(opts.master) });
    return {
      cluster,
      onEvent: (e) => cluster.onJobEvent(e),
      onCancel: (cancel) => cluster.onCancel(cancel),
      release: async (outcome, error, actual, spilled) => {
        // Cached datasets read from earlier jobs are kept too: a lost partition was recomputed under a new name and place.
        if (outcome === 'succeeded') this.commit(named([...writes(), ...standby()], actual), cluster, spilled, { master: opts.master, remote: cluster, secret: opts.secret, tls: opts.tls });
        else for (const w of writes()) for (const s of w.shards) cluster.deleteShard(s);
        await cluster.finish(outcome, error);
      },
    };
  }

  /** Knowledge of cached shards on a master's agents, for a new job there. */
  private knownLocations(master: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const k of this.kept.values()) if (k.master === master && k.locations) for (const [s, a] of k.locations) out.set(s, a);
    return out;
  }

  /**
   * A job succeeded: its cached datasets are kept for later actions, except MEMORY_ONLY partitions
   * that spilled: those are deleted now and recorded missing, so the next job that reads the
   * dataset recomputes them from lineage. Shards of an entry replaced by new names are deleted.
   */
  private commit(writes: CacheWrite[], cluster: Cluster, spilled: ReadonlySet<string> | undefined, remote?: { master: string; remote: RemoteCluster; secret?: string; tls?: { ca?: Buffer } }): void {
    // What close() needs to reach the agents holding the cached shards.
    if (remote?.secret) this.secret = remote.secret;
    if (remote?.tls) this.tls = remote.tls;
    for (const w of writes) {
      const before = this.kept.get(w.node);
      const missing = new Set(w.shards.filter((s) => spilled?.has(s) || before?.missing?.has(s)));
      const stays = new Set(w.shards);
      for (const s of before?.shards ?? []) if (!stays.has(s)) void cluster.deleteShard(s);
      for (const s of missing) if (spilled?.has(s)) void cluster.deleteShard(s);
      const locations = remote ? new Map(w.shards.map((s) => [s, remote.remote.locations.get(s)!])) : undefined;
      this.kept.set(w.node, { shards: w.shards, partitions: w.partitions, master: remote?.master, locations, ...(missing.size > 0 ? { missing } : {}) });
    }
  }

  /**
   * A stream's dataset of one batch, computed as a cached node, lives on under a node with no
   * lineage (see the 'kept' step): the chain of batches would otherwise grow without end.
   */
  adopt(from: LogicalNode, to: LogicalNode): boolean {
    const k = this.kept.get(from);
    if (!k) return false;
    this.kept.delete(from);
    this.kept.set(to, k);
    return true;
  }

  /** Whether a cached dataset's shards are kept (in any mode). */
  isKept(node: LogicalNode): boolean {
    return this.kept.has(node);
  }

  /** Drops cached datasets and deletes their shards (a stream's window or state that slid out). */
  async unpersist(nodes: Iterable<LogicalNode>): Promise<void> {
    const byAgent = new Map<string, string[]>();
    let master: string | undefined;
    for (const n of nodes) {
      const k = this.kept.get(n);
      if (!k) continue;
      this.kept.delete(n);
      if (k.master === undefined) {
        for (const s of k.shards) this.local?.cluster.deleteShard(s);
        continue;
      }
      master = k.master;
      for (const s of k.shards) {
        const a = k.locations?.get(s);
        if (!a) continue;
        let list = byAgent.get(a);
        if (!list) byAgent.set(a, (list = []));
        list.push(s);
      }
    }
    if (master !== undefined && byAgent.size > 0) await remoteCluster().deleteShardsOnAgents(byAgent, this.secret, this.tls);
  }

  /** Stops the kept local executors unless cached datasets still need them. */
  async releaseIfIdle(cachesData: boolean): Promise<void> {
    if (!cachesData) await this.dropLocal();
  }

  /** Drops every cached dataset and stops the kept local executors. */
  async close(): Promise<void> {
    const agents = new Set<string>();
    for (const k of this.kept.values()) for (const a of k.locations?.values() ?? []) agents.add(a);
    this.kept.clear();
    if (agents.size > 0) await remoteCluster().deleteOnAgents(agents, this.prefix, this.secret, this.tls);
    await this.dropLocal();
  }

  private async dropLocal(): Promise<void> {
    const l = this.local;
    this.local = undefined;
    if (!l) return;
    for (const [node, k] of this.kept) if (k.master === undefined) this.kept.delete(node);
    await l.cluster.dispose();
  }
}

/** Cache writes under the names their last attempts wrote (a retried task writes `<shard>~a2`). */
function named(writes: CacheWrite[], actual: ((shard: string) => string) | undefined): CacheWrite[] {
  return actual ? writes.map((w) => ({ ...w, shards: w.shards.map(actual) })) : writes;
}
