// Storage levels of cached datasets as the shard stores see them. The level travels in the cached
// shard's name (as the job prefix does for ownership), so every store that receives the shard —
// the local one, an agent's, a remote write — applies it without a message of its own.
// MEMORY_AND_DISK shards are plain cache shards (memory up to the store's budget, then spilled);
// DISK_ONLY shards go to their spill file frame by frame and never hold frames in memory.

/** The base name of a cached dataset's shards (`-sN` is added per partition). */
export function cachedShardBase(prefix: string, nodeId: number, diskOnly: boolean): string {
  return `${prefix}${diskOnly ? 'disk' : 'd'}${nodeId}`;
}

/** Whether a shard belongs to a DISK_ONLY cached dataset (any attempt of it). */
export function isDiskOnlyShard(name: string): boolean {
  return /\/disk\d+-s\d+(~a\d+)?$/.test(name);
}
