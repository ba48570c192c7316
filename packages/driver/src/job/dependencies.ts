// Which task may start when: a task gets a slot once every producer of what it reads has
// started (producers never block: the shard store buffers and spills). Dependencies are kept per
// shard list, not per shard: all 2001 targets of a 1000-map shuffle share one list of 1000
// shards, so the bookkeeping is 1000 + 2001 entries, not 2 million. A producer that must run
// again (its attempt failed, or its output was lost) is "unstarted": its readers wait again.
import { readShardSets, writtenShards, type TaskGroupSpec } from '@gleam/executor';

interface DepGroup {
  unstarted: number;
  waiters: number[];
}

export class TaskDependencies {
  private readonly pending: Int32Array;
  private readonly isStarted: Uint8Array;
  /** For each task, the groups it is a producer in. */
  private readonly memberOf: DepGroup[][];

  constructor(tasks: readonly TaskGroupSpec[]) {
    const producerOf = new Map<string, number>();
    tasks.forEach((t, i) => {
      for (const s of writtenShards(t)) producerOf.set(s, i);
    });
    this.pending = new Int32Array(tasks.length);
    this.isStarted = new Uint8Array(tasks.length);
    this.memberOf = tasks.map(() => []);
    const groups = new Map<readonly string[], DepGroup | null>();
    tasks.forEach((t, i) => {
      for (const use of readShardSets(t)) {
        let g = groups.get(use.shards);
        if (g === undefined) {
          const producers = new Set<number>();
          for (const s of use.shards) {
            const p = producerOf.get(s);
            if (p !== undefined) producers.add(p);
          }
          g = producers.size === 0 ? null : { unstarted: producers.size, waiters: [] };
          if (g) for (const p of producers) this.memberOf[p].push(g);
          groups.set(use.shards, g);
        }
        if (g === null) continue;
        g.waiters.push(i);
        this.pending[i]++;
      }
    });
  }

  isReady(i: number): boolean {
    return this.pending[i] === 0;
  }

  /** Tasks ready before anything started, in plan order. */
  initiallyReady(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.pending.length; i++) if (this.pending[i] === 0) out.push(i);
    return out;
  }

  /** Task i started: returns the tasks that became ready. */
  started(i: number): number[] {
    const ready: number[] = [];
    if (this.isStarted[i]) return ready;
    this.isStarted[i] = 1;
    for (const g of this.memberOf[i]) {
      if (--g.unstarted !== 0) continue;
      for (const w of g.waiters) if (--this.pending[w] === 0) ready.push(w);
    }
    return ready;
  }

  /** Task i will run again: its readers that have not started wait for it again. */
  unstarted(i: number): void {
    if (!this.isStarted[i]) return;
    this.isStarted[i] = 0;
    for (const g of this.memberOf[i]) {
      if (g.unstarted++ !== 0) continue;
      for (const w of g.waiters) this.pending[w]++;
    }
  }
}

/**
 * For each stage (step group), the stages whose shards it reads. A reader may finish before the
 * completion of its producers is reported (they close their outputs, then answer), so a stage's
 * `stageFinished` waits for those of the stages it reads.
 */
export function stageInputs(tasks: readonly TaskGroupSpec[]): Map<number, Set<number>> {
  const producerStage = new Map<string, number>();
  for (const t of tasks) for (const s of writtenShards(t)) producerStage.set(s, t.stepGroup);
  const inputs = new Map<number, Set<number>>();
  const seen = new Map<number, Set<readonly string[]>>();
  for (const t of tasks) {
    let set = inputs.get(t.stepGroup);
    if (!set) inputs.set(t.stepGroup, (set = new Set()));
    let lists = seen.get(t.stepGroup);
    if (!lists) seen.set(t.stepGroup, (lists = new Set()));
    for (const use of readShardSets(t)) {
      if (lists.has(use.shards)) continue; // a shuffle's targets share one list
      lists.add(use.shards);
      for (const s of use.shards) {
        const p = producerStage.get(s);
        if (p !== undefined && p !== t.stepGroup) set.add(p);
      }
    }
  }
  return inputs;
}
