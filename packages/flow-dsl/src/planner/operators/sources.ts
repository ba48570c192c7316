// Sources: files read by executors (text split at line boundaries, CSV whole), and rows from
// driver memory written to shards by the driver.
import { GleamError } from '@gleam/executor';
import { driverRowFrames, sourceFnSource } from '../../sources/driverSources';
import { expandGlob, planSplits } from '../../sources/textFiles';
import type { ExpandStep } from './nodeOf';

export const textFile: ExpandStep<'textFile'> = (node, ctx) => {
  const st = node.step;
  const step = node.stepName;
  const splits = planSplits(st.files ?? expandGlob(st.pattern, step), st.partitions, ctx.opts.partitions);
  const g = ctx.newGroup(splits.length, splits.map((s) => ({ kind: 'textSplit', path: s.path, start: s.start, end: s.end, step })), 'TextFile');
  return { kind: 'open', group: g };
};

export const csv: ExpandStep<'csv'> = (node, ctx) => {
  const st = node.step;
  const step = node.stepName;
  // One partition per file whatever st.partitions says: quoted newlines make byte splits unsafe.
  const files = expandGlob(st.pattern, step);
  const g = ctx.newGroup(files.length, files.map((f) => ({ kind: 'csvFile', path: f, delimiter: st.delimiter, header: st.header, step })), st.delimiter === '\t' ? 'Tsv' : 'Csv');
  return { kind: 'open', group: g };
};

/** Rows from driver memory travel inside the tasks that read them (no shard written first). */
export const driverRows: ExpandStep<'driverRows'> = (node, ctx) => {
  const parts = driverRowFrames(node.step, node, ctx.opts.partitions);
  const g = ctx.newGroup(parts.length, parts.map((p) => ({ kind: 'rows', frames: p.frames, rows: p.rows, step: node.stepName })), node.step.label);
  return { kind: 'open', group: g };
};

export const sourceFn: ExpandStep<'sourceFn'> = (node, ctx) => ctx.addDriverSource(sourceFnSource(node.step, node), 'Source');

/** Reached only when the kept shards are gone: nothing can compute them again. */
export const kept: ExpandStep<'kept'> = (node) => {
  throw new GleamError(`step "${node.stepName}": ${node.step.label} is no longer kept (the stream was stopped, or its shards were lost with an agent) and has no lineage to compute it again`, node.stepName);
};
