// Runs planned sinks: prints the plan in planner mode, else runs on a local cluster.
import { newJobId, remoteCluster, runPlan, type RunProgress } from '@gleam/driver';
import type { FlowSession } from './flowSession';
import type { PhysicalPlan } from '@gleam/driver';
import type { ResolvedOptions } from './options';
import { planFlow, type SinkRequest } from './planner/planFlow';
import { printPlan } from './planner/printPlan';

export async function execute(flowName: string, sinks: SinkRequest[], opts: ResolvedOptions, session: FlowSession, cachesData: boolean): Promise<'planned' | 'ran'> {
  const { plan, description, cacheWrites } = planFlow(flowName, sinks, opts, session.cacheView(opts.master));
  if (opts.plan) {
    opts.planOutput.write(printPlan(description));
    return 'planned';
  }
  const started = Date.now();
  const progress: RunProgress = {
    // The finish time since the run started shows which tasks overlapped and where the time went.
    taskDone: opts.progress
      ? (spec, stats, done, total) =>
          process.stderr.write(`[gleam] ${done}/${total} ${spec.name} rows ${stats.rowsIn}->${stats.rowsOut} ${stats.millis} ms, done at ${((Date.now() - started) / 1000).toFixed(2)} s\n`)
      : undefined,
  };
  if (opts.master) {
    await runDistributed(flowName, sinks, plan, opts, progress, session);
    return 'ran';
  }
  const cluster = await session.localCluster(opts.executors);
  try {
    await runPlan(plan, cluster, progress);
    session.commit(cacheWrites);
  } catch (e) {
    // A failed job's cached shards are incomplete: the next action computes them again.
    for (const w of cacheWrites) for (const s of w.shards) cluster.deleteShard(s);
    throw e;
  } finally {
    await session.afterLocalRun(cachesData);
  }
  return 'ran';
}

/** Distributed mode: slots from the master, task groups on its agents, progress reported back. */
async function runDistributed(flowName: string, sinks: SinkRequest[], provisional: PhysicalPlan, opts: ResolvedOptions, progress: RunProgress, session: FlowSession): Promise<void> {
  const jobId = newJobId();
  const startedMs = Date.now();
  const master = opts.master!;
  const cluster = await remoteCluster().connect({
    master,
    secret: opts.secret,
    jobId,
    jobName: flowName,
    wantSlots: Math.max(1, Math.min(provisional.taskGroups.length, 256)),
    knownLocations: session.knownLocations(master),
  });
  // Shuffles default to the cluster's slots, known only now.
  const partitions = opts.partitionsGiven ? opts.partitions : cluster.slots;
  const planned = planFlow(flowName, sinks, { ...opts, partitions }, session.cacheView(master));
  const plan = planned.plan;
  cluster.planText = printPlan(planned.description);
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
    session.commit(planned.cacheWrites, master, cluster, opts.secret);
  } catch (e) {
    for (const w of planned.cacheWrites) for (const s of w.shards) cluster.deleteShard(s);
    await cluster.report({ state: 'failed', tasksTotal: total, tasksDone: done, startedMs, finishedMs: Date.now(), error: (e as Error)?.message ?? String(e) });
    throw e;
  } finally {
    await cluster.dispose();
  }
}
