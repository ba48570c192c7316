// textFileStream(dir): every batch lists the folder and takes the files that appeared since the
// last listing, each once and whole (one row per line). Files must appear whole: write them
// elsewhere and rename them in (as Spark's file streams require); names starting with '.' or
// '_' (temporary files, markers) are skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GleamError } from '@gleam/executor';
import type { BatchInput } from '../batchScope';
import type { StreamingContext } from '../streamingContext';
import { InputDStream } from './inputDStream';

export interface TextFileStreamOptions {
  /** Also process the files already there at start (default false: only new ones). */
  includeExisting?: boolean;
}

export class FileInputDStream extends InputDStream<[string]> {
  readonly dir: string;
  /** @internal Names taken so far (saved in checkpoints); names gone from the folder are forgotten. */
  processed = new Set<string>();
  /** @internal Set when a checkpoint restored `processed`: the files present are not "existing" ones to skip. */
  restored = false;
  private readonly includeExisting: boolean;

  constructor(ssc: StreamingContext, dir: string, opts: TextFileStreamOptions = {}) {
    super(ssc, 'textFileStream');
    if (typeof dir !== 'string' || dir === '') throw new GleamError('textFileStream: expected a directory path');
    if (opts.includeExisting !== undefined && typeof opts.includeExisting !== 'boolean') throw new GleamError('textFileStream: includeExisting must be true or false');
    this.dir = path.resolve(dir);
    this.includeExisting = opts.includeExisting ?? false;
  }

  async start(): Promise<void> {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.dir);
    } catch {
      throw new GleamError(`textFileStream: the directory ${this.dir} does not exist`);
    }
    if (!st.isDirectory()) throw new GleamError(`textFileStream: ${this.dir} is not a directory`);
    if (!this.includeExisting && !this.restored) for (const f of this.list()) this.processed.add(f);
  }

  async stop(): Promise<void> {}

  takeBatch(): BatchInput {
    const present = this.list();
    const fresh = present.filter((f) => !this.processed.has(f)).sort();
    for (const f of fresh) this.processed.add(f);
    // Forget names no longer there: the set stays as small as the folder.
    if (this.processed.size > present.length) {
      const here = new Set(present);
      for (const f of this.processed) if (!here.has(f)) this.processed.delete(f);
    }
    return { kind: 'files', files: fresh.map((f) => path.join(this.dir, f)) };
  }

  /** Data file names in the folder now (a folder that vanished reads as empty, reported once). */
  private list(): string[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch (e) {
      this.ssc.receiverError(this.label, new GleamError(`textFileStream: cannot list ${this.dir}: ${(e as Error).message}`));
      return [];
    }
    const out: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      if (e.isFile() || (e.isSymbolicLink() && isFile(path.join(this.dir, e.name)))) out.push(e.name);
    }
    return out;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
