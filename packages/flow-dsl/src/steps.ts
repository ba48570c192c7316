// The logical plan: what each Dataset was made by. The planner expands and fuses these.
import type { InstructionSpec, JoinKind, OrderBy, Row, StorageLevel, UdfSpec } from '@gleam/executor';

export type SourceStep =
  /** `files`: these files exactly (a stream's new files), instead of expanding `pattern`. */
  | { kind: 'textFile'; pattern: string; partitions?: number; files?: string[] }
  /** CSV/TSV records; always one partition per file (`partitions` is accepted, nothing more). */
  | { kind: 'csv'; pattern: string; delimiter: string; header: boolean; partitions?: number }
  /** Part files of saveAsObjectFile, one partition per file (sources/fileSources.ts). */
  | { kind: 'objectFile'; pattern: string }
  /** One row [value] per non-empty line of JSON; split like textFile. */
  | { kind: 'jsonLines'; pattern: string; partitions?: number }
  /** One row [path, content] per file. */
  | { kind: 'wholeTextFiles'; pattern: string; partitions?: number }
  /** Values from driver memory, sliced into partitions like Spark's parallelize. */
  | { kind: 'driverRows'; rows: Row[]; partitions?: number; label: string }
  /** A driver-side async generator of rows (one partition). */
  | { kind: 'sourceFn'; fn: () => AsyncIterable<unknown> | Iterable<unknown> }
  /**
   * Rows kept in shards by an earlier job with no lineage left to recompute them (a stream's
   * state or window data of an earlier batch): readable only while the Flow keeps its shards.
   */
  | { kind: 'kept'; label: string };

/** Narrow steps become one instruction each; `name` is the Gleam-style step name. */
export type NarrowStep = { kind: 'narrow'; name: string; instruction: InstructionSpec };

export type WideStep =
  | { kind: 'reduceBy'; udf: UdfSpec; key: number[]; partitions?: number }
  | { kind: 'groupBy'; key: number[]; partitions?: number }
  | { kind: 'distinct'; key: number[] | null; partitions?: number }
  | { kind: 'sort'; orderBy: OrderBy[]; partitions?: number }
  | { kind: 'top'; n: number; orderBy: OrderBy[] }
  | { kind: 'limit'; n: number }
  | { kind: 'reduce'; udf: UdfSpec }
  | { kind: 'partition'; n?: number; key: number[] }
  /** Two inputs: [left, right]. */
  | { kind: 'join'; joinKind: JoinKind; key: number[]; partitions?: number }
  | { kind: 'coGroup'; key: number[]; partitions?: number }
  /** Two inputs: [big, small]; the small side is broadcast. */
  | { kind: 'hashJoin'; key: number[] }
  | { kind: 'subtract'; partitions?: number }
  | { kind: 'intersection'; partitions?: number }
  /** Two inputs: the second is broadcast. */
  | { kind: 'cartesian' }
  /** Any number of inputs: their partitions, one after the other. */
  | { kind: 'union' }
  /** combineByKey: map side create/mergeValue, merge side mergeCombiners. */
  | { kind: 'combineByKey'; create: UdfSpec; mergeValue: UdfSpec; mergeCombiners: UdfSpec; key: number[]; partitions?: number }
  | { kind: 'zipWithIndex' }
  /** lowerBound: keep draws in [lowerBound, fraction) instead of [0, fraction) (randomSplit). */
  | { kind: 'sample'; withReplacement: boolean; fraction: number; seed: number; lowerBound?: number }
  /** RDD operators of operators/rddTransforms.ts; zip has two inputs. */
  | { kind: 'coalesce'; n: number }
  | { kind: 'zip' }
  | { kind: 'zipWithUniqueId' };

export type LogicalStep = SourceStep | NarrowStep | WideStep;

export interface LogicalNode {
  id: number;
  /** cache(): computed once, kept for later actions of the same Flow. */
  cached?: boolean;
  /** persist(level) of a cached node; undefined is cache()'s MEMORY_AND_DISK. */
  storage?: StorageLevel;
  /** User-facing step name for errors, e.g. `map#3`. */
  stepName: string;
  step: LogicalStep;
  inputs: LogicalNode[];
}
