// Spark's remaining RDD transformations: randomSplit, glom, coalesce (no shuffle), sortBy, zip
// and zipWithUniqueId. Planned in planner/operators/rddTransforms.ts.
import { describeRow, GleamError } from '@gleam/executor';
import { Dataset, type UdfArg } from '../dataset';
import { positiveInt } from '../fields';
import { checkSeed, randomSeed } from './rddActions';
import type { Concat, Fields, RowValue } from '../rowTypes';
import { spec, wrapped } from './sparkOperators';

declare module '../dataset' {
  interface Dataset<R extends unknown[]> {
    /**
     * Disjoint random splits covering the dataset, sized by the (normalized) weights; the same
     * seed gives the same splits (each split recomputes this dataset: cache() it if its order
     * within a partition is not deterministic).
     */
    randomSplit(weights: number[], seed?: number): Dataset<R>[];
    /** One row per partition: [values[]], a value being a one-field row's field, else the row. */
    glom(): Dataset<[RowValue<R>[]]>;
    /** Neighbouring partitions merged into n (no shuffle); n >= the partition count changes nothing. */
    coalesce(n: number): Dataset<R>;
    /** Globally ordered by fn(...fields) (ascending unless told), rows unchanged. */
    sortBy(fn: UdfArg<(...fields: Fields<R>) => unknown>, opts?: { ascending?: boolean; partitions?: number } & UdfOptions): Dataset<R>;
    /** [...thisRow, ...otherRow], row i of partition p with row i of partition p of other (same partition counts and sizes). */
    zip<O extends unknown[]>(other: Dataset<O>): Dataset<Concat<R, O>>;
    /** [...fields, id]: ids k, n+k, 2n+k, ... in partition k of n. */
    zipWithUniqueId(): Dataset<Concat<R, [number]>>;
  }
}

const proto = Dataset.prototype as Dataset<any>;

/** Cumulative bounds of the normalized weights: split i keeps rows whose draw is in [b[i], b[i+1]). */
function splitBounds(weights: unknown, step: string): number[] {
  const bad = (why: string) => new GleamError(`step "${step}": weights ${why}, got ${describeRow(weights)}`, step);
  if (!Array.isArray(weights) || weights.length === 0) throw bad('must be a non-empty array of numbers');
  if (weights.some((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0)) throw bad('must be finite non-negative numbers');
  const sum = weights.reduce((a: number, b: number) => a + b, 0);
  if (!(sum > 0)) throw bad('must have a positive sum');
  const bounds = [0];
  let acc = 0;
  for (const w of weights) bounds.push((acc += w) / sum);
  // Rounding must not leave draws near 1 in no split.
  bounds[bounds.length - 1] = 1;
  return bounds;
}

proto.randomSplit = function (weights, seed) {
  const step = `randomSplit#${this.flow.nodeMark() + 1}`;
  const bounds = splitBounds(weights, step);
  const s = checkSeed(seed ?? randomSeed(), step);
  // One seeded draw per row, the same in every split (seeded per partition): the splits are disjoint and cover it.
  return weights.map((_, i) => this.derive('randomSplit', () => ({ kind: 'sample', withReplacement: false, fraction: bounds[i + 1], lowerBound: bounds[i], seed: s })));
};

const GLOM = `(rows) => { const a = []; for (const f of rows) a.push(f.length === 1 ? f[0] : f); return [[a]]; }`;

proto.glom = function () {
  return this.narrow('Glom', (step) => ({ op: 'mapPartitions', step, udf: { source: GLOM } }));
};

proto.coalesce = function (n) {
  return this.derive('coalesce', (step) => ({ kind: 'coalesce', n: positiveInt(n, step, 'coalesce(n)') }));
};

proto.sortBy = function (fn, opts = {}) {
  const { ascending = true, partitions, params } = opts;
  if (typeof ascending !== 'boolean') throw new GleamError(`sortBy: ascending must be a boolean, got ${describeRow(ascending)}`);
  const keyed = this.narrow('SortBy', (step) => ({ op: 'map', step, udf: spec(step, wrapped(fn, step, '(...f) => [FN(...f), ...f]'), params === undefined ? undefined : { params }) }));
  const sorted = keyed.derive('sortBy', (step) => ({
    kind: 'sort',
    orderBy: [{ field: 0, desc: !ascending }],
    partitions: partitions === undefined ? undefined : positiveInt(partitions, step, 'partitions'),
  }));
  return sorted.narrow('SortBy', (step) => ({ op: 'map', step, udf: { source: '(k, ...f) => f' } }));
};

proto.zip = function (other) {
  if (!(other instanceof Dataset)) throw new GleamError(`zip: expected a Dataset, got ${describeRow(other)}`);
  return this.derive('zip', () => ({ kind: 'zip' }), [this, other]);
};

proto.zipWithUniqueId = function () {
  return this.derive('zipWithUniqueId', () => ({ kind: 'zipWithUniqueId' }));
};

export {};
