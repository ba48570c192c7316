// Plans name shards relative to the job ("d3-s0-1"); at run time every name gets the job's
// prefix so concurrent jobs never share a shard.
import { isFlowShard, type InstructionSpec, type TaskGroupSpec, type TaskInput, type TaskOutput } from '@gleam/executor';

/** The run-time name of a plan's shard: job-prefixed, except a Flow's cached shards. */
export function qualifyShard(prefix: string, shard: string): string {
  return isFlowShard(shard) ? shard : prefix + shard;
}

export function qualifyTaskGroup(spec: TaskGroupSpec, prefix: string): TaskGroupSpec {
  const q = (s: string) => qualifyShard(prefix, s);
  const input: TaskInput = spec.input.kind === 'shards' ? { kind: 'shards', shards: spec.input.shards.map(q) } : spec.input;
  let output: TaskOutput;
  switch (spec.output.kind) {
    case 'shard':
      output = { ...spec.output, shard: q(spec.output.shard) };
      break;
    case 'hash':
      output = { ...spec.output, shards: spec.output.shards.map(q) };
      break;
    case 'range':
      output = { ...spec.output, shards: spec.output.shards.map(q), sampleShards: spec.output.sampleShards.map(q) };
      break;
  }
  const instructions: InstructionSpec[] = spec.instructions.map((i) => {
    if (i.op === 'sampleKeys' || i.op === 'countTo') return { ...i, shard: q(i.shard) };
    if ('side' in i) return { ...i, side: i.side.map(q) };
    return i;
  });
  return { ...spec, input, output, instructions };
}
