// A job's whole life, owned by the driver package: get a cluster (local executors, or slots
// granted by a master), plan once for it, run, report events, and end cleanly whatever happens —
// shards deleted, slots released, sinks' partial output undone — including on a cancel.
import { GleamError } from '@gleam/executor';
import type { Cluster, JobOutcome } from '../cluster';
import type { PhysicalPlan } from '../physicalPlan';
import type { JobEvent, JobEventListener } from './jobEvents';
import { JobCancelledError } from './jobErrors';
import { runningJobs } from './runningJobs';
import { JobRun, type JobRunOptions } from './jobRun';

/** A cluster held for one job. */
export interface HeldCluster {
  cluster: Cluster;
  /** Job events for the cluster (a remote cluster reports progress to its master). */
  onEvent?: JobEventListener;
  /** The plan as planner mode prints it (the master's status page shows it). */
  planned?(plan: PhysicalPlan): void;
  /** Lets the cluster cancel the job (the master relays `gleam cancel`). */
  onCancel?(cancel: (reason: string) => void): void;
  /**
   * Called once when the job is over (slots go back, the final state is reported). `actual` maps
   * a plan's shard name to the name its last attempt wrote (a retried task writes `<shard>~a2`);
   * `spilled` names the MEMORY_ONLY cached shards that did not fit in memory (dropped, not kept).
   */
  release(outcome: JobOutcome, error?: Error, actual?: (shard: string) => string, spilled?: ReadonlySet<string>): Promise<void>;
}

export interface JobRequest {
  name: string;
  jobId?: string;
  /** Gets the cluster; called once. Abort `signal` to stop waiting (a cancel before the start). */
  acquire(jobId: string, signal: AbortSignal): Promise<HeldCluster>;
  /** Plans the job for a cluster of `slots` executor slots; called once, after the cluster is held. */
  plan(slots: number): PhysicalPlan;
  signal?: AbortSignal;
  onEvent?: JobEventListener;
  /** Attempts of a task whose work was lost (its executor or agent died) before the job fails; default 4. */
  maxTaskAttempts?: number;
  /** Merges the accumulator partials of a job that succeeded (JobRunOptions.accumulate). */
  accumulate?: JobRunOptions['accumulate'];
}

let jobCounter = 0;

export function newJobId(): string {
  return `j${process.pid.toString(36)}${Date.now().toString(36)}${(jobCounter++).toString(36)}`;
}

/** A running job: await `done`, or cancel it. */
export class Job {
  readonly id: string;
  readonly done: Promise<void>;
  private readonly ac = new AbortController();
  private run: JobRun | undefined;
  private cancelReason: string | undefined;

  constructor(private readonly req: JobRequest) {
    this.id = req.jobId ?? newJobId();
    this.done = this.lifecycle();
    this.done.catch(() => undefined); // the caller awaits it; never an unhandled rejection here
  }

  /** Stops the job (a no-op once it ended): its tasks stop, shards go, slots are released. */
  cancel(reason = 'cancelled by the driver'): void {
    if (this.cancelReason !== undefined) return;
    this.cancelReason = reason;
    this.ac.abort(new JobCancelledError(reason));
    this.run?.cancel(reason);
  }

  private emit(e: JobEvent, held?: HeldCluster): void {
    for (const l of [this.req.onEvent, held?.onEvent]) {
      try {
        l?.(e);
      } catch {
        // a listener's bug must not break the job
      }
    }
  }

  private async lifecycle(): Promise<void> {
    const started = Date.now();
    const userSignal = this.req.signal;
    const onAbort = () => this.cancel(abortReason(userSignal!));
    if (userSignal?.aborted) onAbort();
    userSignal?.addEventListener('abort', onAbort, { once: true });
    runningJobs.add(this);
    let held: HeldCluster | undefined;
    let outcome: JobOutcome = 'succeeded';
    let error: Error | undefined;
    let tasks = 0;
    try {
      if (this.cancelReason !== undefined) throw new JobCancelledError(this.cancelReason);
      held = await this.req.acquire(this.id, this.ac.signal);
      if (this.cancelReason !== undefined) throw new JobCancelledError(this.cancelReason);
      held.onCancel?.((reason) => this.cancel(reason));
      const plan = this.req.plan(held.cluster.slots);
      tasks = plan.taskGroups.length;
      held.planned?.(plan);
      const h = held;
      this.run = new JobRun(plan, held.cluster, this.id, (e) => this.emit(e, h), { maxTaskAttempts: this.req.maxTaskAttempts, accumulate: this.req.accumulate });
      if (this.cancelReason !== undefined) this.run.cancel(this.cancelReason);
      await this.run.run();
    } catch (e) {
      error = e instanceof Error ? e : new GleamError(String(e));
      outcome = error instanceof JobCancelledError ? 'cancelled' : 'failed';
      throw error;
    } finally {
      userSignal?.removeEventListener('abort', onAbort);
      if (held) {
        await held.cluster.endJob(`${this.id}/`, outcome).catch(() => undefined);
        const run = this.run;
        await held.release(outcome, error, run ? (s) => run.actual(s) : undefined, run?.spilledShards).catch(() => undefined);
      }
      runningJobs.delete(this);
      this.emit({ type: 'jobFinished', jobId: this.id, name: this.req.name, outcome, error: error?.message, tasksDone: this.run?.tasksDone ?? 0, tasks, millis: Date.now() - started, timeMs: Date.now() }, held);
    }
  }
}

/** Starts a job and resolves when it succeeded (rejects with its error, a JobCancelledError on a cancel). */
export function runJob(req: JobRequest): Promise<void> {
  return new Job(req).done;
}

function abortReason(signal: AbortSignal): string {
  const r = signal.reason;
  if (r instanceof Error && r.name !== 'AbortError') return r.message;
  if (typeof r === 'string' && r) return r;
  return 'aborted by the run signal';
}
