// The standing-query engine: a clock that, every batchMs, lists the watched folder and runs ONE
// job over the files that arrived, for all registered queries at once (plan.ts + kernel.ts: each
// file read and parsed once, each distinct predicate evaluated once per row), then merges the
// job's per-partition partials into every query's state and tells listeners. Queries come and
// go between batches; nothing restarts. With a checkpoint directory, queries, their state, the
// processed file names and the counters survive a restart.
//
// It runs its own clock rather than a StreamingContext: a batch needs the names of its files
// (to checkpoint them with the state, in one write) and empty intervals must cost no job, and
// the queries of a batch are fixed when it starts, which the one job per batch gives directly.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, type RunOptions } from '@gleam/flow-dsl';
import { parseQuery } from '../sql/parse';
import { loadCheckpoint, saveCheckpoint, type EngineCheckpoint } from './checkpoint';
import { KERNEL_UDF, kernelSource, type KernelParams, type PartitionOutput } from './kernel';
import { buildPlan } from './plan';
import { StandingQuery } from './standingQuery';
import { splitCsvLine } from './values';
import type { EngineMetrics, QueryEngineApi, QueryEngineEvents, QueryEngineOptions, QueryResult, QuerySummary } from './types';

type State = 'new' | 'running' | 'stopped';

export class QueryEngine implements QueryEngineApi {
  private readonly opts: Required<Pick<QueryEngineOptions, 'watchDir' | 'format' | 'batchMs'>> & QueryEngineOptions;
  private readonly events = new EventEmitter();
  private readonly queries = new Map<string, StandingQuery>();
  private processed = new Set<string>();
  private nextId = 1;
  private readonly counters: EngineMetrics = { files: 0, rowsParsed: 0, batches: 0, jobs: 0, predicateEvaluations: 0, queries: 0, badRows: 0, predicates: 0, filters: 0, groupTables: 0, rowBuffers: 0, lastBatchMs: 0, lastJobMs: 0 };
  private state: State = 'new';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private flow: Flow | undefined;

  constructor(opts: QueryEngineOptions) {
    if (!opts || typeof opts.watchDir !== 'string' || opts.watchDir === '') throw new Error('query engine: watchDir must name a folder');
    if (!['jsonl', 'csv', 'text'].includes(opts.format)) throw new Error(`query engine: format must be jsonl, csv or text, got ${JSON.stringify(opts.format)}`);
    const batchMs = opts.batchMs ?? 1000;
    if (!Number.isInteger(batchMs) || batchMs < 1) throw new Error(`query engine: batchMs must be a whole number of milliseconds >= 1, got ${JSON.stringify(opts.batchMs)}`);
    this.opts = { ...opts, watchDir: path.resolve(opts.watchDir), batchMs };
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('query engine: start() was already called');
    const dir = this.opts.watchDir;
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch {
      throw new Error(`query engine: the watched folder ${dir} does not exist`);
    }
    if (!st.isDirectory()) throw new Error(`query engine: ${dir} is not a folder`);
    const saved = this.opts.checkpoint ? loadCheckpoint(this.opts.checkpoint) : undefined;
    if (saved) this.restore(saved);
    else if (!this.opts.includeExisting) for (const f of this.listFolder()) this.processed.add(f);
    this.flow = new Flow('standing queries');
    // As for a stream: the local executor threads stay up between batches (no start-up per job).
    this.flow.streamRunning(true);
    this.state = 'running';
    if (this.opts.checkpoint) await this.persist();
    this.schedule();
  }

  /** Finishes the running batch, writes the checkpoint, stops watching. */
  async stop(): Promise<void> {
    if (this.state !== 'running') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.running;
    await this.persist();
    this.flow?.streamRunning(false);
    await this.flow?.close();
  }

