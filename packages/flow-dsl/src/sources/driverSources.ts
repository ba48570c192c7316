// Sources from driver memory: the driver encodes the rows and writes them to shards itself.
import { checkRows, GleamError, describeRow, type Row } from '@gleam/executor';
import type { DriverSource } from '@gleam/driver';
import type { LogicalNode, SourceStep } from '../steps';

const BATCH = 4096;

/** Like Spark's parallelize: n contiguous slices in order, sizes differing by at most one. */
export function driverRowsSource(st: Extract<SourceStep, { kind: 'driverRows' }>, node: LogicalNode, defaultPartitions: number): DriverSource {
  const n = Math.max(1, st.partitions ?? defaultPartitions);
  const rows = st.rows;
  return {
    step: node.stepName,
    shards: Array.from({ length: n }, (_, p) => `d${node.id}-s${p}`),
    *produce(p: number) {
      const from = Math.floor((p * rows.length) / n);
      const to = Math.floor(((p + 1) * rows.length) / n);
      for (let i = from; i < to; i += BATCH) {
        const batch = rows.slice(i, Math.min(to, i + BATCH));
        checkRows(batch, node.stepName);
        yield batch;
      }
    },
  };
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
