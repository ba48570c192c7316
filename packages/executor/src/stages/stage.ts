// One small interface for every physical instruction: rows are pushed one at a time inside a
// synchronous batch loop; asynchronous work (pipes, back pressure) happens only at batch edges.
export type Row = unknown[];
import type { TaskSpills } from '../spill/taskSpills';

export interface Stage {
  /** Hot path: never returns a promise. */
  push(row: Row): void;
  /** The one-field row [value]; stages that call a UDF with it skip allocating the row. */
  push1?(value: unknown): void;
  /**
   * A whole input frame, for a stage that can keep rows encoded: returns the rows it took, or -1
   * when it declines the frame (the caller then decodes it and pushes the rows).
   */
  pushFrame?(frame: Uint8Array): number;
  /** One row given as its msgpack encoding, bytes [start, end) of buf (as rows sit in frames). */
  pushEncoded?(buf: Uint8Array, start: number, end: number): void;
  /** Called after each input batch; may return a promise to apply back pressure. */
  flush(): void | Promise<void>;
  /** Input finished: emit what is buffered, then end the next stage. */
  end(): Promise<void>;
}

/** Shared by the stages of one task. */
export interface StageContext {
  /** The task's operator memory budget and spill files (see spill/taskSpills.ts). */
  spills?: TaskSpills;
  /** Set by a stage that needs no more input (e.g. a satisfied limit): the reader stops early. */
  stopInput: boolean;
  /** Cancels child processes and waits. */
  signal: AbortSignal;
}

/** Pass-through base: flush and end simply forward. */
export abstract class ForwardingStage implements Stage {
  constructor(protected readonly next: Stage) {}
  abstract push(row: Row): void;
  flush(): void | Promise<void> {
    return this.next.flush();
  }
  end(): Promise<void> {
    return this.next.end();
  }
}
