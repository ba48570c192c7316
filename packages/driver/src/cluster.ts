// What the scheduler needs from a place that runs task groups and hosts shards: the local
// in-process cluster now, a remote cluster of agents later.
import type { SerializedError, TaskGroupSpec, TaskStats } from '@gleam/executor';

export interface Cluster {
  /** Executor slots that can run task groups at the same time. */
  readonly slots: number;
  runTask(spec: TaskGroupSpec, slot: number): Promise<TaskStats>;
  /** Which free slot a task group should take (e.g. the agent holding its inputs); default: any. */
  pickSlot?(spec: TaskGroupSpec, freeSlots: number[]): number;
  cancelTask(slot: number): void;
  /** Driver-side shard access (sources write, sinks read). */
  readShard(shard: string, signal: AbortSignal): AsyncIterable<Uint8Array>;
  appendShard(shard: string, frame: Uint8Array): void | Promise<void>;
  closeShard(shard: string, error?: SerializedError): void | Promise<void>;
  isShardClosed(shard: string): boolean;
  deleteShards(prefix: string): void | Promise<void>;
  deleteShard(shard: string): void | Promise<void>;
  /** Called once before scheduling with the shards driver-side sources will write. */
  placeSourceShards?(shards: string[]): void;
  /** The job failed: release anything waiting on work that will not happen. */
  jobFailed?(error: Error): void;
  dispose(): Promise<void>;
}
