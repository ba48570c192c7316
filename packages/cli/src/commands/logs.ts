// `gleam logs [JOB]`: what went wrong in a job: its whole error (the driver reports the failing
// step, task and cause when it ends the job; `gleam jobs` shows only the first line) and the
// tasks that failed, with their agents. Without JOB: the most recent failed job.
import { Command } from 'commander';
import type { ClusterStatusResponse__Output, JobReport__Output } from '@gleam/proto';
import { MASTER_CALL_TIMEOUT_MS, masterTarget, withMaster, withMasterOptions, type MasterFlags } from '../masterCall';
import { textTable } from './status';

/** The job to show: the one named, else the failed (or cancelled) one that ended last. */
export function pickJob(status: ClusterStatusResponse__Output, jobId: string | undefined): JobReport__Output | undefined {
  const reports = status.jobs.map((j) => j.report).filter((r): r is JobReport__Output => Boolean(r));
  if (jobId) return reports.find((r) => r.jobId === jobId);
  return reports.filter((r) => r.error).sort((a, b) => Number(b.finishedMs) - Number(a.finishedMs))[0];
}

/** The readable form: a title line, the failed tasks, then the error as the driver reported it. */
export function formatJobLog(r: JobReport__Output): string {
  const out = [`job ${r.jobId}${r.name ? ` (${r.name})` : ''}: ${r.state}, ${r.tasksDone}/${r.tasksTotal} tasks done${r.driver ? `, driver ${r.driver}` : ''}`];
  const failed = r.tasks.filter((t) => t.state === 'failed');
  if (failed.length) out.push('', textTable(['FAILED TASK', 'AGENT', 'ROWS IN', 'MS'], failed.map((t) => [t.name, t.agent || '-', String(t.rowsIn), String(t.millis)])));
  out.push('', r.error ? r.error : r.state === 'running' ? 'no error so far: the job is running' : 'no error: the job did not fail');
  return out.join('\n') + '\n';
}

interface LogsCommandOptions extends MasterFlags {
  json?: boolean;
}

async function runLogs(jobId: string | undefined, opts: LogsCommandOptions): Promise<void> {
  const target = masterTarget(opts);
  const { callMetadata, unary } = await import('@gleam/proto');
  const status = await withMaster(target, (client) => unary<object, ClusterStatusResponse__Output>(client.ClusterStatus.bind(client), {}, callMetadata(target.secret), MASTER_CALL_TIMEOUT_MS));
  const report = pickJob(status, jobId);
  if (!report) throw new Error(jobId ? `no job ${jobId} on the master at ${target.master} (see gleam jobs)` : `no failed job on the master at ${target.master}`);
  process.stdout.write(opts.json ? `${JSON.stringify({ jobId: report.jobId, name: report.name, state: report.state, error: report.error, failedTasks: report.tasks.filter((t) => t.state === 'failed') }, null, 2)}\n` : formatJobLog(report));
}

export function logsCommand(): Command {
  return withMasterOptions(
    new Command('logs')
      .description("print a job's error in full and its failed tasks (default: the most recent failed job)")
      .argument('[job]', 'the job id (see gleam jobs)'),
  )
    .option('--json', 'print the job id, name, state, error and failed tasks as JSON')
    .action((jobId: string | undefined, opts: LogsCommandOptions) => runLogs(jobId, opts));
}
