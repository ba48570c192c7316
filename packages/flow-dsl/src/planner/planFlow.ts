// Logical DAG -> physical plan. Each operator family expands in its own file (operators/*.ts)
// over the shuffle toolkit (shuffles.ts); chains of narrow steps with one reader fuse into step
// groups (Gleam's rule); each step group becomes one task group per partition.
import { isFlowShard, type ShardSet, type TaskGroupSpec } from '@gleam/executor';
import type { DriverSink, PhysicalPlan, StageInfo } from '@gleam/driver';
import type { ResolvedOptions } from '../options';
import type { LogicalNode } from '../steps';
import { describePlan } from './describePlan';
import { expandNode } from './operators';
import { PlanContext, type CacheView, type CacheWrite } from './planContext';
import type { PlanDescription } from './planTypes';

export type { CacheView, CacheWrite } from './planContext';

/** A sink on a dataset: the planner gives it the shards to read, one ShardSet per partition in order. */
export interface SinkRequest {
  node: LogicalNode;
  name: string;
  /** The sink writes rows as TSV lines, so it can take shards the executors wrote as text. */
  acceptsText?: boolean;
  /** text: the shards hold TSV text (see TaskOutput), not row frames. */
  make(parts: ShardSet[], text: boolean): DriverSink;
}

export interface PlannedFlow {
  plan: PhysicalPlan;
  /** Cached datasets of earlier jobs that this plan recomputes where lost (their names may change). */
  standbyWrites: CacheWrite[];
  /** The plan as planner mode prints it (computed on demand: a large shuffle lists millions of shard reads). */
  describe(): PlanDescription;
  cacheWrites: CacheWrite[];
}

export function planFlow(flowName: string, sinks: SinkRequest[], opts: ResolvedOptions, cache?: CacheView): PlannedFlow {
  const ctx = new PlanContext(opts, expandNode, cache);
  ctx.countReaders(sinks.map((s) => s.node));
  const sinkParts = sinks.map((s) => {
    const parts = ctx.materialize(s.node);
    ctx.driverStages.push({ index: ctx.nextIndex(), name: s.name, partitions: 1, inputs: parts });
    return parts;
  });
  const taskGroups: TaskGroupSpec[] = [];
  for (const g of ctx.groups) {
    if (!g.output) throw new Error(`internal: step group ${g.index} has no output`);
    const fused = g.stepNames.length > 0 ? g.stepNames : ['Copy'];
    for (let p = 0; p < g.partitions; p++) {
      taskGroups.push({
        id: `tg${g.index}.${p}`,
        // Gleam-style fused name; the step group makes it unique in the plan.
        name: `${fused.map((n) => `${n}.${p}`).join('-')}@${g.index}`,
        stepGroup: g.index,
        partition: p,
        input: g.inputs[p],
        instructions: g.instructions.map((i) => i.perPartition?.(p) ?? i.ins),
        output: g.output(p),
        ...(g.standby ? { standby: true } : {}),
      });
    }
  }
  const driverSinks = sinks.map((s, i) => s.make(sinkParts[i], textOutputs(s, sinkParts[i], taskGroups, ctx)));
  const stages: StageInfo[] = [
    ...ctx.driverStages.map((d) => ({ index: d.index, name: d.name, partitions: d.partitions, driverSide: true, reads: d.inputs?.flatMap((p) => p.shards), writes: d.outputs?.flatMap((p) => p.shards) })),
    ...ctx.groups.map((g) => ({ index: g.index, name: g.stepNames.join('-') || 'Copy', partitions: g.partitions, driverSide: false })),
  ].sort((a, b) => a.index - b.index);
  return {
    plan: { name: flowName, stages, taskGroups, sources: ctx.sources, sinks: driverSinks, ...(ctx.lostCached.length > 0 ? { lostShards: ctx.lostCached } : {}) },
    describe: () => describePlan(flowName, ctx.driverStages, ctx.groups, taskGroups, cache?.prefix),
    cacheWrites: ctx.cacheWrites,
    standbyWrites: ctx.standbyWrites,
  };
}

/**
 * Lets the tasks that write a text sink's shards write TSV text (formatted in parallel, no
 * msgpack on either side) when nothing else reads those shards: the sink is the dataset's only
 * reader, the shards are whole shards that are not a cached dataset's, and every one is a task's
 * single output.
 */
function textOutputs(sink: SinkRequest, parts: ShardSet[], taskGroups: TaskGroupSpec[], ctx: PlanContext): boolean {
  if (!sink.acceptsText || ctx.readers.get(sink.node) !== 1) return false;
  if (parts.some((p) => p.section !== undefined || p.shards.length !== 1 || isFlowShard(p.shards[0]))) return false;
  const writers = parts.map((p) => taskGroups.find((t) => t.output.kind === 'shard' && t.output.shard === p.shards[0]));
  if (writers.some((t) => t === undefined)) return false;
  for (const t of writers) t!.output = { ...(t!.output as { kind: 'shard'; shard: string }), text: 'tsv' };
  return true;
}
