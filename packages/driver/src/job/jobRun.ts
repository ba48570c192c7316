// Runs one physical plan on a cluster: schedules task groups on slots as their inputs' producers
// start, streams driver-side sources in and sinks out, reports events, deletes shards as soon as
// their last reader is done, and stops everything on a failure or a cancel.
//
// Lost work is recovered from lineage (DESIGN.md §7, Spark's model): a task whose executor or
// agent is lost, or whose input was lost, runs again (on a surviving slot); a lost shard that a
// reader still needs is written again by running its producer again — transitively, as far back
// as inputs are gone; readers of a lost shard start over from the new copy (their partial output
// is discarded with them), and a sink starts the partition over, committing each partition once.
// A shard is the output of one attempt of one task: attempts after the first write under their own
// names (`<shard>~a2`), so an attempt never meets the frames, the deletes or the readers of another.
import {
  decodeRows,
  FrameBuilder,
  GleamError,
  isLostInput,
  isLostWork,
  LostWorkError,
  mapTaskShards,
  readShardSets,
  serializeError,
  writtenShards,
  type AccumulatorPartial,
  type ShardSet,
  type TaskGroupSpec,
  type TaskStats,
} from '@gleam/executor';
import type { Cluster, JobOutcome, PartReader } from '../cluster';
import type { DriverSink, DriverSource, PhysicalPlan } from '../physicalPlan';
import { attemptName, planName } from './attemptNames';
import { TaskDependencies } from './dependencies';
import type { JobEvent, JobEventListener } from './jobEvents';
import { JobCancelledError } from './jobErrors';
import { PartitionBuffer } from './partitionBuffer';
import { qualifyShard } from './qualifyShard';
import { ReadyQueue } from './readyQueue';
import { ShardBook } from './shardBook';
import { StageProgress } from './stageProgress';

/** Tasks shorter than this (moving average) are "short": a cluster that queues tasks may get two per slot. */
const SHORT_TASK_MS = 20;
/** How long a sink that lost its data waits for the driver to start recovering it before reading again anyway. */
const RECOVERY_WAIT_MS = 10000;
/** After a failure, how long driver-side sources and sinks (user code) get to notice before the job ends without them. */
const SETTLE_MS = 2000;

const WAITING = 0;
const RUNNING = 1;
const DONE = 2;

export interface JobRunOptions {
  /** Attempts of a task whose work is lost (its executor or agent died) before the job fails; default 4. */
  maxTaskAttempts?: number;
  /**
   * Called once when the job succeeded, with the accumulator partials of the attempt of each task
   * whose output the job used (a task that ran again counts once: its last successful attempt).
   */
  accumulate?: (partials: AccumulatorPartial[]) => void;
}

export class JobRun {
  readonly prefix: string;
  private readonly tasks: TaskGroupSpec[];
  private readonly deps: TaskDependencies;
  private readonly book: ShardBook;
  private readonly ready = new ReadyQueue();
  private readonly state: Uint8Array;
  private readonly queued: Uint8Array;
  /** Failed attempts (lost work) and recomputations (lost output) per task. */
  private readonly attempts: Int32Array;
  private readonly reruns: Int32Array;
  /** Tasks in flight per slot; slots of lost agents take no more. */
  private readonly inFlight: Int32Array;
  private readonly deadSlots = new Set<number>();
  private readonly running = new Map<number, number>(); // task index -> slot
  /** Running tasks the driver stopped because what they read was lost: their failure is expected. */
  private readonly recovering = new Set<number>();
  /** Agents this job gave up, with why. */
  private readonly lostAgents = new Map<string, string>();
  /** Sink partition reads in progress: a lost agent restarts them. */
  /** Sink reads in progress, with the plan's shard lists each reads (a part reader: several partitions'). */
  private readonly sinkReads = new Map<AbortController, readonly (readonly string[])[]>();
  private readonly stages: StageProgress;
  private readonly maxAttempts: number;
  private readonly accumulate: JobRunOptions['accumulate'];
  /** Accumulator partials of each task's accepted attempt, by task index (see accumulate). */
  private readonly partials = new Map<number, AccumulatorPartial[]>();
  /** Moving average of task run times: two tasks per slot are allowed while it is short. */
  private avgTaskMs = Number.POSITIVE_INFINITY;
  private doneCount = 0;
  private finishedRuns = 0;
  private readonly spilled = new Set<string>();
  private failure: Error | undefined;
  private readonly ac = new AbortController();
  private finishTasks!: () => void;
  /** Plan shard name -> run-time name, and lists already qualified (so shared lists stay shared). */
  private readonly qualify: (shard: string) => string;
  private readonly qualifiedLists = new Map<readonly string[], string[]>();
  private readonly sourceShards = new Set<string>();
  /** The attempt of each task's current (or last) run, 0 before its first; names its outputs. */
  private readonly runAttempt: Int32Array;
  /** Set once some task runs a second attempt: from then on names go through actual(). */
  private renamed = false;
  private readonly actualLists = new Map<readonly string[], string[]>();

