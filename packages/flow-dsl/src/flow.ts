// Flow: sources, the sinks registered on it, run() and the plumbing of actions.
import { GleamError, type Row } from '@gleam/executor';
import { Dataset } from './dataset';
import { execute } from './execute';
import { positiveInt } from './fields';
import { resolveOptions, type RunOptions } from './options';
import type { SinkRequest } from './planner/planFlow';
import { makeSink, sinkName, sinkStepName, type SinkSpec } from './sinks/sinkSpecs';
import type { LogicalNode, LogicalStep } from './steps';
import { installErrorReporting } from './errorReporting';
import { FlowSession } from './flowSession';
import { makeBroadcast, type Broadcast } from './broadcasts';
import type { AsRow, MapResult } from './rowTypes';

export class Flow {
  private readonly nodes = new Set<LogicalNode>();
  /** Node ids only grow: a stream forgets each batch's nodes, and ids name cached shards. */
  private lastNodeId = 0;
  private readonly sinks: { node: LogicalNode; spec: SinkSpec; step: string }[] = [];
  /** @internal */
  readonly session = new FlowSession();
  /** Running streams keep the local executors (and the shards in them) between their batches. */
  private streamsRunning = 0;
  /** A running stream's run options: actions in its foreachBatch callbacks run where the stream runs. */
  private defaultRunOptions: RunOptions | undefined;

  constructor(readonly name = 'flow') {
    installErrorReporting();
  }

  /** A read-only value for UDFs: pass the handle in `params`; it is shipped once per executor per job. */
  broadcast<T>(value: T): Broadcast<T> {
    return makeBroadcast(value, this.session, this.name);
  }

  /** @internal */
  addNode(name: string, make: (stepName: string) => LogicalStep, inputs: LogicalNode[]): LogicalNode {
    for (const i of inputs) {
      if (!this.nodes.has(i)) {
        throw new GleamError(`step "${name}": its input belongs to another Flow${i.id <= this.lastNodeId ? ', or to an earlier batch of a stream (a batch\'s datasets live until its outputs are done)' : ''}`);
      }
    }
    // The id is taken only once the step is valid: a refused definition leaves the numbering alone.
    const id = this.lastNodeId + 1;
    const stepName = `${name}#${id}`;
    const node: LogicalNode = { id, stepName, step: make(stepName), inputs };
    this.lastNodeId = id;
    this.nodes.add(node);
    return node;
  }

  /** @internal The id of the newest node: a stream forgets the nodes a batch added after it. */
  nodeMark(): number {
    return this.lastNodeId;
  }

  /** @internal Forgets the nodes added after `mark` except `keep` (a finished batch's steps); returns the cached ones forgotten. */
  forgetNodesAfter(mark: number, keep: ReadonlySet<LogicalNode>): LogicalNode[] {
    const cached: LogicalNode[] = [];
    for (const n of this.nodes) {
      if (n.id <= mark || keep.has(n)) continue;
      this.nodes.delete(n);
      if (n.cached) cached.push(n);
    }
    return cached;
  }

  /** @internal Forgets these nodes (a stream's kept datasets it no longer needs). */
  forgetNodes(nodes: Iterable<LogicalNode>): void {
    for (const n of nodes) this.nodes.delete(n);
  }

  /** @internal A dataset of rows kept in shards with no lineage (see the 'kept' step). */
  keptDataset<R extends unknown[]>(label: string): Dataset<R> {
    const ds = this.addSource<R>('kept', () => ({ kind: 'kept', label }));
    ds.node.cached = true;
    return ds;
  }

  /** @internal These files exactly, as lines (a stream's new files; none: an empty dataset). */
  textFiles(files: string[], partitions?: number): Dataset<[string]> {
    if (files.length === 0) return this.slices<[string]>([], 1);
    return this.addSource('textFile', () => ({ kind: 'textFile', pattern: files[0], files, partitions }));
  }

  /** @internal */
  setDefaultRunOptions(opts: RunOptions | undefined): void {
    this.defaultRunOptions = opts;
  }

  /** @internal Whether the Flow's local executors must stay (cached datasets, running streams). */
  cachesDataNow(): boolean {
    return this.cachesData();
  }

  /** @internal A stream starts or ends: while any runs, local executors stay up between jobs. */
  streamRunning(running: boolean): void {
    this.streamsRunning += running ? 1 : -1;
  }

  /** @internal */
  addSink(ds: Dataset<any>, spec: SinkSpec): Flow {
    this.sinks.push({ node: ds.node, spec, step: `${sinkStepName(spec)}#${this.lastNodeId + this.sinks.length + 1}` });
    return this;
  }

  private addSource<R extends unknown[]>(name: string, step: (stepName: string) => LogicalStep): Dataset<R> {
    return new Dataset<R>(this, this.addNode(name, step, []));
  }

  // ---- sources ----

  /** Lines of a file, a directory's files, or a glob; large files split at line boundaries. */
  textFile(pathOrGlob: string, opts: { partitions?: number } = {}): Dataset<[string]> {
    return this.addSource('textFile', (step) => {
      if (typeof pathOrGlob !== 'string' || pathOrGlob === '') throw new GleamError(`step "${step}": textFile needs a path or glob`, step);
      return { kind: 'textFile', pattern: pathOrGlob, partitions: opts.partitions === undefined ? undefined : positiveInt(opts.partitions, step, 'partitions') };
    });
  }

  /** CSV records (RFC 4180 quotes) as rows of strings; one partition per file. */
  csv(pathOrGlob: string, opts: { header?: boolean; delimiter?: string; partitions?: number } = {}): Dataset<string[]> {
    return this.delimitedSource('csv', pathOrGlob, opts, ',');
  }

