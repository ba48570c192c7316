// Joins and coGroup: both inputs hash-partitioned alike by key, then sort-merged partition by
// partition; the left side is the task's input, the right side a side input. Outer joins also
// collect each padded side's row stats, so a missing side gets the same number of nulls in every
// partition, locally and on a cluster (the width comes from the data, not from what one task saw).
import type { InstructionSpec, ShardSet } from '@gleam/executor';
import { hashShuffle, rowStats } from '../shuffles';
import type { PlanContext, Rows } from '../planContext';
import type { LogicalNode } from '../../steps';
import type { ExpandStep } from './nodeOf';

const JOIN_STEP_NAMES = { inner: 'JoinPartitionedSorted', left: 'LeftOuterJoin', right: 'RightOuterJoin', full: 'FullOuterJoin' } as const;

/** Both inputs scattered alike by `key` (or whole rows); `make` builds the merging instruction. */
export function coPartitioned(
  node: LogicalNode,
  ctx: PlanContext,
  key: number[] | null,
  partitions: number | undefined,
  stepName: string,
  make: (side: ShardSet, stats: { left?: ShardSet; right?: ShardSet }) => InstructionSpec,
  statsOf: { left: boolean; right: boolean } = { left: false, right: false },
): Rows {
  const n = partitions ?? ctx.opts.partitions;
  const leftGroup = ctx.open(ctx.rowsOf(node.inputs[0]));
  const leftStats = statsOf.left ? rowStats(ctx, leftGroup, `${node.id}a`, node.stepName, 'RowStats') : undefined;
  const left = hashShuffle(leftGroup, `${node.id}a`, key, n) as { parts: ShardSet[] };
  const rightGroup = ctx.open(ctx.rowsOf(node.inputs[1]));
  const rightStats = statsOf.right ? rowStats(ctx, rightGroup, `${node.id}b`, node.stepName, 'RowStats') : undefined;
  const right = hashShuffle(rightGroup, `${node.id}b`, key, n) as { parts: ShardSet[] };
  const g = ctx.open({ kind: 'shards', parts: left.parts, via: 'CollectPartitions' });
  const base = make(right.parts[0], { left: leftStats, right: rightStats });
  ctx.addStep(g, stepName, base, (p) => ({ ...base, side: right.parts[p] }) as InstructionSpec);
  return { kind: 'open', group: g };
}

export const join: ExpandStep<'join'> = (node, ctx) => {
  const st = node.step;
  const kind = st.joinKind;
  return coPartitioned(
    node,
    ctx,
    st.key,
    st.partitions,
    JOIN_STEP_NAMES[kind],
    (side, stats) => ({ op: 'joinSorted', step: node.stepName, key: st.key, sideKey: st.key, kind, side, ...(stats.left ? { leftStats: stats.left } : {}), ...(stats.right ? { rightStats: stats.right } : {}) }),
    // The side that may be missing is padded: its width is needed.
    { left: kind === 'right' || kind === 'full', right: kind === 'left' || kind === 'full' },
  );
};

export const coGroup: ExpandStep<'coGroup'> = (node, ctx) =>
  coPartitioned(node, ctx, node.step.key, node.step.partitions, 'CoGroup', (side) => ({ op: 'coGroup', step: node.stepName, key: node.step.key, sideKey: node.step.key, side }));
