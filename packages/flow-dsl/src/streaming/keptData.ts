// Datasets a stream keeps from one batch for later ones (a window's batches, the state of
// updateStateByKey), in the executors' shard stores — never in the driver. A dataset registered
// during a batch is a cached node; once the batch's outputs are done it is computed if no output
// computed it, then moved under a node without lineage (a 'kept' step), so a stream that runs
// for days does not grow a chain of every batch before it. Owners say who still needs it;
// released by all, its shards are deleted.
import type { Dataset } from '../dataset';
import type { Flow } from '../flow';
import type { RunOptions } from '../options';
import type { LogicalNode } from '../steps';

export interface KeptEntry {
  /** The live dataset during its batch, then the kept one. */
  ds: Dataset<any>;
  timeMs: number;
  label: string;
  /** `owner@time` keys of the streams that need it. */
  owners: Set<string>;
  /** Moved under a kept node (after its batch). */
  settled: boolean;
  /** Where a checkpoint saved it (relative to the checkpoint directory). */
  saved?: string;
}

export class KeptData {
  private readonly byKey = new Map<string, KeptEntry>();
  private readonly entries = new Set<KeptEntry>();
  private released: KeptEntry[] = [];

  constructor(private readonly flow: Flow) {}

  /** `ds` (of the batch at timeMs) is needed by `owner` in later batches. */
  keep(owner: string, timeMs: number, ds: Dataset<any>, label: string): Dataset<any> {
    const key = `${owner}@${timeMs}`;
    const had = this.byKey.get(key);
    if (had) return had.ds;
    let e = [...this.entries].find((x) => x.ds === ds);
    if (!e) {
      if (!this.flow.session.isKept(ds.node)) ds.cache();
      e = { ds, timeMs, label, owners: new Set(), settled: false };
      this.entries.add(e);
    }
    e.owners.add(key);
    this.byKey.set(key, e);
    return ds;
  }

  /** A restored entry (from a checkpoint), already settled. */
  adoptRestored(entry: KeptEntry): void {
    entry.ds.cache();
    this.entries.add(entry);
    for (const k of entry.owners) this.byKey.set(k, entry);
  }

  get(owner: string, timeMs: number): Dataset<any> | undefined {
    return this.byKey.get(`${owner}@${timeMs}`)?.ds;
  }

  /** The newest dataset of `owner` before `timeMs` (state after a restart skipped some batches). */
  latestBefore(owner: string, timeMs: number): Dataset<any> | undefined {
    let best: KeptEntry | undefined;
    let bestT = Number.NEGATIVE_INFINITY;
    for (const [key, e] of this.byKey) {
      const at = key.lastIndexOf('@');
      if (key.slice(0, at) !== owner) continue;
      const t = Number(key.slice(at + 1));
      if (t < timeMs && t > bestT) {
        best = e;
        bestT = t;
      }
    }
    return best?.ds;
  }

  /** `owner` no longer needs its datasets of the times `drop` accepts. */
  release(owner: string, drop: (timeMs: number) => boolean): void {
    for (const [key, e] of [...this.byKey]) {
      const at = key.lastIndexOf('@');
      if (key.slice(0, at) !== owner || !drop(Number(key.slice(at + 1)))) continue;
      this.byKey.delete(key);
      e.owners.delete(key);
      if (e.owners.size === 0) {
        this.entries.delete(e);
        this.released.push(e);
      }
    }
  }

  /**
   * After a batch's outputs: computes what no output computed (one small job each) and moves
   * every new dataset under a node without lineage. Returns the entries settled now.
   */
  async settle(run: RunOptions): Promise<KeptEntry[]> {
    const now: KeptEntry[] = [];
    for (const e of this.entries) {
      if (e.settled) continue;
      if (!this.flow.session.isKept(e.ds.node)) await e.ds.count(run);
      const kept = this.flow.keptDataset(e.label);
      if (!this.flow.session.adopt(e.ds.node, kept.node)) throw new Error(`internal: ${e.label} was computed but not kept`);
      e.ds = kept;
      e.settled = true;
      now.push(e);
    }
    return now;
  }

  /** Nodes that must outlive the batch. */
  nodes(): Set<LogicalNode> {
    const out = new Set<LogicalNode>();
    for (const e of this.entries) out.add(e.ds.node);
    return out;
  }

  all(): KeptEntry[] {
    return [...this.entries];
  }

  /** Entries released since the last call (their shards can go, and their saved copies). */
  takeReleased(): KeptEntry[] {
    const r = this.released;
    this.released = [];
    return r;
  }

  /** Releases everything (the stream stopped). */
  releaseAll(): KeptEntry[] {
    for (const e of this.entries) this.released.push(e);
    this.entries.clear();
    this.byKey.clear();
    return this.takeReleased();
  }
}
