// The agent's shard store with one extra rule: a writer that started before a shard (or its job)
// was deleted cannot bring it back. Without it, late frames of a cancelled task or of a dropped
// WriteShard stream would recreate a deleted shard (a leak) or mix into a retry's fresh shard.
import { ShardStore } from '@gleam/executor';

interface Deletion {
  name: string;
  prefix: boolean;
  epoch: number;
}

/** A writer's ticket: the epoch it started in; release it when the writer is finished. */
export interface WriterEpoch {
  readonly epoch: number;
  release(): void;
}

export class AgentShards {
  readonly store: ShardStore;
  private epoch = 0;
  private deletions: Deletion[] = [];
  /** Epochs of writers still running (a count per epoch). */
  private readonly active = new Map<number, number>();
  /** Shards a queued or running task, or an open WriteShard stream, will write (a count per name). */
  private readonly expected = new Map<string, number>();

  /**
   * `missingShardTimeoutMs`: a read of a shard that does not exist, with no writer expected,
   * fails after this long (see expectWriters); `where` names this agent in that error.
   */
  constructor(opts: { memoryBudgetBytes: number; spillDir: string; missingShardTimeoutMs?: number; where?: () => string }) {
    const { missingShardTimeoutMs, where, ...store } = opts;
    this.store = new ShardStore({
      ...store,
      missingShard: missingShardTimeoutMs === undefined ? undefined : { timeoutMs: missingShardTimeoutMs, writerExpected: (s) => this.expected.has(s), where },
    });
  }

  /**
   * Announces writers of these shards (a task's outputs as soon as its ExecuteTask arrives, even
   * queued; a WriteShard stream while it is open): their readers wait for them past the
   * missing-shard bound. Call the returned function when the writer is done.
   */
  expectWriters(shards: readonly string[]): () => void {
    for (const s of shards) this.expected.set(s, (this.expected.get(s) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const s of shards) {
        const n = (this.expected.get(s) ?? 1) - 1;
        if (n > 0) this.expected.set(s, n);
        else this.expected.delete(s);
      }
    };
  }

  beginWriter(): WriterEpoch {
    const epoch = this.epoch;
    this.active.set(epoch, (this.active.get(epoch) ?? 0) + 1);
    let released = false;
    return {
      epoch,
      release: () => {
        if (released) return;
        released = true;
        const n = (this.active.get(epoch) ?? 1) - 1;
        if (n > 0) this.active.set(epoch, n);
        else this.active.delete(epoch);
        this.prune();
      },
    };
  }

  /** True when the shard was deleted after this writer started: its frames must be dropped. */
  isStale(shard: string, writerEpoch: number): boolean {
    for (const d of this.deletions) {
      if (d.epoch > writerEpoch && (d.prefix ? shard.startsWith(d.name) : shard === d.name)) return true;
    }
    return false;
  }

  /** A task's append: frames of stale writers and frames after the shard closed are dropped. */
  appendFromTask(shard: string, frame: Uint8Array, writerEpoch: number, section?: number): void {
    if (this.isStale(shard, writerEpoch) || this.store.isClosed(shard)) return;
    this.store.append(shard, frame, section);
  }

  close(shard: string, error: Error | undefined, writerEpoch: number): void {
    if (this.isStale(shard, writerEpoch) || this.store.isClosed(shard)) return;
    this.store.close(shard, error);
  }

  delete(shard: string): void {
    this.record({ name: shard, prefix: false, epoch: ++this.epoch });
    this.store.delete(shard);
  }

  deletePrefix(prefix: string): void {
    this.record({ name: prefix, prefix: true, epoch: ++this.epoch });
    this.store.deletePrefix(prefix);
  }

  private record(d: Deletion): void {
    // Only writers older than the deletion care about it; with none running it is forgotten.
    if (this.active.size > 0) this.deletions.push(d);
  }

  private prune(): void {
    if (this.active.size === 0) {
      this.deletions = [];
      return;
    }
    const oldest = Math.min(...this.active.keys());
    this.deletions = this.deletions.filter((d) => d.epoch > oldest);
  }
}
