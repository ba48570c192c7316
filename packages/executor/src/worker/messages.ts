// Every message between an executor thread and its host (the local runner or an agent).
import type { SerializedError } from '../errors';
import type { TaskGroupSpec, TaskStats } from '../plan/taskSpec';

export type HostToWorker =
  /** Run one task group; the worker runs one at a time. */
  | { type: 'run'; taskId: number; spec: TaskGroupSpec }
  /** Abort the running task (kills its pipes; the task reports taskFailed). */
  | { type: 'cancel'; taskId: number }
  /** Frames of an open read stream (copied: the store keeps its own for replay). */
  | { type: 'frames'; streamId: number; frames: Uint8Array[] }
  /** A read stream ended (with the writer's error, if any). */
  | { type: 'streamEnd'; streamId: number; error?: SerializedError }
  /** The host stored this many written frames: the worker may write as many more. */
  | { type: 'writeAck'; count: number };

export type WorkerToHost =
  /** The thread is up. */
  | { type: 'ready' }
  /** Start streaming shards (or one section of each) to the worker, in order (replay, then follow each writer). */
  | { type: 'openRead'; streamId: number; shards: readonly string[]; section?: number }
  /** The worker consumed frames of a stream: the host may send this many more. */
  | { type: 'credit'; streamId: number; frames: number }
  /** The worker stopped reading early. */
  | { type: 'cancelRead'; streamId: number }
  /** Append a frame to a shard, or to one section of it (ArrayBuffer transferred). */
  | { type: 'write'; shard: string; frame: Uint8Array; section?: number }
  /** The task finished writing a shard (or failed). */
  | { type: 'closeShard'; shard: string; error?: SerializedError }
  /** Rows the running task has read so far (at most every PROGRESS_MS, as batches are read). */
  | { type: 'taskProgress'; taskId: number; rowsIn: number }
  | { type: 'taskDone'; taskId: number; stats: TaskStats }
  | { type: 'taskFailed'; taskId: number; error: SerializedError };

/** How often a running task's figures go to its host (live progress on consoles and the web UI). */
export const PROGRESS_MS = 250;

/** Read-ahead per stream, in frames (~128 KB each). */
export const READ_CREDIT = 8;
/** Writes in flight before the worker waits for an ack. */
export const WRITE_CREDIT = 16;
