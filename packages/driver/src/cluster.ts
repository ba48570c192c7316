// What the scheduler needs from a place that runs task groups and hosts shards: the local
// in-process cluster now, a remote cluster of agents later.
import type { SerializedError, TaskGroupSpec, TaskStats } from '@gleam/executor';

export interface Cluster {
  /** Executor slots that can run task groups at the same time. */
  readonly slots: number;
  runTask(spec: TaskGroupSpec, slot: number): Promise<TaskStats>;
  cancelTask(slot: number): void;
  /** Driver-side shard access (sources write, sinks read). */
  readShard(shard: string, signal: AbortSignal): AsyncIterable<Uint8Array>;
  appendShard(shard: string, frame: Uint8Array): void | Promise<void>;
  closeShard(shard: string, error?: SerializedError): void | Promise<void>;
  isShardClosed(shard: string): boolean;
  deleteShards(prefix: string): void | Promise<void>;
  deleteShard(shard: string): void | Promise<void>;
  dispose(): Promise<void>;
}
