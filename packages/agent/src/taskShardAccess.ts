// The ShardAccess of one executor slot: reads follow the running task's shard locations (a
// peer agent, or the local store), writes always go to the local store.
import { GleamError, type SerializedError, type ShardAccess } from '@gleam/executor';
import type { AgentShards, WriterEpoch } from './agentShards';
import type { PeerClients } from './peerClients';

/** What a slot knows about the task it runs (an ExecutorHost is built once with its access). */
export interface TaskContext {
  shardLocations: Record<string, string>;
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

  read(shard: string, signal: AbortSignal): AsyncIterable<Uint8Array> {
    const at = this.task?.shardLocations[shard];
    if (at && at !== this.selfAddress()) return this.peers.read(at, shard, signal);
    return this.shards.store.read(shard, { signal });
  }

  append(shard: string, frame: Uint8Array): void {
    // Frames arriving after the task ended belong to no writer any more: drop them.
    if (!this.task) return;
    this.shards.appendFromTask(shard, frame, this.task.writer.epoch);
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
