// A job's progress as a table of stages and task attempts, built from its events. The console
// progress display and the reports to the master's web UI both read it; it holds figures only
// (never rows), and task attempts stay bounded (see MAX_TASKS).
import type { JobEvent } from './jobEvents';

export type StageState = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';
export type TaskState = 'running' | 'done' | 'failed' | 'cancelled';

export interface StageView {
  index: number;
  name: string;
  /** Stages whose output it reads. */
  inputs: number[];
  driverSide: boolean;
  tasks: number;
  done: number;
  running: number;
  failed: number;
  /** Rows read by finished tasks plus what running tasks reported so far. */
  rowsIn: number;
  rowsOut: number;
  bytesOut: number;
  startedMs: number;
  finishedMs: number;
  state: StageState;
}

export interface TaskView {
  /** The task group's name; with `attempt` it names one attempt. */
  name: string;
  stage: number;
  partition: number;
  attempt: number;
  location: string;
  state: TaskState;
  rowsIn: number;
  rowsOut: number;
  bytesOut: number;
  startedMs: number;
  millis: number;
  error: string;
}

/** Task attempts kept per job: a huge job keeps its latest ones (the stage figures stay whole). */
const MAX_TASKS = 5000;

export class JobProgress {
  readonly stages = new Map<number, StageView>();
  readonly tasks = new Map<string, TaskView>();
  jobId = '';
  name = '';
  startedMs = 0;
  finishedMs = 0;
  tasksTotal = 0;
  tasksDone = 0;
  outcome = '';
  error = '';
  /** Bumped on every change: a reader compares it to skip unchanged repaints. */
  version = 0;
  /** Keys of task attempts changed since the last takeChangedTasks(). */
  private changed = new Set<string>();

  /** Applies one job event; returns true when a stage started or finished (a "stage change"). */
  apply(e: JobEvent): boolean {
    this.version++;
    switch (e.type) {
      case 'jobStarted': {
        this.jobId = e.jobId;
        this.name = e.name;
        this.startedMs = e.timeMs;
        this.tasksTotal = e.tasks;
        const graph = new Map((e.graph ?? []).map((n) => [n.stage, n]));
        for (const s of e.stages) {
          const n = graph.get(s.index);
          const standby = n?.standby ?? 0;
          const tasks = n?.tasks ?? 0;
          this.tasksDone += standby;
          this.stages.set(s.index, {
            index: s.index, name: s.name, inputs: n?.inputs ?? [], driverSide: s.driverSide, tasks, done: standby, running: 0, failed: 0,
            rowsIn: 0, rowsOut: 0, bytesOut: 0, startedMs: 0, finishedMs: 0, state: tasks > 0 && standby === tasks ? 'done' : 'waiting',
          });
        }
        return false;
      }
      case 'stageStarted': {
        const st = this.stages.get(e.stage);
        if (st) {
          st.startedMs = e.timeMs;
          st.state = 'running';
        }
        return true;
      }
      case 'taskStarted': {
        const st = this.stages.get(e.stage);
        if (st) st.running++;
        this.setTask({ name: e.task, stage: e.stage, partition: e.partition, attempt: e.attempt, location: e.location, state: 'running', rowsIn: 0, rowsOut: 0, bytesOut: 0, startedMs: e.timeMs, millis: 0, error: '' });
        return false;
      }
      case 'taskProgress': {
        const t = this.tasks.get(taskKey(e.task, e.attempt));
        if (!t || t.state !== 'running') return false;
        const st = this.stages.get(e.stage);
        if (st) st.rowsIn += e.rowsIn - t.rowsIn;
        t.rowsIn = e.rowsIn;
        t.millis = e.timeMs - t.startedMs;
        this.changed.add(taskKey(e.task, e.attempt));
        return false;
      }
      case 'taskFinished': {
        const t = this.ended(e.task, e.attempt, e.stage, 'done', e.timeMs);
        const st = this.stages.get(e.stage);
        if (st) {
          st.done++;
          st.rowsIn += e.stats.rowsIn - (t?.rowsIn ?? 0);
          st.rowsOut += e.stats.rowsOut;
          st.bytesOut += e.stats.bytesOut;
        }
        if (t) {
          t.rowsIn = e.stats.rowsIn;
          t.rowsOut = e.stats.rowsOut;
          t.bytesOut = e.stats.bytesOut;
          t.millis = e.stats.millis;
        }
        this.tasksDone = e.done;
        return false;
      }
      case 'taskFailed': {
        const t = this.ended(e.task, e.attempt, e.stage, 'failed', e.timeMs);
        if (t) t.error = e.error;
        const st = this.stages.get(e.stage);
        if (st) {
          st.failed++;
          st.state = 'failed';
        }
        return false;
      }
      case 'stageFinished': {
        const st = this.stages.get(e.stage);
        if (st) {
          st.finishedMs = e.timeMs;
          st.state = 'done';
          // The stage's own totals (a task that ran twice counts once there).
          st.rowsIn = e.rowsIn;
          st.rowsOut = e.rowsOut;
          st.bytesOut = e.bytesOut;
        }
        return true;
      }
      case 'jobFinished':
        this.tasksTotal = e.tasks;
        this.finish(e.outcome, e.error ?? '', e.timeMs);
        return true;
    }
  }

  /**
   * The job ended: attempts still running did not finish (a cancel, a failure), and after a
   * success the stages run in the driver (sources, sinks: no tasks of their own) are done too.
   */
  finish(outcome: string, error: string, now: number): void {
    if (this.finishedMs) return;
    this.version++;
    this.finishedMs = now;
    this.outcome = outcome;
    this.error = error;
    for (const [k, t] of this.tasks) {
      if (t.state !== 'running') continue;
      t.state = outcome === 'cancelled' ? 'cancelled' : 'failed';
      t.millis = now - t.startedMs;
      this.changed.add(k);
    }
    for (const st of this.stages.values()) {
      st.running = 0;
      if (st.state === 'running' && outcome !== 'succeeded') st.state = outcome === 'cancelled' ? 'cancelled' : 'failed';
      if (st.state === 'waiting' && outcome === 'succeeded') st.state = 'done';
    }
  }

  /** Task attempts changed since the previous call (the batch a report carries). */
  takeChangedTasks(): TaskView[] {
    const out: TaskView[] = [];
    for (const k of this.changed) {
      const t = this.tasks.get(k);
      if (t) out.push(t);
    }
    this.changed = new Set();
    return out;
  }

  private setTask(t: TaskView): void {
    const k = taskKey(t.name, t.attempt);
    this.tasks.delete(k);
    this.tasks.set(k, t);
    this.changed.add(k);
    if (this.tasks.size > MAX_TASKS) this.tasks.delete(this.tasks.keys().next().value as string);
  }

  private ended(name: string, attempt: number, stage: number, state: TaskState, now: number): TaskView | undefined {
    const st = this.stages.get(stage);
    if (st && st.running > 0) st.running--;
    const k = taskKey(name, attempt);
    const t = this.tasks.get(k);
    if (!t) return undefined;
    t.state = state;
    t.millis = now - t.startedMs;
    this.changed.add(k);
    return t;
  }
}

export function taskKey(name: string, attempt: number): string {
  return `${name}#${attempt}`;
}
