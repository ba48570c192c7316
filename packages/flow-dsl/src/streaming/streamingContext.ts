// StreamingContext: Spark-Streaming-style micro-batches on the Flow's engine. A clock cuts time
// into batches of batchMs aligned to the epoch; at each tick every input hands over what it took
// in ([T - batchMs, T)), and the batch waits in a queue; batches are processed one at a time:
// every output runs its job(s) on the same executors as any action (locally, or on the master's
// agents), then streams that keep data for later batches (windows, state) settle it in the shard
// stores, the checkpoint (if any) is written, and the batch's logical steps are forgotten.
import { EventEmitter } from 'node:events';
import { GleamError, type Row } from '@gleam/executor';
import { JobCancelledError, streamRunning } from '@gleam/driver';
import { StreamMonitor } from './streamMonitor';
import type { Flow } from '../flow';
import { resolveOptions, type RunOptions } from '../options';
import type { BatchInfo } from './batchInfo';
import { BatchScope, type BatchInput } from './batchScope';
import { Checkpoint, type LoggedBatch } from './checkpoint';
import type { DStream } from './dstream';
import { FileInputDStream, type TextFileStreamOptions } from './inputs/fileStream';
import { InputDStream } from './inputs/inputDStream';
import { QueueInputDStream } from './inputs/queueStream';
import { ReceiverInputDStream, type Receiver } from './inputs/receiverStream';
import { SocketReceiver } from './inputs/socketReceiver';
import { KeptData } from './keptData';
import type { OutputOp } from './outputs';
// The DStream operators defined in their own files.
import './outputs';
import './stateStream';
import './windowStreams';
import { resolveStreaming, type ResolvedStreaming, type StreamingOptions } from './streamingOptions';

type State = 'defined' | 'started' | 'stopping' | 'stopped';

interface PendingBatch {
  timeMs: number;
  inputs: Map<number, BatchInput>;
  /** Logged for the checkpoint (taken with the inputs). */
  log: LoggedBatch;
  replayed?: boolean;
}

export interface StopOptions {
  /** Finish the batches already received (receivers stop first; their last rows make a last batch). Default false. */
  graceful?: boolean;
}

export class StreamingContext {
  readonly batchMs: number;
  /** @internal */
  readonly maxBufferedRecords: number;
  /** @internal The partition count of input batches (run option partitions; default: the engine's). */
  readonly partitions: number | undefined;
  /** @internal */
  readonly kept: KeptData;
  private readonly opts: ResolvedStreaming;
  private readonly streams: DStream<any>[] = [];
  private readonly inputs: InputDStream<any>[] = [];
  private readonly outputs: OutputOp[] = [];
  private readonly events = new EventEmitter();
  private state: State = 'defined';
  private zeroMs = 0;
  private nextTimeMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly queue: PendingBatch[] = [];
  private wakeProcessor: (() => void) | undefined;
  private processing: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private failure: Error | undefined;
  private readonly terminated: Promise<void>;
  private resolveTerminated!: () => void;
  private checkpoint: Checkpoint | undefined;
  private readonly reportedErrors = new Set<string>();
  private monitor: StreamMonitor | undefined;
  /** Ends the driver's note that a stream runs (signals the script handles are left to it). */
  private endSignalHold: (() => void) | undefined;
  /** Cleared by stop() once no batch will be added: the processor may end when the queue is empty. */
  private batchesMayCome = true;

  /** @internal Use flow.streaming(opts). */
  constructor(
    readonly flow: Flow,
    opts: StreamingOptions,
  ) {
    this.opts = resolveStreaming(opts);
    this.batchMs = this.opts.batchMs;
    this.maxBufferedRecords = this.opts.maxBufferedRecords;
    this.partitions = this.opts.run.partitions;
    this.kept = new KeptData(flow);
    this.terminated = new Promise<void>((resolve) => (this.resolveTerminated = resolve));
    // Nobody may await termination: a failure must not become an unhandled rejection.
    this.terminated.catch(() => undefined);
  }

  // ---- sources ----

  /** Lines from a TCP server (one row [line] each); reconnects every second while it is down. */
  socketTextStream(host: string, port: number): DStream<[string]> {
    const label = `socketTextStream ${host}:${port}`;
    return new ReceiverInputDStream<[string]>(this, new SocketReceiver(host, port, (e) => this.receiverError(label, e)), label);
  }

  /** Each new file of a folder, once and whole, as lines (files present at start skipped unless includeExisting). */
  textFileStream(dir: string, opts?: TextFileStreamOptions): DStream<[string]> {
    return new FileInputDStream(this, dir, opts);
  }

