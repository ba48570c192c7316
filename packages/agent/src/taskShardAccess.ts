// The ShardAccess of one executor slot: reads follow the running task's shard locations (a
// peer agent, or the local store), writes always go to the local store.
import { GleamError, type SerializedError, type ShardAccess } from '@gleam/executor';
import type { AgentShards, WriterEpoch } from './agentShards';
import type { PeerClients } from './peerClients';

/** What a slot knows about the task it runs (an ExecutorHost is built once with its access). */
export interface TaskContext {
  /** Shards of the task that live on other agents (absent: this agent's store). */
  shardLocations: Map<string, string>;
  writer: WriterEpoch;
}

export class TaskShardAccess implements ShardAccess {
  /** Set while a task runs on this slot. */
  task: TaskContext | undefined;

  constructor(
    private readonly shards: AgentShards,
    private readonly peers: PeerClients,
    private readonly selfAddress: () => string,
  ) {}

  /**
   * Shards in order, each from where it lives: runs of shards on one agent are one stream. A
   * section read (a shuffle target) has no order to keep across shards, so all shards of an
   * agent are one stream: local ones first, then one call per peer.
   */
  async *read(shards: readonly string[], signal: AbortSignal, section?: number): AsyncIterable<Uint8Array> {
    for (const run of readRuns(shards, this.task?.shardLocations ?? new Map(), this.selfAddress(), section !== undefined)) {
      if (run.agent === undefined) yield* this.shards.store.readMany(run.shards, { signal, section });
      else yield* this.peers.read(run.agent, run.shards, signal, section);
    }
  }

  append(shard: string, frame: Uint8Array, section?: number): void {
    // Frames arriving after the task ended belong to no writer any more: drop them.
    if (!this.task) return;
    this.shards.appendFromTask(shard, frame, this.task.writer.epoch, section);
  }

  spilled(shard: string): boolean {
    return this.shards.store.spilled(shard);
  }

  close(shard: string, error?: SerializedError): void {
    if (!this.task) return;
    this.shards.close(shard, error ? toError(error) : undefined, this.task.writer.epoch);
  }
}

function toError(s: SerializedError): Error {
  const e = new GleamError(s.message, s.step);
  if (s.name && s.name !== 'Error') e.name = s.name;
  if (s.stack) e.stack = s.stack;
  return e;
}

/** Consecutive shards on one agent (undefined: here), or all of each agent's when order does not matter. */
function readRuns(shards: readonly string[], locations: Map<string, string>, self: string, anyOrder: boolean): { agent: string | undefined; shards: string[] }[] {
  const runs: { agent: string | undefined; shards: string[] }[] = [];
  const byAgent = new Map<string | undefined, { agent: string | undefined; shards: string[] }>();
  for (const s of shards) {
    const at = locations.get(s);
    const agent = at && at !== self ? at : undefined;
    if (anyOrder) {
      let run = byAgent.get(agent);
      if (!run) {
        byAgent.set(agent, (run = { agent, shards: [] }));
        if (agent === undefined) runs.unshift(run);
        else runs.push(run);
      }
      run.shards.push(s);
    } else {
      const last = runs[runs.length - 1];
      if (last && last.agent === agent) last.shards.push(s);
      else runs.push({ agent, shards: [s] });
    }
  }
  return runs;
}
