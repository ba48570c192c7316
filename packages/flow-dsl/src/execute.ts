// Runs planned sinks: prints the plan in planner mode, else runs on a local cluster.
import { GleamError } from '@gleam/executor';
import { LocalCluster, runPlan } from '@gleam/driver';
import type { ResolvedOptions } from './options';
import { planFlow, type SinkRequest } from './planner/planFlow';
import { printPlan } from './planner/printPlan';

export async function execute(flowName: string, sinks: SinkRequest[], opts: ResolvedOptions): Promise<'planned' | 'ran'> {
  const { plan, description } = planFlow(flowName, sinks, opts);
  if (opts.plan) {
    opts.planOutput.write(printPlan(description));
    return 'planned';
  }
  if (opts.master) {
    throw new GleamError(`run: distributed mode (master ${opts.master}) is not available in this build yet; run without a master for local mode`);
  }
  const cluster = new LocalCluster({ executors: opts.executors });
  try {
    await cluster.start();
    await runPlan(plan, cluster, {
      taskDone: opts.progress
        ? (spec, stats, done, total) => process.stderr.write(`[gleam] ${done}/${total} ${spec.name} rows ${stats.rowsIn}->${stats.rowsOut} ${stats.millis} ms\n`)
        : undefined,
    });
  } finally {
    await cluster.dispose();
  }
  return 'ran';
}
