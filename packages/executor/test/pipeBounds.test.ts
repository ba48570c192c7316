// Pipe bounds: timeoutMs bounds a command's whole run, idleTimeoutMs a stretch in which it owes
// progress (input waiting or closed) and neither reads nor writes; expiry kills its process group.
import * as fs from 'node:fs';
import { PipeProcess, defaultIdleMs } from '../src/pipe/pipeProcess';
import { runPipeAsArgs } from '../src/pipe/pipeAsArgs';

jest.setTimeout(20000);

/** Processes whose command line holds `marker` (all of /proc, as a user would look). */
function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) out.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function gone(marker: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (processesWith(marker).length === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return processesWith(marker).length === 0;
}

function run(command: string, input: string[], opts: { timeoutMs?: number; idleTimeoutMs?: number }): { rows: unknown[][]; done: Promise<void> } {
  const rows: unknown[][] = [];
  const p = new PipeProcess(command, { stepName: 'pipe#2', onRows: (r) => void rows.push(...r), ...opts });
  const w = p.write(input.map((l) => [l]));
  const done = Promise.resolve(w).then(() => p.end());
  return { rows, done };
}

test('timeoutMs kills a command that runs too long, naming the step, the command and the bound', async () => {
  const marker = `gleam-timeout-${process.pid}`;
  const started = Date.now();
  const { done } = run(`sleep 1000; : ${marker}`, ['a'], { timeoutMs: 300 });
  await expect(done).rejects.toThrow(`step "pipe#2" failed: command 'sleep 1000; : ${marker}' ran longer than its timeoutMs (300 ms), and was killed`);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(await gone(marker, 3000)).toBe(true);
});

test('idleTimeoutMs kills a command that neither reads nor writes once its input is closed', async () => {
  const marker = `gleam-idle-${process.pid}`;
  const { rows, done } = run(`cat; sleep 1000; : ${marker}`, ['x', 'y'], { idleTimeoutMs: 400 });
  await expect(done).rejects.toThrow(
    `step "pipe#2" failed: command 'cat; sleep 1000; : ${marker}' neither read input nor wrote output for 400 ms (idleTimeoutMs; the default is GLEAM_PIPE_IDLE_MS or 600000), and was killed`,
  );
  expect(rows).toEqual([['x'], ['y']]);
  expect(await gone(marker, 3000)).toBe(true);
});

test('a command that keeps writing, or waits for input we have not sent, is not idle', async () => {
  // Output every 150 ms for ~1 s under a 400 ms idle bound.
  const steady = run('for i in 1 2 3 4 5 6 7; do echo $i; sleep 0.15; done', [], { idleTimeoutMs: 400 });
  await steady.done;
  expect(steady.rows).toEqual([['1'], ['2'], ['3'], ['4'], ['5'], ['6'], ['7']]);
  // `cat` waits 700 ms for its input: that wait is ours, not the command's.
  const rows: unknown[][] = [];
  const p = new PipeProcess('cat', { stepName: 'pipe#3', onRows: (r) => void rows.push(...r), idleTimeoutMs: 300 });
  await new Promise((r) => setTimeout(r, 700));
  await p.write([['late']]);
  await p.end();
  expect(rows).toEqual([['late']]);
});

test('pipeAsArgs bounds each run', async () => {
  const rows: unknown[][] = [];
  await expect(runPipeAsArgs('sleep $1; echo $1', [['0'], ['30']], { stepName: 'pipeAsArgs#2', onRows: (r) => void rows.push(...r), timeoutMs: 500 })).rejects.toThrow(
    /^step "pipeAsArgs#2" failed: command 'sleep .*30.*' ran longer than its timeoutMs \(500 ms\), and was killed$/,
  );
  expect(rows).toEqual([['0']]);
});

test('GLEAM_PIPE_IDLE_MS sets the default idle bound', () => {
  const saved = process.env.GLEAM_PIPE_IDLE_MS;
  try {
    delete process.env.GLEAM_PIPE_IDLE_MS;
    expect(defaultIdleMs()).toBe(600000);
    process.env.GLEAM_PIPE_IDLE_MS = '2500';
    expect(defaultIdleMs()).toBe(2500);
    process.env.GLEAM_PIPE_IDLE_MS = 'soon';
    expect(defaultIdleMs()).toBe(600000);
  } finally {
    if (saved === undefined) delete process.env.GLEAM_PIPE_IDLE_MS;
    else process.env.GLEAM_PIPE_IDLE_MS = saved;
  }
});
