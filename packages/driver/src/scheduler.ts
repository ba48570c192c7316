// Runs a physical plan on a cluster. A task group gets a slot only once every producer of its
// inputs has started; producers never block (the shard store buffers and spills), so a flow
// finishes with any number of slots, pipelining when slots allow it.
import { decodeRows, FrameBuilder, GleamError, inputShards, isFlowShard, outputShards, serializeError, sideOutputShards, type TaskGroupSpec, type TaskStats } from '@gleam/executor';
import type { Cluster } from './cluster';
import type { DriverSink, DriverSource, PhysicalPlan } from './physicalPlan';
import { qualifyShard, qualifyTaskGroup } from './qualifyShards';

export interface RunProgress {
  taskDone?(spec: TaskGroupSpec, stats: TaskStats, done: number, total: number): void;
}

let jobCounter = 0;

export function newJobId(): string {
  return `j${process.pid.toString(36)}${Date.now().toString(36)}${(jobCounter++).toString(36)}`;
}

export async function runPlan(plan: PhysicalPlan, cluster: Cluster, progress: RunProgress = {}, jobId = newJobId()): Promise<void> {
  const prefix = `${jobId}/`;
  const job = new JobRun(plan, cluster, prefix, progress);
  try {
    await job.run();
  } finally {
    await cluster.deleteShards(prefix);
  }
}

class JobRun {
  private readonly tasks: TaskGroupSpec[];
  /** For each task, the tasks writing its inputs (derived once: schedule() runs per task end). */
  private readonly producers: number[][];
  private readonly readersLeft = new Map<string, number>();
  private readonly started: boolean[];
  private readonly freeSlots: number[];
  private readonly running = new Map<number, number>(); // task index -> slot
  private failure: Error | undefined;
  private readonly ac = new AbortController();
  private done = 0;
  private finish!: () => void;

  constructor(private readonly plan: PhysicalPlan, private readonly cluster: Cluster, private readonly prefix: string, private readonly progress: RunProgress) {
    this.tasks = plan.taskGroups.map((t) => qualifyTaskGroup(t, prefix));
    this.started = this.tasks.map(() => false);
    this.freeSlots = Array.from({ length: cluster.slots }, (_, i) => cluster.slots - 1 - i);
    const producerOf = new Map<string, number>();
    this.tasks.forEach((t, i) => {
      for (const s of [...outputShards(t.output), ...sideOutputShards(t)]) producerOf.set(s, i);
      for (const s of inputShards(t)) this.readersLeft.set(s, (this.readersLeft.get(s) ?? 0) + 1);
    });
    this.producers = this.tasks.map((t) => [...new Set(inputShards(t).map((s) => producerOf.get(s)).filter((p): p is number => p !== undefined))]);
    for (const sink of plan.sinks) {
      for (const rel of sink.shards) {
        const s = qualifyShard(prefix, rel);
        this.readersLeft.set(s, (this.readersLeft.get(s) ?? 0) + 1);
      }
    }
  }

  async run(): Promise<void> {
    const allTasks = new Promise<void>((resolve) => (this.finish = resolve));
    // Source shards get their place before any consumer starts and asks where they are.
    this.cluster.placeSourceShards?.(this.plan.sources.flatMap((s) => s.shards.map((r) => qualifyShard(this.prefix, r))));
    const sources = this.plan.sources.map((s) => this.runSource(s).catch((e) => this.fail(e)));
    const sinks = this.plan.sinks.map((s) => this.runSink(s).catch((e) => this.fail(e)));
    if (this.tasks.length === 0) this.finish();
    else this.schedule();
    await allTasks;
    await Promise.all(sources);
    await Promise.all(sinks);
    if (this.failure) {
      // Sinks drop their partial output; an abort's own failure must not hide the job's error.
      await Promise.all(this.plan.sinks.map(async (s) => s.abort?.(this.failure!))).catch(() => {});
      throw this.failure;
    }
    for (const s of this.plan.sinks) await s.finish?.();
  }

