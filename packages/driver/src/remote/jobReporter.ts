// A cluster job's reports to the master (ReportJob), for `gleam status` and the web UI: the
// stages with their figures and the task attempts that changed, batched — one report at most
// every REPORT_EVERY_MS while the job runs, one at a time and in order (each carries only what
// changed since the one before, so none may overtake another; a slow master gets fewer).
import type { StageStatus, TaskStatus } from '@gleam/proto';
import type { JobEvent } from '../job/jobEvents';
import { JobProgress } from '../job/jobProgress';

const REPORT_EVERY_MS = 200;

export interface JobReportFields {
  state: string;
  tasksTotal: number;
  tasksDone: number;
  startedMs: number;
  finishedMs?: number;
  error?: string;
  stages: StageStatus[];
  tasks: TaskStatus[];
}

export class JobReporter {
  readonly progress = new JobProgress();
  private timer: NodeJS.Timeout | undefined;
  /** The report on its way; while it is, changes wait (one report at a time, whatever the master's speed). */
  private inFlight: Promise<void> | undefined;
  private pending = false;
  private finished = false;

  constructor(
    private readonly startedMs: number,
    /** Sends one report; never rejects (reports are best effort). */
    private readonly send: (r: JobReportFields) => Promise<void>,
  ) {}

  onEvent(e: JobEvent): void {
    if (this.finished) return;
    this.progress.apply(e);
    // The job's shape is shown at once; figures follow in batches.
    if (e.type === 'jobStarted') this.flush();
    else this.timer ??= setTimeout(() => this.flush(), REPORT_EVERY_MS);
  }

  /** The final report (after the one on its way, if any). */
  async finish(state: string, error?: string): Promise<void> {
    // The driver reports the end before the job's own jobFinished event goes out.
    this.progress.finish(state, error ?? '', Date.now());
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    await this.send(this.fields({ state, finishedMs: Date.now(), error }));
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.finished) return;
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    this.inFlight = this.send(this.fields({ state: 'running' })).finally(() => {
      this.inFlight = undefined;
      if (!this.pending) return;
      this.pending = false;
      this.flush();
    });
  }

  /** A report of the figures now, with the task attempts changed since the previous one. */
  private fields(extra: { state: string; finishedMs?: number; error?: string }): JobReportFields {
    const p = this.progress;
    return {
      ...extra,
      tasksTotal: p.tasksTotal,
      tasksDone: p.tasksDone,
      startedMs: this.startedMs,
      stages: [...p.stages.values()].map((s) => ({
        index: s.index, name: s.name, inputs: s.inputs, tasks: s.tasks, done: s.done, running: s.running, rowsIn: s.rowsIn, rowsOut: s.rowsOut,
        bytesOut: s.bytesOut, startedMs: s.startedMs, finishedMs: s.finishedMs, driverSide: s.driverSide, state: s.state,
      })),
      tasks: p.takeChangedTasks().map((t) => ({
        name: t.name, agent: t.location, state: t.state, rowsIn: t.rowsIn, rowsOut: t.rowsOut, millis: t.millis, stage: t.stage,
        attempt: t.attempt, bytesOut: t.bytesOut, partition: t.partition, startedMs: t.startedMs, error: t.error,
      })),
    };
  }
}
