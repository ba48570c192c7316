// The host side of one executor thread: serves shard reads with credit-based flow control,
// stores written frames, and runs one task group at a time. Used by the local runner and agents.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { GleamError, LostWorkError, LOST_WORK, deserializeError, type SerializedError } from '../errors';
import { ShardDeletedError } from '../store/shardStore';
import { writtenShards, type TaskGroupSpec, type TaskStats } from '../plan/taskSpec';
import { isMemoryOnlyShard } from '../store/storageLevel';
import type { TaskMemoryLimits } from '../spill/taskSpills';
import { READ_CREDIT, type HostToWorker, type WorkerToHost } from './messages';

/** What the host needs from a shard store (local, or an agent's store with remote reads). */
export interface ShardAccess {
  /** Frames of these shards (or of one section of each), in order, following each writer. */
  read(shards: readonly string[], signal: AbortSignal, section?: number): AsyncIterable<Uint8Array>;
  append(shard: string, frame: Uint8Array, section?: number): void;
  close(shard: string, error?: SerializedError): void;
  /** Whether a shard this slot wrote had to spill (MEMORY_ONLY shards that did are reported). */
  spilled?(shard: string): boolean;
}

interface ReadStream {
  ac: AbortController;
  credit: number;
  wake?: () => void;
}

interface Running {
  taskId: number;
  spec: TaskGroupSpec;
  resolve: (s: TaskStats) => void;
  reject: (e: Error) => void;
  onProgress?: (rowsIn: number) => void;
}

let nextTaskId = 1;

function youngGenerationMb(limits: TaskMemoryLimits | undefined): number {
  if (limits === undefined) return 64;
  return Math.max(16, Math.min(64, Math.floor(limits.taskMemoryBytes / 4 / 1024 / 1024)));
}

function workerScript(): string {
  const here = path.join(__dirname, 'executorWorker.js');
  if (fs.existsSync(here)) return here;
  // Loaded from src/ (e.g. by a TypeScript test runner): use the built worker.
  return path.join(__dirname, '..', '..', 'dist', 'worker', 'executorWorker.js');
}

export class ExecutorHost {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private running: Running | undefined;
  private readonly streams = new Map<number, ReadStream>();
  private writeError: Error | undefined;

