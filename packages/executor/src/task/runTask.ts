// Runs one task group: read input frames, push rows through the fused stages batch by batch,
// write output frames. The same function runs in local executor threads and on agents.
import { decodeRows } from '../codec/rowCodec';
import { isLostWork, LOST_WORK, LostInputError, serializeError } from '../errors';
import { writtenShards, type InstructionSpec, type ShardSet, type TaskGroupSpec, type TaskStats } from '../plan/taskSpec';
import type { Row, Stage, StageContext } from '../stages/stage';
import { resolveBroadcasts } from '../udf/broadcasts';
import { buildStages, sideSorter } from './buildStages';
import { TaskSpills, type TaskMemoryLimits } from '../spill/taskSpills';
import { checkedStep } from './checkedStep';
import { chooseBoundaries, HashPartitionOutput, RangePartitionOutput, ShardOutput, TsvShardOutput } from './outputs';
import { readCsvFile } from './csvReader';
import { isFileRowsInput, readFileRows } from './fileRowsReader';
import { readTextSplit } from './textSplitReader';
import type { SideRows } from './sideRows';
import type { TaskIO } from './taskIO';
import { TaskAccumulators } from '../udf/accumulators';

/** Figures of a running task for live progress: `onRows` is called after each batch is counted. */
export interface TaskCounters {
  rowsIn: number;
  onRows?(rowsIn: number): void;
}

/**
 * counters: the running task's figures for live progress; limits: the operator memory budget and
 * spill directory from the host (without them a task's stateful stages hold everything in memory).
 */
export async function runTask(spec: TaskGroupSpec, taskIo: TaskIO, signal: AbortSignal, counters: TaskCounters = { rowsIn: 0 }, limits?: TaskMemoryLimits): Promise<TaskStats> {
  const io = inputsLostAsLostInput(taskIo);
  const started = Date.now();
  const spills = limits ? new TaskSpills(limits.taskMemoryBytes, limits.spillDir) : undefined;
  const ctx: StageContext = { stopInput: false, signal, spills };
  const outShards = writtenShards(spec);
  const read = counters;
  const count = (n: number) => {
    read.rowsIn += n;
    read.onRows?.(read.rowsIn);
  };
  let release: (() => void) | undefined;
  try {
    const output = await buildOutput(spec, io, signal);
    const sides = await readSideInputs(spec, io, signal, spills);
    // Accumulator markers become this task's local accumulators, then broadcast markers their values
    // (the broadcast walk leaves the accumulator objects as they are).
    const accumulators = new TaskAccumulators();
    const bound = spec.accumulators ? accumulators.bind(spec.instructions) : spec.instructions;
    const resolved = spec.broadcasts ? await resolveBroadcasts(spec.broadcasts, bound, io, signal) : undefined;
    release = resolved?.release;
    const head = buildStages(resolved?.instructions ?? bound, output, ctx, io, sides);
    if (spec.input.kind === 'textSplit') {
      const inp = spec.input;
      await readTextSplit(inp.path, inp.start, inp.end, inp.step, (lines) => {
        count(lines.length);
        if (head.push1 !== undefined) {
          for (let i = 0; i < lines.length && !ctx.stopInput; i++) head.push1(lines[i]);
        } else {
          for (let i = 0; i < lines.length && !ctx.stopInput; i++) head.push([lines[i]]);
        }
        return head.flush();
      }, () => ctx.stopInput || signal.aborted);
    } else if (spec.input.kind === 'rows') {
      for (const frame of spec.input.frames) {
        count(pushFrame(head, frame, ctx));
        const p = head.flush();
        if (p) await p;
        if (ctx.stopInput || signal.aborted) break;
      }
    } else if (spec.input.kind === 'csvFile') {
      const inp = spec.input;
      await readCsvFile(inp.path, { delimiter: inp.delimiter, header: inp.header, step: inp.step }, (rows) => {
        count(rows.length);
        pushAll(head, rows, ctx);
        return head.flush();
      }, () => ctx.stopInput || signal.aborted);
    } else if (isFileRowsInput(spec.input)) {
      await readFileRows(spec.input, (rows) => {
        count(rows.length);
        pushAll(head, rows, ctx);
        return head.flush();
      }, () => ctx.stopInput || signal.aborted);
    } else {
      for await (const frame of io.read(spec.input.shards, signal, spec.input.section)) {
        count(pushFrame(head, frame, ctx));
        const p = head.flush();
        if (p) await p;
        if (ctx.stopInput) break;
      }
    }
    await head.end();
    await io.closeShard(spec.output.shard);
    return { rowsIn: read.rowsIn, ...output.counters, millis: Date.now() - started, ...accumulators.report() };
  } catch (e) {
    // A stopped task's output is lost work, not an error of the data: its readers start over
    // (the driver stops a task to run it again, or because the whole job ends).
    const err = signal.aborted ? { name: LOST_WORK, message: `task group ${spec.name} was stopped before it finished` } : serializeError(e);
    for (const s of outShards) {
      try {
        await io.closeShard(s, err);
      } catch {
        // the shard may already be closed (e.g. a side output); the task error is what matters
      }
    }
    throw e;
  } finally {
    release?.();
    // Spill files never outlive their task, whether it finished, failed or was cancelled.
    spills?.removeAll();
  }
}

