// Output operations: what runs for every batch (even an empty one) and makes the stream's jobs.
// foreachBatch hands the batch's Dataset to the user in the driver; print takes n + 1 rows;
// saveAsTextFiles writes one directory per batch, committed by a rename so a reader never sees
// half a batch and a batch replayed after a restart replaces, never duplicates, its output.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { GleamError, rowsToTsv } from '@gleam/executor';
import type { Dataset } from '../dataset';
import type { RunOptions } from '../options';
import { DStream } from './dstream';

export interface OutputOp {
  stream: DStream<any>;
  label: string;
  run(ds: Dataset<any>, timeMs: number, run: RunOptions): Promise<void>;
}

declare module './dstream' {
  interface DStream<R extends unknown[]> {
    /** fn(ds, timeMs) in the driver for every batch; it may call actions on ds (awaited before the next batch). */
    foreachBatch(fn: (ds: Dataset<R>, timeMs: number) => unknown): void;
    /** Spark's name for foreachBatch. */
    foreachRDD(fn: (ds: Dataset<R>, timeMs: number) => unknown): void;
    /** Every batch: a `Time: T ms` header, then the first n rows (tab-separated fields), then `...` if there are more. */
    print(n?: number, out?: NodeJS.WritableStream): void;
    /** Every batch into the directory `prefix-TIMEMS[.suffix]` (part files and _SUCCESS), renamed in whole. */
    saveAsTextFiles(prefix: string, suffix?: string): void;
  }
}

const proto = DStream.prototype as DStream<any>;

proto.foreachBatch = function (fn) {
  if (typeof fn !== 'function') throw new GleamError('foreachBatch: expected a function (ds, timeMs) => ...');
  this.ssc.addOutput({
    stream: this,
    label: 'foreachBatch',
    async run(ds, timeMs) {
      try {
        await fn(ds, timeMs);
      } catch (e) {
        if (e instanceof GleamError) throw e;
        throw new GleamError(`foreachBatch (batch ${timeMs} ms): the function threw: ${(e as Error)?.stack ?? e}`);
      }
    },
  });
};

proto.foreachRDD = function (fn) {
  this.foreachBatch(fn);
};

proto.print = function (n = 10, out = process.stdout) {
  if (!Number.isInteger(n) || n < 1) throw new GleamError(`print: n must be a positive integer, got ${JSON.stringify(n)}`);
  this.ssc.addOutput({
    stream: this,
    label: 'print',
    async run(ds, timeMs, run) {
      const rows = await ds.take(n + 1, run, 'print');
      const line = '-------------------------------------------\n';
      let text = `${line}Time: ${timeMs} ms\n${line}`;
      text += rowsToTsv(rows.slice(0, n));
      if (rows.length > n) text += '...\n';
      out.write(`${text}\n`);
    },
  });
};

proto.saveAsTextFiles = function (prefix, suffix) {
  if (typeof prefix !== 'string' || prefix === '') throw new GleamError('saveAsTextFiles: expected a path prefix');
  if (suffix !== undefined && (typeof suffix !== 'string' || suffix === '' || suffix.includes('/'))) throw new GleamError('saveAsTextFiles: suffix must be a non-empty name without "/"');
  this.ssc.addOutput({
    stream: this,
    label: 'saveAsTextFiles',
    async run(ds, timeMs, run) {
      const target = path.resolve(`${prefix}-${timeMs}${suffix ? `.${suffix}` : ''}`);
      const base = path.basename(target);
      const tmp = path.join(path.dirname(target), `.${base}.tmp-${process.pid}`);
      await fsp.rm(tmp, { recursive: true, force: true });
      try {
        await ds.flow.runAction(ds, { kind: 'saveAsTextFile', dir: tmp }, run, 'saveAsTextFiles');
        await commitDir(tmp, target);
      } finally {
        await fsp.rm(tmp, { recursive: true, force: true });
      }
    },
  });
};

/** Moves a finished directory to its place; one already there (a replayed batch) is replaced. */
async function commitDir(tmp: string, target: string): Promise<void> {
  try {
    await fsp.rename(tmp, target);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
  }
  const old = `${path.join(path.dirname(target), `.${path.basename(target)}`)}.old-${process.pid}`;
  await fsp.rm(old, { recursive: true, force: true });
  await fsp.rename(target, old);
  await fsp.rename(tmp, target);
  await fsp.rm(old, { recursive: true, force: true });
}
