// subtract and intersection: both inputs hash-partitioned by whole rows, then a set lookup
// against the side input in every partition.
import { coPartitioned } from './join';
import type { ExpandStep } from './nodeOf';

export const subtract: ExpandStep<'subtract'> = (node, ctx) =>
  coPartitioned(node, ctx, null, node.step.partitions, 'Subtract', (side) => ({ op: 'subtract', step: node.stepName, side }));

export const intersection: ExpandStep<'intersection'> = (node, ctx) =>
  coPartitioned(node, ctx, null, node.step.partitions, 'Intersection', (side) => ({ op: 'intersection', step: node.stepName, side }));
