// Runs planned sinks: prints the plan in planner mode, else runs on a local cluster.
import { LocalCluster, newJobId, RemoteCluster, runPlan, type RunProgress } from '@gleam/driver';
import type { PhysicalPlan } from '@gleam/driver';
import type { ResolvedOptions } from './options';
import { planFlow, type SinkRequest } from './planner/planFlow';
import { printPlan } from './planner/printPlan';

export async function execute(flowName: string, sinks: SinkRequest[], opts: ResolvedOptions): Promise<'planned' | 'ran'> {
  const { plan, description } = planFlow(flowName, sinks, opts);
  if (opts.plan) {
    opts.planOutput.write(printPlan(description));
    return 'planned';
  }
  const progress: RunProgress = {
    taskDone: opts.progress
      ? (spec, stats, done, total) => process.stderr.write(`[gleam] ${done}/${total} ${spec.name} rows ${stats.rowsIn}->${stats.rowsOut} ${stats.millis} ms\n`)
      : undefined,
  };
  if (opts.master) {
    await runDistributed(flowName, sinks, plan, opts, progress);
    return 'ran';
  }
  const cluster = new LocalCluster({ executors: opts.executors });
  try {
    await cluster.start();
    await runPlan(plan, cluster, progress);
  } finally {
    await cluster.dispose();
  }
  return 'ran';
}

/** Distributed mode: slots from the master, task groups on its agents, progress reported back. */
async function runDistributed(flowName: string, sinks: SinkRequest[], provisional: PhysicalPlan, opts: ResolvedOptions, progress: RunProgress): Promise<void> {
  const jobId = newJobId();
  const startedMs = Date.now();
  const cluster = await RemoteCluster.connect({
    master: opts.master!,
    secret: opts.secret,
    jobId,
    jobName: flowName,
    wantSlots: Math.max(1, Math.min(provisional.taskGroups.length, 256)),
  });
  // Shuffles default to the cluster's slots, known only now.
  const planned = opts.partitionsGiven || cluster.slots === opts.partitions ? undefined : planFlow(flowName, sinks, { ...opts, partitions: cluster.slots });
  const plan = planned?.plan ?? provisional;
  cluster.planText = printPlan(planned?.description ?? planFlow(flowName, sinks, opts).description);
  const total = plan.taskGroups.length;
  let done = 0;
  let last = 0;
  void cluster.report({ state: 'running', tasksTotal: total, tasksDone: 0, startedMs });
  try {
    await runPlan(plan, cluster, {
      taskDone: (spec, stats, d, t) => {
        done = d;
        progress.taskDone?.(spec, stats, d, t);
        // Progress reaches the master at most every second.
        if (Date.now() - last > 1000) {
          last = Date.now();
          void cluster.report({ state: 'running', tasksTotal: total, tasksDone: done, startedMs });
        }
      },
    }, jobId);
    await cluster.report({ state: 'succeeded', tasksTotal: total, tasksDone: done, startedMs, finishedMs: Date.now() });
  } catch (e) {
    await cluster.report({ state: 'failed', tasksTotal: total, tasksDone: done, startedMs, finishedMs: Date.now(), error: (e as Error)?.message ?? String(e) });
    throw e;
  } finally {
    await cluster.dispose();
  }
}
