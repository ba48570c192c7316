// The latest report of each job, for `gleam status` and the status page: every running job
// and the most recent finished ones.
import { isFinishedJobState, type JobReport__Output, type TaskStatus__Output } from '@gleam/proto';

export interface JobEntry {
  report: JobReport__Output;
  /**
   * The master ended the job (cancelled, or its driver lost): later reports from a driver that
   * has not heard yet may update its progress but not bring it back to life.
   */
  endedByMaster: boolean;
}

export function emptyReport(jobId: string): JobReport__Output {
  return { jobId, name: '', state: 'running', tasksTotal: 0, tasksDone: 0, error: '', startedMs: 0, finishedMs: 0, driver: '', plan: '', tasks: [], stages: [] };
}

/** Task attempts kept per job (the newest); stage figures stay whole however many tasks ran. */
const MAX_TASKS_PER_JOB = 5000;

function mergeTasks(prev: TaskStatus__Output[], changed: TaskStatus__Output[]): TaskStatus__Output[] {
  if (!changed.length) return prev;
  const key = (t: TaskStatus__Output) => `${t.name}#${t.attempt}`;
  const byKey = new Map(prev.map((t) => [key(t), t]));
  for (const t of changed) byKey.set(key(t), t);
  const all = [...byKey.values()];
  return all.length > MAX_TASKS_PER_JOB ? all.slice(all.length - MAX_TASKS_PER_JOB) : all;
}

/** A job the master ended: what still ran ended with it (as `cancelled` or `failed`). */
function endRunning(report: JobReport__Output): void {
  const ended = report.state;
  report.tasks = report.tasks.map((t) => (t.state === 'running' ? { ...t, state: ended, millis: t.startedMs ? Math.max(0, Number(report.finishedMs) - Number(t.startedMs)) : t.millis } : t));
  report.stages = report.stages.map((s) => (s.state === 'running' ? { ...s, state: ended, running: 0 } : s));
}

export class JobBook {
  private readonly running = new Map<string, JobEntry>();
  /** Insertion order is finishing order, so the oldest is evicted first. */
  private readonly finished = new Map<string, JobEntry>();

  constructor(private readonly keepFinished = 100) {}

  /**
   * Stores a report as the job's latest; returns the state it replaced ('' for a new job).
   * A report without a plan keeps the previous plan: drivers need not resend it every time.
   */
  report(r: JobReport__Output, now = Date.now()): string {
    const prev = this.get(r.jobId);
    const report: JobReport__Output = { ...emptyReport(r.jobId), ...r, tasks: r.tasks ?? [], stages: r.stages ?? [] };
    if (!report.state) report.state = 'running';
    if (prev) {
      if (!report.plan) report.plan = prev.report.plan;
      if (!report.name) report.name = prev.report.name;
      if (!report.driver) report.driver = prev.report.driver;
      if (!report.startedMs) report.startedMs = prev.report.startedMs;
      // Reports carry the task attempts that changed since the previous one; stages come whole.
      report.tasks = mergeTasks(prev.report.tasks, report.tasks);
      if (!report.stages.length) report.stages = prev.report.stages;
      if (prev.endedByMaster) {
        // The master's word on how the job ended stands, for its stages and tasks too.
        report.state = prev.report.state;
        report.error = prev.report.error;
        report.finishedMs = prev.report.finishedMs;
        endRunning(report);
      }
    }
    if (!report.startedMs) report.startedMs = now;
    if (isFinishedJobState(report.state) && !report.finishedMs) report.finishedMs = now;
    this.put({ report, endedByMaster: prev?.endedByMaster ?? false });
    return prev?.report.state ?? '';
  }

  /** Makes a job known (a slot request, or a lease opened with a master that restarted); true if new. */
  ensure(jobId: string, name: string, driver: string, now = Date.now()): boolean {
    if (this.get(jobId)) return false;
    this.put({ report: { ...emptyReport(jobId), name, driver, startedMs: now }, endedByMaster: false });
    return true;
  }

  /** The master ends a running job (cancel, lost driver); false if it was not running. */
  end(jobId: string, state: 'failed' | 'cancelled', error: string, now = Date.now()): boolean {
    const entry = this.running.get(jobId);
    if (!entry) return false;
    const report = { ...entry.report, state, error, finishedMs: now };
    endRunning(report);
    this.put({ report, endedByMaster: true });
    return true;
  }

  get(jobId: string): JobEntry | undefined {
    return this.running.get(jobId) ?? this.finished.get(jobId);
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Running jobs by start time, then finished jobs newest first. */
  list(): JobEntry[] {
    const running = [...this.running.values()].sort((a, b) => a.report.startedMs - b.report.startedMs);
    return [...running, ...[...this.finished.values()].reverse()];
  }

  private put(entry: JobEntry): void {
    const id = entry.report.jobId;
    this.running.delete(id);
    this.finished.delete(id);
    if (!isFinishedJobState(entry.report.state)) {
      this.running.set(id, entry);
      return;
    }
    this.finished.set(id, entry);
    while (this.finished.size > this.keepFinished) this.finished.delete(this.finished.keys().next().value as string);
  }
}
