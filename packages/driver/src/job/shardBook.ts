// The job's book of shards: which task writes each, which task and sink read each shard list,
// how many readers a list still has, and what was deleted because nobody needs it any more.
// Lineage recovery asks it what a lost shard costs: who must run again, and who was reading it.
import { isFlowShard, readShardSets, writtenShards, type TaskGroupSpec } from '@gleam/executor';

export class ShardBook {
  private readonly producer = new Map<string, number>();
  /** Readers still to finish per shard list (shared arrays: one entry for 2001 readers of a shuffle). */
  private readonly readersLeft = new Map<readonly string[], number>();
  /** The lists each shard is in (a shard goes when every list holding it is done). */
  private readonly listsOf = new Map<string, (readonly string[])[]>();
  /** Tasks reading each list. */
  private readonly readersOfList = new Map<readonly string[], number[]>();
  private readonly deleted = new Set<string>();

  constructor(tasks: readonly TaskGroupSpec[]) {
    tasks.forEach((t, i) => {
      for (const s of writtenShards(t)) {
        this.producer.set(s, i);
        // A standby task's outputs were never written in this job, except the cached shards it stands in for.
        if (t.standby && !isFlowShard(s)) this.deleted.add(s);
      }
      for (const use of readShardSets(t)) {
        // A standby task reads nothing unless it runs (then it becomes a reader: see JobRun.rerun).
        if (!t.standby) this.addReader(use.shards);
        else this.noteList(use.shards);
        let readers = this.readersOfList.get(use.shards);
        if (!readers) this.readersOfList.set(use.shards, (readers = []));
        readers.push(i);
      }
    });
  }

  /** The task writing a shard (undefined: a driver source's shard, or a cached dataset's from an earlier job). */
  producerOf(shard: string): number | undefined {
    return this.producer.get(shard);
  }

  /** One more reader of a list (a task or sink partition that will read it, again perhaps). */
  addReader(list: readonly string[]): void {
    this.noteList(list);
    this.readersLeft.set(list, (this.readersLeft.get(list) ?? 0) + 1);
  }

  /** Records which shards a list holds (once per list). */
  private noteList(list: readonly string[]): void {
    if (this.readersLeft.has(list)) return;
    this.readersLeft.set(list, 0);
    for (const s of list) {
      const lists = this.listsOf.get(s);
      if (lists) lists.push(list);
      else this.listsOf.set(s, [list]);
    }
  }

  /** A reader of `list` is done; returns the shards no list needs any more (to delete now). */
  releaseReader(list: readonly string[]): string[] {
    const left = (this.readersLeft.get(list) ?? 1) - 1;
    this.readersLeft.set(list, left);
    if (left > 0) return [];
    const gone: string[] = [];
    for (const s of list) {
      if (this.deleted.has(s) || isFlowShard(s)) continue; // a cached dataset outlives the job
      if (this.isNeeded(s)) continue;
      this.deleted.add(s);
      gone.push(s);
    }
    return gone;
  }

  /** Whether some reader still needs the shard. */
  isNeeded(shard: string): boolean {
    for (const l of this.listsOf.get(shard) ?? []) if ((this.readersLeft.get(l) ?? 0) > 0) return true;
    return false;
  }

  wasDeleted(shard: string): boolean {
    return this.deleted.has(shard);
  }

  /** The shard will be written again (its producer runs again). */
  rewritten(shard: string): void {
    this.deleted.delete(shard);
  }

  /** Tasks that read a list holding the shard. */
  readersOf(shard: string): number[] {
    const out: number[] = [];
    for (const l of this.listsOf.get(shard) ?? []) for (const t of this.readersOfList.get(l) ?? []) out.push(t);
    return out;
  }
}
