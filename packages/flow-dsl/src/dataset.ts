// Dataset: the user API of operators. Each operator records a logical step; nothing runs
// until a sink's flow.run() or an action.
import { describeRow, GleamError, STORAGE_LEVELS, udfSource, type StorageLevel, type InstructionSpec, type JoinKind, type PipeBounds, type Row, type UdfSpec } from '@gleam/executor';
import { keyFields, orderBy, positiveInt, selectFields, topOrder, type SortSpec } from './fields';
import type { Flow } from './flow';
import { checkParams } from './params';
import type { RunOptions } from './options';
import type { LogicalNode, LogicalStep } from './steps';
import type { AsRow, By, CoGrouped, Concat, Fields, FirstField, Grouped, Joined, MapResult, MapRow, Reduced, ReducedRow, RowValue, Selected, ValueOf } from './rowTypes';

/** A UDF: a function, or its source text. */
export type UdfArg<F> = F | string;

export interface UdfOptions {
  /** Values visible inside the UDF as `params`. */
  params?: Record<string, unknown>;
}
export interface AsyncUdfOptions extends UdfOptions {
  /** Calls in flight at most, per task (default 16). */
  concurrency?: number;
}
export interface PipeOptions {
  /** Kill the command (and fail the step) when it runs longer than this, in ms. */
  timeoutMs?: number;
  /** Kill it when it neither reads input nor writes output for this long, in ms (default GLEAM_PIPE_IDLE_MS, else 600000). */
  idleTimeoutMs?: number;
}
export interface KeyOptions<B extends By = By> {
  /** Key fields, 1-based (default [1]). */
  by?: B;
  partitions?: number;
}
export interface SortOptions {
  by?: SortSpec | SortSpec[];
  partitions?: number;
}


export class Dataset<R extends unknown[] = unknown[]> {
  /** @internal */
  constructor(readonly flow: Flow, /** @internal */ readonly node: LogicalNode) {}

  /** @internal */
  derive<T extends unknown[]>(name: string, step: (stepName: string) => LogicalStep, inputs: Dataset<any>[] = [this]): Dataset<T> {
    return new Dataset<T>(this.flow, this.flow.addNode(name, step, inputs.map((d) => d.node)));
  }

  /** @internal */
  narrow<T extends unknown[]>(name: string, make: (step: string) => InstructionSpec): Dataset<T> {
    return this.derive<T>(name[0].toLowerCase() + name.slice(1), (step) => ({ kind: 'narrow', name, instruction: make(step) }));
  }

  // ---- narrow operators ----

  // The function overloads come before the string ones: TypeScript fixes the type of a UDF with
  // annotated parameters at the first overload it tries, and against `string` its array return
  // would stay `(string | number)[]` instead of the tuple `[string, number]`.

  /** A string UDF gives rows of unknown shape; a function's return value becomes the row. */
  map<T extends MapResult>(fn: (...fields: Fields<R>) => T, opts?: UdfOptions): Dataset<MapRow<T>>;
  map(fn: string, opts?: UdfOptions): Dataset<unknown[]>;
  map(fn: UdfArg<(...fields: any[]) => unknown>, opts?: UdfOptions): Dataset<any> {
    return this.narrow('Map', (step) => ({ op: 'map', step, udf: udf(fn, step, opts) }));
  }

  flatMap<T extends MapResult>(fn: (...fields: Fields<R>) => Iterable<T> | null | undefined, opts?: UdfOptions): Dataset<AsRow<T>>;
  flatMap(fn: string, opts?: UdfOptions): Dataset<unknown[]>;
  flatMap(fn: UdfArg<(...fields: any[]) => unknown>, opts?: UdfOptions): Dataset<any> {
    return this.narrow('FlatMap', (step) => ({ op: 'flatMap', step, udf: udf(fn, step, opts) }));
  }

