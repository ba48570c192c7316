// Narrow steps fuse into the open step group of their input (Gleam's rule: one input, one reader).
import { checkUdfSyntax } from '@gleam/executor';
import type { ExpandStep } from './nodeOf';

export const narrow: ExpandStep<'narrow'> = (node, ctx) => {
  const ins = node.step.instruction;
  if ('udf' in ins) checkUdfSyntax(ins.udf.source, node.stepName);
  if (ins.op === 'sampleKeys' || ins.op === 'rowStats') throw new Error(`internal: ${ins.op} is planner-only`);
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  ctx.addStep(g, node.step.name, ins);
  return { kind: 'open', group: g };
};
