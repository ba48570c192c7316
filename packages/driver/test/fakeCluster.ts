// A cluster for scheduler tests: task groups run in this thread through the executor's own
// runTask over one in-memory ShardStore, with a hook around every task (to hold it, fail it or
// watch what else runs) and a record of what the job asked of the cluster.
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeRows, runTask, ShardStore, type SerializedError, type ShardSet, type TaskGroupSpec, type TaskIO, type TaskStats } from '@gleam/executor';
import type { Cluster, JobOutcome } from '../src/cluster';

export interface FakeClusterOptions {
  slots: number;
  /** Runs before each task; a rejection fails the task; the signal aborts on cancelTask. */
  beforeTask?: (spec: TaskGroupSpec, signal: AbortSignal) => Promise<void> | void;
}

export class FakeCluster implements Cluster {
  readonly slots: number;
  readonly store = new ShardStore({ memoryBudgetBytes: 64 * 1024 * 1024, spillDir: path.join(os.tmpdir(), `gleam-fake-${process.pid}`) });
  readonly started: string[] = [];
  readonly finished: string[] = [];
  readonly cancelled: string[] = [];
  readonly deleted: string[] = [];
  readonly ended: { prefix: string; outcome: JobOutcome }[] = [];
  running = 0;
  maxRunning = 0;
  private readonly controllers = new Map<number, { ac: AbortController; spec: TaskGroupSpec }>();

  constructor(private readonly opts: FakeClusterOptions) {
    this.slots = opts.slots;
  }

  slotLocation(slot: number): string {
    return `fake:${slot}`;
  }

  private io(): TaskIO {
    return {
      read: (shards, signal, section) => this.store.readMany(shards, { signal, section }),
      write: (shard, frame, section) => {
        if (!this.store.isClosed(shard)) this.store.append(shard, frame, section);
      },
      closeShard: (shard, error) => {
        if (!this.store.isClosed(shard)) this.store.close(shard, error ? new Error(error.message) : undefined);
      },
    };
  }

  async runTask(spec: TaskGroupSpec, slot: number, onStart?: () => void): Promise<TaskStats> {
    if (this.controllers.has(slot)) throw new Error(`slot ${slot} is busy (the scheduler double-booked it)`);
    const ac = new AbortController();
    this.controllers.set(slot, { ac, spec });
    this.started.push(spec.name);
    onStart?.();
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await this.opts.beforeTask?.(spec, ac.signal);
      const stats = await runTask(spec, this.io(), ac.signal);
      this.finished.push(spec.name);
      return stats;
    } finally {
      this.running--;
      this.controllers.delete(slot);
    }
  }

  cancelTask(slot: number, taskId?: string): void {
    if (taskId !== undefined && this.controllers.get(slot)?.spec.id !== taskId) return;
    const c = this.controllers.get(slot);
    if (!c) return;
    this.cancelled.push(c.spec.name);
    c.ac.abort(new Error('cancelled'));
  }

  readShards(set: ShardSet, signal: AbortSignal): AsyncIterable<Uint8Array> {
    return this.store.readMany(set.shards, { signal, section: set.section });
  }
  appendShard(shard: string, frame: Uint8Array): void {
    this.store.append(shard, frame);
  }
  closeShard(shard: string, error?: SerializedError): void {
    if (!this.store.isClosed(shard)) this.store.close(shard, error ? new Error(error.message) : undefined);
  }
  isShardClosed(shard: string): boolean {
    return this.store.isClosed(shard);
  }
  deleteShard(shard: string): void {
    this.deleted.push(shard);
    this.store.delete(shard);
  }
  async endJob(prefix: string, outcome: JobOutcome): Promise<void> {
    this.ended.push({ prefix, outcome });
    this.store.deletePrefix(prefix);
  }

  shardNames(): string[] {
    return this.store.stats().shards.map((s) => s.name);
  }
}

/** Specs by hand: a map stage over driver rows scattering by field 1 into `targets` sections, and a reduce stage counting per key. */
export function shufflePlanTasks(maps: number, targets: number, rowsPerMap: (p: number) => unknown[][]): TaskGroupSpec[] {
  const mapShards = Array.from({ length: maps }, (_, p) => `d2-m${p}`);
  const tasks: TaskGroupSpec[] = [];
  for (let p = 0; p < maps; p++) {
    const rows = rowsPerMap(p);
    tasks.push({
      id: `tg0.${p}`,
      name: `Rows.${p}-ScatterPartitions.${p}@0`,
      stepGroup: 0,
      partition: p,
      input: { kind: 'rows', frames: rows.length ? [encodeRows(rows)] : [], rows: rows.length, step: 'rows#1' },
      instructions: [],
      output: { kind: 'hash', key: [0], shard: mapShards[p], partitions: targets },
    });
  }
  for (let j = 0; j < targets; j++) {
    tasks.push({
      id: `tg1.${j}`,
      name: `CollectPartitions.${j}-MergeReduceBy.${j}@1`,
      stepGroup: 1,
      partition: j,
      input: { kind: 'shards', shards: mapShards, section: j },
      instructions: [{ op: 'reduceByKey', step: 'reduceBy#2', udf: { source: '(a, b) => a + b' }, key: [0] }],
      output: { kind: 'shard', shard: `d2-s${j}` },
    });
  }
  return tasks;
}
