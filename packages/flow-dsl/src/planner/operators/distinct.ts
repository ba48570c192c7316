// distinct: map-side distinct, hash shuffle on the key (or whole rows), distinct again.
import { hashShuffle } from '../shuffles';
import type { ExpandStep } from './nodeOf';

export const distinct: ExpandStep<'distinct'> = (node, ctx) => {
  const st = node.step;
  const step = node.stepName;
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  ctx.addStep(g, 'LocalDistinct', { op: 'distinct', step, key: st.key });
  const key = st.key ?? null;
  const next = ctx.open(hashShuffle(g, node.id, key, st.partitions ?? ctx.opts.partitions));
  ctx.addStep(next, 'Distinct', { op: 'distinct', step, key });
  return { kind: 'open', group: next };
};
