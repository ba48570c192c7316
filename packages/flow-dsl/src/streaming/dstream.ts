// DStream: a stream of Datasets, one per batch (Spark Streaming's discretized stream). Every
// Dataset operator applies per batch; windows, state and outputs are added in their own files.
// A DStream is a recipe: nothing runs until the StreamingContext starts, and each batch builds
// its Datasets afresh from the batch's input.
import { GleamError } from '@gleam/executor';
import { Dataset, type AsyncUdfOptions, type KeyOptions, type PipeOptions, type SortOptions, type UdfArg, type UdfOptions } from '../dataset';
import type { SortSpec } from '../fields';
import type { AsRow, By, CoGrouped, Concat, Fields, Grouped, Joined, MapResult, MapRow, Reduced, ReducedRow, RowValue, Selected, ValueOf } from '../rowTypes';
import type { BatchScope } from './batchScope';
import type { StreamingContext } from './streamingContext';

/** Another stream of the same context (per batch), or one Dataset joined with every batch. */
export type StreamOrDataset<R extends unknown[] = any> = DStream<R> | Dataset<R>;
/** A UDF argument whose overloads were resolved by the DStream method's own signature. */
type AnyUdf = any;

export abstract class DStream<R extends unknown[] = unknown[]> {
  /** @internal Unique in its context, in definition order: the same script gives the same ids (checkpoints rely on it). */
  readonly id: number;
  /** @internal The stream has a batch every slideMs (batchMs, or a window's slide). */
  readonly slideMs: number;

  constructor(
    /** @internal */ readonly ssc: StreamingContext,
    /** @internal */ readonly parents: DStream<any>[],
    /** @internal Names the stream in errors and reports, e.g. `map#3`. */ readonly label: string,
    slideMs?: number,
  ) {
    for (const p of parents) {
      if (p.ssc !== ssc) throw new GleamError(`${label}: its input stream belongs to another StreamingContext`);
    }
    this.slideMs = slideMs ?? parents[0]?.slideMs ?? ssc.batchMs;
    if (slideMs === undefined) {
      for (const p of parents) {
        if (p.slideMs !== this.slideMs) throw new GleamError(`${label}: the streams it combines slide differently (${this.slideMs} ms and ${p.slideMs} ms); window them alike first`);
      }
    }
    this.id = ssc.register(this);
  }

  /** @internal The dataset of the batch in `scope`, or undefined when this stream has none then (a window between its slides). */
  datasetAt(scope: BatchScope): Dataset<R> | undefined {
    const memo = scope.memo(this.id);
    if (memo !== undefined) return memo ?? undefined;
    const ds = scope.isSlide(this.slideMs) ? this.compute(scope) : undefined;
    scope.remember(this.id, ds);
    return ds;
  }

  /** @internal Builds this batch's dataset (called once per batch, at slide times). */
  protected abstract compute(scope: BatchScope): Dataset<R> | undefined;

  /** @internal Runs after every batch's outputs: streams that keep data for later batches settle it. */
  async afterBatch(_scope: BatchScope): Promise<void> {}

  // ---- per batch ----

  /** fn(ds, timeMs) runs in the driver every batch and returns the batch's Dataset. */
  transform<T extends unknown[]>(fn: (ds: Dataset<R>, timeMs: number) => Dataset<T>): DStream<T> {
    if (typeof fn !== 'function') throw new GleamError('transform: expected a function (ds, timeMs) => Dataset');
    return new TransformedDStream<T>(this.ssc, [this], 'transform', (dss, t) => fn(dss[0] as Dataset<R>, t));
  }

  /** @internal The same Dataset operator on every batch. */
  perBatch<T extends unknown[]>(name: string, op: (ds: Dataset<R>) => Dataset<T>): DStream<T> {
    return new TransformedDStream<T>(this.ssc, [this], name, (dss) => op(dss[0] as Dataset<R>));
  }

