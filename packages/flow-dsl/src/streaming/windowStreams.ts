// Windows over a stream, as Spark Streaming defines them: a window of windowMs sliding every
// slideMs holds the parent's batches in (T - windowMs, T] at every slide time T; both must be
// multiples of the parent's slide. The parent's batches are kept in the shard stores for as long
// as a window needs them. With an inverse function, reduceByKeyAndWindow updates the previous
// window (add the batches that entered, take out those that left) instead of reducing it all.
import { checkUdfSyntax, GleamError, udfSource } from '@gleam/executor';
import type { Dataset, UdfArg, UdfOptions } from '../dataset';
import { positiveInt } from '../fields';
import { checkParams } from '../params';
import type { FirstField, Reduced, ReducedRow, RowValue, ValueOf } from '../rowTypes';
import type { BatchScope } from './batchScope';
import { DStream, countRows } from './dstream';
import type { StreamingContext } from './streamingContext';

/** K and V: the key (field 1) and value types of the stream's rows. */
export interface WindowReduceOptions<K = any, V = any> extends UdfOptions {
  /** fn's inverse: inverse(reduce(a, b), b) === a. With it each window updates the previous one. */
  inverse?: UdfArg<(a: V, b: V) => Reduced<V>>;
  /** With inverse: keep only keys for which filter(key, value) is true (e.g. drop counts of 0). */
  filter?: UdfArg<(key: K, value: V) => unknown>;
  partitions?: number;
}

declare module './dstream' {
  interface DStream<R extends unknown[]> {
    /** Every slideMs (default: the batch interval), the rows of the batches of the last windowMs. */
    window(windowMs: number, slideMs?: number): DStream<R>;
    /** Per key (field 1), the reduction of the values in the window (see WindowReduceOptions.inverse). */
    reduceByKeyAndWindow(
      fn: UdfArg<(a: ValueOf<R, [1]>, b: ValueOf<R, [1]>) => Reduced<ValueOf<R, [1]>>>,
      windowMs: number,
      slideMs?: number,
      opts?: WindowReduceOptions<FirstField<R>, ValueOf<R, [1]>>,
    ): DStream<ReducedRow<R, [1]>>;
    /** One row: the reduction of every row in the window. */
    reduceByWindow(fn: UdfArg<(a: RowValue<R>, b: RowValue<R>) => Reduced<RowValue<R>>>, windowMs: number, slideMs?: number, opts?: UdfOptions): DStream<R>;
    /** One row [n]: the rows in the window. */
    countByWindow(windowMs: number, slideMs?: number): DStream<[number]>;
    /** [value, n] per distinct value in the window. */
    countByValueAndWindow(windowMs: number, slideMs?: number, opts?: { partitions?: number }): DStream<[RowValue<R>, number]>;
  }
}

/** Window and slide checked against the parent's slide, at definition time. */
function windowArgs(parent: DStream<any>, what: string, windowMs: unknown, slideMs: unknown): { windowMs: number; slideMs: number } {
  const base = parent.slideMs;
  const check = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new GleamError(`${what}: ${name} must be a positive integer number of ms, got ${JSON.stringify(v)}`);
    if (v % base !== 0) throw new GleamError(`${what}: ${name} ${v} ms is not a multiple of the ${parent.slideMs === parent.ssc.batchMs ? 'batch interval' : "parent stream's slide"} (${base} ms)`);
    return v;
  };
  const w = check(windowMs, 'windowMs');
  const s = slideMs === undefined ? base : check(slideMs, 'slideMs');
  return { windowMs: w, slideMs: s };
}

/** The first slide time after `timeMs` (windows in between need nothing new). */
function nextSlide(scope: BatchScope, slideMs: number): number {
  const since = (scope.timeMs - scope.zeroMs) % slideMs;
  return scope.timeMs + (slideMs - since);
}

/** The times of a stream's batches in (from, to], after the start. */
function timesIn(scope: BatchScope, stepMs: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = to; t > from && t > scope.zeroMs; t -= stepMs) out.unshift(t);
  return out;
}

