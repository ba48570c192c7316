// How a running task reaches shards: an executor thread goes through its host's MessagePort,
// tests and the in-process runner can bind it straight to a ShardStore.
import type { SerializedError } from '../errors';

export interface TaskIO {
  /** Frames of a shard, replayed from the start and followed until the writer closes it. */
  read(shard: string, signal: AbortSignal): AsyncIterable<Uint8Array>;
  /** Appends a frame; a returned promise means "wait before writing more" (back pressure). */
  write(shard: string, frame: Uint8Array): void | Promise<void>;
  /** The writer is done with a shard (or failed). */
  closeShard(shard: string, error?: SerializedError): void | Promise<void>;
}
