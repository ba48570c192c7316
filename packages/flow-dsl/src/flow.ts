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

export class Flow {
  private readonly nodes: LogicalNode[] = [];
  private readonly sinks: { node: LogicalNode; spec: SinkSpec; step: string }[] = [];
  private readonly session = new FlowSession();

  constructor(readonly name = 'flow') {
    installErrorReporting();
  }

  /** @internal */
  addNode(name: string, make: (stepName: string) => LogicalStep, inputs: LogicalNode[]): LogicalNode {
    for (const i of inputs) {
      if (!this.nodes.includes(i)) throw new GleamError(`step "${name}": its input belongs to another Flow`);
    }
    const id = this.nodes.length + 1;
    const stepName = `${name}#${id}`;
    const node: LogicalNode = { id, stepName, step: make(stepName), inputs };
    this.nodes.push(node);
    return node;
  }

  /** @internal */
  addSink(ds: Dataset<any>, spec: SinkSpec): Flow {
    this.sinks.push({ node: ds.node, spec, step: `${sinkStepName(spec)}#${this.nodes.length + this.sinks.length + 1}` });
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
  parallelize<T>(values: T[], partitions?: number): Dataset<T extends unknown[] ? T : [T]> {
    return this.fromValues('parallelize', 'Parallelize', values, partitions) as Dataset<any>;
  }

  /** Rows (arrays of fields) from driver memory. */
  slices<R extends unknown[]>(rows: R[], partitions?: number): Dataset<R> {
    return this.fromValues('slices', 'Slices', rows, partitions) as Dataset<R>;
  }

  /** A driver-side (async) generator of rows or values. */
  source<T>(fn: () => AsyncIterable<T> | Iterable<T>): Dataset<T extends unknown[] ? T : [T]> {
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
    return this.nodes.some((n) => n.cached);
  }

  /** Drops the Flow's cached datasets and stops the executors kept for them. */
  async close(): Promise<void> {
    await this.session.close();
  }

  /** @internal Runs one action's sink now; collect resolves to the rows. `action` names the action for messages. */
  async runAction(ds: Dataset<any>, spec: SinkSpec, options: RunOptions = {}, action = spec.kind === 'output' ? 'forEach' : 'collect'): Promise<unknown> {
    const opts = resolveOptions(options);
    const collected: Row[] = [];
    const step = `${sinkStepName(spec)}#${this.nodes.length + 1}`;
    const requests: SinkRequest[] = [{ node: ds.node, name: sinkName(spec), make: (parts) => makeSink(spec, step, parts, collected) }];
    await execute(options.name ?? this.name, requests, opts, this.session, () => this.cachesData(), action);
    return spec.kind === 'collect' ? collected : undefined;
  }
}