  private schedule(): void {
    if (this.state !== 'running') return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, this.opts.batchMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.batchNow();
    } catch (e) {
      this.report(e);
    }
  }

  /** A failed batch or checkpoint write: the engine goes on (the files are taken again next batch). */
  private report(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    if (this.events.listenerCount('error') > 0) this.events.emit('error', err);
    else process.stderr.write(`[gleam] standing queries: ${err.message}\n`);
  }

  /**
   * Runs a batch now over the files that arrived (no job when none did), after the one running.
   * The clock calls it every batchMs; a test (or a caller that knows files were added) may too.
   */
  batchNow(): Promise<void> {
    if (this.state !== 'running') return Promise.reject(new Error('query engine: not running (call start() first)'));
    const next = this.running.catch(() => undefined).then(() => this.batch());
    this.running = next.catch(() => undefined);
    return next;
  }

  private async batch(): Promise<void> {
    const nowMs = Date.now();
    for (const s of this.queries.values()) if (s.expire(nowMs)) this.events.emit('update', s.result());
    const present = this.listFolder();
    this.forgetGone(present);
    const fresh = present.filter((f) => !this.processed.has(f)).sort();
    if (fresh.length === 0) return;
    const t0 = Date.now();
    const active = [...this.queries.values()];
    if (active.length === 0) {
      // No query covers these files: they are only noted as seen.
      for (const f of fresh) this.processed.add(f);
      this.counters.files += fresh.length;
      await this.persist();
      return;
    }
    const plan = buildPlan(this.opts.format, active.map((s) => ({ id: s.id, q: s.q })));
    const outputs = await this.runJob(kernelSource(plan), fresh.map((f) => path.join(this.opts.watchDir, f)));
    const jobMs = Date.now() - t0;
    let rows = 0;
    let bad = 0;
    let evals = 0;
    for (const o of outputs) {
      rows += o.rows;
      bad += o.bad;
      evals += o.evals;
    }
    for (const s of active) {
      if (this.queries.get(s.id) !== s) continue; // removed while the batch ran
      const use = plan.queries.get(s.id)!;
      if ('shape' in use) s.addGroups(nowMs, plan.shapes[use.shape], outputs.map((o) => o.g[use.shape]));
      else s.addRows(nowMs, plan.projections[use.projection], outputs.map((o) => o.p[use.projection]));
    }
    for (const f of fresh) this.processed.add(f);
    const c = this.counters;
    c.files += fresh.length;
    c.rowsParsed += rows;
    c.badRows += bad;
    c.predicateEvaluations += evals;
    c.batches++;
    c.jobs++;
    c.predicates = plan.predicates.length;
    c.filters = plan.filters.length;
    c.groupTables = plan.shapes.length;
    c.rowBuffers = plan.projections.length;
    const ms = Date.now() - t0;
    c.lastBatchMs = ms;
    c.lastJobMs = jobMs;
    await this.persist();
    for (const s of active) if (this.queries.get(s.id) === s) this.events.emit('update', s.result());
    this.events.emit('batch', { files: fresh, rows, ms });
  }

  /** The batch's one job: the files' lines through the kernel, one output row per partition. */
  private async runJob(source: string, files: string[]): Promise<PartitionOutput[]> {
    const flow = this.flow!;
    const mark = flow.nodeMark();
    try {
      const parts = this.opts.format === 'csv' && this.opts.header ? byHeader(files) : [{ files, params: { header: null, headerLine: null } as KernelParams }];
      const key = createHash('sha1').update(source).digest('hex');
      const sets = parts.map((p) => flow.textFiles(p.files, this.opts.partitions).mapPartitions(KERNEL_UDF, { params: { ...p.params, key, source } }));
      const ds = sets.length === 1 ? sets[0] : sets[0].union(...sets.slice(1));
      const rows = (await ds.collect(this.runOptions())) as unknown as [PartitionOutput][];
      return rows.map((r) => r[0]);
    } finally {
      // The batch's steps go: the Flow would otherwise grow by two steps every batch.
      const gone = flow.forgetNodesAfter(mark, new Set());
      await flow.session.unpersist(gone).catch(() => undefined);
    }
  }

  private runOptions(): RunOptions {
    const o = this.opts;
    return {
      name: 'standing queries',
      ...(o.master ? { master: o.master } : {}),
      ...(o.secret ? { secret: o.secret } : {}),
      ...(o.tls ? { tls: o.tls } : {}),
      ...(o.executors ? { executors: o.executors } : {}),
      ...(o.partitions ? { partitions: o.partitions } : {}),
    };
  }

  // ---- queries ----

  add(text: string): QuerySummary {
    const q = parseQuery(text);
    const id = `q${this.nextId++}`;
    const s = new StandingQuery(id, q, new Date().toISOString());
    this.queries.set(id, s);
    this.counters.queries = this.queries.size;
    this.events.emit('update', s.result());
    this.persist().catch((e) => this.report(e));
    return { id, text: q.text };
  }

  remove(id: string): boolean {
    const had = this.queries.delete(id);
    if (had) {
      this.counters.queries = this.queries.size;
      this.persist().catch((e) => this.report(e));
    }
    return had;
  }

  list(): QuerySummary[] {
    return [...this.queries.values()].map((s) => ({ id: s.id, text: s.q.text }));
  }

  get(id: string): QueryResult | undefined {
    return this.queries.get(id)?.result();
  }

  metrics(): EngineMetrics {
    return { ...this.counters, queries: this.queries.size };
  }

  on<E extends keyof QueryEngineEvents>(event: E, listener: QueryEngineEvents[E]): this {
    this.events.on(event, listener as (...a: any[]) => void);
    return this;
  }

  off<E extends keyof QueryEngineEvents>(event: E, listener: QueryEngineEvents[E]): this {
    this.events.off(event, listener as (...a: any[]) => void);
    return this;
  }

  // ---- folder and checkpoint ----

  /** Data file names in the folder (names starting with . or _ are temporary files or markers). */
  private listFolder(): string[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.opts.watchDir, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      if (e.isFile() || (e.isSymbolicLink() && isFile(path.join(this.opts.watchDir, e.name)))) out.push(e.name);
    }
    return out;
  }

  /** Names no longer in the folder are forgotten: the set stays as small as the folder. */
  private forgetGone(present: string[]): void {
    if (this.processed.size <= present.length) return;
    const here = new Set(present);
    for (const f of this.processed) if (!here.has(f)) this.processed.delete(f);
  }

  private restore(saved: EngineCheckpoint): void {
    if (saved.format !== this.opts.format) throw new Error(`checkpoint: it was written for --format ${saved.format}, not ${this.opts.format}`);
    this.nextId = saved.nextId;
    this.processed = new Set(saved.processed);
    Object.assign(this.counters, saved.metrics);
    for (const sq of saved.queries) {
      let q;
      try {
        q = parseQuery(sq.text);
      } catch (e) {
        throw new Error(`checkpoint: query ${sq.id} (${JSON.stringify(sq.text)}) no longer parses: ${(e as Error).message}`);
      }
      this.queries.set(sq.id, StandingQuery.restore(sq, q));
    }
    this.counters.queries = this.queries.size;
  }

  /** Writes the checkpoint (one write at a time, each with the state as it is when it starts). */
  private persist(): Promise<void> {
    const dir = this.opts.checkpoint;
    if (!dir) return Promise.resolve();
    this.saving = this.saving
      .catch(() => undefined)
      .then(() =>
        saveCheckpoint(dir, {
          version: 1,
          format: this.opts.format,
          watchDir: this.opts.watchDir,
          nextId: this.nextId,
          queries: [...this.queries.values()].map((s) => s.save()),
          processed: [...this.processed],
          metrics: this.metrics(),
        }),
      );
    return this.saving;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** CSV files with a header, grouped by their header line: each group's kernel names fields by it. */
function byHeader(files: string[]): { files: string[]; params: KernelParams }[] {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const line = firstLine(f);
    let g = groups.get(line);
    if (!g) groups.set(line, (g = []));
    g.push(f);
  }
  // Header names are split like the rows, each read as text.
  return [...groups].map(([line, names]) => ({ files: names, params: { header: splitCsvLine(line).map((v) => (v === null ? '' : String(v))), headerLine: line } }));
}

function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    let text = buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const nl = text.indexOf('\n');
    const line = nl < 0 ? text : text.slice(0, nl);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  } finally {
    fs.closeSync(fd);
  }
}
