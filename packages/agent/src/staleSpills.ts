// Spill files left by an agent that crashed: the store names them <shard>.<pid>-<tag>.<n>.spill,
// so files of a process that no longer exists can be removed at startup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';

const SPILL_NAME = /\.(\d+)-[0-9a-f]{8}\.\d+\.spill$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function removeStaleSpills(dir: string, log: Logger): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // no dir yet: nothing left behind
  }
  let removed = 0;
  for (const name of names) {
    const m = SPILL_NAME.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
      removed++;
    } catch {
      // Another agent sharing the dir may have removed it first.
    }
  }
  if (removed > 0) log.info({ dir, removed }, 'removed spill files of dead processes');
}
