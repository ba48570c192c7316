// The physical plan as it crosses boundaries (planner -> driver -> executor thread or agent).
// Everything here is plain data: it is structured-cloned to worker threads and sent over gRPC.
import type { DelegateSpec } from './delegateSpec';
import type { AccumulatorPartial } from '../udf/accumulatorMarker';

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
  /** Rows sent to a remote HTTP service (see delegateSpec.ts): out come [...row, response]. */
  | (StepRef & { op: 'delegate'; delegate: DelegateSpec })
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
  /**
   * widths: where an outer join finds the value width of a side that may be missing from this
   * partition — the row stats of every producer of that side (see rowStats), so that every
   * partition pads with the same number of nulls, whatever rows it happened to see.
   */
  | (StepRef & SideInput & { op: 'joinSorted'; key: number[]; sideKey: number[]; kind: JoinKind; leftStats?: ShardSet; rightStats?: ShardSet })
  | (StepRef & SideInput & { op: 'coGroup'; key: number[]; sideKey: number[] })
  /** Broadcast join: the side (small) dataset in a hash map, the main input streamed. */
  | (StepRef & SideInput & { op: 'hashJoin'; key: number[]; sideKey: number[] })
  | (StepRef & SideInput & { op: 'subtract' })
  | (StepRef & SideInput & { op: 'intersection' })
  | (StepRef & SideInput & { op: 'cartesian' })
  /**
   * Pass-through that writes one row [rowCount, firstRowLength | null] for the partition to a
   * side shard: partition offsets for zipWithIndex, value widths for outer joins.
   */
  | (StepRef & { op: 'rowStats'; shard: string })
  /** Appends a global index field, offset by the counts of the partitions before this one. */
  | (StepRef & SideInput & { op: 'zipWithIndex'; partition: number })
  /** Seeded sampling (Bernoulli, or Poisson with replacement); seeds differ per partition. */
  /** lowerBound: keep draws in [lowerBound, fraction) (randomSplit's disjoint splits). */
  | (StepRef & { op: 'sample'; withReplacement: boolean; fraction: number; seed: number; partition: number; lowerBound?: number })
  /** Appends row i of the side (this partition of the other dataset) to row i; sizes must match. */
  | (StepRef & SideInput & { op: 'zip'; partition: number });