/** Rows of every instruction's side inputs, read whole. */
async function readSideInputs(spec: TaskGroupSpec, io: TaskIO, signal: AbortSignal, spills: TaskSpills | undefined): Promise<Map<number, SideRows>> {
  const sides = new Map<number, SideRows>();
  for (let i = 0; i < spec.instructions.length; i++) {
    const ins: InstructionSpec = spec.instructions[i];
    if (!('side' in ins)) continue;
    let got: SideRows;
    if (spills && (ins.op === 'joinSorted' || ins.op === 'coGroup')) {
      // A sort-merge's right side is sorted as it arrives, spilling over its share of the budget.
      const sorted = sideSorter(spec.instructions, ins, spills);
      for await (const frame of io.read(ins.side.shards, signal, ins.side.section)) for (const r of decodeRows(frame)) sorted.add(r);
      got = { side: [], sorted };
    } else {
      got = { side: await readAll(ins.side, io, signal) };
    }
    if (ins.op === 'joinSorted') {
      if (ins.leftStats) got.leftStats = await readAll(ins.leftStats, io, signal);
      if (ins.rightStats) got.rightStats = await readAll(ins.rightStats, io, signal);
    }
    sides.set(i, got);
  }
  return sides;
}

async function readAll(set: ShardSet, io: TaskIO, signal: AbortSignal): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const frame of io.read(set.shards, signal, set.section)) for (const r of decodeRows(frame)) rows.push(r);
  return rows;
}

/** A frame to a head stage that keeps frames encoded, else its rows decoded; returns the row count. */
function pushFrame(head: Stage, frame: Uint8Array, ctx: StageContext): number {
  if (head.pushFrame !== undefined) {
    const n = head.pushFrame(frame);
    if (n >= 0) return n;
  }
  const rows = decodeRows(frame);
  pushAll(head, rows, ctx);
  return rows.length;
}

function pushAll(head: Stage, rows: Row[], ctx: StageContext): void {
  for (let i = 0; i < rows.length; i++) {
    head.push(rows[i]);
    if (ctx.stopInput) return;
  }
}

async function buildOutput(spec: TaskGroupSpec, io: TaskIO, signal: AbortSignal) {
  const out = spec.output;
  const check = checkedStep(spec.instructions);
  switch (out.kind) {
    case 'shard':
      return out.text === 'tsv' ? new TsvShardOutput(out.shard, io, undefined, check) : new ShardOutput(out.shard, io, check);
    case 'hash':
      return new HashPartitionOutput(out.key, out.shard, out.partitions, io, check);
    case 'range': {
      const samples = await readAll(out.samples, io, signal);
      return new RangePartitionOutput(out.orderBy, chooseBoundaries(samples, out.orderBy, out.partitions), out.shard, out.partitions, io, check);
    }
  }
}

/**
 * The task's IO, with a lost input (a shard deleted under the reader, a peer gone, a writer whose
 * own work was lost) reported as LostInput: the driver then retries the task without counting it
 * against its attempts, since the task itself did nothing wrong.
 */
function inputsLostAsLostInput(io: TaskIO): TaskIO {
  return {
    async *read(shards, signal, section) {
      try {
        yield* io.read(shards, signal, section);
      } catch (e) {
        if (isLostWork(e)) {
          const { lostAgent, lostShard } = e as { lostAgent?: string; lostShard?: string };
          throw new LostInputError((e as Error).message, lostAgent, lostShard);
        }
        throw e;
      }
    },
    write: (shard, frame, section) => io.write(shard, frame, section),
    closeShard: (shard, error) => io.closeShard(shard, error),
  };
}