  private ready(i: number): boolean {
    for (const p of this.producers[i]) if (!this.started[p]) return false;
    return true;
  }

  private schedule(): void {
    if (this.failure) return;
    for (let i = 0; i < this.tasks.length && this.freeSlots.length > 0; i++) {
      if (this.started[i] || !this.ready(i)) continue;
      const slot = this.takeSlot(this.tasks[i]);
      this.started[i] = true;
      this.running.set(i, slot);
      const spec = this.tasks[i];
      this.cluster.runTask(spec, slot).then(
        (stats) => {
          this.taskEnded(i, slot);
          this.done++;
          this.progress.taskDone?.(spec, stats, this.done, this.tasks.length);
          this.releaseInputs(spec);
          this.schedule();
        },
        (e) => {
          this.taskEnded(i, slot);
          this.fail(e);
        },
      );
    }
  }

  private takeSlot(spec: TaskGroupSpec): number {
    const pick = this.cluster.pickSlot?.(spec, this.freeSlots);
    const at = pick === undefined ? this.freeSlots.length - 1 : this.freeSlots.indexOf(pick);
    return this.freeSlots.splice(at < 0 ? this.freeSlots.length - 1 : at, 1)[0];
  }

  private taskEnded(i: number, slot: number): void {
    this.running.delete(i);
    this.freeSlots.push(slot);
    const allStarted = this.started.every(Boolean);
    if ((allStarted || this.failure) && this.running.size === 0) this.finish();
  }

  // Shards whose every reader has finished are dropped at once to free memory.
  private releaseInputs(spec: TaskGroupSpec): void {
    for (const s of inputShards(spec)) this.release(s);
  }

  private release(shard: string): void {
    if (isFlowShard(shard)) return; // a cached dataset outlives the job
    const left = (this.readersLeft.get(shard) ?? 1) - 1;
    this.readersLeft.set(shard, left);
    if (left === 0) void this.cluster.deleteShard(shard);
  }

  private fail(e: unknown): void {
    if (this.failure) return;
    this.failure = e instanceof Error ? e : new GleamError(String(e));
    this.ac.abort();
    this.cluster.jobFailed?.(this.failure);
    // Wake every reader still waiting: unfinished shards end with the job's error.
    const err = serializeError(this.failure);
    for (const t of this.tasks) for (const s of [...outputShards(t.output), ...sideOutputShards(t)]) {
      if (!this.cluster.isShardClosed(s)) void this.cluster.closeShard(s, err);
    }
    for (const src of this.plan.sources) for (const s of src.shards) {
      const q = qualifyShard(this.prefix, s);
      if (!this.cluster.isShardClosed(q)) void this.cluster.closeShard(q, err);
    }
    for (const slot of this.running.values()) this.cluster.cancelTask(slot);
    if (this.running.size === 0) this.finish();
  }

  private async runSource(src: DriverSource): Promise<void> {
    await Promise.all(
      src.shards.map(async (rel, p) => {
        const shard = qualifyShard(this.prefix, rel);
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
          const err = e instanceof GleamError ? e : new GleamError(`step "${src.step}": the source failed: ${(e as Error)?.message ?? e}`, src.step);
          if (e instanceof Error && !(e instanceof GleamError)) err.stack = e.stack;
          throw err;
        }
      }),
    );
  }

  private async runSink(sink: DriverSink): Promise<void> {
    for (let i = 0; i < sink.shards.length; i++) {
      const shard = qualifyShard(this.prefix, sink.shards[i]);
      await sink.beginPartition?.(i);
      for await (const frame of this.cluster.readShard(shard, this.ac.signal)) {
        const p = sink.consumeText ? sink.consumeText(frame) : sink.consume(decodeRows(frame));
        if (p) await p;
      }
      await sink.endPartition?.(i);
      this.release(shard);
    }
  }
}