  constructor(
    private readonly plan: PhysicalPlan,
    private readonly cluster: Cluster,
    readonly jobId: string,
    private readonly onEvent: JobEventListener = () => undefined,
    opts: JobRunOptions = {},
  ) {
    this.prefix = `${jobId}/`;
    this.qualify = (s) => qualifyShard(this.prefix, s);
    this.tasks = plan.taskGroups.map((t) => mapTaskShards(t, this.qualify, this.qualifiedLists));
    this.maxAttempts = Math.max(1, opts.maxTaskAttempts ?? 4);
    this.accumulate = opts.accumulate;
    this.deps = new TaskDependencies(this.tasks);
    this.book = new ShardBook(this.tasks);
    const n = this.tasks.length;
    this.state = new Uint8Array(n);
    this.queued = new Uint8Array(n);
    this.attempts = new Int32Array(n);
    this.reruns = new Int32Array(n);
    this.runAttempt = new Int32Array(n);
    this.inFlight = new Int32Array(cluster.slots);
    // Plan names: driver-side stages name their shards so (the stage graph's edges).
    this.stages = new StageProgress(jobId, plan.stages, plan.taskGroups);
    for (const sink of plan.sinks) for (const part of sink.parts) this.book.addReader(this.qualifySet(part).shards);
    // Standby tasks (the lineage of cached datasets computed earlier) count as done: their cached
    // output exists; they run only if it is lost.
    this.tasks.forEach((t, i) => {
      if (!t.standby) return;
      this.state[i] = DONE;
      this.doneCount++;
      this.runAttempt[i] = 1;
      this.deps.started(i);
    });
    for (const src of plan.sources) for (const s of src.shards) this.sourceShards.add(this.qualify(s));
    cluster.onAgentLost?.((agent, why) => this.agentLost(agent, why));
  }

  /** Stops the job: running tasks are cancelled, its shards deleted; run() rejects with a JobCancelledError. */
  cancel(reason: string): void {
    this.fail(new JobCancelledError(reason));
  }

  /** Run-time names of MEMORY_ONLY cached shards written by this job that spilled (not kept after it). */
  get spilledShards(): ReadonlySet<string> {
    return this.spilled;
  }

  get tasksDone(): number {
    return this.finishedRuns;
  }

  get outcome(): JobOutcome {
    return this.failure === undefined ? 'succeeded' : this.failure instanceof JobCancelledError ? 'cancelled' : 'failed';
  }