  filter(fn: UdfArg<(...fields: Fields<R>) => unknown>, opts?: UdfOptions): Dataset<R> {
    return this.narrow('Filter', (step) => ({ op: 'filter', step, udf: udf(fn, step, opts) }));
  }

  /**
   * map for UDFs that return Promises: at most `concurrency` calls in flight per task (default
   * 16), output in input order within a partition; the resolved value becomes a row as map's
   * return value does. A rejection fails the step with the row.
   */
  mapAsync<T extends MapResult>(fn: (...fields: Fields<R>) => T | PromiseLike<T>, opts?: AsyncUdfOptions): Dataset<MapRow<T>>;
  mapAsync(fn: string, opts?: AsyncUdfOptions): Dataset<unknown[]>;
  mapAsync(fn: UdfArg<(...fields: any[]) => unknown>, opts?: AsyncUdfOptions): Dataset<any> {
    return this.narrow('MapAsync', (step) => ({ op: 'mapAsync', step, udf: udf(fn, step, opts), concurrency: concurrencyOf(opts, step) }));
  }

  /** flatMap for UDFs that return Promises of iterables, or async iterables; as mapAsync otherwise. */
  flatMapAsync<T extends MapResult>(fn: (...fields: Fields<R>) => PromiseLike<Iterable<T> | null | undefined> | AsyncIterable<T> | Iterable<T> | null | undefined, opts?: AsyncUdfOptions): Dataset<AsRow<T>>;
  flatMapAsync(fn: string, opts?: AsyncUdfOptions): Dataset<unknown[]>;
  flatMapAsync(fn: UdfArg<(...fields: any[]) => unknown>, opts?: AsyncUdfOptions): Dataset<any> {
    return this.narrow('FlatMapAsync', (step) => ({ op: 'flatMapAsync', step, udf: udf(fn, step, opts), concurrency: concurrencyOf(opts, step) }));
  }

  /** Project and reorder fields (1-based): `select(2, 1)`. */
  select<const Ns extends number[]>(...fields: Ns): Dataset<Selected<R, Ns>> {
    return this.narrow('Select', (step) => ({ op: 'select', step, fields: selectFields(fields, step) }));
  }

  /**
   * Stream every partition through `sh -c command` (rows as tab-separated lines). timeoutMs
   * bounds the command's whole run; idleTimeoutMs how long it may go without reading input or
   * writing output (default GLEAM_PIPE_IDLE_MS, else 600000).
   */
  pipe(command: string, opts: PipeOptions = {}): Dataset<string[]> {
    return this.narrow('Pipe', (step) => ({ op: 'pipe', step, command: checkCommand(command, step), ...pipeBounds(opts, step) }));
  }

  /** Run `sh -c command` once per row with $1..$n replaced by the row's (shell-quoted) fields; bounds apply to each run. */
  pipeAsArgs(command: string, opts: PipeOptions = {}): Dataset<string[]> {
    return this.narrow('PipeAsArgs', (step) => ({ op: 'pipeAsArgs', step, command: checkCommand(command, step), ...pipeBounds(opts, step) }));
  }

  /** fn gets the rows of one partition (a one-shot iterable) and returns an iterable of rows/values. */
  mapPartitions<T extends MapResult>(fn: (rows: Iterable<R>) => Iterable<T>, opts?: UdfOptions): Dataset<AsRow<T>>;
  mapPartitions(fn: string, opts?: UdfOptions): Dataset<unknown[]>;
  mapPartitions(fn: UdfArg<(rows: Iterable<any>) => Iterable<unknown>>, opts?: UdfOptions): Dataset<any> {
    return this.narrow('MapPartitions', (step) => ({ op: 'mapPartitions', step, udf: udf(fn, step, opts) }));
  }

  /** The first n rows of every partition. */
  localLimit(n: number): Dataset<R> {
    return this.narrow('LocalLimit', (step) => ({ op: 'localLimit', step, n: positiveInt(n, step, 'localLimit(n)', true) }));
  }

