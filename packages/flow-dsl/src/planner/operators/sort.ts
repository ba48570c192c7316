// sort: sampled range partitioning (see shuffles.rangeShuffle), then a local sort per target;
// the targets in order are the global order.
import { rangeShuffle } from '../shuffles';
import type { ExpandStep } from './nodeOf';

const SAMPLE_PER_PARTITION = 100;

export const sort: ExpandStep<'sort'> = (node, ctx) => {
  const st = node.step;
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  const next = ctx.open(rangeShuffle(ctx, g, node.id, node.stepName, st.orderBy, st.partitions ?? ctx.opts.partitions, SAMPLE_PER_PARTITION));
  ctx.addStep(next, 'LocalSort', { op: 'localSort', step: node.stepName, orderBy: st.orderBy });
  return { kind: 'open', group: next };
};