/** Bounds on a pipe command, in ms: its whole run, and a stretch without reading or writing. */
export interface PipeBounds {
  timeoutMs?: number;
  idleTimeoutMs?: number;
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';

/**
 * Shards read one after the other, in order: whole, or only one section of each (the target
 * partition of a shuffle, where every map task wrote one shard with a section per target).
 * Plans share one `shards` array between all readers of a dataset: nothing copies it per task.
 */
export interface ShardSet {
  shards: string[];
  section?: number;
}

/** Shards of a second dataset an instruction reads completely before the main input flows. */
export interface SideInput {
  side: ShardSet;
}

/** Where a task's rows come from. */
export type TaskInput =
  /** Frames of these shards (or of one section of each), read one after the other in order. */
  | ({ kind: 'shards' } & ShardSet)
  /** Lines of a byte range of a text file: lines that start inside [start, end). */
  | { kind: 'textSplit'; path: string; start: number; end: number; step: string }
  /** Records of one whole CSV/TSV file (quoted newlines make byte-range splits unsafe). */
  | { kind: 'csvFile'; path: string; delimiter: string; header: boolean; step: string }
  /**
   * Rows from driver memory (parallelize, strings, ints, slices), carried in the task itself as
   * row frames, as Spark's parallelize carries its slice in the task: no shard to write first.
   */
  | { kind: 'rows'; frames: Uint8Array[]; rows: number; step: string }
  | FileRowsInput;

/** File sources read by task/fileRowsReader.ts. */
export type FileRowsInput =
  /** One part file of saveAsObjectFile: its row frames as written. */
  | { kind: 'objectFile'; path: string; step: string }
  /** One row [value] per non-empty line that starts inside [start, end) (a .gz file: one split, whole). */
  | { kind: 'jsonLines'; path: string; start: number; end: number; step: string }
  /** One row [path, content] per file, in order. */
  | { kind: 'wholeTextFiles'; paths: string[]; step: string };

/** Where a task's rows go. */
export type TaskOutput =
  /**
   * One shard. text 'tsv': the shard holds UTF-8 lines (each row's fields formatted and joined
   * by tabs), not row frames — for a dataset that only a text-file sink reads.
   */
  | { kind: 'shard'; shard: string; text?: 'tsv' }
  /**
   * Hash partitioning into one shard with `partitions` sections (Spark's sort-based shuffle
   * writes one file per map task the same way): a row goes to section hash(key) % partitions;
   * key null = the whole row.
   */
  | { kind: 'hash'; key: number[] | null; shard: string; partitions: number }
  /** Range partitioning into sections, boundaries computed from the samples (same in every task). */
  | { kind: 'range'; orderBy: OrderBy[]; samples: ShardSet; shard: string; partitions: number };

/** One task group: a fused chain of instructions over one partition. */
export interface TaskGroupSpec {
  /** Unique in the plan, e.g. `tg2.1` (step group 2, partition 1). */
  id: string;
  /** Unique in the plan: fused step names with the partition, then the step group, e.g. `FlatMap.1-Map.1@2`. */
  name: string;
  stepGroup: number;
  partition: number;
  input: TaskInput;
  instructions: InstructionSpec[];
  output: TaskOutput;
  /**
   * For the driver only: the task recomputes a cached dataset's partition that an earlier job
   * wrote, and runs only if that shard is lost (its inputs, then, too).
   */
  standby?: boolean;
  /**
   * Broadcast values the UDF params of this task refer to (markers `{ __gleamBroadcast: id }`):
   * each id's shard holds the value, read once per executor thread per job (udf/broadcasts.ts).
   */
  broadcasts?: BroadcastSet;
  /** The UDF params of this task hold accumulator markers (set by the driver's check): only then does the task look for them. */
  accumulators?: true;
}

/**
 * Broadcast ids and, at the same index, the driver-side source shard holding each value. Like
 * ShardSet, one `shards` array is shared by every task using the same broadcasts.
 */
export interface BroadcastSet {
  ids: number[];
  shards: string[];
}

/** What a finished task reports. */
export interface TaskStats {
  rowsIn: number;
  rowsOut: number;
  framesOut: number;
  bytesOut: number;
  millis: number;
  /** One partial per accumulator the task added to (udf/accumulators.ts). */
  accumulators?: AccumulatorPartial[];
  /** Written MEMORY_ONLY cached shards that spilled (did not fit): dropped when the job ends. */
  spilledShards?: string[];
}

/**
 * Shards named with this prefix belong to a Flow, not to one job (cached datasets): they are
 * never prefixed with a job id nor deleted when a job ends.
 */
export const FLOW_SHARD_PREFIX = 'cache/';

export function isFlowShard(shard: string): boolean {
  return shard.startsWith(FLOW_SHARD_PREFIX);
}

/** What a task does with a group of shards. */
export type ShardRole =
  /** Its main input, read in order. */
  | 'input'
  /** A second dataset read whole before the main input (a join's right side, partition counts). */
  | 'side'
  /** The key samples range partitioning derives its boundaries from. */
  | 'sample'
  /** Its output (one shard, possibly with a section per target partition). */
  | 'output'
  /** Written besides the output: key samples, row stats. */
  | 'sideOutput';

export interface ShardUse {
  role: ShardRole;
  /** Shared with the spec: read it, never modify it. */
  shards: readonly string[];
  /** Reads of one section of each shard. */
  section?: number;
  /** Output partitions (sections) of a partitioned output. */
  partitions?: number;
  /** The step reading or writing them (side inputs and side outputs). */
  step?: string;
}

/**
 * THE list of every shard a task reads and writes, with what it does with them. Job prefixing,
 * scheduling, placement, deletion and the plan printer all derive from this one function (and
 * mapTaskShards, built on the same walk): a new shard-bearing field is added here or nowhere.
 */
export function taskShards(spec: TaskGroupSpec): ShardUse[] {
  const out: ShardUse[] = [];
  walkShards(spec, (use) => {
    out.push(use);
  });
  return out;
}

/** The spec with every shard name mapped (e.g. job-prefixed); arrays shared between specs stay shared through `memo`. */
export function mapTaskShards(spec: TaskGroupSpec, f: (shard: string) => string, memo: Map<readonly string[], string[]> = new Map()): TaskGroupSpec {
  const mapAll = (shards: readonly string[]): string[] => {
    let m = memo.get(shards);
    if (!m) memo.set(shards, (m = shards.map(f)));
    return m;
  };
  const copy: TaskGroupSpec = { ...spec, instructions: spec.instructions.slice() };
  walkShards(copy, (_use, shards) => mapAll(shards));
  return copy;
}

/** Shard names written by a task: its output and side outputs. */
export function writtenShards(spec: TaskGroupSpec): string[] {
  const out: string[] = [];
  for (const u of taskShards(spec)) if (u.role === 'output' || u.role === 'sideOutput') out.push(...u.shards);
  return out;
}

/** Shard sets a task reads (main input, side inputs, samples). */
export function readShardSets(spec: TaskGroupSpec): ShardUse[] {
  return taskShards(spec).filter((u) => u.role === 'input' || u.role === 'side' || u.role === 'sample');
}

/**
 * The one walk over a spec's shard-bearing fields. `visit` may return replacement names (same
 * length), which are written into `spec` — only mapTaskShards does, on its own copy.
 */
function walkShards(spec: TaskGroupSpec, visit: (use: ShardUse, shards: readonly string[]) => string[] | void): void {
  const inp = spec.input;
  if (inp.kind === 'shards') {
    const r = visit({ role: 'input', shards: inp.shards, section: inp.section }, inp.shards);
    if (r) spec.input = { ...inp, shards: r };
  }
  spec.instructions.forEach((ins, i) => {
    const set = (next: InstructionSpec) => (spec.instructions[i] = next);
    switch (ins.op) {
      case 'sampleKeys':
      case 'rowStats': {
        const r = visit({ role: 'sideOutput', shards: [ins.shard], step: ins.step }, [ins.shard]);
        if (r) set({ ...ins, shard: r[0] });
        break;
      }
      case 'joinSorted': {
        let next = ins;
        const side = visit({ role: 'side', shards: ins.side.shards, section: ins.side.section, step: ins.step }, ins.side.shards);
        if (side) next = { ...next, side: { ...ins.side, shards: side } };
        for (const k of ['leftStats', 'rightStats'] as const) {
          const st = ins[k];
          if (!st) continue;
          const r = visit({ role: 'side', shards: st.shards, section: st.section, step: ins.step }, st.shards);
          if (r) next = { ...next, [k]: { ...st, shards: r } };
        }
        if (next !== ins) set(next);
        break;
      }
      default:
        if ('side' in ins) {
          const r = visit({ role: 'side', shards: ins.side.shards, section: ins.side.section, step: ins.step }, ins.side.shards);
          if (r) set({ ...ins, side: { ...ins.side, shards: r } } as InstructionSpec);
        }
    }
  });
  if (spec.broadcasts) {
    const b = spec.broadcasts;
    const r = visit({ role: 'side', shards: b.shards }, b.shards);
    if (r) spec.broadcasts = { ...b, shards: r };
  }
  const out = spec.output;
  if (out.kind === 'range') {
    const r = visit({ role: 'sample', shards: out.samples.shards, section: out.samples.section }, out.samples.shards);
    if (r) spec.output = { ...out, samples: { ...out.samples, shards: r } };
  }
  const o = spec.output;
  const partitions = o.kind === 'shard' ? undefined : o.partitions;
  const r = visit({ role: 'output', shards: [o.shard], partitions }, [o.shard]);
  if (r) spec.output = { ...o, shard: r[0] };
}