  // ---- wide operators ----

  /**
   * Hash-partitioned parallel reduce per key, with map-side combining. Rows out:
   * [...keys, ...value fields] (fn reduces values: a single value field, or their array).
   */
  reduceBy<const B extends By = [1]>(fn: UdfArg<(a: ValueOf<R, B>, b: ValueOf<R, B>) => Reduced<ValueOf<R, B>>>, opts: KeyOptions<B> & UdfOptions = {}): Dataset<ReducedRow<R, B>> {
    return this.derive('reduceBy', (step) => ({ kind: 'reduceBy', udf: udf(fn, step, opts), key: keyFields(opts.by, step), partitions: parts(opts.partitions, step) }));
  }
  reduceByKey<const B extends By = [1]>(fn: UdfArg<(a: ValueOf<R, B>, b: ValueOf<R, B>) => Reduced<ValueOf<R, B>>>, opts: KeyOptions<B> & UdfOptions = {}): Dataset<ReducedRow<R, B>> {
    return this.reduceBy(fn, opts);
  }

  /** One row per key: [...keys, values[]]. */
  groupBy<const B extends By = [1]>(opts: KeyOptions<B> = {}): Dataset<Grouped<R, B>> {
    return this.derive('groupBy', (step) => ({ kind: 'groupBy', key: keyFields(opts.by, step), partitions: parts(opts.partitions, step) }));
  }
  groupByKey<const B extends By = [1]>(opts: KeyOptions<B> = {}): Dataset<Grouped<R, B>> {
    return this.groupBy(opts);
  }

  /** Rows with distinct keys (whole rows without `by`). */
  distinct(opts: KeyOptions = {}): Dataset<R> {
    return this.derive('distinct', (step) => ({ kind: 'distinct', key: opts.by === undefined ? null : keyFields(opts.by, step), partitions: parts(opts.partitions, step) }));
  }

  /** Global order via sampled range partitioning: partition i holds rows before partition i+1's. */
  sort(opts: SortOptions = {}): Dataset<R> {
    return this.derive('sort', (step) => ({ kind: 'sort', orderBy: orderBy(opts.by, step), partitions: parts(opts.partitions, step) }));
  }
  sortByKey(opts: SortOptions = {}): Dataset<R> {
    return this.sort(opts);
  }

  /**
   * The first n rows of the order `by` describes (one partition), where a plain field number
   * means descending: top(3, { by: [2] }) are the 3 largest by field 2, largest first;
   * top(3, { by: [[2, 'asc']] }) the 3 smallest. Default: field 1, largest first.
   */
  top(n: number, opts: { by?: SortSpec | SortSpec[] } = {}): Dataset<R> {
    return this.derive('top', (step) => ({ kind: 'top', n: positiveInt(n, step, 'top(n)', true), orderBy: topOrder(opts.by, step) }));
  }

  /** The first n rows, reading partitions in order (one partition). */
  limit(n: number): Dataset<R> {
    return this.derive('limit', (step) => ({ kind: 'limit', n: positiveInt(n, step, 'limit(n)', true) }));
  }

  /** Hash partitioning into n partitions by key. */
  partition(n?: number, opts: { by?: By } = {}): Dataset<R> {
    return this.derive('partition', (step) => ({ kind: 'partition', n: parts(n, step), key: keyFields(opts.by, step) }));
  }

  /** As an operator: a dataset of one row, the reduction of all rows (see the reduce action). */
  reduceRows(fn: UdfArg<(a: RowValue<R>, b: RowValue<R>) => Reduced<RowValue<R>>>, opts?: UdfOptions): Dataset<R> {
    return this.derive('reduce', (step) => ({ kind: 'reduce', udf: udf(fn, step, opts) }));
  }

  // ---- two or more datasets ----

