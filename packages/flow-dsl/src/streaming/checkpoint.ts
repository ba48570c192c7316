// A stream's checkpoint: enough to resume after the driver dies. Before a batch's outputs run,
// its inputs (the files it takes, a queue's position) are written ahead; after they ran, the
// batch is marked complete together with the datasets kept for later batches (saved once each,
// as object files) and the file streams' progress. A restarted driver with the same script
// replays written-ahead batches that did not complete — same time, same files, so
// saveAsTextFiles replaces their output — restores the kept datasets, and goes on. Rows a
// receiver or a socket held in memory are not saved: they are lost with the driver, as with
// Spark's unreliable receivers.
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { GleamError } from '@gleam/executor';
import type { RunOptions } from '../options';
import { readObjectFiles } from '../sinks/objectFileSink';
import type { KeptEntry } from './keptData';

const VERSION = 1;

/** A batch whose inputs were taken and written ahead. */
export interface LoggedBatch {
  timeMs: number;
  /** File stream id -> the files of this batch. */
  files: Record<string, string[]>;
  /** File stream id -> the names taken so far, this batch's included. */
  seen: Record<string, string[]>;
  /** Queue stream id -> the queue position of this batch. */
  queue: Record<string, number>;
}

export interface CheckpointMeta {
  version: number;
  batchMs: number;
  zeroMs: number;
  lastCompletedMs: number | null;
  /** Batches written ahead and not completed, oldest first. */
  pending: LoggedBatch[];
  /** After the last completed batch: file stream id -> names taken. */
  seen: Record<string, string[]>;
  queue: Record<string, number>;
  kept: { owners: string[]; timeMs: number; label: string; dir: string }[];
}

export class Checkpoint {
  private readonly file: string;
  private meta: CheckpointMeta | undefined;
  private saves = 0;

  constructor(readonly dir: string) {
    this.dir = path.resolve(dir);
    this.file = path.join(this.dir, 'metadata.json');
  }

  /** The saved state, if any; a checkpoint of another batch interval is refused. */
  load(batchMs: number): CheckpointMeta | undefined {
    if (!fs.existsSync(this.file)) return undefined;
    let meta: CheckpointMeta;
    try {
      meta = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (e) {
      throw new GleamError(`streaming: the checkpoint ${this.file} cannot be read: ${(e as Error).message}`);
    }
    if (meta.version !== VERSION) throw new GleamError(`streaming: the checkpoint in ${this.dir} has version ${meta.version}; this version of gleam reads version ${VERSION}`);
    if (meta.batchMs !== batchMs) {
      throw new GleamError(`streaming: the checkpoint in ${this.dir} was written with batchMs ${meta.batchMs}, not ${batchMs}: use the same interval, or another checkpoint directory`);
    }
    this.meta = meta;
    return meta;
  }

  /** Starts a new checkpoint (none was there). */
  begin(batchMs: number, zeroMs: number): void {
    this.meta = { version: VERSION, batchMs, zeroMs, lastCompletedMs: null, pending: [], seen: {}, queue: {}, kept: [] };
  }

  /** The rows of a kept dataset saved earlier. */
  readKept(dir: string): unknown[][] {
    return readObjectFiles(path.join(this.dir, dir));
  }

  /** A batch's inputs, before its outputs run. */
  async writeAhead(batch: LoggedBatch): Promise<void> {
    const m = this.meta!;
    if (!m.pending.some((p) => p.timeMs === batch.timeMs)) m.pending.push(batch);
    await this.save();
  }

  /**
   * A batch completed: saves the kept datasets not saved yet, then the metadata naming them, then
   * deletes the saved copies of datasets no longer kept.
   */
  async complete(timeMs: number, kept: KeptEntry[], released: KeptEntry[], run: RunOptions): Promise<void> {
    const m = this.meta!;
    for (const e of kept) {
      if (e.saved) continue;
      const dir = `data/${e.timeMs}-${[...e.owners][0].replace(/[^A-Za-z0-9]+/g, '_')}-${this.saves++}`;
      await e.ds.flow.runAction(e.ds, { kind: 'objectFile', dir: path.join(this.dir, dir) }, run, 'checkpoint');
      e.saved = dir;
    }
    const done = m.pending.find((p) => p.timeMs === timeMs);
    m.pending = m.pending.filter((p) => p.timeMs !== timeMs);
    if (done) {
      m.seen = done.seen;
      m.queue = done.queue;
    }
    m.lastCompletedMs = timeMs;
    m.kept = kept.filter((e) => e.saved).map((e) => ({ owners: [...e.owners], timeMs: e.timeMs, label: e.label, dir: e.saved! }));
    await this.save();
    for (const e of released) if (e.saved) await fsp.rm(path.join(this.dir, e.saved), { recursive: true, force: true });
  }

  /** Writes the metadata by rename: a crash leaves the old file or the new one, never half. */
  private async save(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(this.meta));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, this.file);
  }
}
