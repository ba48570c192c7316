// `gleam status --master HOST:PORT`: agents, slots, jobs and streams of a cluster, as text or JSON.
import { Command } from 'commander';
import type { ClusterStatusResponse__Output } from '@gleam/proto';
import type { ReportedStream } from '@gleam/master';
import { MASTER_CALL_TIMEOUT_MS, masterTarget, withMaster, withMasterOptions, type MasterFlags } from '../masterCall';

/** Columns padded to their widest cell, two spaces apart. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(headers), ...rows.map(line)].join('\n');
}


const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The readable form of a ClusterStatus answer. */
export function formatStatus(status: ClusterStatusResponse__Output, master: string, now = Date.now()): string {
  // The master's own formatting; loaded here, not at start-up (it brings gRPC with it).
  const { formatBytes: bytes, formatDuration: duration, reportedStreams } = require('@gleam/master') as typeof import('@gleam/master');
  const out: string[] = [`master ${master}, up ${duration(now - status.startedMs)}`, ''];
  const alive = status.agents.filter((a) => a.alive);
  if (status.agents.length) {
    out.push(
      textTable(
        ['AGENT', 'ALIVE', 'EXECUTORS', 'ALLOCATED/BUSY', 'MEMORY', 'SHARDS'],
        status.agents.map((a) => [
          a.address,
          a.alive ? 'yes' : 'no',
          String(a.executors),
          `${a.allocated}/${a.busy}`,
          `${a.memoryMb} MB`,
          `${a.shards} (${bytes(a.shardMemoryBytes)} in memory, ${bytes(a.spilledBytes)} spilled)`,
        ]),
      ),
    );
  } else {
    out.push('no agents');
  }
  const total = alive.reduce((n, a) => n + a.executors, 0);
  const allocated = alive.reduce((n, a) => n + a.allocated, 0);
  const busy = alive.reduce((n, a) => n + a.busy, 0);
  out.push('', `slots: ${total} total, ${allocated} allocated, ${busy} busy, ${Math.max(0, total - allocated)} free (${plural(alive.length, 'agent')} alive, ${status.agents.length - alive.length} dead)`, '');
  const jobs = status.jobs.filter((j) => j.report);
  if (jobs.length) {
    out.push(
      textTable(
        ['JOB', 'NAME', 'STATE', 'TASKS', 'SLOTS'],
        jobs.map((j) => [j.report!.jobId, j.report!.name || '-', j.report!.state, `${j.report!.tasksDone}/${j.report!.tasksTotal}`, String(j.grants.reduce((n, g) => n + g.slots, 0))]),
      ),
    );
    for (const j of jobs) if (j.report!.error) out.push(`${j.report!.jobId}: ${j.report!.error.split('\n')[0]}`);
  } else {
    out.push('no jobs');
  }
  const streams = reportedStreams(status.streams);
  if (streams.length) out.push('', formatStreams(streams, now));
  return out.join('\n') + '\n';
}

/** The streams section: one row per stream (running first), then why a stream failed or is lost. */
export function formatStreams(streams: ReportedStream[], now = Date.now()): string {
  const { STREAM_COLUMNS, streamCells, streamNote, streamTitle } = require('@gleam/master') as typeof import('@gleam/master');
  const out = [textTable(STREAM_COLUMNS.map((c) => c.toUpperCase()), streams.map((s) => streamCells(s)))];
  for (const s of streams) {
    const note = streamNote(s, now);
    if (note) out.push(`${streamTitle(s.report)} (${s.report.streamId}) ${s.state}: ${note}`);
  }
  return out.join('\n');
}

interface StatusCommandOptions extends MasterFlags {
  json?: boolean;
}

async function runStatus(opts: StatusCommandOptions): Promise<void> {
  const target = masterTarget(opts);
  const { callMetadata, unary } = await import('@gleam/proto');
  const status = await withMaster(target, (client) => unary<object, ClusterStatusResponse__Output>(client.ClusterStatus.bind(client), {}, callMetadata(target.secret), MASTER_CALL_TIMEOUT_MS));
  process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, target.master));
}

export function statusCommand(): Command {
  return withMasterOptions(new Command('status').description('print the agents, slots, jobs and streams of a cluster'))
    .option('--json', 'print the raw status as JSON')
    .action((opts: StatusCommandOptions) => runStatus(opts));
}