  /** Inner join on the `by` fields: [...keys, ...leftValueFields, ...rightValueFields], all pairs per key. */
  join<O extends unknown[], const B extends By = [1]>(other: Dataset<O>, opts: KeyOptions<B> = {}): Dataset<Joined<R, O, B>> {
    return this.joinOf('join', 'inner', other, opts);
  }
  /** Every left row; a missing right side is one null per right value field. */
  leftOuterJoin<O extends unknown[], const B extends By = [1]>(other: Dataset<O>, opts: KeyOptions<B> = {}): Dataset<Joined<R, O, B, false, true>> {
    return this.joinOf('leftOuterJoin', 'left', other, opts);
  }
  /** Every right row; a missing left side is one null per left value field (keys come from the right row). */
  rightOuterJoin<O extends unknown[], const B extends By = [1]>(other: Dataset<O>, opts: KeyOptions<B> = {}): Dataset<Joined<R, O, B, true, false>> {
    return this.joinOf('rightOuterJoin', 'right', other, opts);
  }
  fullOuterJoin<O extends unknown[], const B extends By = [1]>(other: Dataset<O>, opts: KeyOptions<B> = {}): Dataset<Joined<R, O, B, true, true>> {
    return this.joinOf('fullOuterJoin', 'full', other, opts);
  }
  private joinOf(name: string, joinKind: JoinKind, other: Dataset<any>, opts: KeyOptions): Dataset<any> {
    return this.derive(name, (step) => ({ kind: 'join', joinKind, key: keyFields(opts.by, step), partitions: parts(opts.partitions, step) }), [this, checkOther(other, name)]);
  }

  /** One row per key: [...keys, leftValues[], rightValues[]]. */
  coGroup<O extends unknown[], const B extends By = [1]>(other: Dataset<O>, opts: KeyOptions<B> = {}): Dataset<CoGrouped<R, O, B>> {
    return this.derive('coGroup', (step) => ({ kind: 'coGroup', key: keyFields(opts.by, step), partitions: parts(opts.partitions, step) }), [this, checkOther(other, 'coGroup')]);
  }

  /** Broadcast join: `small` is sent whole to every partition of this dataset (inner join). */
  hashJoin<O extends unknown[], const B extends By = [1]>(small: Dataset<O>, opts: { by?: B } = {}): Dataset<Joined<R, O, B>> {
    return this.derive('hashJoin', (step) => ({ kind: 'hashJoin', key: keyFields(opts.by, step) }), [this, checkOther(small, 'hashJoin')]);
  }

  /** Rows of this dataset that are not in `other` (whole rows compared; duplicates kept). */
  subtract(other: Dataset<any>, opts: { partitions?: number } = {}): Dataset<R> {
    return this.derive('subtract', (step) => ({ kind: 'subtract', partitions: parts(opts.partitions, step) }), [this, checkOther(other, 'subtract')]);
  }

  /** Distinct rows present in both datasets. */
  intersection(other: Dataset<any>, opts: { partitions?: number } = {}): Dataset<R> {
    return this.derive('intersection', (step) => ({ kind: 'intersection', partitions: parts(opts.partitions, step) }), [this, checkOther(other, 'intersection')]);
  }

  /** Every pair of rows: [...thisRow, ...otherRow] (`other` is broadcast). */
  cartesian<O extends unknown[]>(other: Dataset<O>): Dataset<Concat<R, O>> {
    return this.derive('cartesian', () => ({ kind: 'cartesian' }), [this, checkOther(other, 'cartesian')]);
  }

  /** The partitions of this dataset followed by those of the others (no shuffle). */
  union(...others: Dataset<R>[]): Dataset<R> {
    return this.derive('union', () => ({ kind: 'union' }), [this, ...others.map((o) => checkOther(o, 'union'))]);
  }

