// zipWithIndex without a driver round trip: each input partition writes its row count to a side
// shard; the indexing tasks read all counts and add those of the partitions before theirs.
import { rowStats } from '../shuffles';
import type { ExpandStep } from './nodeOf';

export const zipWithIndex: ExpandStep<'zipWithIndex'> = (node, ctx) => {
  const step = node.stepName;
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  const counts = rowStats(ctx, g, node.id, step, 'CountPartitions');
  const next = ctx.open(ctx.close(g, `${node.id}-pre`));
  const zip = { op: 'zipWithIndex', step, side: counts, partition: 0 } as const;
  ctx.addStep(next, 'ZipWithIndex', zip, (p) => ({ ...zip, partition: p }));
  return { kind: 'open', group: next };
};
