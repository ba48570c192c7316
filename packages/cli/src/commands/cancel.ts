// `gleam cancel JOB`: ends a running job on the cluster (its driver is told, its agents stop
// its tasks and delete its shards).
import * as os from 'node:os';
import { Command } from 'commander';
import type { CancelJobResponse__Output } from '@gleam/proto';
import { clusterSecret, MASTER_CALL_TIMEOUT_MS, masterAddress, withMaster } from '../masterCall';

interface CancelCommandOptions {
  master?: string;
  secret?: string;
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
  const master = masterAddress(opts.master);
  const { callMetadata, unary } = await import('@gleam/proto');
  const res = await withMaster(master, (client) =>
    unary<object, CancelJobResponse__Output>(client.CancelJob.bind(client), { jobId, reason: opts.reason || defaultReason() }, callMetadata(clusterSecret(opts.secret)), MASTER_CALL_TIMEOUT_MS),
  );
  if (!res.found) throw new Error(`no job ${jobId} on the master at ${master}`);
  if (res.state !== 'cancelled') throw new Error(`job ${jobId} already ${res.state}: nothing to cancel`);
  process.stdout.write(`job ${jobId} cancelled\n`);
}

export function cancelCommand(): Command {
  return new Command('cancel')
    .description('cancel a running job: its driver stops, its agents stop its tasks and delete its shards')
    .argument('<job>', 'the job id (see gleam jobs)')
    .option('--master <host:port>', 'the master (default: GLEAM_MASTER, then 127.0.0.1:45326)')
    .option('--reason <text>', 'why, shown in the job\'s error ("cancelled: <text>")')
    .option('--secret <secret>', 'shared secret of the cluster (or GLEAM_SECRET)')
    .action((jobId: string, opts: CancelCommandOptions) => runCancel(jobId, opts));
}
