// The engine's checkpoint: one JSON file, written to a temporary name, synced and renamed, so a
// crash leaves the old file or the new one. It holds the queries with their state, the names of
// the files already processed, and the counters.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SavedQuery } from './standingQuery';
import type { EngineMetrics, InputFormat } from './types';

export interface EngineCheckpoint {
  version: 1;
  format: InputFormat;
  watchDir: string;
  nextId: number;
  queries: SavedQuery[];
  /** File names (in the watched folder) already read, or skipped as present at the first start. */
  processed: string[];
  metrics: EngineMetrics;
}

const FILE = 'queries.json';

export function loadCheckpoint(dir: string): EngineCheckpoint | undefined {
  const file = path.join(dir, FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`checkpoint: cannot read ${file}: ${(e as Error).message}`);
  }
  let data: EngineCheckpoint;
  try {
    data = JSON.parse(text) as EngineCheckpoint;
  } catch (e) {
    throw new Error(`checkpoint: ${file} is not valid JSON (${(e as Error).message})`);
  }
  if (data?.version !== 1 || !Array.isArray(data.queries) || !Array.isArray(data.processed)) throw new Error(`checkpoint: ${file} is not a standing-query checkpoint (version 1)`);
  return data;
}

export async function saveCheckpoint(dir: string, data: EngineCheckpoint): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, FILE);
  const tmp = path.join(dir, `.${FILE}.tmp-${process.pid}`);
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(data));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
}
