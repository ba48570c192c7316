// Instruction specs -> a chain of stages ending in the task's output.
import { checkRows } from '../codec/carryable';
import { encodeRows } from '../codec/rowCodec';
import type { InstructionSpec } from '../plan/taskSpec';
import { DelegateStage } from '../stages/delegateStage';
import { CountRowsStage } from '../stages/countRowsStage';
import { DistinctStage } from '../stages/distinctStage';
import { fuseUdfSteps, type UdfStep } from '../stages/fusedUdfChain';
import { GroupByKeyStage } from '../stages/groupByKeyStage';
import { LocalLimitStage } from '../stages/localLimitStage';
import { LocalSortStage } from '../stages/localSortStage';
import { LocalTopStage } from '../stages/localTopStage';
import { MapAsyncStage } from '../stages/mapAsyncStage';
import { MapPartitionsStage } from '../stages/mapPartitionsStage';
import { PipeAsArgsStage } from '../stages/pipeAsArgsStage';
import { PipeStage } from '../stages/pipeStage';
import { ReduceAllStage } from '../stages/reduceAllStage';
import { ReduceByKeyStage } from '../stages/reduceByKeyStage';
import { SampleKeysStage } from '../stages/sampleKeysStage';
import { SelectStage } from '../stages/selectStage';
import type { Row, Stage, StageContext } from '../stages/stage';
import { CartesianStage } from '../stages/cartesianStage';
import { CoGroupStage } from '../stages/coGroupStage';
import { HashJoinStage } from '../stages/hashJoinStage';
import { JoinSortedStage } from '../stages/joinSortedStage';
import { IntersectionStage, SubtractStage } from '../stages/setStages';
import { RowStatsStage, ZipWithIndexStage } from '../stages/zipWithIndexStages';
import { SampleStage } from '../stages/sampleStage';
import { ZipStage } from '../stages/zipStage';
import { compileUdf } from '../udf/compileUdf';
import { checkedStep } from './checkedStep';
import type { TaskIO } from './taskIO';
import type { SideRows } from './sideRows';
import { keySorter } from '../stages/sortMergeStage';
import { TaskSpills } from '../spill/taskSpills';

// Instructions that hold state for their whole input: the task's memory budget is shared among them.
const STATEFUL = new Set<InstructionSpec['op']>(['localSort', 'reduceByKey', 'groupByKey', 'distinct', 'joinSorted', 'coGroup']);

/** Each stateful stage's share of the task's operator memory. */
export function stageBudget(instructions: InstructionSpec[], spills: TaskSpills): number {
  const n = instructions.filter((i) => STATEFUL.has(i.op)).length;
  return spills.budgetBytes / Math.max(1, n);
}

/** The right side of a sort-merge, sorted in its half of the stage's share (the left gets the other). */
export function sideSorter(instructions: InstructionSpec[], ins: InstructionSpec & { sideKey: number[] }, spills: TaskSpills) {
  return keySorter(ins.sideKey, spills, stageBudget(instructions, spills) / 2);
}

export function buildStages(instructions: InstructionSpec[], output: Stage, ctx: StageContext, io: TaskIO, sides: Map<number, SideRows> = new Map()): Stage {
  let next = output;
  // Without a host's limits (tests, direct runTask calls) state is unbounded as before.
  const spills = ctx.spills ?? new TaskSpills(Infinity, '');
  const budget = stageBudget(instructions, spills);
  const check = checkedStep(instructions);
  for (let i = instructions.length - 1; i >= 0; i--) {
    const ins = instructions[i];
    if (isUdfStep(ins)) {
      // A run of map/flatMap/filter becomes one generated stage (see fusedUdfChain.ts).
      let first = i;
      while (first > 0 && isUdfStep(instructions[first - 1])) first--;
      const steps: UdfStep[] = [];
      for (let k = first; k <= i; k++) {
        const s = instructions[k] as UdfInstruction;
        steps.push({ op: s.op, fn: compileUdf(s.udf, s.step), step: s.step });
      }
      next = fuseUdfSteps(steps, next);
      i = first;
    } else {
      next = buildStage(ins, next, ctx, io, sides.get(i) ?? { side: [] }, check, spills, budget);
    }
  }
  return next;
}

type UdfInstruction = Extract<InstructionSpec, { op: 'map' | 'flatMap' | 'filter' }>;

function isUdfStep(ins: InstructionSpec): ins is UdfInstruction {
  return ins.op === 'map' || ins.op === 'flatMap' || ins.op === 'filter';
}

