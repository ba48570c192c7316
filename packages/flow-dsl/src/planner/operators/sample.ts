// sample: a narrow, seeded step whose seed differs per partition.
import type { ExpandStep } from './nodeOf';

export const sample: ExpandStep<'sample'> = (node, ctx) => {
  const st = node.step;
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  const ins = { op: 'sample', step: node.stepName, withReplacement: st.withReplacement, fraction: st.fraction, seed: st.seed, partition: 0, ...(st.lowerBound ? { lowerBound: st.lowerBound } : {}) } as const;
  ctx.addStep(g, 'Sample', ins, (p) => ({ ...ins, partition: p }));
  return { kind: 'open', group: g };
};