export class WindowedDStream<R extends unknown[]> extends DStream<R> {
  private readonly owner: string;

  constructor(
    ssc: StreamingContext,
    private readonly parent: DStream<R>,
    private readonly windowMs: number,
    slideMs: number,
  ) {
    super(ssc, [parent], 'window', slideMs);
    this.owner = `${this.id}:window`;
  }

  private keepParent(scope: BatchScope): Dataset<R> | undefined {
    const p = this.parent.datasetAt(scope);
    if (p) this.ssc.kept.keep(this.owner, scope.timeMs, p, `the batch at ${scope.timeMs} ms of a ${this.windowMs} ms window`);
    return p;
  }

  protected compute(scope: BatchScope): Dataset<R> {
    this.keepParent(scope);
    const parts: Dataset<R>[] = [];
    for (const t of timesIn(scope, this.parent.slideMs, scope.timeMs - this.windowMs, scope.timeMs)) {
      const d = this.ssc.kept.get(this.owner, t);
      if (d) parts.push(d);
    }
    if (parts.length === 0) return scope.empty<R>();
    return parts.length === 1 ? parts[0] : parts[0].union(...parts.slice(1));
  }

  override async afterBatch(scope: BatchScope): Promise<void> {
    this.keepParent(scope);
    const needFrom = nextSlide(scope, this.slideMs) - this.windowMs;
    this.ssc.kept.release(this.owner, (t) => t <= needFrom);
  }
}

/** reduceByKeyAndWindow with an inverse: window(T) = window(T - slide) + entered - left. */
class ReducedWindowedDStream extends DStream<unknown[]> {
  private readonly inOwner: string;
  private readonly outOwner: string;

  constructor(
    ssc: StreamingContext,
    /** The parent reduced per batch. */
    private readonly reduced: DStream<any>,
    private readonly windowMs: number,
    slideMs: number,
    /** The combining UDF: (key, tagged values) -> rows. */
    private readonly combine: { source: string; params?: Record<string, unknown> },
    private readonly partitions: number | undefined,
  ) {
    super(ssc, [reduced], 'reduceByKeyAndWindow', slideMs);
    this.inOwner = `${this.id}:in`;
    this.outOwner = `${this.id}:out`;
  }

  private keepParent(scope: BatchScope): void {
    const p = this.reduced.datasetAt(scope);
    if (p) this.ssc.kept.keep(this.inOwner, scope.timeMs, p, `the reduced batch at ${scope.timeMs} ms of a ${this.windowMs} ms window`);
  }

  private batchesIn(scope: BatchScope, from: number, to: number): Dataset<any>[] {
    const out: Dataset<any>[] = [];
    for (const t of timesIn(scope, this.reduced.slideMs, from, to)) {
      const d = this.ssc.kept.get(this.inOwner, t);
      if (d) out.push(d);
    }
    return out;
  }

  protected compute(scope: BatchScope): Dataset<unknown[]> {
    this.keepParent(scope);
    const T = scope.timeMs;
    const s = this.slideMs;
    const w = this.windowMs;
    const prev = this.ssc.kept.get(this.outOwner, T - s);
    const tagged: Dataset<any>[] = [];
    const tag = (ds: Dataset<any>, k: number) => ds.map(`(...f) => [f[0], ${k}, f.length === 2 ? f[1] : f.slice(1), f.length > 2]`);
    if (prev) {
      tagged.push(tag(prev, 0));
      for (const d of this.batchesIn(scope, T - s, T)) tagged.push(tag(d, 1));
      for (const d of this.batchesIn(scope, T - s - w, T - w)) tagged.push(tag(d, 2));
    } else {
      for (const d of this.batchesIn(scope, T - w, T)) tagged.push(tag(d, 1));
    }
    let result: Dataset<unknown[]>;
    if (tagged.length === 0) result = scope.empty();
    else {
      const all = tagged.length === 1 ? tagged[0] : tagged[0].union(...tagged.slice(1));
      result = all.groupBy({ partitions: this.partitions }).flatMap(this.combine.source, this.combine.params ? { params: this.combine.params } : undefined) as Dataset<unknown[]>;
    }
    this.ssc.kept.keep(this.outOwner, T, result, `the ${w} ms window ending at ${T} ms`);
    return result;
  }

