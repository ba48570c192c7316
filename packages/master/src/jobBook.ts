// The latest report of each job, for `gleam status` and the status page: every running job
// and the most recent finished ones.
import type { JobReport__Output } from '@gleam/proto';

export const FINISHED_STATES = new Set(['succeeded', 'failed']);

export interface JobEntry {
  report: JobReport__Output;
  /** Last ReportJob or AllocateSlots from the job's driver (the lease clock). */
  lastSeenMs: number;
}

export function emptyReport(jobId: string): JobReport__Output {
  return { jobId, name: '', state: 'running', tasksTotal: 0, tasksDone: 0, error: '', startedMs: 0, finishedMs: 0, driver: '', plan: '', tasks: [] };
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
    const report: JobReport__Output = { ...emptyReport(r.jobId), ...r, tasks: r.tasks ?? [] };
    if (!report.state) report.state = 'running';
    if (prev) {
      if (!report.plan) report.plan = prev.report.plan;
      if (!report.name) report.name = prev.report.name;
      if (!report.driver) report.driver = prev.report.driver;
      if (!report.startedMs) report.startedMs = prev.report.startedMs;
    }
    if (!report.startedMs) report.startedMs = now;
    if (FINISHED_STATES.has(report.state) && !report.finishedMs) report.finishedMs = now;
    this.put({ report, lastSeenMs: now });
    return prev?.report.state ?? '';
  }

  /** An AllocateSlots call: renews the job's lease, and makes an unreported job visible. */
  touch(jobId: string, name: string, driver: string, now = Date.now()): boolean {
    const entry = this.get(jobId);
    if (entry) {
      entry.lastSeenMs = now;
      return false;
    }
    this.put({ report: { ...emptyReport(jobId), name, driver, startedMs: now }, lastSeenMs: now });
    return true;
  }

  get(jobId: string): JobEntry | undefined {
    return this.running.get(jobId) ?? this.finished.get(jobId);
  }

  /** Running jobs whose driver has been silent for longer than the lease. */
  silentRunning(now: number, leaseMs: number): JobEntry[] {
    return [...this.running.values()].filter((e) => now - e.lastSeenMs > leaseMs);
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
    if (!FINISHED_STATES.has(entry.report.state)) {
      this.running.set(id, entry);
      return;
    }
    this.finished.set(id, entry);
    while (this.finished.size > this.keepFinished) this.finished.delete(this.finished.keys().next().value as string);
  }
}