  /** Rows pushed by a custom receiver: { onStart(push), onStop() }. */
  receiverStream<R extends unknown[] = unknown[]>(receiver: Receiver): DStream<R> {
    return new ReceiverInputDStream<R>(this, receiver);
  }

  /** One prepared batch per interval, in order (each an array of rows or values), then empty batches. */
  queueStream<R extends unknown[] = unknown[]>(batches: unknown[][]): DStream<R> {
    return new QueueInputDStream<R>(this, batches);
  }

  // ---- events ----

  /**
   * 'batch' (info: BatchInfo) after every batch; 'receiverError' (stream: string, error: Error)
   * when a source fails and retries (without a listener: one stderr line per distinct error);
   * 'error' (error: Error) when a batch fails and the stream stops.
   */
  on(event: 'batch', listener: (info: BatchInfo) => void): this;
  on(event: 'receiverError', listener: (stream: string, error: Error) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: string, listener: (...args: any[]) => void): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: string, listener: (...args: any[]) => void): this {
    this.events.off(event, listener);
    return this;
  }

  // ---- wiring (internal) ----

  /** @internal Every DStream registers at construction; its id is its place. */
  register(stream: DStream<any>): number {
    if (this.state !== 'defined') throw new GleamError('streaming: define streams and their outputs before start()');
    this.streams.push(stream);
    if (stream instanceof InputDStream) this.inputs.push(stream);
    return this.streams.length;
  }

  /** @internal */
  addOutput(op: OutputOp): void {
    if (this.state !== 'defined') throw new GleamError(`${op.label}: define streams and their outputs before start()`);
    this.outputs.push(op);
  }

  /** @internal A source's trouble: reported, never fatal (it retries). */
  receiverError(stream: string, error: Error): void {
    if (this.events.listenerCount('receiverError') > 0) {
      this.events.emit('receiverError', stream, error);
      return;
    }
    if (this.reportedErrors.has(error.message)) return;
    this.reportedErrors.add(error.message);
    process.stderr.write(`[gleam] ${error.message}\n`);
  }

  /** The run options of the stream's jobs: the user's, with the stream's own cancel. */
  private runOptions(): RunOptions {
    const user = this.opts.run.signal;
    const signal = user ? AbortSignal.any([user, this.abort.signal]) : this.abort.signal;
    // A job per batch: no console progress display unless asked for (it would redraw every batch).
    const progress = this.opts.run.progress ?? (process.env.GLEAM_PROGRESS ? undefined : false);
    return { ...this.opts.run, signal, progress };
  }

  // ---- lifecycle ----

  /** Starts the inputs and the batch clock; resolves once receiving has started. */
  async start(): Promise<void> {
    if (this.state !== 'defined') throw new GleamError(`streaming: start() was called on a stream that is ${this.state === 'started' ? 'already started' : 'stopped'} (a StreamingContext starts once)`);
    if (this.outputs.length === 0) throw new GleamError('streaming: no output operation: add print(), foreachBatch() or saveAsTextFiles() to a stream before start()');
    this.state = 'started';
    this.endSignalHold = streamRunning();
    this.flow.streamRunning(true);
    this.flow.setDefaultRunOptions(this.runOptions());
    try {
      this.monitor = new StreamMonitor(this.opts.run.name ?? this.flow.name, this.batchMs, resolveOptions(this.opts.run), () => this.inputs.reduce((n, i) => n + i.buffered(), 0));
      const replay = await this.restoreOrBegin();
      for (const input of this.inputs) await input.start();
      for (const b of replay) this.queue.push(b);
    } catch (e) {
      this.failure = e as Error;
      await this.cleanUp();
      this.state = 'stopped';
      this.resolveTerminated();
      throw e;
    }
    this.opts.run.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.processing = this.processLoop();
    this.scheduleTick();
  }

  /** Resolves when the stream stopped; rejects with the error that stopped it, if one did. */
  async awaitTermination(): Promise<void> {
    await this.terminated;
    if (this.failure) throw this.failure;
  }

  /** true if the stream stopped within ms (rejects with its error if it failed), false otherwise. */
  async awaitTerminationOrTimeout(ms: number): Promise<boolean> {
    if (typeof ms !== 'number' || !(ms >= 0)) throw new GleamError(`awaitTerminationOrTimeout: ms must be a number of milliseconds, got ${JSON.stringify(ms)}`);
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([this.terminated.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
    clearTimeout(timer);
    if (stopped && this.failure) throw this.failure;
    return stopped;
  }

  /**
   * Stops receiving and the clock. graceful: the rows received so far make a last batch, and
   * every batch waiting is processed; otherwise the running batch's jobs are cancelled and
   * waiting batches dropped. Then the stream's kept data is deleted.
   */
  async stop(opts: StopOptions = {}): Promise<void> {
    if (this.state === 'defined') {
      this.state = 'stopped';
      this.resolveTerminated();
      return;
    }
    if (this.state !== 'started') {
      await this.terminated;
      return;
    }
    this.state = 'stopping';
    clearTimeout(this.timer);
    for (const input of this.inputs) await input.stop();
    if (opts.graceful && !this.failure) {
      // Whatever arrived since the last tick belongs to the interval ending at the next one.
      this.enqueue(this.takeInputs(this.nextTimeMs, true));
    } else {
      for (const b of this.queue.splice(0)) this.released(b);
      this.abort.abort(new JobCancelledError('the stream was stopped'));
    }
    this.batchesMayCome = false;
    this.wakeProcessor?.();
    await this.processing;
    await this.cleanUp();
    this.state = 'stopped';
    this.resolveTerminated();
  }

  private async cleanUp(): Promise<void> {
    for (const input of this.inputs) await input.stop().catch(() => undefined);
    await this.flow.session.unpersist(this.kept.releaseAll().map((e) => e.ds.node)).catch(() => undefined);
    // The stream's steps go; a Flow used for other work while a stream runs on it would lose its
    // datasets at every batch: use another Flow for that (see docs/streaming.md).
    await this.flow.session.unpersist(this.flow.forgetNodesAfter(this.startMark, new Set())).catch(() => undefined);
    this.flow.setDefaultRunOptions(undefined);
    this.flow.streamRunning(false);
    this.endSignalHold?.();
    await this.flow.session.releaseIfIdle(this.flow.cachesDataNow());
    await this.monitor?.stopped(this.failure);
  }

  /** The newest node of the Flow before the stream's: the user's own datasets stay. */
  private startMark = 0;

  // ---- the clock ----

  private async restoreOrBegin(): Promise<PendingBatch[]> {
    const now = Date.now();
    this.zeroMs = Math.floor(now / this.batchMs) * this.batchMs;
    this.startMark = this.flow.nodeMark();
    if (!this.opts.checkpoint) {
      this.nextTimeMs = this.zeroMs + this.batchMs;
      return [];
    }
    this.checkpoint = new Checkpoint(this.opts.checkpoint);
    const meta = this.checkpoint.load(this.batchMs);
    if (!meta) {
      this.checkpoint.begin(this.batchMs, this.zeroMs);
      this.nextTimeMs = this.zeroMs + this.batchMs;
      return [];
    }
    // Slides and windows count from the first start.
    this.zeroMs = meta.zeroMs;
    const last = Math.max(meta.lastCompletedMs ?? meta.zeroMs, ...meta.pending.map((p) => p.timeMs));
    this.nextTimeMs = Math.max(last + this.batchMs, Math.floor(now / this.batchMs) * this.batchMs + this.batchMs);
    // The kept datasets come back into the executors' shard stores.
    for (const k of meta.kept) {
      const rows = this.checkpoint.readKept(k.dir);
      const ds = this.flow.slices(rows as Row[], this.partitions);
      this.kept.adoptRestored({ ds, timeMs: k.timeMs, label: k.label, owners: new Set(k.owners), settled: false, saved: k.dir });
    }
    await this.kept.settle(this.runOptions());
    this.startMark = this.flow.nodeMark();
    // File streams go on from the last batch taken (written ahead, or completed).
    const seen = meta.pending.length > 0 ? meta.pending[meta.pending.length - 1].seen : meta.seen;
    const queue = meta.pending.length > 0 ? meta.pending[meta.pending.length - 1].queue : meta.queue;
    for (const input of this.inputs) {
      if (input instanceof FileInputDStream) {
        input.processed = new Set(seen[input.id] ?? []);
        input.restored = true;
      }
      if (input instanceof QueueInputDStream && queue[input.id] !== undefined) input.position = queue[input.id] + 1;
    }
    // Batches written ahead and not completed run again, with the same time and inputs.
    return meta.pending.map((p) => this.replayOf(p));
  }

  private replayOf(p: LoggedBatch): PendingBatch {
    const inputs = new Map<number, BatchInput>();
    for (const input of this.inputs) {
      if (input instanceof FileInputDStream) inputs.set(input.id, { kind: 'files', files: p.files[input.id] ?? [] });
      else if (input instanceof QueueInputDStream && p.queue[input.id] !== undefined) inputs.set(input.id, input.batchAt(p.queue[input.id]));
      else inputs.set(input.id, { kind: 'rows', rows: [] });
    }
    return { timeMs: p.timeMs, inputs, log: p, replayed: true };
  }

  private scheduleTick(): void {
    if (this.state !== 'started') return;
    this.timer = setTimeout(() => {
      if (this.state !== 'started') return;
      const t = this.nextTimeMs;
      this.nextTimeMs += this.batchMs;
      this.enqueue(this.takeInputs(t, false));
      this.scheduleTick();
    }, Math.max(0, this.nextTimeMs - Date.now()));
  }

  /** Every input's data for the batch ending at timeMs. */
  private takeInputs(timeMs: number, last: boolean): PendingBatch {
    const inputs = new Map<number, BatchInput>();
    const log: LoggedBatch = { timeMs, files: {}, seen: {}, queue: {} };
    for (const input of this.inputs) {
      if (input instanceof QueueInputDStream) log.queue[input.id] = input.position;
      const data = input.takeBatch(timeMs, last);
      inputs.set(input.id, data);
      if (input instanceof FileInputDStream && data.kind === 'files') {
        log.files[input.id] = data.files;
        log.seen[input.id] = [...input.processed];
      }
    }
    return { timeMs, inputs, log };
  }

  private enqueue(b: PendingBatch): void {
    this.queue.push(b);
    this.wakeProcessor?.();
  }

  // ---- processing ----

  private async processLoop(): Promise<void> {
    for (;;) {
      const b = this.queue.shift();
      if (!b) {
        // A graceful stop (maybe called from a 'batch' listener) enqueues the last batch after
        // stopping its inputs: the processor waits for it.
        if (!this.batchesMayCome) return;
        await new Promise<void>((resolve) => (this.wakeProcessor = resolve));
        this.wakeProcessor = undefined;
        continue;
      }
      try {
        await this.processBatch(b);
      } catch (e) {
        for (const rest of this.queue.splice(0)) this.released(rest);
        if (this.abort.signal.aborted && this.state !== 'started') return; // stopped: the cancel is ours
        this.fail(e as Error, b.timeMs);
        return;
      }
    }
  }

  private async processBatch(b: PendingBatch): Promise<void> {
    const startMs = Date.now();
    const mark = this.flow.nodeMark();
    const scope = new BatchScope(this.flow, b.timeMs, this.zeroMs, b.inputs);
    const run = this.runOptions();
    let outputs = 0;
    try {
      if (this.checkpoint) await this.checkpoint.writeAhead(b.log);
      for (const op of this.outputs) {
        const ds = op.stream.datasetAt(scope);
        if (!ds) continue;
        await op.run(ds, b.timeMs, run);
        outputs++;
      }
      for (const s of this.streams) await s.afterBatch(scope);
      await this.kept.settle(run);
      const released = this.kept.takeReleased();
      if (this.checkpoint) await this.checkpoint.complete(b.timeMs, this.kept.all(), released, run);
      const gone = released.map((e) => e.ds.node);
      await this.flow.session.unpersist(gone);
      this.flow.forgetNodes(gone);
    } finally {
      this.released(b);
      // The batch's steps go (those kept for later batches stay), and cached ones' shards with them.
      const forgotten = this.flow.forgetNodesAfter(mark, this.kept.nodes());
      await this.flow.session.unpersist(forgotten).catch(() => undefined);
    }
    const endMs = Date.now();
    const inputs = this.inputs.map((input) => {
      const d = b.inputs.get(input.id);
      return { stream: input.label, records: d?.kind === 'rows' ? d.rows.length : 0, ...(d?.kind === 'files' ? { files: d.files.length } : {}) };
    });
    const info: BatchInfo = {
      timeMs: b.timeMs,
      records: inputs.reduce((n, i) => n + i.records, 0),
      inputs,
      schedulingDelayMs: Math.max(0, startMs - b.timeMs),
      processingMs: endMs - startMs,
      totalDelayMs: Math.max(0, endMs - b.timeMs),
      outputs,
      ...(b.replayed ? { replayed: true } : {}),
    };
    this.monitor?.batchDone(info);
    this.events.emit('batch', info);
  }

  /** A batch is done (or dropped): its received rows no longer count against maxBufferedRecords. */
  private released(b: PendingBatch): void {
    for (const input of this.inputs) {
      const data = b.inputs.get(input.id);
      if (data) input.release(data);
    }
  }

  private fail(e: Error, timeMs: number): void {
    const err = e instanceof GleamError ? e : new GleamError(`streaming: batch ${timeMs} ms failed: ${e?.message ?? e}`);
    this.failure = err;
    if (this.events.listenerCount('error') > 0) this.events.emit('error', err);
    // The stream stops: nothing more can be computed right after a failed batch.
    void this.stop();
  }
}
