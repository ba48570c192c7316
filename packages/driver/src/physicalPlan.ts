// What the driver runs: task groups for executors, plus the driver-side ends of the flow
// (sources that write shards from driver memory, sinks that read final shards in order).
import type { Row, TaskGroupSpec } from '@gleam/executor';

/** Rows produced in the driver (strings, ints, parallelize, source(fn)) for one or more shards. */
export interface DriverSource {
  step: string;
  shards: string[];
  /** Batches of rows for one partition. */
  produce(partition: number): AsyncIterable<Row[]> | Iterable<Row[]>;
}

/** A driver-side consumer of a dataset's shards, read in partition order. */
export interface DriverSink {
  step: string;
  shards: string[];
  consume(rows: Row[]): void | Promise<void>;
  /**
   * Set when the planner made the tasks write this sink's shards as TSV text (TaskOutput
   * text 'tsv'): their frames then go to consumeText as bytes instead of rows to consume.
   */
  consumeText?(text: Uint8Array): void | Promise<void>;
  beginPartition?(partition: number): void | Promise<void>;
  endPartition?(partition: number): void | Promise<void>;
  /** Called once after the last shard (not on failure). */
  finish?(): void | Promise<void>;
  /** Called once when the job fails instead of finish: drop what was written (temp files). */
  abort?(error: Error): void | Promise<void>;
}

export interface PhysicalPlan {
  name: string;
  taskGroups: TaskGroupSpec[];
  sources: DriverSource[];
  sinks: DriverSink[];
}
