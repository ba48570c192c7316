#!/usr/bin/env node
// One benchmark command (`npm run bench`): gleam against the tools a user would otherwise pick.
//
//   node bench/all/run.js [--scale S (1)] [--runs N (3)] [--only wordcount,sort,join,memory,cluster]
//                         [--settle S (60)] [--idle-wait S (10)] [--lean]
//
// Installs what it compares against (Debian's python3-pandas through apt-get, when root and
// missing), makes the inputs (bench/benchData.js; --scale multiplies every size), runs ours and
// each baseline alternately (A B A B …, --runs N times each), checks every output against ours,
// and prints one Markdown table of medians: wall time, CPU time (user + sys of the whole process
// tree) and peak RSS of the whole process tree, with ours ÷ baseline ratios (bench/all/measure.js
// says exactly how each is measured). Figures also go to bench/results/all-<ISO time>.json.
// --lean runs gleam's local jobs with smaller V8 young generations (LEAN_ENV): the memory levers
// that need no code change, measured in bench/README.md.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { writeResults } = require('../results');
const { measure } = require('./measure');
const jobs = require('./jobs');
const { clusterFigures } = require('./cluster');

const root = path.resolve(__dirname, '..', '..');
const JOBS = ['wordcount', 'sort', 'join', 'memory', 'cluster'];
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
/** Executor threads' young generation 16 MB (default 64), the driver thread's semi-space 2 MB. */
const LEAN_ENV = { GLEAM_YOUNG_GEN_MB: '16', NODE_OPTIONS: `${process.env.NODE_OPTIONS || ''} --max-semi-space-size=2`.trim() };
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

function usage(msg) {
  if (msg) process.stderr.write(`bench/all/run.js: ${msg}\n`);
  process.stderr.write('usage: node bench/all/run.js [--scale S (1)] [--runs N (3)] [--only wordcount,sort,join,memory,cluster] [--settle S (60)] [--idle-wait S (10)] [--lean]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { scale: 1, runs: 3, only: JOBS, settle: 60, idleWait: 10, lean: false };
  const names = { '--scale': 'scale', '--runs': 'runs', '--settle': 'settle', '--idle-wait': 'idleWait' };
  for (let i = 0; i < argv.length; i++) {
    let [name, value] = argv[i].split('=', 2);
    if (name === '-h' || name === '--help') usage();
    if (name === '--lean') {
      opts.lean = true;
      continue;
    }
    if (name !== '--only' && !names[name]) usage(`unknown argument ${argv[i]}`);
    if (value === undefined) value = argv[++i];
    if (value === undefined) usage(`${name} needs a value`);
    if (name === '--only') {
      opts.only = value.split(',').map((s) => s.trim()).filter(Boolean);
      for (const j of opts.only) if (!JOBS.includes(j)) usage(`--only: unknown job ${j} (known: ${JOBS.join(', ')})`);
      continue;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || (n === 0 && name !== '--settle' && name !== '--idle-wait')) usage(`${name} needs a positive number`);
    if (name === '--runs' && !Number.isInteger(n)) usage('--runs needs a whole number');
    opts[names[name]] = n;
  }
  return opts;
}

// ---------------------------------------------------------------- baselines

/** Debian's python3 (the one python3-pandas installs into) when present. */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function hasPandas() {
  return spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
}

/** Installs python3-pandas with apt-get when it is missing and we are root; else says how. */
function ensurePandas() {
  if (hasPandas()) return;
  if (process.getuid && process.getuid() === 0) {
    log('installing python3-pandas (apt-get)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-pandas'], { stdio: 'inherit', env });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
      r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-pandas'], { stdio: 'inherit', env });
    }
  }
  if (!hasPandas()) throw new Error(`pandas is not importable by ${PYTHON}; install it (Debian: sudo apt-get install python3-pandas) or leave the join out with --only`);
}

// ---------------------------------------------------------------- running

/** Runs ours and the baselines of a job alternately; returns its table rows. */
async function runJob(job, { runs, tmp, lean }) {
  if (lean) job.ours.tool += ', lean: GLEAM_YOUNG_GEN_MB=16, --max-semi-space-size=2';
  const contenders = [job.ours, ...job.baselines];
  for (const c of contenders) c.times = [];
  const verified = job.baselines.map(() => '');
  for (let run = 1; run <= runs; run++) {
    const outs = [];
    for (const [i, c] of contenders.entries()) {
      const out = path.join(tmp, `${job.key}-${i}`);
      const t = await measure(`${job.key}: ${c.tool}`, c.cmd(out), { env: i === 0 && lean ? LEAN_ENV : undefined });
      c.times.push(t);
      outs.push(out);
      log(`run ${run}/${runs} ${job.title}, ${c.tool}: ${t.wall.toFixed(2)} s wall, ${t.cpu == null ? '?' : t.cpu.toFixed(2)} s cpu, ${(t.rss / 1e6).toFixed(1)} MB`);
    }
    job.baselines.forEach((b, i) => {
      verified[i] = b.verify(outs[0], outs[i + 1]);
    });
    for (const o of outs) fs.rmSync(o, { recursive: true, force: true });
  }
  const stat = (c, k) => median(c.times.map((t) => t[k]));
  return contenders.map((c, i) => ({
    job: i === 0 ? job.title : '',
    tool: c.tool,
    wall: stat(c, 'wall'),
    cpu: stat(c, 'cpu'),
    rss: stat(c, 'rss'),
    ours: i === 0,
    verified: i === 0 ? '' : verified[i - 1],
  }));
}

