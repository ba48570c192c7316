// Runs one physical plan on a cluster: schedules task groups on slots as their inputs' producers
// start, streams driver-side sources in and sinks out, reports events, deletes shards as soon as
// their last reader is done, and stops everything on a failure or a cancel.
import { decodeRows, FrameBuilder, GleamError, isFlowShard, mapTaskShards, readShardSets, serializeError, writtenShards, type ShardSet, type TaskGroupSpec } from '@gleam/executor';
import type { Cluster, JobOutcome } from '../cluster';
import type { DriverSink, DriverSource, PhysicalPlan, StageInfo } from '../physicalPlan';
import { TaskDependencies } from './dependencies';
import type { JobEvent, JobEventListener } from './jobEvents';
import { JobCancelledError } from './jobErrors';
import { ReadyQueue } from './readyQueue';
import { qualifyShard } from './qualifyShard';

/** Tasks shorter than this (moving average) are "short": a cluster that queues tasks may get two per slot. */
const SHORT_TASK_MS = 20;
/** After a failure, how long driver-side sources and sinks (user code) get to notice before the job ends without them. */
const SETTLE_MS = 2000;

interface StageProgress {
  info: StageInfo;
  tasks: number;
  started: number;
  finished: number;
  rowsIn: number;
  rowsOut: number;
  bytesOut: number;
  firstStartMs: number;
}

export class JobRun {
  readonly prefix: string;
  private readonly tasks: TaskGroupSpec[];
  private readonly deps: TaskDependencies;
  private readonly ready = new ReadyQueue();
  /** Tasks in flight per slot. */
  private readonly inFlight: Int32Array;
  private readonly running = new Map<number, number>(); // task index -> slot
  /** Moving average of task run times: two tasks per slot are allowed while it is short. */
  private avgTaskMs = Number.POSITIVE_INFINITY;
  private readonly stages = new Map<number, StageProgress>();
  /** Readers still to finish per shard list (shared arrays), and lists holding each shard. */
  private readonly readersLeft = new Map<readonly string[], number>();
  private readonly listsHolding = new Map<string, number>();
  private startedCount = 0;
  private done = 0;
  private failure: Error | undefined;
  private readonly ac = new AbortController();
  private finishTasks!: () => void;

  /** Plan shard name -> run-time name, and lists already qualified (so shared lists stay shared). */
  private readonly qualify: (shard: string) => string;
  private readonly qualifiedLists = new Map<readonly string[], string[]>();

  constructor(
    private readonly plan: PhysicalPlan,
    private readonly cluster: Cluster,
    readonly jobId: string,
    private readonly onEvent: JobEventListener = () => undefined,
  ) {
    this.prefix = `${jobId}/`;
    this.qualify = (s) => qualifyShard(this.prefix, s);
    this.tasks = plan.taskGroups.map((t) => mapTaskShards(t, this.qualify, this.qualifiedLists));
    this.deps = new TaskDependencies(this.tasks);
    this.inFlight = new Int32Array(cluster.slots);
    for (const s of plan.stages) this.stages.set(s.index, { info: s, tasks: 0, started: 0, finished: 0, rowsIn: 0, rowsOut: 0, bytesOut: 0, firstStartMs: 0 });
    for (const t of this.tasks) {
      const st = this.stages.get(t.stepGroup);
      if (st) st.tasks++;
      for (const use of readShardSets(t)) this.addReader(use.shards);
    }
    for (const sink of plan.sinks) for (const part of sink.parts) this.addReader(this.qualifySet(part).shards);
  }

  /** Stops the job: running tasks are cancelled, its shards deleted; run() rejects with a JobCancelledError. */
  cancel(reason: string): void {
    this.fail(new JobCancelledError(reason));
  }

  get tasksDone(): number {
    return this.done;
  }

  get outcome(): JobOutcome {
    return this.failure === undefined ? 'succeeded' : this.failure instanceof JobCancelledError ? 'cancelled' : 'failed';
  }

