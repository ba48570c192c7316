// `gleam jobs`: the running and recently finished jobs of a cluster, as text or JSON.
import { Command } from 'commander';
import type { ClusterStatusResponse__Output } from '@gleam/proto';
import { MASTER_CALL_TIMEOUT_MS, masterTarget, withMaster, withMasterOptions, type MasterFlags } from '../masterCall';
import { textTable } from './status';

/** One job as `gleam jobs --json` prints it. */
export interface JobLine {
  jobId: string;
  name: string;
  state: string;
  tasksDone: number;
  tasksTotal: number;
  startedMs: number;
  finishedMs: number;
  durationMs: number;
  driver: string;
  slots: number;
  error: string;
}

export function jobLines(status: ClusterStatusResponse__Output, now = Date.now()): JobLine[] {
  return status.jobs
    .filter((j) => j.report)
    .map((j) => {
      const r = j.report!;
      return {
        jobId: r.jobId,
        name: r.name,
        state: r.state,
        tasksDone: r.tasksDone,
        tasksTotal: r.tasksTotal,
        startedMs: r.startedMs,
        finishedMs: r.finishedMs,
        durationMs: Math.max(0, (r.finishedMs || now) - r.startedMs),
        driver: r.driver,
        slots: j.grants.reduce((n, g) => n + g.slots, 0),
        error: r.error,
      };
    });
}

function startedAt(ms: number): string {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
}

/** The readable form: one row per job (running first), then the first line of each error. */
export function formatJobs(jobs: JobLine[]): string {
  if (!jobs.length) return 'no jobs\n';
  const { formatDuration } = require('@gleam/master') as typeof import('@gleam/master');
  const out = [
    textTable(
      ['JOB', 'NAME', 'STATE', 'TASKS', 'STARTED', 'DURATION', 'DRIVER'],
      jobs.map((j) => [j.jobId, j.name || '-', j.state, `${j.tasksDone}/${j.tasksTotal}`, startedAt(j.startedMs), formatDuration(j.durationMs), j.driver || '-']),
    ),
  ];
  for (const j of jobs) if (j.error) out.push(`${j.jobId}: ${j.error.split('\n')[0]}`);
  return out.join('\n') + '\n';
}

interface JobsCommandOptions extends MasterFlags {
  json?: boolean;
}

async function runJobs(opts: JobsCommandOptions): Promise<void> {
  const target = masterTarget(opts);
  const { callMetadata, unary } = await import('@gleam/proto');
  const status = await withMaster(target, (client) => unary<object, ClusterStatusResponse__Output>(client.ClusterStatus.bind(client), {}, callMetadata(target.secret), MASTER_CALL_TIMEOUT_MS));
  const jobs = jobLines(status);
  process.stdout.write(opts.json ? `${JSON.stringify(jobs, null, 2)}\n` : formatJobs(jobs));
}

export function jobsCommand(): Command {
  return withMasterOptions(new Command('jobs').description('list the running and recently finished jobs of a cluster'))
    .option('--json', 'print the jobs as a JSON array')
    .action((opts: JobsCommandOptions) => runJobs(opts));
}
