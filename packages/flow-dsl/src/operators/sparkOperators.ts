// What Spark users reach for beyond Gleam: pair-RDD helpers, per-key aggregation with a zero
// value, indexing, sampling, ordered takes and statistics. Each is built from the engine's
// instructions; UDFs given here are wrapped in generated source so they are still compiled once
// per task in the executor (and still see `params` and `require`).
import { checkUdfSyntax, GleamError, udfSource, WHOLE_ROW, type UdfSpec } from '@gleam/executor';
import { Dataset, type UdfArg, type UdfOptions } from '../dataset';
import { keyFields, orderBy as toOrderBy, positiveInt, type SortSpec } from '../fields';
import type { RunOptions } from '../options';
import { checkParams } from '../params';
import type { By, Concat, Fields, FirstField, IfKnown, KeysAnd, MapResult, PairValue, Reduced, RowValue, ValueFields, ValueOf } from '../rowTypes';
import { mergeStats, STATS_PARTIAL, type StatCounter } from './statCounter';

declare module '../dataset' {
  interface Dataset<R extends unknown[]> {
    /** [key, fn(value)] for rows keyed by field 1 (value: field 2, or the array of fields 2..n). */
    mapValues<T extends MapResult>(fn: (value: PairValue<R>) => T, opts?: UdfOptions): Dataset<IfKnown<R, [FirstField<R>, T]>>;
    mapValues(fn: string, opts?: UdfOptions): Dataset<unknown[]>;
    /** [key, v] for every v of fn(value). */
    flatMapValues<T extends MapResult>(fn: (value: PairValue<R>) => Iterable<T> | null | undefined, opts?: UdfOptions): Dataset<IfKnown<R, [FirstField<R>, T]>>;
    flatMapValues(fn: string, opts?: UdfOptions): Dataset<unknown[]>;
    /** Field 1 of every row. */
    keys(): Dataset<IfKnown<R, [FirstField<R>]>>;
    /** The value of every row (field 2, or the row's fields 2..n). */
    values(): Dataset<ValueFields<R, [1]>>;
    /** [fn(...fields), ...fields]. */
    keyBy<T extends MapResult>(fn: (...fields: Fields<R>) => T, opts?: UdfOptions): Dataset<IfKnown<R, [T, ...R]>>;
    keyBy(fn: string, opts?: UdfOptions): Dataset<unknown[]>;
    /** Per key: createCombiner(first value), mergeValue(combiner, value) map-side, mergeCombiners after the shuffle. Rows out: [...keys, combiner]. */
    combineByKey<C extends MapResult, const B extends By = [1]>(
      createCombiner: UdfArg<(v: ValueOf<R, B>) => C>,
      mergeValue: UdfArg<(c: C, v: ValueOf<R, B>) => C>,
      mergeCombiners: UdfArg<(a: C, b: C) => C>,
      opts?: KeyOptions<B> & UdfOptions,
    ): Dataset<KeysAnd<R, B, C>>;
    /** Per key, from a zero value (cloned per key): seqOp folds values, combOp merges partial results. Rows out: [...keys, result]. */
    aggregateByKey<U, const B extends By = [1]>(zero: U, seqOp: UdfArg<(acc: U, v: ValueOf<R, B>) => U>, combOp: UdfArg<(a: U, b: U) => U>, opts?: KeyOptions<B> & UdfOptions): Dataset<KeysAnd<R, B, U>>;
    /** aggregateByKey with one function for both steps. */
    foldByKey<const B extends By = [1]>(zero: ValueOf<R, B>, fn: UdfArg<(a: ValueOf<R, B>, b: ValueOf<R, B>) => Reduced<ValueOf<R, B>>>, opts?: KeyOptions<B> & UdfOptions): Dataset<KeysAnd<R, B, ValueOf<R, B>>>;
    /** [...fields, index]: a global index following partition order (0-based). */
    zipWithIndex(): Dataset<Concat<R, [number]>>;
    /** A seeded sample: each row kept with probability fraction, or (with replacement) Poisson(fraction) times. */
    sample(withReplacement: boolean, fraction: number, seed?: number): Dataset<R>;
    /** The n smallest rows by `by` (default: whole rows), smallest first. */
    takeOrdered(n: number, opts?: { by?: SortSpec | SortSpec[] } & RunOptions): Promise<R[]>;
    /** The smallest value (a one-field row's field, else the row) in the total order. */
    min(opts?: RunOptions): Promise<RowValue<R>>;
    max(opts?: RunOptions): Promise<RowValue<R>>;
    /** Sum of the numeric values of one-field rows. */
    sum(opts?: RunOptions): Promise<number>;
    mean(opts?: RunOptions): Promise<number>;
    /** count, sum, mean, min, max, and variance/stdev in population and sample variants. */
    stats(opts?: RunOptions): Promise<StatCounter>;
    /** Spark's histogram: bucket boundaries (or a bucket count over [min, max]) and counts; the last bucket is closed. */
    histogram(buckets: number | number[], opts?: RunOptions): Promise<[number[], number[]]>;
  }
}