  async run(): Promise<void> {
    this.emit({ type: 'jobStarted', jobId: this.jobId, name: this.plan.name, stages: this.plan.stages, tasks: this.tasks.length, timeMs: Date.now() });
    const allTasks = new Promise<void>((resolve) => (this.finishTasks = resolve));
    // Source shards get their place before any consumer starts and asks where they are.
    this.cluster.placeSourceShards?.(this.plan.sources.flatMap((s) => s.shards.map(this.qualify)));
    const sources = Promise.all(this.plan.sources.map((s) => this.runSource(s).catch((e) => this.fail(e))));
    const sinks = Promise.all(this.plan.sinks.map((s) => this.runSink(s).catch((e) => this.fail(e))));
    for (const i of this.deps.initiallyReady()) this.ready.push(i);
    if (this.tasks.length === 0) this.finishTasks();
    else this.schedule();
    await allTasks;
    await this.settle(sources);
    await this.settle(sinks);
    if (!this.failure) {
      try {
        for (const s of this.plan.sinks) await s.finish?.();
      } catch (e) {
        this.fail(e);
      }
    }
    if (this.failure) {
      await Promise.all(this.plan.sinks.map((s) => Promise.resolve().then(() => s.abort?.(this.failure!)).catch(() => undefined)));
      throw this.failure;
    }
  }

