// Keyed aggregation: a hash-map combine per map partition, a hash shuffle on the keys, and the
// same combine merging partial results in every target partition (never one reducer).
import { checkUdfSyntax } from '@gleam/executor';
import { hashShuffle } from '../shuffles';
import type { ExpandStep } from './nodeOf';

export const reduceBy: ExpandStep<'reduceBy'> = (node, ctx) => {
  const st = node.step;
  const step = node.stepName;
  checkUdfSyntax(st.udf.source, step);
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  ctx.addStep(g, 'LocalReduceBy', { op: 'reduceByKey', step, udf: st.udf, key: st.key });
  // The combine emits keys first ([...keys, value]): shuffle and merge on those positions.
  const keysFirst = st.key.map((_, i) => i);
  const next = ctx.open(hashShuffle(g, node.id, keysFirst, st.partitions ?? ctx.opts.partitions));
  ctx.addStep(next, 'MergeReduceBy', { op: 'reduceByKey', step, udf: st.udf, key: keysFirst });
  return { kind: 'open', group: next };
};

/** combineByKey (and aggregateByKey, foldByKey): create + mergeValue map-side, mergeCombiners after the shuffle. */
export const combineByKey: ExpandStep<'combineByKey'> = (node, ctx) => {
  const st = node.step;
  const step = node.stepName;
  for (const u of [st.create, st.mergeValue, st.mergeCombiners]) checkUdfSyntax(u.source, step);
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  ctx.addStep(g, 'LocalCombineByKey', { op: 'reduceByKey', step, udf: st.mergeValue, create: st.create, key: st.key });
  const keysFirst = st.key.map((_, i) => i);
  const next = ctx.open(hashShuffle(g, node.id, keysFirst, st.partitions ?? ctx.opts.partitions));
  ctx.addStep(next, 'MergeCombiners', { op: 'reduceByKey', step, udf: st.mergeCombiners, key: keysFirst });
  return { kind: 'open', group: next };
};