/** A UDF source with the user's function spliced in once: `template` names it FN. */
export function wrapped(fn: unknown, step: string, template: string): string {
  const src = udfSource(fn, step);
  checkUdfSyntax(src, step);
  return `((FN) => ${template})(${src})`;
}

export function spec(step: string, source: string, opts?: UdfOptions, extraParams?: Record<string, unknown>): UdfSpec {
  if (opts?.params !== undefined) checkParams(opts.params, step);
  const params = opts?.params || extraParams ? { ...(opts?.params ?? {}), ...(extraParams ?? {}) } : undefined;
  return params === undefined ? { source } : { source, params };
}

const VALUE = '(f.length === 2 ? f[1] : f.slice(1))';
// A top instruction keeps the first n rows of its order: whole rows ascending or descending.
const SMALLEST_FIRST = [{ field: WHOLE_ROW, desc: false }];
const LARGEST_FIRST = [{ field: WHOLE_ROW, desc: true }];
const proto = Dataset.prototype as Dataset<any>;

proto.mapValues = function (fn: UdfArg<(value: any) => unknown>, opts?: UdfOptions) {
  return this.narrow('MapValues', (step) => ({ op: 'map', step, udf: spec(step, wrapped(fn, step, `(...f) => [f[0], FN(${VALUE})]`), opts) }));
};

proto.flatMapValues = function (fn: UdfArg<(value: any) => unknown>, opts?: UdfOptions) {
  return this.narrow('FlatMapValues', (step) => ({
    op: 'flatMap',
    step,
    udf: spec(step, wrapped(fn, step, `(...f) => { const out = []; const vs = FN(${VALUE}); if (vs != null) for (const v of vs) out.push([f[0], v]); return out; }`), opts),
  }));
};

proto.keys = function () {
  return this.narrow('Keys', (step) => ({ op: 'select', step, fields: [0] }));
};

proto.values = function () {
  return this.narrow('Values', (step) => ({ op: 'map', step, udf: { source: `(...f) => f.length === 2 ? [f[1]] : f.slice(1)` } }));
};

proto.keyBy = function (fn: UdfArg<(...fields: any[]) => unknown>, opts?: UdfOptions) {
  return this.narrow('KeyBy', (step) => ({ op: 'map', step, udf: spec(step, wrapped(fn, step, `(...f) => [FN(...f), ...f]`), opts) }));
};

proto.combineByKey = function (createCombiner, mergeValue, mergeCombiners, opts = {}) {
  return this.derive('combineByKey', (step) => ({
    kind: 'combineByKey',
    create: spec(step, udfSource(createCombiner, step), opts),
    mergeValue: spec(step, udfSource(mergeValue, step), opts),
    mergeCombiners: spec(step, udfSource(mergeCombiners, step), opts),
    key: keyFields(opts.by, step),
    partitions: opts.partitions,
  }));
};

proto.aggregateByKey = function (zero, seqOp, combOp, opts = {}) {
  return this.derive('aggregateByKey', (step) => {
    // The zero travels as a parameter and is cloned per key, so seqOp may mutate it.
    checkParams(zero, step, 'zero');
    const zeroParam = { __gleamZero: zero };
    return {
      kind: 'combineByKey',
      create: spec(step, wrapped(seqOp, step, '(v) => FN(structuredClone(params.__gleamZero), v)'), opts, zeroParam),
      mergeValue: spec(step, udfSource(seqOp, step), opts),
      mergeCombiners: spec(step, udfSource(combOp, step), opts),
      key: keyFields(opts.by, step),
      partitions: opts.partitions,
    };
  });
};

proto.foldByKey = function (zero, fn, opts = {}) {
  return this.aggregateByKey(zero, fn, fn, opts);
};

proto.zipWithIndex = function () {
  return this.derive('zipWithIndex', () => ({ kind: 'zipWithIndex' }));
};