  /** Waits for driver-side work; after a failure, only for a while (user code may never return). */
  private async settle(p: Promise<unknown>): Promise<void> {
    if (!this.failure) await p;
    if (!this.failure) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, SETTLE_MS)))]);
    clearTimeout(timer);
  }

  private emit(e: JobEvent): void {
    try {
      this.onEvent(e);
    } catch {
      // a listener's bug must not break the job
    }
  }

  private schedule(): void {
    while (!this.failure && this.ready.size > 0) {
      const free = this.freeSlots();
      if (free.length === 0) return;
      this.start(this.ready.pop()!, free);
    }
  }

  /** Slots that may take a task now, least loaded first (highest index first among equals). */
  private freeSlots(): number[] {
    const perSlot = this.avgTaskMs < SHORT_TASK_MS ? (this.cluster.maxTasksPerSlot ?? 1) : 1;
    const out: number[] = [];
    for (let load = 0; load < perSlot && out.length === 0; load++) {
      for (let s = this.inFlight.length - 1; s >= 0; s--) if (this.inFlight[s] === load) out.push(s);
    }
    return out;
  }

  private start(i: number, free: number[]): void {
    const spec = this.tasks[i];
    const slot = this.takeSlot(spec, free);
    this.inFlight[slot]++;
    this.running.set(i, slot);
    this.startedCount++;
    for (const r of this.deps.started(i)) this.ready.push(r);
    const location = this.cluster.slotLocation(slot);
    const stage = this.stages.get(spec.stepGroup);
    const now = Date.now();
    if (stage && stage.started++ === 0) {
      stage.firstStartMs = now;
      this.emit({ type: 'stageStarted', jobId: this.jobId, stage: stage.info.index, name: stage.info.name, tasks: stage.tasks, timeMs: now });
    }
    this.emit({ type: 'taskStarted', jobId: this.jobId, stage: spec.stepGroup, task: spec.name, partition: spec.partition, location, attempt: 1, timeMs: now });
    this.cluster.runTask(spec, slot).then(
      (stats) => {
        this.taskEnded(i, slot);
        this.done++;
        this.avgTaskMs = this.avgTaskMs === Number.POSITIVE_INFINITY ? stats.millis : 0.9 * this.avgTaskMs + 0.1 * stats.millis;
        const t = Date.now();
        this.emit({ type: 'taskFinished', jobId: this.jobId, stage: spec.stepGroup, task: spec.name, partition: spec.partition, location, attempt: 1, stats, done: this.done, total: this.tasks.length, timeMs: t });
        if (stage) {
          stage.finished++;
          stage.rowsIn += stats.rowsIn;
          stage.rowsOut += stats.rowsOut;
          stage.bytesOut += stats.bytesOut;
          if (stage.finished === stage.tasks) {
            this.emit({ type: 'stageFinished', jobId: this.jobId, stage: stage.info.index, name: stage.info.name, tasks: stage.tasks, rowsIn: stage.rowsIn, rowsOut: stage.rowsOut, bytesOut: stage.bytesOut, millis: t - stage.firstStartMs, timeMs: t });
          }
        }
        for (const use of readShardSets(spec)) this.releaseReader(use.shards);
        this.schedule();
        this.checkAllDone();
      },
      (e) => {
        this.taskEnded(i, slot);
        if (!this.failure) {
          this.emit({ type: 'taskFailed', jobId: this.jobId, stage: spec.stepGroup, task: spec.name, partition: spec.partition, location, attempt: 1, error: (e as Error)?.message ?? String(e), timeMs: Date.now() });
        }
        this.fail(e);
        this.checkAllDone();
      },
    );
  }

  private takeSlot(spec: TaskGroupSpec, free: number[]): number {
    const pick = this.cluster.pickSlot?.(spec, free);
    return pick !== undefined && free.includes(pick) ? pick : free[free.length - 1];
  }

  private taskEnded(i: number, slot: number): void {
    this.running.delete(i);
    this.inFlight[slot]--;
  }

  private checkAllDone(): void {
    if (this.running.size > 0) return;
    if (this.failure || this.startedCount === this.tasks.length) this.finishTasks();
  }

  private addReader(list: readonly string[]): void {
    const n = this.readersLeft.get(list);
    if (n === undefined) for (const s of list) this.listsHolding.set(s, (this.listsHolding.get(s) ?? 0) + 1);
    this.readersLeft.set(list, (n ?? 0) + 1);
  }

  // Shards whose every reader has finished are dropped at once to free memory.
  private releaseReader(list: readonly string[]): void {
    const left = (this.readersLeft.get(list) ?? 1) - 1;
    this.readersLeft.set(list, left);
    if (left > 0) return;
    for (const s of list) {
      const holding = (this.listsHolding.get(s) ?? 1) - 1;
      this.listsHolding.set(s, holding);
      if (holding === 0 && !isFlowShard(s)) void this.cluster.deleteShard(s);
    }
  }

  private fail(e: unknown): void {
    if (this.failure) return;
    this.failure = e instanceof Error ? e : new GleamError(String(e));
    this.ac.abort();
    this.cluster.jobFailed?.(this.failure);
    // Wake every reader still waiting: unfinished shards end with the job's error.
    const err = serializeError(this.failure);
    for (const t of this.tasks) for (const s of writtenShards(t)) {
      if (!this.cluster.isShardClosed(s)) void Promise.resolve(this.cluster.closeShard(s, err)).catch(() => undefined);
    }
    for (const src of this.plan.sources) for (const rel of src.shards) {
      const s = this.qualify(rel);
      if (!this.cluster.isShardClosed(s)) void Promise.resolve(this.cluster.closeShard(s, err)).catch(() => undefined);
    }
    for (const slot of new Set(this.running.values())) this.cluster.cancelTask(slot);
    this.checkAllDone();
  }

  private qualifySet(set: ShardSet): ShardSet {
    return { ...set, shards: this.qualifiedList(set.shards) };
  }

  private qualifiedList(list: readonly string[]): string[] {
    let q = this.qualifiedLists.get(list);
    if (!q) this.qualifiedLists.set(list, (q = list.map(this.qualify)));
    return q;
  }

  private async runSource(src: DriverSource): Promise<void> {
    await Promise.all(
      src.shards.map(async (rel, p) => {
        const shard = this.qualify(rel);
        let pending: Promise<void> | undefined;
        const fb = new FrameBuilder((frame) => {
          pending = this.cluster.appendShard(shard, frame) ?? undefined;
        });
        try {
          for await (const batch of src.produce(p)) {
            if (this.failure) return;
            fb.addAll(batch);
            if (pending) await pending;
          }
          fb.flush();
          if (pending) await pending;
          await this.cluster.closeShard(shard);
        } catch (e) {
          if (this.failure) return;
          const err = e instanceof GleamError ? e : new GleamError(`step "${src.step}": the source failed: ${(e as Error)?.message ?? e}`, src.step);
          if (e instanceof Error && !(e instanceof GleamError)) err.stack = e.stack;
          throw err;
        }
      }),
    );
  }

  private async runSink(sink: DriverSink): Promise<void> {
    const parts = sink.parts.map((p) => this.qualifySet(p));
    const reader = this.cluster.openParts?.(parts, this.ac.signal);
    try {
      for (let i = 0; i < parts.length; i++) {
        await sink.beginPartition?.(i);
        for await (const frame of reader ? reader.part(i) : this.cluster.readShards(parts[i], this.ac.signal)) {
          const p = sink.consumeText ? sink.consumeText(frame) : sink.consume(decodeRows(frame));
          if (p) await p;
        }
        await sink.endPartition?.(i);
        this.releaseReader(parts[i].shards);
      }
    } finally {
      reader?.close();
    }
  }
}
