// Everything a job reports while it runs: the progress printer, the master's status page and
// tests all read these (run option `onEvent`).
import type { TaskStats } from '@gleam/executor';
import type { JobOutcome } from '../cluster';
import type { StageInfo } from '../physicalPlan';

/** One stage of the job's DAG. */
export interface StageNode {
  stage: number;
  tasks: number;
  /** Of its tasks, those already done (standby: their cached output exists). */
  standby: number;
  inputs: number[];
}

export type JobEvent =
  /** Planned and about to schedule. */
  | { type: 'jobStarted'; jobId: string; name: string; stages: StageInfo[]; tasks: number; timeMs: number; graph?: StageNode[] }
  /** The first task of a stage started. */
  | { type: 'stageStarted'; jobId: string; stage: number; name: string; tasks: number; timeMs: number }
  | { type: 'taskStarted'; jobId: string; stage: number; task: string; partition: number; location: string; attempt: number; timeMs: number }
  /** A running task's rows read so far (executors report every few hundred ms; batched). */
  | { type: 'taskProgress'; jobId: string; stage: number; task: string; attempt: number; rowsIn: number; timeMs: number }
  | { type: 'taskFinished'; jobId: string; stage: number; task: string; partition: number; location: string; attempt: number; stats: TaskStats; done: number; total: number; timeMs: number }
  | { type: 'taskFailed'; jobId: string; stage: number; task: string; partition: number; location: string; attempt: number; error: string; timeMs: number }
  /** Every task of a stage finished: its totals. */
  | { type: 'stageFinished'; jobId: string; stage: number; name: string; tasks: number; rowsIn: number; rowsOut: number; bytesOut: number; millis: number; timeMs: number }
  | { type: 'jobFinished'; jobId: string; name: string; outcome: JobOutcome; error?: string; tasksDone: number; tasks: number; millis: number; timeMs: number };

export type JobEventListener = (e: JobEvent) => void;
