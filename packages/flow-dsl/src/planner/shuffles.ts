// The planner's toolkit for moving rows between partitions. A map task always writes ONE shard:
// whole (a gather reads them all in order) or with a section per target partition (hash and
// range shuffles, the way Spark's sort-based shuffle writes one file per map task). So a shuffle
// of m partitions into n costs m shards, never m × n.
import type { OrderBy, ShardSet } from '@gleam/executor';
import type { GroupDraft, PlanContext, Rows } from './planContext';

/** Map-side output names: producer partition p of a shuffle writes d<tag>-m<p>. */
function mapShards(tag: number | string, producers: number): string[] {
  return Array.from({ length: producers }, (_, p) => `d${tag}-m${p}`);
}

/** Every target reads its section of every map shard (one shared array for all targets). */
function sections(shards: string[], targets: number, via: string): Rows {
  return { kind: 'shards', parts: Array.from({ length: targets }, (_, j): ShardSet => ({ shards, section: j })), via };
}

/** Ends `g` with a hash scatter into `targets` partitions (key null: whole rows). */
export function hashShuffle(g: GroupDraft, tag: number | string, key: number[] | null, targets: number): Rows {
  const shards = mapShards(tag, g.partitions);
  g.stepNames.push('ScatterPartitions');
  g.output = (p) => ({ kind: 'hash', key, shard: shards[p], partitions: targets });
  return sections(shards, targets, 'CollectPartitions');
}

/**
 * Sort's shuffle: the input group writes its partitions plus a key sample each; range-
 * partitioning tasks derive the same boundaries from all samples and scatter into sections.
 */
export function rangeShuffle(ctx: PlanContext, g: GroupDraft, tag: number, step: string, orderBy: OrderBy[], targets: number, samplePerPartition: number): Rows {
  const m = g.partitions;
  const sampleShards = Array.from({ length: m }, (_, p) => `d${tag}-sample-s${p}`);
  const preShards = Array.from({ length: m }, (_, p) => `d${tag}-pre-s${p}`);
  const size = Math.min(10000, Math.max(samplePerPartition, 20 * targets));
  const sample = { op: 'sampleKeys', step, orderBy, size, shard: sampleShards[0] } as const;
  ctx.addStep(g, 'SampleKeys', sample, (p) => ({ ...sample, shard: sampleShards[p] }));
  g.output = (p) => ({ kind: 'shard', shard: preShards[p] });
  const scatter = ctx.newGroup(m, preShards.map((s) => ({ kind: 'shards', shards: [s] })), 'RangePartition');
  const shards = mapShards(tag, m);
  scatter.output = (p) => ({ kind: 'range', orderBy, samples: { shards: sampleShards }, shard: shards[p], partitions: targets });
  return sections(shards, targets, 'CollectPartitions');
}

/** All partitions -> one, read in partition order. */
export function gather(g: GroupDraft, tag: number | string): Rows {
  const shards = mapShards(tag, g.partitions);
  g.output = (p) => ({ kind: 'shard', shard: shards[p] });
  return { kind: 'shards', parts: [{ shards }], via: 'MergeTo' };
}

/**
 * Ends `g` with a pass-through that writes each partition's row stats ([count, first row length])
 * to a side shard d<tag>-stats-s<p>; returns them all (zipWithIndex offsets, outer-join widths).
 */
export function rowStats(ctx: PlanContext, g: GroupDraft, tag: number | string, step: string, stepName: string): ShardSet {
  const shards = Array.from({ length: g.partitions }, (_, p) => `d${tag}-stats-s${p}`);
  const ins = { op: 'rowStats', step, shard: shards[0] } as const;
  ctx.addStep(g, stepName, ins, (p) => ({ ...ins, shard: shards[p] }));
  return { shards };
}
