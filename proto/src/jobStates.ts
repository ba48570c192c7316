// The states of a job as the master books them, shared by master, agents, drivers and the CLI.

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A job in one of these states is over: it holds no slots and its lease may end. */
export const FINISHED_JOB_STATES: ReadonlySet<string> = new Set<JobState>(['succeeded', 'failed', 'cancelled']);

export function isFinishedJobState(state: string): boolean {
  return FINISHED_JOB_STATES.has(state);
}

/** TaskFailed.name of a task ended because its job was cancelled (or its driver lost). */
export const JOB_CANCELLED_ERROR_NAME = 'JobCancelled';

/** The refusal of a call for a job an agent has cancelled (FAILED_PRECONDITION). */
export function jobCancelledMessage(jobId: string, reason?: string): string {
  return reason ? `job ${jobId} was cancelled (${reason})` : `job ${jobId} was cancelled`;
}
