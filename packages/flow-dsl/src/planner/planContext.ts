// The planner's working state: step groups being drafted, datasets already written to shards,
// driver-side sources, and the rules every operator expansion shares (fusing, materializing,
// caching). Operator expansions (operators/*.ts) work through this and shuffles.ts only.
import type { DriverSource } from '@gleam/driver';
import type { InstructionSpec, ShardSet, TaskInput, TaskOutput } from '@gleam/executor';
import { cachedShardBase } from '@gleam/executor';
import type { ResolvedOptions } from '../options';
import type { LogicalNode } from '../steps';

/** A step group being planned: one task group per partition once it has an output. */
export interface GroupDraft {
  index: number;
  /** Recomputes a cached dataset's partitions only if they are lost (see planStandby). */
  standby?: boolean;
  partitions: number;
  inputs: TaskInput[];
  stepNames: string[];
  instructions: { ins: InstructionSpec; perPartition?: (p: number) => InstructionSpec }[];
  output?: (p: number) => TaskOutput;
}

/**
 * A dataset's rows: still open (narrow steps may fuse into the group), or already in shards,
 * one ShardSet per partition. `via` names the step a group reading them starts with (a shuffle's
 * CollectPartitions, a gather's MergeTo).
 */
export type Rows = { kind: 'open'; group: GroupDraft } | { kind: 'shards'; parts: ShardSet[]; via?: string };

/** A step group run in the driver (a source from driver memory, a sink), for the plan's description. */
export interface DriverStage {
  index: number;
  name: string;
  partitions: number;
  /** Per partition: the shards it writes (sources) or reads (sinks). */
  outputs?: ShardSet[];
  inputs?: ShardSet[];
}

/** What the planner knows of a Flow's cached datasets. */
export interface CacheView {
  /** Shard name prefix of this Flow's cached datasets (starts with FLOW_SHARD_PREFIX). */
  prefix: string;
  /** Shards (one per partition) of a cached dataset already computed, if any. */
  shardsOf(node: LogicalNode): string[] | undefined;
  /** The default partition count the cached dataset was planned with (to plan its lineage alike). */
  partitionsOf?(node: LogicalNode): number | undefined;
  /** Kept shards of the dataset that are gone (MEMORY_ONLY partitions dropped because they did not fit). */
  missingOf?(node: LogicalNode): string[] | undefined;
}

/** A cached dataset this plan computes: its shards are kept once the job succeeds. */
export interface CacheWrite {
  node: LogicalNode;
  shards: string[];
  /** The default partition count it was planned with (its lineage is planned alike to recompute it). */
  partitions: number;
}

/** Numbers the names of cached datasets computed again whole (see rowsOf). */
let recomputes = 0;

export type Expand = (node: LogicalNode, ctx: PlanContext) => Rows;

export class PlanContext {
  readonly groups: GroupDraft[] = [];
  readonly driverStages: DriverStage[] = [];
  readonly sources: DriverSource[] = [];
  readonly cacheWrites: CacheWrite[] = [];
  /** Cached datasets read from an earlier job whose lost partitions this plan can recompute. */
  readonly standbyWrites: CacheWrite[] = [];
  /** Kept shards known to be gone (dropped MEMORY_ONLY partitions): their standby lineage runs at once. */
  readonly lostCached: string[] = [];
  /** How many steps and sinks read each node: datasets read more than once are written once. */
  readonly readers = new Map<LogicalNode, number>();
  private readonly memo = new Map<LogicalNode, Rows>();
  private groupCounter = 0;

  constructor(readonly opts: ResolvedOptions, private readonly expand: Expand, readonly cache?: CacheView) {}

  /** The next step group index (task groups and driver stages share one numbering). */
  nextIndex(): number {
    return this.groupCounter++;
  }

  newGroup(partitions: number, inputs: TaskInput[], firstStep?: string): GroupDraft {
    const g: GroupDraft = { index: this.nextIndex(), partitions, inputs, stepNames: firstStep ? [firstStep] : [], instructions: [] };
    this.groups.push(g);
    return g;
  }

  /** Adds an instruction (with a per-partition variant, e.g. its own side shard) to a group. */
  addStep(g: GroupDraft, stepName: string, ins: InstructionSpec, perPartition?: (p: number) => InstructionSpec): void {
    g.stepNames.push(stepName);
    g.instructions.push({ ins, perPartition });
  }

  /** A group that narrow steps can fuse into: the open one, or a new group reading the shards. */
  open(rows: Rows): GroupDraft {
    if (rows.kind === 'open') return rows.group;
    return this.newGroup(rows.parts.length, rows.parts.map((set) => ({ kind: 'shards', ...set })), rows.via);
  }

