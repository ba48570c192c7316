// A checkpointed stream survives the death of its driver: killed (SIGKILL) while files keep
// arriving, and started again with the same script and checkpoint, it processes every file once
// (none twice, none skipped), its state goes on from where it was, and saveAsTextFiles holds each
// batch's output once.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../helpers/runNode';
import { sleep, waitFor } from './helpers';

jest.setTimeout(120000);

interface Driver {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function startDriver(args: string[], env: NodeJS.ProcessEnv = {}): Driver {
  const proc = spawn(process.execPath, [path.join(repoRoot, 'test', 'fixtures', 'streaming-checkpoint.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const d: Driver = { proc, lines: [], exited: new Promise((r) => proc.on('exit', (code) => r(code))) };
  let buf = '';
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => {
    buf += s;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    d.lines.push(...parts);
  });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  proc.on('exit', (code) => {
    if (code !== 0 && code !== null) d.lines.push(`exit ${code}: ${err}`);
  });
  return d;
}

/** The newest running totals a driver printed. */
function lastTotals(d: Driver): Record<string, number> | undefined {
  for (let i = d.lines.length - 1; i >= 0; i--) if (d.lines[i].startsWith('{"timeMs"')) return JSON.parse(d.lines[i]).totals;
  return undefined;
}

let work: string;
const procs: ChildProcess[] = [];
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-ckpt-'));
});
afterEach(() => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

test('a driver killed mid-stream resumes from its checkpoint: every file once, state continued, each batch saved once', async () => {
  const watch = path.join(work, 'in');
  const stage = path.join(work, 'stage');
  const out = path.join(work, 'out');
  fs.mkdirSync(watch);
  fs.mkdirSync(stage);
  fs.mkdirSync(out);
  const args = [watch, path.join(out, 'counts'), path.join(work, 'ckpt')];
  // File i holds its own words (u<i>x, i+1 times each) and `common` once per line.
  const expected: Record<string, number> = {};
  const put = (i: number) => {
    const lines = Array.from({ length: i + 1 }, () => `u${i}x common`);
    fs.writeFileSync(path.join(stage, `f${i}.txt`), `${lines.join('\n')}\n`);
    fs.renameSync(path.join(stage, `f${i}.txt`), path.join(watch, `f${i}.txt`));
    expected[`u${i}x`] = i + 1;
    expected.common = (expected.common ?? 0) + i + 1;
  };

  // The first driver lingers after each batch's outputs, so the kill lands before the batch is marked complete.
  const first = startDriver(args, { CKPT_SLOW_MS: '400' });
  procs.push(first.proc);
  await waitFor(() => first.lines.includes('started'), 'the first driver to start', 20000);
  for (let i = 0; i < 6; i++) {
    put(i);
    await sleep(90);
  }
  await waitFor(() => lastTotals(first)?.u5x === 6, 'files 0-5 counted', 20000);
  // More files; the crash comes right after the batch that took them ran its outputs.
  put(6);
  put(7);
  await waitFor(() => lastTotals(first)?.u7x === 8, 'files 6 and 7 in a batch', 20000);
  first.proc.kill('SIGKILL');
  await first.exited;
  // Files that arrive while the driver is down.
  put(8);
  put(9);

  const second = startDriver(args);
  procs.push(second.proc);
  await waitFor(() => second.lines.includes('started'), 'the second driver to start', 20000);
  put(10);
  await waitFor(() => lastTotals(second)?.u10x === 11, 'every file counted after the restart', 30000);
  await sleep(500); // more batches: nothing may come twice
  second.proc.kill('SIGTERM');
  expect(await second.exited).toBe(0);

  // The state went on across the crash: the totals are those of every file, each counted once.
  expect(lastTotals(second)).toEqual(expected);
  // Every batch's counts were saved once: summed over the batch directories, each file's words once.
  const saved: Record<string, number> = {};
  const dirs = fs.readdirSync(out);
  expect(dirs.filter((d) => d.startsWith('.'))).toEqual([]); // no temporary directory left
  for (const d of dirs) {
    expect(d).toMatch(/^counts-\d+$/);
    expect(fs.existsSync(path.join(out, d, '_SUCCESS'))).toBe(true);
    for (const f of fs.readdirSync(path.join(out, d)).filter((n) => n.startsWith('part-'))) {
      for (const line of fs.readFileSync(path.join(out, d, f), 'utf8').split('\n').filter(Boolean)) {
        const [w, n] = line.split('\t');
        saved[w] = (saved[w] ?? 0) + Number(n);
      }
    }
  }
  expect(saved).toEqual(expected);
  // The batch cut short was run again after the restart, at its own time, with its two files.
  const replayed = second.lines.filter((l) => l.includes('"replayed":true')).map((l) => JSON.parse(l));
  expect(replayed.length).toBeGreaterThanOrEqual(1);
  expect(replayed.some((b) => b.files === 2)).toBe(true);
  const completedFirst = new Set(first.lines.filter((l) => l.startsWith('{"batch"')).map((l) => JSON.parse(l).batch));
  for (const b of replayed) expect(completedFirst.has(b.batch)).toBe(false);
});

test('a checkpoint written with another batch interval is refused with the reason', async () => {
  const ckpt = path.join(work, 'ckpt');
  fs.mkdirSync(ckpt);
  fs.writeFileSync(path.join(ckpt, 'metadata.json'), JSON.stringify({ version: 1, batchMs: 1000, zeroMs: 0, lastCompletedMs: null, pending: [], seen: {}, queue: {}, kept: [] }));
  fs.mkdirSync(path.join(work, 'in'));
  const d = startDriver([path.join(work, 'in'), path.join(work, 'out', 'c'), ckpt]);
  procs.push(d.proc);
  expect(await d.exited).toBe(1);
  expect(d.lines.join('\n')).toContain(`the checkpoint in ${ckpt} was written with batchMs 1000, not 200`);
});
