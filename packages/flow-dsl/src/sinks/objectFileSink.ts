// Rows saved as they are (msgpack frames, length-prefixed), one part file per partition, written
// under a temporary name and renamed in, `_SUCCESS` last: a stream's checkpoint keeps its state
// this way, types intact, and reads it back on restart.
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { decodeRows, encodeLengthPrefixed, encodeRows, GleamError, LengthPrefixedParser, type Row, type ShardSet } from '@gleam/executor';
import type { DriverSink } from '@gleam/driver';
import { PartFile } from './partFile';

export function objectFileSink(dir: string, step: string, parts: ShardSet[]): DriverSink {
  const target = path.resolve(dir);
  refuseForeignFiles(target, step);
  const tmp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const part = new PartFile(tmp);
  return {
    step,
    parts,
    async beginPartition(p) {
      if (p === 0) await fsp.mkdir(tmp, { recursive: true });
      part.open(p);
    },
    async restartPartition(p) {
      await part.close();
      part.open(p);
    },
    consume(rows) {
      if (rows.length === 0) return;
      return part.write(encodeLengthPrefixed(encodeRows(rows)));
    },
    async endPartition() {
      await part.close();
    },
    async finish() {
      await fsp.mkdir(tmp, { recursive: true });
      await fsp.writeFile(path.join(tmp, '_SUCCESS'), '');
      await fsp.rm(target, { recursive: true, force: true });
      await fsp.rename(tmp, target);
    },
    async abort() {
      await part.destroy();
      await fsp.rm(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * The directory is replaced as a whole: one holding anything but part files and _SUCCESS (not
 * written by this sink) is refused when the flow is planned rather than deleted.
 */
function refuseForeignFiles(target: string, step: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(target);
  } catch {
    return; // not there yet (or not a directory: checked by the caller)
  }
  const foreign = names.filter((n) => !/^part-\d+$/.test(n) && n !== '_SUCCESS');
  if (foreign.length > 0) {
    throw new GleamError(`step "${step}": the output directory ${target} holds files that are not saved rows (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); ${step.split('#')[0]} replaces the whole directory — choose a new or empty path`, step);
  }
}

/** The rows of a directory written by objectFileSink, in part order. */
export function readObjectFiles(dir: string): Row[] {
  if (!fs.existsSync(path.join(dir, '_SUCCESS'))) throw new GleamError(`${dir} is not a complete saved dataset (no _SUCCESS)`);
  const rows: Row[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.startsWith('part-')).sort()) {
    const parser = new LengthPrefixedParser();
    for (const frame of parser.push(fs.readFileSync(path.join(dir, f)))) for (const r of decodeRows(frame)) rows.push(r);
    if (parser.hasPartial) throw new GleamError(`${path.join(dir, f)} ends in the middle of a frame (a truncated file)`);
  }
  return rows;
}
