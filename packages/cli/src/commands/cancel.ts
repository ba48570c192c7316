// `gleam cancel JOB`: ends a running job on the cluster (its driver is told, its agents stop
// its tasks and delete its shards).
import * as os from 'node:os';
import { Command } from 'commander';
import type { CancelJobResponse__Output } from '@gleam/proto';
import { MASTER_CALL_TIMEOUT_MS, masterTarget, withMaster, withMasterOptions, type MasterFlags } from '../masterCall';

interface CancelCommandOptions extends MasterFlags {
  reason?: string;
}

function defaultReason(): string {
  let who = '';
  try {
    who = `${os.userInfo().username}@`;
  } catch {
    // no user name in this environment (e.g. an arbitrary uid in a container)
  }
  return `gleam cancel by ${who}${os.hostname()}`;
}

async function runCancel(jobId: string, opts: CancelCommandOptions): Promise<void> {
  const target = masterTarget(opts);
  const { callMetadata, unary } = await import('@gleam/proto');
  const res = await withMaster(target, (client) =>
    unary<object, CancelJobResponse__Output>(client.CancelJob.bind(client), { jobId, reason: opts.reason || defaultReason() }, callMetadata(target.secret), MASTER_CALL_TIMEOUT_MS),
  );
  if (!res.found) throw new Error(`no job ${jobId} on the master at ${target.master}`);
  if (res.state !== 'cancelled') throw new Error(`job ${jobId} already ${res.state}: nothing to cancel`);
  process.stdout.write(`job ${jobId} cancelled\n`);
}

export function cancelCommand(): Command {
  return withMasterOptions(
    new Command('cancel').description('cancel a running job: its driver stops, its agents stop its tasks and delete its shards').argument('<job>', 'the job id (see gleam jobs)'),
  )
    .option('--reason <text>', 'why, shown in the job\'s error ("cancelled: <text>")')
    .action((jobId: string, opts: CancelCommandOptions) => runCancel(jobId, opts));
}
