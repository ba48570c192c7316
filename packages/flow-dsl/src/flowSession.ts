// What a Flow keeps between its actions: the shards of cached datasets (in a local cluster kept
// alive for them, or on the agents of a master) and the executors holding them.
import { FLOW_SHARD_PREFIX } from '@gleam/executor';
import { LocalCluster, remoteCluster, type RemoteCluster } from '@gleam/driver';
import type { CacheView, CacheWrite } from './planner/planFlow';
import type { LogicalNode } from './steps';

interface Kept {
  shards: string[];
  /** undefined: local mode; else the master whose agents hold the shards. */
  master?: string;
  locations?: Map<string, string>;
}

let flowCounter = 0;

export class FlowSession {
  readonly prefix = `${FLOW_SHARD_PREFIX}f${process.pid.toString(36)}-${Date.now().toString(36)}-${flowCounter++}/`;
  private local: { cluster: LocalCluster; executors: number } | undefined;
  private readonly kept = new Map<LogicalNode, Kept>();
  private secret: string | undefined;

  /** The cached datasets usable in a run in this mode (local, or on this master). */
  cacheView(master: string | undefined): CacheView {
    return {
      prefix: this.prefix,
      shardsOf: (node) => {
        const k = this.kept.get(node);
        return k && k.master === master ? k.shards : undefined;
      },
    };
  }

  /** The local cluster for a run: kept across runs while the Flow has cached datasets. */
  async localCluster(executors: number): Promise<LocalCluster> {
    if (this.local && this.local.executors !== executors) await this.dropLocal();
    if (!this.local) this.local = { cluster: new LocalCluster({ executors }), executors };
    const c = this.local.cluster;
    await c.start();
    c.setIdle(false);
    return c;
  }

  /** After a local run: keep the cluster (idle) if the Flow caches anything, else stop it. */
  async afterLocalRun(keep: boolean): Promise<void> {
    if (!this.local) return;
    if (keep) this.local.cluster.setIdle(true);
    else await this.dropLocal();
  }

  /** Knowledge of cached shards on a master's agents, for a new job there. */
  knownLocations(master: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const k of this.kept.values()) if (k.master === master && k.locations) for (const [s, a] of k.locations) out.set(s, a);
    return out;
  }

  /** A job succeeded: its cached datasets are kept for later actions. */
  commit(writes: CacheWrite[], master?: string, cluster?: RemoteCluster, secret?: string): void {
    if (secret) this.secret = secret;
    for (const w of writes) {
      const locations = cluster ? new Map(w.shards.map((s) => [s, cluster.locations.get(s)!])) : undefined;
      this.kept.set(w.node, { shards: w.shards, master, locations });
    }
  }

  /** Drops every cached dataset and stops the kept local executors. */
  async close(): Promise<void> {
    const agents = new Set<string>();
    for (const k of this.kept.values()) for (const a of k.locations?.values() ?? []) agents.add(a);
    this.kept.clear();
    if (agents.size > 0) await remoteCluster().deleteOnAgents(agents, this.prefix, this.secret);
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
