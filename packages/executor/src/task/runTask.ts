// Runs one task group: read input frames, push rows through the fused stages batch by batch,
// write output frames. The same function runs in local executor threads and on agents.
import { decodeRows } from '../codec/rowCodec';
import { serializeError } from '../errors';
import { inputShards, instructionSideShards, outputShards, sideOutputShards, type TaskGroupSpec, type TaskStats } from '../plan/taskSpec';
import type { Row, Stage, StageContext } from '../stages/stage';
import { buildStages } from './buildStages';
import { checkedStep } from './checkedStep';
import { chooseBoundaries, HashPartitionOutput, RangePartitionOutput, ShardOutput, TsvShardOutput } from './outputs';
import { readCsvFile } from './csvReader';
import { readTextSplit } from './textSplitReader';
import type { TaskIO } from './taskIO';

export async function runTask(spec: TaskGroupSpec, io: TaskIO, signal: AbortSignal): Promise<TaskStats> {
  const started = Date.now();
  const ctx: StageContext = { stopInput: false, signal };
  const outShards = [...outputShards(spec.output), ...sideOutputShards(spec)];
  let rowsIn = 0;
  try {
    const output = await buildOutput(spec, io, signal);
    const sides = await readSideInputs(spec, io, signal);
    const head = buildStages(spec.instructions, output, ctx, io, sides);
    if (spec.input.kind === 'textSplit') {
      const inp = spec.input;
      await readTextSplit(inp.path, inp.start, inp.end, inp.step, (lines) => {
        rowsIn += lines.length;
        if (head.push1 !== undefined) {
          for (let i = 0; i < lines.length && !ctx.stopInput; i++) head.push1(lines[i]);
        } else {
          for (let i = 0; i < lines.length && !ctx.stopInput; i++) head.push([lines[i]]);
        }
        return head.flush();
      }, () => ctx.stopInput || signal.aborted);
    } else if (spec.input.kind === 'csvFile') {
      const inp = spec.input;
      await readCsvFile(inp.path, { delimiter: inp.delimiter, header: inp.header, step: inp.step }, (rows) => {
        rowsIn += rows.length;
        pushAll(head, rows, ctx);
        return head.flush();
      }, () => ctx.stopInput || signal.aborted);
    } else {
      outer: for (const shard of spec.input.shards) {
        for await (const frame of io.read(shard, signal)) {
          const rows = decodeRows(frame);
          rowsIn += rows.length;
          pushAll(head, rows, ctx);
          const p = head.flush();
          if (p) await p;
          if (ctx.stopInput) break outer;
        }
      }
    }
    await head.end();
    for (const s of outputShards(spec.output)) await io.closeShard(s);
    return { rowsIn, ...output.counters, millis: Date.now() - started };
  } catch (e) {
    const err = serializeError(e);
    for (const s of outShards) {
      try {
        await io.closeShard(s, err);
      } catch {
        // the shard may already be closed (e.g. a side output); the task error is what matters
      }
    }
    throw e;
  }
}

/** Rows of every instruction's side shards (the second dataset of a join), read whole. */
async function readSideInputs(spec: TaskGroupSpec, io: TaskIO, signal: AbortSignal): Promise<Map<number, Row[]>> {
  const sides = new Map<number, Row[]>();
  for (let i = 0; i < spec.instructions.length; i++) {
    const shards = instructionSideShards(spec.instructions[i]);
    if (shards.length === 0 && !('side' in spec.instructions[i])) continue;
    const rows: Row[] = [];
    for (const s of shards) for await (const frame of io.read(s, signal)) for (const r of decodeRows(frame)) rows.push(r);
    sides.set(i, rows);
  }
  return sides;
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
      return new HashPartitionOutput(out.key, out.shards, io, check);
    case 'range': {
      const samples: Row[] = [];
      for (const s of out.sampleShards) for await (const frame of io.read(s, signal)) samples.push(...decodeRows(frame));
      return new RangePartitionOutput(out.orderBy, chooseBoundaries(samples, out.orderBy, out.shards.length), out.shards, io, check);
    }
  }
}

export { inputShards };