  /** The rows of a node; datasets read more than once are written to shards once. */
  rowsOf(node: LogicalNode): Rows {
    const memo = this.memo.get(node);
    if (memo) return memo;
    if (node.cached && this.cache) {
      // Computed by an earlier action: read its shards. Else compute it into the Flow's shards.
      const kept = this.cache.shardsOf(node);
      let rows: Rows;
      // MEMORY_ONLY partitions that did not fit were dropped after the job that computed them.
      const missing = kept ? (this.cache.missingOf?.(node) ?? []) : [];
      // On a cluster the shards may be lost with their agent: the lineage stands by to recompute
      // them; it recomputes dropped MEMORY_ONLY partitions anywhere. Without a lineage that can
      // stand in, a dataset with dropped partitions is computed again whole.
      const standby = kept !== undefined && node.step.kind !== 'kept' && (this.opts.master !== undefined || missing.length > 0) && this.planStandby(node, kept);
      if (kept && (missing.length === 0 || standby)) {
        rows = { kind: 'shards', parts: kept.map((s) => ({ shards: [s] })) };
        if (standby) this.lostCached.push(...missing);
      } else {
        const g = this.open(this.expand(node, this));
        // A dataset that is already shards (a driver source, a union) is copied by a task of its own.
        if (g.stepNames.length === 0) g.stepNames.push('Cache');
        // Computed again whole (dropped partitions and no lineage to stand in): new names, as the
        // kept partitions still hold the old ones until this job's commit replaces them.
        const base = cachedShardBase(this.cache.prefix, node.id, node.storage) + (kept ? `r${++recomputes}` : '');
        rows = this.closeInto(g, node, base);
      }
      this.memo.set(node, rows);
      return rows;
    }
    let rows = this.expand(node, this);
    if ((this.readers.get(node) ?? 0) > 1 && rows.kind === 'open') rows = this.close(rows.group, node.id);
    if (rows.kind === 'shards') this.memo.set(node, rows);
    return rows;
  }

  /**
   * The lineage of a cached dataset computed by an earlier job, planned again as standby task
   * groups that write the same shard names: they run only if those shards are lost. Planned with
   * the partition count the dataset was computed with, and without touching what the rest of the
   * plan shares (memoized datasets), so no real task ever reads a standby's output.
   */
  private planStandby(node: LogicalNode, kept: string[]): boolean {
    const memoBefore = new Set(this.memo.keys());
    const groupsBefore = this.groups.length;
    const sourcesBefore = this.sources.length;
    const stagesBefore = this.driverStages.length;
    const realOpts = this.opts;
    const partitions = this.cache?.partitionsOf?.(node);
    if (partitions !== undefined) (this as { opts: ResolvedOptions }).opts = { ...realOpts, partitions };
    try {
      const g = this.open(this.expand(node, this));
      if (g.stepNames.length === 0) g.stepNames.push('Cache');
      const standby = this.groups.slice(groupsBefore);
      // The lineage no longer splits the same way (input files changed), or starts at a driver-side
      // source(fn) that cannot be read twice: it cannot stand in.
      if (g.partitions !== kept.length || this.sources.length !== sourcesBefore) {
        this.groups.length = groupsBefore;
        this.sources.length = sourcesBefore;
        this.driverStages.length = stagesBefore;
        return false;
      }
      g.output = (p) => ({ kind: 'shard', shard: kept[p] });
      for (const sg of standby) sg.standby = true;
      this.standbyWrites.push({ node, shards: kept, partitions: this.opts.partitions });
      return true;
    } finally {
      (this as { opts: ResolvedOptions }).opts = realOpts;
      for (const k of [...this.memo.keys()]) if (!memoBefore.has(k)) this.memo.delete(k);
    }
  }

  /** The node's rows in shards, one ShardSet per partition. */
  materialize(node: LogicalNode): ShardSet[] {
    const rows = this.rowsOf(node);
    return rows.kind === 'shards' ? rows.parts : (this.close(rows.group, node.id) as { parts: ShardSet[] }).parts;
  }

  /** Ends an open group by writing partition p to shard d<id>-s<p>. */
  close(g: GroupDraft, datasetId: number | string): Rows {
    const shards = Array.from({ length: g.partitions }, (_, p) => `d${datasetId}-s${p}`);
    g.output = (p) => ({ kind: 'shard', shard: shards[p] });
    return { kind: 'shards', parts: shards.map((s) => ({ shards: [s] })) };
  }

  /** Ends a group writing partition p to `<base>-s<p>`, recorded as a cache write. */
  private closeInto(g: GroupDraft, node: LogicalNode, base: string): Rows {
    const shards = Array.from({ length: g.partitions }, (_, p) => `${base}-s${p}`);
    g.output = (p) => ({ kind: 'shard', shard: shards[p] });
    this.cacheWrites.push({ node, shards, partitions: this.opts.partitions });
    return { kind: 'shards', parts: shards.map((s) => ({ shards: [s] })) };
  }

  /** A source that runs in the driver (driver memory, source(fn)): its shards, one per partition. */
  addDriverSource(src: DriverSource, name: string): Rows {
    this.sources.push(src);
    this.driverStages.push({ index: this.nextIndex(), name, partitions: src.shards.length, outputs: src.shards.map((s) => ({ shards: [s] })) });
    return { kind: 'shards', parts: src.shards.map((s) => ({ shards: [s] })) };
  }

  /** Counts the readers of every node reachable from the sinks (each sink counts as one). */
  countReaders(sinkNodes: LogicalNode[]): void {
    const seen = new Set<LogicalNode>();
    const visit = (n: LogicalNode) => {
      if (seen.has(n)) return;
      seen.add(n);
      for (const i of n.inputs) {
        this.readers.set(i, (this.readers.get(i) ?? 0) + 1);
        visit(i);
      }
    };
    sinkNodes.forEach(visit);
    for (const n of sinkNodes) this.readers.set(n, (this.readers.get(n) ?? 0) + 1);
  }
}
