// Shared by the spill tests: running several datasets of one flow, and watching spill files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dataset, Flow } from '@gleam/flow-dsl';

export type Outputs = Record<string, unknown[][]>;

/** Runs every dataset of the flow in one run and returns each one's rows. */
export async function runDatasets(flow: Flow, datasets: Record<string, Dataset<any>>, opts: object): Promise<Outputs> {
  const out: Outputs = {};
  for (const [name, ds] of Object.entries(datasets)) {
    const rows: unknown[][] = [];
    out[name] = rows;
    ds.output((...fields: unknown[]) => {
      rows.push(fields);
    });
  }
  await flow.run(opts);
  return out;
}

/** The local runner's spill directory in this process (created, so it can be watched). */
export function localSpillDir(): string {
  const dir = path.join(os.tmpdir(), `gleam-spill-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Operator spill files (op-*.spill) that appear in the directories until stop() is called. */
export function watchSpills(dirs: string[]): { seen: Set<string>; stop: () => void } {
  const seen = new Set<string>();
  const watchers = dirs.map((dir) =>
    fs.watch(dir, (_event, name) => {
      if (name && /^op-.*\.spill$/.test(String(name))) seen.add(path.join(dir, String(name)));
    }),
  );
  return { seen, stop: () => watchers.forEach((w) => w.close()) };
}

/** Operator spill files left in a directory (none when the directory itself is gone). */
export function spillsLeft(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => n.startsWith('op-'));
}
