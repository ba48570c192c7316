// The agent's view of job cancels: the ExecuteTask calls running or queued per job (so a cancel
// can end them), and the jobs cancelled lately (so a late call of one cannot run a task or
// recreate a shard). Shards belong to a job by name: "<jobId>/...".
import { jobCancelledMessage } from '@gleam/proto';

/** Ends one ExecuteTask call because its job was cancelled. */
export type TaskCanceller = (reason: string) => void;

/** How many cancelled job ids are remembered (the oldest is forgotten first). */
export const REMEMBERED_CANCELS = 1000;

/** The job a shard belongs to, or undefined for a shard outside any job (a Flow's cache). */
export function jobOfShard(shard: string): string | undefined {
  const slash = shard.indexOf('/');
  return slash > 0 ? shard.slice(0, slash) : undefined;
}

export class CancelledJobs {
  private readonly tasks = new Map<string, Set<TaskCanceller>>();
  /** jobId -> reason; insertion order is cancel order. */
  private readonly cancelled = new Map<string, string>();

  constructor(private readonly remember = REMEMBERED_CANCELS) {}

  /** The refusal for a call of a cancelled job, or undefined when the job may go on. */
  refusal(jobId: string | undefined): string | undefined {
    if (!jobId) return undefined;
    const reason = this.cancelled.get(jobId);
    return reason === undefined ? undefined : jobCancelledMessage(jobId, reason);
  }

  refusalForShard(shard: string): string | undefined {
    return this.refusal(jobOfShard(shard));
  }

  /** Registers a running or queued task of a job; the returned function unregisters it. */
  track(jobId: string, cancel: TaskCanceller): () => void {
    let set = this.tasks.get(jobId);
    if (!set) this.tasks.set(jobId, (set = new Set()));
    set.add(cancel);
    return () => {
      const s = this.tasks.get(jobId);
      if (!s) return;
      s.delete(cancel);
      if (s.size === 0) this.tasks.delete(jobId);
    };
  }

  /** Remembers the job as cancelled and ends its tracked tasks; returns how many. */
  cancel(jobId: string, reason: string): number {
    this.cancelled.delete(jobId);
    this.cancelled.set(jobId, reason);
    while (this.cancelled.size > this.remember) this.cancelled.delete(this.cancelled.keys().next().value as string);
    const set = this.tasks.get(jobId);
    this.tasks.delete(jobId);
    for (const cancel of set ?? []) cancel(reason);
    return set?.size ?? 0;
  }
}