/**
 * The bounded-memory jobs belong to bench/memory/run.js (the spill work): sort, groupBy and join
 * of 20M records (× scale) on agents at --memory 256. They run when that script is in this
 * checkout; its own reports (peak RSS per process against 2 × 256 + 150 MB) follow the table.
 */
function memoryJob({ scale }) {
  const script = path.join(root, 'bench', 'memory', 'run.js');
  const records = Math.max(1000, Math.round(20e6 * scale));
  const title = (job) => `bounded-memory ${job}, ${(records / 1e6).toLocaleString('en')}M records, agents --memory 256`;
  if (!fs.existsSync(script)) return { rows: [{ job: title('sort, groupBy, join'), tool: 'not run: bench/memory/run.js is not in this checkout' }], report: '', failed: false };
  const rows = [];
  let report = '';
  let failed = false;
  for (const job of ['sort', 'groupBy', 'join']) {
    const args = [script, '--job', job, '--records', String(records), '--memory', '256'];
    log(`running node ${path.relative(root, script)} ${args.slice(1).join(' ')}`);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    report += `${job}:\n${r.stdout ? r.stdout.toString() : ''}\n`;
    failed = failed || r.status !== 0;
    rows.push({ job: title(job), tool: r.status === 0 ? 'gleam cluster, bench/memory/run.js (report below)' : `FAILED (exit ${r.status ?? r.signal}), report below`, wall, note: 'wall includes data generation and cluster start' });
  }
  return { rows, report, failed };
}

// ---------------------------------------------------------------- table

const cell = (s) => String(s).replace(/\|/g, '\\|');
const num = (x, d = 2) => (x == null ? '' : x.toFixed(d));

/** One Markdown table; a baseline row carries ours ÷ that baseline for each figure. */
function table(rows) {
  const out = [
    '| job | tool | wall s | CPU s | peak RSS MB | wall ours ÷ this | CPU ours ÷ this | RSS ours ÷ this | check / note |',
    '|---|---|--:|--:|--:|--:|--:|--:|---|',
  ];
  let ours = null;
  for (const r of rows) {
    if (r.ours) ours = r;
    else if (r.job) ours = null;
    // A baseline below the clock's resolution (0.00 CPU s) has no ratio: "n/a".
    const ratio = (k) => (!ours || r.ours || r[k] == null || ours[k] == null ? '' : r[k] > 0 ? `${(ours[k] / r[k]).toFixed(2)}×` : 'n/a');
    const note = cell([r.verified ? `✓ ${r.verified}` : '', r.note || ''].filter(Boolean).join('; '));
    out.push(`| ${cell(r.job)} | ${cell(r.tool)} | ${num(r.wall)} | ${num(r.cpu)} | ${r.rss == null ? '' : num(r.rss / 1e6, 0)} | ${ratio('wall')} | ${ratio('cpu')} | ${ratio('rss')} | ${note} |`);
  }
  return out.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const load0 = os.loadavg();
  if (opts.only.includes('join')) ensurePandas();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-all-'));
  const rows = [];
  let memoryReport = '';
  let failed = false;
  try {
    for (const key of opts.only) {
      if (key === 'memory') {
        const m = memoryJob(opts);
        rows.push(...m.rows);
        memoryReport = m.report;
        failed = failed || m.failed;
      } else if (key === 'cluster') {
        rows.push(...(await clusterFigures({ ...opts, tmp })));
      } else {
        rows.push(...(await runJob(jobs[key]({ scale: opts.scale, python: PYTHON }), { runs: opts.runs, tmp, lean: opts.lean })));
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const load1 = os.loadavg();
  const cpus = os.cpus();
  const header = `${os.availableParallelism()} cores (${cpus[0] && cpus[0].model}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; ` +
    `scale ${opts.scale}, medians of ${opts.runs} alternating runs; 1-min load average ${load0[0].toFixed(2)} before, ${load1[0].toFixed(2)} after`;
  const text = `${header}\n\n${table(rows)}\n${memoryReport ? `\nbench/memory/run.js:\n\n${memoryReport}` : ''}`;
  process.stdout.write(`${text}\n`);
  const file = writeResults('all', { startedAt, options: opts, loadAverage: { before: load0, after: load1 }, rows, memoryReport }, startedAt);
  log(`figures written to ${file}`);
  if (failed) process.exit(1);
}

// Ctrl-C or a kill: exit through process.exit, so benchCluster's exit hook stops the cluster.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

main().catch((e) => {
  process.stderr.write(`bench/all/run.js: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
