// Spark's RDD operators that move no rows between partitions: coalesce (neighbouring partitions
// read as one), zip (partition p of both inputs, row by row) and zipWithUniqueId (ids from the
// partition index and count, known only here).
import { GleamError, type ShardSet } from '@gleam/executor';
import type { ExpandStep } from './nodeOf';

export const coalesce: ExpandStep<'coalesce'> = (node, ctx) => {
  const input = node.inputs[0];
  const rows = ctx.rowsOf(input);
  const m = rows.kind === 'open' ? rows.group.partitions : rows.parts.length;
  const n = node.step.n;
  if (n >= m) return rows;
  let parts = rows.kind === 'shards' ? rows.parts : (ctx.close(rows.group, input.id) as { parts: ShardSet[] }).parts;
  // Sections of map shards cannot be concatenated into one shard list: copy them out first.
  if (parts.some((p) => p.section !== undefined)) {
    parts = (ctx.close(ctx.open({ kind: 'shards', parts, via: rows.kind === 'shards' ? rows.via : undefined }), `${node.id}-pre`) as { parts: ShardSet[] }).parts;
  }
  // Spark's ranges without locality: partition i reads partitions [floor(i*m/n), floor((i+1)*m/n)).
  const merged = Array.from({ length: n }, (_, i): ShardSet => ({ shards: parts.slice(Math.floor((i * m) / n), Math.floor(((i + 1) * m) / n)).flatMap((p) => p.shards) }));
  return { kind: 'shards', parts: merged, via: 'Coalesce' };
};

export const zip: ExpandStep<'zip'> = (node, ctx) => {
  const step = node.stepName;
  const other = ctx.materialize(node.inputs[1]);
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  if (other.length !== g.partitions) {
    throw new GleamError(`step "${step}": can only zip datasets with the same number of partitions, got ${g.partitions} and ${other.length}`, step);
  }
  const ins = { op: 'zip', step, side: other[0], partition: 0 } as const;
  ctx.addStep(g, 'Zip', ins, (p) => ({ ...ins, side: other[p], partition: p }));
  return { kind: 'open', group: g };
};

// Partition k of n numbers its rows k, n+k, 2n+k, ...
const UNIQUE_IDS = `function* (rows) { let id = params.k; for (const f of rows) { yield [...f, id]; id += params.n; } }`;

export const zipWithUniqueId: ExpandStep<'zipWithUniqueId'> = (node, ctx) => {
  const g = ctx.open(ctx.rowsOf(node.inputs[0]));
  const n = g.partitions;
  const ins = { op: 'mapPartitions', step: node.stepName, udf: { source: UNIQUE_IDS, params: { k: 0, n } } } as const;
  ctx.addStep(g, 'ZipWithUniqueId', ins, (p) => ({ ...ins, udf: { source: UNIQUE_IDS, params: { k: p, n } } }));
  return { kind: 'open', group: g };
};
