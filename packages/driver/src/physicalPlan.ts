// What the driver runs: task groups for executors, plus the driver-side ends of the flow
// (sources that write shards from driver memory, sinks that read final shards in order).
import type { Row, ShardSet, TaskGroupSpec } from '@gleam/executor';

/** Rows produced in the driver (strings, ints, parallelize, source(fn)) for one or more shards. */
export interface DriverSource {
  step: string;
  shards: string[];
  /** Batches of rows for one partition. */
  produce(partition: number): AsyncIterable<Row[]> | Iterable<Row[]>;
}

/** A driver-side consumer of a dataset, read partition by partition in order. */
export interface DriverSink {
  step: string;
  /** Per partition, in order: the shards (or sections of shards) holding its rows. */
  parts: ShardSet[];
  consume(rows: Row[]): void | Promise<void>;
  /**
   * Set when the planner made the tasks write this sink's shards as TSV text (TaskOutput
   * text 'tsv'): their frames then go to consumeText as bytes instead of rows to consume.
   */
  consumeText?(text: Uint8Array): void | Promise<void>;
  beginPartition?(partition: number): void | Promise<void>;
  endPartition?(partition: number): void | Promise<void>;
  /** Called once after the last partition (not on failure). */
  finish?(): void | Promise<void>;
  /**
   * Takes back what the sink was given of a partition, which is about to be read again (its data
   * was lost). A sink without it gets each partition only once it was read whole.
   */
  restartPartition?(partition: number): void | Promise<void>;
  /** Called once when the job fails or is cancelled: undo partial output (temporary files). */
  abort?(error: Error): void | Promise<void>;
}

/** A step group, for progress events and the status page. */
export interface StageInfo {
  index: number;
  /** Fused step names, e.g. `FlatMap-Map-LocalReduceBy-ScatterPartitions`. */
  name: string;
  partitions: number;
  /** Sources from driver memory and sinks run in the driver, not on executors. */
  driverSide: boolean;
  /** A driver-side stage's shards (plan names): those a sink reads, those a source writes (the DAG's edges). */
  reads?: readonly string[];
  writes?: readonly string[];
}

export interface PhysicalPlan {
  name: string;
  stages: StageInfo[];
  taskGroups: TaskGroupSpec[];
  sources: DriverSource[];
  sinks: DriverSink[];
  /**
   * Cached shards read by this plan that are known to be gone before it starts (MEMORY_ONLY
   * partitions dropped because they did not fit): their standby producers run at once.
   */
  lostShards?: string[];
}