function buildStage(ins: Exclude<InstructionSpec, UdfInstruction>, next: Stage, ctx: StageContext, io: TaskIO, sides: SideRows, check: string | undefined, spills: TaskSpills, budget: number): Stage {
  const side = sides.side;
  const sorted = () => {
    if (sides.sorted) return sides.sorted;
    const s = keySorter((ins as { sideKey: number[] }).sideKey, spills, budget / 2);
    for (const r of side) s.add(r);
    return s;
  };
  switch (ins.op) {
    case 'mapPartitions':
      return new MapPartitionsStage(compileUdf(ins.udf, ins.step), ins.step, next);
    case 'mapAsync':
    case 'flatMapAsync':
      return new MapAsyncStage(compileUdf(ins.udf, ins.step), ins.step, ins.concurrency, ins.op === 'flatMapAsync', ctx.signal, next);
    case 'delegate':
      return new DelegateStage(ins.delegate, ins.step, ctx.signal, next);
    case 'select':
      return new SelectStage(ins.fields, next);
    case 'localLimit':
      return new LocalLimitStage(ins.n, ctx, next);
    case 'pipe':
      return new PipeStage(ins.command, ins.step, ctx, next, ins);
    case 'pipeAsArgs':
      return new PipeAsArgsStage(ins.command, ins.step, next, ctx.signal, ins);
    case 'localSort':
      return new LocalSortStage(ins.orderBy, next, spills, budget);
    case 'reduceByKey':
      return new ReduceByKeyStage(compileUdf(ins.udf, ins.step), ins.key, ins.step, next, ins.create ? compileUdf(ins.create, ins.step) : undefined, spills, budget);
    case 'reduceAll':
      return new ReduceAllStage(compileUdf(ins.udf, ins.step), ins.step, next);
    case 'groupByKey':
      return new GroupByKeyStage(ins.key, ins.merge, next, ins.step, spills, budget);
    case 'distinct':
      return new DistinctStage(ins.key, next, spills, budget);
    case 'localTop':
      return new LocalTopStage(ins.n, ins.orderBy, next);
    case 'countRows':
      return new CountRowsStage(next);
    case 'sampleKeys':
      return new SampleKeysStage(ins.orderBy, ins.size, async (rows) => {
        // Sampled keys of UDF results are encoded before the last output frame is checked.
        if (check !== undefined) checkRows(rows, check);
        if (rows.length > 0) await io.write(ins.shard, encodeRows(rows));
        await io.closeShard(ins.shard);
      }, next);
    case 'joinSorted':
      return new JoinSortedStage(ins.key, ins.sideKey, ins.kind, sorted(), ins.step, next, spills, budget / 2, {
        left: valueWidth(sides.leftStats, ins.key.length),
        right: valueWidth(sides.rightStats, ins.sideKey.length),
      });
    case 'coGroup':
      return new CoGroupStage(ins.key, ins.sideKey, sorted(), ins.step, next, spills, budget / 2);
    case 'hashJoin':
      return new HashJoinStage(ins.key, ins.sideKey, side, ins.step, next);
    case 'subtract':
      return new SubtractStage(side, next);
    case 'intersection':
      return new IntersectionStage(side, next);
    case 'cartesian':
      return new CartesianStage(side, next);
    case 'rowStats':
      return new RowStatsStage(async (count, firstLength) => {
        await io.write(ins.shard, encodeRows([[count, firstLength]]));
        await io.closeShard(ins.shard);
      }, next);
    case 'zipWithIndex':
      return new ZipWithIndexStage(side.slice(0, ins.partition).reduce((sum, r) => sum + Number(r[0]), 0), next);
    case 'sample':
      return new SampleStage(ins.withReplacement, ins.fraction, ins.seed, ins.partition, next, ins.lowerBound);
    case 'zip':
      return new ZipStage(side, ins.step, ins.partition, next);
    default: {
      const never: never = ins;
      throw new Error(`unknown instruction ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A join side's value width from its producers' row stats: the first row of the first producer
 * partition that has rows decides, so every task pads alike; undefined when no stats were
 * planned (inner joins), 1 when the side has no rows at all (one null, as Spark pads).
 */
function valueWidth(stats: Row[] | undefined, keyCount: number): number | undefined {
  if (!stats) return undefined;
  for (const r of stats) if (Number(r[0]) > 0 && typeof r[1] === 'number') return Math.max(0, r[1] - keyCount);
  return 1;
}
