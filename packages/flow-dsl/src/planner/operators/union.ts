// union: no data moves; the partitions of every input, one after the other.
import type { ExpandStep } from './nodeOf';

export const union: ExpandStep<'union'> = (node, ctx) => ({ kind: 'shards', parts: node.inputs.flatMap((i) => ctx.materialize(i)) });
