// The streaming examples run as users run them (ts-node and `gleam run`), each fed by a real
// source: a TCP server for the socket word count, files moved into a folder for watch-folder, a
// growing access log followed by `tail -F` for the custom receiver. Every batch's output is
// checked against the input: per-batch counts, running totals, windows, saved directories, a
// restart from the checkpoint, back pressure.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { processesWith, waitFor } from '../helpers/processes';
import { gleam, repoRoot } from '../helpers/runNode';
import { lineServer } from '../streaming/helpers';

jest.setTimeout(45000);

const TS_NODE = path.join(repoRoot, 'node_modules', 'ts-node', 'dist', 'bin.js');
const GLEAM = path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js');

interface Example {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
const temps: string[] = [];

/** Starts an example as a child process: `ts-node examples/NAME.ts args` or `gleam run examples/NAME.ts args`. */
function start(name: string, args: string[], env: NodeJS.ProcessEnv = {}, via: 'ts-node' | 'gleam' = 'ts-node'): Example {
  const script = `examples/${name}.ts`;
  const argv = via === 'ts-node' ? [TS_NODE, script, ...args] : [GLEAM, 'run', script, ...args];
  const proc = spawn(process.execPath, argv, { cwd: repoRoot, env: { ...process.env, GLEAM_MASTER: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** The exit code, or a failure naming the example and its stderr after `ms`. */
async function exitOf(ex: Example, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the example did not exit within ${ms} ms; stderr:\n${ex.stderr()}`)), ms)));
  try {
    return await Promise.race([ex.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gleam-${tag}-`));
  temps.push(dir);
  return dir;
}

afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const dir of temps.splice(0)) {
    // A child the example started (tail -F of a file in here) goes with the test too.
    for (const pid of processesWith(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

type Counts = Record<string, number>;

/** Words as the examples split them. */
function wordCounts(text: string): Counts {
  const out: Counts = {};
  for (const w of text.toLowerCase().split(/[^a-z]+/).filter(Boolean)) out[w] = (out[w] ?? 0) + 1;
  return out;
}

function add(into: Counts, more: Counts): Counts {
  for (const [k, n] of Object.entries(more)) into[k] = (into[k] ?? 0) + n;
  return into;
}

/** `word n, word n` (or `-`) as the examples print a top list. */
function parseTop(list: string): Counts {
  const out: Counts = {};
  if (list === '-' || list === '') return out;
  for (const item of list.split(', ')) {
    const at = item.lastIndexOf(' ');
    out[item.slice(0, at)] = Number(item.slice(at + 1));
  }
  return out;
}

interface PrintedBatch {
  timeMs: number;
  /** The rows print() showed, as key -> number. */
  rows: Counts;
  /** Labelled lines after the block (`total: ...`, `last 2 s: ...`). */
  labelled: Record<string, Counts>;
}

/** Batches as print() writes them (a `Time: T ms` block of tab-separated rows), with the labelled lines after each. Only complete lines. */
function parseBatches(stdout: string): PrintedBatch[] {
  const lines = stdout.slice(0, stdout.lastIndexOf('\n') + 1).split('\n');
  const out: PrintedBatch[] = [];
  for (const line of lines) {
    const time = /^Time: (\d+) ms$/.exec(line);
    if (time) out.push({ timeMs: Number(time[1]), rows: {}, labelled: {} });
    else if (out.length === 0 || line === '' || line.startsWith('-----')) continue;
    else if (line.includes('\t')) {
      const [k, n] = line.split('\t');
      out[out.length - 1].rows[k] = Number(n);
    } else {
      const colon = line.indexOf(': ');
      out[out.length - 1].labelled[line.slice(0, colon)] = parseTop(line.slice(colon + 2));
    }
  }
  return out;
}

const sumRows = (batches: PrintedBatch[]) => batches.reduce((acc, b) => add(acc, b.rows), {} as Counts);

function sameCounts(a: Counts, b: Counts): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

// Ten distinct words in all, so the printed top 10 lists are whole.
const groups = ['To be, or not to be: that is the question.\n', 'The question is not to be\n', 'be quick\nor be dead\n'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the example on a socket until it stops itself after `batches` batches, sending the groups
 * 3 intervals apart (a receiver cuts batches by arrival time, so each lands in a batch of its
 * own unless the driver reads two late together), and checks every batch printed: its counts,
 * the running totals, and the window of the last 10 batches. Returns the batches.
 */
async function countOverSocket(batchMs: number, batches: number, sent: string[], via: 'ts-node' | 'gleam', extraArgs: string[] = []): Promise<PrintedBatch[]> {
  const server = await lineServer();
  const window = `last ${(10 * batchMs) / 1000} s`;
  try {
    const ex = start('streaming-wordcount', ['127.0.0.1', String(server.port), ...extraArgs], { BATCH_MS: String(batchMs), BATCHES: String(batches) }, via);
    await waitFor(() => server.clients.length === 1, 'the example to connect', 20000);
    for (const g of sent) {
      server.send(g); // one write: read at once, so one batch takes it whole
      await sleep(3 * batchMs);
    }
    expect(await exitOf(ex, 30000)).toBe(0);
    expect(ex.stderr()).toBe(`reading lines from 127.0.0.1:${server.port}, batches of ${batchMs} ms (Ctrl-C stops)\n`);

    const printed = parseBatches(ex.stdout());
    expect(printed.length).toBeGreaterThanOrEqual(batches);
    // Consecutive batch times, one interval apart, on multiples of the interval.
    for (let i = 1; i < printed.length; i++) expect(printed[i].timeMs - printed[i - 1].timeMs).toBe(batchMs);
    expect(printed[0].timeMs % batchMs).toBe(0);
    // The batches with words hold the groups in order, each group whole (normally one per batch).
    let next = 0;
    for (const b of printed.filter((p) => Object.keys(p.rows).length > 0)) {
      const groupsIn: Counts = {};
      while (next < sent.length && !sameCounts(groupsIn, b.rows)) add(groupsIn, wordCounts(sent[next++]));
      expect(b.rows).toEqual(groupsIn);
    }
    expect(next).toBe(sent.length);
    // Every batch: the totals are the sum of all batches so far; the window those of the last 10 batches.
    const total: Counts = {};
    for (const b of printed) {
      add(total, b.rows);
      expect(b.labelled.total).toEqual(total);
      const inWindow = printed.filter((c) => c.timeMs > b.timeMs - 10 * batchMs && c.timeMs <= b.timeMs);
      expect(b.labelled[window]).toEqual(sumRows(inWindow));
    }
    return printed;
  } finally {
    await server.close();
  }
}

describe('streaming-wordcount.ts', () => {
  test('per batch counts, running totals and a window with an inverse, over a real socket', async () => {
    const printed = await countOverSocket(200, 25, groups, 'ts-node');
    // The first group left the window while later ones were in it, and at the end all had left:
    // the inverse took counts out, and the filter dropped the words that fell to 0.
    const firstGroupTime = printed.find((b) => Object.keys(b.rows).length > 0)!.timeMs;
    expect(printed.some((b) => b.timeMs - 2000 >= firstGroupTime && Object.keys(b.labelled['last 2 s']).length > 0)).toBe(true);
    expect(printed.at(-1)!.labelled['last 2 s']).toEqual({});
    expect(printed.at(-1)!.labelled.total).toEqual(groups.reduce((acc, g) => add(acc, wordCounts(g)), {} as Counts));
  });

  test('with gleam run and the default 1 s batches, Ctrl-C stops gracefully: lines received since the last batch are counted in a last one', async () => {
    const server = await lineServer();
    try {
      const ex = start('streaming-wordcount', ['127.0.0.1', String(server.port)], {}, 'gleam');
      await waitFor(() => server.clients.length === 1, 'the example to connect', 20000);
      // The lines and the signal come right after a batch finished: the next batch is ~0.9 s away,
      // so they fall between batches. (A SIGINT that lands while a batch's job runs makes the
      // engine cancel that job, and the stream fails instead of stopping gracefully.)
      await waitFor(() => ex.stdout().includes('last 10 s: -\n'), 'a first (empty) batch', 15000);
      const before = parseBatches(ex.stdout()).length;
      server.send('hello world\nhello again\n');
      await sleep(100);
      ex.proc.kill('SIGINT');
      expect(await exitOf(ex, 15000)).toBe(0);
      expect(ex.stderr()).toBe(`reading lines from 127.0.0.1:${server.port}, batches of 1000 ms (Ctrl-C stops)\n`);
      const batches = parseBatches(ex.stdout());
      const hello = { hello: 2, world: 1, again: 1 };
      // The lines came after the last batch before the signal: the last batch, made at the stop, counted them.
      expect(batches.length).toBe(before + 1);
      expect(batches.at(-1)!.rows).toEqual(hello);
      expect(batches.at(-1)!.labelled.total).toEqual(hello);
      expect(batches.at(-1)!.labelled['last 10 s']).toEqual(hello);
    } finally {
      await server.close();
    }
  });
});

describe('streaming-wordcount.ts on a cluster', () => {
  let cluster: TestCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  test('with --master every batch is a job on the agents: exact counts, totals and windows; the master shows the stream it ran', async () => {
    cluster = await startCluster({ agents: 2 });
    const sent = ['the cluster counts\n', 'the same words\nthe same way\n'];
    const printed = await countOverSocket(400, 8, sent, 'gleam', ['--master', cluster.master]);
    expect(printed.at(-1)!.labelled.total).toEqual({ the: 3, cluster: 1, counts: 1, same: 2, words: 1, way: 1 });
    // Its reports reached the master: stopped, every batch and every line.
    type Shown = { state: string; report: { name: string; batches: number | string; recordsTotal: number | string } };
    let stream: Shown | undefined;
    await waitFor(async () => {
      const status = await gleam(['status', '--master', cluster!.master, '--json']);
      stream = (JSON.parse(status.stdout).streams as Shown[]).find((s) => s.report.name === 'streaming word count');
      return stream?.state === 'stopped';
    }, 'the master to show the stream stopped', 10000);
    expect(Number(stream!.report.batches)).toBe(printed.length);
    expect(Number(stream!.report.recordsTotal)).toBe(3);
  }, 60000);
});

describe('watch-folder.ts', () => {
  test('counts new files once, saves one directory per batch, and resumes from its checkpoint after a restart', async () => {
    const work = tempDir('watch');
    const [inDir, stage, outDir, ckpt] = ['in', 'stage', 'out', 'ckpt'].map((d) => path.join(work, d));
    for (const d of [inDir, stage, outDir]) fs.mkdirSync(d);
    const texts: Record<string, string> = { 'a.txt': 'the cat sat\non the mat\n', 'b.txt': 'The dog.\n', 'c.txt': 'a cat and a dog', 'd.txt': 'the end\n' };
    // Written elsewhere, then renamed in: the example never sees half a file.
    const put = (name: string) => {
      fs.writeFileSync(path.join(stage, name), texts[name]);
      fs.renameSync(path.join(stage, name), path.join(inDir, name));
    };
    fs.writeFileSync(path.join(inDir, 'old.txt'), 'already here before the first start\n');
    const env = { BATCH_MS: '200', BATCHES: '10' };
    const args = [inDir, outDir, ckpt];
    const totalsOf = (stdout: string) => parseTop(stdout.trim().split('\n').at(-1)!.split('  totals: ')[1]);
    const filesOf = (stdout: string) => stdout.split('\n').reduce((n, l) => n + Number(/ (\d+) new files?/.exec(l)?.[1] ?? 0), 0);

    const first = start('watch-folder', args, env);
    await waitFor(() => first.stderr().startsWith('watching '), 'the first run to start', 20000);
    put('a.txt');
    put('b.txt');
    expect(await exitOf(first, 20000)).toBe(0);
    expect(first.stderr()).toBe(`watching ${inDir} every 200 ms, checkpoint in ${ckpt} (Ctrl-C stops)\n`);
    expect(filesOf(first.stdout())).toBe(2);
    expect(totalsOf(first.stdout())).toEqual(add(wordCounts(texts['a.txt']), wordCounts(texts['b.txt'])));

    const firstDirs = fs.readdirSync(outDir);
    // While it is down a file arrives; the next run takes it, then one more, and nothing twice.
    put('c.txt');
    const second = start('watch-folder', args, env);
    await waitFor(() => second.stderr().startsWith('watching '), 'the second run to start', 20000);
    put('d.txt');
    expect(await exitOf(second, 20000)).toBe(0);
    expect(second.stderr()).toBe(first.stderr());
    expect(filesOf(second.stdout())).toBe(2);
    const all = ['a.txt', 'b.txt', 'c.txt', 'd.txt'].reduce((acc, f) => add(acc, wordCounts(texts[f])), {} as Counts);
    expect(totalsOf(second.stdout())).toEqual(all);

    // Every batch of both runs saved one committed directory; together they hold each file's words once.
    const dirs = fs.readdirSync(outDir).sort();
    expect(dirs.every((d) => /^counts-\d+$/.test(d))).toBe(true);
    expect(dirs.length).toBeGreaterThanOrEqual(20);
    const saved: Counts = {};
    for (const d of dirs) {
      expect(fs.existsSync(path.join(outDir, d, '_SUCCESS'))).toBe(true);
      for (const part of fs.readdirSync(path.join(outDir, d)).filter((f) => f.startsWith('part-'))) {
        for (const line of fs.readFileSync(path.join(outDir, d, part), 'utf8').split('\n').filter(Boolean)) {
          const [w, n] = line.split('\t');
          saved[w] = (saved[w] ?? 0) + Number(n);
        }
      }
    }
    expect(saved).toEqual(all);
    // The second run's batches come after the first run's: batch times go on from the checkpoint.
    const timeOf = (d: string) => Number(d.slice('counts-'.length));
    expect(Math.min(...dirs.filter((d) => !firstDirs.includes(d)).map(timeOf))).toBeGreaterThan(Math.max(...firstDirs.map(timeOf)));
    const meta = JSON.parse(fs.readFileSync(path.join(ckpt, 'metadata.json'), 'utf8'));
    expect(meta.pending).toEqual([]);
    expect(meta.batchMs).toBe(200);
  });
});

describe('custom-receiver.ts', () => {
  test('counts the access log lines written after its start by status, holding at most MAX_BUFFERED lines (plus one read) at a time', async () => {
    const work = tempDir('tail');
    const log = path.join(work, 'access.log');
    const line = (i: number, status: number) => `10.0.${i % 7}.${i % 250} - - [10/Oct/2024:13:55:36 +0000] "GET /page/${String(i).padStart(5, '0')} HTTP/1.1" ${status} ${1000 + (i % 9000)} "-" "e2e/1.0"\n`;
    fs.writeFileSync(log, line(0, 418)); // there before the start: not counted
    const ex = start('custom-receiver', [log], { BATCH_MS: '200', BATCHES: '20', MAX_BUFFERED: '500' });
    await waitFor(() => ex.stderr().startsWith('following '), 'the example to start', 20000);

    // One burst of 5000 requests (and some lines that are not requests): far more than 500 at once.
    const expected: Counts = {};
    let text = '';
    let shortest = Infinity;
    for (let i = 1; i <= 5000; i++) {
      const status = i % 50 === 0 ? 503 : i % 10 === 0 ? 404 : i % 3 === 0 ? 304 : 200;
      expected[status] = (expected[status] ?? 0) + 1;
      const l = line(i, status);
      shortest = Math.min(shortest, l.length);
      text += l;
      if (i % 1000 === 0) text += 'not a request line\n';
    }
    fs.appendFileSync(log, text);
    expect(await exitOf(ex, 30000)).toBe(0);
    expect(ex.stderr()).toBe(`following ${log}, batches of 200 ms (Ctrl-C stops)\n`);

    const batches = parseBatches(ex.stdout());
    expect(sumRows(batches)).toEqual(expected);
    // The receiver stopped reading while 500 lines waited: a batch holds at most those plus the
    // lines of one read from the pipe (64 KB), however fast tail writes.
    const perBatch = batches.map((b) => Object.values(b.rows).reduce((a, n) => a + n, 0));
    expect(Math.max(...perBatch)).toBeLessThanOrEqual(500 + Math.ceil(65536 / shortest) + 5);
    expect(perBatch.filter((n) => n > 0).length).toBeGreaterThanOrEqual(Math.ceil(5000 / (500 + 65536 / shortest)));
    // onStop ended tail.
    await waitFor(() => processesWith(log).length === 0, 'tail to end', 5000);
  });
});