  /** Tab-separated records (same quoting rules as csv); one partition per file. */
  tsv(pathOrGlob: string, opts: { header?: boolean; delimiter?: string; partitions?: number } = {}): Dataset<string[]> {
    return this.delimitedSource('tsv', pathOrGlob, opts, '\t');
  }

  private delimitedSource(name: string, pathOrGlob: string, opts: { header?: boolean; delimiter?: string; partitions?: number }, defaultDelimiter: string): Dataset<string[]> {
    return this.addSource(name, (step) => {
      if (typeof pathOrGlob !== 'string' || pathOrGlob === '') throw new GleamError(`step "${step}": ${name} needs a path or glob`, step);
      const delimiter = opts.delimiter ?? defaultDelimiter;
      if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
        throw new GleamError(`step "${step}": ${name} delimiter must be a single character other than '"', '\\n' and '\\r' (got ${JSON.stringify(delimiter)})`, step);
      }
      if (opts.header !== undefined && typeof opts.header !== 'boolean') throw new GleamError(`step "${step}": ${name} option header must be true or false`, step);
      // Validated for symmetry with textFile, but quoted newlines forbid byte splits: one partition per file.
      const partitions = opts.partitions === undefined ? undefined : positiveInt(opts.partitions, step, 'partitions');
      return { kind: 'csv', pattern: pathOrGlob, delimiter, header: opts.header ?? false, partitions };
    });
  }

  strings(xs: string[], partitions?: number): Dataset<[string]> {
    return this.fromValues('strings', 'Strings', xs, partitions) as Dataset<[string]>;
  }

  ints(xs: number[], partitions?: number): Dataset<[number]> {
    return this.fromValues('ints', 'Ints', xs, partitions) as Dataset<[number]>;
  }

  /** Values from driver memory: a value is a one-field row, an array is a row. */
  parallelize<T extends MapResult>(values: T[], partitions?: number): Dataset<AsRow<T>> {
    return this.fromValues('parallelize', 'Parallelize', values, partitions) as Dataset<any>;
  }

  /** Rows (arrays of fields) from driver memory. */
  slices<R extends [] | unknown[]>(rows: R[], partitions?: number): Dataset<R> {
    return this.fromValues('slices', 'Slices', rows, partitions) as Dataset<R>;
  }

  /** A driver-side (async) generator of rows or values. */
  source<T extends MapResult>(fn: () => AsyncIterable<T> | Iterable<T>): Dataset<AsRow<T>> {
    return this.addSource('source', (step) => {
      if (typeof fn !== 'function') throw new GleamError(`step "${step}": source(fn) needs a function returning an (async) iterable`, step);
      return { kind: 'sourceFn', fn: fn as () => AsyncIterable<unknown> };
    }) as Dataset<any>;
  }

  private fromValues(name: string, label: string, values: unknown[], partitions?: number): Dataset<unknown[]> {
    return this.addSource(name, (step) => {
      if (!Array.isArray(values)) throw new GleamError(`step "${step}": expected an array of values`, step);
      const rows: Row[] = values.map((v) => (Array.isArray(v) ? v : [v]));
      return { kind: 'driverRows', rows, label, partitions: partitions === undefined ? undefined : positiveInt(partitions, step, 'partitions') };
    });
  }

  // ---- running ----

  /** Runs every sink added with printf/fprintf/saveAsTextFile/output (or prints the plan). */
  async run(options: RunOptions = {}): Promise<void> {
    options = { ...this.defaultRunOptions, ...options };
    const opts = resolveOptions(options);
    if (this.sinks.length === 0) throw new GleamError(`flow "${this.name}": run() found no sink; add printf, saveAsTextFile or output (or call an action such as collect())`);
    const requests: SinkRequest[] = this.sinks.map((s) => ({
      node: s.node,
      name: sinkName(s.spec),
      acceptsText: s.spec.kind === 'saveAsTextFile',
      make: (parts, text) => makeSink(s.spec, s.step, parts, undefined, text),
    }));
    await execute(options.name ?? this.name, requests, opts, this.session, () => this.cachesData());
  }

  /**
   * Cancels the Flow's running job and the ones queued behind it: their tasks stop (pipe
   * children are killed), their shards are deleted and their slots released; the actions and
   * run() calls waiting for them reject with a JobCancelledError.
   */
  cancel(reason = 'flow.cancel() was called'): void {
    this.session.cancel(reason);
  }

  private cachesData(): boolean {
    if (this.streamsRunning > 0) return true;
    for (const n of this.nodes) if (n.cached) return true;
    return false;
  }

  /** Drops the Flow's cached datasets and stops the executors kept for them. */
  async close(): Promise<void> {
    await this.session.close();
  }

  /** @internal Runs one action's sink now; collect resolves to the rows. `action` names the action for messages. */
  async runAction(ds: Dataset<any>, spec: SinkSpec, options: RunOptions = {}, action = spec.kind === 'output' ? 'forEach' : 'collect'): Promise<unknown> {
    options = { ...this.defaultRunOptions, ...options };
    const opts = resolveOptions(options);
    const collected: Row[] = [];
    const step = `${sinkStepName(spec)}#${this.lastNodeId + 1}`;
    const requests: SinkRequest[] = [{ node: ds.node, name: sinkName(spec), make: (parts) => makeSink(spec, step, parts, collected) }];
    await execute(options.name ?? this.name, requests, opts, this.session, () => this.cachesData(), action);
    return spec.kind === 'collect' ? collected : undefined;
  }
}