  constructor(
    readonly index: number,
    private readonly shards: ShardAccess,
    private readonly opts: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number; limits?: TaskMemoryLimits } = {},
  ) {}

  /** Starts the thread (if needed) and resolves when it is ready. */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    const w = new Worker(workerScript(), {
      workerData: { limits: this.opts.limits },
      resourceLimits: {
        ...(this.opts.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: this.opts.maxOldGenerationSizeMb } : {}),
        // Rows are short-lived garbage: a larger young generation means far fewer scavenges. Under a
        // memory budget it takes a quarter of the task's share (16 to 64 MB): with two executors at
        // --memory 256 a 64 MB young generation each would be a third of the agent's RSS.
        maxYoungGenerationSizeMb: this.opts.maxYoungGenerationSizeMb ?? Number(process.env.GLEAM_YOUNG_GEN_MB || youngGenerationMb(this.opts.limits)),
      },
    });
    this.worker = w;
    this.ready = new Promise<void>((resolve, reject) => {
      const onReady = (m: WorkerToHost) => {
        if (m.type !== 'ready') return;
        w.off('message', onReady);
        resolve();
      };
      w.on('message', onReady);
      w.once('error', reject);
    });
    w.on('message', (m: WorkerToHost) => this.onMessage(m));
    w.on('error', (e) => this.onExit(`failed: ${e.message}`));
    w.on('exit', (code) => this.onExit(`exited with code ${code}`));
    return this.ready;
  }

  /** An idle executor kept for later jobs must not keep the process alive. */
  setKeepsProcessAlive(keep: boolean): void {
    if (keep) this.worker?.ref();
    else this.worker?.unref();
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** The spec id of the task group running here, if any. */
  get runningTaskId(): string | undefined {
    return this.running?.spec.id;
  }

  /** Runs a task group on this executor; rejects with the task's error. `onProgress` hears its rows read so far, every few hundred ms. */
  async run(spec: TaskGroupSpec, onProgress?: (rowsIn: number) => void): Promise<TaskStats> {
    if (this.running) throw new Error(`executor ${this.index} is busy`);
    await this.start();
    const taskId = nextTaskId++;
    return new Promise<TaskStats>((resolve, reject) => {
      this.running = { taskId, spec, resolve, reject, onProgress };
      this.post({ type: 'run', taskId, spec });
    });
  }

  /** Cancels the running task; a thread that does not stop in time is terminated. */
  cancel(graceMs = 2000): void {
    const r = this.running;
    if (!r) return;
    this.post({ type: 'cancel', taskId: r.taskId });
    const timer = setTimeout(() => {
      if (this.running === r) void this.worker?.terminate();
    }, graceMs);
    timer.unref();
  }

  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    this.abortStreams();
    if (w) {
      w.removeAllListeners('exit');
      w.removeAllListeners('error');
      await w.terminate();
    }
    if (this.running) {
      this.running.reject(new LostWorkError(`executor ${this.index} was stopped while running ${this.running.spec.name}`));
      this.running = undefined;
    }
  }

  private post(m: HostToWorker): void {
    this.worker?.postMessage(m);
  }

  private onExit(how: string): void {
    this.worker = undefined;
    this.ready = undefined;
    this.abortStreams();
    const r = this.running;
    this.running = undefined;
    // The thread, not the task, is gone: a new thread (restarted on the next run) can run it again.
    if (r) r.reject(new LostWorkError(`executor thread ${this.index} ${how} while running task group ${r.spec.name}`));
  }

  private abortStreams(): void {
    for (const s of this.streams.values()) {
      s.ac.abort();
      s.wake?.();
    }
    this.streams.clear();
  }

  private onMessage(m: WorkerToHost): void {
    switch (m.type) {
      case 'openRead':
        void this.serveRead(m.streamId, m.shards, m.section);
        break;
      case 'credit': {
        const s = this.streams.get(m.streamId);
        if (s) {
          s.credit += m.frames;
          const w = s.wake;
          s.wake = undefined;
          w?.();
        }
        break;
      }
      case 'cancelRead': {
        const s = this.streams.get(m.streamId);
        if (s) {
          this.streams.delete(m.streamId);
          s.ac.abort();
          s.wake?.();
        }
        break;
      }
      case 'write':
        try {
          this.shards.append(m.shard, m.frame, m.section);
        } catch (e) {
          // e.g. the spill disk is full: the running task must fail rather than lose data.
          this.writeError ??= e instanceof Error ? e : new Error(String(e));
        }
        this.post({ type: 'writeAck', count: 1 });
        break;
      case 'closeShard':
        this.shards.close(m.shard, m.error);
        break;
      case 'taskProgress': {
        const r = this.running;
        if (r && r.taskId === m.taskId) r.onProgress?.(m.rowsIn);
        break;
      }
      case 'taskDone':
      case 'taskFailed': {
        const r = this.running;
        if (!r || r.taskId !== m.taskId) return;
        this.running = undefined;
        this.abortStreams();
        const writeError = this.writeError;
        this.writeError = undefined;
        if (m.type === 'taskFailed') r.reject(deserializeError(m.error));
        else if (writeError) r.reject(new GleamError(`task group ${r.spec.name} could not store its output: ${writeError.message}`));
        else r.resolve(withSpilled(m.stats, r.spec, this.shards));
        break;
      }
      case 'ready':
        break;
    }
  }

  private async serveRead(streamId: number, shards: readonly string[], section: number | undefined): Promise<void> {
    const s: ReadStream = { ac: new AbortController(), credit: READ_CREDIT };
    this.streams.set(streamId, s);
    try {
      for await (const frame of this.shards.read(shards, s.ac.signal, section)) {
        while (s.credit <= 0 && !s.ac.signal.aborted) await new Promise<void>((r) => (s.wake = r));
        if (s.ac.signal.aborted) return;
        s.credit--;
        this.post({ type: 'frames', streamId, frames: [frame] });
      }
      if (!s.ac.signal.aborted) this.post({ type: 'streamEnd', streamId });
    } catch (e) {
      if (!s.ac.signal.aborted) {
        // A shard deleted under its reader was lost (its producer runs again, or the job ended).
        const err =
          e instanceof ShardDeletedError
            ? { name: LOST_WORK, message: `input shard ${e.shard} was lost while this task read it`, lostShard: e.shard }
            : e instanceof Error
              ? { name: e.name, message: e.message, step: (e as GleamError).step }
              : { name: 'Error', message: String(e) };
        this.post({ type: 'streamEnd', streamId, error: err });
      }
    } finally {
      this.streams.delete(streamId);
    }
  }
}

/** The task's MEMORY_ONLY outputs that did not fit in memory: the driver drops them after the job. */
function withSpilled(stats: TaskStats, spec: TaskGroupSpec, access: ShardAccess): TaskStats {
  if (!access.spilled) return stats;
  let out: string[] | undefined;
  for (const s of writtenShards(spec)) if (isMemoryOnlyShard(s) && access.spilled(s)) (out ??= []).push(s);
  return out ? { ...stats, spilledShards: out } : stats;
}