  /**
   * Keep this dataset once computed: later actions of the same Flow read it instead of
   * recomputing it (in local mode and on a cluster). `flow.close()` drops it.
   */
  cache(): this {
    this.node.cached = true;
    return this;
  }
  /**
   * cache() with Spark's storage level named: MEMORY_AND_DISK (the default) keeps partitions in
   * the shard stores' memory and spills what does not fit; DISK_ONLY writes them to the stores'
   * spill files only; MEMORY_ONLY keeps what fits in memory and recomputes the partitions that did
   * not fit from lineage when a later action reads them.
   */
  persist(level: StorageLevel = 'MEMORY_AND_DISK'): this {
    if (!STORAGE_LEVELS.includes(level)) throw new GleamError(`persist: unknown storage level ${JSON.stringify(level)}; the levels are ${STORAGE_LEVELS.join(', ')}`);
    const current = this.node.storage ?? 'MEMORY_AND_DISK';
    if (this.node.cached && current !== level) throw new GleamError(`persist: this dataset is already persisted at another storage level (${current}); unpersist() it first`);
    this.node.storage = level === 'MEMORY_AND_DISK' ? undefined : level;
    return this.cache();
  }

  /**
   * Drops the cached partitions (after the Flow's jobs asked for before) and the storage level:
   * later actions compute the dataset from its lineage again. Resolves once its shards are gone.
   */
  async unpersist(): Promise<this> {
    this.node.cached = false;
    this.node.storage = undefined;
    const session = this.flow.session;
    await session.enqueue('unpersist', async () => {
      await session.unpersist([this.node]);
      await session.releaseIfIdle(this.flow.cachesDataNow());
    });
    return this;
  }

  // ---- sinks: add an output step to the flow and return the flow ----

  printf(format: string): Flow {
    return this.flow.addSink(this, { kind: 'printf', format, stream: process.stdout });
  }
  fprintf(stream: NodeJS.WritableStream, format: string): Flow {
    return this.flow.addSink(this, { kind: 'printf', format, stream });
  }
  saveAsTextFile(dir: string): Flow {
    return this.flow.addSink(this, { kind: 'saveAsTextFile', dir });
  }
  /** Driver-side callback per row, with the row's fields as arguments. */
  output(fn: (...fields: Fields<R>) => void | Promise<void>): Flow {
    return this.flow.addSink(this, { kind: 'output', fn: fn as (...f: unknown[]) => unknown });
  }

  // ---- actions: run now and resolve to a value ----

  collect(opts?: RunOptions): Promise<R[]> {
    return this.flow.runAction(this, { kind: 'collect' }, opts) as Promise<R[]>;
  }
  async count(opts?: RunOptions): Promise<number> {
    const counted = this.narrow<[number]>('CountRows', (step) => ({ op: 'countRows', step }));
    const rows = (await this.flow.runAction(counted, { kind: 'collect' }, opts, 'count')) as [number][];
    return rows.reduce((s, r) => s + r[0], 0);
  }
  async take(n: number, opts?: RunOptions, action = 'take'): Promise<R[]> {
    positiveInt(n, action, `${action}(n)`, true);
    const rows = (await this.flow.runAction(this.localLimit(n), { kind: 'collect', limit: n }, opts, action)) as R[];
    return rows.slice(0, n);
  }
  async first(opts?: RunOptions): Promise<R> {
    const rows = await this.take(1, opts, 'first');
    if (rows.length === 0) throw new GleamError('first(): the dataset is empty');
    return rows[0];
  }
  /**
   * Reduces all rows to one (a row's value is its field, or its fields' array). As an operator
   * the result is a one-row dataset; awaited, it is the action that resolves to the value.
   */
  reduce(fn: UdfArg<(a: RowValue<R>, b: RowValue<R>) => Reduced<RowValue<R>>>, opts?: RunOptions & UdfOptions): ReducedDataset<R> {
    const reduced = this.reduceRows(fn, opts);
    return new ReducedDataset<R>(this.flow, reduced.node, opts);
  }
  /** Map of key (field 1, or the field of one-field rows) -> number of rows. */
  async countByKey(opts?: RunOptions): Promise<Map<FirstField<R>, number>> {
    const counted = this.map('(...f) => [f[0], 1]').reduceBy('(a, b) => a + b');
    return toMap((await this.flow.runAction(counted, { kind: 'collect' }, opts, 'countByKey')) as unknown[][]);
  }
  /** Map of value (the field of one-field rows, else the row) -> number of rows. */
  async countByValue(opts?: RunOptions): Promise<Map<RowValue<R>, number>> {
    const counted = this.map('(...f) => [f.length === 1 ? f[0] : f, 1]').reduceBy('(a, b) => a + b');
    return toMap((await this.flow.runAction(counted, { kind: 'collect' }, opts, 'countByValue')) as unknown[][]);
  }
  /** Driver-side callback per row (fields as arguments); resolves when all rows were seen. */
  async forEach(fn: (...fields: Fields<R>) => void | Promise<void>, opts?: RunOptions): Promise<void> {
    await this.flow.runAction(this, { kind: 'output', fn: fn as (...f: unknown[]) => unknown }, opts);
  }
}

