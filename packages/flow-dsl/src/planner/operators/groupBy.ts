// groupBy: hash shuffle on the key, then one hash-map grouping per target partition.
import { hashShuffle } from '../shuffles';
import type { ExpandStep } from './nodeOf';

export const groupBy: ExpandStep<'groupBy'> = (node, ctx) => {
  const st = node.step;
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  const next = ctx.open(hashShuffle(g, node.id, st.key, st.partitions ?? ctx.opts.partitions));
  ctx.addStep(next, 'GroupBy', { op: 'groupByKey', step: node.stepName, key: st.key, merge: false });
  return { kind: 'open', group: next };
};
