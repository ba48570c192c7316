// Where the shards a task reads live, sent with the task to an agent. Compact on purpose: a
// reduce task reading 1000 map outputs carries one byte per shard, aligned with the shard lists
// of readShardSets(spec), instead of 1000 (name, address) pairs.
import { decodeValue, encodeValue } from '../codec/valueCodec';
import { readShardSets, type TaskGroupSpec } from './taskSpec';

/** Index meaning "not known to the driver": the executing agent's own store. */
export const UNPLACED = 255;
/** Agent indices are bytes; 255 is UNPLACED. */
export const MAX_LOCATED_AGENTS = 255;

export interface TaskLocations {
  agents: string[];
  /** Per read shard list of the spec (readShardSets order), one agent index per shard. */
  lists: Uint8Array[];
}

export function encodeTaskLocations(loc: TaskLocations): Uint8Array {
  return encodeValue(loc);
}

/** The shards of `spec` that live on another agent than `self`, with that agent's address. */
export function remoteShardLocations(spec: TaskGroupSpec, bytes: Uint8Array | undefined, self: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!bytes || bytes.byteLength === 0) return out;
  const loc = decodeValue<TaskLocations>(bytes);
  const uses = readShardSets(spec);
  if (!loc || !Array.isArray(loc.agents) || !Array.isArray(loc.lists) || loc.lists.length !== uses.length) {
    throw new Error(`task ${spec.name}: its shard locations do not match its inputs`);
  }
  uses.forEach((use, i) => {
    const at = loc.lists[i];
    for (let k = 0; k < use.shards.length; k++) {
      const idx = at[k];
      if (idx === UNPLACED || idx === undefined) continue;
      const agent = loc.agents[idx];
      if (agent !== undefined && agent !== self) out.set(use.shards[k], agent);
    }
  });
  return out;
}