function toMap<K>(rows: unknown[][]): Map<K, number> {
  const m = new Map<K, number>();
  for (const r of rows) m.set(r[0] as K, r[1] as number);
  return m;
}

function udf(fn: unknown, step: string, opts?: UdfOptions): UdfSpec {
  const spec: UdfSpec = { source: udfSource(fn, step) };
  if (opts?.params !== undefined) {
    checkParams(opts.params, step);
    spec.params = opts.params;
  }
  return spec;
}

function concurrencyOf(opts: AsyncUdfOptions | undefined, step: string): number {
  return opts?.concurrency === undefined ? 16 : positiveInt(opts.concurrency, step, 'concurrency');
}

function parts(n: number | undefined, step: string): number | undefined {
  return n === undefined ? undefined : positiveInt(n, step, 'partitions');
}

function checkOther(d: unknown, what: string): Dataset<any> {
  if (!(d instanceof Dataset)) throw new GleamError(`${what}: expected a Dataset, got ${describeRow(d)}`);
  return d;
}

function pipeBounds(opts: PipeOptions, step: string): PipeBounds {
  const out: PipeBounds = {};
  for (const k of ['timeoutMs', 'idleTimeoutMs'] as const) {
    const v = opts[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v > 0)) throw new GleamError(`step "${step}": ${k} must be a positive number of milliseconds (Infinity for no bound), got ${describeRow(v)}`, step);
    out[k] = v;
  }
  return out;
}

function checkCommand(command: unknown, step: string): string {
  if (typeof command !== 'string' || command.trim() === '') throw new GleamError(`step "${step}": expected a shell command string`, step);
  return command;
}

export type { Row };

/** The result of reduce(): a one-row Dataset that, awaited, runs and resolves to the value. */
export class ReducedDataset<R extends unknown[] = unknown[]> extends Dataset<R> implements PromiseLike<RowValue<R>> {
  /** @internal */
  constructor(flow: Flow, node: LogicalNode, private readonly runOptions?: RunOptions) {
    super(flow, node);
  }
  private async value(): Promise<RowValue<R>> {
    const rows = (await this.flow.runAction(this as Dataset<any>, { kind: 'collect' }, this.runOptions, 'reduce')) as unknown[][];
    if (rows.length === 0) throw new GleamError('reduce(): the dataset is empty');
    return (rows[0].length === 1 ? rows[0][0] : rows[0]) as RowValue<R>;
  }
  then<A = RowValue<R>, B = never>(onfulfilled?: ((v: RowValue<R>) => A | PromiseLike<A>) | null, onrejected?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.value().then(onfulfilled, onrejected);
  }
  catch<B = never>(onrejected?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<RowValue<R> | B> {
    return this.value().catch(onrejected);
  }
}
