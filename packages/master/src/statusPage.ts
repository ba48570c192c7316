// The HTML status page: agents, resources, streams, running and finished jobs. Everything
// shown comes from agents, drivers and their streams, so every value is escaped.
import { isFinishedJobState, type ClusterStatusResponse__Output, type JobStatus__Output } from '@gleam/proto';
import { jobPath } from './jobPage';
import { escapeHtml, livePage, progressBar, table } from './pageShell';
import { formatBytes, formatDuration, formatTime } from './textFormat';
import { reportedStreams, STREAM_COLUMNS, streamCells, streamNote, streamTitle } from './streamCells';

export { escapeHtml } from './pageShell';

/** Jobs as a table, each linking to its page (stages, DAG, tasks). */
function jobsTable(jobs: JobStatus__Output[], now: number): string {
  if (!jobs.length) return '<p>none</p>';
  return table(
    ['job', 'id', 'state', 'tasks', 'started', 'time', 'driver', 'error'],
    jobs.map((j) => {
      const r = j.report!;
      const took = r.finishedMs ? r.finishedMs - r.startedMs : now - r.startedMs;
      return [
        `<a href="${escapeHtml(jobPath(r.jobId))}">${escapeHtml(r.name || r.jobId)}</a>`,
        `<small>${escapeHtml(r.jobId)}</small>`,
        `<span class="${escapeHtml(r.state)}">${escapeHtml(r.state)}</span>`,
        progressBar(r.tasksDone, r.tasksTotal),
        escapeHtml(formatTime(r.startedMs)),
        escapeHtml(formatDuration(took)),
        escapeHtml(r.driver || '?'),
        r.error ? `<span class="failed" title="${escapeHtml(r.error)}">${escapeHtml(r.error.length > 80 ? `${r.error.slice(0, 79)}…` : r.error)}</span>` : '',
      ];
    }),
    (i) => `class="job" data-job="${escapeHtml(jobs[i].report!.jobId)}"`,
  );
}

/** The streams table (state coloured, the id in a tooltip), then what a row cannot say. */
function streamsSection(status: ClusterStatusResponse__Output, now: number): string {
  const streams = reportedStreams(status.streams);
  if (!streams.length) return '<p>none</p>';
  const rows = streams.map((s) => {
    const cells = streamCells(s).map((c) => escapeHtml(c));
    cells[0] = `<span title="${escapeHtml(s.report.streamId)}">${cells[0]}</span>`;
    cells[1] = `<span class="${escapeHtml(s.state)}">${cells[1]}</span>`;
    return cells;
  });
  const notes = streams.flatMap((s) => {
    const note = streamNote(s, now);
    return note ? [`<li>${escapeHtml(streamTitle(s.report))} <small>${escapeHtml(s.report.streamId)}</small>: <span class="${escapeHtml(s.state)}">${escapeHtml(note)}</span></li>`] : [];
  });
  return table(STREAM_COLUMNS, rows) + (notes.length ? `\n<ul class="notes">${notes.join('\n')}</ul>` : '');
}

/** The part of `/` that live updates replace. Its links never carry the secret: a browser holds a session cookie instead. */
export function renderStatusLive(status: ClusterStatusResponse__Output, now = Date.now()): string {
  const alive = status.agents.filter((a) => a.alive);
  const sum = (f: (a: (typeof alive)[number]) => number) => alive.reduce((n, a) => n + (Number(f(a)) || 0), 0);
  const executors = sum((a) => a.executors);
  const allocated = sum((a) => a.allocated);
  const agents = status.agents.length
    ? table(
        ['agent', 'alive', 'executors', 'allocated', 'busy', 'memory', 'shard memory', 'spilled', 'shards', 'last heartbeat', 'version'],
        status.agents.map((a) => [
          escapeHtml(a.address),
          a.alive ? '<span class="ok">alive</span>' : '<span class="failed">dead</span>',
          escapeHtml(a.executors),
          escapeHtml(a.allocated),
          escapeHtml(a.busy),
          escapeHtml(`${a.memoryMb} MB`),
          escapeHtml(formatBytes(a.shardMemoryBytes)),
          escapeHtml(formatBytes(a.spilledBytes)),
          escapeHtml(a.shards),
          escapeHtml(`${formatDuration(now - a.lastHeartbeatMs)} ago`),
          escapeHtml(a.version),
        ]),
      )
    : '<p>No agents yet: start one with <code>gleam agent --master HOST:PORT</code>.</p>';
  const jobs = status.jobs.filter((j) => j.report);
  const running = jobs.filter((j) => !isFinishedJobState(j.report!.state));
  const finished = jobs.filter((j) => !running.includes(j));
  return `<h1>gleam master</h1>
<p>started ${escapeHtml(formatTime(status.startedMs))} (up ${escapeHtml(formatDuration(now - status.startedMs))}) · <a href="status.json">status.json</a></p>
<h2>Agents</h2>
${agents}
<h2>Resources</h2>
<p>${escapeHtml(`${alive.length} agent${alive.length === 1 ? '' : 's'} alive, ${status.agents.length - alive.length} dead · executor slots: ${executors} total, ${allocated} allocated, ${sum((a) => a.busy)} busy, ${Math.max(0, executors - allocated)} free · memory ${sum((a) => a.memoryMb)} MB · shards ${sum((a) => a.shards)} (${formatBytes(sum((a) => a.shardMemoryBytes))} in memory, ${formatBytes(sum((a) => a.spilledBytes))} spilled)`)}</p>
<h2>Running jobs (${running.length})</h2>
${jobsTable(running, now)}
<h2>Finished jobs (${finished.length})</h2>
${jobsTable(finished, now)}
<h2>Streams (${reportedStreams(status.streams).length})</h2>
${streamsSection(status, now)}`;
}

/** The whole page: agents, resources, jobs and streams, kept live over `/events`. */
export function renderStatusPage(status: ClusterStatusResponse__Output, now = Date.now()): string {
  return livePage('gleam master', '<a href="/">master</a>', renderStatusLive(status, now), '/events');
}
