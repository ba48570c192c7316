// The HTML status page: agents, resources, streams, running and finished jobs. Everything
// shown comes from agents, drivers and their streams, so every value is escaped.
import { isFinishedJobState, type ClusterStatusResponse__Output, type JobStatus__Output, type TaskStatus__Output } from '@gleam/proto';
import { formatBytes, formatDuration, formatTime } from './textFormat';
import { reportedStreams, STREAM_COLUMNS, streamCells, streamNote, streamTitle } from './streamCells';

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function progress(done: number, total: number): string {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return `<progress max="100" value="${pct}"></progress> ${escapeHtml(`${done}/${total}`)}`;
}

function tasksTable(tasks: TaskStatus__Output[]): string {
  if (!tasks.length) return '';
  return table(
    ['task', 'agent', 'state', 'rows in', 'rows out', 'time'],
    tasks.map((t) => [escapeHtml(t.name), escapeHtml(t.agent), `<span class="${escapeHtml(t.state)}">${escapeHtml(t.state)}</span>`, escapeHtml(t.rowsIn), escapeHtml(t.rowsOut), escapeHtml(`${t.millis} ms`)]),
  );
}

function jobSection(job: JobStatus__Output, now: number): string {
  const r = job.report;
  if (!r) return '';
  const slots = job.grants.map((g) => `${g.agent} × ${g.slots}`).join(', ') || 'none';
  const took = r.finishedMs ? r.finishedMs - r.startedMs : now - r.startedMs;
  const lines = [
    `<h3>${escapeHtml(r.name || r.jobId)} <small>${escapeHtml(r.jobId)}</small> <span class="${escapeHtml(r.state)}">${escapeHtml(r.state)}</span></h3>`,
    `<p>tasks ${progress(r.tasksDone, r.tasksTotal)} · started ${escapeHtml(formatTime(r.startedMs))} · ${r.finishedMs ? 'took' : 'running for'} ${escapeHtml(formatDuration(took))} · driver ${escapeHtml(r.driver || '?')} · slots ${escapeHtml(slots)}</p>`,
  ];
  if (r.error) lines.push(`<pre class="error">${escapeHtml(r.error)}</pre>`);
  if (r.plan) lines.push(`<details open><summary>plan</summary><pre>${escapeHtml(r.plan)}</pre></details>`);
  const tasks = tasksTable(r.tasks ?? []);
  if (tasks) lines.push(`<details><summary>tasks (${r.tasks.length})</summary>${tasks}</details>`);
  return `<section class="job">${lines.join('\n')}</section>`;
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

/** The whole page. Its links never carry the secret: a browser holds a session cookie instead. */
export function renderStatusPage(status: ClusterStatusResponse__Output, now = Date.now()): string {
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
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>gleam master</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}
th{background:#f3f3f3}pre{background:#f7f7f7;padding:.6em;overflow:auto}
.ok,.succeeded,.done{color:#18794e}.failed{color:#c62828}.running{color:#1565c0}.cancelled,.lost{color:#8d6e00}.stopped{color:#555}
section.job{border-top:1px solid #ddd;margin-top:1em}small{color:#777}
</style></head><body>
<h1>gleam master</h1>
<p>started ${escapeHtml(formatTime(status.startedMs))} (up ${escapeHtml(formatDuration(now - status.startedMs))}) · <a href="status.json">status.json</a></p>
<h2>Agents</h2>
${agents}
<h2>Resources</h2>
<p>${escapeHtml(`${alive.length} agent${alive.length === 1 ? '' : 's'} alive, ${status.agents.length - alive.length} dead · executor slots: ${executors} total, ${allocated} allocated, ${sum((a) => a.busy)} busy, ${Math.max(0, executors - allocated)} free · memory ${sum((a) => a.memoryMb)} MB · shards ${sum((a) => a.shards)} (${formatBytes(sum((a) => a.shardMemoryBytes))} in memory, ${formatBytes(sum((a) => a.spilledBytes))} spilled)`)}</p>
<h2>Streams (${reportedStreams(status.streams).length})</h2>
${streamsSection(status, now)}
<h2>Running jobs (${running.length})</h2>
${running.map((j) => jobSection(j, now)).join('\n') || '<p>none</p>'}
<h2>Finished jobs (${finished.length})</h2>
${finished.map((j) => jobSection(j, now)).join('\n') || '<p>none</p>'}
</body></html>
`;
}
