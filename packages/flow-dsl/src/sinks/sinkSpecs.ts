// Sinks as the DSL records them, turned into driver-side consumers of a dataset's shards.
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { GleamError, rowsToTsv, type Row, type ShardSet } from '@gleam/executor';
import type { DriverSink } from '@gleam/driver';
import { objectFileSink } from './objectFileSink';
import { compileFormat } from './printfFormat';
import { PartFile } from './partFile';

export type SinkSpec =
  | { kind: 'printf'; format: string; stream: NodeJS.WritableStream }
  | { kind: 'saveAsTextFile'; dir: string }
  | { kind: 'output'; fn: (...fields: unknown[]) => unknown }
  | { kind: 'collect'; limit?: number }
  /** Rows as msgpack frames in part files (a stream's checkpoint). */
  | { kind: 'objectFile'; dir: string };

export function sinkName(spec: SinkSpec): string {
  switch (spec.kind) {
    case 'printf': return 'Printf';
    case 'saveAsTextFile': return 'SaveAsTextFile';
    case 'output': return 'Output';
    case 'collect': return 'Collect';
    case 'objectFile': return 'SaveAsObjectFile';
  }
}

/** The sink's name in step names and errors, as users wrote it: `saveAsTextFile#4`. */
export function sinkStepName(spec: SinkSpec): string {
  const name = sinkName(spec);
  return name[0].toLowerCase() + name.slice(1);
}

/** Writes text honouring back pressure. */
function writeText(stream: NodeJS.WritableStream, text: string | Uint8Array): void | Promise<void> {
  if (text.length === 0 || stream.write(text)) return;
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', fail);
      resolve();
    };
    const fail = (e: Error) => {
      stream.off('drain', done);
      reject(e);
    };
    stream.once('drain', done);
    stream.once('error', fail);
  });
}

/** text: the shards hold TSV text written by the executors (only for saveAsTextFile). */
export function makeSink(spec: SinkSpec, step: string, parts: ShardSet[], collected?: Row[], text = false): DriverSink {
  if (text && spec.kind !== 'saveAsTextFile') throw new Error(`internal: a ${spec.kind} sink cannot read text shards`);
  switch (spec.kind) {
    case 'printf': {
      const format = compileFormat(spec.format, step);
      return {
        step,
        parts,
        consume(rows) {
          let text = '';
          for (let i = 0; i < rows.length; i++) text += format(rows[i]);
          return writeText(spec.stream, text);
        },
      };
    }
    case 'output':
      return {
        step,
        parts,
        async consume(rows) {
          for (const r of rows) {
            try {
              const p = spec.fn(...r);
              if (p && typeof (p as Promise<unknown>).then === 'function') await p;
            } catch (e) {
              throw new GleamError(`step "${step}": the output callback threw: ${(e as Error)?.message ?? e}`, step);
            }
          }
        },
      };
    case 'collect': {
      const out = collected ?? [];
      /** Rows collected before the current partition: a partition read again is cut back to it. */
      let partStart = 0;
      return {
        step,
        parts,
        beginPartition() {
          partStart = out.length;
        },
        consume(rows) {
          for (let i = 0; i < rows.length; i++) out.push(rows[i]);
        },
        restartPartition() {
          out.length = partStart;
        },
      };
    }
    case 'saveAsTextFile':
      return textFileSink(spec.dir, step, parts, text);
    case 'objectFile':
      checkOutputDir(path.resolve(spec.dir), step);
      return objectFileSink(spec.dir, step, parts);
  }
}

/**
 * The output directory can be made (or exists): checked when the flow is planned, so a file in
 * the way fails naming the step and the path before anything runs (it was a bare ENOTDIR).
 */
function checkOutputDir(target: string, step: string): void {
  for (let p = target; ; p = path.dirname(p)) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      if (path.dirname(p) === p) return;
      continue; // not there yet: mkdir makes it, if its parent allows
    }
    if (st.isDirectory()) return;
    if (p === target) {
      throw new GleamError(`step "${step}": the output path ${target} exists and is not a directory; ${step.split('#')[0]} writes a directory of part files — remove it or choose another path`, step);
    }
    throw new GleamError(`step "${step}": cannot create the output directory ${target}: ${p} exists and is not a directory`, step);
  }
}

/** One part-NNNNN file per partition, written under a temporary name and renamed at the end. */
function textFileSink(dir: string, step: string, parts: ShardSet[], text: boolean): DriverSink {
  const target = path.resolve(dir);
  checkOutputDir(target, step);
  const tmp = path.join(target, `_temporary-${process.pid}-${Date.now().toString(36)}`);
  /** Set when this sink made the output directory itself (a failed job then removes it if empty). */
  let madeTarget = false;
  const part = new PartFile(tmp);
  const written: string[] = [];
  return {
    step,
    parts,
    async beginPartition(p) {
      if (p === 0) madeTarget = (await fsp.mkdir(target, { recursive: true })) !== undefined;
      if (p === 0) await fsp.mkdir(tmp, { recursive: true });
      written.push(part.open(p));
    },
    async restartPartition(p) {
      // The part file is still under its temporary name: write it again from the start.
      await part.close();
      part.open(p);
    },
    consume(rows) {
      return part.write(rowsToTsv(rows));
    },
    ...(text ? { consumeText: (bytes: Uint8Array) => part.write(bytes) } : {}),
    async endPartition() {
      await part.close();
    },
    async finish() {
      if (parts.length === 0) await fsp.mkdir(tmp, { recursive: true });
      // Replace earlier output: old data files go, new ones are renamed in, then _SUCCESS.
      for (const f of await fsp.readdir(target)) {
        if (f.startsWith('part-') || f === '_SUCCESS') await fsp.rm(path.join(target, f), { force: true });
      }
      for (const name of written) await fsp.rename(path.join(tmp, name), path.join(target, name));
      await fsp.rm(tmp, { recursive: true, force: true });
      await fsp.writeFile(path.join(target, '_SUCCESS'), '');
    },
    async abort() {
      // The job failed: its part files never reach the output; earlier output stays as it was.
      await part.destroy();
      await fsp.rm(tmp, { recursive: true, force: true });
      if (madeTarget) await fsp.rmdir(target).catch(() => {});
    },
  };
}
