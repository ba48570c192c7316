// File sources beyond text and CSV, read by executors: saved object files (one partition per
// part file), JSON lines (split like textFile) and whole text files (files grouped in order).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GleamError } from '@gleam/executor';
import { expandGlob, planSplits } from '../../sources/textFiles';
import type { ExpandStep } from './nodeOf';

export const objectFile: ExpandStep<'objectFile'> = (node, ctx) => {
  const step = node.stepName;
  const pattern = node.step.pattern;
  // A directory is a saved dataset only once its job committed it (_SUCCESS is written last).
  const dir = path.resolve(pattern);
  if (!/[*?[]/.test(pattern) && fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() && !fs.existsSync(path.join(dir, '_SUCCESS'))) {
    throw new GleamError(`step "${step}": ${pattern} is not a complete saved dataset (no _SUCCESS: the job writing it failed or has not finished)`, step);
  }
  const files = expandGlob(pattern, step);
  const g = ctx.newGroup(files.length, files.map((f) => ({ kind: 'objectFile', path: f, step })), 'ObjectFile');
  return { kind: 'open', group: g };
};

export const jsonLines: ExpandStep<'jsonLines'> = (node, ctx) => {
  const step = node.stepName;
  const splits = planSplits(expandGlob(node.step.pattern, step), node.step.partitions, ctx.opts.partitions);
  const g = ctx.newGroup(splits.length, splits.map((s) => ({ kind: 'jsonLines', path: s.path, start: s.start, end: s.end, step })), 'JsonLines');
  return { kind: 'open', group: g };
};

/** Files in order, in at most `partitions` (default: the executor slots) contiguous groups. */
export const wholeTextFiles: ExpandStep<'wholeTextFiles'> = (node, ctx) => {
  const step = node.stepName;
  const files = expandGlob(node.step.pattern, step);
  const n = Math.min(files.length, node.step.partitions ?? ctx.opts.partitions);
  const groups = Array.from({ length: n }, (_, p) => files.slice(Math.floor((p * files.length) / n), Math.floor(((p + 1) * files.length) / n)));
  const g = ctx.newGroup(n, groups.map((paths) => ({ kind: 'wholeTextFiles', paths, step })), 'WholeTextFiles');
  return { kind: 'open', group: g };
};
