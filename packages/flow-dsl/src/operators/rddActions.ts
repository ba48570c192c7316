// Spark's remaining RDD actions: aggregate and fold (a zero per partition and once more in the
// driver's merge), collectAsMap and lookup on pair rows, takeSample (an exact-size seeded
// sample), and getNumPartitions. Built from existing instructions: the per-partition work runs in
// the executors as a generated mapPartitions UDF, the small merge in the driver, as Spark does.
import type { DriverSink } from '@gleam/driver';
import { compileUdf, GleamError, groupKey, udfSource } from '@gleam/executor';
import { Dataset, type UdfArg } from '../dataset';
import { positiveInt } from '../fields';
import { resolveOptions, type RunOptions } from '../options';
import { checkParams } from '../params';
import { planFlow } from '../planner/planFlow';
import type { FirstField, PairValue, Reduced, RowValue } from '../rowTypes';
import { spec, wrapped } from './sparkOperators';

declare module '../dataset' {
  interface Dataset<R extends unknown[]> {
    /**
     * seqOp folds each partition's values into a clone of zero (in the executors); combOp merges
     * the partial results into one more clone of zero, in partition order, in the driver.
     */
    aggregate<U>(zero: U, seqOp: UdfArg<(acc: U, value: RowValue<R>) => U>, combOp: UdfArg<(a: U, b: U) => U>, opts?: RunOptions & UdfOptions): Promise<U>;
    /** aggregate(zero, op, op): op folds values, so zero and the result are values too. */
    fold(zero: RowValue<R>, op: UdfArg<(a: RowValue<R>, b: RowValue<R>) => Reduced<RowValue<R>>>, opts?: RunOptions & UdfOptions): Promise<RowValue<R>>;
    /** Map of key (field 1) -> value (field 2, or the array of fields 2..n); a later row of a key wins. */
    collectAsMap(opts?: RunOptions): Promise<Map<FirstField<R>, PairValue<R>>>;
    /** The values (field 2, or fields 2..n) of the rows whose field 1 equals key, in partition order. */
    lookup(key: FirstField<R>, opts?: RunOptions): Promise<PairValue<R>[]>;
    /** num rows sampled at random (exactly min(num, count) without replacement), in random order; seeded. */
    takeSample(withReplacement: boolean, num: number, seed?: number, opts?: RunOptions): Promise<R[]>;
    /** How many partitions the dataset has under these run options. */
    getNumPartitions(opts?: RunOptions): Promise<number>;
  }
}

const proto = Dataset.prototype as Dataset<any>;

/** The value of a row for actions over all rows (as reduce): its single field, else the row. */
const ROW_VALUE = '(f.length === 1 ? f[0] : f)';

proto.aggregate = async function (zero, seqOp, combOp, opts = {}) {
  let comb: (a: unknown, b: unknown) => unknown = () => undefined;
  const partials = this.narrow<[unknown]>('Aggregate', (step) => {
    // The zero travels as a parameter, cloned per partition, so seqOp may mutate it.
    checkParams(zero, step, 'zero');
    const combSpec = spec(step, udfSource(combOp, step), opts);
    comb = compileUdf(combSpec, step) as typeof comb;
    const src = wrapped(seqOp, step, `(rows) => { let acc = structuredClone(params.__gleamZero); for (const f of rows) acc = FN(acc, ${ROW_VALUE}); return [[acc]]; }`);
    return { op: 'mapPartitions', step, udf: spec(step, src, opts, { __gleamZero: zero }) };
  });
  const rows = (await this.flow.runAction(partials, { kind: 'collect' }, opts, 'aggregate')) as [unknown][];
  let acc: unknown = structuredClone(zero);
  for (const [p] of rows) {
    try {
      acc = comb(acc, p);
    } catch (e) {
      throw new GleamError(`step "${partials.node.stepName}": combOp failed in the driver: ${(e as Error).message}`, partials.node.stepName);
    }
  }
  return acc as any;
};

proto.fold = function (zero, op, opts) {
  return this.aggregate(zero, op as UdfArg<(a: unknown, b: unknown) => unknown>, op as UdfArg<(a: unknown, b: unknown) => unknown>, opts);
};

/** A pair row's value: field 2, or the array of fields 2..n. */
function pairValue(r: unknown[], action: string): unknown {
  if (r.length < 2) throw new GleamError(`${action}: needs rows of at least two fields (key, value...), got a row of ${r.length}`);
  return r.length === 2 ? r[1] : r.slice(1);
}

