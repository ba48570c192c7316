// Per-stage progress of a job, turned into stageStarted / stageFinished events. A reader stage
// can finish before its producers' completion is reported (they close their outputs, then
// answer), so a stage's stageFinished waits for those of the stages it reads.
import { readShardSets, writtenShards, type TaskGroupSpec, type TaskStats } from '@gleam/executor';
import type { StageInfo } from '../physicalPlan';
import { stageInputs } from './dependencies';
import type { JobEvent, StageNode } from './jobEvents';

interface Stage {
  info: StageInfo;
  tasks: number;
  /** Standby tasks (a cached dataset's lineage): done before the job starts. */
  standby: number;
  started: number;
  finished: number;
  rowsIn: number;
  rowsOut: number;
  bytesOut: number;
  firstStartMs: number;
  /** Stages it reads from. */
  inputs: Set<number>;
  /** Its inputs for the DAG: also those of driver-side sources and sinks (no events order on those). */
  graphInputs: Set<number>;
  /** All its tasks are done; stageFinished is sent once its inputs' have been. */
  complete: boolean;
  reported: boolean;
  lastMs: number;
}

type StageEvent = Extract<JobEvent, { type: 'stageStarted' | 'stageFinished' }>;

export class StageProgress {
  private readonly stages = new Map<number, Stage>();

  constructor(
    private readonly jobId: string,
    infos: readonly StageInfo[],
    tasks: readonly TaskGroupSpec[],
  ) {
    const inputs = stageInputs(tasks);
    for (const s of infos) {
      this.stages.set(s.index, { info: s, tasks: 0, standby: 0, started: 0, finished: 0, rowsIn: 0, rowsOut: 0, bytesOut: 0, firstStartMs: 0, inputs: inputs.get(s.index) ?? new Set(), graphInputs: new Set(inputs.get(s.index)), complete: false, reported: false, lastMs: 0 });
    }
    const live = new Set<number>();
    for (const t of tasks) {
      const st = this.stages.get(t.stepGroup);
      if (st) st.tasks++;
      if (!t.standby) live.add(t.stepGroup);
      else if (st) st.standby++;
    }
    this.driverSideEdges(infos, tasks);
    // A stage made only of standby tasks (a cached dataset's lineage) has nothing to report: its
    // readers need not wait.
    for (const st of this.stages.values()) if (st.tasks > 0 && !live.has(st.info.index)) st.reported = true;
  }

  /** A sink reads what stages wrote; stages read what a driver-side source wrote. */
  private driverSideEdges(infos: readonly StageInfo[], tasks: readonly TaskGroupSpec[]): void {
    const producer = new Map<string, number>();
    for (const t of tasks) for (const s of writtenShards(t)) producer.set(s, t.stepGroup);
    for (const info of infos) {
      const st = this.stages.get(info.index)!;
      for (const s of info.reads ?? []) {
        const p = producer.get(s);
        if (p !== undefined) st.graphInputs.add(p);
      }
      if (!info.writes?.length) continue;
      const written = new Set(info.writes);
      for (const t of tasks) {
        if (readShardSets(t).some((use) => use.shards.some((s) => written.has(s)))) this.stages.get(t.stepGroup)?.graphInputs.add(info.index);
      }
    }
  }

  /** The stage graph for jobStarted: tasks per stage and the stages each reads (the DAG's edges). */
  graph(): StageNode[] {
    return [...this.stages.values()].map((st) => ({ stage: st.info.index, tasks: st.tasks, standby: st.standby, inputs: [...st.graphInputs].sort((a, b) => a - b) }));
  }

  /** A task of the stage started: the stage's stageStarted, on its first. */
  taskStarted(stepGroup: number, now: number): StageEvent | undefined {
    const st = this.stages.get(stepGroup);
    if (!st || st.started++ !== 0) return undefined;
    st.firstStartMs = now;
    return { type: 'stageStarted', jobId: this.jobId, stage: st.info.index, name: st.info.name, tasks: st.tasks, timeMs: now };
  }

  /** A task of the stage finished: the stageFinished events now due, in dependency order. */
  taskFinished(stepGroup: number, stats: TaskStats, now: number): StageEvent[] {
    const st = this.stages.get(stepGroup);
    if (!st) return [];
    st.finished++;
    st.rowsIn += stats.rowsIn;
    st.rowsOut += stats.rowsOut;
    st.bytesOut += stats.bytesOut;
    if (st.finished !== st.tasks) return [];
    st.complete = true;
    st.lastMs = now;
    return this.due();
  }

  private due(): StageEvent[] {
    const out: StageEvent[] = [];
    for (let more = true; more; ) {
      more = false;
      for (const st of this.stages.values()) {
        if (!st.complete || st.reported) continue;
        if ([...st.inputs].some((s) => this.stages.get(s)?.reported === false)) continue;
        st.reported = true;
        more = true;
        const t = st.lastMs;
        out.push({ type: 'stageFinished', jobId: this.jobId, stage: st.info.index, name: st.info.name, tasks: st.tasks, rowsIn: st.rowsIn, rowsOut: st.rowsOut, bytesOut: st.bytesOut, millis: t - st.firstStartMs, timeMs: t });
      }
    }
    return out;
  }
}
