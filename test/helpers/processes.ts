// Processes of this machine seen through /proc: for tests that check that no child outlives a
// job or a driver (pipe commands carry a unique marker in their command line).
import * as fs from 'node:fs';

/** PIDs whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // gone meanwhile
    }
    if (cmd.includes(marker) && Number(name) !== process.pid) out.push(Number(name));
  }
  return out;
}

/** Resolves once `check` holds (polled), or rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10000, everyMs = 50): Promise<number> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Date.now() - t0;
}

export function uniqueMarker(tag: string): string {
  return `gleam-test-${tag}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
