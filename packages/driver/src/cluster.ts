// What a job needs from a place that runs task groups and hosts shards: the local in-process
// cluster, or a remote cluster of agents.
import type { SerializedError, ShardSet, TaskGroupSpec, TaskStats } from '@gleam/executor';

export interface Cluster {
  /** Executor slots that can run task groups at the same time. */
  readonly slots: number;
  /** Where a slot runs, for events and errors ('local' or the agent's host:port). */
  slotLocation(slot: number): string;
  /**
   * Runs a task group; `onStart` is called once it really runs on an executor (an agent may queue
   * it first): only then may its readers be sent, so a reader never holds an executor that its
   * queued producer waits for. `onProgress` hears the rows it has read so far, every few hundred
   * ms while it runs (live progress).
   */
  runTask(spec: TaskGroupSpec, slot: number, onStart?: () => void, onProgress?: (rowsIn: number) => void): Promise<TaskStats>;
  /** Which free slot a task group should take (e.g. the agent holding its inputs); default: any. */
  pickSlot?(spec: TaskGroupSpec, freeSlots: number[]): number;
  /** Cancels the task `taskId` (a spec id) on the slot, or every task running (or queued) there. */
  cancelTask(slot: number, taskId?: string): void;
  /**
   * Tasks a slot may hold at once while tasks are short (default 1): a cluster whose executors
   * queue tasks hides the round trip of tiny tasks by sending the next one early.
   */
  readonly maxTasksPerSlot?: number;
  /**
   * A sink's reads of its partitions (each a ShardSet), in order, when the cluster has a better
   * way than one readShards per partition (a remote cluster batches them per agent).
   */
  openParts?(parts: ShardSet[], signal: AbortSignal): PartReader;
  /** Driver-side shard access (sources write, sinks read). */
  readShards(set: ShardSet, signal: AbortSignal): AsyncIterable<Uint8Array>;
  appendShard(shard: string, frame: Uint8Array): void | Promise<void>;
  closeShard(shard: string, error?: SerializedError): void | Promise<void>;
  isShardClosed(shard: string): boolean;
  deleteShard(shard: string): void | Promise<void>;
  /** Called once before scheduling with the shards driver-side sources will write. */
  placeSourceShards?(shards: string[]): void;
  /** The job failed or was cancelled: release anything waiting on work that will not happen. */
  jobFailed?(error: Error): void;
  /**
   * Registers the job's handler of lost agents (a remote cluster hears of them from its master).
   * Called once, before the job runs.
   */
  onAgentLost?(handler: (agent: string, why: string) => void): void;
  /**
   * An agent is lost for this job: it gets no more tasks, its running tasks are cancelled (their
   * calls fail), and the shards it held are forgotten. Returns those shards.
   */
  forgetAgent?(agent: string): string[];
  /** A shard's copy is discarded (its attempt does not count): forget where it was. */
  forgetShard?(shard: string): void;
  /**
   * The job is over: every shard named with `prefix` goes, everywhere; on a cancel or failure,
   * whatever of the job still runs is stopped too.
   */
  endJob(prefix: string, outcome: JobOutcome): Promise<void>;
}

export type JobOutcome = 'succeeded' | 'failed' | 'cancelled';

/** Frames of a sink's partitions: part(i) is called once per partition, i = 0, 1, ... in order. */
export interface PartReader {
  part(i: number): AsyncIterable<Uint8Array>;
  /** The sink stopped early: drop whatever is still open. */
  close(): void;
}
