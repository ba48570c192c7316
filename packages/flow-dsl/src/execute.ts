// Runs planned sinks as one job of the Flow: prints the plan in planner mode, else hands the job
// to the driver (plan once on the cluster it gets, run, report, cancel).
import { Job, type JobEvent, type JobEventListener } from '@gleam/driver';
import { jobAccumulators } from './accumulatorHandle';
import type { FlowSession } from './flowSession';
import type { ResolvedOptions } from './options';
import { planFlow, type PlannedFlow, type SinkRequest } from './planner/planFlow';
import { printPlan } from './planner/printPlan';
import { attachBroadcasts } from './broadcasts';
import { PlannerModeError } from './plannerModeError';

/** Slots a job asks a master for when the run options do not say (the master grants what is free). */
const DEFAULT_WANT_SLOTS = 256;

/**
 * Runs one job for `sinks`. `action` names the action that asked (collect, count, ...): in
 * planner mode an action has no value, so it rejects after the plan is printed.
 */
export async function execute(flowName: string, sinks: SinkRequest[], opts: ResolvedOptions, session: FlowSession, cachesData: () => boolean, action?: string): Promise<void> {
  if (opts.plan) {
    const p = planFlow(flowName, sinks, opts, session.cacheView(opts.master));
    attachBroadcasts(p.plan, session);
    opts.planOutput.write(printPlan(p.describe()));
    if (action) throw new PlannerModeError(action);
    return;
  }
  await session.enqueue(action ? `${action}()` : 'run()', async () => {
    let planned: PlannedFlow | undefined;
    const writes = () => planned?.cacheWrites ?? [];
    const standby = () => planned?.standbyWrites ?? [];
    const master = opts.master;
    const accumulators = jobAccumulators(session);
    const job = new Job({
      name: flowName,
      signal: opts.signal,
      onEvent: listeners(opts),
      maxTaskAttempts: opts.maxTaskAttempts,
      accumulate: accumulators.accumulate,
      acquire: (jobId, signal) =>
        master
          ? session.holdRemote({ master, secret: opts.secret, tls: opts.tls, jobId, jobName: flowName, wantSlots: opts.executorsGiven ? opts.executors : DEFAULT_WANT_SLOTS, signal }, writes, standby)
          : session.holdLocal(opts.executors, cachesData, writes, standby, opts.memoryMB),
      plan: (slots) => {
        // On a cluster, shuffles default to the slots granted, known only now.
        const partitions = master && !opts.partitionsGiven ? slots : opts.partitions;
        planned = planFlow(flowName, sinks, { ...opts, partitions }, session.cacheView(master));
        accumulators.check(planned.plan.taskGroups);
        attachBroadcasts(planned.plan, session);
        return planned.plan;
      },
    });
    session.track(job);
    await job.done;
  });
}

/** The user's listener and, with `progress`, one stderr line per finished task. */
function listeners(opts: ResolvedOptions): JobEventListener | undefined {
  const user = opts.onEvent;
  if (!opts.progress) return user;
  let started = Date.now();
  return (e: JobEvent) => {
    if (e.type === 'jobStarted') started = e.timeMs;
    // The finish time since the run started shows which tasks overlapped and where the time went.
    if (e.type === 'taskFinished') {
      process.stderr.write(`[gleam] ${e.done}/${e.total} ${e.task} rows ${e.stats.rowsIn}->${e.stats.rowsOut} ${e.stats.millis} ms, done at ${((e.timeMs - started) / 1000).toFixed(2)} s\n`);
    }
    user?.(e);
  };
}
