// Broadcast operators: the second input is read whole by every partition of the first (which
// stays open, so the join fuses with the steps around it): hashJoin and cartesian.
import type { InstructionSpec, ShardSet } from '@gleam/executor';
import type { PlanContext, Rows } from '../planContext';
import type { LogicalNode } from '../../steps';
import type { ExpandStep } from './nodeOf';

function broadcast(node: LogicalNode, ctx: PlanContext, stepName: string, make: (side: ShardSet) => InstructionSpec): Rows {
  const parts = ctx.materialize(node.inputs[1]);
  // Sections of map shards cannot be flattened into one whole-shard list: copy them out first.
  const whole = parts.every((p) => p.section === undefined) ? parts : (ctx.close(ctx.open({ kind: 'shards', parts, via: 'CollectPartitions' }), `${node.id}b`) as { parts: ShardSet[] }).parts;
  const side: ShardSet = { shards: whole.flatMap((p) => p.shards) };
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  ctx.addStep(g, stepName, make(side));
  return { kind: 'open', group: g };
}

export const hashJoin: ExpandStep<'hashJoin'> = (node, ctx) =>
  broadcast(node, ctx, 'HashJoin', (side) => ({ op: 'hashJoin', step: node.stepName, key: node.step.key, sideKey: node.step.key, side }));

export const cartesian: ExpandStep<'cartesian'> = (node, ctx) => broadcast(node, ctx, 'Cartesian', (side) => ({ op: 'cartesian', step: node.stepName, side }));
