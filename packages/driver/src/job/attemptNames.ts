// Run-time shard names of task attempts. Attempt N>1 of a producer writes `<shard>~aN`, so a late
// frame, delete or reader of another attempt never meets this one; the plan keeps plain names.

/** Separates an attempt's number from the plan's shard name (`d3-m5~a2`). */
const ATTEMPT_MARK = '~a';

/** The run-time name of a plan shard written by a task's `attempt`-th run. */
export function attemptName(shard: string, attempt: number): string {
  return attempt <= 1 ? shard : `${shard}${ATTEMPT_MARK}${attempt}`;
}

/** The plan's name of a run-time shard name. */
export function planName(shard: string): string {
  const at = shard.lastIndexOf(ATTEMPT_MARK);
  return at > 0 && /^\d+$/.test(shard.slice(at + ATTEMPT_MARK.length)) ? shard.slice(0, at) : shard;
}
