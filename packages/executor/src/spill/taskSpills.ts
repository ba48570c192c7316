// One task's memory budget for operator state, and the spill files it wrote when over it.
// Files are named <dir>/op-<seq>.<pid>-<8 hex>.<n>.spill, the pattern the agent's stale-spill
// cleanup (packages/agent/src/staleSpills.ts) removes after a crash; a task removes its own when
// it ends or fails (runTask's finally).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What a host gives its executor threads: bytes of operator state per task, and where to spill. */
export interface TaskMemoryLimits {
  /** Approximate heap bytes one task's stateful stages may hold before spilling. */
  taskMemoryBytes: number;
  /** Directory for operator spill files (created on the first spill). */
  spillDir: string;
}

/** Used when a host sets no limit: the same default as the local shard store, split per task. */
export function defaultTaskMemoryLimits(): TaskMemoryLimits {
  return {
    taskMemoryBytes: Math.floor(Math.min(4 * 1024 ** 3, os.totalmem() / 4) / Math.max(1, os.availableParallelism())),
    spillDir: path.join(os.tmpdir(), `gleam-spill-${process.pid}`),
  };
}

let fileSeq = 0;
const fileTag = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

export class TaskSpills {
  private readonly paths = new Set<string>();
  /** Files created over the task's life (for tests and stats). */
  created = 0;
  constructor(readonly budgetBytes: number, private readonly dir: string) {
    if (!(budgetBytes > 0)) throw new RangeError(`task memory budget must be positive, got ${budgetBytes}`);
  }

  /** A new, empty spill file path owned by this task. */
  newPath(): string {
    if (this.created === 0) fs.mkdirSync(this.dir, { recursive: true });
    const p = path.join(this.dir, `op-${++fileSeq}.${fileTag}.${this.created++}.spill`);
    this.paths.add(p);
    return p;
  }

  /** A file read back completely may go early (frees disk while the task goes on). */
  release(p: string): void {
    if (!this.paths.delete(p)) return;
    fs.rmSync(p, { force: true });
  }

  /** Removes every file the task still has (task done, failed or cancelled). */
  removeAll(): void {
    for (const p of this.paths) fs.rmSync(p, { force: true });
    this.paths.clear();
  }
}

/**
 * Approximate V8 heap bytes of a row (header, field slots, strings, nested values). Only the
 * order of magnitude matters: it decides when state is big enough to spill.
 */
export function approxRowBytes(row: unknown[]): number {
  let n = 32 + 8 * row.length;
  for (let i = 0; i < row.length; i++) n += approxValueBytes(row[i], 2);
  return n;
}

function approxValueBytes(v: unknown, depth: number): number {
  switch (typeof v) {
    case 'string':
      return 20 + v.length;
    case 'number':
      return 12;
    case 'object': {
      if (v === null) return 0;
      if (ArrayBuffer.isView(v)) return 96 + v.byteLength;
      if (depth === 0) return 64;
      if (Array.isArray(v)) {
        let n = 32 + 8 * v.length;
        // Long arrays: measure a prefix and scale, so a grouped value list costs O(1) to size.
        const m = v.length < 16 ? v.length : 16;
        let s = 0;
        for (let i = 0; i < m; i++) s += approxValueBytes(v[i], depth - 1);
        if (m > 0) n += (s / m) * v.length;
        return n;
      }
      let n = 64;
      for (const k in v as Record<string, unknown>) n += 24 + k.length + approxValueBytes((v as Record<string, unknown>)[k], depth - 1);
      return n;
    }
    case 'bigint':
      return 24;
    default:
      return 0;
  }
}
