// Shared helpers of the operator tests: run options, multiset comparison, temp files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dataset, Flow } from '@gleam/flow-dsl';

/** Executor counts every operator is checked with (they also set the default partition count). */
export const EXECUTORS = [1, 2, 3] as const;

/** A stable text form of any field value, for comparing rows as multisets. */
export function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (typeof x === 'number' && !Number.isFinite(x)) return `number:${x}`;
    if (x instanceof Uint8Array) return `bytes:${Array.from(x).join(',')}`;
    if (x !== null && typeof x === 'object' && x.type === 'Buffer' && Array.isArray(x.data)) return `bytes:${x.data.join(',')}`;
    return x;
  });
}

/** Rows sorted by their text form: use where the order of rows is not defined. */
export function sorted<T>(rows: T[]): T[] {
  return sortedByText(rows, canon);
}

/** Rows sorted by a text form of each (computed once per row). */
export function sortedByText<T>(rows: T[], text: (row: T) => string): T[] {
  return rows
    .map((r) => ({ r, k: text(r) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.r);
}

/**
 * Runs several datasets of one flow in a single run: each gets an output sink collecting its
 * rows (fields as arguments), and flow.run() executes every sink.
 */
export async function runAll<K extends string>(flow: Flow, datasets: Record<K, Dataset<any>>, opts: { executors?: number; partitions?: number } = {}): Promise<Record<K, unknown[][]>> {
  const out = {} as Record<K, unknown[][]>;
  for (const name of Object.keys(datasets) as K[]) {
    const rows: unknown[][] = [];
    out[name] = rows;
    datasets[name].output((...fields: unknown[]) => {
      rows.push(fields);
    });
  }
  await flow.run(opts);
  return out;
}

/** The rows of every partition, in partition order, as seen by mapPartitions. */
export function partitionsOf(ds: Dataset<any>): Dataset<any> {
  return ds.mapPartitions((rows: Iterable<unknown[]>) => [[Array.from(rows)]]);
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gleam-op-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** 0, 1, ..., n-1 */
export function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}