  override async afterBatch(scope: BatchScope): Promise<void> {
    this.keepParent(scope);
    const next = nextSlide(scope, this.slideMs);
    // The next window adds (T, next] and takes out (next - slide - window, next - window].
    this.ssc.kept.release(this.inOwner, (t) => t <= next - this.slideMs - this.windowMs);
    this.ssc.kept.release(this.outOwner, (t) => t < scope.timeMs && scope.isSlide(this.slideMs));
  }
}

/** A user function's source, checked, for splicing into a generated UDF. */
function fnSource(fn: unknown, what: string): string {
  const src = udfSource(fn, what);
  checkUdfSyntax(src, what);
  return src;
}

const proto = DStream.prototype as DStream<any>;

proto.window = function (windowMs, slideMs) {
  const a = windowArgs(this, 'window', windowMs, slideMs);
  return new WindowedDStream(this.ssc, this, a.windowMs, a.slideMs);
};

proto.reduceByKeyAndWindow = function (fn, windowMs, slideMs, opts = {}) {
  const a = windowArgs(this, 'reduceByKeyAndWindow', windowMs, slideMs);
  // Keys are field 1 (as in Spark's pair DStreams): a `by` would be ignored, so it is refused.
  if ((opts as { by?: unknown }).by !== undefined) throw new GleamError('reduceByKeyAndWindow: the key is field 1 (by is not supported); map each row to [key, value] first');
  const partitions = opts.partitions === undefined ? undefined : positiveInt(opts.partitions, 'reduceByKeyAndWindow', 'partitions');
  if (opts.params !== undefined) checkParams(opts.params, 'reduceByKeyAndWindow');
  const udfOpts = opts.params ? { params: opts.params } : undefined;
  const perBatch = this.reduceByKey(fn, { partitions, ...udfOpts });
  if (opts.inverse === undefined) {
    if (opts.filter !== undefined) throw new GleamError('reduceByKeyAndWindow: filter applies with inverse only (without it, filter the result)');
    return new WindowedDStream(this.ssc, perBatch, a.windowMs, a.slideMs).reduceByKey(fn, { partitions, ...udfOpts });
  }
  const fnSrc = fnSource(fn, 'reduceByKeyAndWindow');
  const invSrc = fnSource(opts.inverse, 'reduceByKeyAndWindow inverse');
  const filterSrc = opts.filter === undefined ? 'undefined' : fnSource(opts.filter, 'reduceByKeyAndWindow filter');
  // groupBy gives each key its tagged values [tag, value, multi]; tag 0: the previous window's
  // value, 1: a batch that entered, 2: one that left.
  const source = `((FN, INV, FILTER) => (key, vals) => {
    let cur, has = false, multi = false;
    for (const v of vals) { if (v[2]) multi = true; if (v[0] === 0) { cur = v[1]; has = true; } }
    for (const v of vals) if (v[0] === 1) { cur = has ? FN(cur, v[1]) : v[1]; has = true; }
    for (const v of vals) if (v[0] === 2 && has) cur = INV(cur, v[1]);
    if (!has) return [];
    if (FILTER && !FILTER(key, cur)) return [];
    return [multi && Array.isArray(cur) ? [key, ...cur] : [key, cur]];
  })(${fnSrc}, ${invSrc}, ${filterSrc})`;
  return new ReducedWindowedDStream(this.ssc, perBatch, a.windowMs, a.slideMs, { source, params: opts.params }, partitions);
};

proto.reduceByWindow = function (fn, windowMs, slideMs, opts) {
  return this.window(windowMs, slideMs).reduce(fn, opts);
};

proto.countByWindow = function (windowMs, slideMs) {
  return this.window(windowMs, slideMs).perBatch('countByWindow', (ds) => countRows(ds));
};

proto.countByValueAndWindow = function (windowMs, slideMs, opts) {
  return this.window(windowMs, slideMs).countByValue(opts);
};