proto.sample = function (withReplacement, fraction, seed = 42) {
  return this.derive('sample', (step) => {
    if (typeof fraction !== 'number' || !(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new GleamError(`step "${step}": fraction must be in [0, 1] without replacement, or >= 0 with replacement; got ${fraction}`, step);
    }
    if (!Number.isInteger(seed)) throw new GleamError(`step "${step}": seed must be an integer, got ${seed}`, step);
    return { kind: 'sample', withReplacement: Boolean(withReplacement), fraction, seed };
  });
};

proto.takeOrdered = async function (n, opts = {}) {
  positiveInt(n, 'takeOrdered', 'takeOrdered(n)', true);
  // The first n rows of sort's order (plain field numbers ascending), or of whole rows.
  const top = this.derive('takeOrdered', (step) => ({ kind: 'top', n, orderBy: opts.by === undefined ? SMALLEST_FIRST : toOrderBy(opts.by, step) }));
  return (await top.collect(opts)) as any[];
};

function valueOfRow(r: unknown[]): unknown {
  return r.length === 1 ? r[0] : r;
}

async function extreme(ds: Dataset<any>, which: 'min' | 'max', opts?: RunOptions): Promise<unknown> {
  const top = ds.derive(which, () => ({ kind: 'top', n: 1, orderBy: which === 'max' ? LARGEST_FIRST : SMALLEST_FIRST }));
  const rows = (await top.collect(opts)) as unknown[][];
  if (rows.length === 0) throw new GleamError(`${which}(): the dataset is empty`);
  return valueOfRow(rows[0]);
}

proto.min = function (opts) {
  return extreme(this, 'min', opts);
};
proto.max = function (opts) {
  return extreme(this, 'max', opts);
};

proto.stats = async function (opts) {
  const partials = (await this.narrow('Stats', (step) => ({ op: 'mapPartitions', step, udf: { source: STATS_PARTIAL } })).collect(opts)) as number[][];
  return mergeStats(partials);
};

proto.sum = async function (opts) {
  return (await this.stats(opts)).sum;
};

proto.mean = async function (opts) {
  const s = await this.stats(opts);
  if (s.count === 0) throw new GleamError('mean(): the dataset is empty');
  return s.mean;
};

proto.histogram = async function (buckets, opts) {
  let bounds: number[];
  if (typeof buckets === 'number') {
    if (!Number.isInteger(buckets) || buckets < 1) throw new GleamError(`histogram(): the bucket count must be a positive integer, got ${buckets}`);
    const s = await this.stats(opts);
    if (s.count === 0) throw new GleamError('histogram(): the dataset is empty');
    if (!Number.isFinite(s.min) || !Number.isFinite(s.max)) throw new GleamError('histogram(): the values must be finite numbers');
    const width = (s.max - s.min) / buckets;
    bounds = Array.from({ length: buckets + 1 }, (_, i) => (i === buckets ? s.max : s.min + i * width));
    if (s.min === s.max) bounds = [s.min, s.max];
  } else {
    bounds = buckets.slice();
    if (bounds.length < 2 || bounds.some((b, i) => typeof b !== 'number' || Number.isNaN(b) || (i > 0 && b <= bounds[i - 1]))) {
      throw new GleamError('histogram(): buckets must be at least two numbers in increasing order');
    }
  }
  const partials = (await this.narrow('Histogram', (step) => ({ op: 'mapPartitions', step, udf: { source: HISTOGRAM_PARTIAL, params: { bounds } } })).collect(opts)) as number[][];
  const counts = new Array(bounds.length - 1).fill(0);
  for (const p of partials) for (let i = 0; i < counts.length; i++) counts[i] += p[i];
  return [bounds, counts];
};

// Counts per bucket [b_i, b_i+1), the last bucket closed; values outside, null and NaN are
// skipped (as PySpark); values that are not numbers are rejected, as stats() rejects them.
const HISTOGRAM_PARTIAL = `(rows) => {
  const b = params.bounds; const n = b.length - 1; const counts = new Array(n).fill(0);
  for (const r of rows) {
    const v = r[0];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' && typeof v !== 'bigint') throw new TypeError('histogram needs numeric one-field rows, got ' + JSON.stringify(r, (k, x) => typeof x === 'bigint' ? String(x) : x));
    const x = Number(v);
    if (!(x >= b[0] && x <= b[n])) continue;
    let lo = 0, hi = n;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (x < b[mid + 1]) hi = mid; else lo = mid + 1; }
    counts[Math.min(lo, n - 1)]++;
  }
  return [counts];
}`;

export {};