proto.collectAsMap = async function (opts) {
  const rows = (await this.flow.runAction(this, { kind: 'collect' }, opts, 'collectAsMap')) as unknown[][];
  // Keys equal in the total order are one key (1 and 1n, equal arrays); the first key value seen names it.
  const keyOf = new Map<unknown, unknown>();
  const out = new Map<unknown, unknown>();
  for (const r of rows) {
    const g = groupKey(r[0]);
    if (!keyOf.has(g)) keyOf.set(g, r[0]);
    out.set(keyOf.get(g), pairValue(r, 'collectAsMap()'));
  }
  return out as Map<any, any>;
};

// A cheap filter in the executors keeps every row that may match; the driver decides exactly.
const MAY_MATCH = `(...f) => { const k = params.__gleamKey, v = f[0]; return v === k || v !== v || v == null || typeof v === 'object' || typeof v === 'bigint' || typeof k === 'bigint'; }`;

proto.lookup = async function (key, opts) {
  const matches = this.narrow('Lookup', (step) => {
    checkParams(key, step, 'key');
    return { op: 'filter', step, udf: { source: MAY_MATCH, params: { __gleamKey: key } } };
  });
  const rows = (await this.flow.runAction(matches, { kind: 'collect' }, opts, 'lookup')) as unknown[][];
  const want = groupKey(key);
  const same = (g: unknown) => g === want || (g !== g && want !== want);
  return rows.filter((r) => same(groupKey(r[0]))).map((r) => pairValue(r, 'lookup()')) as any[];
};

/** A seeded generator (mulberry32) for the driver's side of takeSample and default seeds. */
export function seededRandom(seed: number): () => number {
  let state = (Math.imul(seed | 0, 0x9e3779b1) >>> 0) || 0x6d2b79f5;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed when none is given (Spark draws one at random too). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

export function checkSeed(seed: unknown, step: string): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new GleamError(`step "${step}": seed must be an integer, got ${JSON.stringify(seed)}`, step);
  return seed;
}

/** Spark's SamplingUtils.computeFractionForSampleSize: a fraction that yields >= num rows with high probability. */
function fractionFor(num: number, total: number, withReplacement: boolean): number {
  if (withReplacement) {
    const numStDev = num < 12 ? 9 : 5;
    return Math.max(num + numStDev * Math.sqrt(num), 1e-10) / total;
  }
  const fraction = num / total;
  const gamma = -Math.log(1e-4) / total;
  return Math.min(1, Math.max(1e-10, fraction + gamma + Math.sqrt(gamma * gamma + 2 * gamma * fraction)));
}

function shuffleInPlace<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const MAX_SAMPLE_ROUNDS = 100;

proto.takeSample = async function (withReplacement, num, seed, opts) {
  const step = 'takeSample';
  positiveInt(num, step, 'takeSample(withReplacement, num)', true);
  const random = seededRandom(checkSeed(seed ?? randomSeed(), step));
  if (num === 0) return [];
  const total = await this.count(opts);
  if (total === 0) return [];
  if (!withReplacement && num >= total) return shuffleInPlace(await this.collect(opts), random);
  const fraction = fractionFor(num, total, Boolean(withReplacement));
  for (let round = 0; round < MAX_SAMPLE_ROUNDS; round++) {
    const roundSeed = Math.floor(random() * 0x7fffffff);
    const sampled = this.derive<any>('takeSample', () => ({ kind: 'sample', withReplacement: Boolean(withReplacement), fraction, seed: roundSeed }));
    const rows = await sampled.collect(opts);
    if (rows.length >= num) return shuffleInPlace(rows, random).slice(0, num);
  }
  throw new GleamError(`takeSample(): fewer than ${num} rows sampled in ${MAX_SAMPLE_ROUNDS} rounds of ${total} rows`);
};

proto.getNumPartitions = async function (opts = {}) {
  const o = resolveOptions(opts);
  if (o.master && !o.partitionsGiven) {
    // A cluster's default partition count is the slots it grants a job: ask with a job that
    // reads nothing of narrow inputs and yields one row per partition.
    const counted = this.localLimit(0).narrow<[number]>('NumPartitions', (step) => ({ op: 'countRows', step }));
    return ((await this.flow.runAction(counted, { kind: 'collect' }, opts, 'getNumPartitions')) as unknown[]).length;
  }
  let n = 0;
  planFlow(this.flow.name, [{ node: this.node, name: 'NumPartitions', make: (parts) => ((n = parts.length), {} as DriverSink) }], o, this.flow.session.cacheView(o.master));
  return n;
};

export {};
