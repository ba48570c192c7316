// Operators whose result is small: each partition reduces its own rows, then one task merges the
// partial results, reading partitions in order (top, limit, reduce).
import { checkUdfSyntax, type InstructionSpec } from '@gleam/executor';
import { gather } from '../shuffles';
import type { PlanContext, Rows } from '../planContext';
import type { LogicalNode } from '../../steps';
import type { ExpandStep } from './nodeOf';

/** `ins` runs in every partition (as `local`), then once more over the gathered results (as `merge`). */
function twice(node: LogicalNode, ctx: PlanContext, local: string, merge: string, ins: InstructionSpec): Rows {
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  ctx.addStep(g, local, ins);
  const next = ctx.open(gather(g, node.id));
  ctx.addStep(next, merge, ins);
  return { kind: 'open', group: next };
}

export const top: ExpandStep<'top'> = (node, ctx) => twice(node, ctx, 'LocalTop', 'LocalTop', { op: 'localTop', step: node.stepName, n: node.step.n, orderBy: node.step.orderBy });

export const limit: ExpandStep<'limit'> = (node, ctx) => twice(node, ctx, 'LocalLimit', 'LocalLimit', { op: 'localLimit', step: node.stepName, n: node.step.n });

export const reduce: ExpandStep<'reduce'> = (node, ctx) => {
  checkUdfSyntax(node.step.udf.source, node.stepName);
  return twice(node, ctx, 'LocalReduce', 'Reduce', { op: 'reduceAll', step: node.stepName, udf: node.step.udf });
};
