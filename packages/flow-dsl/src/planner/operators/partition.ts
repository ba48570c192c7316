// partition(n): a hash shuffle and nothing else; the target partitions are the map shards' sections.
import { hashShuffle } from '../shuffles';
import type { ExpandStep } from './nodeOf';

export const partition: ExpandStep<'partition'> = (node, ctx) => {
  const st = node.step;
  return hashShuffle(ctx.open(ctx.rowsOf(node.inputs[0])), node.id, st.key, st.n ?? ctx.opts.partitions);
};
