// The physical plan as it crosses boundaries (planner -> driver -> executor thread or agent).
// Everything here is plain data: it is structured-cloned to worker threads and sent over gRPC.

/** One sort/compare key: a 0-based field index and a direction. */
export interface OrderBy {
  field: number;
  desc: boolean;
}

/** A user function travelling as source text, compiled once per task inside the executor. */
export interface UdfSpec {
  source: string;
  /** Visible inside the UDF as the identifier `params`. */
  params?: unknown;
}

interface StepRef {
  /** The user-facing step name used in every error, e.g. `map#3`. */
  step: string;
}

/** Narrow and per-partition instructions, run in order inside one task. */
export type InstructionSpec =
  | (StepRef & { op: 'map'; udf: UdfSpec })
  | (StepRef & { op: 'flatMap'; udf: UdfSpec })
  | (StepRef & { op: 'filter'; udf: UdfSpec })
  | (StepRef & { op: 'mapPartitions'; udf: UdfSpec })
  /** UDFs that may return Promises: at most `concurrency` calls in flight per task, output in input order. */
  | (StepRef & { op: 'mapAsync' | 'flatMapAsync'; udf: UdfSpec; concurrency: number })
  | (StepRef & { op: 'select'; fields: number[] })
  | (StepRef & { op: 'localLimit'; n: number })
  | (StepRef & { op: 'pipe'; command: string } & PipeBounds)
  | (StepRef & { op: 'pipeAsArgs'; command: string } & PipeBounds)
  | (StepRef & { op: 'localSort'; orderBy: OrderBy[] })
  /**
   * Hash-map reduce per key: map-side combine and merge side alike. With `create`, the first
   * value of a key becomes create(value) (combineByKey / aggregateByKey); then udf merges.
   */
  | (StepRef & { op: 'reduceByKey'; udf: UdfSpec; key: number[]; create?: UdfSpec })
  /** Reduce every row of the partition to one value row (empty partition -> no row). */
  | (StepRef & { op: 'reduceAll'; udf: UdfSpec })
  /** Group rows by key; `merge` means inputs are already [..keys, values[]] groups to concatenate. */
  | (StepRef & { op: 'groupByKey'; key: number[]; merge: boolean })
  /** Keep the first row of each key (null key = the whole row). */
  | (StepRef & { op: 'distinct'; key: number[] | null })
  /** The first n rows under orderBy, emitted in that order (top: plain fields descending). */
  | (StepRef & { op: 'localTop'; n: number; orderBy: OrderBy[] })
  /** Emits one row [count] for the partition. */
  | (StepRef & { op: 'countRows' })
  /** Pass-through that records a reservoir sample of the sort keys to a side shard. */
  | (StepRef & { op: 'sampleKeys'; orderBy: OrderBy[]; size: number; shard: string })
  /** Operators over a second dataset read whole from side shards before the main input. */
  | (StepRef & SideInput & { op: 'joinSorted'; key: number[]; sideKey: number[]; kind: JoinKind })
  | (StepRef & SideInput & { op: 'coGroup'; key: number[]; sideKey: number[] })
  /** Broadcast join: the side (small) dataset in a hash map, the main input streamed. */
  | (StepRef & SideInput & { op: 'hashJoin'; key: number[]; sideKey: number[] })
  | (StepRef & SideInput & { op: 'subtract' })
  | (StepRef & SideInput & { op: 'intersection' })
  | (StepRef & SideInput & { op: 'cartesian' })
  /** Pass-through that writes the partition's row count as one row [n] to a side shard. */
  | (StepRef & { op: 'countTo'; shard: string })
  /** Appends a global index field, offset by the counts of the partitions before this one. */
  | (StepRef & SideInput & { op: 'zipWithIndex'; partition: number })
  /** Seeded sampling (Bernoulli, or Poisson with replacement); seeds differ per partition. */
  | (StepRef & { op: 'sample'; withReplacement: boolean; fraction: number; seed: number; partition: number });

/** Bounds on a pipe command, in ms: its whole run, and a stretch without reading or writing. */
export interface PipeBounds {
  timeoutMs?: number;
  idleTimeoutMs?: number;
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';

/** Shards of a second dataset an instruction reads completely before the main input flows. */
export interface SideInput {
  side: string[];
}

/** The side shards of an instruction (joins and the like), or none. */
export function instructionSideShards(ins: InstructionSpec): string[] {
  return 'side' in ins ? ins.side : [];
}

/** Where a task's rows come from. */
export type TaskInput =
  /** Frames of these shards, read one after the other in order. */
  | { kind: 'shards'; shards: string[] }
  /** Lines of a byte range of a text file: lines that start inside [start, end). */
  | { kind: 'textSplit'; path: string; start: number; end: number; step: string }
  /** Records of one whole CSV/TSV file (quoted newlines make byte-range splits unsafe). */
  | { kind: 'csvFile'; path: string; delimiter: string; header: boolean; step: string };

/** Where a task's rows go. */
export type TaskOutput =
  /**
   * One shard. text 'tsv': the shard holds UTF-8 lines (each row's fields formatted and joined
   * by tabs), not row frames — for a dataset that only a text-file sink reads.
   */
  | { kind: 'shard'; shard: string; text?: 'tsv' }
  /** Hash partitioning: row goes to shards[hash(key) % shards.length]; key null = whole row. */
  | { kind: 'hash'; key: number[] | null; shards: string[] }
  /** Range partitioning with boundaries computed from the sample shards (same answer in every task). */
  | { kind: 'range'; orderBy: OrderBy[]; sampleShards: string[]; shards: string[] };

/** One task group: a fused chain of instructions over one partition. */
export interface TaskGroupSpec {
  /** Unique in the plan, e.g. `tg2.1` (step group 2, partition 1). */
  id: string;
  /** Gleam-style name: fused step names with the partition, e.g. `FlatMap.1-Map.1`. */
  name: string;
  stepGroup: number;
  partition: number;
  input: TaskInput;
  instructions: InstructionSpec[];
  output: TaskOutput;
}

/** What a finished task reports. */
export interface TaskStats {
  rowsIn: number;
  rowsOut: number;
  framesOut: number;
  bytesOut: number;
  millis: number;
}

/**
 * Shards named with this prefix belong to a Flow, not to one job (cached datasets): they are
 * never prefixed with a job id nor deleted when a job ends.
 */
export const FLOW_SHARD_PREFIX = 'cache/';

export function isFlowShard(shard: string): boolean {
  return shard.startsWith(FLOW_SHARD_PREFIX);
}

/** Every shard a task writes. */
export function outputShards(out: TaskOutput): string[] {
  return out.kind === 'shard' ? [out.shard] : out.shards;
}

/** Every shard a task reads (data and side inputs such as range samples). */
export function inputShards(spec: TaskGroupSpec): string[] {
  const data = spec.input.kind === 'shards' ? spec.input.shards : [];
  const samples = spec.output.kind === 'range' ? spec.output.sampleShards : [];
  const sides = spec.instructions.flatMap(instructionSideShards);
  return [...data, ...samples, ...sides];
}

/** Side shards a task writes besides its output (range samples). */
export function sideOutputShards(spec: TaskGroupSpec): string[] {
  const out: string[] = [];
  for (const ins of spec.instructions) if (ins.op === 'sampleKeys' || ins.op === 'countTo') out.push(ins.shard);
  return out;
}
