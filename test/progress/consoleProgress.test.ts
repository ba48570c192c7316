// The driver's console progress, seen as a user sees it: on a real pseudo-terminal (python3's pty
// module runs the driver) a live display redrawn while the first task still runs, with the rows
// read so far; in a pipe one plain line per stage change; --quiet turns it off.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gleam, repoRoot, run } from '../helpers/runNode';

const LINES = 20000;
let dir: string;
let script: string;
let input: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-progress-'));
  input = path.join(dir, 'lines.txt');
  fs.writeFileSync(input, Array.from({ length: LINES }, (_, i) => `line ${String(i).padStart(6, '0')} ${'x'.repeat(38)}\n`).join(''));
  // A busy map (0.1 ms a row) over one text split: its only task runs for ~2 s, reading 64 KB
  // batches, so progress must show rows before any task finishes.
  script = flowScript('slow.js', `new Flow('slow file')
  .textFile(process.argv[2])
  .map('(line) => { const end = performance.now() + 0.1; while (performance.now() < end) {} return [line.length % 5, 1]; }')
  .reduceBy((a, b) => a + b)
  .collect()
  .then((rows) => console.log('result', JSON.stringify(rows)));`);
});

/** A driver script in the test's directory: `body` uses Flow (the repository's built DSL). */
function flowScript(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `const { Flow } = require(${JSON.stringify(path.join(repoRoot, 'packages', 'flow-dsl'))});\n${body}\n`);
  return file;
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs a command on a pseudo-terminal (stdout and stderr are the terminal); returns what it showed. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run('python3', ['-c', 'import pty,sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', ...args], { env: { GLEAM_EXECUTORS: '2', COLUMNS: '100', ...env }, timeoutMs: 60000 });
}

interface Frame {
  stage: number;
  done: number;
  running: number;
  total: number;
  rows: number;
  seconds: number;
}

// `stage 0 TextFile-Map-… [=====>      ] 0+1/1 | 3,858 rows | 0 B | 0.9s`
const FRAME = /stage (\d+) [^[\n]*\[[=> ]*\] (\d+)\+(\d+)\/(\d+) \| ([\d,]+) rows \| [^|]+ \| ([\d.]+)s/g;

function frames(out: string): Frame[] {
  return [...out.matchAll(FRAME)].map((m) => ({ stage: +m[1], done: +m[2], running: +m[3], total: +m[4], rows: Number(m[5].replace(/,/g, '')), seconds: +m[6] }));
}

test('on a terminal: a live display per stage, redrawn at least every 500 ms before the first task finishes, with rows read so far', async () => {
  const started = Date.now();
  const r = await onTerminal([process.execPath, script, input]);
  const out = r.stdout;
  expect(r.code).toBe(0);
  expect(out).toContain('result [[0,20000]]');
  const all = frames(out);
  const first = all.filter((f) => f.stage === 0 && f.done === 0);
  // Distinct redraws while stage 0's only task runs (its elapsed time moves).
  const times = [...new Set(first.map((f) => f.seconds))].sort((a, b) => a - b);
  expect(times.length).toBeGreaterThanOrEqual(3);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const sortedGaps = [...gaps].sort((a, b) => a - b);
  const median = sortedGaps[Math.floor(sortedGaps.length / 2)];
  // Redraws every 200 ms; on a loaded machine single gaps can be longer, the median cannot.
  expect(median).toBeLessThanOrEqual(0.5);
  // Rows read by the running task show before it finishes, and grow.
  const rowsBefore = first.map((f) => f.rows);
  expect(rowsBefore.some((n) => n > 0 && n < LINES)).toBe(true);
  expect(rowsBefore).toEqual([...rowsBefore].sort((a, b) => a - b));
  // The last frame of each stage: all tasks done, the rows of the whole input.
  const last0 = all.filter((f) => f.stage === 0).pop()!;
  expect(last0).toMatchObject({ done: 1, running: 0, total: 1, rows: LINES });
  expect(all.filter((f) => f.stage === 1).pop()).toMatchObject({ done: 2, running: 0, total: 2 });
  expect(out).toMatch(/\[gleam\] job slow file succeeded in [\d.]+s \(3\/3 tasks\)/);
  // The library drew in place: the cursor goes back up over the two bars for every redraw.
  expect(out.split('\x1b[1A').length - 1).toBeGreaterThanOrEqual(times.length - 1);
  process.stdout.write(`[progress] ${first.length} frames with stage 0 running, redraw gaps median ${median.toFixed(2)} s, run ${Date.now() - started} ms\n`);
});

test('on a terminal, what the script prints during the job goes above the bars, whole and in order', async () => {
  const printing = flowScript('printing.js', `new Flow('printing')
  .textFile(process.argv[2])
  .map('(line) => { const end = performance.now() + 0.05; while (performance.now() < end) {} return [line.slice(0, 11)]; }')
  .printf('%s\\n')
  .run();`);
  const r = await onTerminal([process.execPath, printing, input]);
  expect(r.code).toBe(0);
  const printed = r.stdout.match(/line \d{6}/g) ?? [];
  expect(printed).toEqual(Array.from({ length: LINES }, (_, i) => `line ${String(i).padStart(6, '0')}`));
  expect(frames(r.stdout).length).toBeGreaterThan(0);
  expect(r.stdout).toMatch(/\[gleam\] job printing succeeded/);
});

test('not on a terminal: one plain line per stage change (GLEAM_PROGRESS=1, as --progress sets), no escape codes', async () => {
  const r = await run(process.execPath, [script, input], { env: { GLEAM_EXECUTORS: '2', GLEAM_PROGRESS: '1' } });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('result [[0,20000]]\n');
  expect(r.stderr).not.toContain('\x1b');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(5);
  expect(lines.filter((l) => / started: /.test(l)).sort()).toEqual([
    '[gleam] stage 0 TextFile-Map-LocalReduceBy-ScatterPartitions started: 1 task',
    '[gleam] stage 1 CollectPartitions-MergeReduceBy started: 2 tasks',
  ]);
  expect(lines).toContainEqual(expect.stringMatching(/^\[gleam\] stage 0 TextFile-Map-LocalReduceBy-ScatterPartitions done: 1\/1 tasks, 20,000 rows in, 1 rows out, \d+(\.\d)? [KMG]?i?B, [\d.]+s$/));
  expect(lines).toContainEqual(expect.stringMatching(/^\[gleam\] stage 1 CollectPartitions-MergeReduceBy done: 2\/2 tasks, 1 rows in, 1 rows out, /));
  expect(lines[4]).toMatch(/^\[gleam\] job slow file succeeded in [\d.]+s \(3\/3 tasks\)$/);
});

test('off by default in a pipe, and `gleam run --quiet` turns it off on a terminal', async () => {
  const piped = await run(process.execPath, [script, input], { env: { GLEAM_EXECUTORS: '2', GLEAM_PROGRESS: '' } });
  expect(piped.code).toBe(0);
  expect(piped.stderr).toBe('');
  const quiet = await onTerminal([process.execPath, path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js'), 'run', '--quiet', script, input]);
  expect(quiet.code).toBe(0);
  expect(quiet.stdout).toContain('result [[0,20000]]');
  expect(quiet.stdout).not.toContain('stage 0');
  expect(quiet.stdout).not.toContain('[gleam]');
});
