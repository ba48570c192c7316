// Where the shards a task reads live, encoded to go with the task (TaskLocations: one byte per
// shard). A list whose every shard is placed is encoded once: the 2001 targets of a shuffle share
// one list of map outputs.
import { encodeTaskLocations, GleamError, MAX_LOCATED_AGENTS, readShardSets, UNPLACED, type TaskGroupSpec } from '@gleam/executor';
import type { ShardLocations } from './shardLocations';

export class TaskPlaces {
  private readonly agentIndex = new Map<string, number>();
  private readonly agentList: string[] = [];
  private readonly placedLists = new WeakMap<readonly string[], Uint8Array>();

  constructor(private readonly locations: ShardLocations) {}

  /** The TaskLocations bytes for a task (throws past MAX_LOCATED_AGENTS agents). */
  encode(spec: TaskGroupSpec): Uint8Array {
    return encodeTaskLocations({ agents: this.agentList, lists: readShardSets(spec).map((use) => this.placesOf(use.shards)) });
  }

  private placesOf(list: readonly string[]): Uint8Array {
    const cached = this.placedLists.get(list);
    if (cached) return cached;
    const out = new Uint8Array(list.length);
    let complete = true;
    for (let k = 0; k < list.length; k++) {
      const agent = this.locations.get(list[k]);
      if (agent === undefined) {
        out[k] = UNPLACED;
        complete = false;
        continue;
      }
      let idx = this.agentIndex.get(agent);
      if (idx === undefined) {
        if (this.agentList.length >= MAX_LOCATED_AGENTS) throw new GleamError(`a job can read shards from at most ${MAX_LOCATED_AGENTS} agents`);
        idx = this.agentList.push(agent) - 1;
        this.agentIndex.set(agent, idx);
      }
      out[k] = idx;
    }
    if (complete) this.placedLists.set(list, out);
    return out;
  }
}
