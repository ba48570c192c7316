// Sources from driver memory: rows known when the flow is planned travel inside the tasks as row
// frames; a source(fn) generator runs in the driver, which writes its shard itself.
import { checkRows, FrameBuilder, GleamError, describeRow, type Row } from '@gleam/executor';
import type { DriverSource } from '@gleam/driver';
import type { LogicalNode, SourceStep } from '../steps';

const BATCH = 4096;

/**
 * Like Spark's parallelize: n contiguous slices in order, sizes differing by at most one, each
 * encoded into row frames for the tasks that read it.
 */
export function driverRowFrames(st: Extract<SourceStep, { kind: 'driverRows' }>, node: LogicalNode, defaultPartitions: number): { frames: Uint8Array[]; rows: number }[] {
  const n = Math.max(1, st.partitions ?? defaultPartitions);
  const rows = st.rows;
  return Array.from({ length: n }, (_, p) => {
    const from = Math.floor((p * rows.length) / n);
    const to = Math.floor(((p + 1) * rows.length) / n);
    const frames: Uint8Array[] = [];
    try {
      const fb = new FrameBuilder((frame) => frames.push(frame));
      for (let i = from; i < to; i += BATCH) {
        const batch = rows.slice(i, Math.min(to, i + BATCH));
        checkRows(batch, node.stepName);
        fb.addAll(batch);
      }
      fb.flush();
    } catch (e) {
      if (e instanceof GleamError) throw e;
      throw new GleamError(`step "${node.stepName}": its rows cannot be encoded: ${(e as Error)?.message ?? e}`, node.stepName);
    }
    return { frames, rows: to - from };
  });
}

/** source(fn): a driver-side (async) generator of rows or values, one partition. */
export function sourceFnSource(st: Extract<SourceStep, { kind: 'sourceFn' }>, node: LogicalNode): DriverSource {
  return {
    step: node.stepName,
    shards: [`d${node.id}-s0`],
    async *produce() {
      const it = st.fn();
      if (it === null || typeof it !== 'object' || (!(Symbol.asyncIterator in it) && !(Symbol.iterator in it))) {
        throw new GleamError(`step "${node.stepName}": source(fn) must return an (async) iterable of rows, got ${describeRow(it)}`, node.stepName);
      }
      let batch: Row[] = [];
      for await (const v of it as AsyncIterable<unknown>) {
        batch.push(Array.isArray(v) ? v : [v]);
        if (batch.length >= 1024) {
          checkRows(batch, node.stepName);
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) {
        checkRows(batch, node.stepName);
        yield batch;
      }
    },
  };
}
