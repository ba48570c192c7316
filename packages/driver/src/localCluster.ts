// Local mode: executors are worker threads of the driver process around one in-process ShardStore.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultTaskMemoryLimits, deserializeError, ExecutorHost, ShardStore, type SerializedError, type ShardAccess, type ShardSet, type TaskGroupSpec, type TaskStats } from '@gleam/executor';
import type { Cluster } from './cluster';

export interface LocalClusterOptions {
  executors: number;
  memoryBudgetBytes?: number;
  spillDir?: string;
  /** The run option memoryMB: the shard store's budget, and a quarter of it again for the tasks' operator state. */
  memoryMB?: number;
}

export function defaultMemoryBudget(): number {
  return Math.min(4 * 1024 ** 3, Math.floor(os.totalmem() / 4));
}

export class LocalCluster implements Cluster {
  readonly slots: number;
  readonly store: ShardStore;
  private readonly hosts: ExecutorHost[];
  private readonly finishedJobs = new Set<string>();
  /** The default spill directory (not one the caller chose), removed at dispose if empty. */
  private readonly ownSpillDir: string | undefined;

  constructor(opts: LocalClusterOptions) {
    this.slots = Math.max(1, opts.executors);
    const budget = opts.memoryMB !== undefined ? opts.memoryMB * 1024 * 1024 : (opts.memoryBudgetBytes ?? defaultMemoryBudget());
    const spillDir = opts.spillDir ?? path.join(os.tmpdir(), `gleam-spill-${process.pid}`);
    this.ownSpillDir = opts.spillDir === undefined ? spillDir : undefined;
    this.store = new ShardStore({ memoryBudgetBytes: budget, spillDir });
    // Operator state per task: as on an agent, a quarter of the store's budget, split among the executors.
    const limits = opts.memoryMB !== undefined ? { taskMemoryBytes: Math.floor(budget / 4 / this.slots), spillDir } : defaultTaskMemoryLimits();
    const access: ShardAccess = {
      read: (shards, signal, section) => this.store.readMany(shards, { signal, section }),
      append: (shard, frame, section) => this.appendShard(shard, frame, section),
      close: (shard, error) => this.closeShard(shard, error),
      spilled: (shard) => this.store.spilled(shard),
    };
    this.hosts = Array.from({ length: this.slots }, (_, i) => new ExecutorHost(i, access, { limits }));
  }

  /** Starts every executor thread. */
  async start(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.start()));
  }

  /** Between jobs of a Flow that keeps cached data, idle threads must not hold the process. */
  setIdle(idle: boolean): void {
    for (const h of this.hosts) h.setKeepsProcessAlive(!idle);
  }

  slotLocation(): string {
    return 'local';
  }

  runTask(spec: TaskGroupSpec, slot: number, onStart?: () => void, onProgress?: (rowsIn: number) => void): Promise<TaskStats> {
    const running = this.hosts[slot].run(spec, onProgress);
    // Local executors never queue: the task runs now.
    onStart?.();
    return running;
  }
  cancelTask(slot: number, taskId?: string): void {
    // One task at a time per executor: the one named, if it is still the one running.
    if (taskId !== undefined && this.hosts[slot].runningTaskId !== taskId) return;
    this.hosts[slot].cancel();
  }
  readShards(set: ShardSet, signal: AbortSignal): AsyncIterable<Uint8Array> {
    return this.store.readMany(set.shards, { signal, section: set.section });
  }
  appendShard(shard: string, frame: Uint8Array, section?: number): void {
    // Frames still in flight from a failed task, or for a finished job, are dropped.
    if (this.store.isClosed(shard) || this.finishedJobs.has(shard.slice(0, shard.indexOf('/') + 1))) return;
    this.store.append(shard, frame, section);
  }
  closeShard(shard: string, error?: SerializedError): void {
    if (this.store.isClosed(shard)) return;
    this.store.close(shard, error ? toError(error) : undefined);
  }
  isShardClosed(shard: string): boolean {
    return this.store.isClosed(shard);
  }
  async endJob(prefix: string): Promise<void> {
    this.finishedJobs.add(prefix);
    this.store.deletePrefix(prefix);
  }
  deleteShard(shard: string): void {
    this.store.delete(shard);
  }
  async dispose(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.terminate()));
    await this.store.dispose();
    // Operator spills may have made the directory (their files go with their tasks): remove it
    // if nothing else is left in it.
    if (this.ownSpillDir !== undefined) await fs.promises.rmdir(this.ownSpillDir).catch(() => undefined);
  }
}

function toError(s: SerializedError): Error {
  // The writer's error as it was, kind included: readers tell lost work (run again) from real errors.
  return deserializeError(s);
}
