// A job's page (`/jobs/ID`): its state, the DAG of its stages (SVG), the stages' figures, every
// task attempt (agent, attempt, rows, bytes, time) and a cancel button while it runs. Everything
// shown comes from drivers and agents, so every value is escaped.
import { isFinishedJobState, type JobStatus__Output, type TaskStatus__Output } from '@gleam/proto';
import { renderDagSvg } from './dagSvg';
import { escapeHtml, livePage, progressBar, table } from './pageShell';
import { formatBytes, formatDuration, formatMillis, formatTime } from './textFormat';

export function jobPath(jobId: string): string {
  return `/jobs/${encodeURIComponent(jobId)}`;
}

function taskMillis(t: TaskStatus__Output, now: number): number {
  return t.state === 'running' && t.startedMs ? now - Number(t.startedMs) : Number(t.millis);
}

/** Task rows shown at most (the master keeps up to 5000 attempts a job): running ones first, then the latest. */
const MAX_TASK_ROWS = 1000;

function tasksTable(all: TaskStatus__Output[], now: number): string {
  if (!all.length) return '<p>No task has started yet.</p>';
  const tasks = all.length <= MAX_TASK_ROWS ? all : [...all.filter((t) => t.state === 'running'), ...all.filter((t) => t.state !== 'running').reverse()].slice(0, MAX_TASK_ROWS);
  const sorted = [...tasks].sort((a, b) => a.stage - b.stage || a.partition - b.partition || a.attempt - b.attempt);
  const note = tasks.length < all.length ? `<p>Showing ${tasks.length} of ${all.length} task attempts: the running ones, then the latest.</p>` : '';
  return table(
    ['task', 'stage', 'partition', 'agent', 'attempt', 'state', 'rows in', 'rows out', 'bytes out', 'time'],
    sorted.map((t) => [
      escapeHtml(t.name),
      escapeHtml(t.stage),
      escapeHtml(t.partition),
      escapeHtml(t.agent),
      escapeHtml(t.attempt),
      `<span class="${escapeHtml(t.state)}"${t.error ? ` title="${escapeHtml(t.error)}"` : ''}>${escapeHtml(t.state)}</span>`,
      escapeHtml(t.rowsIn),
      escapeHtml(t.rowsOut),
      escapeHtml(formatBytes(Number(t.bytesOut))),
      escapeHtml(formatMillis(taskMillis(t, now))),
    ]),
    (i) => `class="task ${escapeHtml(sorted[i].state)}" data-task="${escapeHtml(sorted[i].name)}" data-attempt="${escapeHtml(sorted[i].attempt)}"`,
  ) + note;
}

function stagesTable(job: JobStatus__Output, now: number): string {
  const stages = job.report?.stages ?? [];
  if (!stages.length) return '';
  return table(
    ['stage', 'steps', 'state', 'tasks', 'running', 'rows in', 'rows out', 'bytes out', 'time'],
    stages.map((s) => {
      const end = Number(s.finishedMs) || (s.state === 'running' ? now : 0);
      return [
        escapeHtml(s.index),
        escapeHtml(s.name),
        `<span class="${escapeHtml(s.state)}">${escapeHtml(s.state)}</span>`,
        s.driverSide && !s.tasks ? 'driver' : progressBar(s.done, s.tasks),
        escapeHtml(s.running),
        escapeHtml(s.rowsIn),
        escapeHtml(s.rowsOut),
        escapeHtml(formatBytes(Number(s.bytesOut))),
        escapeHtml(s.startedMs && end ? formatMillis(end - Number(s.startedMs)) : ''),
      ];
    }),
  );
}

/** The part of the job page that live updates replace. */
export function renderJobLive(job: JobStatus__Output, now: number): string {
  const r = job.report!;
  const running = !isFinishedJobState(r.state);
  const slots = job.grants.map((g) => `${g.agent} × ${g.slots}`).join(', ') || 'none';
  const took = r.finishedMs ? r.finishedMs - r.startedMs : now - r.startedMs;
  const cancel = running
    ? `<form class="cancel" method="post" action="${escapeHtml(jobPath(r.jobId))}/cancel"><button type="submit" id="cancel">Cancel job</button></form>`
    : '';
  const parts = [
    `<h1>${escapeHtml(r.name || r.jobId)} <small>${escapeHtml(r.jobId)}</small> <span id="job-state" class="${escapeHtml(r.state)}">${escapeHtml(r.state)}</span> ${cancel}</h1>`,
    `<p>tasks ${progressBar(r.tasksDone, r.tasksTotal)} · started ${escapeHtml(formatTime(r.startedMs))} · ${r.finishedMs ? 'took' : 'running for'} ${escapeHtml(formatDuration(took))} · driver ${escapeHtml(r.driver || '?')} · slots ${escapeHtml(slots)}</p>`,
  ];
  if (r.error) parts.push(`<pre class="error">${escapeHtml(r.error)}</pre>`);
  parts.push('<h2>Stages</h2>', renderDagSvg(r.stages ?? []), stagesTable(job, now));
  parts.push(`<h2>Tasks (${(r.tasks ?? []).length})</h2>`, tasksTable(r.tasks ?? [], now));
  return parts.join('\n');
}

export function renderJobPage(job: JobStatus__Output, now = Date.now()): string {
  const r = job.report!;
  // The plan does not change: outside the live part, so that live updates leave it open or folded.
  const plan = r.plan ? `<details><summary>plan</summary><pre>${escapeHtml(r.plan)}</pre></details>` : '';
  return livePage(`gleam job ${r.name || r.jobId}`, '<a href="/">← master</a>', renderJobLive(job, now), `${jobPath(r.jobId)}/events`, plan);
}