  /** @internal A two-input operator: with another stream (batch by batch) or a Dataset (every batch). */
  withOther<T extends unknown[]>(name: string, other: StreamOrDataset, op: (ds: Dataset<R>, o: Dataset<any>) => Dataset<T>): DStream<T> {
    if (other instanceof Dataset) {
      if (other.flow !== this.ssc.flow) throw new GleamError(`${name}: the Dataset belongs to another Flow than the stream`);
      return this.perBatch(name, (ds) => op(ds, other));
    }
    if (!(other instanceof DStream)) throw new GleamError(`${name}: expected a DStream or a Dataset`);
    return new TransformedDStream<T>(this.ssc, [this, other], name, (dss) => op(dss[0] as Dataset<R>, dss[1]));
  }

  // Overloads in Dataset's order (function first, see Dataset.map).
  map<T extends MapResult>(fn: (...fields: Fields<R>) => T, opts?: UdfOptions): DStream<MapRow<T>>;
  map(fn: string, opts?: UdfOptions): DStream<unknown[]>;
  map(fn: AnyUdf, opts?: UdfOptions): DStream<any> {
    return this.perBatch('map', (ds) => ds.map(fn, opts));
  }
  flatMap<T extends MapResult>(fn: (...fields: Fields<R>) => Iterable<T> | null | undefined, opts?: UdfOptions): DStream<AsRow<T>>;
  flatMap(fn: string, opts?: UdfOptions): DStream<unknown[]>;
  flatMap(fn: AnyUdf, opts?: UdfOptions): DStream<any> {
    return this.perBatch('flatMap', (ds) => ds.flatMap(fn, opts));
  }
  filter(fn: UdfArg<(...fields: Fields<R>) => unknown>, opts?: UdfOptions): DStream<R> {
    return this.perBatch('filter', (ds) => ds.filter(fn, opts));
  }
  mapAsync<T extends MapResult>(fn: (...fields: Fields<R>) => T | PromiseLike<T>, opts?: AsyncUdfOptions): DStream<MapRow<T>>;
  mapAsync(fn: string, opts?: AsyncUdfOptions): DStream<unknown[]>;
  mapAsync(fn: AnyUdf, opts?: AsyncUdfOptions): DStream<any> {
    return this.perBatch('mapAsync', (ds) => ds.mapAsync(fn, opts));
  }
  flatMapAsync<T extends MapResult>(fn: (...fields: Fields<R>) => PromiseLike<Iterable<T> | null | undefined> | AsyncIterable<T> | Iterable<T> | null | undefined, opts?: AsyncUdfOptions): DStream<AsRow<T>>;
  flatMapAsync(fn: string, opts?: AsyncUdfOptions): DStream<unknown[]>;
  flatMapAsync(fn: AnyUdf, opts?: AsyncUdfOptions): DStream<any> {
    return this.perBatch('flatMapAsync', (ds) => ds.flatMapAsync(fn, opts));
  }
  select<const Ns extends number[]>(...fields: Ns): DStream<Selected<R, Ns>> {
    return this.perBatch('select', (ds) => ds.select(...fields));
  }
  pipe(command: string, opts?: PipeOptions): DStream<string[]> {
    return this.perBatch('pipe', (ds) => ds.pipe(command, opts));
  }
  pipeAsArgs(command: string, opts?: PipeOptions): DStream<string[]> {
    return this.perBatch('pipeAsArgs', (ds) => ds.pipeAsArgs(command, opts));
  }
  mapPartitions<T extends MapResult>(fn: (rows: Iterable<R>) => Iterable<T>, opts?: UdfOptions): DStream<AsRow<T>>;
  mapPartitions(fn: string, opts?: UdfOptions): DStream<unknown[]>;
  mapPartitions(fn: AnyUdf, opts?: UdfOptions): DStream<any> {
    return this.perBatch('mapPartitions', (ds) => ds.mapPartitions(fn, opts));
  }
  localLimit(n: number): DStream<R> {
    return this.perBatch('localLimit', (ds) => ds.localLimit(n));
  }
  reduceBy<const B extends By = [1]>(fn: UdfArg<(a: ValueOf<R, B>, b: ValueOf<R, B>) => Reduced<ValueOf<R, B>>>, opts?: KeyOptions<B> & UdfOptions): DStream<ReducedRow<R, B>> {
    return this.perBatch('reduceBy', (ds) => ds.reduceBy(fn as AnyUdf, opts) as Dataset<any>);
  }
  reduceByKey<const B extends By = [1]>(fn: UdfArg<(a: ValueOf<R, B>, b: ValueOf<R, B>) => Reduced<ValueOf<R, B>>>, opts?: KeyOptions<B> & UdfOptions): DStream<ReducedRow<R, B>> {
    return this.reduceBy(fn, opts);
  }
  groupBy<const B extends By = [1]>(opts?: KeyOptions<B>): DStream<Grouped<R, B>> {
    return this.perBatch('groupBy', (ds) => ds.groupBy(opts) as Dataset<any>);
  }
  groupByKey<const B extends By = [1]>(opts?: KeyOptions<B>): DStream<Grouped<R, B>> {
    return this.groupBy(opts);
  }
  distinct(opts?: KeyOptions): DStream<R> {
    return this.perBatch('distinct', (ds) => ds.distinct(opts));
  }
  sort(opts?: SortOptions): DStream<R> {
    return this.perBatch('sort', (ds) => ds.sort(opts));
  }
  sortByKey(opts?: SortOptions): DStream<R> {
    return this.sort(opts);
  }
  top(n: number, opts?: { by?: SortSpec | SortSpec[] }): DStream<R> {
    return this.perBatch('top', (ds) => ds.top(n, opts));
  }
  limit(n: number): DStream<R> {
    return this.perBatch('limit', (ds) => ds.limit(n));
  }
  partition(n?: number, opts?: { by?: By }): DStream<R> {
    return this.perBatch('partition', (ds) => ds.partition(n, opts));
  }
  /** Per batch, one row: the reduction of the batch's rows (none for an empty batch, as Spark). */
  reduce(fn: UdfArg<(a: RowValue<R>, b: RowValue<R>) => Reduced<RowValue<R>>>, opts?: UdfOptions): DStream<R> {
    return this.perBatch('reduce', (ds) => ds.reduceRows(fn, opts));
  }
  reduceRows(fn: UdfArg<(a: RowValue<R>, b: RowValue<R>) => Reduced<RowValue<R>>>, opts?: UdfOptions): DStream<R> {
    return this.reduce(fn, opts);
  }
  /** Per batch, one row [n]: the batch's row count (0 for an empty batch). */
  count(): DStream<[number]> {
    return this.perBatch('count', (ds) => countRows(ds));
  }
  /** Per batch, [value, n] for every distinct value (field 1 of one-field rows, else the row). */
  countByValue(opts?: { partitions?: number }): DStream<[RowValue<R>, number]> {
    return this.perBatch('countByValue', (ds) => ds.map('(...f) => [f.length === 1 ? f[0] : f, 1]').reduceBy('(a, b) => a + b', opts) as Dataset<any>);
  }
  join<O extends unknown[], const B extends By = [1]>(other: StreamOrDataset<O>, opts?: KeyOptions<B>): DStream<Joined<R, O, B>> {
    return this.withOther('join', other, (ds, o) => ds.join(o, opts) as Dataset<any>);
  }
  leftOuterJoin<O extends unknown[], const B extends By = [1]>(other: StreamOrDataset<O>, opts?: KeyOptions<B>): DStream<Joined<R, O, B, false, true>> {
    return this.withOther('leftOuterJoin', other, (ds, o) => ds.leftOuterJoin(o, opts) as Dataset<any>);
  }
  rightOuterJoin<O extends unknown[], const B extends By = [1]>(other: StreamOrDataset<O>, opts?: KeyOptions<B>): DStream<Joined<R, O, B, true, false>> {
    return this.withOther('rightOuterJoin', other, (ds, o) => ds.rightOuterJoin(o, opts) as Dataset<any>);
  }
  fullOuterJoin<O extends unknown[], const B extends By = [1]>(other: StreamOrDataset<O>, opts?: KeyOptions<B>): DStream<Joined<R, O, B, true, true>> {
    return this.withOther('fullOuterJoin', other, (ds, o) => ds.fullOuterJoin(o, opts) as Dataset<any>);
  }
  coGroup<O extends unknown[], const B extends By = [1]>(other: StreamOrDataset<O>, opts?: KeyOptions<B>): DStream<CoGrouped<R, O, B>> {
    return this.withOther('coGroup', other, (ds, o) => ds.coGroup(o, opts) as Dataset<any>);
  }
  hashJoin<O extends unknown[], const B extends By = [1]>(small: StreamOrDataset<O>, opts?: { by?: B }): DStream<Joined<R, O, B>> {
    return this.withOther('hashJoin', small, (ds, o) => ds.hashJoin(o, opts) as Dataset<any>);
  }
  subtract(other: StreamOrDataset, opts?: { partitions?: number }): DStream<R> {
    return this.withOther('subtract', other, (ds, o) => ds.subtract(o, opts));
  }
  intersection(other: StreamOrDataset, opts?: { partitions?: number }): DStream<R> {
    return this.withOther('intersection', other, (ds, o) => ds.intersection(o, opts));
  }
  cartesian<O extends unknown[]>(other: StreamOrDataset<O>): DStream<Concat<R, O>> {
    return this.withOther('cartesian', other, (ds, o) => ds.cartesian(o) as Dataset<any>);
  }
  /** Every batch: this stream's rows, then the others' (streams that slide alike). */
  union(...others: DStream<R>[]): DStream<R> {
    for (const o of others) if (!(o instanceof DStream)) throw new GleamError('union: expected DStreams');
    return new TransformedDStream<R>(this.ssc, [this, ...others], 'union', (dss) => (dss.length === 1 ? dss[0] : dss[0].union(...dss.slice(1))) as Dataset<R>);
  }
  /** Computes each batch's dataset once even when several outputs read it. */
  cache(): DStream<R> {
    return this.perBatch('cache', (ds) => ds.cache());
  }
  persist(): DStream<R> {
    return this.cache();
  }
}

