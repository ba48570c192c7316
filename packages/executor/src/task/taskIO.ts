// How a running task reaches shards: an executor thread goes through its host's MessagePort,
// tests and the in-process runner can bind it straight to a ShardStore.
import type { SerializedError } from '../errors';

export interface TaskIO {
  /**
   * Frames of these shards (or of one section of each), shard after shard in order, each
   * replayed from the start and followed until its writer closes it. One stream for the lot:
   * a reduce task reading a thousand map outputs opens one read, not a thousand.
   */
  read(shards: readonly string[], signal: AbortSignal, section?: number): AsyncIterable<Uint8Array>;
  /** Appends a frame (to a section of the shard); a returned promise means "wait before writing more". */
  write(shard: string, frame: Uint8Array, section?: number): void | Promise<void>;
  /** The writer is done with a shard (or failed). */
  closeShard(shard: string, error?: SerializedError): void | Promise<void>;
}