  async run(): Promise<void> {
    this.emit({ type: 'jobStarted', jobId: this.jobId, name: this.plan.name, stages: this.plan.stages, tasks: this.tasks.length, timeMs: Date.now(), graph: this.stages.graph() });
    const allTasks = new Promise<void>((resolve) => (this.finishTasks = resolve));
    // Cached partitions dropped after an earlier job (MEMORY_ONLY that did not fit): recomputed first,
    // before sinks start reading under the names of the next attempts.
    for (const s of this.plan.lostShards ?? []) this.shardLost(this.qualify(s), 'a MEMORY_ONLY partition that did not fit in memory was dropped after the job that computed it');
    // Source shards get their place before any consumer starts and asks where they are.
    this.cluster.placeSourceShards?.([...this.sourceShards]);
    const sources = Promise.all(this.plan.sources.map((s) => this.runSource(s).catch((e) => this.fail(e))));
    const sinks = Promise.all(this.plan.sinks.map((s) => this.runSink(s).catch((e) => this.fail(e))));
    for (const i of this.deps.initiallyReady()) this.enqueue(i);
    this.schedule();
    // Nothing to run (no task, or only standby ones): the tasks are done already.
    this.checkAllDone();
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
    if (!this.failure && this.accumulate) {
      try {
        this.accumulate([...this.partials.keys()].sort((a, b) => a - b).flatMap((i) => this.partials.get(i)!));
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

  // ---------------------------------------------------------------- scheduling

  private enqueue(i: number): void {
    if (this.state[i] !== WAITING || this.queued[i] || !this.deps.isReady(i)) return;
    this.queued[i] = 1;
    this.ready.push(i);
  }

  private schedule(): void {
    while (!this.failure && this.ready.size > 0) {
      const free = this.freeSlots();
      if (free.length === 0) {
        if (this.deadSlots.size === this.inFlight.length) {
          const why = [...this.lostAgents].map(([a, reason]) => (reason.includes(a) ? reason : `agent ${a} was lost: ${reason}`)).join('; ');
          this.fail(new GleamError(`job ${this.jobId}: no agent is left to run it — ${why}`));
        }
        return;
      }
      const i = this.ready.pop()!;
      this.queued[i] = 0;
      // Queued entries can go stale: the task ran meanwhile, or one of its producers must run again.
      if (this.state[i] !== WAITING || !this.deps.isReady(i)) continue;
      this.start(i, free);
    }
  }

  /** Slots that may take a task now, least loaded first (highest index first among equals). */
  private freeSlots(): number[] {
    const perSlot = this.avgTaskMs < SHORT_TASK_MS ? (this.cluster.maxTasksPerSlot ?? 1) : 1;
    const out: number[] = [];
    for (let load = 0; load < perSlot && out.length === 0; load++) {
      for (let s = this.inFlight.length - 1; s >= 0; s--) if (this.inFlight[s] === load && !this.deadSlots.has(s)) out.push(s);
    }
    return out;
  }

  private start(i: number, free: number[]): void {
    // A waiting task's outputs are already named for this attempt (see actual()).
    this.runAttempt[i]++;
    this.state[i] = RUNNING;
    const spec = this.specOf(i);
    const pick = this.cluster.pickSlot?.(spec, free);
    const slot = pick !== undefined && free.includes(pick) ? pick : free[free.length - 1];
    this.inFlight[slot]++;
    this.running.set(i, slot);
    for (const s of writtenShards(this.tasks[i])) this.book.rewritten(s);
    const attempt = this.runAttempt[i];
    const location = this.cluster.slotLocation(slot);
    const now = Date.now();
    const stageStarted = this.stages.taskStarted(spec.stepGroup, now);
    if (stageStarted) this.emit(stageStarted);
    this.emit({ type: 'taskStarted', jobId: this.jobId, stage: spec.stepGroup, task: spec.name, partition: spec.partition, location, attempt, timeMs: now });
    const attemptNow = this.runAttempt[i];
    // Readers may go once the task really runs (an agent may have queued it behind others).
    const onStart = () => {
      if (this.state[i] !== RUNNING || this.runAttempt[i] !== attemptNow) return;
      for (const r of this.deps.started(i)) this.enqueue(r);
      this.schedule();
    };
    const onProgress = (rowsIn: number) => {
      if (this.state[i] !== RUNNING || this.runAttempt[i] !== attemptNow) return;
      this.emit({ type: 'taskProgress', jobId: this.jobId, stage: spec.stepGroup, task: spec.name, attempt, rowsIn, timeMs: Date.now() });
    };
    this.cluster.runTask(spec, slot, onStart, onProgress).then(
      (stats) => this.taskSucceeded(i, slot, stats, location, attempt),
      (e) => this.taskFailed(i, slot, e, location, attempt),
    );
  }

  private taskEnded(i: number, slot: number): void {
    this.running.delete(i);
    this.inFlight[slot]--;
  }

  private taskSucceeded(i: number, slot: number, stats: TaskStats, location: string, attempt: number): void {
    this.taskEnded(i, slot);
    const spec = this.tasks[i];
    // It finished before a cancel for recovery arrived: it read whole shards, closed in good order,
    // so its output stands whatever was lost since.
    this.recovering.delete(i);
    for (const r of this.deps.started(i)) this.enqueue(r); // (no-op if its start was reported)
    this.state[i] = DONE;
    this.doneCount++;
    this.finishedRuns++;
    // This attempt's output is the one readers use now: its accumulator additions replace any earlier attempt's.
    if (stats.accumulators?.length) this.partials.set(i, stats.accumulators);
    else this.partials.delete(i);
    for (const sh of stats.spilledShards ?? []) this.spilled.add(sh);
    this.avgTaskMs = this.avgTaskMs === Number.POSITIVE_INFINITY ? stats.millis : 0.9 * this.avgTaskMs + 0.1 * stats.millis;
    const t = Date.now();
    this.emit({ type: 'taskFinished', jobId: this.jobId, stage: spec.stepGroup, task: spec.name, partition: spec.partition, location, attempt, stats, done: this.doneCount, total: this.tasks.length, timeMs: t });
    for (const e of this.stages.taskFinished(spec.stepGroup, stats, t)) this.emit(e);
    for (const use of readShardSets(spec)) this.release(use.shards);
    this.schedule();
    this.checkAllDone();
  }

  private taskFailed(i: number, slot: number, e: unknown, location: string, attempt: number): void {
    this.taskEnded(i, slot);
    const spec = this.tasks[i];
    if (this.failure) return this.checkAllDone();
    const expected = this.recovering.delete(i);
    if (!expected) {
      if (!isLostWork(e)) {
        this.emit({ type: 'taskFailed', jobId: this.jobId, stage: spec.stepGroup, task: spec.name, partition: spec.partition, location, attempt, error: (e as Error)?.message ?? String(e), timeMs: Date.now() });
        this.fail(e);
        return this.checkAllDone();
      }
      // Lost work: the task's own executor or agent failed (counted), or one of its inputs was lost (not counted).
      if (!isLostInput(e) && ++this.attempts[i] >= this.maxAttempts) {
        this.fail(new GleamError(`task group ${spec.name} failed ${this.attempts[i]} times (run option maxTaskAttempts is ${this.maxAttempts}); the last time: ${(e as Error).message}`, (e as GleamError).step));
        return this.checkAllDone();
      }
      this.lostBy(e);
    }
    if (this.failure) return this.checkAllDone();
    this.requeue(i);
    this.schedule();
    this.checkAllDone();
  }

  /** A task whose attempt ended without its output: its partial output goes, and so does everyone who read it. */
  private requeue(i: number): void {
    this.discardOutputs(i);
    this.state[i] = WAITING;
    this.renameOutputs();
    this.deps.unstarted(i);
    this.ensureInputs(i);
    this.enqueue(i);
  }

  private checkAllDone(): void {
    if (this.running.size > 0) return;
    if (this.failure || this.doneCount === this.tasks.length) this.finishTasks();
  }

  private release(list: readonly string[]): void {
    for (const s of this.book.releaseReader(list)) void this.cluster.deleteShard(this.actual(s));
  }

  /**
   * The run-time name of a plan shard: that of its producer's current attempt, or of its next
   * one while the producer waits to run again — readers that start meanwhile wait for the new
   * copy, never for the discarded one. The first attempt keeps the plain name.
   */
  actual(shard: string): string {
    if (!this.renamed) return shard;
    const p = this.book.producerOf(shard);
    if (p === undefined) return shard;
    return attemptName(shard, this.state[p] === WAITING ? this.runAttempt[p] + 1 : this.runAttempt[p]);
  }

  /** A task that ran will run again: names of its outputs move to the next attempt. */
  private renameOutputs(): void {
    this.renamed = true;
    this.actualLists.clear();
    this.recoveryEpoch++;
    this.wakeRecoveryWaiters();
  }

  /** Counts recoveries (a task set to run again): a sink that lost its data waits for the next one. */
  private recoveryEpoch = 0;
  private recoveryWaiters: (() => void)[] = [];

  private wakeRecoveryWaiters(): void {
    const ws = this.recoveryWaiters;
    this.recoveryWaiters = [];
    for (const w of ws) w();
  }

  /** Resolves once a recovery happened after `epoch` (or the job failed), or after `timeoutMs` anyway. */
  private async recoveredSince(epoch: number, timeoutMs: number): Promise<void> {
    if (this.recoveryEpoch > epoch || this.failure) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.recoveryWaiters.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  }

  private actualList(list: readonly string[]): readonly string[] {
    if (!this.renamed) return list;
    let out = this.actualLists.get(list);
    if (!out) this.actualLists.set(list, (out = list.map((s) => this.actual(s))));
    return out;
  }

  /** The spec a task runs with: shard names of the current attempts. */
  private specOf(i: number): TaskGroupSpec {
    return this.renamed ? mapTaskShards(this.tasks[i], (s) => this.actual(s), this.actualLists as Map<readonly string[], string[]>) : this.tasks[i];
  }

  // ---------------------------------------------------------------- recovery

  /**
   * An agent is gone (its calls failed, or the master stopped hearing from it): its slots take no
   * more tasks, its running tasks run again elsewhere, and every shard it held that a reader
   * still needs is written again by its producer, whose readers start over.
   */
  private agentLost(agent: string, why: string): void {
    if (this.failure || this.lostAgents.has(agent)) return;
    this.lostAgents.set(agent, why);
    for (let s = 0; s < this.inFlight.length; s++) if (this.cluster.slotLocation(s) === agent) this.deadSlots.add(s);
    for (const [i, slot] of this.running) if (this.deadSlots.has(slot)) this.recovering.add(i);
    const lost = this.cluster.forgetAgent?.(agent) ?? [];
    for (const s of lost) this.shardLost(planName(s), `agent ${agent} was lost (${why})`);
    // Sinks reading from it start their partition over (it may simply hang, stopped).
    for (const ac of this.sinkReads.keys()) ac.abort(new LostWorkError(`agent ${agent} was lost`, agent));
    this.schedule();
    this.checkAllDone();
  }

  /** What a lost-work error tells: an agent gone, or a shard found missing (recomputed if needed). */
  private lostBy(e: unknown): void {
    const { lostAgent, lostShard } = e as { lostAgent?: string; lostShard?: string };
    if (lostAgent) this.agentLost(lostAgent, (e as Error).message);
    if (lostShard && !this.failure) {
      const shard = planName(lostShard);
      const p = this.book.producerOf(shard);
      // Only the current copy counts: a discarded attempt's shard is missing on purpose.
      if (p === undefined || this.actual(shard) === lostShard) this.shardLost(shard, `shard ${lostShard} was missing`);
    }
  }

  /** A shard is gone: its producer runs again if someone still needs it; its running readers start over. */
  private shardLost(shard: string, why: string): void {
    if (this.failure) return;
    const p = this.book.producerOf(shard);
    const needed = this.book.isNeeded(shard);
    if (p === undefined) {
      if (needed) this.fail(new GleamError(`job ${this.jobId}: ${this.sourceShards.has(shard) ? 'the driver-side source' : 'the cached dataset'} shard ${shard} was lost (${why}) and cannot be computed again in this job`));
      return;
    }
    if (needed && this.state[p] === DONE) this.rerun(p, why);
    for (const r of this.book.readersOf(shard)) this.restartReader(r);
  }

  /** A finished task whose output is needed again runs again, after whatever of its inputs is gone. */
  private rerun(p: number, why: string): void {
    if (this.state[p] !== DONE) return;
    if (++this.reruns[p] > this.maxAttempts) {
      this.fail(new GleamError(`task group ${this.tasks[p].name} lost its output ${this.reruns[p]} times; the last: ${why}`));
      return;
    }
    this.discardOutputs(p);
    this.state[p] = WAITING;
    this.renameOutputs();
    this.doneCount--;
    this.deps.unstarted(p);
    // It reads its inputs again: they must stay (or be made again).
    for (const use of readShardSets(this.tasks[p])) this.book.addReader(use.shards);
    this.ensureInputs(p);
    this.enqueue(p);
  }

  /** The task will read its inputs: producers of inputs deleted (no reader was left) or lost run again. */
  private ensureInputs(i: number): void {
    for (const use of readShardSets(this.tasks[i])) {
      for (const s of use.shards) {
        if (!this.book.wasDeleted(s)) continue;
        const q = this.book.producerOf(s);
        if (q === undefined) {
          this.fail(new GleamError(`job ${this.jobId}: shard ${s} is needed again but no task of this job writes it`));
          return;
        }
        this.rerun(q, `its output ${s} was deleted and is needed again`);
      }
    }
  }

  /**
   * Outputs of an attempt that will not count: deleted where they are (readers of a deleted shard
   * fail and start over) and forgotten; running readers are restarted at once.
   */
  private discardOutputs(i: number): void {
    if (this.runAttempt[i] === 0) return; // never ran: nothing written
    for (const s of writtenShards(this.tasks[i])) {
      const actual = attemptName(s, this.runAttempt[i]);
      void this.cluster.deleteShard(actual);
      this.cluster.forgetShard?.(actual);
      for (const r of this.book.readersOf(s)) this.restartReader(r);
    }
    // A sink reading these shards starts its partition over, under the names of the next attempt;
    // reads of other shards go on.
    const written = new Set(writtenShards(this.tasks[i]));
    for (const [ac, lists] of this.sinkReads) {
      if (lists.some((l) => l.some((s) => written.has(s)))) ac.abort(new LostWorkError(`task group ${this.tasks[i].name} runs again`));
    }
  }

  /** A running reader of something lost stops; it runs again once its inputs are there again. */
  private restartReader(r: number): void {
    if (this.state[r] === DONE) return; // it read everything it needed before the loss
    if (this.state[r] !== RUNNING || this.recovering.has(r)) return;
    this.recovering.add(r);
    const slot = this.running.get(r);
    // Only this task: another one sharing the slot (two in flight) goes on.
    if (slot !== undefined) this.cluster.cancelTask(slot, this.tasks[r].id);
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
    for (const s of this.sourceShards) {
      if (!this.cluster.isShardClosed(s)) void Promise.resolve(this.cluster.closeShard(s, err)).catch(() => undefined);
    }
    for (const slot of new Set(this.running.values())) this.cluster.cancelTask(slot);
    for (const ac of this.sinkReads.keys()) ac.abort(this.failure);
    this.wakeRecoveryWaiters();
    this.checkAllDone();
  }

  // ---------------------------------------------------------------- driver-side sources and sinks

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

  /**
   * Reads a sink's partitions in order. A partition read that loses its data (an agent died, a
   * producer runs again) starts over; what the sink saw of it is taken back first — the sink
   * restarts the partition itself when it can (a file under a temporary name), or the partition
   * is buffered and handed over only once read whole — so every partition is committed once.
   */
  private async runSink(sink: DriverSink): Promise<void> {
    const parts = sink.parts.map((p) => this.qualifySet(p));
    // Names of the current attempts, looked up when a partition's read starts (again).
    const current = (k: number): ShardSet => ({ ...parts[k], shards: this.actualList(parts[k].shards) as string[] });
    let reader: { ac: AbortController; parts: PartReader; offset: number } | undefined;
    const openReader = (from: number) => {
      if (!this.cluster.openParts) return undefined;
      const ac = new AbortController();
      this.sinkReads.set(ac, parts.slice(from).map((p) => p.shards));
      return { ac, parts: this.cluster.openParts(parts.slice(from).map((_, k) => current(from + k)), ac.signal), offset: from };
    };
    const closeReader = () => {
      if (!reader) return;
      reader.parts.close();
      this.sinkReads.delete(reader.ac);
      reader = undefined;
    };
    try {
      reader = openReader(0);
      for (let i = 0; i < parts.length; i++) {
        await sink.beginPartition?.(i);
        // Tries that ended in a loss the driver had not acted on already: a read stopped because
        // some task runs again (a recovery under way, bounded by the reruns' own limit) does not
        // count, or a long recovery after an agent loss could use up the partition's tries.
        let fruitless = 0;
        for (let attempt = 1; ; attempt++) {
          const ac = new AbortController();
          this.sinkReads.set(ac, [parts[i].shards]);
          const buffer = sink.restartPartition ? undefined : new PartitionBuffer();
          const epoch = this.recoveryEpoch;
          try {
            const frames = reader ? reader.parts.part(i - reader.offset) : this.cluster.readShards(current(i), ac.signal);
            for await (const frame of frames) {
              if (ac.signal.aborted || reader?.ac.signal.aborted) throw abortReason(ac, reader?.ac);
              if (buffer) buffer.add(frame);
              else await this.deliver(sink, frame);
            }
            if (ac.signal.aborted || reader?.ac.signal.aborted) throw abortReason(ac, reader?.ac);
            if (buffer) for (const frame of buffer.frames()) await this.deliver(sink, frame);
            break;
          } catch (e) {
            if (this.failure) throw e;
            const err = ac.signal.aborted || reader?.ac.signal.aborted ? abortReason(ac, reader?.ac) : e;
            if (!isLostWork(err)) throw err;
            if (this.recoveryEpoch === epoch && ++fruitless >= this.maxAttempts * 2) {
              throw new GleamError(`step "${sink.step}": partition ${i} could not be read after ${attempt} tries; the last: ${(err as Error).message}`, sink.step);
            }
            this.lostBy(err);
            // Take back what the sink saw of the partition; its lost shards are written again once
            // the driver has set their producers to run again (it may hear of the loss after us).
            await sink.restartPartition?.(i);
            await this.recoveredSince(epoch, RECOVERY_WAIT_MS);
            if (reader) {
              closeReader();
              reader = openReader(i);
            }
          } finally {
            buffer?.dispose();
            this.sinkReads.delete(ac);
          }
        }
        await sink.endPartition?.(i);
        this.release(parts[i].shards);
      }
    } finally {
      closeReader();
    }
  }

  private deliver(sink: DriverSink, frame: Uint8Array): void | Promise<void> {
    return sink.consumeText ? sink.consumeText(frame) : sink.consume(decodeRows(frame));
  }
}

function abortReason(...acs: (AbortController | undefined)[]): unknown {
  for (const ac of acs) if (ac?.signal.aborted) return ac.signal.reason;
  return new LostWorkError('the read was stopped');
}