/** A stream computed from its parents' datasets of the same batch by a driver-side function. */
export class TransformedDStream<T extends unknown[]> extends DStream<T> {
  constructor(
    ssc: StreamingContext,
    parents: DStream<any>[],
    label: string,
    private readonly fn: (datasets: Dataset<any>[], timeMs: number) => Dataset<T>,
    slideMs?: number,
  ) {
    super(ssc, parents, label, slideMs);
  }

  protected compute(scope: BatchScope): Dataset<T> | undefined {
    const dss: Dataset<any>[] = [];
    for (const p of this.parents) {
      const ds = p.datasetAt(scope);
      if (ds === undefined) return undefined;
      dss.push(ds);
    }
    let out: unknown;
    try {
      out = this.fn(dss, scope.timeMs);
    } catch (e) {
      if (e instanceof GleamError) throw e;
      throw new GleamError(`${this.label} (batch ${scope.timeMs} ms): the function threw: ${(e as Error)?.message ?? e}`);
    }
    if (!(out instanceof Dataset)) throw new GleamError(`${this.label} (batch ${scope.timeMs} ms): expected the function to return a Dataset, got ${out === null ? 'null' : typeof out}`);
    if (out.flow !== scope.flow) throw new GleamError(`${this.label} (batch ${scope.timeMs} ms): the function returned a Dataset of another Flow`);
    return out as Dataset<T>;
  }
}

/** One row [n] (0 when the dataset is empty): partial counts per partition, summed in one. */
export function countRows(ds: Dataset<any>): Dataset<[number]> {
  const partials = ds.mapPartitions('(rows) => { let n = 0; for (const _ of rows) n++; return [n]; }');
  return partials.union(ds.flow.ints([0], 1)).reduceRows('(a, b) => a + b') as Dataset<any>;
}
