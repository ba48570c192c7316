// Storage levels of cached datasets as the shard stores see them. The level travels in the cached
// shard's name (as the job prefix does for ownership), so every store that receives the shard —
// the local one, an agent's, a remote write — applies it without a message of its own.
// MEMORY_AND_DISK shards are plain cache shards (memory up to the store's budget, then spilled);
// DISK_ONLY shards go to their spill file frame by frame and never hold frames in memory;
// MEMORY_ONLY shards are stored like MEMORY_AND_DISK ones while the job that wrote them runs (its
// readers need them), but one that had to spill is reported with its task's stats and dropped when
// the job ends: the next action that reads it recomputes that partition from lineage, as Spark does.

export type StorageLevel = 'MEMORY_ONLY' | 'MEMORY_AND_DISK' | 'DISK_ONLY';

export const STORAGE_LEVELS: readonly StorageLevel[] = ['MEMORY_ONLY', 'MEMORY_AND_DISK', 'DISK_ONLY'];

const MARK: Record<StorageLevel, string> = { MEMORY_AND_DISK: 'd', DISK_ONLY: 'disk', MEMORY_ONLY: 'mem' };

/** The base name of a cached dataset's shards (`-sN` is added per partition). */
export function cachedShardBase(prefix: string, nodeId: number, level: StorageLevel = 'MEMORY_AND_DISK'): string {
  return `${prefix}${MARK[level]}${nodeId}`;
}

/** Whether a shard belongs to a DISK_ONLY cached dataset (any attempt of it). */
export function isDiskOnlyShard(name: string): boolean {
  return /\/disk\d+(r\d+)?-s\d+(~a\d+)*$/.test(name);
}

/** Whether a shard belongs to a MEMORY_ONLY cached dataset (any attempt of it). */
export function isMemoryOnlyShard(name: string): boolean {
  return /\/mem\d+(r\d+)?-s\d+(~a\d+)*$/.test(name);
}
